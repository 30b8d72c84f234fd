//! Client requests: redirects and retried writes.

use super::*;

#[test]
fn non_leaders_redirect_to_the_known_leader() {
    let mut f = node(2, 3);
    let out = f.step(put(1, "x", "1"));
    assert_eq!(
        replies(&out)[0].result,
        ClientResult::Redirect { leader: None }
    );
    deliver(&mut f, 3, 1, heartbeat(0, 0, 0));
    for input in [put(2, "x", "1"), get(3, "x")] {
        let out = f.step(input);
        assert_eq!(
            replies(&out)[0].result,
            ClientResult::Redirect { leader: Some(3) }
        );
    }
    assert_eq!(f.log().last_index(), 0);
    let mut c = node(1, 3);
    fire(&mut c, Timer::Election);
    let out = c.step(put(1, "x", "1"));
    assert_eq!(
        replies(&out)[0].result,
        ClientResult::Redirect { leader: None }
    );
}

#[test]
fn an_applied_request_retried_is_answered_without_a_second_apply() {
    let mut l = leader3_committed();
    l.step(put(1, "x", "1"));
    let out = ack(&mut l, 2, 2);
    assert_eq!(replies(&out), vec![ok(1)]);
    l.step(put(2, "x", "2"));
    ack(&mut l, 2, 3);
    assert_eq!(l.kv.get("x").map(String::as_str), Some("2"));
    // A late retry of request 1: answered from the dedup table; no entry, no apply.
    let out = l.step(put(1, "x", "1"));
    assert_eq!(replies(&out), vec![ok(1)]);
    assert!(applied(&out).is_empty());
    assert_eq!(l.log().last_index(), 3);
    assert_eq!(l.kv.get("x").map(String::as_str), Some("2"));
}

#[test]
fn a_retry_of_an_entry_still_in_the_log_is_not_appended_twice() {
    let mut l = leader3_committed();
    l.step(put(1, "x", "1"));
    let out = l.step(put(1, "x", "1"));
    assert_eq!(l.log().last_index(), 2, "no duplicate entry");
    assert!(replies(&out).is_empty());
    let out = ack(&mut l, 2, 2);
    assert_eq!(applied(&out), vec![2]);
    assert_eq!(replies(&out), vec![ok(1)]);
}

#[test]
fn a_new_leader_answers_a_retry_of_an_entry_from_an_earlier_term() {
    // s1 has request 7 in its log (term 1) uncommitted; it becomes leader of term 2.
    let mut d = durable(3, 1, None, &[1]);
    d.log.append(Entry {
        term: 1,
        data: EntryData::Put {
            client: 1,
            request: 7,
            key: "k".into(),
            value: "v".into(),
        },
    });
    let mut l = Node::new(1, d, plain());
    fire(&mut l, Timer::Election);
    deliver(&mut l, 2, 2, GRANT);
    assert_eq!(l.role, Role::Leader);
    assert_eq!(l.log().last_index(), 3);
    let out = l.step(put(7, "k", "v"));
    assert!(replies(&out).is_empty());
    assert_eq!(
        l.log().last_index(),
        3,
        "the old entry is waited for, not duplicated"
    );
    let out = ack(&mut l, 2, 3);
    assert_eq!(applied(&out), vec![1, 2, 3]);
    assert_eq!(replies(&out), vec![ok(7)]);
}
