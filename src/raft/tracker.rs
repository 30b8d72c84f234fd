//! One owner for what a leader or a candidate tracks about the other servers: each one's
//! replication progress and the votes of the current campaign, and the questions about
//! them that take a majority (asked of `quorum`). The configuration they are counted
//! against is the latest one in the log (`Log::latest_config`), passed in by the node.

use super::config::Configuration;
use super::progress::Progress;
use super::quorum::VoteResult;
use super::types::{IdMap, Index, ServerId};

#[derive(Clone, Debug, Default)]
pub struct Tracker {
    /// The leader's view of every other voter, and of a server catching up.
    pub progress: IdMap<Progress>,
    /// Votes (or pre-votes) received in the current campaign: granted or refused.
    pub votes: IdMap<bool>,
}

impl Tracker {
    /// A new campaign: only our own vote so far.
    pub fn reset_votes(&mut self, me: ServerId) {
        self.votes.clear();
        self.votes.insert(me, true);
    }

    pub fn record_vote(&mut self, from: ServerId, granted: bool) {
        self.votes.insert(from, granted);
    }

    pub fn vote_result(&self, config: &Configuration) -> VoteResult {
        config.vote_result(|v| self.votes.get(&v).copied())
    }

    /// The highest index a majority holds, the leader (`me`) holding `last`.
    pub fn committed_index(&self, config: &Configuration, me: ServerId, last: Index) -> Index {
        config.committed_index(|v| {
            if v == me {
                last
            } else {
                self.progress.get(&v).map_or(0, |p| p.matched)
            }
        })
    }

    /// Check-quorum: did a majority (counting the leader `me`) answer since the last
    /// round? Starts a new round.
    pub fn quorum_active(&mut self, config: &Configuration, me: ServerId) -> bool {
        let active = config
            .has_quorum(|v| v == me || self.progress.get(&v).is_some_and(|p| p.recent_active));
        if !active || !super::bugs::active(super::bugs::Bug::CheckQuorumStale) {
            for (_, p) in self.progress.iter_mut() {
                p.recent_active = false;
            }
        }
        active
    }

    /// Lease reads: the newest heartbeat round a majority (of both halves while joint)
    /// acknowledged, the leader `me` having sent up to round `seq`.
    pub fn acked_round(&self, config: &Configuration, me: ServerId, seq: u64) -> u64 {
        config.committed_index(|v| {
            if v == me {
                seq
            } else {
                self.progress.get(&v).map_or(0, |p| p.acked_seq)
            }
        })
    }

    /// ReadIndex: did a majority (counting the leader `me`) acknowledge heartbeat round
    /// `seq`?
    pub fn quorum_acked(&self, config: &Configuration, me: ServerId, seq: u64) -> bool {
        config.has_quorum(|v| v == me || self.progress.get(&v).is_some_and(|p| p.acked_seq >= seq))
    }
}
