//! How the world drives its one client (the rules are described in `sim::client`, which
//! holds the client's state): starting the next request, sending it, timeouts and
//! back-offs, following redirects, and taking the answers.

use crate::raft::{ClientOp, ClientRequest, ClientResult, RequestId, ServerId};

use super::{Event, Sim};
use crate::sim::client::*;
use crate::sim::network::{Addr, Payload};
use crate::sim::time::Micros;

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
        let (target, why) = match (
            self.client.via.filter(|&v| self.server_reachable(v)),
            self.client.belief.filter(|&b| self.server_reachable(b)),
        ) {
            (Some(v), _) => (v, "first try: sent where the user chose"),
            (None, Some(b)) => (b, "first try"),
            (None, None) => (self.client.cursor, "first try"),
        };
        self.client_send(target, why.to_string());
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
