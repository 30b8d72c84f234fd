//! Deliberate bugs for the mutation tests: each can be switched on to prove that the
//! checker, the scenarios and the fuzzer catch it. All are off unless a test turns one on;
//! they are per thread, so tests running in parallel do not see each other's bugs.

use std::cell::Cell;

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
    pub const ALL: [Bug; 6] = [
        Bug::CommitOldTerm,
        Bug::DoubleVote,
        Bug::ForgetVote,
        Bug::KeepCommit,
        Bug::ReadWithoutReadIndex,
        Bug::ApplyRetryTwice,
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
        }
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
