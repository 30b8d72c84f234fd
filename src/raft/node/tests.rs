//! Paper-style unit tests of `Node`: a message (timer, client request) in, the expected
//! messages and state out. Modelled on etcd-raft's raft_paper_test.go and raft-rs's
//! test_raft_paper.rs, adapted to this crate's sans-IO interface.

use super::*;
use crate::raft::bugs::{self, Bug};
use crate::raft::log::{RejectHint, Snapshot};
use crate::raft::message::{Body, Message, VoteRefusal};
use crate::raft::progress::ProgressState;
use std::collections::BTreeMap;
use std::collections::{BTreeSet, VecDeque};

// ====================================================================== helpers

fn cfg(n: u8) -> Configuration {
    Configuration::new(1..=n)
}

fn plain() -> Options {
    Options::default()
}

fn prevote() -> Options {
    Options {
        prevote: true,
        ..Options::default()
    }
}

fn check_quorum() -> Options {
    Options {
        check_quorum: true,
        ..Options::default()
    }
}

fn durable(n: u8, term: Term, vote: Option<ServerId>, log: &[Term]) -> Durable {
    let mut d = Durable::new(cfg(n));
    d.term = term;
    d.vote = vote;
    for &t in log {
        d.log.append(Entry::noop(t));
    }
    d
}

/// Server `id` of an `n`-server cluster with the given durable state.
fn node_with(
    id: ServerId,
    n: u8,
    term: Term,
    vote: Option<ServerId>,
    log: &[Term],
    opts: Options,
) -> Node {
    Node::new(id, durable(n, term, vote, log), opts)
}

/// A fresh server: term 0, no vote, empty log.
fn node(id: ServerId, n: u8) -> Node {
    node_with(id, n, 0, None, &[], plain())
}

fn others(id: ServerId, n: u8) -> Vec<ServerId> {
    (1..=n).filter(|&v| v != id).collect()
}

fn deliver(nd: &mut Node, from: ServerId, term: Term, body: Body) -> Vec<Output> {
    let to = nd.id;
    nd.step(Input::Message(Message {
        from,
        to,
        term,
        body,
    }))
}

fn fire(nd: &mut Node, t: Timer) -> Vec<Output> {
    nd.step(Input::Timer(t))
}

fn sends(out: &[Output]) -> Vec<Message> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn sends_to(out: &[Output], to: ServerId) -> Vec<Message> {
    sends(out).into_iter().filter(|m| m.to == to).collect()
}

fn kinds(out: &[Output]) -> Vec<(&'static str, ServerId)> {
    sends(out).iter().map(|m| (m.body.kind(), m.to)).collect()
}

fn timer_set(out: &[Output], t: Timer) -> bool {
    out.contains(&Output::SetTimer(t))
}

fn replies(out: &[Output]) -> Vec<ClientReply> {
    out.iter()
        .filter_map(|o| match o {
            Output::Reply(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn applied(out: &[Output]) -> Vec<Index> {
    out.iter()
        .filter_map(|o| match o {
            Output::Applied { index, .. } => Some(*index),
            _ => None,
        })
        .collect()
}

fn notes(out: &[Output]) -> Vec<Note> {
    out.iter()
        .filter_map(|o| match o {
            Output::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// The terms of the entries held in the log (after its snapshot).
fn terms(nd: &Node) -> Vec<Term> {
    nd.log().entries().iter().map(|e| e.term).collect()
}

/// (term, granted, refusal) of the only vote or pre-vote reply in `out`, sent to `to`.
fn vote_reply(out: &[Output], to: ServerId) -> (Term, bool, Option<VoteRefusal>) {
    let ms = sends_to(out, to);
    assert_eq!(
        ms.len(),
        1,
        "expected exactly one reply to s{to}, got {ms:?}"
    );
    match &ms[0].body {
        Body::VoteReply { granted, refusal } | Body::PreVoteReply { granted, refusal } => {
            (ms[0].term, *granted, *refusal)
        }
        b => panic!("not a vote reply: {b:?}"),
    }
}

/// The fields of an Append: (prev_index, prev_term, entry terms, commit, seq).
fn append_of(m: &Message) -> (Index, Term, Vec<Term>, Index, u64) {
    match &m.body {
        Body::Append {
            prev_index,
            prev_term,
            entries,
            commit,
            seq,
        } => (
            *prev_index,
            *prev_term,
            entries.iter().map(|e| e.term).collect(),
            *commit,
            *seq,
        ),
        b => panic!("not an append: {b:?}"),
    }
}

/// The fields of an AppendReply: (success, match_index, hint).
fn append_reply_of(m: &Message) -> (bool, Index, Option<RejectHint>) {
    match &m.body {
        Body::AppendReply {
            success,
            match_index,
            hint,
            ..
        } => (*success, *match_index, *hint),
        b => panic!("not an append reply: {b:?}"),
    }
}

fn only_append_reply(out: &[Output], to: ServerId) -> (Term, bool, Index, Option<RejectHint>) {
    let ms = sends_to(out, to);
    assert_eq!(ms.len(), 1, "expected one append reply, got {ms:?}");
    let (s, mi, h) = append_reply_of(&ms[0]);
    (ms[0].term, s, mi, h)
}

fn vote_req(last_index: Index, last_term: Term) -> Body {
    Body::Vote {
        last_index,
        last_term,
        transfer: false,
    }
}

fn heartbeat(prev_index: Index, prev_term: Term, commit: Index) -> Body {
    Body::Append {
        prev_index,
        prev_term,
        entries: vec![],
        commit,
        seq: 1,
    }
}

fn append(prev_index: Index, prev_term: Term, entries: &[Term], commit: Index) -> Body {
    Body::Append {
        prev_index,
        prev_term,
        entries: entries.iter().map(|&t| Entry::noop(t)).collect(),
        commit,
        seq: 1,
    }
}

const GRANT: Body = Body::VoteReply {
    granted: true,
    refusal: None,
};

fn refuse() -> Body {
    Body::VoteReply {
        granted: false,
        refusal: Some(VoteRefusal::LogBehind),
    }
}

/// Server `id` of an `n`-server cluster with durable term `term_before` and `log` that
/// times out and wins the election (its peers' replies are injected). Its outputs are
/// discarded: it is a leader of term `term_before + 1` with a no-op at the end of its log.
fn leader_of(id: ServerId, n: u8, term_before: Term, log: &[Term], opts: Options) -> Node {
    let mut nd = node_with(id, n, term_before, None, log, opts);
    fire(&mut nd, Timer::Election);
    for p in others(id, n) {
        if nd.role == Role::PreCandidate {
            deliver(
                &mut nd,
                p,
                term_before + 1,
                Body::PreVoteReply {
                    granted: true,
                    refusal: None,
                },
            );
        }
    }
    for p in others(id, n) {
        if nd.role == Role::Candidate {
            let t = nd.term();
            deliver(&mut nd, p, t, GRANT);
        }
    }
    assert_eq!(nd.role, Role::Leader);
    assert_eq!(nd.term(), term_before + 1);
    nd
}

/// s1, the leader of term 1 of an `n`-server cluster (no-op at index 1, not committed).
fn leader(n: u8) -> Node {
    leader_of(1, n, 0, &[], plain())
}

/// A successful AppendReply from `from` matching up to `index`, echoing the latest round.
fn ack(nd: &mut Node, from: ServerId, index: Index) -> Vec<Output> {
    let (t, seq) = (nd.term(), nd.seq);
    deliver(
        nd,
        from,
        t,
        Body::AppendReply {
            success: true,
            match_index: index,
            hint: None,
            seq,
        },
    )
}

fn request(client: ClientId, request: RequestId, op: ClientOp) -> Input {
    Input::Client(ClientRequest {
        client,
        request,
        op,
    })
}

fn put(req: RequestId, key: &str, value: &str) -> Input {
    request(
        1,
        req,
        ClientOp::Put {
            key: key.into(),
            value: value.into(),
        },
    )
}

fn get(req: RequestId, key: &str) -> Input {
    request(1, req, ClientOp::Get { key: key.into() })
}

fn ok(req: RequestId) -> ClientReply {
    ClientReply {
        client: 1,
        request: req,
        result: ClientResult::Ok,
    }
}

/// s1 leader of term 1 of a 3-server cluster whose no-op is committed (s2 acknowledged it).
fn leader3_committed() -> Node {
    let mut l = leader(3);
    ack(&mut l, 2, 1);
    assert_eq!(l.commit, 1);
    l
}

/// Turns a deliberate bug on for the life of the guard (off again even on panic).
struct BugOn(Bug);

impl BugOn {
    fn new(b: Bug) -> BugOn {
        bugs::set(b, true);
        BugOn(b)
    }
}

impl Drop for BugOn {
    fn drop(&mut self) {
        bugs::set(self.0, false);
    }
}

/// A tiny lossless network: delivers every message in FIFO order until no more are sent.
/// Timers never fire by themselves; isolated servers neither send nor receive.
struct Net {
    nodes: BTreeMap<ServerId, Node>,
    isolated: BTreeSet<ServerId>,
    /// Every message delivered so far.
    delivered: Vec<Message>,
    /// Every other output, with the server that produced it.
    outputs: Vec<(ServerId, Output)>,
}

impl Net {
    fn new(nodes: Vec<Node>) -> Net {
        Net {
            nodes: nodes.into_iter().map(|n| (n.id, n)).collect(),
            isolated: BTreeSet::new(),
            delivered: Vec::new(),
            outputs: Vec::new(),
        }
    }

    fn node(&self, id: ServerId) -> &Node {
        &self.nodes[&id]
    }

    fn step(&mut self, id: ServerId, input: Input) {
        let out = self.nodes.get_mut(&id).unwrap().step(input);
        self.pump(id, out);
    }

    fn pump(&mut self, id: ServerId, out: Vec<Output>) {
        let mut q = VecDeque::new();
        self.collect(id, out, &mut q);
        let mut n = 0;
        while let Some(m) = q.pop_front() {
            n += 1;
            assert!(n < 10_000, "messages never stop");
            if self.isolated.contains(&m.from) || self.isolated.contains(&m.to) {
                continue;
            }
            let Some(nd) = self.nodes.get_mut(&m.to) else {
                continue;
            };
            let to = m.to;
            self.delivered.push(m.clone());
            let out = nd.step(Input::Message(m));
            self.collect(to, out, &mut q);
        }
    }

    fn collect(&mut self, id: ServerId, out: Vec<Output>, q: &mut VecDeque<Message>) {
        for o in out {
            match o {
                Output::Send(m) => q.push_back(m),
                o => self.outputs.push((id, o)),
            }
        }
    }

    fn count(&self, pred: impl Fn(&Message) -> bool) -> usize {
        self.delivered.iter().filter(|m| pred(m)).count()
    }
}

// ====================================================================== election

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

// ====================================================================== pre-vote

#[test]
fn precandidate_does_not_raise_its_term() {
    let mut p = node_with(1, 3, 4, Some(2), &[1, 4], prevote());
    let out = fire(&mut p, Timer::Election);
    assert_eq!(p.role, Role::PreCandidate);
    assert_eq!(p.term(), 4, "term unchanged");
    assert_eq!(p.durable.vote, Some(2), "vote unchanged");
    assert!(timer_set(&out, Timer::Election));
    let ms = sends(&out);
    assert_eq!(ms.iter().map(|m| m.to).collect::<Vec<_>>(), vec![2, 3]);
    for m in ms {
        assert_eq!(m.term, 5, "PreVote carries the term it would campaign in");
        assert_eq!(
            m.body,
            Body::PreVote {
                last_index: 2,
                last_term: 4
            }
        );
    }
    // Timing out again (a partitioned server) still does not raise the term.
    fire(&mut p, Timer::Election);
    fire(&mut p, Timer::Election);
    assert_eq!((p.role, p.term()), (Role::PreCandidate, 4));
}

#[test]
fn voter_does_not_change_its_term_on_a_prevote() {
    let mut v = node_with(2, 3, 4, Some(3), &[1, 4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 2,
            last_term: 4,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (5, true, None),
        "granted, echoing term 5"
    );
    assert_eq!(v.term(), 4);
    assert_eq!(v.durable.vote, Some(3), "a pre-vote is not a vote");
    assert!(
        !timer_set(&out, Timer::Election),
        "a pre-vote does not reset the timer"
    );
    // A pre-vote for a log behind is refused with the voter's own term.
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 9,
            last_term: 3,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (4, false, Some(VoteRefusal::LogBehind))
    );
    assert_eq!(v.term(), 4);
}

#[test]
fn prevote_majority_makes_a_real_candidate() {
    let mut p = node_with(1, 5, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    let pv = Body::PreVoteReply {
        granted: true,
        refusal: None,
    };
    deliver(&mut p, 2, 3, pv.clone());
    assert_eq!(p.role, Role::PreCandidate);
    let out = deliver(&mut p, 3, 3, pv.clone());
    assert_eq!(p.role, Role::Candidate);
    assert_eq!(p.term(), 3);
    assert_eq!(p.durable.vote, Some(1));
    assert_eq!(
        kinds(&out),
        vec![("vote", 2), ("vote", 3), ("vote", 4), ("vote", 5)]
    );
    assert!(sends(&out).iter().all(|m| m.term == 3));
    // A late pre-vote grant is not a vote.
    deliver(&mut p, 4, 3, pv);
    assert_eq!(p.role, Role::Candidate);
}

#[test]
fn prevote_refused_by_a_majority_returns_to_follower() {
    let mut p = node_with(1, 3, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    let no = Body::PreVoteReply {
        granted: false,
        refusal: Some(VoteRefusal::LogBehind),
    };
    deliver(&mut p, 2, 2, no.clone());
    assert_eq!(p.role, Role::PreCandidate, "1 refusal of 3");
    deliver(&mut p, 3, 2, no);
    assert_eq!((p.role, p.term()), (Role::Follower, 2));
    // A refusal from a voter in a higher term makes it adopt that term.
    let mut p = node_with(1, 3, 2, None, &[2], prevote());
    fire(&mut p, Timer::Election);
    deliver(
        &mut p,
        2,
        6,
        Body::PreVoteReply {
            granted: false,
            refusal: Some(VoteRefusal::StaleTerm),
        },
    );
    assert_eq!((p.role, p.term()), (Role::Follower, 6));
}

#[test]
fn prevote_is_granted_even_after_voting_in_the_current_term() {
    // A pre-vote for a later term does not conflict with this term's vote.
    let mut v = node_with(2, 3, 4, Some(3), &[4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 1,
            last_term: 4,
        },
    );
    assert_eq!(vote_reply(&out, 1), (5, true, None));
    // A stale pre-vote (for a term the voter has already passed) is refused.
    let mut v = node_with(2, 3, 6, None, &[4], prevote());
    let out = deliver(
        &mut v,
        1,
        5,
        Body::PreVote {
            last_index: 1,
            last_term: 4,
        },
    );
    assert_eq!(
        vote_reply(&out, 1),
        (6, false, Some(VoteRefusal::StaleTerm))
    );
}

// ====================================================================== check-quorum and lease

#[test]
fn follower_in_lease_ignores_vote_and_prevote_requests() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut f = node_with(2, 3, 1, None, &[1], opts);
    let out = deliver(&mut f, 1, 1, heartbeat(1, 1, 1));
    assert!(f.lease);
    assert!(timer_set(&out, Timer::Lease));
    assert!(f.in_lease());
    for body in [
        Body::PreVote {
            last_index: 5,
            last_term: 1,
        },
        vote_req(5, 1),
    ] {
        let out = deliver(&mut f, 3, 2, body);
        assert!(sends(&out).is_empty(), "no reply at all");
        assert!(matches!(
            notes(&out)[..],
            [Note::VoteIgnored { candidate: 3, .. }]
        ));
        assert_eq!(f.term(), 1, "term unchanged");
        assert_eq!(f.durable.vote, None);
        assert_eq!(f.leader, Some(1));
    }
    // A leadership-transfer campaign overrides the lease.
    let mut g = f.clone();
    let out = deliver(
        &mut g,
        3,
        2,
        Body::Vote {
            last_index: 5,
            last_term: 1,
            transfer: true,
        },
    );
    assert_eq!(vote_reply(&out, 3), (2, true, None));
    assert_eq!(g.durable.vote, Some(3));
    // Once the lease timer fires (minimum election timeout without the leader), it votes.
    fire(&mut f, Timer::Lease);
    assert!(!f.in_lease());
    let out = deliver(&mut f, 3, 2, vote_req(5, 1));
    assert_eq!(vote_reply(&out, 3), (2, true, None));
}

#[test]
fn without_check_quorum_there_is_no_lease() {
    let mut f = node_with(2, 3, 1, None, &[1], plain());
    let out = deliver(&mut f, 1, 1, heartbeat(1, 1, 1));
    assert!(!timer_set(&out, Timer::Lease));
    let out = deliver(&mut f, 3, 2, vote_req(5, 1));
    assert_eq!(vote_reply(&out, 3), (2, true, None));
}

#[test]
fn check_quorum_leader_steps_down_without_a_majority() {
    let mut l = leader_of(1, 5, 0, &[], check_quorum());
    // Round 1: s2 and s3 answer: with the leader itself that is a majority of 5.
    ack(&mut l, 2, 1);
    ack(&mut l, 3, 1);
    let out = fire(&mut l, Timer::Election);
    assert_eq!(l.role, Role::Leader, "a majority was active");
    assert!(timer_set(&out, Timer::Election));
    // Round 2: only s2 answers (2 of 5).
    ack(&mut l, 2, 1);
    let out = fire(&mut l, Timer::Election);
    assert_eq!(
        l.role,
        Role::Follower,
        "no majority heard from for an election timeout"
    );
    assert_eq!(l.term(), 1, "stepping down does not change the term");
    assert_eq!(l.leader, None);
    assert!(notes(&out).contains(&Note::LostQuorum { term: 1 }));
    assert!(out.contains(&Output::StopTimer(Timer::Heartbeat)));
}

#[test]
fn check_quorum_counts_rejections_as_activity() {
    let mut l = leader_of(1, 3, 0, &[], check_quorum());
    // A rejection still proves s2 is alive and in our term.
    let seq = l.seq;
    deliver(
        &mut l,
        2,
        1,
        Body::AppendReply {
            success: false,
            match_index: 0,
            hint: Some(RejectHint {
                rejected: 0,
                conflict_term: None,
                conflict_index: 1,
            }),
            seq,
        },
    );
    fire(&mut l, Timer::Election);
    assert_eq!(l.role, Role::Leader);
}

#[test]
fn leader_with_check_quorum_ignores_disruptive_votes() {
    let mut l = leader_of(1, 3, 0, &[], check_quorum());
    let out = deliver(&mut l, 3, 5, vote_req(9, 9));
    assert!(sends(&out).is_empty());
    assert_eq!((l.role, l.term()), (Role::Leader, 1));
    // Without check-quorum the same request deposes it.
    let mut l = leader(3);
    deliver(&mut l, 3, 5, vote_req(9, 9));
    assert_eq!((l.role, l.term()), (Role::Follower, 5));
}

// ====================================================================== AppendEntries: follower

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

// ====================================================================== clients

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

// ====================================================================== ReadIndex

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

// ====================================================================== membership

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
    assert_eq!(
        l.log().entry(2).unwrap().data,
        EntryData::Config {
            voters: vec![1, 2, 3, 4]
        }
    );
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
        data: EntryData::Config { voters: vec![1, 2] },
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
    assert!(!l.progress().contains_key(&3));
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

// ====================================================================== snapshots

/// s1 leader of 3 with x=1 (request 1) and y=2 (request 2) committed and applied at 2, 3.
fn leader_with_data() -> Node {
    let mut l = leader3_committed();
    l.step(put(1, "x", "1"));
    l.step(put(2, "y", "2"));
    ack(&mut l, 2, 3);
    assert_eq!((l.commit, l.applied), (3, 3));
    l
}

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

// ====================================================================== leader transfer

#[test]
fn transfer_to_an_up_to_date_follower_sends_timeout_now_and_blocks_writes() {
    let mut l = leader3_committed();
    ack(&mut l, 3, 1);
    let out = l.step(Input::Admin(Admin::Transfer(2)));
    assert_eq!(l.transfer, Some(2));
    assert!(
        timer_set(&out, Timer::Election),
        "the transfer has one election timeout"
    );
    assert_eq!(kinds(&out), vec![("timeout_now", 2)]);
    assert_eq!(sends(&out)[0].term, 1);
    // Writes and configuration changes are not accepted during the transfer.
    let out = l.step(put(1, "x", "1"));
    assert!(replies(&out).is_empty());
    assert!(notes(&out)
        .iter()
        .any(|n| matches!(n, Note::ProposalDropped { .. })));
    let out = l.step(request(1, 2, ClientOp::Add { server: 4 }));
    assert!(notes(&out)
        .iter()
        .any(|n| matches!(n, Note::ProposalDropped { .. })));
    assert_eq!(l.log().last_index(), 1);
    assert!(l.catch_up.is_none());
    // The election timer fires before the target took over: abort, writes resume.
    let out = fire(&mut l, Timer::Election);
    assert_eq!(l.transfer, None);
    assert!(notes(&out).contains(&Note::TransferAborted { to: 2 }));
    assert_eq!(l.role, Role::Leader);
    l.step(put(1, "x", "1"));
    assert_eq!(l.log().last_index(), 2);
}

#[test]
fn transfer_to_a_lagging_follower_catches_it_up_first() {
    let mut l = leader3_committed();
    let out = l.step(Input::Admin(Admin::Transfer(3)));
    assert_eq!(
        kinds(&out),
        vec![("append", 3)],
        "no TimeoutNow before s3 is up to date"
    );
    let out = ack(&mut l, 3, 1);
    assert_eq!(kinds(&out), vec![("timeout_now", 3)]);
    // Once the target wins, the old leader follows the new term.
    deliver(&mut l, 3, 2, heartbeat(1, 1, 1));
    assert_eq!(
        (l.role, l.leader, l.transfer),
        (Role::Follower, Some(3), None)
    );
}

#[test]
fn transfer_to_self_or_a_non_voter_is_refused() {
    let mut l = leader3_committed();
    let out = l.step(Input::Admin(Admin::Transfer(1)));
    assert!(matches!(
        notes(&out)[..],
        [Note::TransferRefused { to: 1, .. }]
    ));
    let out = l.step(Input::Admin(Admin::Transfer(7)));
    assert!(matches!(
        notes(&out)[..],
        [Note::TransferRefused { to: 7, .. }]
    ));
    assert_eq!(l.transfer, None);
    // A follower ignores transfer requests.
    let mut f = node(2, 3);
    assert!(f.step(Input::Admin(Admin::Transfer(3))).is_empty());
}

#[test]
fn timeout_now_makes_the_target_campaign_at_once_past_the_lease() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut t = node_with(2, 3, 1, None, &[1], opts);
    deliver(&mut t, 1, 1, heartbeat(1, 1, 1));
    let out = deliver(&mut t, 1, 1, Body::TimeoutNow);
    assert_eq!(t.role, Role::Candidate, "no pre-vote phase for a transfer");
    assert_eq!(t.term(), 2);
    let ms = sends(&out);
    assert_eq!(ms.len(), 2);
    assert!(ms.iter().all(|m| m.term == 2
        && m.body
            == Body::Vote {
                last_index: 1,
                last_term: 1,
                transfer: true
            }));
    // Another follower in its lease grants it; so does the old leader.
    let mut other = node_with(3, 3, 1, None, &[1], opts);
    deliver(&mut other, 1, 1, heartbeat(1, 1, 1));
    assert!(other.in_lease());
    let to3 = ms.iter().find(|m| m.to == 3).unwrap().body.clone();
    let out = deliver(&mut other, 2, 2, to3);
    assert_eq!(vote_reply(&out, 2), (2, true, None));
    let mut old = leader_of(1, 3, 0, &[], opts);
    let out = deliver(&mut old, 2, 2, ms[0].body.clone());
    assert_eq!(old.role, Role::Follower);
    assert_eq!(vote_reply(&out, 2), (2, true, None));
}

#[test]
fn transfer_end_to_end() {
    let opts = check_quorum();
    let l = leader_of(1, 3, 0, &[], opts);
    let f2 = node_with(2, 3, 0, None, &[], opts);
    let f3 = node_with(3, 3, 0, None, &[], opts);
    let mut net = Net::new(vec![l, f2, f3]);
    net.step(1, Input::Timer(Timer::Heartbeat));
    assert_eq!(net.node(1).commit, 1);
    net.step(1, Input::Admin(Admin::Transfer(3)));
    assert_eq!(net.node(3).role, Role::Leader);
    assert_eq!(net.node(3).term(), 2);
    assert_eq!(net.node(1).role, Role::Follower);
    assert_eq!(net.node(2).leader, Some(3));
    assert_eq!(net.node(3).commit, 2, "the new leader committed its no-op");
}

// ====================================================================== crash / restart

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

// ====================================================================== deliberate bugs

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
fn bug_keep_commit() {
    use crate::sim::{Command as SimCommand, Setup, Sim};
    let run = || {
        let mut sim = Sim::new(&Setup {
            servers: 3,
            ..Setup::default()
        });
        sim.run_until(2_000_000);
        let l = sim.leader().expect("a leader within 2 s");
        let f = if l == 1 { 2 } else { 1 };
        let before = sim.server(f).unwrap().node.commit();
        assert!(before >= 1, "the follower learned the no-op's commit");
        sim.apply(SimCommand::Crash(f)).unwrap();
        sim.server(f).unwrap().node.commit()
    };
    assert_eq!(run(), 0);
    {
        let _b = BugOn::new(Bug::KeepCommit);
        assert!(run() >= 1, "commitIndex survived the crash");
    }
    assert_eq!(run(), 0);
}

// ====================================================================== more rules

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

#[test]
fn precandidate_falls_back_on_an_append_of_its_term() {
    let mut p = node_with(1, 3, 2, None, &[], prevote());
    fire(&mut p, Timer::Election);
    deliver(&mut p, 3, 2, heartbeat(0, 0, 0));
    assert_eq!((p.role, p.term(), p.leader), (Role::Follower, 2, Some(3)));
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
fn queued_reads_are_answered_in_order() {
    let mut l = leader3_committed();
    l.step(get(1, "a"));
    l.step(get(2, "b"));
    let out = ack(&mut l, 2, 1);
    let rs: Vec<RequestId> = replies(&out).iter().map(|r| r.request).collect();
    assert_eq!(rs, vec![1, 2]);
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

#[test]
fn removing_a_server_while_another_catches_up_is_busy() {
    let mut l = leader3_committed();
    l.step(request(1, 1, ClientOp::Add { server: 4 }));
    let out = l.step(request(1, 2, ClientOp::Remove { server: 3 }));
    assert!(matches!(replies(&out)[0].result, ClientResult::Busy { .. }));
    assert_eq!(*l.config(), cfg(3));
}

#[test]
fn repeated_transfer_to_the_same_target_is_ignored() {
    let mut l = leader3_committed();
    l.step(Input::Admin(Admin::Transfer(2)));
    assert!(l.step(Input::Admin(Admin::Transfer(2))).is_empty());
    assert_eq!(l.transfer, Some(2));
}

/// Pre-vote and check-quorum together, over the in-memory network: election, a partition
/// of the leader, a new leader in the majority, the old one stepping down, and healing.
#[test]
fn election_partition_and_heal_over_the_network() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut net = Net::new(
        (1..=3)
            .map(|i| node_with(i, 3, 0, None, &[], opts))
            .collect(),
    );
    net.step(1, Input::Timer(Timer::Election));
    assert_eq!((net.node(1).role, net.node(1).term()), (Role::Leader, 1));
    // The follower whose ack came second learns the commit index with the next heartbeat.
    net.step(1, Input::Timer(Timer::Heartbeat));
    for i in 1..=3 {
        assert_eq!(terms(net.node(i)), vec![1]);
        assert_eq!(net.node(i).commit, 1, "s{i}");
    }
    net.isolated.insert(1);
    // s2 times out while s3 still is in its lease: the pre-vote is ignored, no term change.
    net.step(2, Input::Timer(Timer::Election));
    assert_eq!(
        (net.node(2).role, net.node(2).term()),
        (Role::PreCandidate, 1)
    );
    assert_eq!(net.node(3).term(), 1);
    // s3's lease runs out; s2 tries again and wins in term 2.
    net.step(3, Input::Timer(Timer::Lease));
    net.step(2, Input::Timer(Timer::Election));
    assert_eq!((net.node(2).role, net.node(2).term()), (Role::Leader, 2));
    assert_eq!(net.node(3).leader, Some(2));
    assert_eq!(net.node(2).commit, 2);
    // The old leader, cut off, steps down after an election timeout without a majority.
    net.step(1, Input::Timer(Timer::Election)); // heard from both in the first period
    assert_eq!(net.node(1).role, Role::Leader);
    net.step(1, Input::Timer(Timer::Election));
    assert_eq!((net.node(1).role, net.node(1).term()), (Role::Follower, 1));
    // A write on the new leader; heal; s1 catches up.
    net.step(2, put(1, "x", "1"));
    net.isolated.clear();
    net.step(2, Input::Timer(Timer::Heartbeat));
    for i in 1..=3 {
        assert_eq!(terms(net.node(i)), vec![1, 2, 2], "s{i}");
        assert_eq!(
            net.node(i).kv.get("x").map(String::as_str),
            Some("1"),
            "s{i}"
        );
    }
    assert_eq!(net.node(1).term(), 2);
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
