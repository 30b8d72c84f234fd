//! Elections: timeouts, campaigns, RequestVote.

use super::*;

#[test]
fn follower_times_out_and_starts_an_election() {
    // A follower with a log: term 2, entries of terms 1 1 2.
    let mut f = node_with(1, 3, 2, Some(3), &[1, 1, 2], plain());
    let out = fire(&mut f, Timer::Election);
    assert_eq!(f.role, Role::Candidate);
    assert_eq!(f.term(), 3, "term + 1");
    assert_eq!(f.durable.vote, Some(1), "votes for itself (durably)");
    assert!(
        timer_set(&out, Timer::Election),
        "a new randomized election timeout"
    );
    let ms = sends(&out);
    assert_eq!(ms.len(), 2, "RequestVote to every other voter: {ms:?}");
    for (m, to) in ms.iter().zip([2, 3]) {
        assert_eq!(m.to, to);
        assert_eq!(m.term, 3);
        assert_eq!(
            m.body,
            Body::Vote {
                last_index: 3,
                last_term: 2,
                transfer: false
            }
        );
    }
}

#[test]
fn candidate_times_out_and_starts_a_new_election() {
    let mut c = node(1, 3);
    fire(&mut c, Timer::Election);
    assert_eq!((c.role, c.term()), (Role::Candidate, 1));
    let out = fire(&mut c, Timer::Election);
    assert_eq!((c.role, c.term()), (Role::Candidate, 2));
    assert_eq!(kinds(&out), vec![("vote", 2), ("vote", 3)]);
    assert!(sends(&out).iter().all(|m| m.term == 2));
}

#[test]
fn candidate_wins_with_a_majority_and_appends_a_noop() {
    // 5 servers: needs 3 votes (itself and two more).
    let mut c = node(1, 5);
    fire(&mut c, Timer::Election);
    let out = deliver(&mut c, 2, 1, GRANT);
    assert_eq!(c.role, Role::Candidate, "2 of 5 is not a majority");
    assert!(sends(&out).is_empty());
    // A repeated grant from the same voter does not count twice.
    deliver(&mut c, 2, 1, GRANT);
    assert_eq!(c.role, Role::Candidate);
    let out = deliver(&mut c, 4, 1, GRANT);
    assert_eq!(c.role, Role::Leader);
    assert_eq!(c.leader, Some(1));
    assert_eq!(terms(&c), vec![1], "a no-op of its own term");
    assert_eq!(c.log().entry(1).unwrap().data, EntryData::Noop);
    assert!(timer_set(&out, Timer::Heartbeat));
    assert!(out.contains(&Output::LogChanged { from: 1 }));
    // Appends (carrying the no-op) to every other server.
    let ms = sends(&out);
    assert_eq!(
        ms.iter().map(|m| m.to).collect::<Vec<_>>(),
        vec![2, 3, 4, 5]
    );
    for m in &ms {
        assert_eq!(m.term, 1);
        let (pi, pt, es, commit, _) = append_of(m);
        assert_eq!((pi, pt, es, commit), (0, 0, vec![1], 0));
    }
    assert_eq!(
        c.commit, 0,
        "nothing committed before a majority has the no-op"
    );
}

#[test]
fn candidate_loses_on_majority_refusals() {
    let mut c = node(1, 5);
    fire(&mut c, Timer::Election);
    deliver(&mut c, 2, 1, refuse());
    deliver(&mut c, 3, 1, refuse());
    assert_eq!(c.role, Role::Candidate, "2 refusals of 5: it may still win");
    let out = deliver(&mut c, 4, 1, refuse());
    assert_eq!(c.role, Role::Follower);
    assert_eq!(c.term(), 1, "stays in its term");
    assert_eq!(c.durable.vote, Some(1), "its vote in term 1 is kept");
    assert!(
        !timer_set(&out, Timer::Election),
        "the campaign's election timer keeps running: stepping down does not reset it"
    );
}

#[test]
fn stale_vote_replies_are_ignored() {
    let mut c = node_with(1, 3, 4, None, &[], plain());
    fire(&mut c, Timer::Election);
    assert_eq!(c.term(), 5);
    deliver(&mut c, 2, 4, GRANT); // from an earlier election
    assert_eq!(c.role, Role::Candidate);
    deliver(&mut c, 2, 5, GRANT);
    assert_eq!(c.role, Role::Leader);
}

#[test]
fn candidate_falls_back_on_an_append_of_its_term() {
    let mut c = node(1, 3);
    fire(&mut c, Timer::Election);
    let out = deliver(&mut c, 2, 1, heartbeat(0, 0, 0));
    assert_eq!(c.role, Role::Follower);
    assert_eq!(c.leader, Some(2));
    assert_eq!(c.term(), 1);
    let (t, success, _, _) = only_append_reply(&out, 2);
    assert_eq!((t, success), (1, true));
}

#[test]
fn single_server_cluster_elects_itself_at_once() {
    for opts in [plain(), prevote(), check_quorum()] {
        let mut s = node_with(1, 1, 0, None, &[], opts);
        let out = fire(&mut s, Timer::Election);
        assert_eq!(s.role, Role::Leader, "{opts:?}");
        assert_eq!(s.term(), 1);
        assert!(sends(&out).is_empty());
        assert_eq!(s.commit, 1, "the no-op commits at once");
        assert_eq!(applied(&out), vec![1]);
        let out = s.step(put(1, "x", "1"));
        assert_eq!(replies(&out), vec![ok(1)]);
        assert_eq!(s.kv.get("x").map(String::as_str), Some("1"));
    }
}

#[test]
fn every_role_steps_down_on_any_message_with_a_higher_term() {
    let bodies: Vec<(&str, Body)> = vec![
        ("append", heartbeat(0, 0, 0)),
        (
            "append_reply",
            Body::AppendReply {
                success: false,
                match_index: 0,
                hint: None,
                seq: 0,
            },
        ),
        ("vote_reply", refuse()),
        ("vote", vote_req(10, 10)),
        (
            "prevote_reply refused",
            Body::PreVoteReply {
                granted: false,
                refusal: Some(VoteRefusal::LogBehind),
            },
        ),
        (
            "snapshot",
            Body::InstallSnapshot {
                snapshot: Box::new(Snapshot {
                    index: 0,
                    term: 0,
                    config: cfg(3),
                    state: Default::default(),
                }),
                seq: 0,
            },
        ),
    ];
    for (name, body) in bodies {
        let mut starts: Vec<(&str, Node)> = Vec::new();
        let mut f = node_with(1, 3, 3, None, &[], plain());
        deliver(&mut f, 2, 3, heartbeat(0, 0, 0));
        starts.push(("follower", f));
        let mut c = node_with(1, 3, 2, None, &[], plain());
        fire(&mut c, Timer::Election);
        starts.push(("candidate", c));
        let mut p = node_with(1, 3, 3, None, &[], prevote());
        fire(&mut p, Timer::Election);
        assert_eq!(p.role, Role::PreCandidate);
        starts.push(("precandidate", p));
        starts.push(("leader", leader_of(1, 3, 2, &[], plain())));
        for (role, mut nd) in starts {
            assert_eq!(nd.term(), 3);
            let out = deliver(&mut nd, 3, 7, body.clone());
            assert_eq!(nd.role, Role::Follower, "{role} on {name}");
            assert_eq!(nd.term(), 7, "{role} on {name}");
            if role == "leader" {
                assert!(out.contains(&Output::StopTimer(Timer::Heartbeat)));
                assert!(nd.progress().is_empty(), "leader state is dropped");
            }
            match name {
                "append" | "snapshot" => assert_eq!(nd.leader, Some(3), "{role} on {name}"),
                "vote" => assert_eq!(nd.durable.vote, Some(3), "{role}: up-to-date candidate"),
                _ => {
                    assert_eq!(nd.leader, None);
                    assert_eq!(nd.durable.vote, None, "{role} on {name}: new term, no vote");
                }
            }
        }
    }
}

#[test]
fn messages_of_a_lower_term_are_refused_or_ignored() {
    let mut f = node_with(1, 3, 5, None, &[1, 1], plain());
    // An append from a deposed leader: refused with our term so that it steps down.
    let out = deliver(&mut f, 2, 3, append(2, 1, &[3], 2));
    let (t, success, _, _) = only_append_reply(&out, 2);
    assert_eq!((t, success), (5, false));
    assert_eq!(terms(&f), vec![1, 1], "log untouched");
    assert_eq!((f.term(), f.commit, f.leader), (5, 0, None));
    // A vote request of a lower term is refused as stale.
    let out = deliver(&mut f, 3, 4, vote_req(9, 4));
    assert_eq!(
        vote_reply(&out, 3),
        (5, false, Some(VoteRefusal::StaleTerm))
    );
    assert_eq!(f.durable.vote, None);
    // Replies of a lower term change nothing.
    let out = deliver(&mut f, 3, 4, GRANT);
    assert!(out.is_empty());
}

#[test]
fn leader_election_timer_does_not_start_an_election() {
    let mut l = leader(3);
    let out = fire(&mut l, Timer::Election);
    assert_eq!((l.role, l.term()), (Role::Leader, 1));
    assert!(sends(&out).is_empty());
    let out = fire(&mut l, Timer::Heartbeat);
    assert_eq!(kinds(&out), vec![("append", 2), ("append", 3)]);
    assert!(timer_set(&out, Timer::Heartbeat));
}

// ====================================================================== RequestVote

#[test]
fn one_vote_per_term_persisted_before_the_reply() {
    let mut f = node_with(1, 3, 1, None, &[], plain());
    let out = deliver(&mut f, 2, 1, vote_req(0, 0));
    assert_eq!(vote_reply(&out, 2), (1, true, None));
    assert_eq!(
        f.durable.vote,
        Some(2),
        "the vote is durable when the reply is emitted"
    );
    assert!(
        timer_set(&out, Timer::Election),
        "granting a vote resets the election timer"
    );
    // Another candidate of the same term: refused.
    let out = deliver(&mut f, 3, 1, vote_req(5, 1));
    assert_eq!(
        vote_reply(&out, 3),
        (1, false, Some(VoteRefusal::AlreadyVoted))
    );
    assert!(
        !timer_set(&out, Timer::Election),
        "a refusal does not reset the timer"
    );
    assert_eq!(f.durable.vote, Some(2));
    // The same candidate asking again (its reply was lost): granted again.
    let out = deliver(&mut f, 2, 1, vote_req(0, 0));
    assert_eq!(vote_reply(&out, 2), (1, true, None));
    // The vote survives a crash: after a restart s3 is still refused.
    let mut r = Node::new(1, f.into_durable(), plain());
    let out = deliver(&mut r, 3, 1, vote_req(5, 1));
    assert_eq!(
        vote_reply(&out, 3),
        (1, false, Some(VoteRefusal::AlreadyVoted))
    );
    // A new term allows a new vote.
    let out = deliver(&mut r, 3, 2, vote_req(5, 1));
    assert_eq!(vote_reply(&out, 3), (2, true, None));
    assert_eq!(r.durable.vote, Some(3));
}

#[test]
fn vote_granted_only_to_an_up_to_date_log() {
    // The voter's log: terms 1 1 2 (last 3/2).
    let cases: [(Index, Term, bool); 7] = [
        (5, 1, false), // lower last term loses even if longer
        (0, 0, false),
        (2, 2, false), // same last term, shorter
        (3, 2, true),  // identical
        (4, 2, true),  // same last term, longer
        (1, 3, true),  // higher last term wins even if shorter
        (9, 3, true),
    ];
    for (li, lt, want) in cases {
        let mut v = node_with(1, 3, 2, None, &[1, 1, 2], plain());
        let out = deliver(&mut v, 2, 3, vote_req(li, lt));
        let (t, granted, refusal) = vote_reply(&out, 2);
        assert_eq!(granted, want, "candidate last {li}/{lt}");
        assert_eq!(t, 3, "the voter adopts the candidate's term either way");
        assert_eq!(v.term(), 3);
        if want {
            assert_eq!(v.durable.vote, Some(2));
        } else {
            assert_eq!(refusal, Some(VoteRefusal::LogBehind));
            assert_eq!(v.durable.vote, None, "no vote cast on a refusal");
        }
    }
}

#[test]
fn follower_that_knows_the_leader_of_the_term_does_not_vote() {
    let mut f = node_with(1, 3, 1, None, &[], plain());
    deliver(&mut f, 2, 1, heartbeat(0, 0, 0));
    let out = deliver(&mut f, 3, 1, vote_req(5, 1));
    assert_eq!(
        vote_reply(&out, 3),
        (1, false, Some(VoteRefusal::AlreadyVoted))
    );
    assert_eq!(f.durable.vote, None);
}

#[test]
fn leader_and_candidate_refuse_votes_in_their_own_term() {
    let mut l = leader(3);
    let out = deliver(&mut l, 2, 1, vote_req(9, 1));
    assert_eq!(
        vote_reply(&out, 2),
        (1, false, Some(VoteRefusal::AlreadyVoted))
    );
    assert_eq!(l.role, Role::Leader);
    let mut c = node(1, 3);
    fire(&mut c, Timer::Election);
    let out = deliver(&mut c, 2, 1, vote_req(9, 1));
    assert_eq!(
        vote_reply(&out, 2),
        (1, false, Some(VoteRefusal::AlreadyVoted))
    );
    assert_eq!(c.role, Role::Candidate);
}

#[test]
fn split_vote_in_an_even_cluster_stays_candidate() {
    let mut c = node(1, 4);
    fire(&mut c, Timer::Election);
    deliver(&mut c, 2, 1, GRANT);
    deliver(&mut c, 3, 1, refuse());
    deliver(&mut c, 4, 1, refuse());
    assert_eq!(
        c.role,
        Role::Candidate,
        "2 yes, 2 no of 4: neither side is a majority"
    );
    let mut c = node(1, 4);
    fire(&mut c, Timer::Election);
    for p in 2..=4 {
        deliver(&mut c, p, 1, refuse());
    }
    assert_eq!(c.role, Role::Follower, "3 refusals of 4");
}
