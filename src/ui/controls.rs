//! Playback controls (play/pause/step/speed/clock), the timeline with its term bands and
//! time travel, the safety status and the help overlay.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Action, AppState, TermMark, SPEED_MAX, SPEED_MIN};
use super::util::{clock, dur, fixed, math, name, speed_text, term_color, trimmed};
use super::widgets::input_number;
use crate::sim::checker::Violation;
use crate::sim::Micros;

type Dispatch = UseReducerDispatcher<AppState>;

/// The Play/Pause and Step buttons (the top bar, and the bar of `controls=minimal`).
/// `can_step` is false while looking at the past or after a safety violation; `keys` names
/// the keyboard shortcuts in the tooltips.
pub fn play_step(playing: bool, can_step: bool, keys: bool, d: &Dispatch) -> Html {
    play_step_as("", playing, can_step, keys, d)
}

/// The same two buttons with their test ids prefixed (`phone-play`, `phone-step`: the
/// phone's bar over the ring), smaller when prefixed.
pub fn play_step_as(
    prefix: &'static str,
    playing: bool,
    can_step: bool,
    keys: bool,
    d: &Dispatch,
) -> Html {
    let play = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::TogglePlay))
    };
    let step = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Step))
    };
    let small = (!prefix.is_empty()).then_some("small");
    let (play_title, step_title) = if keys {
        (
            "Play / pause (space)",
            "Step: handle every event of the next instant (→)",
        )
    } else {
        (
            "Play / pause",
            "Step: handle every event of the next instant",
        )
    };
    html! {
        <>
            <button class={classes!("btn", "primary", "play", playing.then_some("on"), small)} data-testid={format!("{prefix}play")}
                onclick={play} title={play_title} aria-pressed={playing.to_string()}>
                { if playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button class={classes!("btn", small)} data-testid={format!("{prefix}step")} onclick={step} title={step_title}
                disabled={!can_step}>{"Step ▸|"}</button>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub playing: bool,
    pub speed: f64,
    pub time_us: Micros,
    pub travelling: bool,
    pub violation: bool,
    /// The violation stops time (not one the tour playing expects).
    pub blocked: bool,
    pub events: u64,
    pub dispatch: Dispatch,
}

/// The speed slider with its value, and the virtual clock (`events`: the count shown in
/// it): the top bar's and presentation mode's.
pub fn speed_and_clock(
    speed: f64,
    time_us: Micros,
    travelling: bool,
    events: Option<u64>,
    d: &Dispatch,
) -> Html {
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            if let Some(x) = input_number(&e) {
                d.dispatch(Action::SetSpeed(math::pow(10.0, x)));
            }
        })
    };
    html! {
        <>
            <label class="speed" title="Speed: virtual time per real time (+ / -)">
                <span class="speed-label">{"speed"}</span>
                <input type="range" data-testid="speed" min={fixed(math::log10(SPEED_MIN), 2).to_string()} max={fixed(math::log10(SPEED_MAX), 2).to_string()}
                    step="0.05" value={fixed(math::log10(speed), 2).to_string()} oninput={oninput} aria-label="speed" />
                <span class="speed-value" data-speed={trimmed(speed, 6).to_string()}>{speed_text(speed)}</span>
            </label>
            <div class={classes!("clock", travelling.then_some("past"))} data-testid="clock"
                data-virtual-time-us={time_us.to_string()} title="virtual time">
                {clock(time_us)}
                if let Some(n) = events { <span class="events">{format!("{n} events")}</span> }
            </div>
        </>
    }
}

/// The safety checker's status (`short`: presentation mode's).
pub fn safety(violation: bool, short: bool) -> Html {
    let text = match (violation, short) {
        (true, false) => "✗ safety violated",
        (false, false) => "✓ safety holds",
        (true, true) => "✗ unsafe",
        (false, true) => "✓ safe",
    };
    html! {
        <span class={classes!("safety", if violation { "bad" } else { "ok" })} data-testid="safety"
            data-safety={if violation { "violation" } else { "ok" }}
            title="Election safety, log matching, leader completeness and state machine safety are checked after every event">
            { text }
        </span>
    }
}

#[function_component(Header)]
pub fn header(p: &HeaderProps) -> Html {
    let d = &p.dispatch;
    let help = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Help(Some(true))))
    };
    let present = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::SetPresent(Some(true))))
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo">{"⎈"}</span>
                <h1 class="title">{"raftlab"}</h1>
                <span class="subtitle">{"Raft, live in your browser"}</span>
            </div>
            <div class="transport">
                { play_step(p.playing, !(p.travelling || p.blocked), true, d) }
                { speed_and_clock(p.speed, p.time_us, p.travelling, Some(p.events), d) }
            </div>
            <div class="right">
                { safety(p.violation, false) }
                <button class="btn ghost" data-testid="present" aria-pressed="false" onclick={present}
                    title="Presentation mode: big labels, one compact bar, slower (p)">{"Present"}</button>
                <a class="btn ghost" href="?view=elections" data-testid="experiments-link"
                    title="The election-timing experiment of the Raft paper (Figure 16), run in your browser">{"Experiments"}</a>
                <button class="btn ghost" data-testid="help" onclick={help} title="Keyboard shortcuts (?)">{"?"}</button>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub terms: Rc<Vec<TermMark>>,
    pub time_us: Micros,
    pub live_now: Micros,
    pub travelling: bool,
    pub dispatch: Dispatch,
}

#[function_component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let d = &p.dispatch;
    let end = p.live_now.max(1);
    let pct = |t: Micros| t as f64 * 100.0 / end as f64;
    let bands = p.terms.iter().enumerate().map(|(i, m)| {
        let stop = p.terms.get(i + 1).map_or(p.live_now, |n| n.start_us);
        let (l, w) = (pct(m.start_us), pct(stop.saturating_sub(m.start_us)));
        let elected = m.leader.map(|(_, at)| at.clamp(m.start_us, stop));
        let lead_w = elected.map_or(0.0, |at| pct(stop.saturating_sub(at)));
        let title = match m.leader {
            Some((s, at)) => format!("term {}: from {}, {} leader from {}", m.term, dur(m.start_us), name(s), dur(at)),
            None => format!("term {}: from {}, no leader", m.term, dur(m.start_us)),
        };
        html! {
            <div key={i} class="band" style={format!("left:{}%;width:{}%;--c:{}", fixed(l, 3), fixed(w, 3), term_color(m.term))} title={title}
                data-term={m.term.to_string()}>
                <div class="band-lead" style={format!("width:{}%", fixed(if w > 0.0 { lead_w * 100.0 / w } else { 0.0 }, 3))}></div>
                if w > 4.0 {
                    <span class="band-label">{
                        match m.leader { Some((s, _)) => format!("t{} {}", m.term, name(s)), None => format!("t{}", m.term) }
                    }</span>
                }
            </div>
        }
    });
    let scrub = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            if let Some(x) = input_number(&e) {
                d.dispatch(Action::TravelTo(x as Micros));
            }
        })
    };
    let ret = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::ReturnToPresent))
    };
    // "Resume from here" discards the recorded future: it asks first, inline (Cancel gets
    // the focus; Tab reaches Discard).
    let confirming = use_state(|| false);
    let cancel_ref = use_node_ref();
    {
        let (confirming, travelling) = (confirming.clone(), p.travelling);
        use_effect_with(travelling, move |&t| {
            if !t {
                confirming.set(false);
            }
        });
    }
    {
        let cancel_ref = cancel_ref.clone();
        use_effect_with(*confirming, move |&on| {
            if on {
                if let Some(b) = cancel_ref.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let resume = {
        let (d, confirming) = (d.clone(), confirming.clone());
        Callback::from(move |_| {
            confirming.set(false);
            d.dispatch(Action::ResumeFromHere)
        })
    };
    let back = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::TravelBy(-250_000)))
    };
    html! {
        <div class={classes!("timeline", "panel", p.travelling.then_some("travelling"))} data-testid="timeline">
            <div class="tl-head">
                <h2>{"Timeline"}</h2>
                <span class="tl-hint">{"terms (hatched: no leader yet) — drag to travel back in time"}</span>
                <span class="tl-buttons">
                    <button class="btn small" data-testid="back" onclick={back} title="Back 250 ms (←)">{"◂ back"}</button>
                    if p.travelling && !*confirming {
                        <button class="btn small warn" data-testid="resume-here" onclick={ask}
                            title="Make this moment the present: the later future is discarded (asks first)">{"↳ Resume from here"}</button>
                    }
                    if p.travelling {
                        <button class="btn small primary" data-testid="return-present" onclick={ret} title="Back to the live moment (End)">{"Return to present ▸▸"}</button>
                    }
                </span>
            </div>
            if p.travelling && *confirming {
                <div class="resume-confirm" role="alertdialog" aria-label="discard the future?" data-testid="resume-confirm">
                    <span>{format!("Resume from {}? What was recorded after it will be discarded.", dur(p.time_us))}</span>
                    <button class="btn small" data-testid="resume-cancel" ref={cancel_ref} onclick={cancel}>{"Cancel"}</button>
                    <button class="btn small warn" data-testid="resume-discard" onclick={resume}>{"Discard and resume"}</button>
                </div>
            }
            <div class="tl-track">
                <div class="bands">{ for bands }</div>
                <div class="playhead" style={format!("left:{}%", fixed(pct(p.time_us), 3))}></div>
                <input class="scrub" type="range" data-testid="scrubber" min="0" max={end.to_string()} step="1000"
                    value={p.time_us.to_string()} oninput={scrub} aria-label="time" />
            </div>
            <div class="tl-scale"><span>{"0"}</span>
                if p.travelling { <span class="past-note">{format!("viewing the past at {} — live is at {}", dur(p.time_us), dur(p.live_now))}</span> }
                <span>{super::util::short_time(p.live_now)}</span></div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ViolationProps {
    pub violation: Violation,
    pub dispatch: Dispatch,
}

#[function_component(ViolationBanner)]
pub fn violation_banner(p: &ViolationProps) -> Html {
    let v = &p.violation;
    let at = v.time_us;
    let go = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::TravelTo(at.saturating_sub(1))))
    };
    let mut ids = v.servers.clone();
    ids.sort_unstable();
    ids.dedup();
    let servers = ids.iter().map(|&s| name(s)).collect::<Vec<_>>().join(", ");
    html! {
        <div class="violation" role="alert" data-testid="violation">
            <div class="v-title">{format!("⚠ Safety violation: {}", v.property)}</div>
            <div class="v-detail">{v.detail.clone()}</div>
            <div class="v-meta">{format!("at {} — servers involved: {servers}. Playback stopped.", dur(at))}
                <button class="btn small" onclick={go}>{"Look just before"}</button></div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Dispatch,
}

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let close = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::Help(Some(false))))
    };
    // A modal dialog: focus moves to its Close button, Tab stays inside (Close is its only
    // control), Esc closes it (the page's shortcuts), and focus returns where it was.
    let button = use_node_ref();
    {
        let button = button.clone();
        use_effect_with((), move |_| {
            let before = gloo::utils::document().active_element();
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(el) = before.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                }
            }
        });
    }
    let trap = {
        let button = button.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Tab" {
                e.prevent_default();
                if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    html! {
        <div class="overlay" data-testid="help-overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-dialog"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())} onkeydown={trap}>
                { Html::from_html_unchecked(AttrValue::Static(HELP)) }
                <button class="btn primary" ref={button} onclick={close} data-testid="help-close">{"Close"}</button>
            </div>
        </div>
    }
}

/// The help's text: static markup, kept as text (a fraction of the code `html!` makes).
const HELP: &str = "<div><h2 id=\"help-title\">What you are looking at</h2><p class=\"intro\">A Raft cluster simulated in your browser. Each circle is a server: its colour is its current term, \
the arc around it is its election timer draining (a leader shows its heartbeat timer instead). Followers \
whose timer runs out become candidates and ask for votes; a candidate with a majority becomes leader \
(crown) and replicates the client's writes into every log below. Crash servers, cut links, partition the \
network and watch the cluster recover — the safety checker watches every step.</p>\
<h2>Keyboard shortcuts</h2><table class=\"keys\">\
<tr><td><kbd>Space</kbd></td><td>play / pause</td></tr>\
<tr><td><kbd>→</kbd></td><td>step to the next event (while looking at the past: forward 100 ms)</td></tr>\
<tr><td><kbd>←</kbd></td><td>back 100 ms in time (Shift: 1 s)</td></tr>\
<tr><td><kbd>Home / End</kbd></td><td>go to the start / return to the present</td></tr>\
<tr><td><kbd>+ / −</kbd></td><td>faster / slower</td></tr>\
<tr><td><kbd>1 … 9</kbd></td><td>select server s1 … s9</td></tr>\
<tr><td><kbd>c / r / t / x</kbd></td><td>crash / restart / force a timeout / compact the selected server</td></tr>\
<tr><td><kbd>h</kbd></td><td>heal the network</td></tr>\
<tr><td><kbd>n</kbd></td><td>Next (a scenario stopped at a pause)</td></tr>\
<tr><td><kbd>p</kbd></td><td>presentation mode on / off (big labels for a projector, slower)</td></tr>\
<tr><td><kbd>?</kbd></td><td>this help</td></tr>\
<tr><td><kbd>Tab</kbd>, <kbd>Enter</kbd></td><td>reach a link, server or message of the ring (or a feed item's time) and act on it as a click would</td></tr>\
<tr><td><kbd>Esc</kbd></td><td>close, deselect</td></tr></table>\
<h3>Mouse</h3><ul>\
<li>Click a server to inspect it and act on it.</li>\
<li>Click the line between two servers to cut that link; click a cut link to mend it.</li>\
<li>Click a message in flight to drop or duplicate it (playback pauses).</li>\
<li>Click an event in the feed to travel to its moment; drag the timeline to travel in time.</li></ul></div>";
