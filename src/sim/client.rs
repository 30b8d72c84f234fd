//! The scenario format's one client: requests go one after another, in order; each is
//! sent to the server the client believes leads; a redirect naming a leader is followed at
//! once; after a redirect without a leader, or no answer within the client timeout, it
//! tries the next server in name order (when it has asked a whole round of servers one right after
//! the other without finding the leader it waits 50 ms first; a busy leader is asked again
//! after 50 ms) (a rotation cursor that only moves forward, so a
//! stale leader in a minority cannot trap it). Retries keep the request id, so the state
//! machine's dedup table applies a retried write at most once.

use crate::raft::{ClientId, ClientOp, ClientRequest, ClientResult, RequestId, ServerId};
use litemap::LiteMap;
use serde::Serialize;
use std::collections::VecDeque;

use super::cluster::{Event, Sim};
use super::network::{Addr, Payload};
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
    next_request: RequestId,
    pub queue: VecDeque<ClientOp>,
    /// The request in progress (its index in `history`).
    pub current: Option<usize>,
    pub target: Option<ServerId>,
    pub belief: Option<ServerId>,
    pub cursor: ServerId,
    /// Redirects followed since the last timeout or leaderless redirect.
    redirects: usize,
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
    hops: usize,
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

impl Sim {
    /// Queues a client request; it starts at once if the client is idle.
    pub(crate) fn client_enqueue(&mut self, op: ClientOp) {
        self.client.queue.push_back(op);
        self.client_start_next();
    }

    fn client_start_next(&mut self) {
        if self.client.current.is_some() {
            return;
        }
        let Some(op) = self.client.queue.pop_front() else {
            return;
        };
        self.client.next_request += 1;
        let request = self.client.next_request;
        self.client.history.push(Operation {
            request,
            op,
            invoked_us: self.now,
            completed_us: None,
            outcome: None,
            answered_by: None,
            path: Vec::new(),
        });
        self.client.current = Some(self.client.history.len() - 1);
        self.client.redirects = 0;
        self.client.hops = 0;
        if self.client.cursor == 0 || !self.server_reachable(self.client.cursor) {
            self.client.cursor = self.client_next_after(self.client.cursor);
        }
        let target = match self.client.belief.filter(|&b| self.server_reachable(b)) {
            Some(b) => b,
            None => self.client.cursor,
        };
        self.client_send(target, "first try".to_string());
    }

    /// A server the client may address: it exists and was not removed.
    fn server_reachable(&self, id: ServerId) -> bool {
        self.servers.get(&id).is_some_and(|s| !s.removed())
    }

    fn client_next_after(&self, after: ServerId) -> ServerId {
        let ids: Vec<ServerId> = self
            .servers
            .keys()
            .copied()
            .filter(|&id| self.server_reachable(id))
            .collect();
        ids.iter()
            .copied()
            .find(|&id| id > after)
            .or_else(|| ids.first().copied())
            .unwrap_or(after)
    }

    fn client_send(&mut self, to: ServerId, why: String) {
        let Some(i) = self.client.current else { return };
        let now = self.now;
        let op = &mut self.client.history[i];
        op.path.push(Hop {
            at_us: now,
            to,
            why,
        });
        let req = ClientRequest {
            client: CLIENT_ID,
            request: op.request,
            op: op.op.clone(),
        };
        self.client.target = Some(to);
        self.client.awaiting = true;
        self.client.busy = false;
        self.transmit(Addr::Client, Addr::Server(to), Payload::Request(req));
        self.client_arm(self.settings.client_timeout);
    }

    fn client_arm(&mut self, after: Micros) {
        self.client.gen += 1;
        let at = self.now + after;
        self.client.deadline = Some(at);
        let gen = self.client.gen;
        self.queue.push(at, Event::Client { gen });
    }

    /// Asks `to` at once, unless a whole round of servers was just asked one after the
    /// other without finding the leader (an election is going on): then it waits a little
    /// first, so that it never spins without letting time pass.
    fn client_hop(&mut self, to: ServerId, why: String) {
        self.client.hops += 1;
        if self.client.hops > self.servers.len() {
            self.client.hops = 0;
            self.client.target = Some(to);
            self.client.busy = true;
            self.client_arm(BUSY_BACKOFF);
        } else {
            self.client_send(to, why);
        }
    }

    /// The client's timer fired: a timeout (try the next server) or the end of a busy
    /// back-off (ask the same server again).
    pub(crate) fn client_timer(&mut self, gen: u64) {
        if gen != self.client.gen || self.client.current.is_none() {
            return;
        }
        self.client.deadline = None;
        self.client.hops = 0;
        let Some(target) = self.client.target else {
            return;
        };
        if self.client.busy {
            self.client.busy = false;
            self.client_send(target, "after a short wait".to_string());
            return;
        }
        self.client.belief = None;
        self.client.redirects = 0;
        self.client.awaiting = false;
        self.client.cursor = self.client_next_after(self.client.cursor);
        if self.client.cursor == target && self.servers.len() > 1 {
            self.client.cursor = self.client_next_after(target);
        }
        let next = self.client.cursor;
        self.client_send(next, format!("no answer from s{target} (timeout)"));
    }

    /// A reply from a server reached the client.
    pub(crate) fn client_reply(
        &mut self,
        from: ServerId,
        request: RequestId,
        result: ClientResult,
    ) {
        let Some(i) = self.client.current else { return };
        if self.client.history[i].request != request {
            return; // an answer to an earlier attempt of a finished request
        }
        let navigation = matches!(
            result,
            ClientResult::Redirect { .. } | ClientResult::Busy { .. }
        );
        if navigation {
            if !self.client.awaiting || self.client.target != Some(from) {
                // A copy of a redirect already followed, or one from a server asked before:
                // following it too would multiply the request's copies.
                return;
            }
            self.client.awaiting = false;
        }
        // A final answer (done, a value, refused) counts from whichever attempt it comes:
        // the request took effect (or the read was served) after it was invoked.
        let outcome = match result {
            ClientResult::Ok => Answer::Ok,
            ClientResult::Value { value } => Answer::Value { value },
            ClientResult::Refused { why } => Answer::Refused { why },
            ClientResult::Redirect { leader } => {
                match leader.filter(|&l| self.server_reachable(l)) {
                    Some(l) if self.client.redirects < self.servers.len() => {
                        self.client.redirects += 1;
                        self.client.belief = Some(l);
                        self.client_hop(l, format!("redirected by s{from}"));
                    }
                    _ => {
                        self.client.belief = None;
                        self.client.redirects = 0;
                        self.client.cursor = self.client_next_after(self.client.cursor);
                        if self.client.cursor == from && self.servers.len() > 1 {
                            self.client.cursor = self.client_next_after(from);
                        }
                        let next = self.client.cursor;
                        self.client_hop(next, format!("s{from} knows no leader"));
                    }
                }
                return;
            }
            ClientResult::Busy { .. } => {
                self.client.busy = true;
                self.client.target = Some(from);
                self.client_arm(BUSY_BACKOFF);
                return;
            }
        };
        // Done.
        self.client.gen += 1;
        self.client.deadline = None;
        self.client.belief = Some(from);
        self.client.cursor = from;
        let now = self.now;
        let op = &mut self.client.history[i];
        op.completed_us = Some(now);
        op.answered_by = Some(from);
        if let (ClientOp::Get { key }, Answer::Value { value }) = (&op.op, &outcome) {
            self.client.last_read.insert(key.clone(), value.clone());
        }
        op.outcome = Some(outcome);
        self.client.current = None;
        self.client.target = None;
        self.client_start_next();
    }
}
