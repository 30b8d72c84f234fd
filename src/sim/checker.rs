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
//!   snapshot (commitIndex is volatile);
//! - state machine digest: a server's state machine (keys, values, dedup table) at its
//!   applied index equals the reference state: the committed entries applied in order
//!   from an empty state (checked whenever its applied index moves, after every event);
//! - snapshot contents: a snapshot (taken or installed) holds the reference state at its
//!   index;
//! - active configuration: a server's configuration in effect is the latest
//!   configuration entry of its log (or its snapshot's), also after a truncation;
//! - leader progress: in a leader's term, its matchIndex for a follower in the same term
//!   never exceeds the prefix of the follower's log that matches the leader's;
//! - pre-vote: with pre-vote on, a server that cannot reach a majority of its
//!   configuration (partitions, cuts, isolation, crashed servers; unchanged for a whole
//!   election timeout, so every grant it counted came under this topology) never raises
//!   its own term (a leadership-transfer campaign skips pre-vote and is exempt);
//! - check-quorum: with check-quorum on, a leader that cannot reach a majority steps
//!   down within two maximum election timeouts (of an unchanged topology; a pending
//!   leadership transfer holds it one more timeout, as in etcd).

use crate::raft::kv::KvState;
use crate::raft::log::Log;
use crate::raft::{Configuration, Entry, IdMap, Index, ServerId, Term};
use crate::t;
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
    StateDigest,
    SnapshotContents,
    ActiveConfiguration,
    LeaderProgress,
    PreVote,
    CheckQuorum,
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
            Property::StateDigest => "state machine digest",
            Property::SnapshotContents => "snapshot contents",
            Property::ActiveConfiguration => "active configuration",
            Property::LeaderProgress => "leader progress",
            Property::PreVote => "pre-vote",
            Property::CheckQuorum => "check-quorum",
        })
    }
}

impl Property {
    /// The property's name as the page shows it, in the page's language (`Display` is
    /// the English name of traces and of the host page's `violation` event; the `.raft`
    /// word is `scenario::parse::condition`'s).
    pub fn label(self) -> &'static str {
        match self {
            Property::ElectionSafety => t!("election safety"),
            Property::LogMatching => t!("log matching"),
            Property::LeaderCompleteness => t!("leader completeness"),
            Property::StateMachineSafety => t!("state machine safety"),
            Property::CommittedEntryLost => t!("committed entries never lost"),
            Property::Monotonic => t!("monotonic term/commit/applied"),
            Property::StateDigest => t!("state machine digest"),
            Property::SnapshotContents => t!("snapshot contents"),
            Property::ActiveConfiguration => t!("active configuration"),
            Property::LeaderProgress => t!("leader progress"),
            Property::PreVote => t!("pre-vote"),
            Property::CheckQuorum => t!("check-quorum"),
        }
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

impl Violation {
    /// The event feed's sentence, in the page's language (natively what `Display` gives).
    pub fn text(&self) -> String {
        t!(
            "safety violation: {property}: {detail}",
            property = self.property.label(),
            detail = self.detail
        )
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
    /// The reference state machine: the committed entries applied in order (up to
    /// `digests`' last index), and its digest after each index.
    reference: KvState,
    digests: LiteMap<Index, u64>,
    /// Each server's snapshot index when last checked.
    snapshots: IdMap<Index>,
    /// Each server's latest configuration entry index when last checked.
    configs: IdMap<Index>,
    /// A leader (with its term) that cannot reach a majority, since when.
    cut_off: IdMap<(Term, Micros)>,
    now: Micros,
}

/// A digest of a state machine: keys, values and the dedup table.
pub fn state_digest(kv: &KvState) -> u64 {
    let mut h = DefaultHasher::new();
    for (k, v) in kv.data.iter() {
        (k, v).hash(&mut h);
    }
    0xdedu16.hash(&mut h);
    for (c, r) in kv.dedup.iter() {
        (c, r).hash(&mut h);
    }
    h.finish()
}

/// The latest configuration entry of the log (else the snapshot's), read from the log
/// itself. `known` is where it was when last checked: if that is still in the log below
/// `from` (the first changed index), only the entries from `from` on are read.
fn scan_config(log: &Log, from: Index, known: Option<Index>) -> (Index, Configuration) {
    let snap = log.snapshot();
    let config_of = |i: Index| log.entry(i).and_then(|e| Configuration::of_entry(&e.data));
    let hint = known.filter(|&k| k >= snap.index && k < from);
    let floor = hint.map_or(log.first_index(), |_| from.max(log.first_index()));
    for i in (floor..=log.last_index()).rev() {
        if let Some(c) = config_of(i) {
            return (i, c);
        }
    }
    match hint {
        Some(k) if k > snap.index => match config_of(k) {
            Some(c) => (k, c),
            None => scan_config(log, 0, None),
        },
        _ => (snap.index, snap.config.clone()),
    }
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
                    t!(
                        "s{other} and s{id} were both elected leader of term {term}",
                        other = other,
                        id = id,
                        term = term
                    ),
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
                    t!(
                        "s{id} became leader of term {term} without committed entry {index} (term {entry_term}, committed at s{server})",
                        id = id,
                        term = term,
                        index = index,
                        entry_term = c.term,
                        server = c.server
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
                        t!(
                            "s{other} and s{id} hold different entries at index {index} in term {term} ({what} after term {other_prev} vs {data} after term {prev_term})",
                            other = s.server,
                            id = id,
                            index = index,
                            term = e.term,
                            what = if s.digest == d { t!("same command") } else { t!("another command") },
                            other_prev = s.prev_term,
                            data = e.data,
                            prev_term = prev_term
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
                        t!(
                            "s{id} changed or deleted its committed entry {index} (its commit index is {commit})",
                            id = id,
                            index = index,
                            commit = commit
                        ),
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
                        t!(
                            "s{id} committed {data} (term {term}) at index {index}, but s{other} had committed another entry (term {other_term}) there",
                            id = id,
                            data = e.data,
                            term = e.term,
                            index = index,
                            other = c.server,
                            other_term = c.term
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
                t!(
                    "s{id} applied {data} (term {term}) at index {index}, but s{s} applied another entry (term {t}) there",
                    id = id,
                    data = entry.data,
                    term = entry.term,
                    index = index,
                    s = s,
                    t = t
                ),
            ),
            Some(_) => Ok(()),
            None => {
                self.applied.insert(index, (d, id, entry.term));
                let next = self.digests.last().map_or(1, |(&i, _)| i + 1);
                if index == next {
                    if next == 1 {
                        self.digests.insert(0, state_digest(&self.reference));
                    }
                    self.reference.apply(&entry.data);
                    self.digests.insert(index, state_digest(&self.reference));
                }
                Ok(())
            }
        }
    }

    fn reference_at(&mut self, index: Index) -> Option<u64> {
        if self.digests.is_empty() {
            self.digests.insert(0, state_digest(&self.reference));
        }
        self.digests.get(&index).copied()
    }

    /// A server's state machine after an event in which its applied index moved (or it
    /// restarted): it must equal the reference state at that index.
    pub fn state(&mut self, id: ServerId, applied: Index, kv: &KvState) -> Checked {
        match self.reference_at(applied) {
            Some(d) if d != state_digest(kv) => self.fail(
                Property::StateDigest,
                vec![id],
                t!(
                    "s{id}'s state machine at applied index {applied} ({keys} keys, dedup {dedup}) differs from applying the committed log up to {applied}",
                    id = id,
                    applied = applied,
                    keys = kv.data.len(),
                    dedup = format!("{:?}", kv.dedup.iter().collect::<Vec<_>>())
                ),
            ),
            _ => Ok(()),
        }
    }

    /// A server's snapshot after an event: when it moved, it must hold the reference
    /// state at its index.
    pub fn snapshot(&mut self, id: ServerId, log: &Log) -> Checked {
        let snap = log.snapshot();
        if self.snapshots.get(&id) == Some(&snap.index) {
            return Ok(());
        }
        self.snapshots.insert(id, snap.index);
        match self.reference_at(snap.index) {
            Some(d) if d != state_digest(&snap.state) => self.fail(
                Property::SnapshotContents,
                vec![id],
                t!(
                    "s{id}'s snapshot at index {index} ({keys} keys, dedup {dedup}) is not the state of the committed log up to {index}",
                    id = id,
                    index = snap.index,
                    keys = snap.state.data.len(),
                    dedup = format!("{:?}", snap.state.dedup.iter().collect::<Vec<_>>())
                ),
            ),
            _ => Ok(()),
        }
    }

    /// A server's log changed from `from` on: its active configuration must be the
    /// latest configuration entry of the log (or the snapshot's).
    pub fn configuration(
        &mut self,
        id: ServerId,
        from: Index,
        log: &Log,
        active: &Configuration,
    ) -> Checked {
        let (index, expected) = scan_config(log, from, self.configs.get(&id).copied());
        self.configs.insert(id, index);
        if &expected != active {
            return self.fail(
                Property::ActiveConfiguration,
                vec![id],
                t!(
                    "s{id}'s active configuration is {active}, but the latest configuration in its log is {expected} (index {index})",
                    id = id,
                    active = active,
                    expected = expected,
                    index = index
                ),
            );
        }
        Ok(())
    }

    /// Leader `leader`'s matchIndex `matched` for `follower`, both in the same term:
    /// the follower's log must match the leader's up to there.
    pub fn progress(
        &mut self,
        leader: ServerId,
        term: Term,
        follower: ServerId,
        matched: Index,
        leader_log: &Log,
        follower_log: &Log,
    ) -> Checked {
        if matched <= follower_log.snapshot().index {
            return Ok(());
        }
        let theirs = follower_log.term(matched);
        let ok = match leader_log.term(matched) {
            Some(t) => theirs == Some(t),
            None => theirs.is_some(),
        };
        if ok {
            return Ok(());
        }
        self.fail(
            Property::LeaderProgress,
            vec![leader, follower],
            match theirs {
                Some(t) => t!(
                    "s{leader} (leader of term {term}) has matchIndex {matched} for s{follower}, whose log ({entries} entries) holds term {t} there",
                    leader = leader,
                    term = term,
                    matched = matched,
                    follower = follower,
                    entries = follower_log.last_index(),
                    t = t
                ),
                None => t!(
                    "s{leader} (leader of term {term}) has matchIndex {matched} for s{follower}, whose log ({entries} entries) has no entry there",
                    leader = leader,
                    term = term,
                    matched = matched,
                    follower = follower,
                    entries = follower_log.last_index()
                ),
            },
        )
    }

    /// With pre-vote on, a server raised its own term (it campaigned) while it could not
    /// reach a majority of its configuration.
    pub fn raised_term_alone(&mut self, id: ServerId, from: Term, to: Term) -> Checked {
        self.fail(
            Property::PreVote,
            vec![id],
            t!(
                "s{id} raised its term from {from} to {to} while it could not reach a majority",
                id = id,
                from = from,
                to = to
            ),
        )
    }

    /// With check-quorum on: a leader after an event, and whether it reaches a majority;
    /// the time limit counts from when it lost contact, or from the last change of the
    /// topology (`settled`) if later: a round of check-quorum may count answers from
    /// servers reachable at different moments of it.
    pub fn leader_reach(
        &mut self,
        id: ServerId,
        term: Term,
        reaches: bool,
        settled: Micros,
        limit: Micros,
    ) -> Checked {
        if reaches {
            self.cut_off.remove(&id);
            return Ok(());
        }
        let since = match self.cut_off.get(&id) {
            Some(&(t, since)) if t == term => since,
            _ => {
                self.cut_off.insert(id, (term, self.now));
                self.now
            }
        };
        let since = since.max(settled);
        if self.now - since > limit {
            return self.fail(
                Property::CheckQuorum,
                vec![id],
                t!(
                    "s{id} is still leader of term {term} {duration} after it lost contact with a majority",
                    id = id,
                    term = term,
                    duration = crate::sim::time::fmt_duration(self.now - since)
                ),
            );
        }
        Ok(())
    }

    /// A server is no longer a leader (or not up).
    pub fn not_leader(&mut self, id: ServerId) {
        self.cut_off.remove(&id);
    }

    /// A server's durable vote after an event: a server votes at most once per term, even
    /// across crashes (the vote is persisted before the reply).
    pub fn voted(&mut self, id: ServerId, term: Term, vote: Option<ServerId>) -> Checked {
        let Some(v) = vote else { return Ok(()) };
        match self.votes.get(&id) {
            Some(&(t, before)) if t == term && before != v => self.fail(
                Property::ElectionSafety,
                vec![id, before, v],
                t!(
                    "s{id} voted twice in term {term}: for s{before}, then for s{v}",
                    id = id,
                    term = term,
                    before = before,
                    v = v
                ),
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
            Some(t!(
                "s{id}'s term went back from {before} to {term}",
                id = id,
                before = last.term,
                term = term
            ))
        } else if commit < last.commit {
            Some(t!(
                "s{id}'s commit index went back from {before} to {commit}",
                id = id,
                before = last.commit,
                commit = commit
            ))
        } else if applied < last.applied {
            Some(t!(
                "s{id}'s applied index went back from {before} to {applied}",
                id = id,
                before = last.applied,
                applied = applied
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
                t!(
                    "s{id} restarted with term {term}, below its term {before} before the crash",
                    id = id,
                    term = term,
                    before = last.term
                ),
            );
        }
        if commit != snapshot_index {
            return self.fail(
                Property::Monotonic,
                vec![id],
                t!(
                    "s{id} restarted with commit index {commit}: a restart must rebuild it from the snapshot ({snapshot_index}), it is volatile",
                    id = id,
                    commit = commit,
                    snapshot_index = snapshot_index
                ),
            );
        }
        Ok(())
    }

    /// The index of a server's latest configuration entry when last checked.
    pub fn config_index(&self, id: ServerId) -> Index {
        self.configs.get(&id).copied().unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::EntryData;

    fn put(term: Term, request: u64, key: &str, value: &str) -> Entry {
        Entry {
            term,
            data: EntryData::Put {
                client: 1,
                request,
                key: key.into(),
                value: value.into(),
            },
        }
    }

    fn config_entry(term: Term, voters: &[ServerId]) -> Entry {
        Entry {
            term,
            data: Configuration::new(voters.iter().copied()).to_command(),
        }
    }

    /// A checker that has seen x=1 (index 1) and x=2 (index 2) applied.
    fn applied_two() -> (Checker, KvState) {
        let mut c = Checker::default();
        let mut kv = KvState::default();
        for (i, e) in [put(1, 1, "x", "1"), put(1, 2, "x", "2")]
            .iter()
            .enumerate()
        {
            c.applied(1, i as Index + 1, e).unwrap();
            kv.apply(&e.data);
        }
        (c, kv)
    }

    fn property(r: Checked) -> Property {
        r.expect_err("a violation").property
    }

    #[test]
    fn a_state_machine_that_differs_from_the_committed_log_is_caught() {
        let (mut c, kv) = applied_two();
        assert!(c.state(2, 2, &kv).is_ok());
        // Kept its old state (x=1) at applied index 2, as after a snapshot install
        // that forgot the state machine.
        let mut stale = KvState::default();
        stale.apply(&put(1, 1, "x", "1").data);
        assert_eq!(property(c.state(2, 2, &stale)), Property::StateDigest);
        // The dedup table is part of the state.
        let mut no_dedup = kv.clone();
        no_dedup.dedup = Default::default();
        assert_eq!(property(c.state(3, 2, &no_dedup)), Property::StateDigest);
    }

    #[test]
    fn a_snapshot_that_is_not_the_committed_state_is_caught() {
        let (mut c, kv) = applied_two();
        let mut log = Log::new(Configuration::new([1, 2, 3]));
        log.append(put(1, 1, "x", "1"));
        log.append(put(1, 2, "x", "2"));
        let mut good = log.clone();
        good.compact(2, kv.clone());
        assert!(c.snapshot(1, &good).is_ok());
        let mut without_dedup = kv;
        without_dedup.dedup = Default::default();
        log.compact(2, without_dedup);
        assert_eq!(property(c.snapshot(2, &log)), Property::SnapshotContents);
    }

    #[test]
    fn an_active_configuration_that_is_not_the_logs_latest_is_caught() {
        let mut c = Checker::default();
        let old = Configuration::new([1, 2, 3]);
        let mut log = Log::new(old.clone());
        log.append(Entry::noop(1));
        log.append(config_entry(1, &[1, 2, 3, 4]));
        let new = Configuration::new([1, 2, 3, 4]);
        assert!(c.configuration(1, 1, &log, &new).is_ok());
        assert_eq!(
            property(c.configuration(1, 3, &log, &old)),
            Property::ActiveConfiguration
        );
        // After a truncation of the configuration entry, the old one is in effect again.
        log.truncate_from(2);
        log.append(Entry::noop(2));
        assert!(c.configuration(1, 2, &log, &old).is_ok());
        assert_eq!(
            property(c.configuration(1, 2, &log, &new)),
            Property::ActiveConfiguration
        );
    }

    #[test]
    fn a_match_index_beyond_the_followers_matching_log_is_caught() {
        let mut c = Checker::default();
        let config = Configuration::new([1, 2, 3]);
        let mut leader = Log::new(config.clone());
        let mut follower = Log::new(config);
        for t in [1, 1, 2] {
            leader.append(Entry::noop(t));
        }
        for t in [1, 1, 1] {
            follower.append(Entry::noop(t));
        }
        assert!(c.progress(1, 2, 2, 2, &leader, &follower).is_ok());
        // Index 3 holds another term at the follower; index 4 it does not hold at all.
        assert_eq!(
            property(c.progress(1, 2, 2, 3, &leader, &follower)),
            Property::LeaderProgress
        );
        follower.truncate_from(3);
        assert_eq!(
            property(c.progress(1, 2, 2, 3, &leader, &follower)),
            Property::LeaderProgress
        );
    }

    #[test]
    fn a_leader_cut_off_for_two_election_timeouts_is_caught() {
        let mut c = Checker::default();
        let limit = 600;
        c.set_time(1000);
        assert!(c.leader_reach(1, 4, false, 0, limit).is_ok());
        c.set_time(1600);
        assert!(c.leader_reach(1, 4, false, 0, limit).is_ok());
        c.set_time(1601);
        assert_eq!(
            property(c.leader_reach(1, 4, false, 0, limit)),
            Property::CheckQuorum
        );
        // Counted from the last change of the topology when that is later.
        assert!(c.leader_reach(1, 4, false, 1200, limit).is_ok());
        // A new term starts over.
        assert!(c.leader_reach(1, 5, false, 0, limit).is_ok());
    }

    #[test]
    fn a_term_raised_alone_is_a_pre_vote_violation() {
        let mut c = Checker::default();
        let v = c.raised_term_alone(3, 7, 8).unwrap_err();
        assert_eq!(v.property, Property::PreVote);
        assert_eq!(
            v.to_string(),
            "safety violation: pre-vote: s3 raised its term from 7 to 8 while it could not reach a majority"
        );
    }
}
