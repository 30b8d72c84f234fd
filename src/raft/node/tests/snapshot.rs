//! Snapshots: compaction, sending and installing.

use super::*;

#[test]
fn compact_takes_a_snapshot_at_the_applied_index() {
    let mut l = leader_with_data();
    l.step(put(3, "z", "3")); // index 4, not committed
    let out = l.step(Input::Admin(Admin::Compact));
    assert_eq!(notes(&out), vec![Note::Compacted { index: 3 }]);
    let snap = l.log().snapshot();
    assert_eq!((snap.index, snap.term), (3, 1));
    assert_eq!(
        snap.config,
        cfg(3),
        "the snapshot carries the configuration"
    );
    assert_eq!(snap.state.get("x").map(String::as_str), Some("1"));
    assert_eq!(snap.state.dedup.get(&1), Some(&2), "and the dedup table");
    assert_eq!((l.log().first_index(), l.log().last_index()), (4, 4));
    let out = l.step(Input::Admin(Admin::Compact));
    assert_eq!(notes(&out), vec![Note::NothingToCompact]);
}

#[test]
fn leader_sends_a_snapshot_to_a_follower_behind_its_first_index() {
    let mut l = leader_with_data();
    l.step(Input::Admin(Admin::Compact));
    // s3 never answered; its next index (1) is below the first index (4).
    let out = fire(&mut l, Timer::Heartbeat);
    let ms = sends_to(&out, 3);
    assert_eq!(ms.len(), 1);
    let Body::InstallSnapshot { snapshot, .. } = &ms[0].body else {
        panic!("expected a snapshot, got {:?}", ms[0]);
    };
    assert_eq!(snapshot.index, 3);
    assert_eq!(l.progress()[&3].state, ProgressState::Snapshot(3));
    assert!(notes(&out).contains(&Note::SnapshotSent { to: 3, index: 3 }));
    // s3 installs it.
    let mut f = node(3, 3);
    let out3 = deliver(&mut f, 1, 1, ms[0].body.clone());
    assert_eq!((f.commit, f.applied), (3, 3));
    assert_eq!(f.kv.get("y").map(String::as_str), Some("2"));
    assert!(f.kv.seen(1, 2), "the dedup table came with it");
    assert_eq!(*f.config(), cfg(3));
    let (_, success, m, _) = only_append_reply(&out3, 1);
    assert_eq!((success, m), (true, 3));
    // The leader moves on to replicating from 4.
    let out = deliver(&mut l, 3, 1, sends_to(&out3, 1)[0].body.clone());
    assert_eq!(l.progress()[&3].state, ProgressState::Replicate);
    assert_eq!((l.progress()[&3].matched, l.progress()[&3].next), (3, 4));
    let _ = out;
    // Later, s3 becomes leader and is asked to retry request 2: answered from the
    // dedup table, not applied again.
    fire(&mut f, Timer::Election);
    deliver(&mut f, 2, 2, GRANT);
    assert_eq!(f.role, Role::Leader);
    ack(&mut f, 2, 4);
    let out = f.step(put(2, "y", "2"));
    assert_eq!(replies(&out), vec![ok(2)]);
    assert_eq!(f.log().last_index(), 4);
}

#[test]
fn follower_install_keeps_a_matching_suffix() {
    let snap = |index, term| Snapshot {
        index,
        term,
        config: cfg(3),
        state: Default::default(),
    };
    let mut f = node_with(2, 3, 1, None, &[1, 1, 1, 1, 1], plain());
    let out = deliver(
        &mut f,
        1,
        1,
        Body::InstallSnapshot {
            snapshot: Box::new(snap(3, 1)),
            seq: 4,
        },
    );
    assert_eq!((f.commit, f.applied), (3, 3));
    assert_eq!(
        (f.log().first_index(), f.log().last_index()),
        (4, 5),
        "4, 5 kept"
    );
    assert!(notes(&out).contains(&Note::SnapshotInstalled { index: 3, from: 1 }));
    // A log that disagrees at the snapshot's last entry is replaced entirely.
    let mut g = node_with(2, 3, 2, None, &[1, 2, 2, 2], plain());
    deliver(
        &mut g,
        1,
        2,
        Body::InstallSnapshot {
            snapshot: Box::new(snap(3, 1)),
            seq: 4,
        },
    );
    assert_eq!((g.log().first_index(), g.log().last_index()), (4, 3));
    assert_eq!(g.log().term(3), Some(1));
    // A snapshot not beyond the commit index changes nothing.
    let out = deliver(
        &mut f,
        1,
        1,
        Body::InstallSnapshot {
            snapshot: Box::new(snap(2, 1)),
            seq: 5,
        },
    );
    assert_eq!(f.log().first_index(), 4);
    let (_, success, m, _) = only_append_reply(&out, 1);
    assert_eq!((success, m), (true, 3));
}

#[test]
fn automatic_compaction_by_snapshot_factor() {
    let opts = Options {
        snapshot_factor: Some(2),
        ..Options::default()
    };
    let mut s = node_with(1, 1, 0, None, &[], opts);
    fire(&mut s, Timer::Election); // no-op: 1 entry, state size 0 (counts as 1)
    s.step(put(1, "x", "1")); // 2 entries for 1 key: not more than 2×1
    assert_eq!(s.log().snapshot().index, 0);
    let out = s.step(put(2, "x", "2")); // 3 entries for 1 key: more than 2×1
    assert!(notes(&out).contains(&Note::Compacted { index: 3 }));
    assert_eq!(s.log().snapshot().index, 3);
    assert!(s.log().entries().is_empty());
    s.step(put(3, "y", "3"));
    assert_eq!(
        s.log().snapshot().index,
        3,
        "1 entry for 2 keys: no compaction"
    );
    // Off by default.
    let mut t = node(1, 1);
    fire(&mut t, Timer::Election);
    for r in 1..20 {
        t.step(put(r, "x", "v"));
    }
    assert_eq!(t.log().snapshot().index, 0);
}

#[test]
fn follower_in_snapshot_state_gets_no_appends_on_proposals() {
    let mut l = leader_with_data();
    l.step(Input::Admin(Admin::Compact));
    fire(&mut l, Timer::Heartbeat); // snapshot to s3
    assert_eq!(l.progress()[&3].state, ProgressState::Snapshot(3));
    let out = l.step(put(3, "z", "3"));
    assert!(sends_to(&out, 3).is_empty());
    assert_eq!(sends_to(&out, 2).len(), 1);
}
