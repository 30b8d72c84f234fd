//! What goes into a node and what comes out of it: inputs (messages, timer firings, client
//! and operator requests), outputs, the options it runs with and what survives a crash.

use super::config::{Configuration, ServerSet};
use super::log::Log;
use super::message::Message;
use super::note::Note;
use super::types::{ClientId, Entry, Index, RequestId, ServerId, Term};
use std::fmt;

/// How a leader answers a `get`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadMode {
    /// ReadIndex: confirm leadership by a heartbeat round acknowledged by a majority.
    #[default]
    ReadIndex,
    /// Leader lease: answer at once while a lease, started when a heartbeat round was
    /// sent and held once a majority acknowledged it, has not run out (the simulator
    /// makes it last less than the minimum election timeout). Followers ignore vote
    /// requests for the minimum election timeout after hearing from the leader (also
    /// after a restart), as with check-quorum.
    Lease,
}

impl ReadMode {
    /// The word `set read-mode` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadMode::ReadIndex => "read-index",
            ReadMode::Lease => "lease",
        }
    }
}

/// Switchable protocol features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub prevote: bool,
    pub check_quorum: bool,
    /// Compact automatically when the log holds more than this many times the entries
    /// needed to rebuild the state machine.
    pub snapshot_factor: Option<u32>,
    /// Most entries in one AppendEntries.
    pub max_entries: usize,
    /// Most appends in flight to one follower in replicate state (the window).
    pub max_inflight: usize,
    /// Heartbeat rounds after which an unanswered snapshot, or the oldest unanswered
    /// append in flight, is taken as lost (the follower is probed again).
    pub retry_rounds: u64,
    pub read_mode: ReadMode,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            prevote: false,
            check_quorum: false,
            snapshot_factor: None,
            max_entries: 64,
            max_inflight: 256,
            retry_rounds: 6,
            read_mode: ReadMode::ReadIndex,
        }
    }
}

/// What survives a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Durable {
    pub term: Term,
    pub vote: Option<ServerId>,
    pub log: Log,
}

impl Durable {
    pub fn new(config: Configuration) -> Durable {
        Durable {
            term: 0,
            vote: None,
            log: Log::new(config),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Randomized election timeout (for a leader: the check-quorum / transfer period).
    Election,
    /// The leader's heartbeat interval.
    Heartbeat,
    /// Check-quorum lease: the minimum election timeout after hearing from the leader.
    Lease,
    /// Read lease of the heartbeat round with this number: asked for when the round is
    /// sent (read mode `lease`); when it fires, a lease held from that round has run out.
    ReadLease(u64),
}

/// A client's request as received by a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    pub client: ClientId,
    pub request: RequestId,
    pub op: ClientOp,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ClientOp {
    Put {
        key: String,
        value: String,
    },
    Get {
        key: String,
    },
    Add {
        server: ServerId,
    },
    Remove {
        server: ServerId,
    },
    /// A joint change to exactly these voters (through C_old,new).
    ChangeMembers {
        voters: ServerSet,
    },
    /// A new non-voting member.
    AddLearner {
        server: ServerId,
    },
    /// A learner becomes a voter (once it has caught up).
    Promote {
        server: ServerId,
    },
}

impl fmt::Display for ClientOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientOp::Put { key, value } => write!(f, "put {key} {value}"),
            ClientOp::Get { key } => write!(f, "get {key}"),
            ClientOp::Add { server } => write!(f, "add s{server}"),
            ClientOp::Remove { server } => write!(f, "remove s{server}"),
            ClientOp::ChangeMembers { voters } => {
                write!(f, "change members")?;
                for v in voters.iter() {
                    write!(f, " s{v}")?;
                }
                Ok(())
            }
            ClientOp::AddLearner { server } => write!(f, "add learner s{server}"),
            ClientOp::Promote { server } => write!(f, "promote s{server}"),
        }
    }
}

/// A server's answer to a client.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ClientResult {
    /// Done (a put applied, a configuration change committed).
    Ok,
    /// A linearizable read's value.
    Value { value: Option<String> },
    /// Not the leader; the leader it knows of, if any.
    Redirect { leader: Option<ServerId> },
    /// The leader cannot take this now (another configuration change is in progress, or
    /// it has not committed an entry of its term yet); try again shortly.
    Busy { why: String },
    /// The request can never succeed (e.g. removing the last server).
    Refused { why: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientReply {
    pub client: ClientId,
    pub request: RequestId,
    pub result: ClientResult,
}

/// Requests from the operator (the page or a scenario), not from the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admin {
    /// Hand leadership to this server (only a leader acts on it).
    Transfer(ServerId),
    /// Take a snapshot at the applied index and discard the log up to there.
    Compact,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Message(Message),
    Timer(Timer),
    Client(ClientRequest),
    Admin(Admin),
    /// Switch protocol features (takes effect at once; no output).
    SetOptions(Options),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Send(Message),
    /// (Re)start a timer; any earlier firing of it is cancelled.
    SetTimer(Timer),
    StopTimer(Timer),
    Reply(ClientReply),
    Note(Note),
    /// The entry at `index` was applied to the state machine.
    Applied {
        index: Index,
        entry: Entry,
    },
    /// The log changed from this index on (appended, truncated, replaced).
    LogChanged {
        from: Index,
    },
    /// A configuration entry was applied (committed).
    ConfigCommitted {
        index: Index,
        config: Configuration,
    },
}
