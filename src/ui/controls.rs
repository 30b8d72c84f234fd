//! Playback controls (play/pause/step/speed/clock), the timeline with its term bands and
//! time travel, the safety status and the help overlay.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Action, AppState, TermMark, SPEED_MAX, SPEED_MIN};
use super::util::{clock, dur, fixed, math, name, send, speed_text, term_color, trimmed};
use super::widgets::input_number;
use crate::sim::checker::Violation;
use crate::sim::Micros;
use crate::t;

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
    let play = send(d, Action::TogglePlay);
    let step = send(d, Action::Step);
    let small = (!prefix.is_empty()).then_some("small");
    let (play_title, step_title) = if keys {
        (
            t!("Play / pause (space)"),
            t!("Step: handle every event of the next instant (→)"),
        )
    } else {
        (
            t!("Play / pause"),
            t!("Step: handle every event of the next instant"),
        )
    };
    html! {
        <>
            <button class={classes!("btn", "primary", "play", playing.then_some("on"), small)} data-testid={format!("{prefix}play")}
                onclick={play} title={play_title} aria-pressed={playing.to_string()}>
                { if playing { t!("❚❚ Pause") } else { t!("▶ Play") } }
            </button>
            <button class={classes!("btn", small)} data-testid={format!("{prefix}step")} onclick={step} title={step_title}
                disabled={!can_step}>{t!("Step ▸|")}</button>
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
            <label class="speed" title={t!("Speed: virtual time per real time (+ / -)")}>
                <span class="speed-label">{t!("speed")}</span>
                <input type="range" data-testid="speed" min={fixed(math::log10(SPEED_MIN), 2).to_string()} max={fixed(math::log10(SPEED_MAX), 2).to_string()}
                    step="0.05" value={fixed(math::log10(speed), 2).to_string()} oninput={oninput} aria-label={t!("speed")} />
                <span class="speed-value" data-speed={trimmed(speed, 6).to_string()}>{speed_text(speed)}</span>
            </label>
            <div class={classes!("clock", travelling.then_some("past"))} data-testid="clock"
                data-virtual-time-us={time_us.to_string()} title={t!("virtual time")}>
                {clock(time_us)}
                if let Some(n) = events { <span class="events">{t!("{n} events", n = n)}</span> }
            </div>
        </>
    }
}

/// The safety checker's status (`short`: presentation mode's).
pub fn safety(violation: bool, short: bool) -> Html {
    let text = match (violation, short) {
        (true, false) => t!("✗ safety violated"),
        (false, false) => t!("✓ safety holds"),
        (true, true) => t!("✗ unsafe"),
        (false, true) => t!("✓ safe"),
    };
    html! {
        <span class={classes!("safety", if violation { "bad" } else { "ok" })} data-testid="safety"
            data-safety={if violation { "violation" } else { "ok" }}
            title={t!("Election safety, log matching, leader completeness and state machine safety are checked after every event")}>
            { text }
        </span>
    }
}

#[function_component(Header)]
pub fn header(p: &HeaderProps) -> Html {
    let d = &p.dispatch;
    let help = send(d, Action::Help(Some(true)));
    let present = send(d, Action::SetPresent(Some(true)));
    let experiments = use_memo((), |_| experiments_href());
    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo">{"⎈"}</span>
                <h1 class="title">{"raftlab"}</h1>
                <span class="subtitle">{t!("Raft, live in your browser")}</span>
            </div>
            <div class="transport">
                { play_step(p.playing, !(p.travelling || p.blocked), true, d) }
                { speed_and_clock(p.speed, p.time_us, p.travelling, Some(p.events), d) }
            </div>
            <div class="right">
                { safety(p.violation, false) }
                <button class="btn ghost" data-testid="present" aria-pressed="false" onclick={present}
                    title={t!("Presentation mode: big labels, one compact bar, slower (p)")}>{t!("Present")}</button>
                <a class="btn ghost" href={(*experiments).clone()} data-testid="experiments-link"
                    title={t!("The election-timing experiment of the Raft paper (Figure 16), run in your browser")}>{t!("Experiments")}</a>
                <button class="btn ghost" data-testid="help" onclick={help} title={t!("Keyboard shortcuts (?)")}>{"?"}</button>
            </div>
        </header>
    }
}

/// The Experiments link, in the page's language when that is not the browser's (so that
/// `?lang=zh` carries over).
fn experiments_href() -> String {
    let lang = crate::text::lang();
    if lang == super::lang::browser_lang() {
        "?view=elections".into()
    } else {
        format!("?view=elections&lang={}", lang.as_str())
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
            Some((s, at)) => t!("term {term}: from {start}, {server} leader from {at}", term = m.term, start = dur(m.start_us), server = name(s), at = dur(at)),
            None => t!("term {term}: from {start}, no leader", term = m.term, start = dur(m.start_us)),
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
    let ret = send(d, Action::ReturnToPresent);
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
    let back = send(d, Action::TravelBy(-250_000));
    html! {
        <div class={classes!("timeline", "panel", p.travelling.then_some("travelling"))} data-testid="timeline">
            <div class="tl-head">
                <h2>{t!("Timeline")}</h2>
                <span class="tl-hint">{t!("terms (hatched: no leader yet) — drag to travel back in time")}</span>
                <span class="tl-buttons">
                    <button class="btn small" data-testid="back" onclick={back} title={t!("Back 250 ms (←)")}>{t!("◂ back")}</button>
                    if p.travelling && !*confirming {
                        <button class="btn small warn" data-testid="resume-here" onclick={ask}
                            title={t!("Make this moment the present: the later future is discarded (asks first)")}>{t!("↳ Resume from here")}</button>
                    }
                    if p.travelling {
                        <button class="btn small primary" data-testid="return-present" onclick={ret} title={t!("Back to the live moment (End)")}>{t!("Return to present ▸▸")}</button>
                    }
                </span>
            </div>
            if p.travelling && *confirming {
                <div class="resume-confirm" role="alertdialog" aria-label={t!("discard the future?")} data-testid="resume-confirm">
                    <span>{t!("Resume from {at}? What was recorded after it will be discarded.", at = dur(p.time_us))}</span>
                    <button class="btn small" data-testid="resume-cancel" ref={cancel_ref} onclick={cancel}>{t!("Cancel")}</button>
                    <button class="btn small warn" data-testid="resume-discard" onclick={resume}>{t!("Discard and resume")}</button>
                </div>
            }
            <div class="tl-track">
                <div class="bands">{ for bands }</div>
                <div class="playhead" style={format!("left:{}%", fixed(pct(p.time_us), 3))}></div>
                <input class="scrub" type="range" data-testid="scrubber" min="0" max={end.to_string()} step="1000"
                    value={p.time_us.to_string()} oninput={scrub} aria-label={t!("time")} />
            </div>
            <div class="tl-scale"><span>{"0"}</span>
                if p.travelling { <span class="past-note">{t!("viewing the past at {at} — live is at {live}", at = dur(p.time_us), live = dur(p.live_now))}</span> }
                <span>{super::util::short_time(p.live_now)}</span></div>
        </div>
    }
}

/// The checker's finding: which property broke, where, and a way to look just before.
pub fn violation_banner(v: &Violation, d: &Dispatch) -> Html {
    let at = v.time_us;
    let go = send(d, Action::TravelTo(at.saturating_sub(1)));
    let mut ids = v.servers.clone();
    ids.sort_unstable();
    ids.dedup();
    let servers = ids.iter().map(|&s| name(s)).collect::<Vec<_>>().join(", ");
    html! {
        <div class="violation" role="alert" data-testid="violation">
            <div class="v-title">{t!("⚠ Safety violation: {property}", property = v.property.label())}</div>
            <div class="v-detail">{v.detail.clone()}</div>
            <div class="v-meta">{t!("at {at} — servers involved: {servers}. Playback stopped.", at = dur(at), servers = servers)}
                <button class="btn small" onclick={go}>{t!("Look just before")}</button></div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub dispatch: Dispatch,
}

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let close = send(&p.dispatch, Action::Help(Some(false)));
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
                { Html::from_html_unchecked(AttrValue::from(help_html())) }
                <button class="btn primary" ref={button} onclick={close} data-testid="help-close">{t!("Close")}</button>
            </div>
        </div>
    }
}

/// The help's text: markup built from the translated sentences (a fraction of the code
/// `html!` would make). The sentences hold no markup characters.
fn help_html() -> String {
    let keys: [(&str, &str); 13] = [
        (t!("Space"), t!("play / pause")),
        ("→", t!("step to the next event (while looking at the past: forward 100 ms)")),
        ("←", t!("back 100 ms in time (Shift: 1 s)")),
        ("Home / End", t!("go to the start / return to the present")),
        ("+ / −", t!("faster / slower")),
        ("1 … 9", t!("select server s1 … s9")),
        ("c / r / t / x", t!("crash / restart / force a timeout / compact the selected server")),
        ("h", t!("heal the network")),
        ("n", t!("Next (a scenario stopped at a pause)")),
        ("p", t!("presentation mode on / off (big labels for a projector, slower)")),
        ("?", t!("this help")),
        ("Tab</kbd>, <kbd>Enter", t!("reach a link, server or message of the ring (or a feed item's time) and act on it as a click would")),
        ("Esc", t!("close, deselect")),
    ];
    let mouse = [
        t!("Click a server to inspect it and act on it."),
        t!("Click the line between two servers to cut that link; click a cut link to mend it."),
        t!("Click a message in flight to drop or duplicate it (playback pauses)."),
        t!("Click an event in the feed to travel to its moment; drag the timeline to travel in time."),
    ];
    let mut s = format!(
        "<div><h2 id=\"help-title\">{}</h2><p class=\"intro\">{}</p><h2>{}</h2><table class=\"keys\">",
        t!("What you are looking at"),
        t!("A Raft cluster simulated in your browser. Each circle is a server: its colour is its current term, \
            the arc around it is its election timer draining (a leader shows its heartbeat timer instead). Followers \
            whose timer runs out become candidates and ask for votes; a candidate with a majority becomes leader \
            (crown) and replicates the client's writes into every log below. Crash servers, cut links, partition the \
            network and watch the cluster recover — the safety checker watches every step."),
        t!("Keyboard shortcuts"),
    );
    for (k, what) in keys {
        s.push_str("<tr><td><kbd>");
        s.push_str(k);
        s.push_str("</kbd></td><td>");
        s.push_str(what);
        s.push_str("</td></tr>");
    }
    s.push_str("</table><h3>");
    s.push_str(t!("Mouse"));
    s.push_str("</h3><ul>");
    for m in mouse {
        s.push_str("<li>");
        s.push_str(m);
        s.push_str("</li>");
    }
    s.push_str("</ul></div>");
    s
}
