//! Why each server has its role and term: what the simulator saw happen to it (the input
//! that moved it, the votes its campaign received and why some were refused). Kept per
//! server, small, and read by the page's explanations through the view; nothing here
//! changes a run.

use crate::raft::message::VoteRefusal;
use crate::raft::{Body, Input, Role, ServerId, Term, Timer};

use super::time::Micros;

/// What made a server take its role or reach its term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cause {
    /// It has been so since the cluster started.
    #[default]
    Start,
    /// A message from another server (`kind` as in `Body::kind`).
    Message {
        from: ServerId,
        kind: &'static str,
    },
    /// Its election timer fired (`forced`: by the user or a scenario's `timeout`).
    Timer {
        forced: bool,
    },
    /// A majority granted it their votes.
    Elected,
    /// Its campaign failed: a majority refused.
    LostElection,
    /// As leader, it heard from no majority for an election timeout (check-quorum).
    LostQuorum,
    /// A client's or an operator's request.
    Request,
    Crashed,
    Restarted,
}

impl Cause {
    fn of(input: &Input) -> Cause {
        match input {
            Input::Message(m) => Cause::Message {
                from: m.from,
                kind: m.body.kind(),
            },
            Input::Timer(Timer::Election) => Cause::Timer { forced: false },
            Input::Timer(_) => Cause::LostQuorum,
            _ => Cause::Request,
        }
    }
}

/// What the simulator notes of an input before the node takes it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seen {
    cause: Cause,
    /// A vote or pre-vote reply: (from, pre, granted, refusal).
    reply: Option<(ServerId, bool, bool, Option<VoteRefusal>)>,
}

impl Seen {
    pub(crate) fn of(input: &Input) -> Seen {
        let reply = match input {
            Input::Message(m) => match &m.body {
                Body::VoteReply { granted, refusal } => Some((m.from, false, *granted, *refusal)),
                Body::PreVoteReply { granted, refusal } => Some((m.from, true, *granted, *refusal)),
                _ => None,
            },
            _ => None,
        };
        Seen {
            cause: Cause::of(input),
            reply,
        }
    }
}

/// A server's story so far (see the module's comment).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Story {
    /// When it took its current role (or crashed, or restarted).
    pub role_since_us: Micros,
    pub role_cause: Cause,
    /// When it reached its current term.
    pub term_since_us: Micros,
    pub term_cause: Cause,
    /// Its latest campaign (pre-vote or vote): the term asked for, who granted, who
    /// refused and why.
    pub campaign_term: Term,
    pub campaign_pre: bool,
    pub granted: Vec<ServerId>,
    pub refused: Vec<(ServerId, VoteRefusal)>,
}

impl Story {
    /// Records what `input` did to a server whose (role, term) went from `before` to
    /// `after` at `now` (`seen` of the input).
    pub(crate) fn observe(
        &mut self,
        now: Micros,
        me: ServerId,
        seen: Seen,
        before: (Role, Term),
        after: (Role, Term),
    ) {
        // Replies count while the campaign they answer goes on (or just ended with it).
        let campaigning = matches!(before.0, Role::PreCandidate | Role::Candidate);
        if let (true, Some((from, pre, granted, refusal))) = (campaigning, seen.reply) {
            if pre == self.campaign_pre {
                if granted {
                    if !self.granted.contains(&from) {
                        self.granted.push(from);
                    }
                } else if let Some(r) = refusal {
                    if !self.refused.iter().any(|x| x.0 == from) {
                        self.refused.push((from, r));
                    }
                }
            }
        }
        let cause = seen.cause;
        if after.1 != before.1 {
            self.term_since_us = now;
            self.term_cause = cause;
        }
        if after.0 != before.0 {
            self.role_since_us = now;
            self.role_cause = match (before.0, after.0) {
                (_, Role::Leader) => Cause::Elected,
                (Role::Leader, _) if matches!(cause, Cause::LostQuorum | Cause::Timer { .. }) => {
                    Cause::LostQuorum
                }
                (Role::PreCandidate | Role::Candidate, Role::Follower)
                    if after.1 == before.1 && seen.reply.is_some() =>
                {
                    Cause::LostElection
                }
                _ => cause,
            };
            if matches!(after.0, Role::PreCandidate | Role::Candidate) {
                self.campaign_pre = after.0 == Role::PreCandidate;
                self.campaign_term = if self.campaign_pre {
                    after.1 + 1
                } else {
                    after.1
                };
                self.granted = vec![me];
                self.refused.clear();
            }
        } else if after.0 == Role::Candidate && after.1 != before.1 {
            // A candidate that times out again campaigns in a new term.
            self.campaign_pre = false;
            self.campaign_term = after.1;
            self.granted = vec![me];
            self.refused.clear();
        }
    }

    /// A crash or a restart at `now`.
    pub(crate) fn status_changed(&mut self, now: Micros, cause: Cause) {
        self.role_since_us = now;
        self.role_cause = cause;
    }
}
