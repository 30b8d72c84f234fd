//! Each kind of explanation, for a scripted case, word for word where it matters.

use super::*;
use crate::app::session::Session;

/// The session after playing `text` to its end.
fn played(text: &str) -> Session {
    let mut s = Session::from_scenario(text).expect("scenario parses");
    s.finish(100);
    s
}

fn why(s: &Session, w: Why) -> Explanation {
    explain(w, &s.view(), s.sim())
}

fn text(e: &Explanation) -> String {
    e.lines.join(" ")
}

#[test]
fn an_entry_on_a_minority_names_who_is_cut_off() {
    let s = played(
        "cluster 5\nseed 3\ntimeout s1\nrun until leader s1 within 1s\nrun 100ms\npartition s1 s2 | s3 s4 s5\nput x 1\nrun 100ms\n",
    );
    let e = why(
        &s,
        Why::Entry {
            server: 1,
            index: 2,
        },
    );
    assert_eq!(e.why.kind(), "entry");
    let t = text(&e);
    assert!(
        t.starts_with("Index 2 (term 1) is on s1 and s2 — 2 of 5 servers; a majority is 3."),
        "{t}"
    );
    assert!(
        t.contains("It is not committed: it is on 2 of 5; it needs 3. S3, s4 and s5 are cut off from the leader s1."),
        "{t}"
    );
    // The no-op of index 1 is committed.
    let e = why(
        &s,
        Why::Entry {
            server: 3,
            index: 1,
        },
    );
    assert!(
        text(&e).contains("It is committed: s3's commit index is 1 ≥ 1."),
        "{}",
        text(&e)
    );
}

#[test]
fn an_older_term_entry_on_a_majority_waits_for_the_figure_8_rule() {
    // The Figure 8 tour's set-up, with the paper's short logs: s1 leads term 4 and is cut
    // off before its no-op of term 4 reaches anyone; its entry of term 2 is on a majority.
    let s = played(
        "cluster 5\nseed 8\nset latency 10ms\nset election-timeout 1s..2s\nstate s1 term 3 log 1 2\nstate s2 term 3 log 1 2\nstate s3 term 3 vote s5 log 1 2\nstate s4 term 3 vote s5 log 1\nstate s5 term 3 vote s5 log 1 3\ncrash s5\ntimeout s1\nrun until leader s1 within 100ms\nisolate s1\nrun 50ms\n",
    );
    let e = why(
        &s,
        Why::Entry {
            server: 1,
            index: 2,
        },
    );
    let t = text(&e);
    assert!(
        t.contains("is on s1, s2 and s3 — 3 of 5 servers; a majority."),
        "{t}"
    );
    assert!(
        t.contains("but the leader s1 is in term 4 and commits only by counting entries of its own term (Figure 8)"),
        "{t}"
    );
    assert!(
        t.contains("it will commit when index 3 (term 4) reaches a majority"),
        "{t}"
    );
}

#[test]
fn a_candidate_names_its_votes_and_who_refused_why() {
    // s3's log is behind (term 1 entries only); s1 and s2 hold a term-2 entry.
    let s = played(
        "cluster 3\nseed 2\nset election-timeout 1s..2s\nstate s1 term 2 log 1 2\nstate s2 term 2 log 1 2\nstate s3 term 2 log 1\ntimeout s3\nrun 30ms\n",
    );
    let e = why(&s, Why::Server(3));
    assert_eq!(e.why.kind(), "server");
    let t = text(&e);
    assert!(t.starts_with("s3 is a follower in term 3 since "), "{t}");
    assert!(
        t.contains("its campaign failed: a majority refused. It had votes from s3 (1 of the 2 it needs out of 3)"),
        "{t}"
    );
    assert!(
        t.contains("s1 refused: its log is more up to date than s3's"),
        "{t}"
    );
    assert!(
        t.contains("It is in term 3 since 0ms: its election timer fired (forced by hand)."),
        "{t}"
    );
    assert!(e.moment.is_some());
    // s1 learned of term 3 from s3's RequestVote.
    let t = text(&why(&s, Why::Server(1)));
    assert!(t.contains("s1 is a follower in term 3 since "), "{t}");
    assert!(t.contains("learned of term 3 from s3's RequestVote"), "{t}");
}

#[test]
fn a_leader_names_the_votes_that_elected_it() {
    let s = played("cluster 3\nseed 1\ntimeout s2\nrun until leader s2 within 1s\nrun 50ms\n");
    let t = text(&why(&s, Why::Server(2)));
    assert!(t.starts_with("s2 is the leader of term 1 since "), "{t}");
    assert!(
        t.contains("Votes from s2 and s1 (2 of the 2 it needs out of 3)."),
        "{t}"
    );
    let t = text(&why(&s, Why::Server(1)));
    assert!(t.contains("It follows s2"), "{t}");
}

#[test]
fn a_leader_says_why_it_is_or_is_not_sending_to_each_follower() {
    // s3 is isolated: after the retry timeout the leader probes it, one append at a time.
    let s = played(
        "cluster 3\nseed 2\ntimeout s1\nrun until leader s1 within 1s\nisolate s3\nput a 1\nrun 1s\n",
    );
    let t = text(&why(&s, Why::Server(1)));
    assert!(
        t.contains("To s2: replicate: sending entries from index 3 as they come (0 of 256 appends in flight)."),
        "{t}"
    );
    assert!(t.contains("To s3: probe: "), "{t}");
}

#[test]
fn a_message_in_flight_has_the_papers_field_names_and_its_fate() {
    let mut s = Session::from_scenario(
        "cluster 3\nseed 1\nset latency 10ms\ntimeout s1\nrun until leader s1 within 1s\nrun 100ms\nput x 1\n",
    )
    .unwrap();
    s.finish(100);
    // Run until an AppendEntries carrying the put is in flight.
    let mut found = None;
    for _ in 0..200 {
        s.step_instant();
        let v = s.view();
        if let Some(m) = v
            .messages
            .iter()
            .find(|m| m.kind == "append" && m.label == "1")
        {
            found = Some(m.id);
            break;
        }
    }
    let id = found.expect("an append with one entry");
    let e = why(&s, Why::Msg(id));
    assert_eq!(e.why.kind(), "message");
    assert!(e.title.contains("AppendEntries"), "{}", e.title);
    let t = text(&e);
    assert!(
        t.contains("term 1, leaderId s1, prevLogIndex 1, prevLogTerm 1, entries [2: t1 x=1], leaderCommit 1."),
        "{t}"
    );
    assert!(t.contains("The consistency check passes (it holds index 1 with term 1): it will append index 2..2"), "{t}");
    // A vote request: its fields and the voter's decision.
    let mut s =
        Session::from_scenario("cluster 3\nseed 1\nset latency 10ms\ntimeout s2\n").unwrap();
    s.finish(10);
    let v = s.view();
    let m = v.messages.iter().find(|m| m.kind == "vote").unwrap();
    let t = text(&why(&s, Why::Msg(m.id)));
    assert!(
        t.contains("term 1, candidateId s2, lastLogIndex 0, lastLogTerm 0."),
        "{t}"
    );
    assert!(
        t.contains("first moves to term 1 (from 0) and becomes a follower. "),
        "{t}"
    );
    assert!(t.contains("will grant the vote"), "{t}");
    let t = text(&why(&s, Why::Msg(9999)));
    assert!(t.contains("not in flight"), "{t}");
}

#[test]
fn a_pending_read_on_a_cut_off_leader_waits_for_a_majority() {
    let s = played(
        "cluster 5\nseed 4\ntimeout s1\nrun until leader s1 within 1s\nrun 200ms\npartition s1 s2 | s3 s4 s5\nget x\nrun 100ms\n",
    );
    let e = why(&s, Why::Read(1));
    assert_eq!(e.why.kind(), "read");
    let t = text(&e);
    assert!(
        t.contains("get x: read index 1; waits for a heartbeat round acknowledged by a majority of term 1 (3 of 5): acks from s1 and s2."),
        "{t}"
    );
    let t = text(&why(&s, Why::Read(3)));
    assert!(t.contains("is not the leader"), "{t}");
}

#[test]
fn in_chinese_the_answers_are_whole_chinese_sentences() {
    use crate::text::{set_lang, Lang};
    crate::text::load_zh_from_sources();
    set_lang(Lang::Zh);
    let s = played(
        "cluster 5\nseed 3\ntimeout s1\nrun until leader s1 within 1s\nrun 100ms\npartition s1 s2 | s3 s4 s5\nput x 1\nrun 100ms\n",
    );
    let e = why(
        &s,
        Why::Entry {
            server: 1,
            index: 2,
        },
    );
    let t = text(&e);
    set_lang(Lang::En);
    assert!(
        e.title.starts_with("为什么？s1 上的索引 2（任期 1，"),
        "{}",
        e.title
    );
    assert!(
        t.starts_with("索引 2（任期 1）在 s1 和 s2 上——5 台服务器中的 2 台，而多数派需要 3 台。"),
        "{t}"
    );
    // The list of servers is joined the Chinese way and not capitalized ("S3").
    assert!(
        t.contains("它尚未提交：它只在 5 台中的 2 台上，需要 3 台。s3、s4 和 s5 与领导者 s1 之间的链路被切断。"),
        "{t}"
    );
    set_lang(Lang::Zh);
    let t = text(&why(&s, Why::Server(3)));
    set_lang(Lang::En);
    assert!(t.starts_with("s3 自 "), "{t}");
    assert!(t.contains("是任期 1 的跟随者："), "{t}");
    assert!(
        !t.contains(" is ") && !t.contains("It "),
        "English left: {t}"
    );
}
