//! A read-only view of a node, for the simulator, its checker and the page.

use super::config::Configuration;
use super::io::Options;
use super::kv::KvState;
use super::log::Log;
use super::progress::Progress;
use super::read::ReadQueue;
use super::types::{IdMap, Index, Role, ServerId, Term};

/// Everything a node shows, borrowed from it (`Node::status`).
#[derive(Clone, Copy, Debug)]
pub struct Status<'a> {
    pub id: ServerId,
    pub options: Options,
    pub role: Role,
    pub term: Term,
    pub vote: Option<ServerId>,
    /// The leader it knows of in its term.
    pub leader: Option<ServerId>,
    pub commit: Index,
    pub applied: Index,
    pub log: &'a Log,
    /// The configuration in effect: the latest one in the log, committed or not.
    pub config: &'a Configuration,
    pub kv: &'a KvState,
    /// Check-quorum lease: heard from the leader within the minimum election timeout.
    pub lease: bool,
    /// A leader's read lease (read mode `lease`) holds.
    pub read_lease: bool,
    /// A leader's view of the other servers (empty for other roles).
    pub progress: &'a IdMap<Progress>,
    /// Votes (or pre-votes) received in the current campaign: granted or refused.
    pub votes: &'a IdMap<bool>,
    /// The server a leader is handing leadership to.
    pub transfer: Option<ServerId>,
    /// ReadIndex reads not answered yet.
    pub pending_reads: usize,
    /// The ReadIndex reads themselves (what each waits for).
    pub reads: &'a ReadQueue,
    /// Client requests in the log waiting for their entry to apply.
    pub waiting_replies: usize,
}
