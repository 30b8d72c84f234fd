//! Single-server membership changes.

use super::*;

#[test]
fn a_new_server_catches_up_before_it_joins_the_configuration() {
    let mut l = leader3_committed();
    let add4 = request(1, 10, ClientOp::Add { server: 4 });
    let out = l.step(add4.clone());
    assert_eq!(l.catch_up.as_ref().map(|c| c.server), Some(4));
    assert!(
        l.progress().contains_key(&4),
        "progress exists for the non-voter"
    );
    assert!(!l.config().contains(4), "not in the configuration yet");
    assert_eq!(l.log().last_index(), 1, "no configuration entry yet");
    assert_eq!(kinds(&out), vec![("append", 4)]);
    assert!(replies(&out).is_empty());
    // Another change while s4 catches up: busy.
    let out = l.step(request(1, 11, ClientOp::Add { server: 5 }));
    assert!(matches!(replies(&out)[0].result, ClientResult::Busy { .. }));
    // s4 (empty log) rejects; the leader backs off and sends the log from the start.
    let seq = l.seq;
    let out = deliver(
        &mut l,
        4,
        1,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 1,
                conflict_term: None,
                conflict_index: 1,
            }),
            seq,
        },
    );
    let (pi, _, es, _, _) = append_of(&sends_to(&out, 4)[0]);
    assert_eq!((pi, es), (0, vec![1]));
    // Caught up: the configuration entry is appended and takes effect at once.
    let out = ack(&mut l, 4, 1);
    assert_eq!(l.catch_up, None);
    assert_eq!(l.log().last_index(), 2);
    assert_eq!(l.log().entry(2).unwrap().data, cfg(4).to_command());
    assert!(l.config().contains(4));
    assert!(notes(&out).contains(&Note::ConfigAppended {
        config: cfg(4),
        index: 2
    }));
    assert!(replies(&out).is_empty(), "answered when committed");
    // The quorum is now 3 of 4: s2 alone is not enough.
    ack(&mut l, 2, 2);
    assert_eq!(l.commit, 1);
    // One change at a time: s5 is busy while the configuration is uncommitted.
    let out = l.step(request(1, 11, ClientOp::Add { server: 5 }));
    assert!(matches!(replies(&out)[0].result, ClientResult::Busy { .. }));
    let out = ack(&mut l, 4, 2);
    assert_eq!(l.commit, 2);
    assert!(out.contains(&Output::ConfigCommitted {
        index: 2,
        config: cfg(4)
    }));
    assert_eq!(
        replies(&out),
        vec![ClientReply {
            client: 1,
            request: 10,
            result: ClientResult::Ok
        }]
    );
    // A retry of the add, now done: Ok at once.
    let out = l.step(add4);
    assert_eq!(replies(&out)[0].result, ClientResult::Ok);
    assert_eq!(l.log().last_index(), 2);
}

#[test]
fn configuration_changes_wait_for_the_leaders_first_commit() {
    let mut l = leader(3);
    let out = l.step(request(1, 1, ClientOp::Remove { server: 3 }));
    assert!(matches!(replies(&out)[0].result, ClientResult::Busy { .. }));
    assert_eq!(*l.config(), cfg(3));
}

#[test]
fn a_follower_uses_a_configuration_as_soon_as_it_is_appended() {
    let mut f = node(3, 3);
    let mut e = vec![Entry::noop(1)];
    e.push(Entry {
        term: 1,
        data: Configuration::new([1, 2]).to_command(),
    });
    deliver(
        &mut f,
        1,
        1,
        Body::Append {
            prev_index: 0,
            prev_term: 0,
            entries: e,
            commit: 0,
            seq: 1,
        },
    );
    assert_eq!(
        *f.config(),
        Configuration::new([1, 2]),
        "uncommitted, yet in effect"
    );
    assert!(!f.promotable());
    // A server not in its own configuration never campaigns.
    let out = fire(&mut f, Timer::Election);
    assert_eq!((f.role, f.term()), (Role::Follower, 1));
    assert!(sends(&out).is_empty());
    assert!(timer_set(&out, Timer::Election));
    // Nor on TimeoutNow.
    let out = deliver(&mut f, 1, 1, Body::TimeoutNow);
    assert_eq!(f.role, Role::Follower);
    assert!(sends(&out).is_empty());
    // If the entry is truncated, the previous configuration is back.
    deliver(&mut f, 2, 2, append(1, 1, &[2], 0));
    assert_eq!(*f.config(), cfg(3));
    assert!(f.promotable());
}

#[test]
fn a_removed_leader_steps_down_once_the_removal_commits() {
    let mut l = leader3_committed();
    let out = l.step(request(1, 5, ClientOp::Remove { server: 1 }));
    assert_eq!(*l.config(), Configuration::new([2, 3]));
    assert_eq!(l.role, Role::Leader, "it leads until the change commits");
    assert_eq!(
        kinds(&out).iter().filter(|(k, _)| *k == "append").count(),
        1,
        "to s2 (s3 probing)"
    );
    // It does not count itself: s2 alone is not a majority of {s2, s3}.
    ack(&mut l, 2, 2);
    assert_eq!(l.commit, 1);
    let out = ack(&mut l, 3, 2);
    assert_eq!(l.commit, 2);
    assert_eq!(
        replies(&out),
        vec![ClientReply {
            client: 1,
            request: 5,
            result: ClientResult::Ok
        }]
    );
    assert!(notes(&out).contains(&Note::RemovedSelf));
    assert_eq!(l.role, Role::Follower);
    let out = fire(&mut l, Timer::Election);
    assert_eq!(l.role, Role::Follower, "not a member: never campaigns");
    assert!(sends(&out).is_empty());
}

#[test]
fn removing_a_follower_changes_the_quorum_at_once() {
    let mut l = leader3_committed();
    l.step(request(1, 5, ClientOp::Remove { server: 3 }));
    // s3 no longer counts, but it still gets the log (with its removal in it) until the
    // removal commits: it learns of its removal instead of timing out and campaigning.
    assert!(l.progress().contains_key(&3));
    let out = fire(&mut l, Timer::Heartbeat);
    assert!(sends(&out).iter().any(|m| m.to == 3));
    // {1, 2}: needs s2.
    let out = l.step(request(1, 6, ClientOp::Remove { server: 2 }));
    assert!(
        matches!(replies(&out)[0].result, ClientResult::Busy { .. }),
        "one at a time"
    );
    let out = ack(&mut l, 2, 2);
    assert_eq!(l.commit, 2);
    assert_eq!(
        replies(&out),
        vec![ClientReply {
            client: 1,
            request: 5,
            result: ClientResult::Ok
        }]
    );
    assert!(
        !l.progress().contains_key(&3),
        "the removal is committed: s3 is no longer replicated to"
    );
}

#[test]
fn removing_the_last_server_is_refused() {
    let mut s = node(1, 1);
    fire(&mut s, Timer::Election);
    let out = s.step(request(1, 1, ClientOp::Remove { server: 1 }));
    assert!(matches!(
        replies(&out)[0].result,
        ClientResult::Refused { .. }
    ));
    assert_eq!(*s.config(), cfg(1));
    assert_eq!(s.log().last_index(), 1);
}

#[test]
fn removing_a_server_while_another_catches_up_is_busy() {
    let mut l = leader3_committed();
    l.step(request(1, 1, ClientOp::Add { server: 4 }));
    let out = l.step(request(1, 2, ClientOp::Remove { server: 3 }));
    assert!(matches!(replies(&out)[0].result, ClientResult::Busy { .. }));
    assert_eq!(*l.config(), cfg(3));
}
