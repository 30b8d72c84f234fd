//! Things worth telling a student, for the event feed.

use super::config::Configuration;
use super::message::VoteRefusal;
use super::types::{Index, Role, ServerId, Term};
use crate::t;
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
    /// The sentence of the event feed (after the server's name), in the page's language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Note::Became { role, term } => {
                t!(
                    "became {role} in term {term}",
                    role = role.label(),
                    term = term
                )
            }
            Note::VoteGranted {
                candidate,
                term,
                pre: true,
            } => t!(
                "granted pre-vote to s{candidate} for term {term}",
                candidate = candidate,
                term = term
            ),
            Note::VoteGranted {
                candidate,
                term,
                pre: false,
            } => t!(
                "granted vote to s{candidate} for term {term}",
                candidate = candidate,
                term = term
            ),
            Note::VoteRefused {
                candidate,
                term,
                pre: true,
                why,
            } => t!(
                "refused pre-vote to s{candidate} for term {term}: {why}",
                candidate = candidate,
                term = term,
                why = why.describe()
            ),
            Note::VoteRefused {
                candidate,
                term,
                pre: false,
                why,
            } => t!(
                "refused vote to s{candidate} for term {term}: {why}",
                candidate = candidate,
                term = term,
                why = why.describe()
            ),
            Note::VoteIgnored {
                candidate,
                pre: true,
            } => t!(
                "ignored pre-vote request from s{candidate}: heard from the leader recently",
                candidate = candidate
            ),
            Note::VoteIgnored {
                candidate,
                pre: false,
            } => t!(
                "ignored vote request from s{candidate}: heard from the leader recently",
                candidate = candidate
            ),
            Note::LostQuorum { term } => t!(
                "stepped down in term {term}: no majority heard from for an election timeout",
                term = term
            ),
            Note::StaleLeaderDiscovered { from, term } => {
                t!(
                    "learned of term {term} from s{from}",
                    term = term,
                    from = from
                )
            }
            Note::Truncated { from } => {
                t!("deleted conflicting entries from index {from}", from = from)
            }
            Note::Committed { index } => t!("committed up to index {index}", index = index),
            Note::Compacted { index } => t!("took a snapshot up to index {index}", index = index),
            Note::SnapshotInstalled { index, from } => t!(
                "installed snapshot up to index {index} from s{from}",
                index = index,
                from = from
            ),
            Note::SnapshotSent { to, index } => {
                t!(
                    "sent snapshot up to {index} to s{to}",
                    index = index,
                    to = to
                )
            }
            Note::TransferStarted { to } => t!("transferring leadership to s{to}", to = to),
            Note::TransferAborted { to } => {
                t!("gave up transferring leadership to s{to}", to = to)
            }
            Note::TransferRefused { to, why } => {
                t!(
                    "cannot transfer leadership to s{to}: {why}",
                    to = to,
                    why = why
                )
            }
            Note::TimeoutNowSent { to } => t!("told s{to} to campaign now", to = to),
            Note::TimeoutNowReceived { from } => t!(
                "campaigns at once: leadership handed over by s{from}",
                from = from
            ),
            Note::ProposalDropped { why } => t!("dropped a client request: {why}", why = why),
            Note::ConfigAppended { config, index } => t!(
                "appended configuration {config} at index {index}",
                config = config,
                index = index
            ),
            Note::CatchingUp { server } => t!(
                "catching up s{server} before it joins as a voter",
                server = server
            ),
            Note::ReadServed { key, index } => t!(
                "answered read of {key} at read index {index}",
                key = key,
                index = index
            ),
            Note::RemovedSelf => t!("left the cluster: removal committed").to_string(),
            Note::LeaseRead { key, index } => t!(
                "answered read of {key} at index {index} from its lease",
                key = key,
                index = index
            ),
            Note::NothingToCompact => t!("nothing new to compact").to_string(),
        };
        f.write_str(&text)
    }
}
