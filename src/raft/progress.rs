//! The leader's view of each follower (and of a server catching up before it joins), with
//! etcd-raft's flow control: a follower is in one of three states, and the state decides
//! what the leader may send it.
//!
//! - **probe**: the leader does not know where the follower's log matches its own; it
//!   sends one append and waits for the answer (or the next heartbeat) before the next.
//! - **replicate**: the follower's log is known to match up to `matched`; appends are
//!   pipelined, at most `Inflights::capacity` of them unacknowledged at once.
//! - **snapshot**: a snapshot is on its way; nothing else is sent but heartbeats until the
//!   follower acknowledges it, or the retry timeout passes (the snapshot was lost).
//!
//! A heartbeat never changes a follower's state by itself.

use super::inflights::Inflights;
use super::types::Index;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressState {
    /// Unknown how far the follower's log matches: one append at a time.
    Probe,
    /// The follower's log is known to match: appends are pipelined.
    Replicate,
    /// A snapshot up to this index is on its way.
    Snapshot(Index),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub next: Index,
    pub matched: Index,
    pub state: ProgressState,
    /// In probe state: an append is outstanding, wait for its reply or the next heartbeat
    /// (etcd's `MsgAppFlowPaused`).
    pub paused: bool,
    /// Heard from since the last check-quorum round.
    pub recent_active: bool,
    /// Highest heartbeat round (`seq`) this follower has acknowledged in this term.
    pub acked_seq: u64,
    /// The commit index last sent to this follower.
    pub commit_sent: Index,
    /// In replicate state: the appends in flight.
    #[serde(skip)]
    pub inflights: Inflights,
    /// In snapshot state: the heartbeat round the snapshot was sent in.
    pub snapshot_round: u64,
    /// Has answered since its last retry timeout. A snapshot is sent only to a follower
    /// known to be listening (etcd: "not recently active"): one that stopped answering
    /// gets heartbeats until it answers again.
    pub responsive: bool,
}

impl Progress {
    /// A follower whose log is to be probed from `next`, with a window of `max_inflight`
    /// appends for when it replicates.
    pub fn new(next: Index, max_inflight: usize) -> Progress {
        Progress {
            next,
            matched: 0,
            state: ProgressState::Probe,
            paused: false,
            // Counts as heard from only once it answers (a new leader's first check-quorum
            // round must see real answers).
            recent_active: false,
            acked_seq: 0,
            commit_sent: 0,
            inflights: Inflights::new(max_inflight),
            snapshot_round: 0,
            responsive: true,
        }
    }

    /// Back to probing from just after what is known to match.
    pub fn become_probe(&mut self) {
        self.state = ProgressState::Probe;
        self.next = self.matched + 1;
        self.paused = false;
        self.inflights.reset();
    }

    /// The follower's log matches up to `matched`: pipeline from there.
    pub fn become_replicate(&mut self) {
        self.state = ProgressState::Replicate;
        self.next = self.matched + 1;
        self.inflights.reset();
    }

    /// A snapshot up to `index` was sent in heartbeat round `round`.
    pub fn become_snapshot(&mut self, index: Index, round: u64) {
        self.state = ProgressState::Snapshot(index);
        self.snapshot_round = round;
        self.inflights.reset();
    }

    /// Nothing more may be sent now (heartbeats excepted).
    pub fn is_paused(&self) -> bool {
        match self.state {
            ProgressState::Probe => self.paused,
            ProgressState::Replicate => self.inflights.full(),
            ProgressState::Snapshot(_) => true,
        }
    }

    /// An append carrying `entries` entries, the last at `last`, was sent in round `round`.
    pub fn sent_entries(&mut self, last: Index, entries: u64, round: u64) {
        match self.state {
            ProgressState::Replicate if entries > 0 => {
                self.next = last + 1;
                self.inflights.add(last, round);
            }
            ProgressState::Replicate => {}
            ProgressState::Probe => self.paused = true,
            ProgressState::Snapshot(_) => {}
        }
    }

    /// A successful reply: the follower matches up to `index`. Moves a probed follower to
    /// replicate, and a follower that has its snapshot (or more) too. Returns true if the
    /// match index moved.
    pub fn advance(&mut self, index: Index) -> bool {
        let moved = index > self.matched;
        if moved {
            self.matched = index;
            self.paused = false;
        }
        self.next = self.next.max(index + 1);
        match self.state {
            ProgressState::Probe if moved || index == self.matched => self.become_replicate(),
            ProgressState::Snapshot(s) if self.matched >= s => self.become_replicate(),
            ProgressState::Replicate => self.inflights.free_le(index),
            _ => {}
        }
        moved
    }

    /// A rejection of the append whose previous entry was `rejected`, sent in heartbeat
    /// round `round`, with `next` the index the follower's hint suggests. Stale rejections
    /// (at or below what is known to match, or of an older probe) change nothing, and
    /// neither do rejections that may only mean the message overtook what is still on its
    /// way: a pending snapshot, or appends in flight sent less than two heartbeat rounds
    /// before the rejected message (a heartbeat never disturbs a follower's state by
    /// itself). Returns true if the leader should send again.
    pub fn back_off(&mut self, rejected: Index, next: Index, round: u64) -> bool {
        if rejected <= self.matched {
            return false;
        }
        match self.state {
            ProgressState::Snapshot(_) => return false,
            // A reply to an older probe; a newer one is on its way or has been answered.
            ProgressState::Probe if rejected + 1 != self.next => return false,
            // Appends are on their way: the rejected message (a heartbeat, or an append
            // that overtook an earlier one) may have got there first. Sent two rounds or
            // more after the oldest of them, it did not: that one was lost.
            ProgressState::Replicate
                if self
                    .inflights
                    .oldest_round()
                    .is_some_and(|sent| round < sent + 2) =>
            {
                return false
            }
            _ => {}
        }
        self.become_probe();
        self.next = next.min(rejected).max(self.matched + 1).max(1);
        true
    }

    /// The retry timeout passed with no answer to what was sent in round `sent`: probe
    /// again from just after the match. If the follower has answered nothing sent since
    /// either, send it nothing large until it does.
    pub fn retry(&mut self, sent: u64) {
        self.become_probe();
        self.responsive = self.acked_seq > sent;
    }

    /// The oldest append in flight (replicate) or the snapshot (snapshot state) was sent
    /// `retry_rounds` heartbeat rounds ago or more before round `round`, with no answer:
    /// it is taken as lost. Returns the round it was sent in.
    pub fn timed_out(&self, round: u64, retry_rounds: u64) -> Option<u64> {
        let sent = match self.state {
            ProgressState::Replicate => self.inflights.oldest_round(),
            ProgressState::Snapshot(_) => Some(self.snapshot_round),
            ProgressState::Probe => None,
        };
        sent.filter(|&sent| round.saturating_sub(sent) >= retry_rounds.max(1))
    }

    /// May a snapshot be sent now?
    pub fn may_send_snapshot(&self) -> bool {
        self.responsive
    }

    /// Why the leader is or is not sending to this follower, in a sentence.
    pub fn sending_text(&self) -> String {
        match self.state {
            ProgressState::Probe if !self.responsive => crate::t!(
                "probe: no answer for the retry timeout; sending heartbeats from index {next} until it answers",
                next = self.next
            ),
            ProgressState::Probe if self.paused => crate::t!(
                "probe: sent an append from index {next}, waiting for the answer (or the next heartbeat) before sending more",
                next = self.next
            ),
            ProgressState::Probe => crate::t!(
                "probe: will send one append from index {next} and wait for its answer",
                next = self.next
            ),
            ProgressState::Replicate if self.inflights.full() => crate::t!(
                "replicate: {count} appends in flight, the window is full: waiting for an acknowledgement",
                count = self.inflights.count()
            ),
            ProgressState::Replicate => crate::t!(
                "replicate: sending entries from index {next} as they come ({count} of {capacity} appends in flight)",
                next = self.next,
                count = self.inflights.count(),
                capacity = self.inflights.capacity()
            ),
            ProgressState::Snapshot(i) => crate::t!(
                "snapshot: a snapshot up to index {index} is on its way; only heartbeats until it is acknowledged",
                index = i
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replicating(matched: Index, window: usize) -> Progress {
        let mut p = Progress::new(matched + 1, window);
        p.advance(matched);
        assert_eq!(p.state, ProgressState::Replicate);
        p
    }

    #[test]
    fn advancing_moves_to_replicate() {
        let mut p = Progress::new(5, 4);
        assert!(p.advance(4));
        assert_eq!(
            (p.matched, p.next, p.state),
            (4, 5, ProgressState::Replicate)
        );
        assert!(!p.advance(3)); // stale success
        assert_eq!(p.matched, 4);
    }

    #[test]
    fn back_off_never_goes_below_match() {
        let mut p = Progress::new(10, 4);
        p.advance(3);
        p.next = 10;
        assert!(p.back_off(9, 2, 0));
        assert_eq!(p.next, 4);
        assert_eq!(p.state, ProgressState::Probe);
        // A stale rejection at or below the match index changes nothing.
        assert!(!p.back_off(3, 1, 0));
        assert_eq!(p.next, 4);
    }

    // etcd-raft: TestProgressIsPaused.
    #[test]
    fn paused_by_state() {
        let mut p = Progress::new(1, 2);
        assert!(!p.is_paused(), "a fresh probe may send");
        p.sent_entries(3, 3, 0);
        assert!(p.is_paused(), "a probe waits for the answer to its append");
        p.advance(3);
        assert!(!p.is_paused(), "replicate with room in the window");
        p.sent_entries(5, 2, 0);
        p.sent_entries(7, 2, 0);
        assert!(p.is_paused(), "replicate with a full window");
        p.become_snapshot(20, 0);
        assert!(p.is_paused(), "a snapshot is pending");
    }

    // etcd-raft: TestProgressUpdate / TestProgressMaybeDecr (replicate).
    #[test]
    fn pipelining_and_acknowledgements() {
        let mut p = replicating(5, 3);
        p.sent_entries(7, 2, 1);
        p.sent_entries(9, 2, 1);
        assert_eq!((p.next, p.inflights.count()), (10, 2));
        // An acknowledgement up to 7 frees the first append only.
        assert!(p.advance(7));
        assert_eq!((p.matched, p.next, p.inflights.count()), (7, 10, 1));
        // A stale acknowledgement changes nothing.
        assert!(!p.advance(6));
        assert_eq!((p.matched, p.next, p.inflights.count()), (7, 10, 1));
        assert!(p.advance(9));
        assert_eq!(p.inflights.count(), 0);
    }

    #[test]
    fn an_empty_append_in_replicate_is_not_in_flight() {
        let mut p = replicating(5, 1);
        p.sent_entries(5, 0, 1);
        assert_eq!((p.next, p.inflights.count()), (6, 0));
        assert!(!p.is_paused());
    }

    // etcd-raft: TestProgressMaybeDecr.
    #[test]
    fn a_rejection_in_replicate_goes_back_to_probe() {
        let mut p = replicating(5, 3);
        p.sent_entries(8, 3, 1);
        assert!(
            !p.back_off(5, 3, 1),
            "a stale rejection (at the match index) is ignored"
        );
        assert!(
            !p.back_off(8, 7, 2),
            "a heartbeat of the next round that overtook the append in flight is ignored"
        );
        assert!(
            p.back_off(8, 7, 3),
            "two rounds later the follower still lacks it: the append was lost"
        );
        assert_eq!(
            (p.state, p.next, p.inflights.count()),
            (ProgressState::Probe, 7, 0),
            "probe from where the follower's hint says its log stops matching"
        );
        // Nothing in flight, and the follower's log does not hold what the leader
        // thought it held after the match index: probe from just after the match.
        let mut p = replicating(5, 3);
        assert!(p.back_off(7, 3, 1));
        assert_eq!(
            (p.state, p.next, p.inflights.count()),
            (ProgressState::Probe, 6, 0)
        );
    }

    #[test]
    fn a_probe_ignores_rejections_of_older_probes() {
        let mut p = Progress::new(10, 3);
        p.sent_entries(10, 1, 0);
        assert!(!p.back_off(5, 3, 0), "not the probe in flight (prev 9)");
        assert!(p.back_off(9, 4, 0));
        assert_eq!((p.next, p.paused), (4, false));
    }

    // etcd-raft: TestProgressBecomeProbe / snapshot state.
    #[test]
    fn a_pending_snapshot_ignores_rejections_and_ends_with_its_acknowledgement() {
        let mut p = Progress::new(3, 3);
        p.become_snapshot(10, 4);
        assert!(
            !p.back_off(8, 2, 9),
            "a heartbeat rejected before the snapshot arrives"
        );
        assert_eq!(p.state, ProgressState::Snapshot(10));
        assert!(!p.advance(0));
        assert_eq!(p.state, ProgressState::Snapshot(10), "not yet installed");
        assert!(p.advance(10));
        assert_eq!(
            (p.state, p.next, p.matched),
            (ProgressState::Replicate, 11, 10)
        );
    }

    #[test]
    fn retry_timeouts_count_heartbeat_rounds() {
        let mut p = Progress::new(3, 3);
        assert_eq!(p.timed_out(100, 4), None, "a probe never times out");
        p.become_snapshot(10, 4);
        assert_eq!(p.timed_out(7, 4), None);
        assert_eq!(p.timed_out(8, 4), Some(4));
        let mut p = replicating(5, 3);
        assert_eq!(p.timed_out(100, 4), None, "nothing in flight");
        p.sent_entries(6, 1, 10);
        p.sent_entries(7, 1, 12);
        assert_eq!(p.timed_out(13, 4), None);
        assert_eq!(
            p.timed_out(14, 4),
            Some(10),
            "the oldest was sent in round 10"
        );
        p.advance(6);
        assert_eq!(p.timed_out(14, 4), None, "the oldest now is from round 12");
    }

    #[test]
    fn no_snapshot_to_a_follower_that_stopped_answering() {
        let mut p = replicating(5, 3);
        p.acked_seq = 1;
        p.sent_entries(6, 1, 1);
        assert!(p.may_send_snapshot());
        p.retry(1);
        assert_eq!(
            (p.state, p.next, p.responsive),
            (ProgressState::Probe, 6, false)
        );
        assert!(!p.may_send_snapshot());
        p.responsive = true; // it answered
        assert!(p.may_send_snapshot());
        // A follower that answered something sent after the lost message is listening.
        p.become_replicate();
        p.sent_entries(7, 1, 2);
        p.acked_seq = 3;
        p.retry(2);
        assert!(p.may_send_snapshot());
    }

    #[test]
    fn probing_starts_after_the_match() {
        let mut p = replicating(5, 3);
        p.sent_entries(9, 4, 1);
        p.become_probe();
        assert_eq!(
            (p.state, p.next, p.inflights.count()),
            (ProgressState::Probe, 6, 0)
        );
    }
}
