//! Small helpers shared by the components: term colours, formatting, geometry.

use crate::raft::{ServerId, Term};
use crate::sim::cluster::fmt_time;
use crate::sim::Micros;

/// Term colours (ColorBrewer Set3-like pastels, as RaftScope colours terms); term 0 is grey.
const PALETTE: [&str; 10] = [
    "#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#ffed6f",
    "#bc80bd", "#ccebc5",
];

pub fn term_color(term: Term) -> &'static str {
    if term == 0 {
        "#e5e7eb"
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

/// `1.234 s` with fixed decimals for the clock.
pub fn clock(us: Micros) -> String {
    let s = us / 1_000_000;
    let ms = (us / 1000) % 1000;
    format!("{s}.{ms:03} s")
}

/// `191.0 ms`, `2.345 s`: short and aligned, for the feed and the timeline.
pub fn short_time(us: Micros) -> String {
    if us < 1_000_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else {
        format!("{:.3} s", us as f64 / 1_000_000.0)
    }
}

pub fn dur(us: Micros) -> String {
    fmt_time(us)
}

/// Position of slot `i` of `n` on the ring of radius `r` (first at the top, clockwise).
pub fn ring_pos(i: usize, n: usize, r: f64) -> (f64, f64) {
    if n <= 1 {
        return (0.0, -r * 0.6);
    }
    let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
    (r * a.cos(), r * a.sin())
}

pub fn speed_text(speed: f64) -> String {
    if speed >= 1.0 {
        format!("{}×", trim(speed, 2))
    } else {
        format!("1/{}", trim(1.0 / speed, 0))
    }
}

pub fn trim(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The feed's "setting changed: Loss(20.0)" (the model's debug text) in the scenario
/// format's words: "setting changed: set loss 20%".
pub fn pretty_feed(text: &str) -> String {
    let Some(rest) = text.strip_prefix("setting changed: ") else {
        return text.to_string();
    };
    let nums: Vec<u64> = rest
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter_map(|w| w.split('.').next().and_then(|x| x.parse().ok()))
        .collect();
    let num = |i: usize| nums.get(i).copied().unwrap_or(0);
    let d = crate::sim::cluster::fmt_duration;
    let on = |b: bool| if b { "on" } else { "off" };
    let word = rest.split('(').next().unwrap_or("");
    let pct = || {
        let inner = rest
            .trim_start_matches(word)
            .trim_matches(|c| c == '(' || c == ')');
        format!("{}%", inner.trim_end_matches(".0"))
    };
    let set = match word {
        "ElectionTimeout" => format!("election-timeout {}..{}", d(num(0)), d(num(1))),
        "Latency" => format!("latency {}..{}", d(num(0)), d(num(1))),
        "Heartbeat" => format!("heartbeat {}", d(num(0))),
        "ClientTimeout" => format!("client-timeout {}", d(num(0))),
        "Loss" => format!("loss {}", pct()),
        "Duplicate" => format!("duplicate {}", pct()),
        "Prevote" => format!("prevote {}", on(rest.contains("true"))),
        "CheckQuorum" => format!("check-quorum {}", on(rest.contains("true"))),
        "SnapshotFactor" if rest.contains("None") => "snapshot-factor off".to_string(),
        "SnapshotFactor" => format!("snapshot-factor {}", num(0)),
        _ => return text.to_string(),
    };
    format!("setting changed: set {set}")
}

/// Human text of a message kind.
pub fn kind_text(kind: &str) -> &'static str {
    match kind {
        "prevote" => "pre-vote request",
        "prevote_reply" => "pre-vote reply",
        "vote" => "vote request",
        "vote_reply" => "vote reply",
        "append" => "AppendEntries",
        "append_reply" => "AppendEntries reply",
        "snapshot" => "InstallSnapshot",
        "snapshot_reply" => "InstallSnapshot reply",
        "timeout_now" => "TimeoutNow",
        "client_request" => "client request",
        "client_reply" => "client reply",
        _ => "message",
    }
}
