//! A Raft server as a deterministic state machine: `step(Input) -> Vec<Output>`.
//!
//! The node owns no clock and draws no random numbers: timers are requested with
//! `Output::SetTimer` (the simulator draws the election timeout from its seeded RNG) and
//! come back as `Input::Timer`. Durable state (`Durable`: term, vote, log with its
//! snapshot) is the only part that survives a crash; it is updated before any message that
//! depends on it is emitted, so "persist before reply" holds by construction.

use super::bugs::{self, Bug};
use super::config::Configuration;
use super::io::*;
use super::kv::KvState;
use super::log::Log;
use super::message::{Body, Message};
use super::note::Note;
use super::progress::Progress;
use super::read::ReadQueue;
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

#[derive(Clone, Debug)]
pub struct Node {
    pub id: ServerId,
    pub opts: Options,
    pub durable: Durable,
    // ---- volatile ----
    pub role: Role,
    pub leader: Option<ServerId>,
    pub commit: Index,
    pub applied: Index,
    pub kv: KvState,
    /// Votes (or pre-votes) received in the current campaign: granted or refused.
    pub votes: IdMap<bool>,
    /// Check-quorum lease: heard from the leader within the minimum election timeout.
    pub lease: bool,
    /// The leader's view of every other voter, and of a server catching up.
    pub progress: IdMap<Progress>,
    pub catch_up: Option<CatchUp>,
    pub transfer: Option<ServerId>,
    pub seq: u64,
    pub reads: ReadQueue,
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
            votes: IdMap::new(),
            lease: false,
            progress: IdMap::new(),
            catch_up: None,
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
        std::mem::take(&mut self.out)
    }

    /// Crash: everything volatile is lost; what is returned is what the disk holds.
    pub fn crash(self) -> Durable {
        let mut d = self.durable;
        if bugs::active(Bug::ForgetVote) {
            d.vote = None;
        }
        d
    }

    pub fn term(&self) -> Term {
        self.durable.term
    }

    pub fn log(&self) -> &Log {
        &self.durable.log
    }

    /// The configuration in effect: the latest one in the log, committed or not.
    pub fn config(&self) -> &Configuration {
        self.durable.log.latest_config().1
    }

    /// Can this server campaign? Only a voter of its own latest configuration can.
    pub fn promotable(&self) -> bool {
        self.config().contains(self.id)
    }

    /// Is it in the check-quorum lease (ignoring vote requests)?
    pub fn in_lease(&self) -> bool {
        self.opts.check_quorum
            && match self.role {
                Role::Leader => true,
                Role::Follower => self.lease && self.leader.is_some(),
                _ => false,
            }
    }

    pub fn step(&mut self, input: Input) -> Vec<Output> {
        match input {
            Input::Message(m) => self.on_message(m),
            Input::Timer(t) => self.on_timer(t),
            Input::Client(r) => self.on_client(r),
            Input::Admin(a) => self.on_admin(a),
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

    fn others(&self) -> Vec<ServerId> {
        self.config()
            .voters
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
        self.progress.clear();
        self.catch_up = None;
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
        self.votes.clear();
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

    fn become_precandidate(&mut self) {
        self.role = Role::PreCandidate;
        self.leader = None;
        self.lease = false;
        self.votes.clear();
        self.votes.insert(self.id, true);
        self.out.push(Output::SetTimer(Timer::Election));
        let next = self.term() + 1;
        self.note(Note::Became {
            role: Role::PreCandidate,
            term: self.term(),
        });
        if self
            .config()
            .has_quorum(|v| self.votes.get(&v) == Some(&true))
        {
            self.become_candidate(false);
            return;
        }
        let (li, lt) = (self.log().last_index(), self.log().last_term());
        for to in self.others() {
            self.send(
                to,
                next,
                Body::PreVote {
                    last_index: li,
                    last_term: lt,
                },
            );
        }
    }

    fn become_candidate(&mut self, transfer: bool) {
        self.durable.term += 1;
        self.durable.vote = Some(self.id);
        self.role = Role::Candidate;
        self.leader = None;
        self.lease = false;
        self.votes.clear();
        self.votes.insert(self.id, true);
        self.out.push(Output::SetTimer(Timer::Election));
        self.note(Note::Became {
            role: Role::Candidate,
            term: self.term(),
        });
        if self
            .config()
            .has_quorum(|v| self.votes.get(&v) == Some(&true))
        {
            self.become_leader();
            return;
        }
        let (li, lt) = (self.log().last_index(), self.log().last_term());
        let term = self.term();
        for to in self.others() {
            self.send(
                to,
                term,
                Body::Vote {
                    last_index: li,
                    last_term: lt,
                    transfer,
                },
            );
        }
    }

    fn become_leader(&mut self) {
        self.role = Role::Leader;
        self.leader = Some(self.id);
        self.votes.clear();
        self.reset_leader_state();
        let next = self.log().last_index() + 1;
        for p in self.others() {
            self.progress.insert(p, Progress::new(next));
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

    /// Waiting client replies, for the page's inspector.
    pub fn waiting_replies(&self) -> usize {
        self.waiting.len()
    }
}

mod client;
mod election;
mod replication;

#[cfg(test)]
mod tests;
