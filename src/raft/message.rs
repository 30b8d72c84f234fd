//! Messages between servers.

use super::log::{RejectHint, Snapshot};
use super::types::{Entry, Index, ServerId, Term};
use crate::t;
use serde::Serialize;

/// One message from a server to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    pub from: ServerId,
    pub to: ServerId,
    /// The sender's term; for a pre-vote request, the term the sender would campaign in.
    pub term: Term,
    pub body: Body,
}

/// Why a vote (or pre-vote) was refused, for the event feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteRefusal {
    /// The candidate's term is behind the voter's.
    StaleTerm,
    /// The voter already voted for another candidate in this term.
    AlreadyVoted,
    /// The candidate's log is less up to date than the voter's.
    LogBehind,
}

impl VoteRefusal {
    /// Why, in the page's language.
    pub fn describe(self) -> &'static str {
        match self {
            VoteRefusal::StaleTerm => t!("its term is behind"),
            VoteRefusal::AlreadyVoted => t!("already voted in this term"),
            VoteRefusal::LogBehind => t!("its log is behind"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// Pre-vote request: "could I win an election in term `term`?" (no term change).
    PreVote { last_index: Index, last_term: Term },
    PreVoteReply {
        granted: bool,
        refusal: Option<VoteRefusal>,
    },
    /// RequestVote. `transfer` marks a leadership-transfer campaign, which overrides the
    /// check-quorum lease.
    Vote {
        last_index: Index,
        last_term: Term,
        transfer: bool,
    },
    VoteReply {
        granted: bool,
        refusal: Option<VoteRefusal>,
    },
    /// AppendEntries (a heartbeat when `entries` is empty). `seq` numbers the leader's
    /// rounds, echoed in the reply; ReadIndex uses it to confirm leadership.
    Append {
        prev_index: Index,
        prev_term: Term,
        entries: Vec<Entry>,
        commit: Index,
        seq: u64,
    },
    /// Reply to Append or InstallSnapshot. On success `match_index` is the highest index
    /// known to match the leader's log.
    AppendReply {
        success: bool,
        match_index: Index,
        hint: Option<RejectHint>,
        seq: u64,
    },
    /// The leader's whole snapshot, for a follower that needs entries the leader discarded.
    /// (Boxed: a snapshot is much larger than the other bodies.)
    InstallSnapshot { snapshot: Box<Snapshot>, seq: u64 },
    /// Leadership transfer: "campaign now".
    TimeoutNow,
}

impl Body {
    /// A short name for traces and the page.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::PreVote { .. } => "prevote",
            Body::PreVoteReply { .. } => "prevote_reply",
            Body::Vote { .. } => "vote",
            Body::VoteReply { .. } => "vote_reply",
            Body::Append { .. } => "append",
            Body::AppendReply { .. } => "append_reply",
            Body::InstallSnapshot { .. } => "snapshot",
            Body::TimeoutNow => "timeout_now",
        }
    }

    pub fn is_reply(&self) -> bool {
        matches!(
            self,
            Body::PreVoteReply { .. } | Body::VoteReply { .. } | Body::AppendReply { .. }
        )
    }

    /// A small label: entries count, granted/refused, ...
    pub fn label(&self) -> String {
        match self {
            Body::PreVote { .. } | Body::Vote { .. } => String::new(),
            Body::PreVoteReply { granted, .. } | Body::VoteReply { granted, .. } => {
                if *granted { t!("yes") } else { t!("no") }.to_string()
            }
            Body::Append { entries, .. } => {
                if entries.is_empty() {
                    String::new()
                } else {
                    format!("{}", entries.len())
                }
            }
            Body::AppendReply {
                success,
                match_index,
                ..
            } => {
                if *success {
                    format!("ok {match_index}")
                } else {
                    "no".to_string()
                }
            }
            Body::InstallSnapshot { snapshot, .. } => format!("@{}", snapshot.index),
            Body::TimeoutNow => String::new(),
        }
    }
}

impl Message {
    /// One line for traces: `append s1→s2 t3 prev=4/3 entries=2 commit=4`.
    pub fn describe(&self) -> String {
        let head = format!(
            "{} s{}→s{} t{}",
            self.body.kind(),
            self.from,
            self.to,
            self.term
        );
        match &self.body {
            Body::PreVote {
                last_index,
                last_term,
            } => format!("{head} last={last_index}/{last_term}"),
            Body::Vote {
                last_index,
                last_term,
                transfer,
            } => format!(
                "{head} last={last_index}/{last_term}{}",
                if *transfer { " transfer" } else { "" }
            ),
            Body::PreVoteReply { granted, refusal } | Body::VoteReply { granted, refusal } => {
                match (granted, refusal) {
                    (true, _) => t!("{head} granted", head = head),
                    (false, Some(r)) => {
                        t!("{head} refused: {why}", head = head, why = r.describe())
                    }
                    (false, None) => t!("{head} refused", head = head),
                }
            }
            Body::Append {
                prev_index,
                prev_term,
                entries,
                commit,
                ..
            } => format!(
                "{head} prev={prev_index}/{prev_term} entries={} commit={commit}",
                entries.len()
            ),
            Body::AppendReply {
                success,
                match_index,
                hint,
                ..
            } => match (success, hint) {
                (true, _) => format!("{head} ok match={match_index}"),
                (false, Some(h)) => t!(
                    "{head} reject at {at} (conflict term {term} from {from})",
                    head = head,
                    at = h.rejected,
                    term = format!("{:?}", h.conflict_term),
                    from = h.conflict_index
                ),
                (false, None) => t!("{head} reject", head = head),
            },
            Body::InstallSnapshot { snapshot, .. } => {
                t!(
                    "{head} snapshot up to {index}/{term}",
                    head = head,
                    index = snapshot.index,
                    term = snapshot.term
                )
            }
            Body::TimeoutNow => head,
        }
    }
}
