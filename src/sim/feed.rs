//! The event feed: what happened, in sentences, with its moment.

use crate::raft::ServerId;

use super::network::{Addr, Packet, Payload};
use super::time::Micros;

/// Feed items kept for the page (older ones are dropped).
pub const FEED_KEEP: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    /// Role and term changes.
    Role,
    Vote,
    Log,
    Commit,
    Snapshot,
    Config,
    Transfer,
    Client,
    /// Something the user or the scenario did.
    Action,
    /// A message delivered or lost (only when tracing).
    Message,
    Safety,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FeedItem {
    pub seq: u64,
    pub time_us: Micros,
    pub server: Option<ServerId>,
    pub kind: FeedKind,
    pub text: String,
}

/// One line about a packet: `append s1→s2 t3 ...` or `client → s2: put x 1`.
pub fn describe_packet(p: &Packet) -> String {
    match &p.payload {
        Payload::Raft(m) => m.describe(),
        Payload::Request(r) => match p.to {
            Addr::Server(s) => format!("client→s{s} #{} {}", r.request, r.op),
            Addr::Client => String::new(),
        },
        Payload::Reply(r) => match p.from {
            Addr::Server(s) => format!("s{s}→client #{} {:?}", r.request, r.result),
            Addr::Client => String::new(),
        },
    }
}
