//! ReadIndex reads.

use super::*;

#[test]
fn read_waits_for_the_leaders_first_commit_and_a_heartbeat_round() {
    let mut l = leader(3);
    let out = l.step(get(1, "x"));
    assert!(replies(&out).is_empty());
    assert!(sends(&out).is_empty(), "no round before the no-op commits");
    assert_eq!(l.reads.reads[0].index, None);
    // s2 acknowledges the no-op (round 1): commit 1 of term 1; the read starts.
    let seq_before = l.seq;
    let out = ack(&mut l, 2, 1);
    assert_eq!(l.commit, 1);
    assert!(
        replies(&out).is_empty(),
        "the no-op ack is from an older round"
    );
    let r = &l.reads.reads[0];
    assert_eq!(r.index, Some(1), "read index = commit index");
    assert_eq!(l.seq, seq_before + 1, "a new heartbeat round");
    assert_eq!(r.seq, l.seq);
    for to in [2, 3] {
        let ms = sends_to(&out, to);
        assert!(
            ms.iter()
                .any(|m| matches!(m.body, Body::Append { seq, .. } if seq == l.seq)),
            "round sent to s{to}"
        );
    }
    // The answer comes once a majority (s2 + itself) echoes the new round.
    let out = ack(&mut l, 2, 1);
    assert_eq!(
        replies(&out),
        vec![ClientReply {
            client: 1,
            request: 1,
            result: ClientResult::Value { value: None }
        }]
    );
    assert!(notes(&out).contains(&Note::ReadServed {
        key: "x".into(),
        index: 1
    }));
    assert!(l.reads.is_empty());
}

#[test]
fn read_returns_the_value_written_before_it() {
    let mut l = leader3_committed();
    l.step(put(1, "x", "1"));
    ack(&mut l, 3, 2);
    assert_eq!(l.commit, 2);
    let seq_before = l.seq;
    l.step(get(2, "x"));
    assert_eq!(l.reads.reads[0].index, Some(2));
    // An echo of an earlier round does not confirm.
    let out = deliver(
        &mut l,
        2,
        1,
        Body::AppendReply {
            success: true,
            match_index: 2,
            hint: None,
            seq: seq_before,
        },
    );
    assert!(replies(&out).is_empty());
    let out = ack(&mut l, 3, 2);
    assert_eq!(
        replies(&out)[0].result,
        ClientResult::Value {
            value: Some("1".into())
        }
    );
}

#[test]
fn stale_leader_cut_off_never_answers_a_read() {
    let mut l = leader3_committed();
    l.step(get(1, "x"));
    // No acknowledgement ever comes: heartbeat after heartbeat, no answer.
    for _ in 0..5 {
        let out = fire(&mut l, Timer::Heartbeat);
        assert!(replies(&out).is_empty());
    }
    assert_eq!(l.reads.len(), 1);
    // It learns of a newer term: the read is dropped, never answered from its state.
    let out = deliver(&mut l, 2, 2, heartbeat(1, 1, 1));
    assert!(replies(&out).is_empty());
    assert!(l.reads.is_empty());
}

#[test]
fn single_server_reads_answer_at_once() {
    let mut s = node(1, 1);
    fire(&mut s, Timer::Election);
    s.step(put(1, "x", "9"));
    let out = s.step(get(2, "x"));
    assert_eq!(
        replies(&out)[0].result,
        ClientResult::Value {
            value: Some("9".into())
        }
    );
}

#[test]
fn queued_reads_are_answered_in_order() {
    let mut l = leader3_committed();
    l.step(get(1, "a"));
    l.step(get(2, "b"));
    let out = ack(&mut l, 2, 1);
    let rs: Vec<RequestId> = replies(&out).iter().map(|r| r.request).collect();
    assert_eq!(rs, vec![1, 2]);
}
