//! Joint consensus (C_old,new), learners and lease reads.

use super::*;

fn set(ids: &[ServerId]) -> ServerSet {
    ids.iter().copied().collect()
}

fn joint(old: &[ServerId], new: &[ServerId]) -> Configuration {
    Configuration {
        voters: set(new),
        outgoing: set(old),
        ..Configuration::default()
    }
}

fn vote_granted(nd: &mut Node, from: ServerId) -> Vec<Output> {
    let t = nd.term();
    deliver(
        nd,
        from,
        t,
        Body::VoteReply {
            granted: true,
            refusal: None,
        },
    )
}

/// s1 leads term 2 with C_old = {1 2 3} -> C_new = {1 4 5} at index 1 (of term 1, not
/// known to be committed).
fn joint_leader() -> Node {
    let mut d = durable(3, 1, None, &[]);
    d.log.append(Entry {
        term: 1,
        data: joint(&[1, 2, 3], &[1, 4, 5]).to_command(),
    });
    let mut l = Node::new(1, d, plain());
    fire(&mut l, Timer::Election);
    vote_granted(&mut l, 2);
    vote_granted(&mut l, 4);
    assert_eq!(l.role(), Role::Leader);
    l
}

#[test]
fn an_election_under_c_old_new_needs_both_majorities() {
    // s4 campaigns in {1 2 3} -> {1 2 3 4 5}.
    let mut c = Node::new(
        4,
        Durable::new(joint(&[1, 2, 3], &[1, 2, 3, 4, 5])),
        plain(),
    );
    let out = fire(&mut c, Timer::Election);
    let mut to: Vec<ServerId> = sends(&out).iter().map(|m| m.to).collect();
    to.sort_unstable();
    assert_eq!(to, vec![1, 2, 3, 5], "asks every voter of both halves");
    // s1 and s5 grant: 3 of 5 in C_new, but only 1 of 3 in C_old (Figure 10's trap).
    vote_granted(&mut c, 1);
    vote_granted(&mut c, 5);
    assert_eq!(c.role(), Role::Candidate);
    vote_granted(&mut c, 2);
    assert_eq!(
        c.role(),
        Role::Leader,
        "2 of 3 in C_old and 4 of 5 in C_new"
    );
}

#[test]
fn a_refusal_by_a_majority_of_either_half_loses() {
    let mut c = Node::new(4, Durable::new(joint(&[1, 2, 3], &[3, 4, 5])), plain());
    fire(&mut c, Timer::Election);
    let t = c.term();
    for from in [1, 2] {
        deliver(
            &mut c,
            from,
            t,
            Body::VoteReply {
                granted: false,
                refusal: Some(VoteRefusal::LogBehind),
            },
        );
    }
    assert_eq!(c.role(), Role::Follower, "a majority of C_old refused");
}

#[test]
fn commitment_under_c_old_new_needs_both_majorities_then_c_new_is_appended() {
    let mut l = joint_leader();
    assert_eq!(l.log().last_index(), 2, "the no-op");
    ack(&mut l, 4, 2);
    ack(&mut l, 5, 2);
    assert_eq!(l.commit(), 0, "all of C_new, but only s1 of C_old");
    ack(&mut l, 2, 2);
    assert_eq!(l.commit(), 2);
    // C_old,new is committed: the leader appends C_new at once.
    assert_eq!(
        l.log().entry(3).unwrap().data,
        Configuration::new([1, 4, 5]).to_command()
    );
    assert!(!l.config().is_joint());
    // From now on only C_new counts: s2 and s3 no longer matter.
    ack(&mut l, 4, 3);
    assert_eq!(l.commit(), 3);
}

#[test]
fn a_joint_change_goes_through_learners_then_c_old_new_then_c_new() {
    let mut l = leader3_committed();
    let change = request(
        1,
        10,
        ClientOp::ChangeMembers {
            voters: set(&[1, 2, 4]),
        },
    );
    l.step(change.clone());
    // s4 joins as a learner first.
    let c = l.config().clone();
    assert_eq!((c.voters, c.learners), (set(&[1, 2, 3]), set(&[4])));
    assert!(l.progress().contains_key(&4));
    ack(&mut l, 2, 2);
    assert_eq!(l.commit(), 2, "the learner entry is committed by C_old");
    assert!(!l.config().is_joint(), "s4 has not caught up yet");
    // A retry of the same change is no new change.
    let out = l.step(change);
    assert!(replies(&out).is_empty());
    let out = ack(&mut l, 4, 2);
    assert_eq!(
        *l.config(),
        joint(&[1, 2, 3], &[1, 2, 4]),
        "caught up: C_old,new"
    );
    assert!(notes(&out)
        .iter()
        .any(|n| matches!(n, Note::ConfigAppended { index: 3, .. })));
    // C_old,new commits only with a majority of both: s4 (C_new) and s2 (both).
    ack(&mut l, 4, 3);
    assert_eq!(l.commit(), 2);
    let out = ack(&mut l, 2, 3);
    assert_eq!(l.commit(), 3);
    assert_eq!(*l.config(), Configuration::new([1, 2, 4]), "C_new appended");
    assert!(!l.progress().contains_key(&3), "s3 left");
    assert!(replies(&out).is_empty(), "the client waits for C_new");
    let out = ack(&mut l, 2, 4);
    assert_eq!(l.commit(), 4);
    assert_eq!(replies(&out)[0].result, ClientResult::Ok);
}

#[test]
fn a_leader_outside_c_new_steps_down_once_c_new_commits() {
    let mut l = leader3_committed();
    l.step(request(
        1,
        10,
        ClientOp::ChangeMembers {
            voters: set(&[2, 3]),
        },
    ));
    assert_eq!(*l.config(), joint(&[1, 2, 3], &[2, 3]));
    ack(&mut l, 2, 2);
    assert!(l.config().is_joint(), "C_new = {{s2 s3}} needs s3 too");
    ack(&mut l, 3, 2);
    assert_eq!(*l.config(), Configuration::new([2, 3]));
    assert_eq!(
        l.role(),
        Role::Leader,
        "it manages the change until C_new commits"
    );
    ack(&mut l, 2, 3);
    assert_eq!(
        l.commit(),
        2,
        "s1 no longer counts itself: s2 of {{s2 s3}} is no majority"
    );
    let out = ack(&mut l, 3, 3);
    assert_eq!(l.commit(), 3);
    assert!(notes(&out).contains(&Note::RemovedSelf));
    assert_eq!(l.role(), Role::Follower);
}

#[test]
fn a_learner_never_votes_or_campaigns() {
    let mut c = Configuration::new([1, 2, 3]);
    c.learners.insert(4);
    let mut s4 = Node::new(4, Durable::new(c), plain());
    let out = fire(&mut s4, Timer::Election);
    assert_eq!(s4.role(), Role::Follower);
    assert!(sends(&out).is_empty());
    assert!(timer_set(&out, Timer::Election));
    // Candidates never ask a learner.
    let mut c = Configuration::new([1, 2, 3]);
    c.learners.insert(4);
    let mut s1 = Node::new(1, Durable::new(c), plain());
    let out = fire(&mut s1, Timer::Election);
    assert!(sends_to(&out, 4).is_empty());
    // One that is asked has been promoted without knowing it yet (its log is behind):
    // it answers like any server, or a cluster whose new voter lags could never elect.
    let out = deliver(
        &mut s4,
        2,
        2,
        Body::Vote {
            last_index: 5,
            last_term: 1,
            transfer: false,
        },
    );
    assert_eq!(vote_reply(&out, 2), (2, true, None));
}

#[test]
fn a_learner_receives_the_log_without_counting_and_is_promoted_once_caught_up() {
    let mut l = leader3_committed();
    let out = l.step(request(1, 10, ClientOp::AddLearner { server: 4 }));
    assert_eq!(l.config().learners, set(&[4]));
    assert!(
        sends_to(&out, 4).len() == 1,
        "the learner gets the log at once"
    );
    ack(&mut l, 4, 2);
    assert_eq!(l.commit(), 1, "a learner's copy does not count");
    let out = ack(&mut l, 2, 2);
    assert_eq!(replies(&out)[0].result, ClientResult::Ok);
    // Promotion waits until the learner has everything committed.
    l.step(put(11, "x", "1"));
    ack(&mut l, 2, 3);
    assert_eq!(l.commit(), 3);
    l.step(request(1, 12, ClientOp::Promote { server: 4 }));
    assert!(l.config().is_learner(4), "s4 is behind (2 < 3)");
    ack(&mut l, 4, 3);
    assert_eq!(*l.config(), cfg(4), "a voter, no longer a learner");
    // Promoting a server that is not a learner is refused.
    let out = l.step(request(1, 13, ClientOp::Promote { server: 7 }));
    assert!(matches!(
        replies(&out)[0].result,
        ClientResult::Refused { .. }
    ));
}

fn lease() -> Options {
    Options {
        read_mode: ReadMode::Lease,
        ..Options::default()
    }
}

#[test]
fn a_lease_read_is_answered_at_once_until_the_lease_timer_of_its_round_fires() {
    let mut l = Node::new(1, durable(3, 0, None, &[]), lease());
    fire(&mut l, Timer::Election);
    let out = vote_granted(&mut l, 2);
    let round = l.seq;
    assert!(
        timer_set(&out, Timer::ReadLease(round)),
        "the round's lease timer"
    );
    assert!(!l.read_lease(), "no majority acknowledged the round yet");
    ack(&mut l, 2, 1);
    assert!(l.read_lease() && l.commit() == 1);
    let out = l.step(get(1, "x"));
    assert_eq!(replies(&out)[0].result, ClientResult::Value { value: None });
    assert!(sends(&out).is_empty(), "no round of heartbeats");
    assert!(matches!(notes(&out)[0], Note::LeaseRead { .. }));
    // The lease of that round runs out: a read needs ReadIndex again.
    fire(&mut l, Timer::ReadLease(round));
    assert!(!l.read_lease());
    let out = l.step(get(2, "x"));
    assert!(replies(&out).is_empty());
    assert_eq!(sends(&out).len(), 2, "a ReadIndex round");
    // A newer round acknowledged by a majority renews the lease.
    ack(&mut l, 3, 1);
    assert!(l.read_lease());
}

#[test]
fn with_lease_reads_a_follower_that_heard_from_the_leader_or_restarted_ignores_votes() {
    let mut f = Node::new(2, durable(3, 1, None, &[1]), lease());
    let out = f.start();
    assert!(
        timer_set(&out, Timer::Lease),
        "a restarted server waits before voting"
    );
    let vote = Body::Vote {
        last_index: 1,
        last_term: 1,
        transfer: false,
    };
    let out = deliver(&mut f, 3, 2, vote.clone());
    assert!(sends(&out).is_empty() && f.term() == 1, "ignored");
    fire(&mut f, Timer::Lease);
    let out = deliver(&mut f, 3, 2, vote);
    assert_eq!(vote_reply(&out, 3), (2, true, None));
    // A fresh server (term 0) has never heard of a leader: it votes at once.
    let mut fresh = Node::new(2, durable(3, 0, None, &[]), lease());
    assert!(!timer_set(&fresh.start(), Timer::Lease));
}
