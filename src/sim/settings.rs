//! The world's settings: timing, network faults, features. `set` lines and the page's
//! sliders change them through [`Setting`].

use crate::raft::{Options, ReadMode, ServerId};

use super::error::SimError;
use super::time::{Micros, MS};

/// An inclusive range of durations, `150ms..300ms` (a single duration `d` is `d..d`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationRange {
    pub min: Micros,
    pub max: Micros,
}

/// A `set` line.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    ElectionTimeout(DurationRange),
    Heartbeat(Micros),
    Latency(DurationRange),
    /// Probability in percent, 0.0..=100.0.
    Loss(f64),
    Duplicate(f64),
    Prevote(bool),
    CheckQuorum(bool),
    ClientTimeout(Micros),
    /// `None` = `off`.
    SnapshotFactor(Option<u32>),
    /// Most entries in one AppendEntries (an extension).
    MaxEntries(u32),
    /// Most appends in flight to one follower (an extension).
    MaxInflight(u32),
    /// How long a leader waits for the answer to a snapshot, or to the oldest append in
    /// flight, before it takes it as lost and probes again (an extension).
    RetryTimeout(Micros),
    /// How leaders answer reads.
    ReadMode(ReadMode),
    /// A server's clock rate in thousandths: 1500 = its timers run 1.5 times as fast as
    /// real time (a timer of 150 ms fires after 100 ms).
    Drift(ServerId, u32),
}

/// Clock rates a server may have, in thousandths (0.1 to 10).
pub const DRIFT_RANGE: std::ops::RangeInclusive<u32> = 100..=10_000;

/// A read lease lasts this fraction (in thousandths) of the minimum election timeout, as
/// measured by the leader's clock: clock rates may differ by a factor up to 1000/800 =
/// 1.25 (a follower's clock that much faster than the leader's) and a lease still ends
/// before any follower that acknowledged it may vote for another leader.
pub const LEASE_PERMILLE: u64 = 800;

/// Everything that can be set with `set` lines or the page's sliders.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Settings {
    pub election_min: Micros,
    pub election_max: Micros,
    pub heartbeat: Micros,
    pub latency_min: Micros,
    pub latency_max: Micros,
    /// Percent, 0..=100.
    pub loss: f64,
    pub duplicate: f64,
    pub prevote: bool,
    pub check_quorum: bool,
    pub client_timeout: Micros,
    pub snapshot_factor: Option<u32>,
    pub max_entries: u32,
    pub max_inflight: u32,
    pub retry_timeout: Micros,
    pub read_mode: ReadMode,
    /// Each server's clock rate in thousandths (index: server id; 1000 = exact).
    pub drift: [u32; 10],
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            election_min: 150 * MS,
            election_max: 300 * MS,
            heartbeat: 50 * MS,
            latency_min: 5 * MS,
            latency_max: 15 * MS,
            loss: 0.0,
            duplicate: 0.0,
            prevote: false,
            check_quorum: false,
            client_timeout: 500 * MS,
            snapshot_factor: None,
            max_entries: 64,
            max_inflight: 256,
            retry_timeout: 300 * MS,
            read_mode: ReadMode::ReadIndex,
            drift: [1000; 10],
        }
    }
}

impl Settings {
    /// `after` as measured by server `id`'s clock, in real time.
    pub fn on_clock_of(&self, id: ServerId, after: Micros) -> Micros {
        match self.drift.get(usize::from(id)) {
            Some(&d) if d != 1000 => after * 1000 / u64::from(d),
            _ => after,
        }
    }

    pub fn options(&self) -> Options {
        Options {
            prevote: self.prevote,
            check_quorum: self.check_quorum,
            snapshot_factor: self.snapshot_factor,
            max_entries: self.max_entries as usize,
            max_inflight: self.max_inflight as usize,
            // Counted in heartbeat rounds, rounded up.
            retry_rounds: self.retry_timeout.div_ceil(self.heartbeat.max(1)).max(1),
            read_mode: self.read_mode,
        }
    }

    /// Applies one setting, refusing values out of range.
    pub fn set(&mut self, s: &Setting) -> Result<(), SimError> {
        let pct = |p: f64, what: &str| {
            if (0.0..=100.0).contains(&p) {
                Ok(p)
            } else {
                Err(SimError(crate::t!(
                    "{what} {value}% is out of range 0%..100%",
                    what = what,
                    value = crate::sim::decimal::trimmed(p, 9)
                )))
            }
        };
        let in_range = |n: u32, what: &str| {
            if (1..=1000).contains(&n) {
                Ok(n)
            } else {
                Err(SimError(crate::t!(
                    "{what} {n} is out of range 1..1000",
                    what = what,
                    n = n
                )))
            }
        };
        match s {
            Setting::ElectionTimeout(r) => {
                if r.min == 0 || r.min > r.max {
                    return Err(SimError(crate::t!(
                        "election timeout {min}..{max} µs is not a valid range (0 < min ≤ max)",
                        min = r.min,
                        max = r.max
                    )));
                }
                self.election_min = r.min;
                self.election_max = r.max;
            }
            Setting::Heartbeat(h) => {
                if *h == 0 {
                    return Err(SimError(crate::t!("heartbeat must be positive").into()));
                }
                self.heartbeat = *h;
            }
            Setting::Latency(r) => {
                if r.min > r.max {
                    return Err(SimError(crate::t!("latency range has min > max").into()));
                }
                self.latency_min = r.min;
                self.latency_max = r.max;
            }
            Setting::Loss(p) => self.loss = pct(*p, "loss")?,
            Setting::Duplicate(p) => self.duplicate = pct(*p, "duplicate")?,
            Setting::Prevote(b) => self.prevote = *b,
            Setting::CheckQuorum(b) => self.check_quorum = *b,
            Setting::ClientTimeout(t) => {
                if *t == 0 {
                    return Err(SimError(
                        crate::t!("client timeout must be positive").into(),
                    ));
                }
                self.client_timeout = *t;
            }
            Setting::SnapshotFactor(f) => {
                if *f == Some(0) {
                    return Err(SimError(
                        crate::t!("snapshot factor must be at least 1").into(),
                    ));
                }
                self.snapshot_factor = *f;
            }
            Setting::MaxEntries(n) => self.max_entries = in_range(*n, "max-entries")?,
            Setting::MaxInflight(n) => self.max_inflight = in_range(*n, "max-inflight")?,
            Setting::RetryTimeout(t) => {
                if *t == 0 {
                    return Err(SimError(crate::t!("retry timeout must be positive").into()));
                }
                self.retry_timeout = *t;
            }
            Setting::ReadMode(m) => self.read_mode = *m,
            Setting::Drift(id, d) => {
                if !(1..=9).contains(id) {
                    return Err(SimError(crate::t!(
                        "s{id}: servers are named s1..s9",
                        id = id
                    )));
                }
                if !DRIFT_RANGE.contains(d) {
                    return Err(SimError(crate::t!(
                        "drift {value} is out of range 0.1..10",
                        value = crate::sim::decimal::ratio(u64::from(*d), 3)
                    )));
                }
                self.drift[usize::from(*id)] = *d;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cluster::{Setup, Sim};
    use crate::sim::command::Command;

    #[test]
    fn drift_scales_a_servers_timers_and_only_its_own() {
        let mut s = Settings::default();
        s.set(&Setting::Drift(3, 1500)).unwrap();
        assert_eq!(s.on_clock_of(3, 150 * MS), 100 * MS, "fast: fires sooner");
        assert_eq!(s.on_clock_of(2, 150 * MS), 150 * MS);
        s.set(&Setting::Drift(3, 500)).unwrap();
        assert_eq!(s.on_clock_of(3, 150 * MS), 300 * MS, "slow: fires later");
        assert!(s.set(&Setting::Drift(3, 20_000)).is_err());
        assert!(s.set(&Setting::Drift(0, 1000)).is_err());
        // In the simulator: s1 leads with a clock twice as fast, so its heartbeat timer
        // (50 ms on its clock) is due 25 ms after it is set.
        let mut sim = Sim::new(&Setup {
            servers: 3,
            ..Setup::default()
        });
        sim.apply(Command::Set(Setting::Drift(1, 2000))).unwrap();
        sim.apply(Command::Timeout(1)).unwrap();
        sim.run_until(100 * MS);
        let t = sim.servers[&1].timers[&crate::raft::Timer::Heartbeat];
        assert_eq!(t.due_us - t.start_us, 25 * MS);
        let e = sim.servers[&2].timers[&crate::raft::Timer::Election];
        assert!(e.due_us - e.start_us >= 150 * MS, "s2's clock is exact");
    }
}
