//! Who votes: a set of server ids and the configuration built from it.

use super::types::{name, EntryData, ServerId};
use serde::Serialize;
use std::fmt;

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
