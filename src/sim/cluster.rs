//! `Sim`: the servers, the event queue, the network, the client, the seeded RNG and the
//! safety checker. Commands come in (`apply`), time passes (`step`, `run_until`), and
//! `view()` (in `view.rs`) shows everything.

mod checks;
mod client;

use crate::raft::log::Log;
use crate::raft::{
    Admin, ClientId, ClientOp, Configuration, Durable, Entry, IdMap, Input, Node, Note, Options,
    Output, Role, ServerId, ServerSet, Term, Timer,
};
use litemap::LiteMap;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

use super::checker::{Checker, Violation};
use super::command::Command;
use super::error::SimError;
use super::feed::{describe_packet, FeedItem, FeedKind, FEED_KEEP};
use super::settings::{Settings, LEASE_PERMILLE};
use crate::raft::bugs::{self, Bug};
use crate::t;

use super::client::Client;
use super::network::{partition_text, Addr, MsgId, Network, Packet, Payload};
use super::queue::Queue;
pub use super::server::{Server, ServerRole, Status, TimerState};
use super::story::{Cause, Seen};
use super::time::Micros;
use super::trail::{Trace, Trail};

/// A server's durable state as given by a `state` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateLine {
    pub server: ServerId,
    pub term: Term,
    pub vote: Option<ServerId>,
    pub log: Vec<Term>,
}

/// How a simulation starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub servers: u8,
    pub seed: u64,
    pub settings: Settings,
    pub states: Vec<StateLine>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            servers: 5,
            seed: 1,
            settings: Settings::default(),
            states: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Event {
    Deliver(MsgId),
    Timer {
        server: ServerId,
        timer: Timer,
        gen: u64,
    },
    Client {
        client: ClientId,
        gen: u64,
    },
}

#[derive(Clone, Debug)]
pub struct Sim {
    pub now: Micros,
    pub seed: u64,
    pub settings: Settings,
    pub servers: IdMap<Server>,
    pub network: Network,
    pub(crate) queue: Queue<Event>,
    rng: ChaCha8Rng,
    pub client: Client,
    /// Extra clients (ids 2, 3, ...), the fuzzer's concurrent load; scenarios have one.
    pub load: Vec<Client>,
    pub checker: Checker,
    pub violation: Option<Violation>,
    pub feed: VecDeque<FeedItem>,
    pub feed_seq: u64,
    /// Events handled so far.
    pub events: u64,
    /// How often interesting things happened (elections won, truncations, snapshots
    /// installed, configurations rolled back, reads served, ...), for `raftlab fuzz`.
    pub tally: LiteMap<&'static str, u64>,
    /// Also put message deliveries into the feed (`raftlab run --trace`).
    pub trace: bool,
    /// When set, every feed item is also kept here (unbounded) until drained.
    pub feed_log: Option<Vec<FeedItem>>,
    /// Index of the newest committed configuration acted on (removals).
    config_index: u64,
    /// When the topology (links, crashed or removed servers) last changed.
    pub topology_at: Micros,
    /// `heard[a][b]`: when server `a` last received a message from server `b` (the
    /// check-quorum check counts from the last message a cut-off leader still received:
    /// one already on the wire when its sender crashed arrives after the crash).
    pub(crate) heard: [[Micros; 10]; 10],
    timer_gen: u64,
    /// Recent messages and role changes (the page's space-time diagram).
    pub trail: Trail,
}

impl Sim {
    pub fn new(setup: &Setup) -> Sim {
        let n = setup.servers.clamp(1, 9);
        let config = Configuration::new(1..=n);
        let mut servers = IdMap::new();
        for id in 1..=n {
            let mut durable = Durable::new(config.clone());
            if let Some(st) = setup.states.iter().rev().find(|s| s.server == id) {
                durable.term = st.term;
                durable.vote = st.vote;
                let mut log = Log::new(config.clone());
                log.replace_entries(st.log.iter().map(|&t| Entry::noop(t)).collect());
                durable.log = log;
            }
            servers.insert(
                id,
                Server {
                    node: Node::new(id, durable, setup.settings.options()),
                    status: Status::Up,
                    member: true,
                    timers: LiteMap::new(),
                    story: Default::default(),
                },
            );
        }
        let mut sim = Sim {
            now: 0,
            seed: setup.seed,
            settings: setup.settings.clone(),
            servers,
            network: Network::default(),
            queue: Queue::default(),
            rng: ChaCha8Rng::seed_from_u64(setup.seed),
            client: Client::default(),
            load: Vec::new(),
            checker: Checker::default(),
            violation: None,
            feed: VecDeque::new(),
            feed_seq: 0,
            events: 0,
            tally: LiteMap::new(),
            trace: false,
            feed_log: None,
            config_index: 0,
            topology_at: 0,
            heard: [[0; 10]; 10],
            timer_gen: 0,
            trail: Trail::default(),
        };
        for id in 1..=n {
            let r = sim.checker.log_changed(id, 1, sim.servers[&id].node.log());
            sim.record(r);
            sim.mark_role(id);
            let outs = sim.servers.get_mut(&id).unwrap().node.start();
            sim.handle_outputs(id, outs);
        }
        sim
    }

    // ------------------------------------------------------------------ queries

    pub fn server(&self, id: ServerId) -> Option<&Server> {
        self.servers.get(&id)
    }

    /// The role as the scenario format names it.
    pub fn role_name(&self, id: ServerId) -> Option<&'static str> {
        self.server_role(id).map(ServerRole::as_str)
    }

    /// A server's role as shown: its protocol role while up (a learner is shown as one),
    /// else crashed or removed.
    pub fn server_role(&self, id: ServerId) -> Option<ServerRole> {
        self.servers
            .get(&id)
            .map(|s| ServerRole::new(s.status, s.node.role(), s.node.config().is_learner(id)))
    }

    /// Does `leader sX` hold: a live leader with a majority of its configuration live and
    /// in its term?
    pub fn is_effective_leader(&self, id: ServerId) -> bool {
        let Some(s) = self.servers.get(&id) else {
            return false;
        };
        if !s.up() || s.node.role() != Role::Leader {
            return false;
        }
        let term = s.node.term();
        s.node.config().has_quorum(|v| {
            self.servers
                .get(&v)
                .is_some_and(|o| o.up() && o.node.term() == term)
        })
    }

    /// The server `leader any` finds (the one in the highest term if several would).
    pub fn leader(&self) -> Option<ServerId> {
        self.servers
            .keys()
            .copied()
            .filter(|&id| self.is_effective_leader(id))
            .max_by_key(|&id| (self.servers[&id].node.term(), std::cmp::Reverse(id)))
    }

    pub fn next_event_time(&self) -> Option<Micros> {
        self.queue.peek_time()
    }

    fn exists(&self, id: ServerId) -> Result<&Server, SimError> {
        match self.servers.get(&id) {
            None => Err(SimError(t!("s{id} does not exist", id = id))),
            Some(s) if s.removed() => {
                Err(SimError(t!("s{id} was removed from the cluster", id = id)))
            }
            Some(s) => Ok(s),
        }
    }

    fn running(&self, id: ServerId) -> Result<&Server, SimError> {
        let s = self.exists(id)?;
        if !s.up() {
            return Err(SimError(t!("s{id} is crashed", id = id)));
        }
        Ok(s)
    }

    // ------------------------------------------------------------------ commands

    /// Carries out a command now. On error nothing has changed.
    pub fn apply(&mut self, cmd: Command) -> Result<(), SimError> {
        if cmd.changes_topology() {
            self.topology_at = self.now;
        }
        match cmd {
            Command::Crash(id) => {
                self.running(id)?;
                self.action(Some(id), t!("s{id} crashed", id = id));
                let server = self.servers.get_mut(&id).unwrap();
                let node = std::mem::replace(
                    &mut server.node,
                    Node::new(
                        id,
                        Durable::new(Configuration::default()),
                        Options::default(),
                    ),
                );
                server.node = node.crash();
                server.status = Status::Crashed;
                server.timers.clear();
                server.story.status_changed(self.now, Cause::Crashed);
                self.mark_role(id);
            }
            Command::Restart(id) => {
                let s = self.exists(id)?;
                if s.up() {
                    return Err(SimError(t!("s{id} is not crashed", id = id)));
                }
                self.action(Some(id), t!("s{id} restarted", id = id));
                let server = self.servers.get_mut(&id).unwrap();
                server.status = Status::Up;
                server.story.status_changed(self.now, Cause::Restarted);
                let (term, commit, snap) = (
                    server.node.term(),
                    server.node.commit(),
                    server.node.log().snapshot().index,
                );
                let outs = server.node.start();
                let r = self.checker.restarted(id, term, commit, snap);
                self.record(r);
                let node = &self.servers[&id].node;
                let r = self.checker.state(id, node.applied(), node.kv());
                self.record(r);
                self.mark_role(id);
                self.handle_outputs(id, outs);
            }
            Command::Timeout(id) => {
                self.running(id)?;
                self.action(
                    Some(id),
                    t!("s{id}'s election timer fired (forced)", id = id),
                );
                self.step_node(id, Input::Timer(Timer::Election));
                let (now, story) = (self.now, &mut self.servers.get_mut(&id).unwrap().story);
                for (at, cause) in [
                    (story.term_since_us, &mut story.term_cause),
                    (story.role_since_us, &mut story.role_cause),
                ] {
                    if at == now && *cause == (Cause::Timer { forced: false }) {
                        *cause = Cause::Timer { forced: true };
                    }
                }
            }
            Command::Partition(groups) => {
                let mut seen = ServerSet::new();
                for g in &groups {
                    for &s in g {
                        self.exists(s)?;
                        if !seen.insert(s) {
                            return Err(SimError(t!("s{s} is named in two groups", s = s)));
                        }
                    }
                }
                let text = partition_text(&groups);
                self.network.partition(
                    groups
                        .into_iter()
                        .map(|g| g.into_iter().collect())
                        .collect(),
                );
                self.action(None, t!("network partitioned: {text}", text = text));
            }
            Command::Cut(a, b) => {
                self.exists(a)?;
                self.exists(b)?;
                if a == b {
                    return Err(SimError(t!("cannot cut s{a} from itself", a = a)));
                }
                self.network.cut(a, b);
                self.action(None, t!("link s{a}–s{b} cut", a = a, b = b));
            }
            Command::Mend(a, b) => {
                self.exists(a)?;
                self.exists(b)?;
                self.network.mend(a, b);
                self.action(None, t!("link s{a}–s{b} restored", a = a, b = b));
            }
            Command::Isolate(id) => {
                self.exists(id)?;
                self.network.isolate(id);
                self.action(Some(id), t!("s{id} isolated", id = id));
            }
            Command::Heal => {
                self.network.heal();
                self.action(None, t!("network healed").into());
            }
            Command::Put(key, value) => {
                self.action(
                    None,
                    t!("client: put {key} {value}", key = key, value = value),
                );
                self.client_enqueue(ClientOp::Put { key, value });
            }
            Command::Get(key) => {
                self.action(None, t!("client: get {key}", key = key));
                self.client_enqueue(ClientOp::Get { key });
            }
            Command::Add(id) => {
                self.check_new_server(id)?;
                self.action(
                    Some(id),
                    t!(
                        "s{id} started with an empty log; client: add s{id}",
                        id = id
                    ),
                );
                self.start_new_server(id);
                self.client_enqueue(ClientOp::Add { server: id });
            }
            Command::AddLearner(id) => {
                self.check_new_server(id)?;
                self.action(
                    Some(id),
                    t!(
                        "s{id} started with an empty log; client: add learner s{id}",
                        id = id
                    ),
                );
                self.start_new_server(id);
                self.client_enqueue(ClientOp::AddLearner { server: id });
            }
            Command::ChangeMembers(ids) => {
                if ids.is_empty() {
                    return Err(SimError(
                        t!("a configuration needs at least one voter").into(),
                    ));
                }
                let new: Vec<ServerId> = ids
                    .iter()
                    .copied()
                    .filter(|id| !self.servers.contains_key(id))
                    .collect();
                for &id in &ids {
                    match self.servers.get(&id) {
                        Some(s) if s.removed() => self.check_new_server(id)?,
                        Some(_) => {}
                        None => self.check_new_server(id)?,
                    }
                }
                let voters: ServerSet = ids.iter().copied().collect();
                let op = ClientOp::ChangeMembers { voters };
                for &id in &new {
                    self.action(Some(id), t!("s{id} started with an empty log", id = id));
                    self.start_new_server(id);
                }
                self.action(None, t!("client: {op}", op = op));
                self.client_enqueue(op);
            }
            Command::Promote(id) => {
                self.exists(id)?;
                self.action(None, t!("client: promote s{id}", id = id));
                self.client_enqueue(ClientOp::Promote { server: id });
            }
            Command::Remove(id) => {
                self.exists(id)?;
                self.action(None, t!("client: remove s{id}", id = id));
                self.client_enqueue(ClientOp::Remove { server: id });
            }
            Command::Transfer(id) => {
                self.exists(id)?;
                let Some(l) = self.leader() else {
                    return Err(SimError(
                        t!("there is no leader to hand the transfer to").into(),
                    ));
                };
                self.action(
                    Some(l),
                    t!("s{l} asked to hand leadership to s{id}", l = l, id = id),
                );
                self.step_node(l, Input::Admin(Admin::Transfer(id)));
            }
            Command::Compact(id) => {
                self.running(id)?;
                self.action(Some(id), t!("s{id} asked to compact its log", id = id));
                self.step_node(id, Input::Admin(Admin::Compact));
            }
            Command::DropMessage(mid) => {
                let p = self
                    .network
                    .in_flight
                    .remove(&mid)
                    .ok_or_else(|| SimError(t!("message {mid} is not in flight", mid = mid)))?;
                self.trail.ended(mid, self.now, true);
                self.action(
                    None,
                    t!(
                        "dropped message {mid} by hand: {what}",
                        mid = mid,
                        what = describe_packet(&p)
                    ),
                );
            }
            Command::DuplicateMessage(mid) => {
                let p = self
                    .network
                    .in_flight
                    .get(&mid)
                    .cloned()
                    .ok_or_else(|| SimError(t!("message {mid} is not in flight", mid = mid)))?;
                self.action(
                    None,
                    t!(
                        "duplicated message {mid} by hand: {what}",
                        mid = mid,
                        what = describe_packet(&p)
                    ),
                );
                let latency = self.draw_latency();
                let id = self.network.new_id();
                let copy = Packet {
                    id,
                    sent: self.now,
                    arrive: self.now + latency,
                    ..p
                };
                self.queue.push(copy.arrive, Event::Deliver(id));
                self.trail.sent(trace_of(&copy, true));
                self.network.in_flight.insert(id, copy);
            }
            Command::ClientVia(via) => {
                if let Some(s) = via {
                    self.exists(s)?;
                }
                self.client.via = via;
                self.action(
                    None,
                    match via {
                        Some(s) => t!("client: send requests to s{s} first", s = s),
                        None => t!("client: send requests to the leader it knows").into(),
                    },
                );
            }
            Command::Set(setting) => {
                let mut s = self.settings.clone();
                s.set(&setting)?;
                self.settings = s;
                let opts = self.settings.options();
                for (_, server) in self.servers.iter_mut() {
                    let max_entries = server.node.options().max_entries;
                    let outs = server.node.step(Input::SetOptions(Options {
                        max_entries,
                        ..opts
                    }));
                    debug_assert!(outs.is_empty());
                }
                self.action(None, t!("setting changed: {setting}", setting = setting));
            }
        }
        Ok(())
    }

    /// Can `id` be started as a new server?
    fn check_new_server(&self, id: ServerId) -> Result<(), SimError> {
        if !(1..=9).contains(&id) {
            return Err(SimError(t!("s{id}: servers are named s1..s9", id = id)));
        }
        match self.servers.get(&id) {
            Some(s) if s.removed() => Err(SimError(t!(
                "s{id} was removed; a removed server cannot rejoin",
                id = id
            ))),
            Some(_) => Err(SimError(t!("s{id} already exists", id = id))),
            None => Ok(()),
        }
    }

    /// Starts `id` with an empty log and no configuration (so it never campaigns).
    fn start_new_server(&mut self, id: ServerId) {
        let opts = self.settings.options();
        self.servers.insert(
            id,
            Server {
                node: Node::new(id, Durable::new(Configuration::default()), opts),
                status: Status::Up,
                member: false,
                timers: LiteMap::new(),
                story: Default::default(),
            },
        );
        self.mark_role(id);
        let outs = self.servers.get_mut(&id).unwrap().node.start();
        self.handle_outputs(id, outs);
    }

    // ------------------------------------------------------------------ time

    /// Handles the next event; false when there is none.
    pub fn step(&mut self) -> bool {
        let Some((t, e)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(t);
        self.checker.set_time(self.now);
        self.events += 1;
        match e {
            Event::Deliver(id) => self.deliver(id),
            Event::Timer { server, timer, gen } => {
                let live = self
                    .servers
                    .get(&server)
                    .and_then(|s| s.timers.get(&timer))
                    .is_some_and(|ts| ts.gen == gen);
                if live {
                    self.servers.get_mut(&server).unwrap().timers.remove(&timer);
                    self.step_node(server, Input::Timer(timer));
                }
            }
            Event::Client { client, gen } => self.client_timer(client, gen),
        }
        true
    }

    /// Handles every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Micros) {
        while self.queue.peek_time().is_some_and(|n| n <= t) {
            self.step();
        }
        self.now = self.now.max(t);
        self.checker.set_time(self.now);
    }

    /// Moves the clock forward to `t` without handling any event (events due before `t`
    /// stay queued; used to replay an input at its recorded moment).
    pub fn skip_to(&mut self, t: Micros) {
        self.now = self.now.max(t);
        self.checker.set_time(self.now);
    }

    /// Handles every event of the next instant (including events it schedules for that
    /// same instant); returns that instant, or None when the queue is empty.
    pub fn run_instant(&mut self) -> Option<Micros> {
        let t = self.queue.peek_time()?;
        while self.queue.peek_time() == Some(t) {
            self.step();
        }
        Some(t)
    }

    // ------------------------------------------------------------------ internals

    fn draw_latency(&mut self) -> Micros {
        let (a, b) = (self.settings.latency_min, self.settings.latency_max);
        if a >= b {
            a
        } else {
            self.rng.random_range(a..=b)
        }
    }

    fn draw_percent(&mut self, pct: f64) -> bool {
        // `rng.random_bool(p)`, draw for draw (rand's Bernoulli: one u64 below p·2^64), without
        // its range-check panic message, which would pull float formatting into the page.
        pct > 0.0 && (pct >= 100.0 || self.rng.next_u64() < (pct / 100.0 * 2f64.powi(64)) as u64)
    }

    /// Puts a message on the wire.
    pub(crate) fn transmit(&mut self, from: Addr, to: Addr, payload: Payload) {
        if let Payload::Raft(m) = &payload {
            self.network.count_sent(m.body.kind(), m.to);
        }
        let latency = self.draw_latency();
        let lost = self.draw_percent(self.settings.loss);
        let dup = self.draw_percent(self.settings.duplicate);
        let dup_latency = if dup { Some(self.draw_latency()) } else { None };
        let id = self.network.new_id();
        let p = Packet {
            id,
            from,
            to,
            sent: self.now,
            arrive: self.now + latency,
            payload,
            lost,
        };
        self.queue.push(p.arrive, Event::Deliver(id));
        self.trail.sent(trace_of(&p, false));
        if let Some(l) = dup_latency {
            let id2 = self.network.new_id();
            let copy = Packet {
                id: id2,
                arrive: self.now + l,
                lost: false,
                ..p.clone()
            };
            self.queue.push(copy.arrive, Event::Deliver(id2));
            self.trail.sent(trace_of(&copy, true));
            self.network.in_flight.insert(id2, copy);
        }
        self.network.in_flight.insert(id, p);
    }

    fn deliver(&mut self, id: MsgId) {
        let Some(p) = self.network.in_flight.remove(&id) else {
            return; // dropped by hand
        };
        let dropped = if p.lost {
            Some("lost")
        } else {
            match p.to {
                Addr::Server(s) => match self.servers.get(&s) {
                    Some(srv) if srv.up() => {
                        if self.network.link_up(p.from, p.to) {
                            None
                        } else {
                            Some("link down")
                        }
                    }
                    _ => Some("receiver down"),
                },
                Addr::Client => None,
            }
        };
        self.trail.ended(p.id, self.now, dropped.is_some());
        if self.trace {
            let text = match dropped {
                Some(why) => format!("dropped ({why}) message {} {}", p.id, describe_packet(&p)),
                None => format!("delivered message {} {}", p.id, describe_packet(&p)),
            };
            let server = match p.to {
                Addr::Server(s) => Some(s),
                Addr::Client => None,
            };
            self.push_feed(server, FeedKind::Message, text);
        }
        if dropped.is_some() {
            return;
        }
        match (p.to, p.payload) {
            (Addr::Server(s), Payload::Raft(m)) => {
                self.heard[usize::from(s)][usize::from(m.from)] = self.now;
                self.step_node(s, Input::Message(m))
            }
            (Addr::Server(s), Payload::Request(r)) => self.step_node(s, Input::Client(r)),
            (Addr::Client, Payload::Reply(r)) => {
                let from = match p.from {
                    Addr::Server(s) => s,
                    Addr::Client => return,
                };
                self.client_reply(r.client, from, r.request, r.result)
            }
            _ => {}
        }
    }

    /// Gives a server an input and handles what comes out, checking safety.
    pub(crate) fn step_node(&mut self, id: ServerId, input: Input) {
        let Some(server) = self.servers.get_mut(&id) else {
            return;
        };
        if !server.up() {
            return;
        }
        let before_commit = server.node.commit();
        let checked = checks::Before::of(server.node.term(), server.node.applied(), &input);
        let before = (server.node.role(), server.node.term());
        let seen = Seen::of(&input);
        let outs = server.node.step(input);
        let after = (server.node.role(), server.node.term());
        server.story.observe(self.now, id, seen, before, after);
        if before != after {
            self.mark_role(id);
        }
        self.handle_outputs(id, outs);
        let Some(server) = self.servers.get(&id) else {
            return;
        };
        let node = &server.node;
        let (term, commit, applied, vote) =
            (node.term(), node.commit(), node.applied(), node.vote());
        if commit > before_commit {
            let r = self
                .checker
                .commit_advanced(id, before_commit, commit, node.log());
            self.record(r);
        }
        let r = self.checker.observe(id, term, commit, applied);
        self.record(r);
        let r = self.checker.voted(id, term, vote);
        self.record(r);
        self.check_step(id, checked);
    }

    /// Notes a server's role and term in the trail (if changed).
    fn mark_role(&mut self, id: ServerId) {
        if let Some(s) = self.servers.get(&id) {
            let n = &s.node;
            let role = ServerRole::new(s.status, n.role(), n.config().is_learner(id));
            self.trail.role(self.now, id, role, n.term());
        }
    }

    fn record(&mut self, r: Result<(), Violation>) {
        if let Err(v) = r {
            if self.violation.is_none() {
                self.push_feed(v.servers.first().copied(), FeedKind::Safety, v.text());
                self.violation = Some(v);
            }
        }
    }

    fn arm(&mut self, id: ServerId, timer: Timer) {
        let after = match timer {
            Timer::Election => {
                let (a, b) = (self.settings.election_min, self.settings.election_max);
                if a >= b {
                    a
                } else {
                    self.rng.random_range(a..=b)
                }
            }
            Timer::Heartbeat => self.settings.heartbeat,
            Timer::Lease => self.settings.election_min,
            Timer::ReadLease(_) if bugs::active(Bug::LeaseIgnoresDrift) => {
                self.settings.election_min
            }
            Timer::ReadLease(_) => self.settings.election_min * LEASE_PERMILLE / 1000,
        };
        // The server's clock may run fast or slow: its timers measure its own time.
        let after = self.settings.on_clock_of(id, after);
        self.timer_gen += 1;
        let gen = self.timer_gen;
        let ts = TimerState {
            gen,
            start_us: self.now,
            due_us: self.now + after,
        };
        if let Some(s) = self.servers.get_mut(&id) {
            s.timers.insert(timer, ts);
        }
        self.queue.push(
            ts.due_us,
            Event::Timer {
                server: id,
                timer,
                gen,
            },
        );
    }

    pub(crate) fn handle_outputs(&mut self, id: ServerId, outs: Vec<Output>) {
        // Replies go out if the server was up when it produced them: a leader that removes
        // itself answers the client's `remove` in the same step that shuts it down.
        let was_up = self.servers.get(&id).is_some_and(|s| s.up());
        for o in outs {
            let up = self.servers.get(&id).is_some_and(|s| s.up());
            match o {
                Output::Send(m) => {
                    if up {
                        self.transmit(Addr::Server(id), Addr::Server(m.to), Payload::Raft(m));
                    }
                }
                Output::SetTimer(t) => {
                    if up {
                        self.arm(id, t)
                    }
                }
                Output::StopTimer(t) => {
                    if let Some(s) = self.servers.get_mut(&id) {
                        s.timers.remove(&t);
                    }
                }
                Output::Reply(r) => {
                    if was_up {
                        self.transmit(Addr::Server(id), Addr::Client, Payload::Reply(r));
                    }
                }
                Output::Note(n) => {
                    if let Note::Became {
                        role: Role::Leader,
                        term,
                    } = n
                    {
                        let r = self
                            .checker
                            .became_leader(id, term, self.servers[&id].node.log());
                        self.record(r);
                    }
                    if let Some(what) = tally_of(&n) {
                        *self.tally.entry(what).or_insert(0) += 1;
                    }
                    let kind = note_kind(&n);
                    self.push_feed(Some(id), kind, format!("s{id} {n}"));
                }
                Output::Applied { index, entry } => {
                    let r = self.checker.applied(id, index, &entry);
                    self.record(r);
                }
                Output::LogChanged { from } => {
                    let node = &self.servers[&id].node;
                    let known = self.checker.config_index(id);
                    // A truncation from at or before the last configuration entry seen,
                    // that leaves an older one in effect.
                    if from <= known && node.log().latest_config().0 < known {
                        *self.tally.entry("configurations rolled back").or_insert(0) += 1;
                    }
                    let r = self
                        .checker
                        .log_changed(id, from, node.log())
                        .and_then(|()| {
                            self.checker
                                .configuration(id, from, node.log(), node.config())
                        });
                    self.record(r);
                }
                Output::ConfigCommitted { index, config } => self.config_committed(index, config),
            }
        }
    }

    fn config_committed(&mut self, index: u64, config: Configuration) {
        if index <= self.config_index {
            return;
        }
        self.config_index = index;
        let ids: Vec<ServerId> = self.servers.keys().copied().collect();
        for s in ids {
            let server = self.servers.get_mut(&s).unwrap();
            if config.contains(s) {
                server.member = true;
            } else if server.member && !server.removed() {
                server.status = Status::Removed;
                self.topology_at = self.now;
                server.timers.clear();
                self.push_feed(
                    Some(s),
                    FeedKind::Config,
                    t!(
                        "s{s} shut down: its removal is committed ({config})",
                        s = s,
                        config = config
                    ),
                );
                self.mark_role(s);
            }
        }
    }

    pub(crate) fn push_feed(&mut self, server: Option<ServerId>, kind: FeedKind, text: String) {
        self.feed_seq += 1;
        let item = FeedItem {
            seq: self.feed_seq,
            time_us: self.now,
            server,
            kind,
            text,
        };
        if let Some(log) = self.feed_log.as_mut() {
            log.push(item.clone());
        }
        self.feed.push_back(item);
        while self.feed.len() > FEED_KEEP {
            self.feed.pop_front();
        }
    }

    fn action(&mut self, server: Option<ServerId>, text: String) {
        self.push_feed(server, FeedKind::Action, text);
    }

    /// Feed items newer than `seq` (for traces).
    pub fn feed_since(&self, seq: u64) -> impl Iterator<Item = &FeedItem> {
        self.feed.iter().filter(move |f| f.seq > seq)
    }
}

/// The notes `tally` counts.
fn tally_of(n: &Note) -> Option<&'static str> {
    Some(match n {
        Note::Became {
            role: Role::Leader, ..
        } => "elections won",
        Note::Truncated { .. } => "truncations",
        Note::SnapshotInstalled { .. } => "snapshots installed",
        Note::Compacted { .. } => "compactions",
        Note::ReadServed { .. } => "reads served",
        Note::LostQuorum { .. } => "check-quorum step-downs",
        Note::TimeoutNowSent { .. } => "transfers handed over",
        Note::ConfigAppended { .. } => "configurations appended",
        _ => return None,
    })
}

fn note_kind(n: &Note) -> FeedKind {
    match n {
        Note::Became { .. } | Note::LostQuorum { .. } | Note::StaleLeaderDiscovered { .. } => {
            FeedKind::Role
        }
        Note::VoteGranted { .. } | Note::VoteRefused { .. } | Note::VoteIgnored { .. } => {
            FeedKind::Vote
        }
        Note::Truncated { .. } => FeedKind::Log,
        Note::Committed { .. } => FeedKind::Commit,
        Note::Compacted { .. }
        | Note::SnapshotInstalled { .. }
        | Note::SnapshotSent { .. }
        | Note::NothingToCompact => FeedKind::Snapshot,
        Note::TransferStarted { .. }
        | Note::TransferAborted { .. }
        | Note::TransferRefused { .. }
        | Note::TimeoutNowSent { .. }
        | Note::TimeoutNowReceived { .. } => FeedKind::Transfer,
        Note::ConfigAppended { .. } | Note::CatchingUp { .. } | Note::RemovedSelf => {
            FeedKind::Config
        }
        Note::ProposalDropped { .. } | Note::ReadServed { .. } | Note::LeaseRead { .. } => {
            FeedKind::Client
        }
    }
}

fn trace_of(p: &Packet, copy: bool) -> Trace {
    let id = |a: Addr| match a {
        Addr::Server(s) => s,
        Addr::Client => 0,
    };
    Trace {
        id: p.id,
        kind: p.payload.kind(),
        from: id(p.from),
        to: id(p.to),
        sent_us: p.sent,
        end_us: None,
        lost: false,
        copy,
    }
}
