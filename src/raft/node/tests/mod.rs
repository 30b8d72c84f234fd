//! Paper-style unit tests of `Node`: a message (timer, client request) in, the expected
//! messages and state out. Modelled on etcd-raft's raft_paper_test.go and raft-rs's
//! test_raft_paper.rs, adapted to this crate's sans-IO interface. This file is the shared
//! harness; the tests are in one file per topic.

use super::*;
use crate::raft::bugs::{Bug, BugOn};
use crate::raft::log::{RejectHint, Snapshot};
use crate::raft::message::{Body, Message, VoteRefusal};
use crate::raft::progress::ProgressState;
use std::collections::BTreeMap;
use std::collections::{BTreeSet, VecDeque};

mod clients;
mod deliberate_bugs;
mod election;
mod flow_control;
mod joint;
mod membership;
mod prevote_check_quorum;
mod read_index;
mod replication;
mod restart;
mod snapshot;
mod transfer;

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

/// s1 leader of 3 with x=1 (request 1) and y=2 (request 2) committed and applied at 2, 3.
fn leader_with_data() -> Node {
    let mut l = leader3_committed();
    l.step(put(1, "x", "1"));
    l.step(put(2, "y", "2"));
    ack(&mut l, 2, 3);
    assert_eq!((l.commit, l.applied), (3, 3));
    l
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
