//! A bounded record of recent messages and role changes, for the page's space-time
//! (Lamport) diagram: who sent what to whom, when it arrived or was lost, which were
//! copies; and when each server took each role in each term. Part of the `Sim` (so time
//! travel restores it with the checkpoints); nothing here changes a run.

use std::collections::VecDeque;

use crate::raft::{ServerId, Term};

use super::network::MsgId;
use super::server::ServerRole;
use super::time::Micros;

/// Messages kept (the oldest are forgotten first).
pub const MAX_MESSAGES: usize = 1024;
/// Role changes kept.
pub const MAX_ROLES: usize = 512;

/// One message's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trace {
    pub id: MsgId,
    /// As `MessageView::kind`.
    pub kind: &'static str,
    /// 0 for the client.
    pub from: ServerId,
    pub to: ServerId,
    pub sent_us: Micros,
    /// Delivered or lost at (None: in flight).
    pub end_us: Option<Micros>,
    /// Lost (drawn lost, link or receiver down, or dropped by hand) rather than delivered.
    pub lost: bool,
    /// A copy made by the network or by hand (duplication).
    pub copy: bool,
}

/// A server took `role` in `term` at `at_us`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleMark {
    pub at_us: Micros,
    pub server: ServerId,
    pub role: ServerRole,
    pub term: Term,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trail {
    /// By id, ascending.
    pub messages: VecDeque<Trace>,
    /// In time order.
    pub roles: VecDeque<RoleMark>,
}

impl Trail {
    pub(crate) fn sent(&mut self, t: Trace) {
        if self.messages.len() >= MAX_MESSAGES {
            self.messages.pop_front();
        }
        self.messages.push_back(t);
    }

    /// The message `id` ended (delivered, or lost) at `now`.
    pub(crate) fn ended(&mut self, id: MsgId, now: Micros, lost: bool) {
        if let Ok(i) = self.messages.binary_search_by_key(&id, |t| t.id) {
            let t = &mut self.messages[i];
            t.end_us = Some(now);
            t.lost = lost;
        }
    }

    /// Notes a server's role and term, if changed since its last mark.
    pub(crate) fn role(&mut self, now: Micros, server: ServerId, role: ServerRole, term: Term) {
        let last = self.roles.iter().rev().find(|m| m.server == server);
        if last.is_some_and(|m| m.role == role && m.term == term) {
            return;
        }
        if self.roles.len() >= MAX_ROLES {
            self.roles.pop_front();
        }
        self.roles.push_back(RoleMark {
            at_us: now,
            server,
            role,
            term,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(id: MsgId) -> Trace {
        Trace {
            id,
            kind: "append",
            from: 1,
            to: 2,
            sent_us: id * 10,
            end_us: None,
            lost: false,
            copy: false,
        }
    }

    #[test]
    fn bounded_and_ends_found_by_id() {
        let mut t = Trail::default();
        for id in 1..=(MAX_MESSAGES as u64 + 10) {
            t.sent(trace(id));
        }
        assert_eq!(t.messages.len(), MAX_MESSAGES);
        assert_eq!(t.messages[0].id, 11);
        t.ended(500, 7, true);
        let m = t.messages.iter().find(|m| m.id == 500).unwrap();
        assert_eq!((m.end_us, m.lost), (Some(7), true));
        t.ended(3, 7, false); // forgotten: ignored
        t.role(0, 1, ServerRole::Follower, 1);
        t.role(5, 1, ServerRole::Follower, 1);
        t.role(6, 1, ServerRole::Candidate, 2);
        assert_eq!(t.roles.len(), 2);
    }
}

#[cfg(test)]
mod sim_tests {
    use crate::sim::{Command, Setup, Sim};

    /// Every delivery and loss the trace reports is in the trail, with its moment.
    #[test]
    fn trail_matches_the_trace() {
        let mut sim = Sim::new(&Setup::default());
        sim.trace = true;
        sim.feed_log = Some(Vec::new());
        sim.run_until(1_500_000);
        let victim = *sim.network.in_flight.keys().next().unwrap();
        sim.apply(Command::DuplicateMessage(victim)).unwrap();
        sim.apply(Command::DropMessage(victim)).unwrap();
        sim.run_until(3_000_000);
        let log = sim.feed_log.take().unwrap();
        let mut checked = 0;
        for item in &log {
            let words: Vec<&str> = item.text.split_whitespace().collect();
            let (lost, id) = match words.as_slice() {
                ["delivered", "message", id, ..] => (false, id),
                ["dropped", _, "message", id, ..] | ["dropped", _, _, "message", id, ..] => {
                    (true, id)
                }
                _ => continue,
            };
            let id: u64 = id.parse().unwrap();
            if let Some(t) = sim.trail.messages.iter().find(|t| t.id == id) {
                assert_eq!(
                    (t.end_us, t.lost),
                    (Some(item.time_us), lost),
                    "{}",
                    item.text
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked}");
        let v = sim.trail.messages.iter().find(|t| t.id == victim).unwrap();
        assert!(v.lost && v.end_us == Some(1_500_000));
        assert!(sim.trail.messages.iter().any(|t| t.copy));
        let leader = sim.leader().unwrap();
        let last = sim
            .trail
            .roles
            .iter()
            .rev()
            .find(|m| m.server == leader)
            .unwrap();
        assert_eq!(last.role, crate::sim::view::ServerRole::Leader);
    }
}
