//! The deliberate bugs, each shown to change what a node does.

use super::*;

#[test]
fn bug_double_vote() {
    let vote_twice = || {
        let mut f = node_with(1, 3, 1, None, &[], plain());
        deliver(&mut f, 2, 1, vote_req(0, 0));
        let out = deliver(&mut f, 3, 1, vote_req(0, 0));
        vote_reply(&out, 3).1
    };
    assert!(!vote_twice());
    {
        let _b = BugOn::new(Bug::DoubleVote);
        assert!(vote_twice(), "a second vote in term 1");
    }
    assert!(!vote_twice());
}

#[test]
fn bug_forget_vote() {
    let crash_after_vote = || {
        let mut f = node_with(1, 3, 1, None, &[], plain());
        deliver(&mut f, 2, 1, vote_req(0, 0));
        f.into_durable().vote
    };
    assert_eq!(crash_after_vote(), Some(2));
    {
        let _b = BugOn::new(Bug::ForgetVote);
        assert_eq!(crash_after_vote(), None);
    }
    assert_eq!(crash_after_vote(), Some(2));
}

#[test]
fn bug_commit_old_term() {
    let run = || {
        let mut l = leader_of(1, 3, 3, &[1, 2], plain());
        ack(&mut l, 2, 2);
        l.commit
    };
    assert_eq!(run(), 0);
    {
        let _b = BugOn::new(Bug::CommitOldTerm);
        assert_eq!(run(), 2, "commits index 2 of term 2 by counting replicas");
    }
    assert_eq!(run(), 0);
}

#[test]
fn bug_read_without_read_index() {
    let run = || {
        let mut l = leader3_committed();
        replies(&l.step(get(1, "x"))).len()
    };
    assert_eq!(run(), 0, "a cut-off leader must not answer");
    {
        let _b = BugOn::new(Bug::ReadWithoutReadIndex);
        assert_eq!(run(), 1, "answered from local state");
    }
    assert_eq!(run(), 0);
}

#[test]
fn bug_apply_retry_twice() {
    let run = || {
        let mut l = leader3_committed();
        l.step(put(1, "x", "1"));
        ack(&mut l, 2, 2);
        l.step(put(2, "x", "2"));
        ack(&mut l, 2, 3);
        l.step(put(1, "x", "1")); // a late retry of request 1
        let last = l.log().last_index();
        ack(&mut l, 2, last);
        (last, l.kv.get("x").cloned().unwrap())
    };
    assert_eq!(run(), (3, "2".to_string()));
    {
        let _b = BugOn::new(Bug::ApplyRetryTwice);
        assert_eq!(run(), (4, "1".to_string()), "appended and applied again");
    }
    assert_eq!(run(), (3, "2".to_string()));
}

#[test]
fn bug_quorum_off_by_one() {
    // s1 leads term 1 of five servers and only s2 acknowledged its no-op: two of five
    // hold index 1, not a majority.
    let five = || {
        let mut l = leader(5);
        ack(&mut l, 2, 1);
        l.commit
    };
    // s1 leads three servers with its no-op committed and appends a put that it has not
    // sent to anyone yet: the leader alone holds index 2.
    let three = || {
        let mut l = leader3_committed();
        let out = l.step(put(1, "x", "1"));
        (l.commit, replies(&out))
    };
    assert_eq!(five(), 0);
    assert_eq!(three(), (1, vec![]));
    {
        let _b = BugOn::new(Bug::QuorumOffByOne);
        assert_eq!(five(), 1, "commits an entry only 2 of 5 servers hold");
        assert_eq!(
            three(),
            (2, vec![ok(1)]),
            "commits, applies and answers a put only the leader holds"
        );
    }
    assert_eq!(five(), 0);
    assert_eq!(three(), (1, vec![]));
}
