//! Crash and restart.

use super::*;

#[test]
fn crash_keeps_only_durable_state_and_restart_is_a_follower() {
    let mut l = leader_with_data();
    let d = l.clone().into_durable();
    assert_eq!(d, l.durable, "the disk holds exactly the durable state");
    let r = Node::new(1, d, plain());
    assert_eq!(r.role, Role::Follower);
    assert_eq!((r.term(), r.durable.vote), (1, Some(1)));
    assert_eq!(r.log().last_index(), 3);
    assert_eq!((r.commit, r.applied), (0, 0), "commitIndex is volatile");
    assert!(r.kv.data.is_empty());
    assert!(r.progress().is_empty() && r.leader.is_none());
    // With a snapshot, the restart starts from it.
    l.step(Input::Admin(Admin::Compact));
    let mut r = Node::new(1, l.into_durable(), plain());
    assert_eq!((r.commit, r.applied), (3, 3));
    assert_eq!(r.kv.get("x").map(String::as_str), Some("1"));
    assert_eq!(r.start(), vec![Output::SetTimer(Timer::Election)]);
}

#[test]
fn restarted_follower_recommits_from_the_leader() {
    let mut f = node_with(2, 3, 1, None, &[1, 1], plain());
    deliver(&mut f, 1, 1, heartbeat(2, 1, 2));
    assert_eq!(f.commit, 2);
    let mut r = Node::new(2, f.into_durable(), plain());
    assert_eq!(r.commit, 0);
    let out = deliver(&mut r, 1, 1, heartbeat(2, 1, 2));
    assert_eq!(r.commit, 2);
    assert_eq!(applied(&out), vec![1, 2], "re-applied from scratch");
}
