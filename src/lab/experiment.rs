//! The Raft paper's election-timing experiment (Figure 16): in each trial a stable
//! cluster's leader crashes at a random moment within its heartbeat interval, and the time
//! until a new leader is elected is measured. Runs natively (`raftlab experiment
//! elections`) and in the page (the Experiments panel).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::raft::Role;
use crate::sim::cluster::{Setup, Sim};
use crate::sim::command::Command;
use crate::sim::settings::Settings;
use crate::sim::time::Micros;
use crate::sim::time::{MS, SECOND};

/// A trial is stopped after this long without a new leader.
pub const TRIAL_LIMIT: Micros = 10 * SECOND;

#[derive(Clone, Debug, PartialEq)]
pub struct ElectionExperiment {
    pub trials: u32,
    pub servers: u8,
    pub election_min: Micros,
    pub election_max: Micros,
    pub latency_min: Micros,
    pub latency_max: Micros,
    /// Heartbeat interval; `None`: half the minimum election timeout, as in the paper.
    pub heartbeat: Option<Micros>,
    pub seed: u64,
}

impl Default for ElectionExperiment {
    fn default() -> Self {
        ElectionExperiment {
            trials: 1000,
            servers: 5,
            election_min: 150 * MS,
            election_max: 300 * MS,
            latency_min: 5 * MS,
            latency_max: 15 * MS,
            heartbeat: None,
            seed: 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElectionStats {
    pub trials: u32,
    pub mean_ms: f64,
    pub median_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub over_10s: u32,
    /// Every trial's time to a new leader in ms, sorted (trials over the limit count as
    /// the limit), for the cumulative distribution.
    #[serde(skip)]
    pub sorted_ms: Vec<f64>,
}

impl ElectionExperiment {
    pub fn settings(&self) -> Settings {
        Settings {
            election_min: self.election_min,
            election_max: self.election_max,
            heartbeat: self.heartbeat.unwrap_or(self.election_min / 2).max(1),
            latency_min: self.latency_min,
            latency_max: self.latency_max,
            ..Settings::default()
        }
    }

    /// One trial: µs from the leader's crash to the next leader's election (None: no
    /// leader within the limit).
    pub fn trial(&self, index: u32) -> Option<Micros> {
        let seed = self
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add(u64::from(index));
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xE1EC_7104);
        let mut sim = Sim::new(&Setup {
            servers: self.servers,
            seed,
            settings: self.settings(),
            states: Vec::new(),
        });
        // A stable cluster: a leader, then a while of heartbeats.
        let settle = sim.now + TRIAL_LIMIT;
        while sim.leader().is_none() && sim.now < settle {
            sim.run_instant()?;
        }
        let leader = sim.leader()?;
        let stable = sim.now + rng.random_range(SECOND / 2..=SECOND);
        sim.run_until(stable);
        let leader = sim.leader().unwrap_or(leader);
        let old_term = sim.servers[&leader].node.term();
        // Crash it at a uniformly random moment within its heartbeat interval.
        let hb = sim.settings.heartbeat;
        let crash_at = sim.now + rng.random_range(0..hb.max(1));
        sim.run_until(crash_at);
        let leader = sim.leader().unwrap_or(leader);
        sim.apply(Command::Crash(leader)).ok()?;
        let start = sim.now;
        let limit = start + TRIAL_LIMIT;
        loop {
            let t = sim.next_event_time()?;
            if t > limit {
                return None;
            }
            sim.run_instant();
            let elected = sim
                .servers
                .values()
                .any(|s| s.up() && s.node.role() == Role::Leader && s.node.term() > old_term);
            if elected {
                return Some(sim.now - start);
            }
        }
    }

    pub fn run(&self) -> ElectionStats {
        let mut ms: Vec<f64> = Vec::with_capacity(self.trials as usize);
        let mut over = 0;
        for i in 0..self.trials {
            match self.trial(i) {
                Some(us) => ms.push(us as f64 / 1000.0),
                None => {
                    over += 1;
                    ms.push(TRIAL_LIMIT as f64 / 1000.0);
                }
            }
        }
        stats(ms, over)
    }
}

pub fn stats(mut ms: Vec<f64>, over_10s: u32) -> ElectionStats {
    ms.sort_unstable_by(|a, b| a.total_cmp(b));
    let n = ms.len();
    let q = |p: f64| -> f64 {
        if n == 0 {
            0.0
        } else {
            ms[(((n as f64) * p).ceil() as usize).clamp(1, n) - 1]
        }
    };
    ElectionStats {
        trials: n as u32,
        mean_ms: if n == 0 {
            0.0
        } else {
            ms.iter().sum::<f64>() / n as f64
        },
        median_ms: q(0.5),
        p99_ms: q(0.99),
        max_ms: ms.last().copied().unwrap_or(0.0),
        over_10s,
        sorted_ms: ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn randomized_timeouts_elect_quickly() {
        let e = ElectionExperiment {
            trials: 60,
            ..ElectionExperiment::default()
        };
        let s = e.run();
        assert_eq!(s.trials, 60);
        assert_eq!(s.over_10s, 0);
        // A new leader needs at least one election timeout after the last heartbeat.
        assert!(s.sorted_ms[0] >= 75.0, "{:?}", &s.sorted_ms[..3]);
        assert!(s.median_ms < 600.0, "median {}", s.median_ms);
        assert_eq!(e.run(), s, "deterministic by seed");
    }

    #[test]
    fn identical_timeouts_split_votes() {
        let e = ElectionExperiment {
            trials: 40,
            election_min: 150 * MS,
            election_max: 150 * MS,
            ..ElectionExperiment::default()
        };
        let fixed = e.run();
        let spread = ElectionExperiment {
            trials: 40,
            election_max: 300 * MS,
            ..e.clone()
        }
        .run();
        assert!(
            fixed.mean_ms > 2.0 * spread.mean_ms,
            "150-150 mean {} vs 150-300 mean {}",
            fixed.mean_ms,
            spread.mean_ms
        );
    }
}
