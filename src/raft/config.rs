//! Who votes: a set of server ids and the configuration built from it. A configuration is
//! either simple (one set of voters) or joint (C_old,new of the Raft paper's section 6:
//! `voters` is C_new and `outgoing` C_old, and every decision needs a majority of both);
//! learners receive the log and never vote.

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

    /// The ids in either set.
    pub fn union(self, other: ServerSet) -> ServerSet {
        ServerSet(self.0 | other.0)
    }

    /// The ids in `self` and not in `other`.
    pub fn difference(self, other: ServerSet) -> ServerSet {
        ServerSet(self.0 & !other.0)
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

/// The members: voters (C_new while joint), the outgoing voters (C_old, only while joint)
/// and the learners.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Configuration {
    pub voters: ServerSet,
    /// C_old while the configuration is joint (C_old,new); empty otherwise.
    #[serde(skip_serializing_if = "ServerSet::is_empty")]
    pub outgoing: ServerSet,
    /// Non-voting members: they receive the log, never vote and never campaign.
    #[serde(skip_serializing_if = "ServerSet::is_empty")]
    pub learners: ServerSet,
}

impl Configuration {
    pub fn new(voters: impl IntoIterator<Item = ServerId>) -> Configuration {
        Configuration {
            voters: voters.into_iter().collect(),
            ..Configuration::default()
        }
    }

    /// Is `id` a voter (of either half of a joint configuration)?
    pub fn contains(&self, id: ServerId) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id)
    }

    /// Is `id` a learner?
    pub fn is_learner(&self, id: ServerId) -> bool {
        self.learners.contains(&id)
    }

    /// Every voter and learner.
    pub fn members(&self) -> ServerSet {
        self.voters.union(self.outgoing).union(self.learners)
    }

    /// Every voter of either half.
    pub fn all_voters(&self) -> ServerSet {
        self.voters.union(self.outgoing)
    }

    /// Is this C_old,new?
    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }

    /// The configuration a log entry carries.
    pub fn of_entry(data: &EntryData) -> Option<Configuration> {
        match data {
            EntryData::Config {
                voters,
                outgoing,
                learners,
            } => Some(Configuration {
                voters: voters.iter().copied().collect(),
                outgoing: outgoing.iter().copied().collect(),
                learners: learners.iter().copied().collect(),
            }),
            _ => None,
        }
    }

    pub fn to_command(&self) -> EntryData {
        EntryData::Config {
            voters: self.voters.iter().copied().collect(),
            outgoing: self.outgoing.iter().copied().collect(),
            learners: self.learners.iter().copied().collect(),
        }
    }
}

/// `{s1 s2 s3}`; joint: `{s1 s2 s3} -> {s1 s2 s4}` (old, then new); learners follow:
/// `{s1 s2 s3} learners {s4}`.
impl fmt::Display for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |s: ServerSet| {
            let names: Vec<String> = s.iter().map(|&v| name(v)).collect();
            format!("{{{}}}", names.join(" "))
        };
        if self.is_joint() {
            write!(f, "{} -> ", set(self.outgoing))?;
        }
        write!(f, "{}", set(self.voters))?;
        if !self.learners.is_empty() {
            write!(f, " learners {}", set(self.learners))?;
        }
        Ok(())
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
    fn joint_and_learners_display_and_membership() {
        let c = Configuration {
            voters: [1, 2, 4].into_iter().collect(),
            outgoing: [1, 2, 3].into_iter().collect(),
            learners: [5].into_iter().collect(),
        };
        assert_eq!(c.to_string(), "{s1 s2 s3} -> {s1 s2 s4} learners {s5}");
        assert!(c.is_joint() && c.contains(3) && c.contains(4) && !c.contains(5));
        assert!(c.is_learner(5) && c.members().len() == 5);
        assert_eq!(Configuration::of_entry(&c.to_command()), Some(c.clone()));
        assert_eq!(Configuration::new([1, 2]).to_string(), "{s1 s2}");
        assert_eq!(
            serde_json::to_string(&Configuration::new([1, 2])).unwrap(),
            r#"{"voters":[1,2]}"#
        );
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
