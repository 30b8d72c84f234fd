//! `raftlab run`: one scenario, told as it happens (`--trace`: every event).

use crate::check::load;
use raftlab::scenario::{Outcome, Stop};
use raftlab::sim::time::fmt_time;
use std::path::PathBuf;

pub fn run(file: &PathBuf, trace: bool) -> i32 {
    let mut runner = match load(file) {
        Ok(r) => r,
        Err(c) => return c,
    };
    runner.sim.trace = trace;
    runner.sim.feed_log = Some(Vec::new());
    let mut caption_line = 0;
    let mut checks = 0;
    let outcome = loop {
        let p = runner.advance(runner.sim.now.saturating_add(100_000));
        // Feed items, captions and checks in the order they happened: a caption or a
        // check comes right after the feed item that was the newest at its moment.
        let mut lines: Vec<(u64, u8, String)> = Vec::new();
        let items = runner.sim.feed_log.replace(Vec::new()).unwrap_or_default();
        for item in items {
            use raftlab::sim::feed::FeedKind::*;
            if trace || !matches!(item.kind, Message | Vote | Commit | Client | Log) {
                let who = item.server.map_or("-".to_string(), |s| format!("s{s}"));
                let text = format!("{:>10}  {who:<3} {}", fmt_time(item.time_us), item.text);
                lines.push((item.seq, 0, text));
            }
        }
        if let Some((l, text)) = &runner.script.caption {
            if *l != caption_line {
                caption_line = *l;
                let (at, seq) = runner.script.caption_at;
                lines.push((seq, 1, format!("{:>10}  --  \"{text}\"", fmt_time(at))));
            }
        }
        for c in &runner.script.checks[checks..] {
            let text = format!(
                "{:>10}  --  line {}: {} {}",
                fmt_time(c.time_us),
                c.line,
                if c.ok { "ok" } else { "FAILED" },
                c.text
            );
            lines.push((c.feed_seq, 2, text));
        }
        checks = runner.script.checks.len();
        lines.sort_by_key(|&(seq, order, _)| (seq, order));
        for (_, _, text) in lines {
            println!("{text}");
        }
        match p {
            Stop::Done(o) => break o,
            Stop::Paused(_) => runner.resume(),
            Stop::Limit => {}
        }
    };
    match outcome {
        Outcome::Pass => {
            println!("PASS {} at {}", file.display(), fmt_time(runner.sim.now));
            0
        }
        Outcome::Fail { line, message } => {
            println!("FAIL {}:{line}: {message}", file.display());
            1
        }
    }
}
