//! How the world drives its one client (the rules are described in `sim::client`, which
//! holds the client's state): starting the next request, sending it, timeouts and
//! back-offs, following redirects, and taking the answers.

use crate::raft::{ClientId, ClientOp, ClientRequest, ClientResult, RequestId, ServerId};
use crate::t;

use super::{Event, Sim};
use crate::sim::client::*;
use crate::sim::network::{Addr, Payload};
use crate::sim::time::Micros;

impl Sim {
    /// Queues a request of the scenario's client; it starts at once if the client is idle.
    pub(crate) fn client_enqueue(&mut self, op: ClientOp) {
        self.request_as(CLIENT_ID, op);
    }

    /// Queues a request of client `c` (the scenario's client is 1; the fuzzer's extra
    /// clients are 2, 3, ...: `load`); it starts at once if that client is idle.
    pub fn request_as(&mut self, c: ClientId, op: ClientOp) {
        if c != CLIENT_ID {
            while self.load.len() < (c - 1) as usize {
                self.load.push(Client::default());
            }
        }
        self.cl(c).queue.push_back(op);
        self.client_start_next(c);
    }

    /// Client `c` (1: the scenario's client, 2..: the extra clients of `load`).
    fn cl(&mut self, c: ClientId) -> &mut Client {
        if c == CLIENT_ID {
            &mut self.client
        } else {
            &mut self.load[(c - 2) as usize]
        }
    }

    fn client_start_next(&mut self, c: ClientId) {
        if self.cl(c).current.is_some() {
            return;
        }
        let Some(op) = self.cl(c).queue.pop_front() else {
            return;
        };
        self.cl(c).next_request += 1;
        let request = self.cl(c).next_request;
        let now = self.now;
        self.cl(c).history.push(Operation {
            request,
            op,
            invoked_us: now,
            completed_us: None,
            outcome: None,
            answered_by: None,
            path: Vec::new(),
        });
        self.cl(c).current = Some(self.cl(c).history.len() - 1);
        self.cl(c).redirects = 0;
        self.cl(c).hops = 0;
        let cursor = self.cl(c).cursor;
        if cursor == 0 || !self.server_reachable(cursor) {
            self.cl(c).cursor = self.client_next_after(cursor);
        }
        let (target, why) = match (
            self.cl(c).via.filter(|&v| self.server_reachable(v)),
            self.cl(c).belief.filter(|&b| self.server_reachable(b)),
        ) {
            (Some(v), _) => (v, t!("first try: sent where the user chose")),
            (None, Some(b)) => (b, t!("first try")),
            (None, None) => (self.cl(c).cursor, t!("first try")),
        };
        self.client_send(c, target, why.to_string());
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

    fn client_send(&mut self, c: ClientId, to: ServerId, why: String) {
        let Some(i) = self.cl(c).current else { return };
        let now = self.now;
        let op = &mut self.cl(c).history[i];
        op.path.push(Hop {
            at_us: now,
            to,
            why,
        });
        let req = ClientRequest {
            client: c,
            request: op.request,
            op: op.op.clone(),
        };
        self.cl(c).target = Some(to);
        self.cl(c).awaiting = true;
        self.cl(c).busy = false;
        self.transmit(Addr::Client, Addr::Server(to), Payload::Request(req));
        self.client_arm(c, self.settings.client_timeout);
    }

    fn client_arm(&mut self, c: ClientId, after: Micros) {
        self.cl(c).gen += 1;
        let at = self.now + after;
        self.cl(c).deadline = Some(at);
        let gen = self.cl(c).gen;
        self.queue.push(at, Event::Client { client: c, gen });
    }

    /// Asks `to` at once, unless a whole round of servers was just asked one after the
    /// other without finding the leader (an election is going on): then it waits a little
    /// first, so that it never spins without letting time pass.
    fn client_hop(&mut self, c: ClientId, to: ServerId, why: String) {
        self.cl(c).hops += 1;
        if self.cl(c).hops > self.servers.len() {
            self.cl(c).hops = 0;
            self.cl(c).target = Some(to);
            self.cl(c).busy = true;
            self.client_arm(c, BUSY_BACKOFF);
        } else {
            self.client_send(c, to, why);
        }
    }

    /// The client's timer fired: a timeout (try the next server) or the end of a busy
    /// back-off (ask the same server again).
    pub(crate) fn client_timer(&mut self, c: ClientId, gen: u64) {
        if gen != self.cl(c).gen || self.cl(c).current.is_none() {
            return;
        }
        self.cl(c).deadline = None;
        self.cl(c).hops = 0;
        let Some(target) = self.cl(c).target else {
            return;
        };
        if self.cl(c).busy {
            self.cl(c).busy = false;
            self.client_send(c, target, t!("after a short wait").to_string());
            return;
        }
        self.cl(c).belief = None;
        self.cl(c).redirects = 0;
        self.cl(c).awaiting = false;
        let cursor = self.cl(c).cursor;
        self.cl(c).cursor = self.client_next_after(cursor);
        if self.cl(c).cursor == target && self.servers.len() > 1 {
            self.cl(c).cursor = self.client_next_after(target);
        }
        let next = self.cl(c).cursor;
        self.client_send(
            c,
            next,
            t!("no answer from s{target} (timeout)", target = target),
        );
    }

    /// A reply from a server reached the client.
    pub(crate) fn client_reply(
        &mut self,
        c: ClientId,
        from: ServerId,
        request: RequestId,
        result: ClientResult,
    ) {
        let Some(i) = self.cl(c).current else { return };
        if self.cl(c).history[i].request != request {
            return; // an answer to an earlier attempt of a finished request
        }
        let navigation = matches!(
            result,
            ClientResult::Redirect { .. } | ClientResult::Busy { .. }
        );
        if navigation {
            if !self.cl(c).awaiting || self.cl(c).target != Some(from) {
                // A copy of a redirect already followed, or one from a server asked before:
                // following it too would multiply the request's copies.
                return;
            }
            self.cl(c).awaiting = false;
        }
        // A final answer (done, a value, refused) counts from whichever attempt it comes:
        // the request took effect (or the read was served) after it was invoked.
        let outcome = match result {
            ClientResult::Ok => Answer::Ok,
            ClientResult::Value { value } => Answer::Value { value },
            ClientResult::Refused { why } => Answer::Refused { why },
            ClientResult::Redirect { leader } => {
                match leader.filter(|&l| self.server_reachable(l)) {
                    Some(l) if self.cl(c).redirects < self.servers.len() => {
                        self.cl(c).redirects += 1;
                        self.cl(c).belief = Some(l);
                        self.client_hop(c, l, t!("redirected by s{from}", from = from));
                    }
                    _ => {
                        self.cl(c).belief = None;
                        self.cl(c).redirects = 0;
                        let cursor = self.cl(c).cursor;
                        self.cl(c).cursor = self.client_next_after(cursor);
                        if self.cl(c).cursor == from && self.servers.len() > 1 {
                            self.cl(c).cursor = self.client_next_after(from);
                        }
                        let next = self.cl(c).cursor;
                        self.client_hop(c, next, t!("s{from} knows no leader", from = from));
                    }
                }
                return;
            }
            ClientResult::Busy { .. } => {
                self.cl(c).busy = true;
                self.cl(c).target = Some(from);
                self.client_arm(c, BUSY_BACKOFF);
                return;
            }
        };
        // Done.
        self.cl(c).gen += 1;
        self.cl(c).deadline = None;
        self.cl(c).belief = Some(from);
        self.cl(c).cursor = from;
        let now = self.now;
        let client = self.cl(c);
        let op = &mut client.history[i];
        op.completed_us = Some(now);
        op.answered_by = Some(from);
        if let (ClientOp::Get { key }, Answer::Value { value }) = (&op.op, &outcome) {
            client.last_read.insert(key.clone(), value.clone());
        }
        op.outcome = Some(outcome);
        self.cl(c).current = None;
        self.cl(c).target = None;
        self.client_start_next(c);
    }
}
