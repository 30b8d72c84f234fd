//! The page: Yew function components drawing a `ClusterView` and sending `Command`s to
//! the `Session` (see `state.rs`). Only built for wasm32.
//!
//! - `state`: the reducer (session, playback, selection, errors, timeline bands).
//! - `app`: the root component, the animation loop (only while playing and visible),
//!   keyboard shortcuts, layout.
//! - `ring`, `logs`, `side`, `controls`, `settings`: the parts of the page.

pub mod app;
pub mod controls;
pub mod logs;
pub mod ring;
pub mod settings;
pub mod side;
pub mod state;
pub mod util;
pub mod widgets;

pub use app::{App, AppProps};
pub use state::StartConfig;

/// Reads the few start options the page knows from the URL (`?seed=7&servers=3&speed=0.5
/// &autoplay=0`); unknown or bad values keep the defaults.
pub fn config_from_url() -> StartConfig {
    let mut cfg = StartConfig::default();
    let Ok(search) = gloo::utils::window().location().search() else {
        return cfg;
    };
    let Ok(q) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return cfg;
    };
    if let Some(s) = q.get("seed").and_then(|s| s.parse().ok()) {
        cfg.seed = s;
    }
    if let Some(n) = q
        .get("servers")
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|n| (1..=9).contains(n))
    {
        cfg.servers = n;
    }
    if let Some(x) = q
        .get("speed")
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|x| x.is_finite() && *x > 0.0)
    {
        cfg.speed = x;
    }
    // A test hook: `?bug=double-vote` switches on one of the deliberate bugs of
    // `raft::bugs`, to show what the safety checker catches.
    if let Some(b) = q.get("bug") {
        use crate::raft::bugs::{set, Bug};
        let bug = match b.as_str() {
            "commit-old-term" => Some(Bug::CommitOldTerm),
            "double-vote" => Some(Bug::DoubleVote),
            "forget-vote" => Some(Bug::ForgetVote),
            "keep-commit" => Some(Bug::KeepCommit),
            "read-without-read-index" => Some(Bug::ReadWithoutReadIndex),
            "apply-retry-twice" => Some(Bug::ApplyRetryTwice),
            _ => None,
        };
        if let Some(bug) = bug {
            set(bug, true);
        }
    }
    if let Some(a) = q.get("autoplay") {
        cfg.autoplay = !matches!(a.as_str(), "0" | "false" | "off" | "no");
    }
    cfg
}

/// Mounts the page on `<body>`.
pub fn start() {
    let config = config_from_url();
    yew::Renderer::<App>::with_props(AppProps { config }).render();
}
