//! Log replication: AppendEntries and snapshots on both sides, commitment, applying,
//! compaction.

use super::Node;
use crate::raft::bugs::{self, Bug};
use crate::raft::config::Configuration;
use crate::raft::io::*;
use crate::raft::kv::Applied;
use crate::raft::log::{RejectHint, Snapshot};
use crate::raft::message::Body;
use crate::raft::note::Note;
use crate::raft::progress::ProgressState;
use crate::raft::types::*;

impl Node {
    pub(super) fn on_append(
        &mut self,
        from: ServerId,
        prev_index: Index,
        prev_term: Term,
        entries: Vec<Entry>,
        commit: Index,
        seq: u64,
    ) {
        let term = self.term();
        if prev_index < self.commit {
            // Everything up to our commit index is known to match the leader's log.
            self.ack(from, self.commit, seq);
            return;
        }
        let first_new = prev_index + 1;
        // Terms of the entries this append may overwrite, to tell a student about deletions.
        let overlap: Vec<Option<Term>> = (first_new..first_new + entries.len() as Index)
            .map(|i| self.log().term(i))
            .collect();
        let before_last = self.log().last_index();
        match self.durable.log.try_append(prev_index, prev_term, &entries) {
            Ok(last_new) => {
                if !entries.is_empty() {
                    let replaced = overlap
                        .iter()
                        .zip(&entries)
                        .any(|(old, e)| old.is_some_and(|t| t != e.term));
                    if replaced || self.log().last_index() < before_last {
                        self.note(Note::Truncated { from: first_new });
                    }
                    self.out.push(Output::LogChanged { from: first_new });
                }
                let new_commit = commit.min(last_new);
                if new_commit > self.commit {
                    self.commit = new_commit;
                    self.apply();
                }
                self.ack(from, last_new, seq);
            }
            Err(hint) => self.send(
                from,
                term,
                Body::AppendReply {
                    success: false,
                    match_index: 0,
                    hint: Some(hint),
                    seq,
                },
            ),
        }
    }

    /// A successful reply to Append or InstallSnapshot: the log matches up to `matched`.
    pub(super) fn ack(&mut self, to: ServerId, matched: Index, seq: u64) {
        let term = self.term();
        self.send(
            to,
            term,
            Body::AppendReply {
                success: true,
                match_index: matched,
                hint: None,
                seq,
            },
        );
    }

    pub(super) fn on_snapshot(&mut self, from: ServerId, snapshot: Snapshot, seq: u64) {
        let index = snapshot.index;
        if index > self.commit {
            if !bugs::active(Bug::InstallKeepsState) {
                self.kv = snapshot.state.clone();
            }
            self.durable.log.install(snapshot);
            self.commit = index;
            self.applied = index;
            self.out.push(Output::LogChanged { from: index + 1 });
            self.note(Note::SnapshotInstalled { index, from });
        }
        self.ack(from, self.commit, seq);
    }

    pub(super) fn on_append_reply(
        &mut self,
        from: ServerId,
        success: bool,
        match_index: Index,
        hint: Option<RejectHint>,
        seq: u64,
    ) {
        if self.role != Role::Leader {
            return;
        }
        let Some(pr) = self.tracker.progress.get_mut(&from) else {
            return;
        };
        pr.recent_active = true;
        // An answer from a follower that had stopped answering: probe it at once.
        let woke = !std::mem::replace(&mut pr.responsive, true);
        pr.acked_seq = pr.acked_seq.max(seq);
        if success {
            let match_index = if bugs::active(Bug::MatchSent) {
                match_index.max(pr.next - 1)
            } else {
                match_index
            };
            if pr.advance(match_index) {
                self.maybe_commit();
                self.maybe_finish_catch_up(from);
                if self.transfer == Some(from)
                    && self.tracker.progress.get(&from).map(|p| p.matched)
                        == Some(self.log().last_index())
                {
                    self.send_timeout_now(from);
                }
            }
            // More entries to send (as many appends as the window takes), or a commit index
            // it has not heard of yet (its ack came after the commit moved): send now rather
            // than at the next heartbeat.
            let commit = self.commit;
            let mut first = true;
            while self.role == Role::Leader
                && self.tracker.progress.get(&from).is_some_and(|p| {
                    !p.is_paused()
                        && (p.next <= self.log().last_index() || (first && p.commit_sent < commit))
                })
            {
                first = false;
                if !self.send_append(from) {
                    break;
                }
            }
        } else if let Some(h) = hint {
            let next = match h.conflict_term {
                Some(t) => match self.log().last_index_of_term(t) {
                    Some(i) => i + 1,
                    None => h.conflict_index,
                },
                None => h.conflict_index,
            };
            // Send again if the rejection moved the probe, or if it woke a follower that
            // had stopped answering (it gets what it needs at once, not at the next
            // heartbeat).
            let moved = self
                .tracker
                .progress
                .get_mut(&from)
                .is_some_and(|pr| pr.back_off(h.rejected, next, seq));
            let probing = self
                .tracker
                .progress
                .get(&from)
                .is_some_and(|p| p.state == ProgressState::Probe);
            if moved || (woke && probing) {
                self.send_append(from);
            }
        }
        if self.role == Role::Leader {
            self.confirm_reads();
        }
    }

    // ------------------------------------------------------------------ leader: replication

    /// Sends entries (or a snapshot) to one follower from its next index, unless a
    /// snapshot is pending or the window of appends in flight is full. Returns whether a
    /// message was sent.
    pub(super) fn send_append(&mut self, to: ServerId) -> bool {
        let term = self.term();
        let seq = self.seq;
        let first = self.log().first_index();
        let max = self.opts.max_entries.max(1);
        let Some(pr) = self.tracker.progress.get(&to) else {
            return false;
        };
        if let ProgressState::Snapshot(_) = pr.state {
            return false;
        }
        if pr.next < first {
            if !pr.may_send_snapshot() {
                // It has not answered since its retry timeout: a heartbeat, not a snapshot.
                self.send_heartbeat(to);
                return true;
            }
            let snapshot = Box::new(self.log().snapshot().clone());
            let index = snapshot.index;
            if let Some(pr) = self.tracker.progress.get_mut(&to) {
                pr.become_snapshot(index, seq);
            }
            self.note(Note::SnapshotSent { to, index });
            self.send(to, term, Body::InstallSnapshot { snapshot, seq });
            return true;
        }
        let prev_index = pr.next - 1;
        let entries = self.log().slice(pr.next, max);
        let n = entries.len() as Index;
        if n > 0 && pr.state == ProgressState::Replicate && pr.inflights.full() {
            return false;
        }
        if let Some(pr) = self.tracker.progress.get_mut(&to) {
            pr.sent_entries(prev_index + n, n, seq);
        }
        self.append_to(to, prev_index, entries);
        true
    }

    /// Sends one AppendEntries to `to`: `entries` after `prev_index`, with the commit
    /// index and the heartbeat round.
    fn append_to(&mut self, to: ServerId, prev_index: Index, entries: Vec<Entry>) {
        let (term, commit, seq) = (self.term(), self.commit, self.seq);
        let prev_term = self.log().term(prev_index).unwrap_or(0);
        if let Some(pr) = self.tracker.progress.get_mut(&to) {
            pr.commit_sent = pr.commit_sent.max(commit);
        }
        self.send(
            to,
            term,
            Body::Append {
                prev_index,
                prev_term,
                entries,
                commit,
                seq,
            },
        );
    }

    /// A heartbeat: an empty append that changes nothing of the follower's progress. In
    /// replicate state it follows the last entry sent (as an append would); while a
    /// snapshot is on its way, it follows the snapshot.
    fn send_heartbeat(&mut self, to: ServerId) {
        let snapshot_index = self.durable.log.snapshot().index;
        let Some(pr) = self.tracker.progress.get_mut(&to) else {
            return;
        };
        // After the last entry sent, or after the snapshot when the entries it needs are
        // only in the snapshot (their terms are gone from the log).
        let prev_index = match pr.state {
            ProgressState::Snapshot(index) => index,
            _ => (pr.next - 1).max(snapshot_index),
        };
        if pr.state == ProgressState::Probe {
            pr.paused = true;
        }
        self.append_to(to, prev_index, Vec::new());
    }

    /// Sends to every follower: on a heartbeat to all (a new round), otherwise to those
    /// that can take more entries now.
    pub(super) fn broadcast(&mut self, heartbeat: bool) {
        if heartbeat {
            self.seq += 1;
            self.lease_round_sent();
        }
        let (round, retry) = (self.seq, self.opts.retry_rounds);
        let peers: Vec<ServerId> = self.tracker.progress.keys().copied().collect();
        for p in peers {
            let Some(pr) = self.tracker.progress.get_mut(&p) else {
                continue;
            };
            if !heartbeat {
                // Also with nothing new: the follower learns the commit index.
                if !pr.is_paused() {
                    self.send_append(p);
                }
                continue;
            }
            if let Some(sent) = pr.timed_out(round, retry) {
                // The snapshot or the oldest append in flight went unanswered for the
                // retry timeout: taken as lost, probe again (which resends the snapshot
                // if the follower still needs it and is listening).
                pr.retry(sent);
                self.send_append(p);
                continue;
            }
            match pr.state {
                // The heartbeat is the probe.
                ProgressState::Probe => {
                    pr.paused = false;
                    self.send_append(p);
                }
                ProgressState::Replicate if !pr.inflights.full() => {
                    self.send_append(p);
                }
                ProgressState::Replicate | ProgressState::Snapshot(_) => self.send_heartbeat(p),
            }
        }
    }

    pub(super) fn maybe_commit(&mut self) {
        if self.role != Role::Leader {
            return;
        }
        let n = self
            .tracker
            .committed_index(self.config(), self.id, self.log().last_index());
        if n > self.commit
            && (self.log().term(n) == Some(self.term()) || bugs::active(Bug::CommitOldTerm))
        {
            self.commit = n;
            self.note(Note::Committed { index: n });
            self.apply();
            if self.role == Role::Leader {
                self.start_reads();
                self.broadcast(false);
            }
        }
    }

    // ------------------------------------------------------------------ applying

    pub(super) fn apply(&mut self) {
        while self.applied < self.commit {
            let index = self.applied + 1;
            let Some(entry) = self.log().entry(index).cloned() else {
                break;
            };
            self.applied = index;
            let result = self.kv.apply(&entry.data);
            if let Some(config) = Configuration::of_entry(&entry.data) {
                if self.role == Role::Leader && index == self.config_index() {
                    // A removed server got the log until now, so that it learns of its
                    // removal from the log; now it is done.
                    let (members, catching_up) =
                        (config.members(), self.catch_up.as_ref().map(|c| c.server));
                    self.tracker
                        .progress
                        .retain(|id, _| members.contains(id) || Some(*id) == catching_up);
                }
                self.out.push(Output::ConfigCommitted {
                    index,
                    config: config.clone(),
                });
            }
            self.out.push(Output::Applied {
                index,
                entry: entry.clone(),
            });
            if self.role == Role::Leader {
                if let Some((client, request, _)) = self.waiting.remove(&index) {
                    debug_assert!(result != Applied::Nothing || entry.data != EntryData::Noop);
                    self.reply(client, request, ClientResult::Ok);
                }
            }
        }
        if self.role == Role::Leader {
            self.answer_reads();
            self.advance_joint();
            if !self.config().contains(self.id) && self.applied >= self.config_index() {
                // Our own removal is committed: step down (the simulator shuts us down).
                self.note(Note::RemovedSelf);
                let term = self.term();
                self.become_follower(term, None);
            }
        }
        self.maybe_auto_compact();
    }

    pub(super) fn config_index(&self) -> Index {
        self.log().latest_config().0
    }

    pub(super) fn maybe_auto_compact(&mut self) {
        let Some(f) = self.opts.snapshot_factor else {
            return;
        };
        let held = self.log().last_index() - self.log().snapshot().index;
        let needed = self.kv.size().max(1) as u64;
        if held > needed * f as u64 && self.applied > self.log().snapshot().index {
            self.compact();
        }
    }

    pub(super) fn compact(&mut self) {
        if self.applied <= self.log().snapshot().index {
            self.note(Note::NothingToCompact);
            return;
        }
        let index = self.applied;
        let mut state = self.kv.clone();
        if bugs::active(Bug::SnapshotWithoutDedup) {
            state.dedup = Default::default();
        }
        self.durable.log.compact(index, state);
        self.note(Note::Compacted { index });
    }
}
