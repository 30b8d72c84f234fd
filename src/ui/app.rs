//! The root component: holds the state (a reducer around the `Session`), runs the
//! animation loop only while playing and visible, listens to the keyboard and lays out the
//! page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::controls::{play_step, violation_banner, Header, Help, Timeline};
use super::logs::Logs;
use super::ring::Ring;
use super::settings::{ClusterPanel, NetworkPanel, ScenarioPanel, TimingPanel};
use super::side::{inspector, msg_box, ClientPanel, Feed};
use super::state::{Action, AppState, StartConfig, Tab};
use super::tours::{ExportPanel, TourPanel};
use super::util::{name, role_label, send};
use super::why::why_panel;
use crate::app::options::{Controls, View};
use crate::app::session::ScenarioState;
use crate::sim::view::ServerRole;
use crate::t;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    #[prop_or_default]
    pub config: StartConfig,
}

type FrameClosure = Closure<dyn FnMut(f64)>;

thread_local! {
    /// `performance.now()` when the current animation frame's callback started.
    static FRAME_START: Cell<f64> = const { Cell::new(0.0) };
}

/// A measuring hook for benchmarks: when the page defines `window.__raftlabPerf = { tick: [],
/// frame: [] }`, each animation frame pushes the time (ms) spent advancing the simulation
/// (`tick`) and advancing plus rendering (`frame`). Costs one property lookup otherwise.
fn perf_push(which: &str, ms: f64) {
    let w = gloo::utils::window();
    let Ok(p) = js_sys::Reflect::get(&w, &"__raftlabPerf".into()) else {
        return;
    };
    if p.is_undefined() {
        return;
    }
    if let Ok(a) = js_sys::Reflect::get(&p, &which.into()) {
        if let Some(a) = a.dyn_ref::<js_sys::Array>() {
            a.push(&ms.into());
        }
    }
}

fn perf_now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Runs `requestAnimationFrame` callbacks while `running`; nothing at all otherwise.
#[hook]
fn use_animation_loop(running: bool, dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with(running, move |&running| {
        let alive = Rc::new(Cell::new(running));
        let request = Rc::new(Cell::new(None::<i32>));
        let holder: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        if running {
            let window = gloo::utils::window();
            let last = Cell::new(None::<f64>);
            let (alive2, request2, holder2) = (alive.clone(), request.clone(), holder.clone());
            let w2 = window.clone();
            let f = Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
                if !alive2.get() {
                    return;
                }
                let dt = last.get().map_or(0.0, |l| ts - l);
                last.set(Some(ts));
                let t0 = perf_now();
                FRAME_START.with(|c| c.set(t0));
                dispatch.dispatch(Action::Tick(dt));
                perf_push("tick", perf_now() - t0);
                if let Some(c) = holder2.borrow().as_ref() {
                    request2.set(w2.request_animation_frame(c.as_ref().unchecked_ref()).ok());
                }
            });
            request.set(
                window
                    .request_animation_frame(f.as_ref().unchecked_ref())
                    .ok(),
            );
            *holder.borrow_mut() = Some(f);
        }
        move || {
            alive.set(false);
            if let Some(id) = request.take() {
                let _ = gloo::utils::window().cancel_animation_frame(id);
            }
            // Cleanup runs from the scheduler (a microtask), never inside the callback.
            holder.borrow_mut().take();
        }
    });
}

/// The banner of parameters that could not be used (the defaults were kept).
#[derive(Properties, PartialEq)]
struct ParamBannerProps {
    errors: Vec<String>,
    /// They are a `<raft-cluster>` element's attributes (not the address's parameters).
    #[prop_or_default]
    attributes: bool,
}

#[function_component(ParamBanner)]
fn param_banner(p: &ParamBannerProps) -> Html {
    let shown = use_state(|| true);
    if p.errors.is_empty() || !*shown {
        return html! {};
    }
    let close = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(false))
    };
    html! {
        <div class="param-banner" role="alert" data-testid="param-errors">
            <div class="pb-text">
                <strong>{ if p.attributes {
                    t!("Some attributes of <raft-cluster> could not be used (the defaults are kept):")
                } else {
                    t!("Some settings in the address could not be used (the defaults are kept):")
                } }</strong>
                <ul>{ for p.errors.iter().map(|e| {
                    let param = e.strip_prefix("parameter ").or_else(|| e.strip_prefix("attribute "))
                        .and_then(|r| r.split(':').next()).unwrap_or("").to_string();
                    html! { <li data-param={param}>{e.clone()}</li> }
                }) }</ul>
            </div>
            <button class="btn ghost small" data-testid="dismiss-param-errors" onclick={close} aria-label={t!("dismiss")}>{"✕"}</button>
        </div>
    }
}

/// Fetches a text by path (relative to the page).
pub(super) async fn fetch_text(path: &str) -> Result<String, String> {
    let resp = wasm_bindgen_futures::JsFuture::from(gloo::utils::window().fetch_with_str(path))
        .await
        .map_err(|e| t!("cannot fetch {path}: {why}", path = path, why = js_text(&e)))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| t!("not a response").to_string())?;
    if !resp.ok() {
        return Err(t!(
            "cannot fetch {path}: {why}",
            path = path,
            why = format!("{} {}", resp.status(), resp.status_text())
        ));
    }
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|e| js_text(&e))?)
        .await
        .map_err(|e| t!("cannot read {path}: {why}", path = path, why = js_text(&e)))?;
    Ok(text.as_string().unwrap_or_default())
}

/// Fetches `url` and dispatches what `load` makes of its text, or an error that starts
/// with `what` (the scenario parameter, a tour, a challenge).
pub(super) fn fetch_then(
    url: String,
    what: String,
    d: UseReducerDispatcher<AppState>,
    load: impl FnOnce(String) -> Action + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_text(&url).await {
            Ok(text) => d.dispatch(load(text)),
            Err(e) => d.dispatch(Action::Error(format!("{what}: {e}"))),
        }
    });
}

/// Fetches a scenario by path (relative to the page, or at `resolved`, the address a
/// `<raft-cluster>` element gives a bundled tour's path) and loads it.
fn fetch_scenario(path: String, resolved: Option<String>, d: UseReducerDispatcher<AppState>) {
    let url = resolved.unwrap_or(path);
    fetch_then(url, t!("parameter scenario").into(), d, |text| {
        Action::LoadFrom {
            text,
            param: "scenario".into(),
        }
    });
}

fn js_text(v: &wasm_bindgen::JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{v:?}"))
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    if props.config.view == View::Elections {
        return html! {
            <>
                <ParamBanner errors={props.config.param_errors.clone()} attributes={props.config.attributes} />
                // `view=elections`: the election-timing experiment (another part of the page,
                // loaded on demand: see `ui::lazy`).
                <super::lazy::LazyExperiments />
            </>
        };
    }
    html! { <Cluster config={props.config.clone()} /> }
}

#[derive(Properties, PartialEq)]
struct ClusterProps {
    config: StartConfig,
}

#[function_component(Cluster)]
fn cluster(props: &ClusterProps) -> Html {
    let cfg = props.config.clone();
    let state = use_reducer(move || AppState::new(&cfg));
    let d = state.dispatcher();
    use_animation_loop(state.running(), d.clone());

    // A mount() handle reaches this instance through its bridge.
    if let Some(b) = &props.config.bridge {
        let mut b = b.0.borrow_mut();
        if b.dispatch.is_none() {
            let d = d.clone();
            b.dispatch = Some(Rc::new(move |a| d.dispatch(a)));
            b.session = Some(state.session());
        }
    }
    {
        let (d, bridge, path, fallback) = (
            d.clone(),
            props.config.bridge.clone(),
            props.config.scenario_path.clone(),
            props.config.scenario_fallback.clone(),
        );
        let challenge = props.config.challenge;
        use_effect_with((), move |_| {
            if let Some(b) = bridge {
                let pending = std::mem::take(&mut b.0.borrow_mut().pending);
                for a in pending {
                    d.dispatch(a);
                }
            }
            if let Some(c) = challenge.and_then(|id| crate::app::challenge::find(id).ok()) {
                super::challenges::load(c.id, c.path(), d);
            } else if let Some(p) = path {
                fetch_scenario(p, fallback, d);
            }
        });
    }

    // Tab visibility and keyboard shortcuts.
    {
        let d = d.clone();
        let keyboard = props.config.keyboard;
        use_effect_with(keyboard, move |&keyboard| {
            let doc = gloo::utils::document();
            let d1 = d.clone();
            let doc1 = doc.clone();
            let vis = EventListener::new(&doc, "visibilitychange", move |_| {
                d1.dispatch(Action::SetHidden(doc1.hidden()));
            });
            let d2 = d.clone();
            let opts = EventListenerOptions::enable_prevent_default();
            let keys = keyboard.then(|| {
                EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if k.ctrl_key() || k.meta_key() || k.alt_key() {
                        return;
                    }
                    let target = k
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    let tag = target
                        .as_ref()
                        .map(|el| el.tag_name().to_ascii_uppercase())
                        .unwrap_or_default();
                    let key = k.key();
                    let in_field = matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT");
                    if in_field && key != "Escape" {
                        return;
                    }
                    // Space and Enter on a focused control press that control (not play).
                    let control = matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY")
                        || target.as_ref().is_some_and(|el| el.has_attribute("role"));
                    if control && (key == " " || key == "Enter") {
                        return;
                    }
                    if matches!(
                        key.as_str(),
                        " " | "ArrowLeft" | "ArrowRight" | "Home" | "End"
                    ) {
                        k.prevent_default();
                    }
                    d2.dispatch(Action::Key {
                        key,
                        shift: k.shift_key(),
                    });
                })
            });
            if doc.hidden() {
                d.dispatch(Action::SetHidden(true));
            }
            move || {
                drop(vis);
                drop(keys);
            }
        });
    }

    // A `<raft-cluster>` element tells its host what happened (see `app::events`).
    {
        let tracker = use_mut_ref(crate::app::events::EventTracker::default);
        let sink = props
            .config
            .bridge
            .as_ref()
            .and_then(|b| b.0.borrow().on_event.clone());
        let state = state.clone();
        use_effect(move || {
            if let Some(sink) = sink {
                let events = tracker.borrow_mut().observe(&state);
                for e in &events {
                    sink(e);
                }
            }
        });
    }

    // After each render of a frame: its whole cost (advance + render).
    use_effect(|| {
        let start = FRAME_START.with(|c| c.replace(0.0));
        if start > 0.0 {
            perf_push("frame", perf_now() - start);
        }
    });

    // On a phone the ring stays at the top of the screen (sticky) and the panels scroll
    // under it: selecting a server scrolls its inspector up to just below the ring.
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with(state.selected, move |sel| {
            let narrow = gloo::utils::window()
                .inner_width()
                .ok()
                .and_then(|w| w.as_f64())
                .is_some_and(|w| w <= 820.0);
            if let (Some(_), true, Some(el)) = (sel, narrow, root.cast::<web_sys::Element>()) {
                let find = |q: &str| el.query_selector(q).ok().flatten();
                if let (Some(stage), Some(ins)) = (find(".stage"), find(".inspector")) {
                    let gap = ins.get_bounding_client_rect().top()
                        - stage.get_bounding_client_rect().bottom()
                        - 8.0;
                    gloo::utils::window().scroll_by_with_x_and_y(0.0, gap);
                }
            }
        });
    }

    let v = state.view.clone();
    let selected_server = state
        .selected
        .and_then(|id| v.servers.iter().find(|s| s.id == id).cloned());
    let selected_msg = state
        .selected_msg
        .and_then(|id| v.messages.iter().find(|m| m.id == id).cloned());
    let tab = state.tab;
    let tab_button = |t: Tab, label: &str, id: &str| {
        let onclick = send(&d, Action::SetTab(t));
        html! {
            <button class={classes!("tab", (tab == t).then_some("active"))} data-tab={id.to_string()} onclick={onclick}
                role="tab" aria-selected={(tab == t).to_string()}>{label.to_string()}</button>
        }
    };
    let live_servers: Vec<_> = v
        .servers
        .iter()
        .filter(|s| s.role != ServerRole::Removed)
        .map(|s| s.id)
        .collect();
    let all_servers: Vec<_> = v.servers.iter().map(|s| (s.id, s.role)).collect();

    let last_role = state
        .feed
        .iter()
        .find(|f| f.kind == crate::sim::feed::FeedKind::Role)
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let live_caption = state
        .scenario
        .as_ref()
        .and_then(|i| i.caption.clone())
        .unwrap_or_default();
    // A challenge has no script to follow: its checklist is in the Challenges tab.
    let caption = state.scenario.as_ref().filter(|i| state.challenge.is_none() || i.caption.is_some()).map(|i| {
        let paused = matches!(i.state, Some(ScenarioState::Paused { .. }));
        let next = send(&d, Action::Next);
        let done = match &i.state {
            Some(ScenarioState::Done(o)) => Some(o.clone()),
            _ => None,
        };
        let back = send(&d, Action::Back);
        let can_back = i.pauses > 0;
        let sstate = match &i.state {
            Some(ScenarioState::Playing) => "playing",
            Some(ScenarioState::Paused { .. }) => "paused",
            Some(ScenarioState::Done(crate::scenario::Outcome::Pass)) => "pass",
            Some(ScenarioState::Done(_)) => "fail",
            None => "stopped",
        };
        let passed = i.checks.iter().filter(|c| c.ok).count();
        let failed = i.checks.len() - passed;
        html! {
            <div class={classes!("caption", paused.then_some("paused"))} data-testid="caption" data-state={sstate}
                data-pauses={i.pauses.to_string()} data-checks-passed={passed.to_string()} data-checks-failed={failed.to_string()}>
                if i.captions.len() > 1 {
                    <div class="cap-prev" data-testid="earlier-captions">
                        { for i.captions[..i.captions.len() - 1].iter().map(|c| html! { <p>{c.clone()}</p> }) }
                    </div>
                }
                <div class="cap-text">{ i.caption.clone().unwrap_or_else(|| match (&i.state, i.line) {
                    (Some(ScenarioState::Done(_)), _) => t!("The scenario has finished.").into(),
                    (_, Some(l)) => t!("Playing the scenario: line {line}…", line = l),
                    _ => t!("Playing the scenario…").into(),
                }) }</div>
                <div class="cap-meta">
                    if !i.checks.is_empty() {
                        <span class="cap-checks"><span class="pass">{format!("✓ {passed}")}</span>
                        if failed > 0 { <span class="fail">{format!(" ✗ {failed}")}</span> }</span>
                    }
                    if let Some(o) = done {
                        <span class={classes!("cap-outcome", if matches!(o, crate::scenario::Outcome::Pass) { "pass" } else { "fail" })}
                            data-testid="scenario-outcome">{super::state::outcome_text(&o)}</span>
                    }
                    if can_back {
                        <button class="btn" data-testid="back" onclick={back} title={t!("Back to the previous stop")}>{t!("◂ Back")}</button>
                    }
                    if paused {
                        <button class="btn primary" data-testid="next" onclick={next}>{t!("Next ▸")}</button>
                    }
                </div>
            </div>
        }
    });
    let error = state.error.clone().map(|e| {
        let close = send(&d, Action::DismissError);
        html! {
            <div class="toast" role="alert" data-testid="error">
                <span>{e}</span><button class="btn ghost small" onclick={close} aria-label={t!("dismiss")}>{"✕"}</button>
            </div>
        }
    });

    let export = {
        let state = state.clone();
        Callback::from(move |_| state.export())
    };
    let controls = props.config.controls;
    let (mut class, controls_name) = match controls {
        Controls::Full => (classes!("app"), "full"),
        Controls::Minimal => (classes!("app", "embed", "minimal"), "minimal"),
        Controls::None => (classes!("app", "embed", "bare"), "none"),
    };
    if state.present {
        class.push("present");
    }
    let body = if controls != Controls::Full {
        let minimal = controls == Controls::Minimal;
        html! {
            <>
                if minimal {
                    <div class="mini-bar">
                        { play_step(state.playing, !(state.travelling || state.blocked), props.config.keyboard, &d) }
                        <div class="clock" data-testid="clock" data-virtual-time-us={v.time_us.to_string()} title={t!("virtual time")}>
                            {super::util::clock(v.time_us)}
                        </div>
                        <span class={classes!("safety", if v.violation.is_some() { "bad" } else { "ok" })} data-testid="safety"
                            data-safety={if v.violation.is_some() { "violation" } else { "ok" }}>
                            { if v.violation.is_some() { t!("✗ safety violated") } else { t!("✓ safe") } }
                        </span>
                    </div>
                }
                <div class="stage">
                    if minimal { { for error } { for caption } }
                    <Ring view={v.clone()} selected={state.selected} selected_msg={state.selected_msg} dispatch={d.clone()} />
                </div>
            </>
        }
    } else {
        let present = state.present;
        // The stage and the logs are the same in both layouts; presentation mode puts the
        // caption beside the ring (style.css: "Presentation mode").
        let stage = html! {
            <div class={classes!("stage", "panel", state.travelling.then_some("past"))}>
                { for error }
                if state.travelling {
                    <div class="past-badge">{t!("◂◂ viewing the past")}</div>
                }
                if !present {
                    <div class="phone-bar">
                        { phone_bar(state.playing, !(state.travelling || state.blocked), v.time_us, &d) }
                    </div>
                    { for caption.clone() }
                }
                <Ring view={v.clone()} selected={state.selected} selected_msg={state.selected_msg} hovered_msg={state.hovered_msg} dispatch={d.clone()} />
                if let Some(m) = selected_msg {
                    { msg_box(&m, &d, &state.refused) }
                }
                if !present { { legend() } }
            </div>
        };
        let logs =
            html! { <Logs view={v.clone()} selected={state.selected} dispatch={d.clone()} /> };
        let (bar, layout) = if present {
            let tour = state.scenario.as_ref().map(|i| {
                (
                    i.pauses > 0,
                    matches!(i.state, Some(ScenarioState::Paused { .. })),
                )
            });
            (
                super::present::present_bar(
                    super::present::PresentBar {
                        view: &v,
                        playing: state.playing,
                        speed: state.speed,
                        travelling: state.travelling,
                        blocked: state.blocked,
                        selected: state.selected,
                        tour,
                    },
                    &d,
                ),
                html! {
                    <main class="present-main">
                        { stage }
                        <div class="present-side">{ for caption }{ logs }</div>
                    </main>
                },
            )
        } else {
            (
                html! {
                    <Header playing={state.playing} speed={state.speed} time_us={v.time_us} travelling={state.travelling}
                        violation={v.violation.is_some()} blocked={state.blocked} events={v.events} dispatch={d.clone()} />
                },
                html! {
                    <main class="layout">
                        <section class="controls-col panel">
                            <nav class="tabs" role="tablist">
                                { tab_button(Tab::Network, t!("Network"), "network") }
                                { tab_button(Tab::Timing, t!("Timing"), "timing") }
                                { tab_button(Tab::Cluster, t!("Cluster"), "cluster") }
                                { tab_button(Tab::Scenario, t!("Scenario"), "scenario") }
                                { tab_button(Tab::Tours, t!("Tours"), "tours") }
                                { tab_button(Tab::Challenges, t!("Challenges"), "challenges") }
                            </nav>
                            <div hidden={tab != Tab::Network}>
                                <NetworkPanel servers={live_servers.clone()} network={v.network.clone()} settings={v.settings.clone()} draft={state.partition_draft.clone()} dispatch={d.clone()} />
                            </div>
                            <div hidden={tab != Tab::Timing}>
                                <TimingPanel settings={v.settings.clone()} servers={live_servers.clone()} dispatch={d.clone()} />
                            </div>
                            <div hidden={tab != Tab::Cluster}>
                                <ClusterPanel servers={all_servers} settings={v.settings.clone()} seed={v.seed} generation={state.generation}
                                membership={v.membership()} refusal={crate::app::page::membership_refusal(&v, state.travelling)} dispatch={d.clone()} />
                            </div>
                            <div hidden={tab != Tab::Scenario}>
                                <ScenarioPanel info={state.scenario.clone()} error={state.scenario_error.clone()} dispatch={d.clone()} />
                                <ExportPanel export={export} dispatch={d.clone()} />
                            </div>
                            <div hidden={tab != Tab::Tours}>
                                <TourPanel dispatch={d.clone()} />
                            </div>
                            <div hidden={tab != Tab::Challenges}>
                                <super::challenges::ChallengePanel challenge={state.challenge.clone()}
                                    current={state.challenge_id} blurb={state.challenge_blurb.clone()} dispatch={d.clone()} />
                            </div>
                        </section>
                        <section class="center-col">
                            { stage }
                            <Timeline terms={state.terms.clone()} time_us={v.time_us} live_now={state.live_now}
                                travelling={state.travelling} dispatch={d.clone()} />
                            <super::spacetime::SpaceTime view={v.clone()} selected_msg={state.selected_msg} hovered_msg={state.hovered_msg}
                                live_now={state.live_now} dispatch={d.clone()} />
                            { logs }
                        </section>
                        <aside class="side-col">
                            { why_panel(state.why.as_deref(), &d) }
                            { inspector(selected_server.as_ref(), v.time_us, v.leader, &d, &state.refused) }
                            <ClientPanel client={v.client.clone()} servers={live_servers} dispatch={d.clone()} />
                            <Feed feed={state.feed.clone()} dispatch={d.clone()} />
                        </aside>
                    </main>
                },
            )
        };
        html! {
            <>
                { bar }
                if let Some(viol) = v.violation.clone() {
                    { violation_banner(&viol, &d) }
                }
                { layout }
                if state.help {
                    <Help dispatch={d.clone()} />
                }
            </>
        }
    };
    html! {
        <div class={class} data-controls={controls_name} ref={root}
            data-leader={v.leader.map(name).unwrap_or_default()} data-playing={state.playing.to_string()}
            data-travelling={state.travelling.to_string()} data-running={state.running().to_string()}
            data-present={state.present.to_string()} data-speed={super::util::trimmed(state.speed, 6).to_string()}
            data-servers={v.servers.len().to_string()} data-seed={v.seed.to_string()}
            data-prevote={v.settings.prevote.to_string()} data-check-quorum={v.settings.check_quorum.to_string()}>
            <ParamBanner errors={props.config.param_errors.clone()} attributes={props.config.attributes} />
            { body }
            // Read out by screen readers when they change (politely): role changes, captions.
            <div class="sr-only" aria-live="polite" data-testid="live-role">{ last_role }</div>
            <div class="sr-only" aria-live="polite" data-testid="live-caption">{ live_caption }</div>
        </div>
    }
}

/// Play/Pause, Step and the clock over the ring, shown on phones only (CSS), where the top
/// bar scrolls away and the ring stays on screen.
fn phone_bar(
    playing: bool,
    can_step: bool,
    time_us: crate::sim::Micros,
    d: &UseReducerDispatcher<AppState>,
) -> Html {
    html! {
        <>
            { super::controls::play_step_as("phone-", playing, can_step, false, d) }
            <span class="phone-clock">{super::util::clock(time_us)}</span>
        </>
    }
}

/// The ring's legend: static markup, kept as text (a fraction of the code `html!` would
/// generate for it), built once in the page's language.
fn legend() -> Html {
    thread_local! {
        static LEGEND: AttrValue = AttrValue::from(legend_html());
    }
    Html::from_html_unchecked(LEGEND.with(|l| l.clone()))
}

/// The legend's markup: each sample shape with its translated word (no markup characters
/// in the words).
fn legend_html() -> String {
    const SVG: &str = "<span class=\"lg-item\"><svg viewBox=\"-10 -10 20 20\">";
    let msgs = [
        (
            "<path class=\"lgs prevote\" d=\"M0,-7 L7,0 L0,7 L-7,0 Z\"/>",
            t!("pre-vote"),
        ),
        ("<circle class=\"lgs vote\" r=\"6\"/>", t!("vote")),
        (
            "<rect class=\"lgs append\" x=\"-8\" y=\"-6\" width=\"16\" height=\"12\" rx=\"2\"/>",
            t!("append"),
        ),
        (
            "<rect class=\"lgs snapshot\" x=\"-8\" y=\"-8\" width=\"16\" height=\"16\" rx=\"3\"/>",
            t!("snapshot"),
        ),
        (
            "<path class=\"lgs timeout_now\" d=\"M0,-8 L7,6 L-7,6 Z\"/>",
            t!("timeout-now"),
        ),
        (
            "<rect class=\"lgs client\" x=\"-8\" y=\"-5\" width=\"16\" height=\"10\" rx=\"5\"/>",
            t!("client"),
        ),
        (
            "<circle class=\"lgs reply\" r=\"6\"/>",
            t!("hollow = reply"),
        ),
    ];
    let roles = [
        ("<circle class=\"lgr leader\" r=\"7\"/>", role_label(ServerRole::Leader)),
        ("<circle class=\"lgr candidate\" r=\"7\"/>", role_label(ServerRole::Candidate)),
        ("<circle class=\"lgr precandidate\" r=\"7\"/>", role_label(ServerRole::PreCandidate)),
        ("<circle class=\"lgr follower\" r=\"7\"/>", role_label(ServerRole::Follower)),
        ("<circle class=\"lgr crashed\" r=\"7\"/><path class=\"lgx\" d=\"M-4,-4 L4,4 M4,-4 L-4,4\"/>", role_label(ServerRole::Crashed)),
    ];
    let mut s = String::from("<div class=\"legends\"><div class=\"msg-legend\">");
    let item = |s: &mut String, shape: &str, word: &str| {
        s.push_str(SVG);
        s.push_str(shape);
        s.push_str("</svg>");
        s.push_str(word);
        s.push_str("</span>");
    };
    for (shape, word) in msgs {
        item(&mut s, shape, word);
    }
    s.push_str("</div><div class=\"msg-legend roles\">");
    for (shape, word) in roles {
        item(&mut s, shape, word);
    }
    s.push_str("<span class=\"lg-item muted\">");
    s.push_str(t!(
        "fill colour = term · arc = election timer (leader: heartbeat)"
    ));
    s.push_str("</span></div></div>");
    s
}
