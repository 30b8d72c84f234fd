//! Majority arithmetic, in one place: how many votes win, which index a majority has
//! reached, whether an election is won, lost or still open. Modelled on etcd-raft's
//! `quorum/majority.go` (`CommittedIndex`, `VoteResult`), for a single majority
//! configuration. An empty set of voters never has a majority.

use super::config::{Configuration, ServerSet};
use super::types::{Index, ServerId};

/// Votes needed for a majority of `voters` servers.
pub fn majority(voters: usize) -> usize {
    voters / 2 + 1
}

/// True when the voters for which `yes` holds form a majority.
pub fn has_majority(voters: ServerSet, mut yes: impl FnMut(ServerId) -> bool) -> bool {
    !voters.is_empty() && voters.iter().filter(|&&v| yes(v)).count() >= majority(voters.len())
}

/// The highest index that a majority has reached, given each voter's match index
/// (0 without voters).
pub fn committed_index(voters: ServerSet, mut matched: impl FnMut(ServerId) -> Index) -> Index {
    if voters.is_empty() {
        return 0;
    }
    let mut m: Vec<Index> = voters.iter().map(|&v| matched(v)).collect();
    m.sort_unstable_by(|a, b| b.cmp(a));
    m[majority(voters.len()) - 1]
}

/// The same questions asked of a configuration's voters.
impl Configuration {
    /// Votes needed for a majority.
    pub fn quorum(&self) -> usize {
        majority(self.voters.len())
    }

    /// True when the servers for which `yes` holds form a majority of the voters.
    pub fn has_quorum(&self, yes: impl FnMut(ServerId) -> bool) -> bool {
        has_majority(self.voters, yes)
    }

    /// The highest index that a majority has reached, given each voter's match index.
    pub fn committed_index(&self, matched: impl FnMut(ServerId) -> Index) -> Index {
        committed_index(self.voters, matched)
    }
}

/// Where an election stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteResult {
    /// A majority granted.
    Won,
    /// Neither a majority granted nor a majority refused (yet).
    Pending,
    /// A majority refused.
    Lost,
}

/// The result of an election given each voter's answer (`None`: not heard from). Unlike
/// etcd, an election is lost only once a majority refused: with four voters, two grants
/// and two refusals stay `Pending` (the candidate waits for its timeout).
pub fn vote_result(voters: ServerSet, vote: impl Fn(ServerId) -> Option<bool>) -> VoteResult {
    if has_majority(voters, |v| vote(v) == Some(true)) {
        VoteResult::Won
    } else if has_majority(voters, |v| vote(v) == Some(false)) {
        VoteResult::Lost
    } else {
        VoteResult::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[ServerId]) -> ServerSet {
        ids.iter().copied().collect()
    }

    #[test]
    fn majority_sizes() {
        for (voters, want) in [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (9, 5)] {
            assert_eq!(majority(voters), want, "{voters} voters");
        }
    }

    #[test]
    fn committed_index_table() {
        // (voters, match index of each voter in order, committed index)
        type Case<'a> = (&'a [ServerId], &'a [Index], Index);
        let cases: &[Case] = &[
            (&[], &[], 0),
            (&[1], &[0], 0),
            (&[1], &[7], 7),
            (&[1, 2], &[5, 3], 3),
            (&[1, 2], &[0, 9], 0),
            (&[1, 2, 3], &[2, 2, 2], 2),
            (&[1, 2, 3], &[9, 5, 0], 5),
            (&[1, 2, 3], &[9, 0, 0], 0),
            (&[1, 2, 3, 4], &[9, 7, 3, 1], 3),
            (&[1, 2, 3, 4, 5], &[7, 3, 9, 1, 3], 3),
            (&[1, 2, 3, 4, 5], &[7, 8, 9, 1, 3], 7),
        ];
        for (i, &(voters, matched, want)) in cases.iter().enumerate() {
            let got = committed_index(set(voters), |v| {
                matched[voters.iter().position(|&x| x == v).unwrap()]
            });
            assert_eq!(got, want, "case {i}: {voters:?} {matched:?}");
        }
    }

    #[test]
    fn vote_result_table() {
        use VoteResult::*;
        // (voters, answers of each voter in order, result)
        let (y, n, u) = (Some(true), Some(false), None);
        type Case<'a> = (&'a [ServerId], &'a [Option<bool>], VoteResult);
        let cases: &[Case] = &[
            (&[], &[], Pending),
            (&[1], &[u], Pending),
            (&[1], &[y], Won),
            (&[1], &[n], Lost),
            (&[1, 2], &[y, u], Pending),
            (&[1, 2], &[y, y], Won),
            (&[1, 2], &[y, n], Pending),
            (&[1, 2, 3], &[y, u, u], Pending),
            (&[1, 2, 3], &[y, y, u], Won),
            (&[1, 2, 3], &[y, n, u], Pending),
            (&[1, 2, 3], &[y, n, n], Lost),
            (&[1, 2, 3, 4], &[y, y, n, n], Pending),
            (&[1, 2, 3, 4], &[y, y, y, n], Won),
            (&[1, 2, 3, 4], &[y, n, n, n], Lost),
            (&[1, 2, 3, 4, 5], &[y, y, y, u, u], Won),
            (&[1, 2, 3, 4, 5], &[y, n, n, n, u], Lost),
        ];
        for (i, &(voters, answers, want)) in cases.iter().enumerate() {
            let got = vote_result(set(voters), |v| {
                answers[voters.iter().position(|&x| x == v).unwrap()]
            });
            assert_eq!(got, want, "case {i}: {voters:?} {answers:?}");
        }
    }

    #[test]
    fn has_majority_needs_voters() {
        assert!(!has_majority(ServerSet::new(), |_| true));
        assert!(has_majority(set(&[1, 2, 3]), |v| v != 3));
        assert!(!has_majority(set(&[1, 2, 3]), |v| v == 3));
    }
}
