//! Deliberate bugs for the mutation tests: each can be switched on to prove that the
//! checker, the scenarios and the fuzzer catch it. All are off unless a test turns one on;
//! they are per thread, so tests running in parallel do not see each other's bugs.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Bug {
    /// Commit by counting replicas of an older-term entry (breaks Figure 8).
    CommitOldTerm = 0,
    /// Grant a second vote in the same term.
    DoubleVote = 1,
    /// Keep the vote only in volatile state (lost on crash).
    ForgetVote = 2,
    /// Keep commitIndex across a crash.
    KeepCommit = 3,
    /// Answer reads from local state without ReadIndex.
    ReadWithoutReadIndex = 4,
    /// Apply a retried request twice.
    ApplyRetryTwice = 5,
    /// Change several voters at once by switching straight to C_new (no C_old,new).
    DirectConfigSwitch = 6,
    /// A read lease as long as the whole minimum election timeout: no margin for clocks
    /// that drift.
    LeaseIgnoresDrift = 7,
    /// Vote bookkeeping: a candidate counts a refused vote as granted.
    CountRefusedVotes = 8,
    /// Log truncation: a follower deletes everything after `prev_index` on an append
    /// that matches, even entries it already acknowledged (a late, reordered heartbeat).
    TruncateMatching = 9,
    /// Commit advancement: the leader takes its commit index one position too far along
    /// the match indexes sorted from the highest, so an entry held by one server fewer
    /// than a majority counts as committed (2 of 5; the leader alone of 3). The lease's
    /// acknowledged round, counted by the same function, is off by one the same way.
    QuorumOffByOne = 10,
    /// Progress tracking: on a successful reply the leader sets matchIndex to what it has
    /// sent (nextIndex − 1), not to what the follower acknowledged.
    MatchSent = 11,
    /// Snapshot install: the follower takes the snapshot's log but keeps its old state
    /// machine.
    InstallKeepsState = 12,
    /// Snapshot taken without the dedup table.
    SnapshotWithoutDedup = 13,
    /// Configuration rollback: truncating the log does not restore the configuration of
    /// the entries that remain.
    TruncateKeepsConfig = 14,
    /// ReadIndex rounds: a read is confirmed by acknowledgements of any earlier heartbeat
    /// round of the term, not of a round started after the read.
    ReadOldRound = 15,
    /// Pre-vote: the pre-candidate raises its term when it starts the pre-vote.
    PreVoteRaisesTerm = 16,
    /// Check-quorum: the leader clears its record of who answered only after a round
    /// without a majority, so once a majority answered, those answers count forever.
    CheckQuorumStale = 17,
}

thread_local! {
    static ACTIVE: Cell<u32> = const { Cell::new(0) };
}

/// Is this bug switched on (on this thread)?
#[inline]
pub fn active(bug: Bug) -> bool {
    ACTIVE.with(|a| a.get() & (1 << bug as u8) != 0)
}

impl Bug {
    pub const ALL: [Bug; 18] = [
        Bug::CommitOldTerm,
        Bug::DoubleVote,
        Bug::ForgetVote,
        Bug::KeepCommit,
        Bug::ReadWithoutReadIndex,
        Bug::ApplyRetryTwice,
        Bug::DirectConfigSwitch,
        Bug::LeaseIgnoresDrift,
        Bug::CountRefusedVotes,
        Bug::TruncateMatching,
        Bug::QuorumOffByOne,
        Bug::MatchSent,
        Bug::InstallKeepsState,
        Bug::SnapshotWithoutDedup,
        Bug::TruncateKeepsConfig,
        Bug::ReadOldRound,
        Bug::PreVoteRaisesTerm,
        Bug::CheckQuorumStale,
    ];

    /// The bug's name for `RAFTLAB_BUGS` (kebab case, e.g. `double-vote`).
    pub fn name(self) -> &'static str {
        match self {
            Bug::CommitOldTerm => "commit-old-term",
            Bug::DoubleVote => "double-vote",
            Bug::ForgetVote => "forget-vote",
            Bug::KeepCommit => "keep-commit",
            Bug::ReadWithoutReadIndex => "read-without-read-index",
            Bug::ApplyRetryTwice => "apply-retry-twice",
            Bug::DirectConfigSwitch => "direct-config-switch",
            Bug::LeaseIgnoresDrift => "lease-ignores-drift",
            Bug::CountRefusedVotes => "count-refused-votes",
            Bug::TruncateMatching => "truncate-matching",
            Bug::QuorumOffByOne => "quorum-off-by-one",
            Bug::MatchSent => "match-sent",
            Bug::InstallKeepsState => "install-keeps-state",
            Bug::SnapshotWithoutDedup => "snapshot-without-dedup",
            Bug::TruncateKeepsConfig => "truncate-keeps-config",
            Bug::ReadOldRound => "read-old-round",
            Bug::PreVoteRaisesTerm => "prevote-raises-term",
            Bug::CheckQuorumStale => "check-quorum-stale",
        }
    }
}

/// A name that is no bug's; says which names are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownBug(pub String);

impl fmt::Display for UnknownBug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
        write!(f, "unknown bug {:?} (known: {})", self.0, known.join(", "))
    }
}

impl std::error::Error for UnknownBug {}

/// The one lookup of a bug by its name (`double-vote`).
impl FromStr for Bug {
    type Err = UnknownBug;

    fn from_str(name: &str) -> Result<Bug, UnknownBug> {
        Bug::ALL
            .into_iter()
            .find(|b| b.name() == name)
            .ok_or_else(|| UnknownBug(name.to_string()))
    }
}

/// Switches a bug on or off for this thread.
pub fn set(bug: Bug, on: bool) {
    ACTIVE.with(|a| {
        let v = a.get();
        a.set(if on {
            v | (1 << bug as u8)
        } else {
            v & !(1 << bug as u8)
        })
    })
}

/// Turns a deliberate bug on for the life of the guard (off again even on panic).
pub struct BugOn(Bug);

impl BugOn {
    pub fn new(b: Bug) -> BugOn {
        set(b, true);
        BugOn(b)
    }
}

impl Drop for BugOn {
    fn drop(&mut self) {
        set(self.0, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bug_is_found_by_its_name() {
        for b in Bug::ALL {
            assert_eq!(b.name().parse::<Bug>(), Ok(b));
        }
        let e = "nope".parse::<Bug>().unwrap_err();
        assert!(e
            .to_string()
            .starts_with("unknown bug \"nope\" (known: commit-old-term, "));
    }
}
