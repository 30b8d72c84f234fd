//! Small helpers shared by the components: term colours, formatting, geometry.

use crate::raft::{ServerId, Term};
pub use crate::sim::decimal::{fixed, trimmed};
use crate::sim::time::fmt_time;
use crate::sim::view::ServerRole;
use crate::sim::Micros;
use crate::t;

/// Term colours: the style sheet's custom properties `--term-1` … `--term-10` (pastels
/// as RaftScope colours terms in the light theme, deeper tones in the dark one, both
/// themed by `www/style.css`); term 0 is `--term-0`, grey.
const PALETTE: [&str; 10] = [
    "var(--term-1)",
    "var(--term-2)",
    "var(--term-3)",
    "var(--term-4)",
    "var(--term-5)",
    "var(--term-6)",
    "var(--term-7)",
    "var(--term-8)",
    "var(--term-9)",
    "var(--term-10)",
];

/// A term's colour, as a CSS value (for `style`, not an SVG presentation attribute).
pub fn term_color(term: Term) -> &'static str {
    if term == 0 {
        "var(--term-0)"
    } else {
        PALETTE[((term - 1) % PALETTE.len() as u64) as usize]
    }
}

pub fn name(id: ServerId) -> String {
    if id == 0 {
        "client".into()
    } else {
        format!("s{id}")
    }
}

/// A server's name as shown to the reader (`name` is also the hooks' word: the client,
/// id 0, is `client` there).
pub fn shown_name(id: ServerId) -> String {
    if id == 0 {
        t!("client").into()
    } else {
        format!("s{id}")
    }
}

/// `1.234 s` with fixed decimals for the clock.
pub fn clock(us: Micros) -> String {
    let s = us / 1_000_000;
    let ms = (us / 1000) % 1000;
    format!("{s}.{ms:03} s")
}

/// `191.0 ms`, `2.345 s`: short and aligned, for the feed and the timeline.
pub fn short_time(us: Micros) -> String {
    if us < 1_000_000 {
        format!("{} ms", fixed(us as f64 / 1000.0, 1))
    } else {
        format!("{} s", fixed(us as f64 / 1_000_000.0, 3))
    }
}

pub fn dur(us: Micros) -> String {
    fmt_time(us)
}

/// Trigonometry and logarithms from JavaScript's `Math` (imports) rather than Rust's libm,
/// whose code the page's wasm would otherwise carry (about 11 KB).
pub mod math {
    pub fn sin(x: f64) -> f64 {
        js_sys::Math::sin(x)
    }
    pub fn cos(x: f64) -> f64 {
        js_sys::Math::cos(x)
    }
    pub fn atan2(y: f64, x: f64) -> f64 {
        js_sys::Math::atan2(y, x)
    }
    pub fn log10(x: f64) -> f64 {
        js_sys::Math::log10(x)
    }
    pub fn pow(x: f64, y: f64) -> f64 {
        js_sys::Math::pow(x, y)
    }
}

/// Position of slot `i` of `n` on the ring of radius `r` (first at the top, clockwise).
pub fn ring_pos(i: usize, n: usize, r: f64) -> (f64, f64) {
    if n <= 1 {
        return (0.0, -r * 0.6);
    }
    let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
    (r * math::cos(a), r * math::sin(a))
}

pub fn speed_text(speed: f64) -> String {
    if speed >= 1.0 {
        format!("{}×", trim(speed, 2))
    } else {
        format!("1/{}", trim(1.0 / speed, 0))
    }
}

/// `x` with at most `decimals` decimals, without trailing zeros.
pub fn trim(x: f64, decimals: u8) -> String {
    trimmed(x, decimals).to_string()
}

/// Human text of a message kind.
pub fn kind_text(kind: &str) -> &'static str {
    match kind {
        "prevote" => t!("pre-vote request"),
        "prevote_reply" => t!("pre-vote reply"),
        "vote" => t!("vote request"),
        "vote_reply" => t!("vote reply"),
        "append" => "AppendEntries",
        "append_reply" => t!("AppendEntries reply"),
        "snapshot" => "InstallSnapshot",
        "snapshot_reply" => t!("InstallSnapshot reply"),
        "timeout_now" => "TimeoutNow",
        "client_request" => t!("client request"),
        "client_reply" => t!("client reply"),
        _ => t!("message"),
    }
}

/// A server's role as shown to the reader (`ServerRole::as_str` stays the hook's word).
pub fn role_label(role: ServerRole) -> &'static str {
    match role {
        ServerRole::Follower => t!("follower"),
        ServerRole::PreCandidate => t!("pre-candidate"),
        ServerRole::Candidate => t!("candidate"),
        ServerRole::Leader => t!("leader"),
        ServerRole::Crashed => t!("crashed"),
        ServerRole::Removed => t!("removed"),
        ServerRole::Learner => t!("learner"),
    }
}

/// A leader's replication state for a follower (`probe`, `replicate`, `snapshot`: the
/// view's words, kept as hooks) as shown to the reader.
pub fn progress_label(state: &'static str) -> &'static str {
    match state {
        "probe" => t!("probe"),
        "replicate" => t!("replicate"),
        "snapshot" => t!("snapshot"),
        other => other,
    }
}

/// Enter or Space on a focused element that is not a native button (an SVG link, server
/// or message with `role="button"`): runs `act`, as a click would, and keeps the key from
/// the page's shortcuts (Space would toggle play).
pub fn on_activate(act: impl Fn() + 'static) -> yew::Callback<web_sys::KeyboardEvent> {
    yew::Callback::from(move |e: web_sys::KeyboardEvent| {
        let k = e.key();
        if k == "Enter" || k == " " {
            e.prevent_default();
            e.stop_propagation();
            act();
        }
    })
}

/// Whether the reader asked for less motion (`prefers-reduced-motion: reduce`): messages
/// then wait at the middle of their link instead of moving along it.
pub fn reduced_motion() -> bool {
    thread_local! {
        static REDUCED: bool = gloo::utils::window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
    }
    REDUCED.with(|r| *r)
}

/// A callback that dispatches (a copy of) `a` at each event: one closure for every "on
/// this event, do that" of the page (a closure of its own at each place costs its code,
/// its vtable and its drop in the bundle).
pub fn send<E: 'static>(
    d: &yew::UseReducerDispatcher<super::state::AppState>,
    a: super::state::Action,
) -> yew::Callback<E> {
    let d = d.clone();
    yew::Callback::from(move |_| d.dispatch(a.clone()))
}
