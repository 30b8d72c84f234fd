//! Majority arithmetic, in one place: how many votes win, which index a majority has
//! reached, whether an election is won, lost or still open. Modelled on etcd-raft's
//! `quorum/majority.go` (`CommittedIndex`, `VoteResult`), for a single majority
//! configuration, and on `quorum/joint.go` for a joint one (C_old,new: every decision
//! needs a majority of C_old and a majority of C_new). An empty set of voters never has a
//! majority; an empty C_old (a configuration that is not joint) asks nothing.

use super::bugs::{self, Bug};
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
    // From the highest down, the `majority`-th index is the one a majority has reached.
    let at = if bugs::active(Bug::QuorumOffByOne) {
        // The deliberate off-by-one: n/2 taken for the count and made zero-based, when it
        // already is the zero-based position; the index reached by one voter fewer.
        (voters.len() / 2).saturating_sub(1)
    } else {
        majority(voters.len()) - 1
    };
    m[at]
}

/// The same questions asked of a configuration's voters: of both halves while it is
/// joint (learners never count).
impl Configuration {
    /// Votes needed for a majority (of C_new while joint).
    pub fn quorum(&self) -> usize {
        majority(self.voters.len())
    }

    /// True when the servers for which `yes` holds form a majority of the voters (of
    /// both C_old and C_new while joint).
    pub fn has_quorum(&self, mut yes: impl FnMut(ServerId) -> bool) -> bool {
        has_majority(self.voters, &mut yes)
            && (!self.is_joint() || has_majority(self.outgoing, &mut yes))
    }

    /// The highest index that a majority has reached, given each voter's match index
    /// (while joint: the lower of the two majorities' indexes).
    pub fn committed_index(&self, mut matched: impl FnMut(ServerId) -> Index) -> Index {
        let new = committed_index(self.voters, &mut matched);
        if self.is_joint() {
            new.min(committed_index(self.outgoing, &mut matched))
        } else {
            new
        }
    }

    /// Where an election stands (while joint: won when both halves are won, lost when
    /// either is lost).
    pub fn vote_result(&self, vote: impl Fn(ServerId) -> Option<bool>) -> VoteResult {
        let new = vote_result(self.voters, &vote);
        if !self.is_joint() {
            return new;
        }
        match (new, vote_result(self.outgoing, &vote)) {
            (VoteResult::Won, VoteResult::Won) => VoteResult::Won,
            (VoteResult::Lost, _) | (_, VoteResult::Lost) => VoteResult::Lost,
            _ => VoteResult::Pending,
        }
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

    fn joint(new: &[ServerId], old: &[ServerId]) -> Configuration {
        Configuration {
            voters: set(new),
            outgoing: set(old),
            ..Configuration::default()
        }
    }

    /// etcd's `quorum/testdata/joint_commit.txt`, case for case: (C_new, C_old, the match
    /// index of each id of either half in id order, 0 for "not heard of", committed).
    #[test]
    fn joint_committed_index_table() {
        type Case<'a> = (&'a [ServerId], &'a [ServerId], &'a [Index], Index);
        let cases: &[Case] = &[
            (&[1, 2, 3], &[], &[100, 101, 99], 100),
            (&[1], &[2], &[0, 0], 0),
            (&[1], &[2], &[100, 0], 0),
            (&[1], &[2], &[13, 100], 13),
            (&[1], &[1], &[0], 0),
            (&[1], &[1], &[100], 100),
            (&[1, 3], &[2], &[0, 0, 0], 0),
            (&[1, 3], &[2], &[100, 0, 0], 0),
            (&[1, 3], &[2], &[100, 0, 50], 0),
            (&[1, 3], &[2], &[100, 45, 50], 45),
            (&[1, 2], &[2], &[0, 0], 0),
            (&[1, 2], &[2], &[100, 0], 0),
            (&[1, 2], &[2], &[0, 100], 0),
            (&[1, 2], &[2], &[50, 100], 50),
            (&[1, 2], &[2], &[100, 50], 50),
            (&[1, 2], &[3, 4], &[50, 0, 0, 0], 0),
            (&[1, 2], &[3, 4], &[50, 0, 49, 0], 0),
            (&[1, 2], &[3, 4], &[50, 48, 49, 0], 0),
            (&[1, 2], &[3, 4], &[50, 48, 49, 47], 47),
            (&[1, 2], &[2, 3], &[0, 0, 0], 0),
            (&[1, 2], &[2, 3], &[100, 0, 0], 0),
            (&[1, 2], &[2, 3], &[0, 100, 0], 0),
            (&[1, 2], &[2, 3], &[0, 100, 99], 0),
            (&[1, 2], &[2, 3], &[101, 100, 99], 99),
            (&[1, 2], &[1, 2], &[0, 0], 0),
            (&[1, 2], &[1, 2], &[0, 40], 0),
            (&[1, 2], &[1, 2], &[41, 40], 40),
            (&[1, 2, 3], &[4, 5, 6], &[0, 0, 0, 0, 0, 0], 0),
            (&[1, 2, 3], &[4, 5, 6], &[100, 0, 0, 0, 0, 0], 0),
            (&[1, 2, 3], &[4, 5, 6], &[100, 0, 0, 90, 0, 0], 0),
            (&[1, 2, 3], &[4, 5, 6], &[100, 99, 0, 0, 0, 0], 0),
            (&[1, 2, 3], &[4, 5, 6], &[0, 99, 90, 97, 95, 0], 90),
            (&[1, 2, 3], &[4, 5, 6], &[92, 99, 90, 97, 95, 0], 92),
            (&[1, 2, 3], &[4, 5, 6], &[92, 99, 90, 97, 95, 77], 92),
            (&[1, 2, 3], &[1, 4, 5], &[0, 0, 0, 0, 0], 0),
            (&[1, 2, 3], &[1, 4, 5], &[100, 0, 0, 0, 0], 0),
            (&[1, 2, 3], &[1, 4, 5], &[100, 101, 0, 0, 0], 0),
            (&[1, 2, 3], &[1, 4, 5], &[100, 101, 100, 0, 0], 0),
            (&[1, 2, 3], &[1, 4, 5], &[0, 100, 0, 99, 98], 0),
            (&[1, 2, 3], &[1, 4, 5], &[0, 100, 99, 99, 98], 98),
            (&[1, 2, 3], &[1, 4, 5], &[1, 100, 99, 99, 98], 98),
            (&[1, 2, 3], &[1, 4, 5], &[100, 100, 99, 99, 98], 99),
            (&[1, 2, 3], &[2, 3, 4], &[0, 0, 0, 0], 0),
            (&[1, 2, 3], &[2, 3, 4], &[0, 100, 99, 0], 99),
            (&[1, 2, 3], &[2, 3, 4], &[98, 100, 99, 0], 99),
            (&[1, 2, 3], &[2, 3, 4], &[100, 100, 99, 0], 99),
            (&[1, 2, 3], &[2, 3, 4], &[100, 100, 99, 98], 99),
            (&[1, 2, 3], &[2, 3, 4], &[100, 0, 0, 101], 0),
            (&[1, 2, 3], &[2, 3, 4], &[100, 99, 0, 101], 99),
            (&[1, 2, 3], &[1, 2, 3], &[50, 45, 0], 45),
        ];
        for (i, &(new, old, matched, want)) in cases.iter().enumerate() {
            let c = joint(new, old);
            let ids: Vec<ServerId> = c.all_voters().iter().copied().collect();
            let at = |v: ServerId| matched[ids.iter().position(|&x| x == v).unwrap()];
            assert_eq!(
                c.committed_index(at),
                want,
                "case {i}: {new:?} {old:?} {matched:?}"
            );
            // Either half may be called C_old: the answer is symmetric.
            if !old.is_empty() {
                assert_eq!(
                    joint(old, new).committed_index(at),
                    want,
                    "case {i} swapped"
                );
            }
        }
    }

    /// Votes in a joint configuration (etcd's `joint_vote.txt` rule, with our majority
    /// rule inside each half): won when both halves are won, lost when either is lost.
    #[test]
    fn joint_vote_result_table() {
        use VoteResult::*;
        let (y, n, u) = (Some(true), Some(false), None);
        // (C_new, C_old, answers of each id of either half in id order, result)
        type Case<'a> = (
            &'a [ServerId],
            &'a [ServerId],
            &'a [Option<bool>],
            VoteResult,
        );
        let cases: &[Case] = &[
            (&[1], &[2], &[u, u], Pending),
            (&[1], &[2], &[y, u], Pending),
            (&[1], &[2], &[y, y], Won),
            (&[1], &[2], &[y, n], Lost),
            (&[1], &[2], &[n, u], Lost),
            (&[1], &[1], &[y], Won),
            (&[1, 2, 3], &[1, 4, 5], &[y, y, u, u, u], Pending),
            (&[1, 2, 3], &[1, 4, 5], &[y, y, u, y, u], Won),
            (&[1, 2, 3], &[1, 4, 5], &[y, n, n, y, y], Lost),
            (&[1, 2, 3], &[1, 4, 5], &[y, y, y, n, n], Lost),
            // Figure 10: s1 s2 (a majority of C_old = s1 s2 s3) cannot elect while joint
            // with C_new = s1..s5 unless s3 or s4 or s5 also grant.
            (&[1, 2, 3, 4, 5], &[1, 2, 3], &[y, y, u, u, u], Pending),
            (&[1, 2, 3, 4, 5], &[1, 2, 3], &[y, y, u, y, u], Won),
            (&[1, 2, 3, 4, 5], &[1, 2, 3], &[y, n, n, y, y], Lost),
        ];
        for (i, &(new, old, answers, want)) in cases.iter().enumerate() {
            let c = joint(new, old);
            let ids: Vec<ServerId> = c.all_voters().iter().copied().collect();
            let got = c.vote_result(|v| answers[ids.iter().position(|&x| x == v).unwrap()]);
            assert_eq!(got, want, "case {i}: {new:?} {old:?} {answers:?}");
        }
    }

    #[test]
    fn joint_quorum_needs_both_majorities_and_ignores_learners() {
        let mut c = joint(&[1, 2, 3, 4, 5], &[1, 2, 3]);
        c.learners = set(&[6, 7, 8]);
        assert!(
            !c.has_quorum(|v| [1, 4, 5, 6, 7, 8].contains(&v)),
            "C_old: only s1"
        );
        assert!(!c.has_quorum(|v| [1, 2].contains(&v)), "C_new: 2 of 5");
        assert!(c.has_quorum(|v| [1, 2, 4].contains(&v)));
        let simple = Configuration {
            learners: set(&[4, 5]),
            ..Configuration::new([1, 2, 3])
        };
        assert!(!simple.has_quorum(|v| v != 2 && v != 3));
        assert_eq!(
            simple.committed_index(|v| if v > 3 { 9 } else { v.into() }),
            2
        );
    }

    /// The deliberate off-by-one takes, within each majority, the index one voter fewer
    /// reached: 2 of 5, 1 of 3 or of 2, and (while joint) so in both halves.
    #[test]
    fn the_quorum_off_by_one_bug_counts_one_voter_fewer_in_each_majority() {
        let five = |c: &Configuration| c.committed_index(|v| [9, 8, 7, 6, 5][v as usize - 1]);
        let three = Configuration::new([1, 2, 3]);
        let split = joint(&[1, 2, 3], &[1, 4, 5]);
        let leader_alone = |v: ServerId| if v == 1 { 100 } else { 0 };
        let check = |want: [Index; 5]| {
            assert_eq!(five(&Configuration::new([1, 2, 3, 4, 5])), want[0]);
            assert_eq!(three.committed_index(leader_alone), want[1]);
            assert_eq!(committed_index(set(&[1, 2]), leader_alone), want[2]);
            assert_eq!(committed_index(set(&[1]), leader_alone), want[3]);
            assert_eq!(split.committed_index(leader_alone), want[4]);
        };
        check([7, 0, 0, 100, 0]);
        {
            let _b = bugs::BugOn::new(Bug::QuorumOffByOne);
            check([8, 100, 100, 100, 100]);
        }
        check([7, 0, 0, 100, 0]);
    }

    #[test]
    fn has_majority_needs_voters() {
        assert!(!has_majority(ServerSet::new(), |_| true));
        assert!(has_majority(set(&[1, 2, 3]), |v| v != 3));
        assert!(!has_majority(set(&[1, 2, 3]), |v| v == 3));
    }
}
