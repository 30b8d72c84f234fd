//! A Raft server as a deterministic state machine: `step(Input) -> Vec<Output>`.
//!
//! The node owns no clock and draws no random numbers: timers are requested with
//! `Output::SetTimer` (the simulator draws the election timeout from its seeded RNG) and
//! come back as `Input::Timer`. Durable state (`Durable`: term, vote, log with its
//! snapshot) is the only part that survives a crash; it is updated before any message that
//! depends on it is emitted, so "persist before reply" holds by construction.

use super::bugs::{self, Bug};
use super::kv::{Applied, KvState};
use super::log::{Log, Snapshot};
use super::message::{Body, Message, RejectHint, VoteRefusal};
use super::progress::{Progress, ProgressState};
use super::read::ReadQueue;
use super::types::*;
use litemap::LiteMap;
use std::fmt;

/// Switchable protocol features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub prevote: bool,
    pub check_quorum: bool,
    /// Compact automatically when the log holds more than this many times the entries
    /// needed to rebuild the state machine.
    pub snapshot_factor: Option<u32>,
    /// Most entries in one AppendEntries.
    pub max_entries: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            prevote: false,
            check_quorum: false,
            snapshot_factor: None,
            max_entries: 64,
        }
    }
}

/// What survives a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Durable {
    pub term: Term,
    pub vote: Option<ServerId>,
    pub log: Log,
}

impl Durable {
    pub fn new(config: Configuration) -> Durable {
        Durable {
            term: 0,
            vote: None,
            log: Log::new(config),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Randomized election timeout (for a leader: the check-quorum / transfer period).
    Election,
    /// The leader's heartbeat interval.
    Heartbeat,
    /// Check-quorum lease: the minimum election timeout after hearing from the leader.
    Lease,
}

/// A client's request as received by a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    pub client: ClientId,
    pub request: RequestId,
    pub op: ClientOp,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ClientOp {
    Put { key: String, value: String },
    Get { key: String },
    Add { server: ServerId },
    Remove { server: ServerId },
}

impl fmt::Display for ClientOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientOp::Put { key, value } => write!(f, "put {key} {value}"),
            ClientOp::Get { key } => write!(f, "get {key}"),
            ClientOp::Add { server } => write!(f, "add s{server}"),
            ClientOp::Remove { server } => write!(f, "remove s{server}"),
        }
    }
}

/// A server's answer to a client.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ClientResult {
    /// Done (a put applied, a configuration change committed).
    Ok,
    /// A linearizable read's value.
    Value { value: Option<String> },
    /// Not the leader; the leader it knows of, if any.
    Redirect { leader: Option<ServerId> },
    /// The leader cannot take this now (another configuration change is in progress, or
    /// it has not committed an entry of its term yet); try again shortly.
    Busy { why: String },
    /// The request can never succeed (e.g. removing the last server).
    Refused { why: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientReply {
    pub client: ClientId,
    pub request: RequestId,
    pub result: ClientResult,
}

/// Requests from the operator (the page or a scenario), not from the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admin {
    /// Hand leadership to this server (only a leader acts on it).
    Transfer(ServerId),
    /// Take a snapshot at the applied index and discard the log up to there.
    Compact,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Message(Message),
    Timer(Timer),
    Client(ClientRequest),
    Admin(Admin),
}

/// Something worth telling a student, for the event feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    Became {
        role: Role,
        term: Term,
    },
    VoteGranted {
        candidate: ServerId,
        term: Term,
        pre: bool,
    },
    VoteRefused {
        candidate: ServerId,
        term: Term,
        pre: bool,
        why: VoteRefusal,
    },
    VoteIgnored {
        candidate: ServerId,
        pre: bool,
    },
    LostQuorum {
        term: Term,
    },
    StaleLeaderDiscovered {
        from: ServerId,
        term: Term,
    },
    Truncated {
        from: Index,
    },
    Committed {
        index: Index,
    },
    Compacted {
        index: Index,
    },
    SnapshotInstalled {
        index: Index,
        from: ServerId,
    },
    SnapshotSent {
        to: ServerId,
        index: Index,
    },
    TransferStarted {
        to: ServerId,
    },
    TransferAborted {
        to: ServerId,
    },
    TransferRefused {
        to: ServerId,
        why: &'static str,
    },
    TimeoutNowSent {
        to: ServerId,
    },
    TimeoutNowReceived {
        from: ServerId,
    },
    ProposalDropped {
        why: &'static str,
    },
    ConfigAppended {
        config: Configuration,
        index: Index,
    },
    CatchingUp {
        server: ServerId,
    },
    ReadServed {
        key: String,
        index: Index,
    },
    RemovedSelf,
    NothingToCompact,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pv = |pre: &bool| if *pre { "pre-vote" } else { "vote" };
        match self {
            Note::Became { role, term } => write!(f, "became {role} in term {term}"),
            Note::VoteGranted {
                candidate,
                term,
                pre,
            } => {
                write!(f, "granted {} to s{candidate} for term {term}", pv(pre))
            }
            Note::VoteRefused {
                candidate,
                term,
                pre,
                why,
            } => write!(
                f,
                "refused {} to s{candidate} for term {term}: {}",
                pv(pre),
                why.describe()
            ),
            Note::VoteIgnored { candidate, pre } => write!(
                f,
                "ignored {} request from s{candidate}: heard from the leader recently",
                pv(pre)
            ),
            Note::LostQuorum { term } => write!(
                f,
                "stepped down in term {term}: no majority heard from for an election timeout"
            ),
            Note::StaleLeaderDiscovered { from, term } => {
                write!(f, "learned of term {term} from s{from}")
            }
            Note::Truncated { from } => write!(f, "deleted conflicting entries from index {from}"),
            Note::Committed { index } => write!(f, "committed up to index {index}"),
            Note::Compacted { index } => write!(f, "took a snapshot up to index {index}"),
            Note::SnapshotInstalled { index, from } => {
                write!(f, "installed snapshot up to index {index} from s{from}")
            }
            Note::SnapshotSent { to, index } => write!(f, "sent snapshot up to {index} to s{to}"),
            Note::TransferStarted { to } => write!(f, "transferring leadership to s{to}"),
            Note::TransferAborted { to } => write!(f, "gave up transferring leadership to s{to}"),
            Note::TransferRefused { to, why } => {
                write!(f, "cannot transfer leadership to s{to}: {why}")
            }
            Note::TimeoutNowSent { to } => write!(f, "told s{to} to campaign now"),
            Note::TimeoutNowReceived { from } => {
                write!(f, "campaigns at once: leadership handed over by s{from}")
            }
            Note::ProposalDropped { why } => write!(f, "dropped a client request: {why}"),
            Note::ConfigAppended { config, index } => {
                write!(f, "appended configuration {config} at index {index}")
            }
            Note::CatchingUp { server } => {
                write!(f, "catching up s{server} before it joins as a voter")
            }
            Note::ReadServed { key, index } => {
                write!(f, "answered read of {key} at read index {index}")
            }
            Note::RemovedSelf => write!(f, "left the cluster: removal committed"),
            Note::NothingToCompact => write!(f, "nothing new to compact"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Send(Message),
    /// (Re)start a timer; any earlier firing of it is cancelled.
    SetTimer(Timer),
    StopTimer(Timer),
    Reply(ClientReply),
    Note(Note),
    /// The entry at `index` was applied to the state machine.
    Applied {
        index: Index,
        entry: Entry,
    },
    /// The log changed from this index on (appended, truncated, replaced).
    LogChanged {
        from: Index,
    },
    /// A configuration entry was applied (committed).
    ConfigCommitted {
        index: Index,
        config: Configuration,
    },
}

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

    // ------------------------------------------------------------------ timers

    fn on_timer(&mut self, t: Timer) {
        match t {
            Timer::Election => match self.role {
                Role::Leader => {
                    self.out.push(Output::SetTimer(Timer::Election));
                    if let Some(to) = self.transfer.take() {
                        self.note(Note::TransferAborted { to });
                    }
                    if self.opts.check_quorum {
                        let id = self.id;
                        let active = self.config().has_quorum(|v| {
                            v == id || self.progress.get(&v).is_some_and(|p| p.recent_active)
                        });
                        for p in self.progress.iter_mut().map(|(_, p)| p) {
                            p.recent_active = false;
                        }
                        if !active {
                            let term = self.term();
                            self.note(Note::LostQuorum { term });
                            self.become_follower(term, None);
                        }
                    }
                }
                _ => {
                    if !self.promotable() {
                        self.out.push(Output::SetTimer(Timer::Election));
                    } else if self.opts.prevote {
                        self.become_precandidate();
                    } else {
                        self.become_candidate(false);
                    }
                }
            },
            Timer::Heartbeat => {
                if self.role == Role::Leader {
                    self.out.push(Output::SetTimer(Timer::Heartbeat));
                    self.broadcast(true);
                }
            }
            Timer::Lease => self.lease = false,
        }
    }

    // ------------------------------------------------------------------ messages

    fn on_message(&mut self, m: Message) {
        let term = self.term();
        if m.term > term {
            match &m.body {
                Body::PreVote { .. } => {
                    if self.in_lease() {
                        self.note(Note::VoteIgnored {
                            candidate: m.from,
                            pre: true,
                        });
                        return;
                    }
                }
                Body::PreVoteReply { granted: true, .. } => {}
                Body::Vote { transfer, .. } => {
                    if self.in_lease() && !*transfer {
                        self.note(Note::VoteIgnored {
                            candidate: m.from,
                            pre: false,
                        });
                        return;
                    }
                    self.note(Note::StaleLeaderDiscovered {
                        from: m.from,
                        term: m.term,
                    });
                    self.become_follower(m.term, None);
                }
                Body::Append { .. } | Body::InstallSnapshot { .. } | Body::TimeoutNow => {
                    self.become_follower(m.term, Some(m.from));
                }
                _ => {
                    self.note(Note::StaleLeaderDiscovered {
                        from: m.from,
                        term: m.term,
                    });
                    self.become_follower(m.term, None);
                }
            }
        } else if m.term < term {
            match &m.body {
                Body::PreVote { .. } => self.send(
                    m.from,
                    term,
                    Body::PreVoteReply {
                        granted: false,
                        refusal: Some(VoteRefusal::StaleTerm),
                    },
                ),
                Body::Vote { .. } => self.send(
                    m.from,
                    term,
                    Body::VoteReply {
                        granted: false,
                        refusal: Some(VoteRefusal::StaleTerm),
                    },
                ),
                // Tell a stale leader about the newer term so it steps down.
                Body::Append { seq, .. } | Body::InstallSnapshot { seq, .. } => self.send(
                    m.from,
                    term,
                    Body::AppendReply {
                        success: false,
                        match_index: 0,
                        hint: None,
                        seq: *seq,
                    },
                ),
                _ => {}
            }
            return;
        }
        let from = m.from;
        let mterm = m.term;
        match m.body {
            Body::PreVote {
                last_index,
                last_term,
            } => self.on_vote_request(from, mterm, last_index, last_term, true),
            Body::Vote {
                last_index,
                last_term,
                ..
            } => self.on_vote_request(from, mterm, last_index, last_term, false),
            Body::PreVoteReply { granted, .. } => {
                if self.role == Role::PreCandidate
                    && (granted && mterm == self.term() + 1 || !granted && mterm == self.term())
                {
                    self.votes.insert(from, granted);
                    self.tally(true);
                }
            }
            Body::VoteReply { granted, .. } => {
                if self.role == Role::Candidate && mterm == self.term() {
                    self.votes.insert(from, granted);
                    self.tally(false);
                }
            }
            Body::Append {
                prev_index,
                prev_term,
                entries,
                commit,
                seq,
            } => {
                self.heard_from_leader(from);
                self.on_append(from, prev_index, prev_term, entries, commit, seq);
            }
            Body::InstallSnapshot { snapshot, seq } => {
                self.heard_from_leader(from);
                self.on_snapshot(from, *snapshot, seq);
            }
            Body::AppendReply {
                success,
                match_index,
                hint,
                seq,
            } => self.on_append_reply(from, success, match_index, hint, seq),
            Body::TimeoutNow => {
                if self.role != Role::Leader && self.promotable() {
                    self.note(Note::TimeoutNowReceived { from });
                    self.become_candidate(true);
                }
            }
        }
    }

    fn heard_from_leader(&mut self, from: ServerId) {
        if self.role != Role::Follower || self.leader != Some(from) {
            let term = self.term();
            self.become_follower(term, Some(from));
        }
        self.out.push(Output::SetTimer(Timer::Election));
        if self.opts.check_quorum {
            self.lease = true;
            self.out.push(Output::SetTimer(Timer::Lease));
        }
    }

    fn on_vote_request(&mut self, from: ServerId, mterm: Term, li: Index, lt: Term, pre: bool) {
        let term = self.term();
        let vote = self.durable.vote;
        let can_vote = vote == Some(from)
            || (vote.is_none() && self.leader.is_none())
            || (pre && mterm > term)
            || (!pre && bugs::active(Bug::DoubleVote));
        let up_to_date = self.log().is_up_to_date(li, lt);
        let refusal = if !can_vote {
            Some(VoteRefusal::AlreadyVoted)
        } else if !up_to_date {
            Some(VoteRefusal::LogBehind)
        } else {
            None
        };
        let granted = refusal.is_none();
        if granted && !pre {
            self.durable.vote = Some(from);
            self.out.push(Output::SetTimer(Timer::Election));
        }
        if granted {
            self.note(Note::VoteGranted {
                candidate: from,
                term: mterm,
                pre,
            });
        } else {
            self.note(Note::VoteRefused {
                candidate: from,
                term: mterm,
                pre,
                why: refusal.unwrap(),
            });
        }
        let reply_term = if pre && granted { mterm } else { term };
        let body = if pre {
            Body::PreVoteReply { granted, refusal }
        } else {
            Body::VoteReply { granted, refusal }
        };
        self.send(from, reply_term, body);
    }

    fn tally(&mut self, pre: bool) {
        let config = self.config();
        if config.has_quorum(|v| self.votes.get(&v) == Some(&true)) {
            if pre {
                self.become_candidate(false);
            } else {
                self.become_leader();
            }
        } else if config.has_quorum(|v| self.votes.get(&v) == Some(&false)) {
            let term = self.term();
            self.become_follower(term, None);
        }
    }

    fn on_append(
        &mut self,
        from: ServerId,
        prev_index: Index,
        prev_term: Term,
        entries: Vec<Entry>,
        commit: Index,
        seq: u64,
    ) {
        let term = self.term();
        if prev_index < self.commit {
            // Everything up to our commit index is known to match the leader's log.
            self.ack(from, self.commit, seq);
            return;
        }
        let first_new = prev_index + 1;
        // Terms of the entries this append may overwrite, to tell a student about deletions.
        let overlap: Vec<Option<Term>> = (first_new..first_new + entries.len() as Index)
            .map(|i| self.log().term(i))
            .collect();
        let before_last = self.log().last_index();
        match self.durable.log.try_append(prev_index, prev_term, &entries) {
            Ok(last_new) => {
                if !entries.is_empty() {
                    let replaced = overlap
                        .iter()
                        .zip(&entries)
                        .any(|(old, e)| old.is_some_and(|t| t != e.term));
                    if replaced || self.log().last_index() < before_last {
                        self.note(Note::Truncated { from: first_new });
                    }
                    self.out.push(Output::LogChanged { from: first_new });
                }
                let new_commit = commit.min(last_new);
                if new_commit > self.commit {
                    self.commit = new_commit;
                    self.apply();
                }
                self.ack(from, last_new, seq);
            }
            Err(hint) => self.send(
                from,
                term,
                Body::AppendReply {
                    success: false,
                    match_index: 0,
                    hint: Some(hint),
                    seq,
                },
            ),
        }
    }

    /// A successful reply to Append or InstallSnapshot: the log matches up to `matched`.
    fn ack(&mut self, to: ServerId, matched: Index, seq: u64) {
        let term = self.term();
        self.send(
            to,
            term,
            Body::AppendReply {
                success: true,
                match_index: matched,
                hint: None,
                seq,
            },
        );
    }

    fn on_snapshot(&mut self, from: ServerId, snapshot: Snapshot, seq: u64) {
        let index = snapshot.index;
        if index > self.commit {
            self.kv = snapshot.state.clone();
            self.durable.log.install(snapshot);
            self.commit = index;
            self.applied = index;
            self.out.push(Output::LogChanged { from: index + 1 });
            self.note(Note::SnapshotInstalled { index, from });
        }
        self.ack(from, self.commit, seq);
    }

    fn on_append_reply(
        &mut self,
        from: ServerId,
        success: bool,
        match_index: Index,
        hint: Option<RejectHint>,
        seq: u64,
    ) {
        if self.role != Role::Leader {
            return;
        }
        let Some(pr) = self.progress.get_mut(&from) else {
            return;
        };
        pr.recent_active = true;
        pr.acked_seq = pr.acked_seq.max(seq);
        if success {
            if pr.advance(match_index) {
                self.maybe_commit();
                self.maybe_finish_catch_up(from);
                if self.transfer == Some(from)
                    && self.progress.get(&from).map(|p| p.matched) == Some(self.log().last_index())
                {
                    self.send_timeout_now(from);
                }
            }
            // More entries to send, or a commit index it has not heard of yet (its ack came
            // after the commit moved): send now rather than at the next heartbeat.
            let commit = self.commit;
            if self.role == Role::Leader
                && self
                    .progress
                    .get(&from)
                    .is_some_and(|p| p.next <= self.log().last_index() || p.commit_sent < commit)
            {
                self.send_append(from);
            }
        } else if let Some(h) = hint {
            let next = match h.conflict_term {
                Some(t) => match self.log().last_index_of_term(t) {
                    Some(i) => i + 1,
                    None => h.conflict_index,
                },
                None => h.conflict_index,
            };
            if self
                .progress
                .get_mut(&from)
                .is_some_and(|pr| pr.back_off(h.rejected, next))
            {
                self.send_append(from);
            }
        }
        if self.role == Role::Leader {
            self.confirm_reads();
        }
    }

    // ------------------------------------------------------------------ leader: replication

    /// Sends entries (or a snapshot) to one follower from its next index.
    fn send_append(&mut self, to: ServerId) {
        let term = self.term();
        let commit = self.commit;
        let seq = self.seq;
        let first = self.log().first_index();
        let max = self.opts.max_entries.max(1);
        let Some(pr) = self.progress.get(&to) else {
            return;
        };
        if pr.next < first {
            let snapshot = Box::new(self.log().snapshot().clone());
            let index = snapshot.index;
            if let Some(pr) = self.progress.get_mut(&to) {
                pr.state = ProgressState::Snapshot(index);
            }
            self.note(Note::SnapshotSent { to, index });
            self.send(to, term, Body::InstallSnapshot { snapshot, seq });
            return;
        }
        let prev_index = pr.next - 1;
        let prev_term = self.log().term(prev_index).unwrap_or(0);
        let entries = self.log().slice(pr.next, max);
        let n = entries.len() as Index;
        if let Some(pr) = self.progress.get_mut(&to) {
            pr.commit_sent = pr.commit_sent.max(commit);
            match pr.state {
                ProgressState::Replicate => pr.next += n,
                ProgressState::Probe => pr.paused = true,
                ProgressState::Snapshot(_) => {}
            }
        }
        self.send(
            to,
            term,
            Body::Append {
                prev_index,
                prev_term,
                entries,
                commit,
                seq,
            },
        );
    }

    /// Sends to every follower: on a heartbeat to all (a new round), otherwise to those
    /// that can take more entries now.
    fn broadcast(&mut self, heartbeat: bool) {
        if heartbeat {
            self.seq += 1;
        }
        let peers: Vec<ServerId> = self.progress.keys().copied().collect();
        for p in peers {
            let pr = &self.progress[&p];
            let send = if heartbeat {
                true
            } else {
                match pr.state {
                    // Also with nothing new: the follower learns the commit index.
                    ProgressState::Replicate => true,
                    ProgressState::Probe => !pr.paused,
                    ProgressState::Snapshot(_) => false,
                }
            };
            if send {
                if heartbeat {
                    if let Some(pr) = self.progress.get_mut(&p) {
                        pr.paused = false;
                    }
                }
                self.send_append(p);
            }
        }
    }

    fn maybe_commit(&mut self) {
        if self.role != Role::Leader {
            return;
        }
        let id = self.id;
        let last = self.log().last_index();
        let config = self.config();
        let n = config.committed_index(|v| {
            if v == id {
                last
            } else {
                self.progress.get(&v).map_or(0, |p| p.matched)
            }
        });
        if n > self.commit
            && (self.log().term(n) == Some(self.term()) || bugs::active(Bug::CommitOldTerm))
        {
            self.commit = n;
            self.note(Note::Committed { index: n });
            self.apply();
            if self.role == Role::Leader {
                self.start_reads();
                self.broadcast(false);
            }
        }
    }

    // ------------------------------------------------------------------ applying

    fn apply(&mut self) {
        while self.applied < self.commit {
            let index = self.applied + 1;
            let Some(entry) = self.log().entry(index).cloned() else {
                break;
            };
            self.applied = index;
            let result = self.kv.apply(&entry.data);
            if let EntryData::Config { voters } = &entry.data {
                let config = Configuration::new(voters.iter().copied());
                self.out.push(Output::ConfigCommitted {
                    index,
                    config: config.clone(),
                });
            }
            self.out.push(Output::Applied {
                index,
                entry: entry.clone(),
            });
            if self.role == Role::Leader {
                if let Some((client, request, _)) = self.waiting.remove(&index) {
                    debug_assert!(result != Applied::Nothing || entry.data != EntryData::Noop);
                    self.reply(client, request, ClientResult::Ok);
                }
            }
        }
        if self.role == Role::Leader {
            self.answer_reads();
            if !self.config().contains(self.id) && self.applied >= self.config_index() {
                // Our own removal is committed: step down (the simulator shuts us down).
                self.note(Note::RemovedSelf);
                let term = self.term();
                self.become_follower(term, None);
            }
        }
        self.maybe_auto_compact();
    }

    fn config_index(&self) -> Index {
        self.log().latest_config().0
    }

    fn maybe_auto_compact(&mut self) {
        let Some(f) = self.opts.snapshot_factor else {
            return;
        };
        let held = self.log().last_index() - self.log().snapshot().index;
        let needed = self.kv.size().max(1) as u64;
        if held > needed * f as u64 && self.applied > self.log().snapshot().index {
            self.compact();
        }
    }

    fn compact(&mut self) {
        if self.applied <= self.log().snapshot().index {
            self.note(Note::NothingToCompact);
            return;
        }
        let index = self.applied;
        self.durable.log.compact(index, self.kv.clone());
        self.note(Note::Compacted { index });
    }

    // ------------------------------------------------------------------ reads

    fn start_reads(&mut self) {
        if self.role != Role::Leader || self.reads.is_empty() {
            return;
        }
        if self.log().term(self.commit) != Some(self.term()) {
            return; // wait for the no-op of this term to commit
        }
        let seq = self.seq + 1;
        if self.reads.start(self.commit, seq) {
            self.broadcast(true); // a new round: seq becomes `seq`
            self.confirm_reads();
        }
    }

    fn confirm_reads(&mut self) {
        let config = self.durable.log.latest_config().1;
        let id = self.id;
        let progress = &self.progress;
        self.reads.confirm(|seq| {
            config.has_quorum(|v| v == id || progress.get(&v).is_some_and(|p| p.acked_seq >= seq))
        });
        self.answer_reads();
    }

    fn answer_reads(&mut self) {
        for r in self.reads.ready(self.applied) {
            let value = self.kv.get(&r.key).cloned();
            self.note(Note::ReadServed {
                key: r.key.clone(),
                index: r.index.unwrap_or(0),
            });
            self.reply(r.client, r.request, ClientResult::Value { value });
        }
    }

    // ------------------------------------------------------------------ clients

    fn on_client(&mut self, r: ClientRequest) {
        if self.role != Role::Leader {
            let leader = self.leader.filter(|&l| l != self.id);
            self.reply(r.client, r.request, ClientResult::Redirect { leader });
            return;
        }
        match r.op {
            ClientOp::Put { key, value } => {
                if self.transfer.is_some() {
                    self.note(Note::ProposalDropped {
                        why: "leadership transfer in progress",
                    });
                    return;
                }
                if self.kv.seen(r.client, r.request) && !bugs::active(Bug::ApplyRetryTwice) {
                    self.reply(r.client, r.request, ClientResult::Ok);
                    return;
                }
                // A retry of an entry still in the log: wait for that one.
                let pending = (self.applied + 1..=self.log().last_index()).find(|&i| {
                    matches!(self.log().entry(i), Some(Entry { data: EntryData::Put { client, request, .. }, .. })
                        if *client == r.client && *request == r.request)
                });
                let index = match pending {
                    Some(i) if !bugs::active(Bug::ApplyRetryTwice) => i,
                    _ => self.propose(EntryData::Put {
                        client: r.client,
                        request: r.request,
                        key,
                        value,
                    }),
                };
                self.waiting
                    .insert(index, (r.client, r.request, Waiting::Put));
                self.maybe_commit();
            }
            ClientOp::Get { key } => {
                if bugs::active(Bug::ReadWithoutReadIndex) {
                    let value = self.kv.get(&key).cloned();
                    self.reply(r.client, r.request, ClientResult::Value { value });
                    return;
                }
                self.reads.push(r.client, r.request, key);
                self.start_reads();
            }
            ClientOp::Add { server } => self.change_config(r.client, r.request, server, true),
            ClientOp::Remove { server } => self.change_config(r.client, r.request, server, false),
        }
    }

    fn propose(&mut self, data: EntryData) -> Index {
        let term = self.term();
        let index = self.durable.log.append(Entry { term, data });
        self.out.push(Output::LogChanged { from: index });
        self.broadcast(false);
        index
    }

    fn change_config(&mut self, client: ClientId, request: RequestId, server: ServerId, add: bool) {
        if self.transfer.is_some() {
            self.note(Note::ProposalDropped {
                why: "leadership transfer in progress",
            });
            return;
        }
        let config = self.config();
        let cfg_index = self.config_index();
        if config.contains(server) == add {
            // Already done (e.g. a retry): answer once that configuration is committed.
            if cfg_index <= self.applied {
                self.reply(client, request, ClientResult::Ok);
            } else {
                self.waiting
                    .insert(cfg_index, (client, request, Waiting::Config));
            }
            return;
        }
        if !add && config.voters.len() == 1 {
            self.reply(
                client,
                request,
                ClientResult::Refused {
                    why: "cannot remove the last server".into(),
                },
            );
            return;
        }
        let busy = if self.log().term(self.commit) != Some(self.term()) {
            Some("the new leader has not committed an entry of its term yet")
        } else if cfg_index > self.commit {
            Some("another configuration change is not committed yet")
        } else if self
            .catch_up
            .as_ref()
            .is_some_and(|c| c.server != server || !add)
        {
            Some("another server is catching up")
        } else {
            None
        };
        if let Some(why) = busy {
            self.reply(client, request, ClientResult::Busy { why: why.into() });
            return;
        }
        if add {
            if self.catch_up.is_none() {
                self.catch_up = Some(CatchUp {
                    server,
                    client,
                    request,
                });
                let next = self.log().last_index() + 1;
                self.progress.insert(server, Progress::new(next));
                self.note(Note::CatchingUp { server });
                self.send_append(server);
            } else if let Some(c) = self.catch_up.as_mut() {
                c.client = client;
                c.request = request;
            }
            self.maybe_finish_catch_up(server);
        } else {
            let mut voters = config.voters;
            voters.remove(&server);
            self.progress.remove(&server);
            self.append_config(Configuration { voters }, client, request);
        }
    }

    fn maybe_finish_catch_up(&mut self, server: ServerId) {
        let Some(c) = self.catch_up.clone() else {
            return;
        };
        if c.server != server {
            return;
        }
        let matched = self.progress.get(&server).map_or(0, |p| p.matched);
        if matched < self.commit {
            return;
        }
        self.catch_up = None;
        let mut voters = self.config().voters;
        voters.insert(server);
        self.append_config(Configuration { voters }, c.client, c.request);
    }

    fn append_config(&mut self, config: Configuration, client: ClientId, request: RequestId) {
        let index = self.propose(config.to_command());
        self.note(Note::ConfigAppended { config, index });
        self.waiting
            .insert(index, (client, request, Waiting::Config));
        self.maybe_commit();
    }

    // ------------------------------------------------------------------ admin

    fn on_admin(&mut self, a: Admin) {
        match a {
            Admin::Compact => self.compact(),
            Admin::Transfer(to) => {
                if self.role != Role::Leader {
                    return;
                }
                if to == self.id {
                    self.note(Note::TransferRefused {
                        to,
                        why: "it is already the leader",
                    });
                    return;
                }
                if !self.config().contains(to) {
                    self.note(Note::TransferRefused {
                        to,
                        why: "it is not a voter",
                    });
                    return;
                }
                if self.transfer == Some(to) {
                    return;
                }
                self.transfer = Some(to);
                self.out.push(Output::SetTimer(Timer::Election));
                self.note(Note::TransferStarted { to });
                if self.progress.get(&to).map(|p| p.matched) == Some(self.log().last_index()) {
                    self.send_timeout_now(to);
                } else {
                    if let Some(p) = self.progress.get_mut(&to) {
                        p.paused = false;
                    }
                    self.send_append(to);
                }
            }
        }
    }

    fn send_timeout_now(&mut self, to: ServerId) {
        let term = self.term();
        self.note(Note::TimeoutNowSent { to });
        self.send(to, term, Body::TimeoutNow);
    }

    /// Waiting client replies, for the page's inspector.
    pub fn waiting_replies(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests;
