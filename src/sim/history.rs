//! Time travel: the inputs of a run with the moments they were given, and periodic
//! checkpoints of the whole `Sim`, so that any earlier moment can be rebuilt quickly
//! (restore the nearest earlier checkpoint, replay inputs and events up to the moment).

use super::cluster::Sim;
use super::command::Command;
use super::error::SimError;
use super::time::Micros;

/// Most checkpoints kept (then they are thinned out).
/// Virtual time between checkpoints.
pub const CHECKPOINT_EVERY: Micros = 1_000_000;
pub const MAX_CHECKPOINTS: usize = 256;

/// One input: applied when the simulation had handled `events` events at time `time_us`.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub time_us: Micros,
    pub events: u64,
    pub command: Command,
}

#[derive(Clone, Debug)]
pub struct History {
    initial: Sim,
    pub inputs: Vec<Recorded>,
    /// Snapshots of the run, each with the number of inputs already applied in it.
    checkpoints: Vec<(Sim, usize)>,
    /// Virtual time between checkpoints.
    pub every_us: Micros,
    /// The latest moment reached (the end of the recorded run).
    pub end_us: Micros,
}

impl History {
    pub fn new(initial: Sim, every_us: Micros) -> History {
        History {
            checkpoints: vec![(initial.clone(), 0)],
            end_us: initial.now,
            initial,
            inputs: Vec::new(),
            every_us: every_us.max(1),
        }
    }

    pub fn initial(&self) -> &Sim {
        &self.initial
    }

    /// Applies a command to `sim` and records it (a failed command is not recorded).
    pub fn apply(&mut self, sim: &mut Sim, command: Command) -> Result<(), SimError> {
        sim.apply(command.clone())?;
        self.inputs.push(Recorded {
            time_us: sim.now,
            events: sim.events,
            command,
        });
        Ok(())
    }

    /// Call after `sim` advanced: takes checkpoints due since the last one.
    pub fn observe(&mut self, sim: &Sim) {
        self.end_us = self.end_us.max(sim.now);
        let last = self.checkpoints.last().map_or(0, |c| c.0.now);
        if sim.now >= last + self.every_us {
            self.checkpoints
                .push((sim.clone_for_history(), self.inputs.len()));
            if self.checkpoints.len() > MAX_CHECKPOINTS {
                // Keep memory bounded on long runs: every other checkpoint goes, and they
                // are taken half as often from now on.
                let mut i = 0;
                self.checkpoints.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.every_us *= 2;
            }
        }
    }

    /// Rebuilds the state at virtual time `t`: after every event at or before `t` and every
    /// input given before `t` (inputs given at `t` itself come after the moment shown).
    pub fn seek(&self, t: Micros) -> Sim {
        let (cp, done) = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.0.now <= t)
            .map_or((&self.initial, 0), |(s, n)| (s, *n));
        let mut sim = cp.clone();
        for r in self.inputs[done..].iter().take_while(|r| r.time_us < t) {
            // Handle the events that came before this input, then give it.
            while sim.events < r.events && sim.next_event_time().is_some_and(|nt| nt <= r.time_us) {
                sim.step();
            }
            sim.skip_to(r.time_us);
            let _ = sim.apply(r.command.clone());
        }
        sim.run_until(t.max(sim.now));
        sim
    }

    /// Forgets everything from time `t` on (resume from an earlier moment: a new future).
    pub fn truncate(&mut self, t: Micros) {
        self.inputs.retain(|r| r.time_us < t);
        let kept = self.inputs.len();
        self.checkpoints.retain(|c| c.0.now <= t && c.1 <= kept);
        if self.checkpoints.is_empty() {
            self.checkpoints.push((self.initial.clone(), 0));
        }
        self.end_us = t;
    }
}
