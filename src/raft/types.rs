//! Basic Raft types: ids, terms, indexes, log entries and the commands they carry.

use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A server's number: `s3` is 3. Names run s1..s9.
pub type ServerId = u8;

/// A small map keyed by server (at most nine entries): a sorted vector, in id order.
pub type IdMap<V> = litemap::LiteMap<ServerId, V>;
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
pub enum Command {
    /// Appended by every new leader in its own term.
    Noop,
    /// Set `key` to `value`; applied at most once per (client, request).
    Put {
        client: ClientId,
        request: RequestId,
        key: String,
        value: String,
    },
    /// A new configuration (single-server change from the previous one). It takes effect
    /// as soon as it is appended to a log.
    Config { voters: Vec<ServerId> },
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Noop => write!(f, "no-op"),
            Command::Put { key, value, .. } => write!(f, "{key}={value}"),
            Command::Config { voters } => {
                write!(f, "config {{")?;
                for (i, v) in voters.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ")?;
                    }
                    write!(f, "s{v}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Entry {
    pub term: Term,
    pub command: Command,
}

impl Entry {
    pub fn noop(term: Term) -> Entry {
        Entry {
            term,
            command: Command::Noop,
        }
    }
}

/// The set of voting members.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Configuration {
    pub voters: BTreeSet<ServerId>,
}

impl Configuration {
    pub fn new(voters: impl IntoIterator<Item = ServerId>) -> Configuration {
        Configuration {
            voters: voters.into_iter().collect(),
        }
    }

    pub fn contains(&self, id: ServerId) -> bool {
        self.voters.contains(&id)
    }

    /// Votes needed for a majority.
    pub fn quorum(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    /// True when the servers for which `yes` holds form a majority of the voters.
    pub fn has_quorum(&self, mut yes: impl FnMut(ServerId) -> bool) -> bool {
        !self.voters.is_empty() && self.voters.iter().filter(|&&v| yes(v)).count() >= self.quorum()
    }

    /// The highest index that a majority has reached, given each voter's match index.
    pub fn committed_index(&self, mut matched: impl FnMut(ServerId) -> Index) -> Index {
        if self.voters.is_empty() {
            return 0;
        }
        let mut m: Vec<Index> = self.voters.iter().map(|&v| matched(v)).collect();
        m.sort_unstable_by(|a, b| b.cmp(a));
        m[self.quorum() - 1]
    }

    pub fn to_command(&self) -> Command {
        Command::Config {
            voters: self.voters.iter().copied().collect(),
        }
    }
}

impl fmt::Display for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.voters.iter().map(|&v| name(v)).collect();
        write!(f, "{{{}}}", names.join(" "))
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

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Follower => "follower",
            Role::PreCandidate => "precandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_arithmetic() {
        assert_eq!(Configuration::new([1]).quorum(), 1);
        assert_eq!(Configuration::new([1, 2]).quorum(), 2);
        assert_eq!(Configuration::new([1, 2, 3]).quorum(), 2);
        assert_eq!(Configuration::new([1, 2, 3, 4]).quorum(), 3);
        assert_eq!(Configuration::new(1..=9).quorum(), 5);
        assert!(!Configuration::default().has_quorum(|_| true));
    }

    #[test]
    fn committed_index_is_the_majority_match() {
        let c = Configuration::new([1, 2, 3, 4, 5]);
        let m = [0, 7, 3, 9, 1, 3];
        assert_eq!(c.committed_index(|v| m[v as usize]), 3);
        let c = Configuration::new([1, 2, 3, 4]);
        assert_eq!(c.committed_index(|v| m[v as usize]), 3);
    }
}
