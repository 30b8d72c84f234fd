//! The scenario format's one client: requests go one after another, in order; each is
//! sent to the server the client believes leads; a redirect naming a leader is followed at
//! once; after a redirect without a leader, or no answer within the client timeout, it
//! tries the next server in name order (when it has asked a whole round of servers one right after
//! the other without finding the leader it waits 50 ms first; a busy leader is asked again
//! after 50 ms) (a rotation cursor that only moves forward, so a
//! stale leader in a minority cannot trap it). Retries keep the request id, so the state
//! machine's dedup table applies a retried write at most once.
//!
//! This file holds the client's state; the world drives it in `cluster/client.rs`.

use crate::raft::{ClientId, ClientOp, RequestId, ServerId};
use litemap::LiteMap;
use serde::Serialize;
use std::collections::VecDeque;

use super::time::Micros;

pub const CLIENT_ID: ClientId = 1;
/// How long the client waits before asking a busy leader again, or before another round
/// of servers after none of them knew a leader.
pub const BUSY_BACKOFF: Micros = 50_000;

/// One hop of a request's path, for the page's client panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub at_us: Micros,
    pub to: ServerId,
    /// Why the client went there: "first try", "redirect from s2", "timeout at s1", ...
    pub why: String,
}

/// The outcome of a completed request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Answer {
    Ok,
    Value { value: Option<String> },
    Refused { why: String },
}

/// A request's invocation and (if done) completion, for the history and the
/// linearizability checker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Operation {
    pub request: RequestId,
    pub op: ClientOp,
    /// When the client started it (it was queued earlier if another was in progress).
    pub invoked_us: Micros,
    pub completed_us: Option<Micros>,
    pub outcome: Option<Answer>,
    pub answered_by: Option<ServerId>,
    pub path: Vec<Hop>,
}

#[derive(Clone, Debug, Default)]
pub struct Client {
    pub(super) next_request: RequestId,
    pub queue: VecDeque<ClientOp>,
    /// The request in progress (its index in `history`).
    pub current: Option<usize>,
    pub target: Option<ServerId>,
    /// Where a new request goes first, when the user chose (`client via sX`); else the
    /// leader it believes in, or the rotation cursor.
    pub via: Option<ServerId>,
    pub belief: Option<ServerId>,
    pub cursor: ServerId,
    /// Redirects followed since the last timeout or leaderless redirect.
    pub(super) redirects: usize,
    /// Generation of the pending timeout / retry event (older ones are ignored).
    pub gen: u64,
    pub deadline: Option<Micros>,
    /// The pending timer is a back-off (the leader was busy, or no server knew a
    /// leader), not a timeout: when it fires the client asks `target`.
    pub busy: bool,
    /// Waiting for `target`'s answer to the latest attempt (copies of a redirect or a
    /// "busy" already acted on, or ones from servers asked before, are ignored).
    pub awaiting: bool,
    /// Servers asked one right after the other (redirects and leaderless answers) since
    /// the last wait.
    pub(super) hops: usize,
    pub history: Vec<Operation>,
    /// The value the last completed `get` of each key returned.
    pub last_read: LiteMap<String, Option<String>>,
}

impl Client {
    pub fn in_progress(&self) -> Option<&Operation> {
        self.current.map(|i| &self.history[i])
    }

    /// Requests not finished yet (queued or in progress).
    pub fn outstanding(&self) -> usize {
        self.queue.len() + usize::from(self.current.is_some())
    }
}
