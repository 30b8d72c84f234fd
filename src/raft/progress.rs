//! The leader's view of each follower (and of a server catching up before it joins).

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
    /// In probe state: an append is outstanding, wait for its reply or the next heartbeat.
    pub paused: bool,
    /// Heard from since the last check-quorum round.
    pub recent_active: bool,
    /// Highest heartbeat round (`seq`) this follower has acknowledged in this term.
    pub acked_seq: u64,
    /// The commit index last sent to this follower.
    pub commit_sent: Index,
}

impl Progress {
    pub fn new(next: Index) -> Progress {
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
        }
    }

    /// A successful reply: the follower matches up to `index`. Returns true if it moved on.
    pub fn advance(&mut self, index: Index) -> bool {
        let moved = index > self.matched;
        if moved {
            self.matched = index;
        }
        self.next = self.next.max(index + 1);
        self.paused = false;
        match self.state {
            ProgressState::Probe => self.state = ProgressState::Replicate,
            ProgressState::Snapshot(s) if self.matched >= s => {
                self.state = ProgressState::Replicate
            }
            _ => {}
        }
        moved
    }

    /// A rejection with a suggested next index; stale rejections (at or below what is known
    /// to match) are ignored. Returns true if the progress changed.
    pub fn back_off(&mut self, rejected: Index, next: Index) -> bool {
        if rejected <= self.matched {
            return false;
        }
        if self.state == ProgressState::Probe && rejected + 1 != self.next {
            // A reply to an older probe; a newer one is on its way or has been answered.
            return false;
        }
        self.next = next.min(rejected).max(self.matched + 1).max(1);
        self.state = ProgressState::Probe;
        self.paused = false;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_to_replicate() {
        let mut p = Progress::new(5);
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
        let mut p = Progress::new(10);
        p.advance(3);
        p.next = 10;
        assert!(p.back_off(9, 2));
        assert_eq!(p.next, 4);
        assert_eq!(p.state, ProgressState::Probe);
        // A stale rejection at or below the match index changes nothing.
        assert!(!p.back_off(3, 1));
        assert_eq!(p.next, 4);
    }
}
