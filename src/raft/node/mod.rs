//! A Raft server as a deterministic state machine: `step(Input) -> Vec<Output>`.
//!
//! The node owns no clock and draws no random numbers: timers are requested with
//! `Output::SetTimer` (the simulator draws the election timeout from its seeded RNG) and
//! come back as `Input::Timer`. Durable state (`Durable`: term, vote, log with its
//! snapshot) is the only part that survives a crash; it is updated before any message that
//! depends on it is emitted, so "persist before reply" holds by construction.

use super::bugs::{self, Bug};
use super::config::{Configuration, ServerSet};
use super::io::*;
use super::kv::KvState;
use super::log::Log;
use super::message::{Body, Message};
use super::note::Note;
use super::progress::Progress;
use super::read::ReadQueue;
use super::status::Status;
use super::tracker::Tracker;
use super::types::*;
use litemap::LiteMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    Put,
    Config,
}

/// A configuration change the leader is preparing: the new server catches up first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatchUp {
    pub server: ServerId,
    pub client: ClientId,
    pub request: RequestId,
}

/// A joint change the leader is carrying out: the new servers join as learners and catch
/// up, then C_old,new is appended, then C_new once C_old,new commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JointChange {
    pub target: ServerSet,
    pub client: ClientId,
    pub request: RequestId,
}

#[derive(Clone, Debug)]
pub struct Node {
    id: ServerId,
    opts: Options,
    durable: Durable,
    // ---- volatile ----
    role: Role,
    leader: Option<ServerId>,
    commit: Index,
    applied: Index,
    kv: KvState,
    /// Check-quorum lease: heard from the leader within the minimum election timeout.
    lease: bool,
    /// Progress of the other servers (leader) and votes received (candidate).
    tracker: Tracker,
    catch_up: Option<CatchUp>,
    joint: Option<JointChange>,
    /// Read lease (read mode `lease`): the newest heartbeat round a majority acknowledged
    /// in this term, and the newest round whose lease timer fired. The lease holds while
    /// the first is the newer.
    lease_acked: u64,
    lease_fired: u64,
    transfer: Option<ServerId>,
    seq: u64,
    reads: ReadQueue,
    waiting: LiteMap<Index, (ClientId, RequestId, Waiting)>,
    out: Vec<Output>,
}

impl Node {
    /// A server starting (or restarting) from its durable state, as a follower.
    pub fn new(id: ServerId, durable: Durable, opts: Options) -> Node {
        let snap = durable.log.snapshot().clone();
        Node {
            id,
            opts,
            durable,
            role: Role::Follower,
            leader: None,
            commit: snap.index,
            applied: snap.index,
            kv: snap.state,
            lease: false,
            tracker: Tracker::default(),
            catch_up: None,
            joint: None,
            lease_acked: 0,
            lease_fired: 0,
            transfer: None,
            seq: 0,
            reads: ReadQueue::default(),
            waiting: LiteMap::new(),
            out: Vec::new(),
        }
    }

    /// The first outputs of a (re)started server: its election timer.
    pub fn start(&mut self) -> Vec<Output> {
        self.out.push(Output::SetTimer(Timer::Election));
        if self.opts.read_mode == ReadMode::Lease && self.term() > 0 {
            // A restarted server may have acknowledged a leader's round just before it
            // went down: it waits out the minimum election timeout before voting (in
            // term 0 it has never heard of a leader).
            self.lease = true;
            self.out.push(Output::SetTimer(Timer::Lease));
        }
        std::mem::take(&mut self.out)
    }

    /// What the disk holds: everything volatile is lost.
    pub fn into_durable(self) -> Durable {
        let mut d = self.durable;
        if bugs::active(Bug::ForgetVote) {
            d.vote = None;
        }
        d
    }

    /// Crash: the server that comes back is rebuilt from its disk alone, with the same id
    /// and options (not started yet: see `start`).
    pub fn crash(self) -> Node {
        let (id, opts, commit) = (self.id, self.opts, self.commit);
        let mut node = Node::new(id, self.into_durable(), opts);
        if bugs::active(Bug::KeepCommit) {
            node.commit = commit.min(node.log().last_index());
        }
        node
    }

    // ------------------------------------------------------------------ reading

    /// A read-only view of everything the node shows.
    pub fn status(&self) -> Status<'_> {
        Status {
            id: self.id,
            options: self.opts,
            role: self.role,
            term: self.term(),
            vote: self.vote(),
            leader: self.leader,
            commit: self.commit,
            applied: self.applied,
            log: self.log(),
            config: self.config(),
            kv: &self.kv,
            lease: self.lease,
            read_lease: self.read_lease(),
            progress: &self.tracker.progress,
            votes: &self.tracker.votes,
            transfer: self.transfer,
            pending_reads: self.reads.len(),
            reads: &self.reads,
            waiting_replies: self.waiting.len(),
        }
    }

    pub fn id(&self) -> ServerId {
        self.id
    }

    pub fn options(&self) -> Options {
        self.opts
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn term(&self) -> Term {
        self.durable.term
    }

    /// The vote cast in the current term.
    pub fn vote(&self) -> Option<ServerId> {
        self.durable.vote
    }

    /// The leader it knows of in its term.
    pub fn leader(&self) -> Option<ServerId> {
        self.leader
    }

    pub fn commit(&self) -> Index {
        self.commit
    }

    pub fn applied(&self) -> Index {
        self.applied
    }

    pub fn log(&self) -> &Log {
        &self.durable.log
    }

    /// The state machine.
    pub fn kv(&self) -> &KvState {
        &self.kv
    }

    /// A leader's view of the other servers (empty for other roles).
    pub fn progress(&self) -> &IdMap<Progress> {
        &self.tracker.progress
    }

    /// The configuration in effect: the latest one in the log, committed or not.
    pub fn config(&self) -> &Configuration {
        self.durable.log.latest_config().1
    }

    /// Can this server campaign? Only a voter of its own latest configuration can.
    pub fn promotable(&self) -> bool {
        self.config().contains(self.id)
    }

    /// Is it in the check-quorum lease (ignoring vote requests)? With lease reads, also a
    /// follower that has not heard of a leader since it started.
    pub fn in_lease(&self) -> bool {
        let lease_reads = self.opts.read_mode == ReadMode::Lease;
        (self.opts.check_quorum || lease_reads)
            && match self.role {
                Role::Leader => true,
                Role::Follower => self.lease && (self.leader.is_some() || lease_reads),
                _ => false,
            }
    }

    /// Does a leader hold a read lease now (read mode `lease`)?
    pub fn read_lease(&self) -> bool {
        self.role == Role::Leader
            && self.opts.read_mode == ReadMode::Lease
            && self.transfer.is_none()
            && self.lease_acked > self.lease_fired
    }

    pub fn step(&mut self, input: Input) -> Vec<Output> {
        match input {
            Input::Message(m) => self.on_message(m),
            Input::Timer(t) => self.on_timer(t),
            Input::Client(r) => self.on_client(r),
            Input::Admin(a) => self.on_admin(a),
            Input::SetOptions(o) => {
                if o.max_inflight != self.opts.max_inflight {
                    for (_, p) in self.tracker.progress.iter_mut() {
                        p.inflights.set_capacity(o.max_inflight);
                    }
                }
                self.opts = o;
            }
        }
        std::mem::take(&mut self.out)
    }

    // ------------------------------------------------------------------ helpers

    fn note(&mut self, n: Note) {
        self.out.push(Output::Note(n));
    }

    fn send(&mut self, to: ServerId, term: Term, body: Body) {
        self.out.push(Output::Send(Message {
            from: self.id,
            to,
            term,
            body,
        }));
    }

    fn reply(&mut self, client: ClientId, request: RequestId, result: ClientResult) {
        self.out.push(Output::Reply(ClientReply {
            client,
            request,
            result,
        }));
    }

    /// The other voters (of either half while joint).
    fn others(&self) -> Vec<ServerId> {
        self.config()
            .all_voters()
            .iter()
            .copied()
            .filter(|&v| v != self.id)
            .collect()
    }

    fn set_term(&mut self, term: Term) {
        if term > self.durable.term {
            self.durable.term = term;
            self.durable.vote = None;
        }
    }

    fn reset_leader_state(&mut self) {
        self.tracker.progress.clear();
        self.catch_up = None;
        self.joint = None;
        self.transfer = None;
        self.reads.clear();
        self.waiting.clear();
    }

    fn become_follower(&mut self, term: Term, leader: Option<ServerId>) {
        let was = self.role;
        let old_term = self.term();
        self.set_term(term);
        self.role = Role::Follower;
        self.leader = leader;
        self.tracker.votes.clear();
        self.reset_leader_state();
        if was == Role::Leader {
            self.out.push(Output::StopTimer(Timer::Heartbeat));
        }
        // The election timer keeps running: every role always has one armed, and stepping
        // down on a higher term is no reason to wait longer (Raft resets it only on hearing
        // from the current leader, granting a vote, or starting an election). Resetting it
        // here would let a candidate that cannot win keep delaying the ones that can.
        if was != Role::Follower || old_term != term {
            self.note(Note::Became {
                role: Role::Follower,
                term: self.term(),
            });
        }
    }

    fn become_leader(&mut self) {
        self.role = Role::Leader;
        self.leader = Some(self.id);
        self.tracker.votes.clear();
        self.reset_leader_state();
        let next = self.log().last_index() + 1;
        (self.lease_acked, self.lease_fired) = (self.seq, self.seq);
        let members = self.config().members();
        for &p in members.iter().filter(|&&p| p != self.id) {
            self.tracker
                .progress
                .insert(p, Progress::new(next, self.opts.max_inflight));
        }
        self.note(Note::Became {
            role: Role::Leader,
            term: self.term(),
        });
        let term = self.term();
        let index = self.durable.log.append(Entry::noop(term));
        self.out.push(Output::LogChanged { from: index });
        self.out.push(Output::SetTimer(Timer::Election));
        self.out.push(Output::SetTimer(Timer::Heartbeat));
        self.broadcast(true);
        self.maybe_commit();
    }
}

mod client;
mod election;
mod replication;

#[cfg(test)]
mod tests;
