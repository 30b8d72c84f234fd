//! ReadIndex bookkeeping: linearizable reads without writing to the log.
//!
//! A read is answered only after (1) the leader has committed an entry of its own term,
//! (2) it recorded its commit index as the read index, (3) a majority acknowledged a
//! heartbeat round sent after that, so it was still the leader, and (4) its state machine
//! applied up to the read index.

use super::types::{ClientId, Index, RequestId};
use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRead {
    pub client: ClientId,
    pub request: RequestId,
    pub key: String,
    /// Commit index recorded when the read started (None: waiting for the leader's first
    /// commit in its term).
    pub index: Option<Index>,
    /// The heartbeat round that must be acknowledged by a majority.
    pub seq: u64,
    /// A majority acknowledged round `seq`.
    pub confirmed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadQueue {
    pub reads: VecDeque<PendingRead>,
}

impl ReadQueue {
    pub fn push(&mut self, client: ClientId, request: RequestId, key: String) {
        self.reads.push_back(PendingRead {
            client,
            request,
            key,
            index: None,
            seq: 0,
            confirmed: false,
        });
    }

    /// Gives every read that has none a read index and round; returns true if any did
    /// (a new heartbeat round must then be sent).
    pub fn start(&mut self, commit: Index, seq: u64) -> bool {
        let mut started = false;
        for r in self.reads.iter_mut().filter(|r| r.index.is_none()) {
            r.index = Some(commit);
            r.seq = seq;
            started = true;
        }
        started
    }

    /// Marks reads whose round a majority acknowledged.
    pub fn confirm(&mut self, acked_by_majority: impl Fn(u64) -> bool) {
        for r in self.reads.iter_mut() {
            if r.index.is_some() && !r.confirmed && acked_by_majority(r.seq) {
                r.confirmed = true;
            }
        }
    }

    /// Removes and returns the reads that can be answered now (in order).
    pub fn ready(&mut self, applied: Index) -> Vec<PendingRead> {
        let mut out = Vec::new();
        while let Some(r) = self.reads.front() {
            match r.index {
                Some(i) if r.confirmed && i <= applied => out.push(self.reads.pop_front().unwrap()),
                _ => break,
            }
        }
        out
    }

    pub fn clear(&mut self) {
        self.reads.clear();
    }

    pub fn len(&self) -> usize {
        self.reads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reads.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_waits_for_confirmation_and_apply() {
        let mut q = ReadQueue::default();
        q.push(1, 1, "x".into());
        assert!(q.ready(100).is_empty(), "no read index yet");
        assert!(q.start(5, 3));
        assert!(!q.start(6, 4), "already started");
        assert!(q.ready(100).is_empty(), "not confirmed");
        q.confirm(|seq| seq >= 4);
        assert!(q.ready(100).is_empty(), "round 3 not acknowledged");
        q.confirm(|seq| seq <= 3);
        assert!(q.ready(4).is_empty(), "applied behind the read index");
        let r = q.ready(5);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].index, Some(5));
    }
}
