//! AppendEntries on the follower and the leader side, commitment (Figure 8).

use super::*;

#[test]
fn follower_rejects_when_prev_entry_is_missing() {
    let mut f = node_with(2, 3, 2, None, &[1, 1], plain());
    let out = deliver(&mut f, 1, 2, append(3, 1, &[2], 0));
    let (t, success, m, hint) = only_append_reply(&out, 1);
    assert_eq!((t, success, m), (2, false, 0));
    assert_eq!(
        hint,
        Some(RejectHint {
            rejected: 3,
            conflict_term: None,
            conflict_index: 3
        }),
        "too short: the hint is its log length + 1"
    );
    assert_eq!(terms(&f), vec![1, 1]);
}

#[test]
fn follower_rejects_a_term_mismatch_with_the_first_index_of_its_term() {
    let mut f = node_with(2, 3, 3, None, &[1, 2, 2, 2], plain());
    let out = deliver(&mut f, 1, 3, append(4, 3, &[3], 0));
    let (_, success, _, hint) = only_append_reply(&out, 1);
    assert!(!success);
    assert_eq!(
        hint,
        Some(RejectHint {
            rejected: 4,
            conflict_term: Some(2),
            conflict_index: 2
        })
    );
    assert_eq!(terms(&f), vec![1, 2, 2, 2], "a rejection does not truncate");
}

#[test]
fn follower_truncates_conflicting_entries() {
    let mut f = node_with(2, 3, 2, None, &[1, 1, 2, 2], plain());
    let out = deliver(&mut f, 1, 3, append(2, 1, &[3], 0));
    assert_eq!(terms(&f), vec![1, 1, 3]);
    assert!(notes(&out).contains(&Note::Truncated { from: 3 }));
    assert!(out.contains(&Output::LogChanged { from: 3 }));
    let (t, success, m, _) = only_append_reply(&out, 1);
    assert_eq!((t, success, m), (3, true, 3));
}

#[test]
fn follower_keeps_entries_after_a_matching_stale_append() {
    // A delayed append carrying a prefix of what it has must not truncate the rest.
    let mut f = node_with(2, 3, 1, None, &[1, 1, 1], plain());
    let out = deliver(&mut f, 1, 1, append(0, 0, &[1], 0));
    assert_eq!(terms(&f), vec![1, 1, 1]);
    let (_, success, m, _) = only_append_reply(&out, 1);
    assert!(success);
    assert_eq!(
        m, 1,
        "match index is the last entry of this append, not the log end"
    );
}

#[test]
fn follower_commits_min_of_leader_commit_and_last_new_entry() {
    // The follower has entries 1..4 of term 1; only 1..2 are known to match this append.
    let mut f = node_with(2, 3, 1, None, &[1, 1, 1, 1], plain());
    let out = deliver(&mut f, 1, 1, append(1, 1, &[1], 4));
    assert_eq!(
        f.commit, 2,
        "commit = min(leaderCommit 4, last new index 2)"
    );
    assert_eq!(applied(&out), vec![1, 2], "applies in order");
    assert_eq!(f.applied, 2);
    // A heartbeat with the leader's commit behind ours never lowers commit.
    deliver(&mut f, 1, 1, heartbeat(2, 1, 1));
    assert_eq!(f.commit, 2);
    // A heartbeat at the end of the log commits everything.
    let out = deliver(&mut f, 1, 1, heartbeat(4, 1, 4));
    assert_eq!(f.commit, 4);
    assert_eq!(applied(&out), vec![3, 4]);
}

#[test]
fn append_below_the_commit_index_is_answered_with_the_commit_index() {
    let mut f = node_with(2, 3, 1, None, &[1, 1, 1], plain());
    deliver(&mut f, 1, 1, heartbeat(3, 1, 3));
    assert_eq!(f.commit, 3);
    let out = deliver(&mut f, 1, 1, append(1, 1, &[1], 3));
    let (_, success, m, _) = only_append_reply(&out, 1);
    assert_eq!((success, m), (true, 3));
    assert_eq!(terms(&f), vec![1, 1, 1]);
}

#[test]
fn heartbeat_resets_the_election_timer_and_names_the_leader() {
    let mut f = node(2, 3);
    let out = deliver(&mut f, 1, 1, heartbeat(0, 0, 0));
    assert!(timer_set(&out, Timer::Election));
    assert_eq!((f.leader, f.term()), (Some(1), 1));
    // Seq is echoed so that the leader can confirm reads.
    let ms = sends_to(&out, 1);
    assert!(matches!(ms[0].body, Body::AppendReply { seq: 1, .. }));
}

// ====================================================================== AppendEntries: leader

#[test]
fn leader_replicates_a_proposal_and_commits_on_a_majority() {
    let mut l = leader(5);
    for p in [2, 3] {
        ack(&mut l, p, 1);
    }
    assert_eq!(l.commit, 1);
    let out = l.step(put(1, "x", "1"));
    assert_eq!(l.log().last_index(), 2);
    assert_eq!(
        l.log().entry(2).unwrap().data,
        EntryData::Put {
            client: 1,
            request: 1,
            key: "x".into(),
            value: "1".into()
        }
    );
    // s2 and s3 are in replicate state: they get the entry right away; s4, s5 have an
    // outstanding probe and wait for its reply or the next heartbeat.
    assert_eq!(kinds(&out), vec![("append", 2), ("append", 3)]);
    let (pi, pt, es, commit, _) = append_of(&sends_to(&out, 2)[0]);
    assert_eq!((pi, pt, es, commit), (1, 1, vec![1], 1));
    assert!(replies(&out).is_empty(), "no answer before it is applied");
    ack(&mut l, 2, 2);
    assert_eq!(l.commit, 1, "2 of 5");
    let out = ack(&mut l, 3, 2);
    assert_eq!(l.commit, 2);
    assert_eq!(applied(&out), vec![2]);
    assert_eq!(replies(&out), vec![ok(1)]);
    // The new commit index is sent on to the followers.
    let (_, _, _, commit, _) = append_of(&sends_to(&out, 2)[0]);
    assert_eq!(commit, 2);
}

#[test]
fn leader_commits_preceding_entries_with_one_of_its_term() {
    // The leader's log holds uncommitted entries of earlier terms.
    let mut l = leader_of(1, 3, 2, &[1, 2], plain());
    assert_eq!(terms(&l), vec![1, 2, 3]);
    let out = ack(&mut l, 2, 3);
    assert_eq!(l.commit, 3);
    assert_eq!(applied(&out), vec![1, 2, 3]);
}

#[test]
fn leader_backtracks_one_probe_per_rejection_and_ignores_stale_rejections() {
    let mut l = leader_of(1, 3, 2, &[1, 1, 2], plain());
    assert_eq!(l.progress()[&2].next, 4);
    // s2's log is 1 1 (too short): it answers with its length.
    let seq = l.seq;
    let out = deliver(
        &mut l,
        2,
        3,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 3,
                conflict_term: None,
                conflict_index: 3,
            }),
            seq,
        },
    );
    assert_eq!(l.progress()[&2].next, 3);
    let ms = sends_to(&out, 2);
    assert_eq!(ms.len(), 1);
    let (pi, pt, es, _, _) = append_of(&ms[0]);
    assert_eq!((pi, pt, es), (2, 1, vec![2, 3]));
    // The same rejection delivered again (duplicate) is stale: nothing happens.
    let seq = l.seq;
    let out = deliver(
        &mut l,
        2,
        3,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 3,
                conflict_term: None,
                conflict_index: 3,
            }),
            seq,
        },
    );
    assert!(sends(&out).is_empty());
    assert_eq!(l.progress()[&2].next, 3);
    // Success; then a rejection of an index at or below the match index is stale too.
    ack(&mut l, 2, 4);
    assert_eq!(
        (l.progress()[&2].matched, l.progress()[&2].state),
        (4, ProgressState::Replicate)
    );
    let out = deliver(
        &mut l,
        2,
        3,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 2,
                conflict_term: Some(1),
                conflict_index: 1,
            }),
            seq: 0,
        },
    );
    assert!(sends(&out).is_empty());
    assert_eq!((l.progress()[&2].matched, l.progress()[&2].next), (4, 5));
}

/// Raft Figure 7: the leader of term 8 brings each follower's log in line with its own,
/// skipping back a term at a time.
#[test]
fn leader_syncs_follower_logs_with_fast_backtracking() {
    let leader_log = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    // (follower log, follower term, rejections expected with fast backtracking)
    let cases: Vec<(Vec<Term>, Term, usize)> = vec![
        (vec![1, 1, 1, 4, 4, 5, 5, 6, 6], 6, 1), // (a) one entry short
        (vec![1, 1, 1, 4], 4, 1),                // (b) far behind: one round trip
        (vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6], 6, 0), // (c) an extra entry
        (vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], 7, 0), // (d) extra entries of term 7
        (vec![1, 1, 1, 4, 4, 4, 4], 4, 2),       // (e) a longer run of term 4
        (vec![1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], 3, 2), // (f) terms 2, 3 unknown to the leader
    ];
    for (i, (flog, fterm, want_rejections)) in cases.into_iter().enumerate() {
        let l = leader_of(1, 3, 7, &leader_log, plain());
        assert_eq!(l.term(), 8);
        let f = node_with(2, 3, fterm, None, &flog, plain());
        let mut net = Net::new(vec![l, f]);
        net.isolated.insert(3);
        net.step(1, Input::Timer(Timer::Heartbeat));
        let want: Vec<Term> = leader_log.iter().copied().chain([8]).collect();
        assert_eq!(terms(net.node(2)), want, "case {i}");
        assert_eq!(
            terms(net.node(1)),
            want,
            "case {i}: the leader never changes its log"
        );
        let rejections = net.count(|m| matches!(m.body, Body::AppendReply { success: false, .. }));
        assert_eq!(rejections, want_rejections, "case {i}");
        assert_eq!(net.node(1).commit, 11, "case {i}");
        assert_eq!(net.node(2).commit, 11, "case {i}");
    }
}

#[test]
fn fast_backtracking_skips_a_whole_term_per_round_trip() {
    // Leader of term 7: 1 1 4 4 4 6, then its no-op (7) at index 7.
    let reject = |l: &mut Node, rejected, conflict_term, conflict_index| {
        let seq = l.seq;
        deliver(
            l,
            2,
            7,
            Body::AppendReply {
                success: false,
                match_index: 0,
                hint: Some(RejectHint {
                    rejected,
                    conflict_term,
                    conflict_index,
                }),
                seq,
            },
        )
    };
    // The follower has term 4 at index 6 (its term-4 run starts at 3). The leader's last
    // term-4 entry is 5: it retries right after it, at 6 (prev 5/4).
    let mut l = leader_of(1, 3, 6, &[1, 1, 4, 4, 4, 6], plain());
    let out = reject(&mut l, 6, Some(4), 3);
    assert_eq!(l.progress()[&2].next, 6);
    let (pi, pt, es, _, _) = append_of(&sends_to(&out, 2)[0]);
    assert_eq!((pi, pt, es), (5, 4, vec![6, 7]));
    // The follower has term 5 at index 6 (from 5 on), which the leader never had: it
    // retries at the follower's first index of that term.
    let mut l = leader_of(1, 3, 6, &[1, 1, 4, 4, 4, 6], plain());
    let out = reject(&mut l, 6, Some(5), 5);
    assert_eq!(l.progress()[&2].next, 5);
    let (pi, pt, _, _, _) = append_of(&sends_to(&out, 2)[0]);
    assert_eq!((pi, pt), (4, 4));
    // A follower whose log is too short: retry at its length + 1.
    let mut l = leader_of(1, 3, 6, &[1, 1, 4, 4, 4, 6], plain());
    reject(&mut l, 6, None, 3);
    assert_eq!(l.progress()[&2].next, 3);
}

// ====================================================================== Figure 8

#[test]
fn leader_never_commits_an_older_term_entry_by_counting_replicas() {
    // Figure 8 (c): s1 was leader in term 2 and wrote index 2; now leader of term 4.
    let mut l = leader_of(1, 5, 3, &[1, 2], plain());
    assert_eq!(terms(&l), vec![1, 2, 4]);
    // Index 2 (term 2) reaches s2 and s3: a majority holds it, but it is not of term 4.
    ack(&mut l, 2, 2);
    ack(&mut l, 3, 2);
    assert_eq!(l.commit, 0, "Figure 8: not committed by counting replicas");
    // Once the term-4 no-op is on a majority, everything up to it commits.
    ack(&mut l, 2, 3);
    let out = ack(&mut l, 3, 3);
    assert_eq!(l.commit, 3);
    assert_eq!(applied(&out), vec![1, 2, 3]);
}

#[test]
fn probing_follower_gets_one_append_at_a_time() {
    let mut l = leader3_committed();
    // s3 has not answered the initial probe: proposals are not sent to it...
    for r in 1..=3 {
        let out = l.step(put(r, "k", "v"));
        assert!(sends_to(&out, 3).is_empty());
        assert_eq!(sends_to(&out, 2).len(), 1, "s2 replicates: pipelined");
    }
    // ...until the next heartbeat, which probes again from its next index.
    let out = fire(&mut l, Timer::Heartbeat);
    let ms = sends_to(&out, 3);
    assert_eq!(ms.len(), 1);
    let (pi, _, es, _, _) = append_of(&ms[0]);
    assert_eq!((pi, es.len()), (0, 4), "everything from index 1");
    // max_entries bounds one append.
    let mut l = leader_of(
        1,
        3,
        1,
        &[1; 10],
        Options {
            max_entries: 3,
            ..Options::default()
        },
    );
    let out = fire(&mut l, Timer::Heartbeat);
    let (_, _, es, _, _) = append_of(&sends_to(&out, 2)[0]);
    assert!(es.len() <= 3);
}

#[test]
fn leader_keeps_sending_until_a_follower_has_everything() {
    // At most 3 entries per append: each success triggers the next batch.
    let opts = Options {
        max_entries: 3,
        ..Options::default()
    };
    let l = leader_of(1, 3, 1, &[1; 10], opts);
    let mut net = Net::new(vec![l, node_with(2, 3, 1, None, &[], opts)]);
    net.isolated.insert(3);
    net.step(1, Input::Timer(Timer::Heartbeat));
    assert_eq!(terms(net.node(2)), [vec![1; 10], vec![2]].concat());
    assert_eq!(net.node(2).commit, 11);
    assert!(net
        .delivered
        .iter()
        .all(|m| !matches!(&m.body, Body::Append { entries, .. } if entries.len() > 3)));
}
