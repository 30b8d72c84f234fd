//! Raft's safety properties, checked after every event of the simulation.
//!
//! - election safety: at most one leader per term, and one vote per server per term
//!   (across crashes);
//! - log matching: two logs holding an entry with the same index and term hold the same
//!   entry there and identical entries before it (checked as: every (index, term) pair
//!   ever seen has one command and one predecessor term);
//! - leader completeness: a new leader holds every entry committed so far;
//! - state machine safety: no two servers apply different entries at one index;
//! - committed entries never lost: a server's log never changes an entry at or below an
//!   index it has committed, and every server commits the same entry at an index;
//! - monotonic: a server's term never decreases (across crashes too); its commit and
//!   applied indexes never decrease while it runs; a restart rebuilds them from the
//!   snapshot (commitIndex is volatile).

use crate::raft::log::Log;
use crate::raft::{Entry, IdMap, Index, ServerId, Term};
use litemap::LiteMap;
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::time::Micros;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    ElectionSafety,
    LogMatching,
    LeaderCompleteness,
    StateMachineSafety,
    CommittedEntryLost,
    Monotonic,
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Property::ElectionSafety => "election safety",
            Property::LogMatching => "log matching",
            Property::LeaderCompleteness => "leader completeness",
            Property::StateMachineSafety => "state machine safety",
            Property::CommittedEntryLost => "committed entries never lost",
            Property::Monotonic => "monotonic term/commit/applied",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub property: Property,
    pub servers: Vec<ServerId>,
    pub detail: String,
    pub time_us: Micros,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "safety violation: {}: {}", self.property, self.detail)
    }
}

fn digest(e: &Entry) -> u64 {
    let mut h = DefaultHasher::new();
    e.hash(&mut h);
    h.finish()
}

#[derive(Clone, Debug, Default)]
struct Seen {
    digest: u64,
    prev_term: Term,
    server: ServerId,
}

#[derive(Clone, Debug, Default)]
struct Committed {
    term: Term,
    digest: u64,
    server: ServerId,
}

#[derive(Clone, Copy, Debug, Default)]
struct Last {
    term: Term,
    commit: Index,
    applied: Index,
}

#[derive(Clone, Debug, Default)]
pub struct Checker {
    leaders: LiteMap<Term, ServerId>,
    seen: LiteMap<(Index, Term), Seen>,
    committed: LiteMap<Index, Committed>,
    applied: LiteMap<Index, (u64, ServerId, Term)>,
    last: IdMap<Last>,
    /// The vote each server gave in each term (only the latest term is kept).
    votes: IdMap<(Term, ServerId)>,
    now: Micros,
}

type Checked = Result<(), Violation>;

impl Checker {
    pub fn set_time(&mut self, now: Micros) {
        self.now = now;
    }

    fn fail(&self, property: Property, servers: Vec<ServerId>, detail: String) -> Checked {
        Err(Violation {
            property,
            servers,
            detail,
            time_us: self.now,
        })
    }

    /// A server became leader of `term` with this log.
    pub fn became_leader(&mut self, id: ServerId, term: Term, log: &Log) -> Checked {
        if let Some(&other) = self.leaders.get(&term) {
            if other != id {
                return self.fail(
                    Property::ElectionSafety,
                    vec![other, id],
                    format!("s{other} and s{id} were both elected leader of term {term}"),
                );
            }
        }
        self.leaders.insert(term, id);
        let floor = log.snapshot().index;
        let above = match self.committed.find_index(&(floor + 1)) {
            Ok(i) | Err(i) => i,
        };
        for (&index, c) in self.committed.iter().skip(above) {
            if log.term(index) != Some(c.term) {
                return self.fail(
                    Property::LeaderCompleteness,
                    vec![id, c.server],
                    format!(
                        "s{id} became leader of term {term} without committed entry {index} (term {}, committed at s{})",
                        c.term, c.server
                    ),
                );
            }
        }
        Ok(())
    }

    /// A server's log changed from `from` on; `commit` is its commit index before the
    /// change (entries at or below it must not have changed).
    pub fn log_changed(&mut self, id: ServerId, from: Index, log: &Log) -> Checked {
        let start = from.max(log.first_index());
        for index in start..=log.last_index() {
            let e = log.entry(index).expect("in range");
            let prev_term = log.term(index - 1).unwrap_or(0);
            let d = digest(e);
            match self.seen.get(&(index, e.term)) {
                Some(s) if s.digest != d || s.prev_term != prev_term => {
                    return self.fail(
                        Property::LogMatching,
                        vec![s.server, id],
                        format!(
                            "s{} and s{id} hold different entries at index {index} in term {} ({} after term {} vs {} after term {prev_term})",
                            s.server,
                            e.term,
                            if s.digest == d { "same command".to_string() } else { "another command".to_string() },
                            s.prev_term,
                            e.data
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    self.seen.insert(
                        (index, e.term),
                        Seen {
                            digest: d,
                            prev_term,
                            server: id,
                        },
                    );
                }
            }
        }
        // Nothing at or below this server's commit index may have changed.
        let commit = self.last.get(&id).map_or(0, |l| l.commit);
        if from <= commit {
            for index in from.max(log.first_index())..=commit {
                let c = self.committed.get(&index).cloned();
                let ok = match (&c, log.entry(index)) {
                    (Some(c), Some(e)) => c.term == e.term && c.digest == digest(e),
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                if !ok {
                    return self.fail(
                        Property::CommittedEntryLost,
                        vec![id],
                        format!("s{id} changed or deleted its committed entry {index} (its commit index is {commit})"),
                    );
                }
            }
        }
        Ok(())
    }

    /// A server's commit index moved from `old` to `new`.
    pub fn commit_advanced(&mut self, id: ServerId, old: Index, new: Index, log: &Log) -> Checked {
        let start = (old + 1).max(log.first_index());
        for index in start..=new {
            let Some(e) = log.entry(index) else { continue };
            let d = digest(e);
            match self.committed.get(&index) {
                Some(c) if c.term != e.term || c.digest != d => {
                    return self.fail(
                        Property::CommittedEntryLost,
                        vec![c.server, id],
                        format!(
                            "s{id} committed {} (term {}) at index {index}, but s{} had committed another entry (term {}) there",
                            e.data, e.term, c.server, c.term
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    self.committed.insert(
                        index,
                        Committed {
                            term: e.term,
                            digest: d,
                            server: id,
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// A server applied `entry` at `index`.
    pub fn applied(&mut self, id: ServerId, index: Index, entry: &Entry) -> Checked {
        let d = digest(entry);
        match self.applied.get(&index) {
            Some(&(other, s, t)) if other != d => self.fail(
                Property::StateMachineSafety,
                vec![s, id],
                format!(
                    "s{id} applied {} (term {}) at index {index}, but s{s} applied another entry (term {t}) there",
                    entry.data, entry.term
                ),
            ),
            Some(_) => Ok(()),
            None => {
                self.applied.insert(index, (d, id, entry.term));
                Ok(())
            }
        }
    }

    /// A server's durable vote after an event: a server votes at most once per term, even
    /// across crashes (the vote is persisted before the reply).
    pub fn voted(&mut self, id: ServerId, term: Term, vote: Option<ServerId>) -> Checked {
        let Some(v) = vote else { return Ok(()) };
        match self.votes.get(&id) {
            Some(&(t, before)) if t == term && before != v => self.fail(
                Property::ElectionSafety,
                vec![id, before, v],
                format!("s{id} voted twice in term {term}: for s{before}, then for s{v}"),
            ),
            _ => {
                self.votes.insert(id, (term, v));
                Ok(())
            }
        }
    }

    /// A server's term / commit / applied after an event.
    pub fn observe(&mut self, id: ServerId, term: Term, commit: Index, applied: Index) -> Checked {
        let last = self.last.get(&id).copied().unwrap_or_default();
        let what = if term < last.term {
            Some(format!(
                "s{id}'s term went back from {} to {term}",
                last.term
            ))
        } else if commit < last.commit {
            Some(format!(
                "s{id}'s commit index went back from {} to {commit}",
                last.commit
            ))
        } else if applied < last.applied {
            Some(format!(
                "s{id}'s applied index went back from {} to {applied}",
                last.applied
            ))
        } else {
            None
        };
        self.last.insert(
            id,
            Last {
                term,
                commit,
                applied,
            },
        );
        match what {
            Some(w) => self.fail(Property::Monotonic, vec![id], w),
            None => Ok(()),
        }
    }

    /// A server restarted: its commit and applied indexes must have been rebuilt from its
    /// snapshot (they are volatile), its term kept.
    pub fn restarted(
        &mut self,
        id: ServerId,
        term: Term,
        commit: Index,
        snapshot_index: Index,
    ) -> Checked {
        let last = self.last.get(&id).copied().unwrap_or_default();
        self.last.insert(
            id,
            Last {
                term,
                commit,
                applied: commit,
            },
        );
        if term < last.term {
            return self.fail(
                Property::Monotonic,
                vec![id],
                format!(
                    "s{id} restarted with term {term}, below its term {} before the crash",
                    last.term
                ),
            );
        }
        if commit != snapshot_index {
            return self.fail(
                Property::Monotonic,
                vec![id],
                format!(
                    "s{id} restarted with commit index {commit}: a restart must rebuild it from the snapshot ({snapshot_index}), it is volatile"
                ),
            );
        }
        Ok(())
    }

    /// The leader of each term seen so far (for the page's timeline).
    pub fn leaders(&self) -> &LiteMap<Term, ServerId> {
        &self.leaders
    }

    /// Highest index known committed anywhere.
    pub fn max_committed(&self) -> Index {
        self.committed.last().map_or(0, |(&i, _)| i)
    }
}
