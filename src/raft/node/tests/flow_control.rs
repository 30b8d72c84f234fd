//! Flow control, in the style of etcd-raft's progress tests: what the leader sends to a
//! follower in each progress state (probe, replicate, snapshot), the in-flight window,
//! heartbeats that never disturb a follower's state, and the retry timeout.

use super::*;

fn with_opts(l: &mut Node, f: impl FnOnce(&mut Options)) {
    let mut o = l.options();
    f(&mut o);
    l.step(Input::SetOptions(o));
}

/// A rejection from `from` of the append whose previous entry was `rejected`, its log
/// ending at `last`.
/// Echoes the latest round.
fn reject(nd: &mut Node, from: ServerId, rejected: Index, last: Index) -> Vec<Output> {
    let (t, seq) = (nd.term(), nd.seq);
    deliver(
        nd,
        from,
        t,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected,
                conflict_term: None,
                conflict_index: last + 1,
            }),
            seq,
        },
    )
}

#[test]
fn appends_are_pipelined_within_the_window() {
    let mut l = leader3_committed(); // s2 replicates, matched 1
    with_opts(&mut l, |o| o.max_inflight = 2);
    // A new window size applies to followers already tracked.
    assert_eq!(l.progress()[&2].inflights.capacity(), 2);
    let out = l.step(put(1, "a", "1"));
    assert_eq!(
        append_of(&sends_to(&out, 2)[0]).2,
        vec![1],
        "entry 2 goes at once"
    );
    let out = l.step(put(2, "b", "2"));
    assert_eq!(
        append_of(&sends_to(&out, 2)[0]).2,
        vec![1],
        "entry 3 too: 2 in flight"
    );
    let out = l.step(put(3, "c", "3"));
    assert!(
        sends_to(&out, 2).is_empty(),
        "the window is full: entry 4 waits"
    );
    assert_eq!(l.progress()[&2].inflights.count(), 2);
    // The acknowledgement of entry 2 frees a slot: entry 4 goes.
    let out = ack(&mut l, 2, 2);
    let ms = sends_to(&out, 2);
    assert_eq!(ms.len(), 1);
    let (prev, _, entries, _, _) = append_of(&ms[0]);
    assert_eq!((prev, entries.len()), (3, 1));
}

#[test]
fn a_heartbeat_while_entries_are_in_flight_does_not_send_back_to_probe() {
    let mut l = leader3_committed();
    l.step(put(1, "a", "1")); // index 2 in flight to s2 (round 1)
    assert_eq!(l.progress()[&2].state, ProgressState::Replicate);
    // The heartbeat of the next round overtakes the append and is rejected.
    let out = fire(&mut l, Timer::Heartbeat);
    let hb = sends_to(&out, 2);
    assert_eq!(
        append_of(&hb[0]).0,
        2,
        "the heartbeat follows the last entry sent"
    );
    let out = reject(&mut l, 2, 2, 1);
    assert!(sends_to(&out, 2).is_empty(), "no probing");
    assert_eq!(l.progress()[&2].state, ProgressState::Replicate);
    assert_eq!(l.progress()[&2].next, 3);
    // The append arrives after all and is acknowledged.
    ack(&mut l, 2, 2);
    assert_eq!(
        (l.progress()[&2].matched, l.progress()[&2].inflights.count()),
        (2, 0)
    );
}

#[test]
fn a_rejection_two_rounds_after_a_lost_append_probes_again() {
    let mut l = leader3_committed();
    l.step(put(1, "a", "1")); // index 2, round 1: lost
    fire(&mut l, Timer::Heartbeat); // round 2
    fire(&mut l, Timer::Heartbeat); // round 3
    let out = reject(&mut l, 2, 2, 1);
    assert_eq!(l.progress()[&2].state, ProgressState::Probe);
    let ms = sends_to(&out, 2);
    let (prev, _, entries, _, _) = append_of(&ms[0]);
    assert_eq!(
        (prev, entries.len()),
        (1, 1),
        "probe from just after the match: entry 2 again"
    );
}

#[test]
fn a_snapshot_is_sent_once_until_acknowledged_or_timed_out() {
    let mut l = leader_with_data();
    with_opts(&mut l, |o| o.retry_rounds = 3);
    l.step(Input::Admin(Admin::Compact));
    let out = fire(&mut l, Timer::Heartbeat);
    assert_eq!(snapshots_to(&out, 3), 1);
    assert_eq!(l.progress()[&3].state, ProgressState::Snapshot(3));
    // Heartbeats while it is on its way: a heartbeat after the snapshot, no second copy.
    for _ in 0..2 {
        let out = fire(&mut l, Timer::Heartbeat);
        let ms = sends_to(&out, 3);
        assert_eq!(ms.len(), 1);
        assert_eq!(append_of(&ms[0]).0, 3, "after the snapshot's last index");
        assert!(append_of(&ms[0]).2.is_empty());
        // s3 rejects it (the snapshot has not arrived): nothing changes.
        let out = reject(&mut l, 3, 3, 0);
        assert!(sends_to(&out, 3).is_empty());
        assert_eq!(l.progress()[&3].state, ProgressState::Snapshot(3));
    }
    // Three rounds without an answer: taken as lost. s3 did answer (the rejections), so
    // the leader probes again, which sends the snapshot again.
    let out = fire(&mut l, Timer::Heartbeat);
    assert_eq!(snapshots_to(&out, 3), 1);
}

#[test]
fn a_follower_that_stopped_answering_gets_heartbeats_not_snapshots() {
    let mut l = leader_with_data();
    with_opts(&mut l, |o| o.retry_rounds = 2);
    l.step(Input::Admin(Admin::Compact));
    fire(&mut l, Timer::Heartbeat); // the snapshot, lost (s3 is down)
    fire(&mut l, Timer::Heartbeat);
    // Two rounds: retry. s3 has not answered since: a heartbeat only.
    let out = fire(&mut l, Timer::Heartbeat);
    assert_eq!(l.progress()[&3].state, ProgressState::Probe);
    assert!(!l.progress()[&3].responsive);
    let ms = sends_to(&out, 3);
    assert_eq!(ms.len(), 1);
    assert!(matches!(ms[0].body, Body::Append { .. }), "{:?}", ms[0]);
    let out = fire(&mut l, Timer::Heartbeat);
    assert_eq!(snapshots_to(&out, 3), 0);
    // s3 is back and answers the heartbeat: the snapshot goes at once.
    let out = reject(&mut l, 3, 3, 0);
    assert_eq!(kinds(&out), vec![("snapshot", 3)]);
}

#[test]
fn a_removed_follower_gets_the_log_until_its_removal_commits() {
    let mut l = leader3_committed();
    ack(&mut l, 3, 1);
    let out = l.step(request(1, 5, ClientOp::Remove { server: 3 }));
    let (_, _, entries, _, _) = append_of(&sends_to(&out, 3)[0]);
    assert_eq!(entries.len(), 1, "s3 receives the entry that removes it");
    ack(&mut l, 2, 2);
    assert_eq!(l.commit, 2);
    assert!(!l.progress().contains_key(&3));
    let out = fire(&mut l, Timer::Heartbeat);
    assert!(sends_to(&out, 3).is_empty(), "committed: no more to s3");
}

/// How many InstallSnapshot messages `out` sends to `to`.
fn snapshots_to(out: &[Output], to: ServerId) -> usize {
    kinds(out)
        .iter()
        .filter(|k| **k == ("snapshot", to))
        .count()
}
