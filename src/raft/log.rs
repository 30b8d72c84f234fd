//! The replicated log with its snapshot offset.
//!
//! Entries up to `snapshot.index` are folded into the snapshot; the vector holds the
//! entries from `snapshot.index + 1` on.

use super::config::Configuration;
use super::kv::KvState;
use super::types::{Entry, EntryData, Index, Term};
use serde::Serialize;

/// Where a follower's log disagrees with an AppendEntries, so that the leader can skip
/// back a whole term at a time (fast nextIndex backtracking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RejectHint {
    /// The `prev_index` of the rejected request.
    pub rejected: Index,
    /// The follower's term at `rejected`, if it has an entry there.
    pub conflict_term: Option<Term>,
    /// The first index of `conflict_term` in the follower's log, or its last index + 1
    /// when its log is too short.
    pub conflict_index: Index,
}

/// A state-machine snapshot: everything needed to replace the log up to `index`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Last index folded into the snapshot (0: nothing).
    pub index: Index,
    /// Term of that entry.
    pub term: Term,
    /// The configuration in effect at `index`.
    pub config: Configuration,
    /// The key-value map and its dedup table at `index`.
    pub state: KvState,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Log {
    snapshot: Snapshot,
    entries: Vec<Entry>,
    /// The latest configuration and its index (kept up to date on every change, so that
    /// asking for it costs nothing).
    #[serde(skip)]
    latest: (Index, Configuration),
}

impl Log {
    /// An empty log whose starting configuration is `config` (the bootstrap snapshot at
    /// index 0).
    pub fn new(config: Configuration) -> Log {
        Log {
            snapshot: Snapshot {
                config: config.clone(),
                ..Snapshot::default()
            },
            entries: Vec::new(),
            latest: (0, config),
        }
    }

    fn refresh_config(&mut self) {
        self.latest = self.config_at(self.last_index());
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    pub fn first_index(&self) -> Index {
        self.snapshot.index + 1
    }

    pub fn last_index(&self) -> Index {
        self.snapshot.index + self.entries.len() as Index
    }

    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(self.snapshot.term, |e| e.term)
    }

    /// The term of the entry at `index`: known for the snapshot's last entry and every
    /// entry in the log, `None` before the snapshot or past the end.
    pub fn term(&self, index: Index) -> Option<Term> {
        if index == self.snapshot.index {
            Some(self.snapshot.term)
        } else if index < self.snapshot.index || index > self.last_index() {
            None
        } else {
            Some(self.entries[(index - self.snapshot.index - 1) as usize].term)
        }
    }

    pub fn entry(&self, index: Index) -> Option<&Entry> {
        if index <= self.snapshot.index || index > self.last_index() {
            None
        } else {
            Some(&self.entries[(index - self.snapshot.index - 1) as usize])
        }
    }

    /// The entries held in the log (after the snapshot), from `first_index()` on.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Up to `max` entries from `from` on (`from` must be ≥ `first_index()`).
    pub fn slice(&self, from: Index, max: usize) -> Vec<Entry> {
        if from > self.last_index() || from <= self.snapshot.index {
            return Vec::new();
        }
        let start = (from - self.snapshot.index - 1) as usize;
        let end = (start + max).min(self.entries.len());
        self.entries[start..end].to_vec()
    }

    /// Appends entries at the end (a leader's own proposals).
    pub fn append(&mut self, entry: Entry) -> Index {
        let config = Configuration::of_entry(&entry.data);
        self.entries.push(entry);
        if let Some(c) = config {
            self.latest = (self.last_index(), c);
        }
        self.last_index()
    }

    /// Does `(last_index, last_term)` describe a log at least as up to date as this one?
    /// (Raft §5.4.1: the later last term wins; with equal terms the longer log wins.)
    pub fn is_up_to_date(&self, last_index: Index, last_term: Term) -> bool {
        last_term > self.last_term()
            || (last_term == self.last_term() && last_index >= self.last_index())
    }

    /// A follower's side of AppendEntries. If the log holds an entry at `prev_index` with
    /// `prev_term`, the entries are merged (an existing entry that conflicts with a new one
    /// is deleted with all that follow it) and the index of the last new entry is
    /// returned. Otherwise the hint tells the leader where to retry.
    ///
    /// `prev_index` must not be below the snapshot (the caller answers those).
    pub fn try_append(
        &mut self,
        prev_index: Index,
        prev_term: Term,
        entries: &[Entry],
    ) -> Result<Index, RejectHint> {
        match self.term(prev_index) {
            Some(t) if t == prev_term => {}
            Some(t) => {
                // Conflict: report the first index of the conflicting term.
                let mut first = prev_index;
                while first > self.first_index() && self.term(first - 1) == Some(t) {
                    first -= 1;
                }
                return Err(RejectHint {
                    rejected: prev_index,
                    conflict_term: Some(t),
                    conflict_index: first,
                });
            }
            None => {
                return Err(RejectHint {
                    rejected: prev_index,
                    conflict_term: None,
                    conflict_index: self.last_index() + 1,
                })
            }
        }
        if entries.is_empty()
            && prev_index < self.last_index()
            && crate::raft::bugs::active(crate::raft::bugs::Bug::TruncateMatching)
        {
            self.truncate_from(prev_index + 1);
        }
        for (i, e) in entries.iter().enumerate() {
            let index = prev_index + 1 + i as Index;
            match self.term(index) {
                Some(t) if t == e.term => continue,
                Some(_) => {
                    self.truncate_from(index);
                    self.extend(&entries[i..]);
                    break;
                }
                None => {
                    self.extend(&entries[i..]);
                    break;
                }
            }
        }
        Ok(prev_index + entries.len() as Index)
    }

    fn extend(&mut self, entries: &[Entry]) {
        self.entries.extend_from_slice(entries);
        if entries
            .iter()
            .any(|e| matches!(e.data, EntryData::Config { .. }))
        {
            self.refresh_config();
        }
    }

    /// Deletes the entry at `index` and every later one.
    pub fn truncate_from(&mut self, index: Index) {
        debug_assert!(index > self.snapshot.index);
        let keep = (index - self.snapshot.index - 1) as usize;
        self.entries.truncate(keep);
        if index <= self.latest.0
            && !crate::raft::bugs::active(crate::raft::bugs::Bug::TruncateKeepsConfig)
        {
            self.refresh_config();
        }
    }

    /// The last index of `term` in the log, if any entry has that term (a leader's side of
    /// fast backtracking).
    pub fn last_index_of_term(&self, term: Term) -> Option<Index> {
        let mut i = self.last_index();
        while i >= self.snapshot.index {
            match self.term(i) {
                Some(t) if t == term => return Some(i),
                Some(t) if t < term => return None,
                _ => {}
            }
            if i == 0 {
                break;
            }
            i -= 1;
        }
        None
    }

    /// The latest configuration in the log (appended, committed or not) with its index;
    /// the snapshot's when no entry holds one.
    pub fn latest_config(&self) -> (Index, &Configuration) {
        (self.latest.0, &self.latest.1)
    }

    /// The configuration in effect at `index` (the last configuration entry at or before
    /// it, else the snapshot's).
    pub fn config_at(&self, index: Index) -> (Index, Configuration) {
        let upto = index.min(self.last_index());
        let mut i = upto;
        while i > self.snapshot.index {
            if let Some(c) = self.entry(i).and_then(|e| Configuration::of_entry(&e.data)) {
                return (i, c);
            }
            i -= 1;
        }
        (self.snapshot.index, self.snapshot.config.clone())
    }

    /// Discards the log up to `index` (which must be applied), keeping `state` as the
    /// snapshot.
    pub fn compact(&mut self, index: Index, state: KvState) {
        if index <= self.snapshot.index || index > self.last_index() {
            return;
        }
        let term = self.term(index).expect("index is in the log");
        let (_, config) = self.config_at(index);
        let drop = (index - self.snapshot.index) as usize;
        self.entries.drain(..drop);
        self.snapshot = Snapshot {
            index,
            term,
            config,
            state,
        };
    }

    /// Installs a snapshot from the leader. If the log holds the snapshot's last entry,
    /// the entries after it are kept (Raft §7); otherwise the whole log is replaced.
    pub fn install(&mut self, snapshot: Snapshot) {
        if snapshot.index <= self.snapshot.index {
            return;
        }
        if self.term(snapshot.index) == Some(snapshot.term) {
            let drop = (snapshot.index - self.snapshot.index) as usize;
            self.entries.drain(..drop);
        } else {
            self.entries.clear();
        }
        self.snapshot = snapshot;
        self.refresh_config();
    }

    /// Replaces the whole log (used to load a server's durable state from a scenario).
    pub fn replace_entries(&mut self, entries: Vec<Entry>) {
        self.entries = entries;
        self.refresh_config();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(terms: &[Term]) -> Log {
        let mut l = Log::new(Configuration::new([1, 2, 3]));
        for &t in terms {
            l.append(Entry::noop(t));
        }
        l
    }

    fn terms(l: &Log) -> Vec<Term> {
        (l.first_index()..=l.last_index())
            .map(|i| l.term(i).unwrap())
            .collect()
    }

    #[test]
    fn up_to_date_compares_last_term_then_length() {
        let l = log_of(&[1, 1, 2]);
        assert!(l.is_up_to_date(3, 2));
        assert!(l.is_up_to_date(1, 3)); // higher last term wins even if shorter
        assert!(!l.is_up_to_date(5, 1)); // lower last term loses even if longer
        assert!(!l.is_up_to_date(2, 2));
    }

    #[test]
    fn append_consistency_check_and_truncation() {
        let mut l = log_of(&[1, 1, 2, 2]);
        // Matching prefix, conflicting entry at 3: truncate 3.. and append.
        assert_eq!(l.try_append(2, 1, &[Entry::noop(3)]), Ok(3));
        assert_eq!(terms(&l), vec![1, 1, 3]);
        // Already present entries are not truncated (a stale, shorter append).
        assert_eq!(l.try_append(1, 1, &[Entry::noop(1)]), Ok(2));
        assert_eq!(terms(&l), vec![1, 1, 3]);
    }

    #[test]
    fn reject_hints() {
        let mut l = log_of(&[1, 1, 2, 2, 2]);
        // Too short: hint is last index + 1.
        let h = l.try_append(8, 3, &[]).unwrap_err();
        assert_eq!((h.conflict_term, h.conflict_index), (None, 6));
        // Conflict in term 2: hint is the first index of term 2.
        let h = l.try_append(5, 3, &[]).unwrap_err();
        assert_eq!((h.conflict_term, h.conflict_index), (Some(2), 3));
        assert_eq!(l.last_index_of_term(1), Some(2));
        assert_eq!(l.last_index_of_term(3), None);
    }

    #[test]
    fn compaction_keeps_terms_and_config() {
        let mut l = log_of(&[1, 1, 2]);
        l.append(Entry {
            term: 2,
            data: Configuration::new([1, 2]).to_command(),
        });
        l.append(Entry::noop(3));
        l.compact(4, KvState::default());
        assert_eq!(l.first_index(), 5);
        assert_eq!(l.term(4), Some(2));
        assert_eq!(l.term(3), None);
        assert_eq!(l.latest_config().1, &Configuration::new([1, 2]));
        assert_eq!(l.try_append(4, 2, &[Entry::noop(3)]), Ok(5));
    }

    #[test]
    fn install_keeps_a_matching_suffix() {
        let mut l = log_of(&[1, 1, 2, 2]);
        let snap = Snapshot {
            index: 2,
            term: 1,
            config: Configuration::new([1, 2, 3]),
            state: KvState::default(),
        };
        l.install(snap.clone());
        assert_eq!(l.first_index(), 3);
        assert_eq!(l.last_index(), 4);
        let mut l2 = log_of(&[1, 3]);
        l2.install(snap);
        assert_eq!(l2.last_index(), 2);
        assert_eq!(l2.entries().len(), 0);
    }
}
