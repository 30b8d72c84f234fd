//! Pre-vote, check-quorum and the lease.

use super::*;

#[test]
fn precandidate_does_not_raise_its_term() {
    let mut p = node_with(1, 3, 4, Some(2), &[1, 4], prevote());
    let out = fire(&mut p, Timer::Election);
    assert_eq!(p.role, Role::PreCandidate);
    assert_eq!(p.term(), 4, "term unchanged");
    assert_eq!(p.durable.vote, Some(2), "vote unchanged");
    assert!(timer_set(&out, Timer::Election));
    let ms = sends(&out);
    assert_eq!(ms.iter().map(|m| m.to).collect::<Vec<_>>(), vec![2, 3]);
    for m in ms {
        assert_eq!(m.term, 5, "PreVote carries the term it would campaign in");
        assert_eq!(
            m.body,
            Body::PreVote {
                last_index: 2,
                last_term: 4
            }
        );
    }
    // Timing out again (a partitioned server) still does not raise the term.
    fire(&mut p, Timer::Election);
    fire(&mut p, Timer::Election);
    assert_eq!((p.role, p.term()), (Role::PreCandidate, 4));
}

#[test]
fn voter_does_not_change_its_term_on_a_prevote() {
    let mut v = node_with(2, 3, 4, Some(3), &[1, 4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 2,
            last_term: 4,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (5, true, None),
        "granted, echoing term 5"
    );
    assert_eq!(v.term(), 4);
    assert_eq!(v.durable.vote, Some(3), "a pre-vote is not a vote");
    assert!(
        !timer_set(&out, Timer::Election),
        "a pre-vote does not reset the timer"
    );
    // A pre-vote for a log behind is refused with the voter's own term.
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 9,
            last_term: 3,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (4, false, Some(VoteRefusal::LogBehind))
    );
    assert_eq!(v.term(), 4);
}

#[test]
fn prevote_majority_makes_a_real_candidate() {
    let mut p = node_with(1, 5, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    let pv = Body::PreVoteReply {
        granted: true,
        refusal: None,
    };
    deliver(&mut p, 2, 3, pv.clone());
    assert_eq!(p.role, Role::PreCandidate);
    let out = deliver(&mut p, 3, 3, pv.clone());
    assert_eq!(p.role, Role::Candidate);
    assert_eq!(p.term(), 3);
    assert_eq!(p.durable.vote, Some(1));
    assert_eq!(
        kinds(&out),
        vec![("vote", 2), ("vote", 3), ("vote", 4), ("vote", 5)]
    );
    assert!(sends(&out).iter().all(|m| m.term == 3));
    // A late pre-vote grant is not a vote.
    deliver(&mut p, 4, 3, pv);
    assert_eq!(p.role, Role::Candidate);
}

#[test]
fn prevote_refused_by_a_majority_returns_to_follower() {
    let mut p = node_with(1, 3, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    let no = Body::PreVoteReply {
        granted: false,
        refusal: Some(VoteRefusal::LogBehind),
    };
    deliver(&mut p, 2, 2, no.clone());
    assert_eq!(p.role, Role::PreCandidate, "1 refusal of 3");
    deliver(&mut p, 3, 2, no);
    assert_eq!((p.role, p.term()), (Role::Follower, 2));
    // A refusal from a voter in a higher term makes it adopt that term.
    let mut p = node_with(1, 3, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    deliver(
        &mut p,
        2,
        6,
        Body::PreVoteReply {
            granted: false,
            refusal: Some(VoteRefusal::StaleTerm),
        },
    );
    assert_eq!((p.role, p.term()), (Role::Follower, 6));
}

#[test]
fn prevote_is_granted_even_after_voting_in_the_current_term() {
    // A pre-vote for a later term does not conflict with this term's vote.
    let mut v = node_with(2, 3, 4, Some(3), &[4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 1,
            last_term: 4,
        },
    );
    assert_eq!(vote_reply(&out, 1), (5, true, None));
    // A stale pre-vote (for a term the voter has already passed) is refused.
    let mut v = node_with(2, 3, 6, None, &[4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 1,
            last_term: 4,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (6, false, Some(VoteRefusal::StaleTerm))
    );
}

// ====================================================================== check-quorum and lease

#[test]
fn follower_in_lease_ignores_vote_and_prevote_requests() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut f = node_with(2, 3, 1, None, &[1], opts);
    let out = deliver(&mut f, 1, 1, heartbeat(1, 1, 1));
    assert!(f.lease);
    assert!(timer_set(&out, Timer::Lease));
    assert!(f.in_lease());
    for body in [
        Body::PreVote {
            last_index: 5,
            last_term: 1,
        },
        vote_req(5, 1),
    ] {
        let out = deliver(&mut f, 3, 2, body);
        assert!(sends(&out).is_empty(), "no reply at all");
        assert!(matches!(
            notes(&out)[..],
            [Note::VoteIgnored { candidate: 3, .. }]
        ));
        assert_eq!(f.term(), 1, "term unchanged");
        assert_eq!(f.durable.vote, None);
        assert_eq!(f.leader, Some(1));
    }
    // A leadership-transfer campaign overrides the lease.
    let mut g = f.clone();
    let out = deliver(
        &mut g,
        3,
        2,
        Body::Vote {
            last_index: 5,
            last_term: 1,
            transfer: true,
        },
    );
    assert_eq!(vote_reply(&out, 3), (2, true, None));
    assert_eq!(g.durable.vote, Some(3));
    // Once the lease timer fires (minimum election timeout without the leader), it votes.
    fire(&mut f, Timer::Lease);
    assert!(!f.in_lease());
    let out = deliver(&mut f, 3, 2, vote_req(5, 1));
    assert_eq!(vote_reply(&out, 3), (2, true, None));
}

#[test]
fn without_check_quorum_there_is_no_lease() {
    let mut f = node_with(2, 3, 1, None, &[1], plain());
    let out = deliver(&mut f, 1, 1, heartbeat(1, 1, 1));
    assert!(!timer_set(&out, Timer::Lease));
    let out = deliver(&mut f, 3, 2, vote_req(5, 1));
    assert_eq!(vote_reply(&out, 3), (2, true, None));
}

#[test]
fn check_quorum_leader_steps_down_without_a_majority() {
    let mut l = leader_of(1, 5, 0, &[], check_quorum());
    // Round 1: s2 and s3 answer: with the leader itself that is a majority of 5.
    ack(&mut l, 2, 1);
    ack(&mut l, 3, 1);
    let out = fire(&mut l, Timer::Election);
    assert_eq!(l.role, Role::Leader, "a majority was active");
    assert!(timer_set(&out, Timer::Election));
    // Round 2: only s2 answers (2 of 5).
    ack(&mut l, 2, 1);
    let out = fire(&mut l, Timer::Election);
    assert_eq!(
        l.role,
        Role::Follower,
        "no majority heard from for an election timeout"
    );
    assert_eq!(l.term(), 1, "stepping down does not change the term");
    assert_eq!(l.leader, None);
    assert!(notes(&out).contains(&Note::LostQuorum { term: 1 }));
    assert!(out.contains(&Output::StopTimer(Timer::Heartbeat)));
}

#[test]
fn check_quorum_counts_rejections_as_activity() {
    let mut l = leader_of(1, 3, 0, &[], check_quorum());
    // A rejection still proves s2 is alive and in our term.
    let seq = l.seq;
    deliver(
        &mut l,
        2,
        1,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 0,
                conflict_term: None,
                conflict_index: 1,
            }),
            seq,
        },
    );
    fire(&mut l, Timer::Election);
    assert_eq!(l.role, Role::Leader);
}

#[test]
fn leader_with_check_quorum_ignores_disruptive_votes() {
    let mut l = leader_of(1, 3, 0, &[], check_quorum());
    let out = deliver(&mut l, 3, 5, vote_req(9, 9));
    assert!(sends(&out).is_empty());
    assert_eq!((l.role, l.term()), (Role::Leader, 1));
    // Without check-quorum the same request deposes it.
    let mut l = leader(3);
    deliver(&mut l, 3, 5, vote_req(9, 9));
    assert_eq!((l.role, l.term()), (Role::Follower, 5));
}

#[test]
fn precandidate_falls_back_on_an_append_of_its_term() {
    let mut p = node_with(1, 3, 2, None, &[], prevote());
    fire(&mut p, Timer::Election);
    deliver(&mut p, 3, 2, heartbeat(0, 0, 0));
    assert_eq!((p.role, p.term(), p.leader), (Role::Follower, 2, Some(3)));
}

/// Pre-vote and check-quorum together, over the in-memory network: election, a partition
/// of the leader, a new leader in the majority, the old one stepping down, and healing.
#[test]
fn election_partition_and_heal_over_the_network() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut net = Net::new(
        (1..=3)
            .map(|i| node_with(i, 3, 0, None, &[], opts))
            .collect(),
    );
    net.step(1, Input::Timer(Timer::Election));
    assert_eq!((net.node(1).role, net.node(1).term()), (Role::Leader, 1));
    // The follower whose ack came second learns the commit index with the next heartbeat.
    net.step(1, Input::Timer(Timer::Heartbeat));
    for i in 1..=3 {
        assert_eq!(terms(net.node(i)), vec![1]);
        assert_eq!(net.node(i).commit, 1, "s{i}");
    }
    net.isolated.insert(1);
    // s2 times out while s3 still is in its lease: the pre-vote is ignored, no term change.
    net.step(2, Input::Timer(Timer::Election));
    assert_eq!(
        (net.node(2).role, net.node(2).term()),
        (Role::PreCandidate, 1)
    );
    assert_eq!(net.node(3).term(), 1);
    // s3's lease runs out; s2 tries again and wins in term 2.
    net.step(3, Input::Timer(Timer::Lease));
    net.step(2, Input::Timer(Timer::Election));
    assert_eq!((net.node(2).role, net.node(2).term()), (Role::Leader, 2));
    assert_eq!(net.node(3).leader, Some(2));
    assert_eq!(net.node(2).commit, 2);
    // The old leader, cut off, steps down after an election timeout without a majority.
    net.step(1, Input::Timer(Timer::Election)); // heard from both in the first period
    assert_eq!(net.node(1).role, Role::Leader);
    net.step(1, Input::Timer(Timer::Election));
    assert_eq!((net.node(1).role, net.node(1).term()), (Role::Follower, 1));
    // A write on the new leader; heal; s1 catches up.
    net.step(2, put(1, "x", "1"));
    net.isolated.clear();
    net.step(2, Input::Timer(Timer::Heartbeat));
    for i in 1..=3 {
        assert_eq!(terms(net.node(i)), vec![1, 2, 2], "s{i}");
        assert_eq!(
            net.node(i).kv.get("x").map(String::as_str),
            Some("1"),
            "s{i}"
        );
    }
    assert_eq!(net.node(1).term(), 2);
}
