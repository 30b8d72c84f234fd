//! The benchmark workloads, shared by `raftlab bench` (native) and the page's
//! `raftlabBench()` hook (wasm), so that the two measure the same thing. The callers time
//! them with their own clocks.

use crate::sim::cluster::{Setup, Sim};
use crate::sim::command::Command;
use crate::sim::history::{History, CHECKPOINT_EVERY};
use crate::sim::settings::{DurationRange, Setting};

const KEYS: [&str; 5] = ["a", "b", "c", "d", "e"];

/// 5 servers with heartbeats and a client put every 20 ms of virtual time, for
/// `seconds` of virtual time. Returns the simulation (its `events` were handled).
pub fn throughput(seconds: u64) -> Sim {
    let mut sim = Sim::new(&Setup::default());
    let _ = sim.apply(Command::Set(Setting::SnapshotFactor(Some(4))));
    let end = seconds * 1_000_000;
    let mut n = 0u64;
    while sim.now < end {
        sim.run_until(sim.now + 20_000);
        n += 1;
        let _ = sim.apply(Command::Put(KEYS[(n % 5) as usize].into(), n.to_string()));
    }
    sim
}

/// A follower that falls behind and catches up, on a slow network: 5 servers, one-way
/// latency 40–60 ms (a round trip takes two heartbeat intervals), automatic snapshots, a
/// put every 20 ms; s5 is down from 2 s to 12 s (the others compact past what it has, so
/// it needs a snapshot), then up until `seconds`.
pub fn catch_up(seconds: u64) -> Sim {
    let mut sim = Sim::new(&Setup::default());
    let _ = sim.apply(Command::Set(Setting::SnapshotFactor(Some(4))));
    let _ = sim.apply(Command::Set(Setting::Latency(DurationRange {
        min: 40_000,
        max: 60_000,
    })));
    let end = seconds * 1_000_000;
    let mut n = 0u64;
    while sim.now < end {
        sim.run_until(sim.now + 20_000);
        n += 1;
        match sim.now {
            2_000_000 => drop(sim.apply(Command::Crash(5))),
            12_000_000 => drop(sim.apply(Command::Restart(5))),
            _ => {}
        }
        let _ = sim.apply(Command::Put(KEYS[(n % 5) as usize].into(), n.to_string()));
    }
    sim
}

/// Messages per committed entry: what replication costs. Returns (Raft messages sent,
/// entries committed, the sentence for a report).
pub fn message_cost(sim: &Sim) -> (u64, u64, String) {
    let sent: u64 = sim.network.sent.iter().map(|(_, n)| n).sum();
    let committed = sim
        .servers
        .iter()
        .map(|(_, s)| s.node.commit())
        .max()
        .unwrap_or(0);
    let kinds = ["append", "append_reply", "snapshot"]
        .map(|k| format!("{k} {}", sim.network.sent_count(k, None)))
        .join(", ");
    let per = crate::sim::decimal::ratio(sent * 1000 / committed.max(1), 3);
    (
        sent,
        committed,
        format!(
            "{sent} Raft messages for {committed} committed entries = {per} per entry ({kinds})"
        ),
    )
}

/// Records a run of `seconds` of virtual time (a put every 500 ms) with checkpoints, for
/// seek measurements.
pub fn recorded_run(seconds: u64) -> (Sim, History) {
    let mut sim = Sim::new(&Setup::default());
    let _ = sim.apply(Command::Set(Setting::SnapshotFactor(Some(4))));
    let mut h = History::new(sim.clone(), CHECKPOINT_EVERY);
    let end = seconds * 1_000_000;
    let mut n = 0u64;
    while sim.now < end {
        sim.run_until(sim.now + 100_000);
        h.observe(&sim);
        n += 1;
        if n.is_multiple_of(5) {
            let _ = h.apply(
                &mut sim,
                Command::Put(KEYS[(n % 5) as usize].into(), n.to_string()),
            );
        }
    }
    (sim, h)
}

/// The moments the seek benchmark visits (spread over the run, deterministic).
pub fn seek_points(run_us: u64, count: u64) -> impl Iterator<Item = u64> {
    (0..count).map(move |i| (i.wrapping_mul(7_919_000_003)) % run_us.max(1))
}
