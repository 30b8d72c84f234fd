//! Basic Raft types: ids, terms, indexes, log entries and the commands they carry.

use serde::Serialize;
use std::fmt;

/// A server's number: `s3` is 3. Names run s1..s9.
pub type ServerId = u8;

/// A small map keyed by server (at most nine entries): a sorted vector, in id order.
pub type IdMap<V> = litemap::LiteMap<ServerId, V>;

/// An [`IdMap`] of `pairs`, each inserted in turn (pairs in id order are appended).
/// Collecting into a `LiteMap` sorts instead, with a sort compiled for each value type:
/// about 3 KB of the page's wasm each.
pub fn id_map<V>(pairs: impl IntoIterator<Item = (ServerId, V)>) -> IdMap<V> {
    let mut m = IdMap::new();
    for (k, v) in pairs {
        if let Some((k, v)) = m.try_append(k, v) {
            m.insert(k, v);
        }
    }
    m
}

/// A Raft term.
pub type Term = u64;
/// A log index; the first entry has index 1, 0 means "none".
pub type Index = u64;
/// A client's id (the simulator has one client, id 1).
pub type ClientId = u32;
/// A client's request number, increasing per client.
pub type RequestId = u64;

/// Formats a server id the way the scenario format names it.
pub fn name(id: ServerId) -> String {
    format!("s{id}")
}

/// What a log entry asks the state machine (or the configuration) to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryData {
    /// Appended by every new leader in its own term.
    Noop,
    /// Set `key` to `value`; applied at most once per (client, request).
    Put {
        client: ClientId,
        request: RequestId,
        key: String,
        value: String,
    },
    /// A new configuration (a single-server change from the previous one, or a step of a
    /// joint change: C_old,new with `outgoing` = C_old, then C_new). It takes effect as
    /// soon as it is appended to a log.
    Config {
        voters: Vec<ServerId>,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        outgoing: Vec<ServerId>,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        learners: Vec<ServerId>,
    },
}

impl fmt::Display for EntryData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryData::Noop => write!(f, "no-op"),
            EntryData::Put { key, value, .. } => write!(f, "{key}={value}"),
            EntryData::Config {
                voters,
                outgoing,
                learners,
            } => {
                let set = |f: &mut fmt::Formatter<'_>, ids: &[ServerId]| {
                    write!(f, "{{")?;
                    for (i, v) in ids.iter().enumerate() {
                        if i > 0 {
                            write!(f, " ")?;
                        }
                        write!(f, "s{v}")?;
                    }
                    write!(f, "}}")
                };
                write!(f, "config ")?;
                if !outgoing.is_empty() {
                    set(f, outgoing)?;
                    write!(f, " -> ")?;
                }
                set(f, voters)?;
                if !learners.is_empty() {
                    write!(f, " learners ")?;
                    set(f, learners)?;
                }
                Ok(())
            }
        }
    }
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Entry {
    pub term: Term,
    pub data: EntryData,
}

impl Entry {
    pub fn noop(term: Term) -> Entry {
        Entry {
            term,
            data: EntryData::Noop,
        }
    }
}

/// A server's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    /// The role's word, as the scenario format, the trace and the page write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "precandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

impl Role {
    /// The role's name as the page shows it, in the page's language (`as_str` is the
    /// word of the scenario format, the trace and the page's hooks).
    pub fn label(self) -> &'static str {
        match self {
            Role::Follower => crate::t!("follower"),
            Role::PreCandidate => crate::t!("precandidate"),
            Role::Candidate => crate::t!("candidate"),
            Role::Leader => crate::t!("leader"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
