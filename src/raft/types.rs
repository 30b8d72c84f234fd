//! Basic Raft types: ids, terms, indexes, log entries and the commands they carry.

use serde::Serialize;
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
    /// A new configuration (single-server change from the previous one). It takes effect
    /// as soon as it is appended to a log.
    Config { voters: Vec<ServerId> },
}

impl fmt::Display for EntryData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryData::Noop => write!(f, "no-op"),
            EntryData::Put { key, value, .. } => write!(f, "{key}={value}"),
            EntryData::Config { voters } => {
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

/// A set of server ids (0..=15) as bits: in id order, no allocation, tiny code.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ServerSet(u16);

/// Every id a `ServerSet` can hold, for iterating by reference like a `BTreeSet`.
const IDS: [ServerId; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

impl ServerSet {
    pub const fn new() -> ServerSet {
        ServerSet(0)
    }

    fn bit(id: ServerId) -> u16 {
        assert!(id < 16, "server id {id} out of range");
        1 << id
    }

    /// Adds `id`; true if it was not there.
    pub fn insert(&mut self, id: ServerId) -> bool {
        let had = self.contains(&id);
        self.0 |= Self::bit(id);
        !had
    }

    /// Removes `id`; true if it was there.
    pub fn remove(&mut self, id: &ServerId) -> bool {
        let had = self.contains(id);
        self.0 &= !Self::bit(*id);
        had
    }

    pub fn contains(&self, id: &ServerId) -> bool {
        *id < 16 && self.0 & (1 << *id) != 0
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The ids in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = &'static ServerId> + '_ {
        IDS.iter().filter(move |id| self.contains(id))
    }
}

impl FromIterator<ServerId> for ServerSet {
    fn from_iter<I: IntoIterator<Item = ServerId>>(ids: I) -> ServerSet {
        let mut s = ServerSet::new();
        s.extend(ids);
        s
    }
}

impl Extend<ServerId> for ServerSet {
    fn extend<I: IntoIterator<Item = ServerId>>(&mut self, ids: I) {
        for id in ids {
            self.insert(id);
        }
    }
}

impl fmt::Debug for ServerSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for ServerSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The set of voting members.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Configuration {
    pub voters: ServerSet,
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

    pub fn to_command(&self) -> EntryData {
        EntryData::Config {
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

    #[test]
    fn server_set_behaves_like_an_ordered_set() {
        let mut s: ServerSet = [5, 1, 9].into_iter().collect();
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![1, 5, 9]);
        assert_eq!((s.len(), s.contains(&5), s.contains(&2)), (3, true, false));
        assert!(!s.insert(5) && s.insert(2));
        assert!(s.remove(&1) && !s.remove(&1));
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![2, 5, 9]);
        assert_eq!(format!("{s:?}"), "{2, 5, 9}");
        assert_eq!(serde_json::to_string(&s).unwrap(), "[2,5,9]");
        assert!(!s.contains(&200));
        assert!(ServerSet::new().is_empty());
    }
}
