//! The simulated network: messages in flight (with ids, so that one can be dropped or
//! duplicated by hand), per-message latency, loss and duplication, and the topology
//! (partitions into groups, single-link cuts, isolation, heal).
//!
//! Partitions and cuts are between servers; the client reaches every server.

use crate::raft::ServerSet;
use crate::raft::{ClientReply, ClientRequest, Message, ServerId};
use litemap::LiteMap;
use serde::Serialize;

use super::time::Micros;

pub type MsgId = u64;

/// The groups of a partition as a `partition` line writes them: `s1 s2 | s3 s4 s5`.
pub fn partition_text(groups: &[Vec<ServerId>]) -> String {
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|s| format!("s{s}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// An end of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Addr {
    Server(ServerId),
    Client,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    Raft(Message),
    Request(ClientRequest),
    Reply(ClientReply),
}

impl Payload {
    /// The kind shown by the page (`data-msg-type`).
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Raft(m) => m.body.kind(),
            Payload::Request(_) => "client_request",
            Payload::Reply(_) => "client_reply",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub sent: Micros,
    pub arrive: Micros,
    pub payload: Payload,
    /// Decided lost when sent (loss %): it vanishes on arrival.
    pub lost: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    next_id: MsgId,
    pub in_flight: LiteMap<MsgId, Packet>,
    /// Groups of the current partition (servers not named form one more group).
    pub groups: Vec<ServerSet>,
    /// Cut links: for each server, the servers with a higher id it is cut from.
    cuts: [ServerSet; 16],
    /// Raft messages sent so far, by kind (`Body::kind`) and receiver; a copy made by the
    /// network (duplication) is not counted.
    pub sent: LiteMap<(&'static str, ServerId), u64>,
    /// Isolated servers: no server reaches them, also one added later, until `heal`.
    pub isolated: ServerSet,
}

fn pair(a: ServerId, b: ServerId) -> (ServerId, ServerId) {
    (a.min(b), a.max(b))
}

impl Network {
    /// Counts one Raft message sent.
    pub fn count_sent(&mut self, kind: &'static str, to: ServerId) {
        *self.sent.entry((kind, to)).or_insert(0) += 1;
    }

    /// Raft messages of this kind sent so far (to `to`, or to anyone).
    pub fn sent_count(&self, kind: &str, to: Option<ServerId>) -> u64 {
        self.sent
            .iter()
            .filter(|((k, t), _)| *k == kind && to.is_none_or(|to| *t == to))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn new_id(&mut self) -> MsgId {
        self.next_id += 1;
        self.next_id
    }

    /// The group a server belongs to in the current partition (`groups.len()` is the
    /// group of servers not named).
    fn group(&self, s: ServerId) -> usize {
        self.groups
            .iter()
            .position(|g| g.contains(&s))
            .unwrap_or(self.groups.len())
    }

    /// Can a message from `a` reach `b` now?
    pub fn link_up(&self, a: Addr, b: Addr) -> bool {
        match (a, b) {
            (Addr::Server(x), Addr::Server(y)) => {
                x == y
                    || (!self.is_cut(x, y)
                        && !self.isolated.contains(&x)
                        && !self.isolated.contains(&y)
                        && self.group(x) == self.group(y))
            }
            _ => true,
        }
    }

    /// Replaces the topology with a partition into groups (cuts are healed).
    pub fn partition(&mut self, groups: Vec<ServerSet>) {
        self.groups = groups.into_iter().filter(|g| !g.is_empty()).collect();
        self.cuts = Default::default();
    }

    pub fn cut(&mut self, a: ServerId, b: ServerId) {
        if a != b {
            let (lo, hi) = pair(a, b);
            self.cuts[usize::from(lo)].insert(hi);
        }
    }

    /// Restores one link (the page's "click a cut link").
    pub fn mend(&mut self, a: ServerId, b: ServerId) {
        let (lo, hi) = pair(a, b);
        self.cuts[usize::from(lo)].remove(&hi);
    }

    /// Is the link between `a` and `b` cut (not counting partitions)?
    pub fn is_cut(&self, a: ServerId, b: ServerId) -> bool {
        let (lo, hi) = pair(a, b);
        self.cuts[usize::from(lo)].contains(&hi)
    }

    /// The links among `ids` that are cut or touch an isolated server, as (lower id,
    /// higher id), in order.
    pub fn cut_links(&self, ids: &[ServerId]) -> Vec<(ServerId, ServerId)> {
        let mut out = Vec::new();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                if self.is_cut(a, b) || self.isolated.contains(&a) || self.isolated.contains(&b) {
                    out.push(pair(a, b));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// No server reaches `s` (not even one added later) until `heal`.
    pub fn isolate(&mut self, s: ServerId) {
        self.isolated.insert(s);
    }

    pub fn heal(&mut self) {
        self.groups.clear();
        self.cuts = Default::default();
        self.isolated = ServerSet::default();
    }

    /// True when any link is down.
    pub fn is_split(&self) -> bool {
        !self.groups.is_empty()
            || !self.isolated.is_empty()
            || self.cuts.iter().any(|c| !c.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_cuts() {
        let s = Addr::Server;
        let mut n = Network::default();
        assert!(n.link_up(s(1), s(2)));
        n.partition(vec![[1, 2].into_iter().collect()]);
        assert!(n.link_up(s(1), s(2)));
        assert!(!n.link_up(s(1), s(3)));
        assert!(n.link_up(s(3), s(4)), "unnamed servers form one more group");
        assert!(
            n.link_up(Addr::Client, s(3)),
            "the client reaches every server"
        );
        n.heal();
        n.cut(3, 1);
        assert!(!n.link_up(s(1), s(3)) && !n.link_up(s(3), s(1)));
        assert!(n.link_up(s(1), s(2)));
        n.isolate(2);
        assert!(!n.link_up(s(2), s(4)) && n.link_up(s(2), s(2)));
        assert!(
            !n.link_up(s(9), s(2)),
            "a server added later cannot reach it either"
        );
        n.partition(vec![[2, 3].into_iter().collect()]);
        assert!(!n.link_up(s(2), s(3)), "a partition keeps the isolation");
        assert_eq!(n.cut_links(&[1, 2, 3]), vec![(1, 2), (2, 3)]);
        n.heal();
        assert!(n.link_up(s(2), s(3)));
        assert!(!n.is_split());
    }
}
