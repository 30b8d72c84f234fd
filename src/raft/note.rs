//! Things worth telling a student, for the event feed.

use super::config::Configuration;
use super::message::VoteRefusal;
use super::types::{Index, Role, ServerId, Term};
use std::fmt;

/// Something worth telling a student, for the event feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    Became {
        role: Role,
        term: Term,
    },
    VoteGranted {
        candidate: ServerId,
        term: Term,
        pre: bool,
    },
    VoteRefused {
        candidate: ServerId,
        term: Term,
        pre: bool,
        why: VoteRefusal,
    },
    VoteIgnored {
        candidate: ServerId,
        pre: bool,
    },
    LostQuorum {
        term: Term,
    },
    StaleLeaderDiscovered {
        from: ServerId,
        term: Term,
    },
    Truncated {
        from: Index,
    },
    Committed {
        index: Index,
    },
    Compacted {
        index: Index,
    },
    SnapshotInstalled {
        index: Index,
        from: ServerId,
    },
    SnapshotSent {
        to: ServerId,
        index: Index,
    },
    TransferStarted {
        to: ServerId,
    },
    TransferAborted {
        to: ServerId,
    },
    TransferRefused {
        to: ServerId,
        why: &'static str,
    },
    TimeoutNowSent {
        to: ServerId,
    },
    TimeoutNowReceived {
        from: ServerId,
    },
    ProposalDropped {
        why: &'static str,
    },
    ConfigAppended {
        config: Configuration,
        index: Index,
    },
    CatchingUp {
        server: ServerId,
    },
    ReadServed {
        key: String,
        index: Index,
    },
    RemovedSelf,
    NothingToCompact,
    /// A `get` answered at once from the leader's read lease.
    LeaseRead {
        key: String,
        index: Index,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pv = |pre: &bool| if *pre { "pre-vote" } else { "vote" };
        match self {
            Note::Became { role, term } => write!(f, "became {role} in term {term}"),
            Note::VoteGranted {
                candidate,
                term,
                pre,
            } => {
                write!(f, "granted {} to s{candidate} for term {term}", pv(pre))
            }
            Note::VoteRefused {
                candidate,
                term,
                pre,
                why,
            } => write!(
                f,
                "refused {} to s{candidate} for term {term}: {}",
                pv(pre),
                why.describe()
            ),
            Note::VoteIgnored { candidate, pre } => write!(
                f,
                "ignored {} request from s{candidate}: heard from the leader recently",
                pv(pre)
            ),
            Note::LostQuorum { term } => write!(
                f,
                "stepped down in term {term}: no majority heard from for an election timeout"
            ),
            Note::StaleLeaderDiscovered { from, term } => {
                write!(f, "learned of term {term} from s{from}")
            }
            Note::Truncated { from } => write!(f, "deleted conflicting entries from index {from}"),
            Note::Committed { index } => write!(f, "committed up to index {index}"),
            Note::Compacted { index } => write!(f, "took a snapshot up to index {index}"),
            Note::SnapshotInstalled { index, from } => {
                write!(f, "installed snapshot up to index {index} from s{from}")
            }
            Note::SnapshotSent { to, index } => write!(f, "sent snapshot up to {index} to s{to}"),
            Note::TransferStarted { to } => write!(f, "transferring leadership to s{to}"),
            Note::TransferAborted { to } => write!(f, "gave up transferring leadership to s{to}"),
            Note::TransferRefused { to, why } => {
                write!(f, "cannot transfer leadership to s{to}: {why}")
            }
            Note::TimeoutNowSent { to } => write!(f, "told s{to} to campaign now"),
            Note::TimeoutNowReceived { from } => {
                write!(f, "campaigns at once: leadership handed over by s{from}")
            }
            Note::ProposalDropped { why } => write!(f, "dropped a client request: {why}"),
            Note::ConfigAppended { config, index } => {
                write!(f, "appended configuration {config} at index {index}")
            }
            Note::CatchingUp { server } => {
                write!(f, "catching up s{server} before it joins as a voter")
            }
            Note::ReadServed { key, index } => {
                write!(f, "answered read of {key} at read index {index}")
            }
            Note::RemovedSelf => write!(f, "left the cluster: removal committed"),
            Note::LeaseRead { key, index } => {
                write!(f, "answered read of {key} at index {index} from its lease")
            }
            Note::NothingToCompact => write!(f, "nothing new to compact"),
        }
    }
}
