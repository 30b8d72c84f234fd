//! Randomized fault testing: each seed draws a cluster, settings and a schedule of faults
//! and client requests, runs it with the safety checker after every event, then heals
//! everything and checks liveness, convergence and linearizability.
//!
//! The schedule is written as a scenario while it runs (the generator looks at the live
//! cluster to pick valid, interesting commands: crash the leader, restart a crashed
//! server, ...), so a failing seed's reproduction is simply that scenario file, which
//! fails `raftlab check` the same way.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::linearizability;
use crate::raft::ServerId;
use crate::scenario::ast::*;
use crate::scenario::print::{scenario_of, to_text};
use crate::scenario::run::{Outcome, Runner};
use crate::sim::cluster::Status;
use crate::sim::time::Micros;
use crate::sim::time::{fmt_duration, MS, SECOND};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuzzOptions {
    /// Virtual time of the fault schedule (the healing phase comes after it).
    pub duration: Micros,
    pub min_servers: u8,
    pub max_servers: u8,
    /// Also draw joint changes, learners and promotions, the lease read mode and clock
    /// drift within the lease's margin (`raftlab fuzz --joint`; drawn from a second
    /// random stream, so the other draws of a seed stay the same), and play Figure 10
    /// and lease cut-off schedules (a fourth stream: [`figure10`], [`lease_cut`]).
    pub joint: bool,
}

impl Default for FuzzOptions {
    fn default() -> FuzzOptions {
        FuzzOptions {
            duration: 60 * SECOND,
            min_servers: 3,
            max_servers: 7,
            joint: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// A safety property broke (the checker names it).
    Safety,
    /// After healing, no leader / a request never completed / members disagree.
    Liveness,
    Linearizability,
    /// The generator produced a command the simulator refused (a fuzzer bug).
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: FailureKind,
    /// The scenario line at which it showed (0 for after the run).
    pub line: usize,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct SeedReport {
    pub seed: u64,
    pub servers: u8,
    pub events: u64,
    pub requests: usize,
    /// Concurrent clients: the scenario's one and the fuzzer's extra ones (1 to 4).
    pub clients: u32,
    /// How often each kind of fault and each interesting event happened.
    pub counts: Counts,
    pub failure: Option<Failure>,
    /// The run as a scenario file (a reproduction when it failed).
    pub scenario_text: String,
}

pub type Counts = std::collections::BTreeMap<&'static str, u64>;

const KEYS: [&str; 3] = ["a", "b", "c"];

/// Counts a command of the schedule, and the corners it reaches.
fn count_command(counts: &mut Counts, stmt: &Statement, r: &Runner) {
    let sim = &r.sim;
    let split = sim.network.is_split();
    let down = sim.servers.values().any(|s| s.status == Status::Crashed);
    let mut add = |what: &'static str| *counts.entry(what).or_insert(0) += 1;
    match stmt {
        Statement::Put(..) => add("puts"),
        Statement::Get(_) => add("gets"),
        Statement::Crash(_) => add("crashes"),
        Statement::Restart(_) => add("restarts"),
        Statement::Partition(_) => add("partitions"),
        Statement::Cut(..) => add("cuts"),
        Statement::Isolate(_) => add("isolations"),
        Statement::Heal => add("heals"),
        Statement::Timeout(_) => add("forced timeouts"),
        Statement::Compact(_) => {
            add("compact commands");
            if down {
                add("compactions with a server down");
            }
        }
        Statement::Transfer(_) => {
            add("transfers");
            if split {
                add("transfers while partitioned");
            }
        }
        Statement::Add(_) | Statement::Remove(_) => {
            add("membership changes");
            if split {
                add("membership changes while partitioned");
            }
        }
        _ => {}
    }
}
const HEADER_LINES: usize = 2;

fn header(seed: u64, opts: &FuzzOptions, clients: u32) -> String {
    let reproduce = if clients == 1 {
        "raftlab check THIS_FILE".to_string()
    } else {
        format!(
            "raftlab fuzz --start {seed} --seeds 1 --duration {} --servers {}..{} (this file holds only client 1 of {clients}; the others' requests are the fuzzer's own load)",
            fmt_duration(opts.duration),
            opts.min_servers,
            opts.max_servers
        )
    };
    format!(
        "raftlab fuzz seed {seed} ({} of faults, {}..{} servers, {clients} client{})\nreproduce with: {reproduce}",
        fmt_duration(opts.duration),
        opts.min_servers,
        opts.max_servers,
        if clients == 1 { "" } else { "s" }
    )
}

/// The extra clients' load between two commands: each idle one may start a put or a get.
fn extra_load(rng: &mut ChaCha8Rng, r: &mut Runner, clients: u32, puts: &mut u64) {
    use crate::raft::ClientOp;
    for c in 2..=clients {
        let idle = r
            .sim
            .load
            .get(c as usize - 2)
            .is_none_or(|l| l.outstanding() == 0);
        if !idle || !rng.random_bool(0.6) {
            continue;
        }
        let key = KEYS[rng.random_range(0..KEYS.len())].to_string();
        let op = if rng.random_bool(0.5) {
            *puts += 1;
            ClientOp::Put {
                key,
                value: format!("v{puts}"),
            }
        } else {
            ClientOp::Get { key }
        };
        r.sim.request_as(c, op);
    }
}

/// Draws the set-up lines of a seed.
fn setup(seed: u64, rng: &mut ChaCha8Rng, opts: &FuzzOptions) -> (u8, Vec<Statement>) {
    let lo = opts.min_servers.clamp(1, 9);
    let hi = opts.max_servers.clamp(lo, 9);
    let n = rng.random_range(lo..=hi);
    let emin = rng.random_range(10..=30) * 10 * MS; // 100..300 ms
                                                    // Raft's liveness rests on randomized timeouts: a range of at least 50 ms (with no
                                                    // range at all, split votes can repeat forever, as the paper's Figure 16 shows).
    let emax = emin + rng.random_range(5..=30) * 10 * MS;
    let heartbeat = emin / rng.random_range(2..=5);
    // At least 1 ms: with no latency a request and its answer share one instant, and the
    // history's timestamps could not order concurrent clients' operations.
    let lat_min = (rng.random_range(0..=10) * MS).max(MS);
    let lat_max = lat_min + rng.random_range(0..=15) * MS;
    let loss = if rng.random_bool(0.5) {
        0.0
    } else {
        f64::from(rng.random_range(1..=30u32))
    };
    let dup = if rng.random_bool(0.6) {
        0.0
    } else {
        f64::from(rng.random_range(1..=10u32))
    };
    // One seed in six is a storm: heavy duplication and latencies spread wide enough to
    // reorder most messages.
    let storm = rng.random_bool(1.0 / 6.0);
    let (dup, lat_max) = if storm {
        (f64::from(rng.random_range(20..=40u32)), lat_min + 40 * MS)
    } else {
        (dup, lat_max)
    };
    let factor = if rng.random_bool(0.5) {
        None
    } else {
        Some(rng.random_range(2..=8))
    };
    let stmts = vec![
        Statement::Cluster(n),
        Statement::Seed(seed),
        Statement::Set(Setting::ElectionTimeout(DurationRange {
            min: emin,
            max: emax,
        })),
        Statement::Set(Setting::Heartbeat(heartbeat)),
        Statement::Set(Setting::Latency(DurationRange {
            min: lat_min,
            max: lat_max,
        })),
        Statement::Set(Setting::Loss(loss)),
        Statement::Set(Setting::Duplicate(dup)),
        Statement::Set(Setting::Prevote(rng.random_bool(0.5))),
        Statement::Set(Setting::CheckQuorum(rng.random_bool(0.5))),
        Statement::Set(Setting::ClientTimeout(rng.random_range(3..=8) * 100 * MS)),
        Statement::Set(Setting::SnapshotFactor(factor)),
    ];
    (n, stmts)
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> Option<T> {
    if xs.is_empty() {
        None
    } else {
        Some(xs[rng.random_range(0..xs.len())])
    }
}

/// Chooses the next command, looking at the cluster now.
fn next_command(rng: &mut ChaCha8Rng, r: &Runner, puts: &mut u64) -> Option<Statement> {
    let sim = &r.sim;
    let ids: Vec<ServerId> = sim.servers.keys().copied().collect();
    let up: Vec<ServerId> = ids
        .iter()
        .copied()
        .filter(|&i| sim.servers[&i].status == Status::Up)
        .collect();
    let crashed: Vec<ServerId> = ids
        .iter()
        .copied()
        .filter(|&i| sim.servers[&i].status == Status::Crashed)
        .collect();
    let present: Vec<ServerId> = ids
        .iter()
        .copied()
        .filter(|&i| !sim.servers[&i].removed())
        .collect();
    let members: Vec<ServerId> = present
        .iter()
        .copied()
        .filter(|&i| sim.servers[&i].member)
        .collect();
    let leader = sim.leader();
    let roll = rng.random_range(0..100);
    let stmt = match roll {
        0..=29 => {
            *puts += 1;
            let key = KEYS[rng.random_range(0..KEYS.len())];
            Statement::Put(key.into(), format!("v{puts}"))
        }
        30..=44 => Statement::Get(KEYS[rng.random_range(0..KEYS.len())].into()),
        45..=51 => Statement::Crash(ServerRef::Id(leader.or_else(|| pick(rng, &up))?)),
        52..=57 => Statement::Crash(ServerRef::Id(pick(rng, &up)?)),
        58..=69 => Statement::Restart(ServerRef::Id(pick(rng, &crashed)?)),
        70..=73 => {
            let mut shuffled = present.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.random_range(0..=i));
            }
            let k = rng
                .random_range(1..shuffled.len().max(2))
                .min(shuffled.len());
            let g: Vec<ServerId> = {
                let mut g = shuffled[..k].to_vec();
                g.sort_unstable();
                g
            };
            Statement::Partition(vec![g])
        }
        74..=76 => {
            let a = pick(rng, &present)?;
            let others: Vec<ServerId> = present.iter().copied().filter(|&b| b != a).collect();
            Statement::Cut(ServerRef::Id(a), ServerRef::Id(pick(rng, &others)?))
        }
        77..=78 => Statement::Isolate(ServerRef::Id(leader.or_else(|| pick(rng, &present))?)),
        79..=84 => Statement::Heal,
        85..=87 => Statement::Compact(ServerRef::Id(pick(rng, &up)?)),
        88..=90 => {
            leader?;
            let others: Vec<ServerId> = members
                .iter()
                .copied()
                .filter(|&m| Some(m) != leader)
                .collect();
            Statement::Transfer(ServerRef::Id(pick(rng, &others)?))
        }
        91..=93 => Statement::Timeout(ServerRef::Id(pick(rng, &up)?)),
        94..=96 => {
            // Add the lowest free name, if the client is not busy with another change.
            if r.sim.client.outstanding() > 2 {
                return None;
            }
            let free = (1..=9u8).find(|i| !sim.servers.contains_key(i))?;
            Statement::Add(free)
        }
        _ => {
            if members.len() <= 3 || r.sim.client.outstanding() > 2 {
                return None;
            }
            Statement::Remove(ServerRef::Id(pick(rng, &members)?))
        }
    };
    Some(stmt)
}

// ---------------------------------------------------------------- joint consensus, leases

/// `--joint` set-up: the lease read mode half of the time, and each server's clock rate
/// drawn within the lease's margin (0.9..1.1: any two differ by less than 1.25).
fn joint_setup(rng: &mut ChaCha8Rng, servers: u8) -> Vec<Statement> {
    let mut out = Vec::new();
    if rng.random_bool(0.5) {
        out.push(Statement::Set(Setting::ReadMode(
            crate::raft::ReadMode::Lease,
        )));
    }
    if rng.random_bool(0.5) {
        for id in 1..=9u8 {
            let d = rng.random_range(900..=1100u32);
            if id <= servers || rng.random_bool(0.5) {
                out.push(Statement::Set(Setting::Drift(id, d)));
            }
        }
    }
    out
}

/// `--joint` commands, now and then: a joint change (members kept or dropped at random,
/// new names added), a learner, a promotion.
fn joint_command(rng: &mut ChaCha8Rng, r: &Runner) -> Option<Statement> {
    let sim = &r.sim;
    if rng.random_range(0..100) >= 10 || sim.client.outstanding() > 2 {
        return None;
    }
    let present: Vec<ServerId> = sim
        .servers
        .iter()
        .filter(|(_, s)| !s.removed())
        .map(|(&i, _)| i)
        .collect();
    let free = (1..=9u8).find(|i| !sim.servers.contains_key(i));
    let learners: Vec<ServerId> = sim
        .leader()
        .map(|l| {
            sim.servers[&l]
                .node
                .config()
                .learners
                .iter()
                .copied()
                .collect()
        })
        .unwrap_or_default();
    if !learners.is_empty() && rng.random_bool(0.5) {
        return Some(Statement::Promote(ServerRef::Id(pick(rng, &learners)?)));
    }
    match rng.random_range(0..3) {
        // Only with nothing queued: a queued `remove` must not drop a server the change
        // names (a removed server cannot come back).
        0 | 1 if sim.client.outstanding() == 0 => {
            let mut target: Vec<ServerId> = present
                .iter()
                .copied()
                .filter(|_| rng.random_bool(0.75))
                .collect();
            let mut next = free;
            while target.len() < 9 && rng.random_bool(0.3) {
                let Some(id) = next else { break };
                target.push(id);
                next = (id + 1..=9u8).find(|i| !sim.servers.contains_key(i));
            }
            (target.len() >= 3).then_some(Statement::ChangeMembers(target))
        }
        0 | 1 => None,
        _ => Some(Statement::AddLearner(free?)),
    }
}

// ---------------------------------------------------------------- Figure 8 schedules

/// One seed in four also plays Figure 8 of the Raft paper now and then, drawn from a third
/// random stream (so the other draws of a seed stay the same): small appends and a
/// narrow window of appends in flight (so that a new leader's old-term entries reach a
/// majority before its no-op does), and [`figure8`] schedules.
fn figure8_setup(rng: &mut ChaCha8Rng) -> Option<Vec<Statement>> {
    if !rng.random_bool(0.25) {
        return None;
    }
    Some(vec![
        Statement::Set(Setting::MaxEntries(rng.random_range(1..=3))),
        Statement::Set(Setting::MaxInflight(rng.random_range(1..=4))),
    ])
}

/// The leader, if one of `among` leads a term newer than `after`.
fn new_leader(r: &Runner, among: &[ServerId], after: u64) -> Option<ServerId> {
    among.iter().copied().find(|i| {
        let s = &r.sim.servers[i];
        s.up() && s.node.role() == crate::raft::Role::Leader && s.node.term() > after
    })
}

/// A Figure 8 schedule on the live cluster: the leader L1 is cut off with one follower
/// while it takes new entries (an uncommitted suffix of its term); as soon as the others
/// elect L2, L2 is cut off alone (its no-op, of a newer term, at the same index stays
/// its own); when the rest (L1 with them again) elect a leader W, W is cut off alone a
/// random moment later, perhaps after its old-term entries reached a majority but before
/// its no-op did; then L2 (newer last term) may win and overwrite them. A leader that
/// counts replicas of old-term entries (or a follower that commits entries the append did
/// not confirm) loses a committed entry here. Waits step by the minimum latency, so that
/// each cut lands before the new leader's first messages arrive.
fn figure8(rng: &mut ChaCha8Rng, r: &mut Runner, puts: &mut u64) -> Option<Failure> {
    let sim = &r.sim;
    let l1 = sim.leader()?;
    let voters: Vec<ServerId> = sim.servers[&l1]
        .node
        .config()
        .voters
        .iter()
        .copied()
        .filter(|v| sim.servers.get(v).is_some_and(|s| s.up()))
        .collect();
    if voters.len() < 3 {
        return None;
    }
    let f1 = pick(
        rng,
        &voters
            .iter()
            .copied()
            .filter(|&v| v != l1)
            .collect::<Vec<_>>(),
    )?;
    let step = sim.settings.latency_min.max(MS);
    let wait = 3 * sim.settings.election_max;
    let lat_max = sim.settings.latency_max;
    let mut pair = vec![l1, f1];
    pair.sort_unstable();
    if let Some(f) = go(r, Statement::Partition(vec![pair])) {
        return Some(f);
    }
    for _ in 0..rng.random_range(1..=4) {
        *puts += 1;
        let key = KEYS[rng.random_range(0..KEYS.len())];
        if let Some(f) = go(r, Statement::Put(key.into(), format!("v{puts}"))) {
            return Some(f);
        }
    }
    // L2: a leader of the majority side, cut off alone at once.
    let term = r.sim.servers[&l1].node.term();
    let others: Vec<ServerId> = voters
        .iter()
        .copied()
        .filter(|&v| v != l1 && v != f1)
        .collect();
    let (mut waited, mut l2) = (0, None);
    while waited < wait && l2.is_none() {
        if let Some(f) = go(r, Statement::Run(step)) {
            return Some(f);
        }
        waited += step;
        l2 = new_leader(r, &others, term);
    }
    let l2 = l2?;
    if rng.random_bool(0.5) {
        // Or L2 leads the majority a while (past its retry timeout for the two cut off,
        // so that it probes them again from what they last acknowledged), then all heal:
        // the follower holds L1's uncommitted suffix beyond what L2's probes carry.
        let lead = rng.random_range(1..=8) * r.sim.settings.retry_timeout / 2;
        return go(r, Statement::Run(lead)).or_else(|| go(r, Statement::Heal));
    }
    if let Some(f) = go(r, Statement::Partition(vec![vec![l2]])) {
        return Some(f);
    }
    // W: the next leader of the rest, cut off alone a random moment after it won.
    let term = r.sim.servers[&l2].node.term();
    let rest: Vec<ServerId> = voters.iter().copied().filter(|&v| v != l2).collect();
    let (mut waited, mut w) = (0, None);
    while waited < wait && w.is_none() {
        if let Some(f) = go(r, Statement::Run(step)) {
            return Some(f);
        }
        waited += step;
        w = new_leader(r, &rest, term.saturating_sub(1));
    }
    let w = w?;
    let after = rng.random_range(0..=4 * lat_max / step) * step;
    if after > 0 {
        if let Some(f) = go(r, Statement::Run(after)) {
            return Some(f);
        }
    }
    go(r, Statement::Partition(vec![vec![w]]))
}

// ---------------------------------------------------------------- Figure 10, lease drift

/// `--joint` seeds also play two corners now and then, drawn from a fourth random stream
/// (so the other draws of a seed stay the same): one seed in four [`figure10`]
/// schedules, one in four [`lease_cut`] schedules (such a seed reads by lease: a `set
/// read-mode lease` line is added when the joint set-up did not draw it).
fn corner_setup(rng: &mut ChaCha8Rng, set_up: &[Statement]) -> (bool, bool, Vec<Statement>) {
    let fig10 = rng.random_bool(0.25);
    let lease = rng.random_bool(0.25);
    let mut lines = Vec::new();
    let lease_mode = set_up.iter().any(|s| {
        matches!(
            s,
            Statement::Set(Setting::ReadMode(crate::raft::ReadMode::Lease))
        )
    });
    if lease && !lease_mode {
        lines.push(Statement::Set(Setting::ReadMode(
            crate::raft::ReadMode::Lease,
        )));
    }
    (fig10, lease, lines)
}

/// Runs in steps of `step` until `done` holds or `limit` has passed; whether it held.
fn run_until(
    r: &mut Runner,
    step: Micros,
    limit: Micros,
    mut done: impl FnMut(&Runner) -> bool,
) -> Result<bool, Failure> {
    let mut waited = 0;
    while !done(r) {
        if waited >= limit {
            return Ok(false);
        }
        if let Some(f) = go(r, Statement::Run(step)) {
            return Err(f);
        }
        waited += step;
    }
    Ok(true)
}

/// Figure 10 of the Raft paper on the live cluster: a change of several voters at once
/// while the network is split so that a majority of C_old (side B, without the leader L)
/// and a majority of C_new (side A: L's side, with the new servers) are disjoint. The new
/// servers join as learners first (before the split: they must catch up); then B is cut
/// off, the change is asked of L, and once the other servers of A hold L's new
/// configuration L is cut off alone too, so that each side elects a leader of its own
/// if it can. Through C_old,new, A cannot (it lacks a majority of C_old); a leader that
/// switches straight to C_new lets both sides elect a leader, in the same term.
fn figure10(rng: &mut ChaCha8Rng, r: &mut Runner, counts: &mut Counts) -> Option<Failure> {
    let sim = &r.sim;
    let l = sim.leader()?;
    let cfg = sim.servers[&l].node.config().clone();
    if !cfg.outgoing.is_empty() || sim.client.outstanding() > 0 {
        return None;
    }
    let majority = cfg.voters.len() / 2 + 1;
    let mut others: Vec<ServerId> = cfg
        .voters
        .iter()
        .copied()
        .filter(|&v| v != l && sim.servers.get(&v).is_some_and(|s| s.up() && !s.removed()))
        .collect();
    if cfg.voters.len() < 3 || others.len() < majority {
        return None;
    }
    // B: a majority of C_old without L; the other voters that are up stay in C_new (those
    // down leave it).
    for i in (1..others.len()).rev() {
        others.swap(i, rng.random_range(0..=i));
    }
    let mut b = others[..majority].to_vec();
    b.sort_unstable();
    let kept: Vec<ServerId> = others[majority..].to_vec();
    let b_kept: Vec<ServerId> = b.iter().copied().filter(|_| rng.random_bool(0.5)).collect();
    let l_kept = rng.random_bool(0.5);
    // New servers enough for the servers of A other than L to be a majority of C_new.
    let need = (b_kept.len() + usize::from(l_kept) + 1).saturating_sub(kept.len());
    let mut k = need + usize::from(rng.random_bool(0.5));
    while kept.len() + k + b_kept.len() + usize::from(l_kept) < 3 {
        k += 1;
    }
    let free: Vec<ServerId> = (1..=9u8).filter(|i| !sim.servers.contains_key(i)).collect();
    if free.len() < k.max(need) {
        return None;
    }
    let new: Vec<ServerId> = free[..k].to_vec();
    let mut target: Vec<ServerId> = kept.iter().chain(&new).chain(&b_kept).copied().collect();
    if l_kept {
        target.push(l);
    }
    target.sort_unstable();
    let term = sim.servers[&l].node.term();
    let step = 10 * MS;
    let wait = 4 * sim.settings.election_max;
    // The new servers join as learners and catch up (while L still leads).
    for &n in &new {
        if let Some(f) = go(r, Statement::AddLearner(n)) {
            return Some(f);
        }
    }
    let caught_up = |r: &Runner| {
        let s = &r.sim;
        s.client.outstanding() == 0
            && s.leader() == Some(l)
            && new.iter().all(|n| {
                s.servers[&l].node.config().learners.contains(n)
                    && s.servers.get(n).is_some_and(|x| {
                        x.up() && x.node.log().last_index() >= s.servers[&l].node.commit()
                    })
            })
    };
    match run_until(r, step, wait, caught_up) {
        Err(f) => return Some(f),
        Ok(false) => return None,
        Ok(true) => {}
    }
    if let Some(f) = go(r, Statement::Partition(vec![b.clone()])) {
        return Some(f);
    }
    if let Some(f) = go(r, Statement::ChangeMembers(target.clone())) {
        return Some(f);
    }
    // L appends C_old,new (or, switching directly, C_new) and the rest of A receive it.
    let a: Vec<ServerId> = kept.iter().chain(&new).copied().collect();
    let old = cfg.voters;
    let switched = |r: &Runner| {
        let s = &r.sim;
        let c = s.servers[&l].node.config();
        (!c.outgoing.is_empty() || c.voters != old)
            && a.iter()
                .all(|x| s.servers.get(x).is_some_and(|x| x.node.config() == c))
    };
    match run_until(r, step, wait, switched) {
        Err(f) => return Some(f),
        Ok(false) => return None,
        Ok(true) => {}
    }
    // (A server that C_new drops may have been removed meanwhile.)
    let groups: Vec<Vec<ServerId>> = [b.clone(), vec![l]]
        .into_iter()
        .map(|g| {
            g.into_iter()
                .filter(|x| !r.sim.servers[x].removed())
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect();
    if let Some(f) = go(r, Statement::Partition(groups)) {
        return Some(f);
    }
    *counts.entry("figure-10 splits").or_insert(0) += 1;
    let both = |r: &Runner| new_leader(r, &b, term).is_some() && new_leader(r, &a, term).is_some();
    run_until(r, step, wait, both).err()
}

/// A lease read on the wrong side of a partition, with clocks as far apart as the
/// lease's margin allows: L's clock runs at 0.9 and every other's at 1.1 (1.1 / 0.9 <
/// 1.25). With a latency of 1 ms and no loss (restored after), L is cut off alone just
/// after a heartbeat round was acknowledged; as soon as the others' leases run out one of
/// them is made to time out, wins, and commits the client's put; then the client asks L
/// for the key. L's lease (0.8 of the minimum election timeout, on its slow clock) ran
/// out before the others could vote; a lease of the whole timeout would still hold, and
/// L would answer the overwritten value.
fn lease_cut(
    rng: &mut ChaCha8Rng,
    r: &mut Runner,
    puts: &mut u64,
    counts: &mut Counts,
) -> Option<Failure> {
    use crate::raft::io::Timer;
    let sim = &r.sim;
    let l = sim.leader()?;
    let cfg = sim.servers[&l].node.config().clone();
    if sim.settings.read_mode != crate::raft::ReadMode::Lease
        || !cfg.outgoing.is_empty()
        || sim.client.outstanding() > 0
    {
        return None;
    }
    let others: Vec<ServerId> = cfg
        .voters
        .iter()
        .copied()
        .filter(|&v| v != l && sim.servers.get(&v).is_some_and(|s| s.up()))
        .collect();
    if others.len() < cfg.voters.len() / 2 + 1 {
        return None;
    }
    let saved = [
        Setting::Latency(DurationRange {
            min: sim.settings.latency_min,
            max: sim.settings.latency_max,
        }),
        Setting::Loss(sim.settings.loss),
        Setting::Duplicate(sim.settings.duplicate),
    ];
    let ids: Vec<ServerId> = sim.servers.keys().copied().collect();
    let mut lines = vec![
        Statement::Heal,
        Statement::Change(Setting::Latency(DurationRange { min: MS, max: MS })),
        Statement::Change(Setting::Loss(0.0)),
        Statement::Change(Setting::Duplicate(0.0)),
    ];
    for id in ids {
        lines.push(Statement::Change(Setting::Drift(
            id,
            if id == l { 900 } else { 1100 },
        )));
    }
    for stmt in lines {
        if let Some(f) = go(r, stmt) {
            return Some(f);
        }
    }
    let restore = |r: &mut Runner| {
        saved
            .iter()
            .find_map(|s| go(r, Statement::Change(s.clone())))
    };
    let wait = 2 * r.sim.settings.election_max;
    let term = r.sim.servers[&l].node.term();
    // Just after a round was acknowledged: every other voter heard L 2 ms ago (its
    // answer reached L 1 ms ago).
    let fresh = |r: &Runner| {
        let s = &r.sim;
        s.leader() == Some(l)
            && others.iter().all(|o| {
                s.servers[o]
                    .timers
                    .get(&Timer::Lease)
                    .is_some_and(|t| t.start_us + 2 * MS <= s.now && s.now < t.start_us + 3 * MS)
            })
    };
    // (The first 30 ms let messages of the old latencies land.)
    let ok = match run_until(r, MS, 30 * MS, |_| false) {
        Err(f) => return Some(f),
        Ok(_) => run_until(r, MS, wait, fresh),
    };
    match ok {
        Err(f) => return Some(f),
        Ok(false) => return restore(r),
        Ok(true) => {}
    }
    if let Some(f) = go(r, Statement::Partition(vec![vec![l]])) {
        return Some(f);
    }
    let expired = |r: &Runner| others.iter().all(|o| !r.sim.servers[o].node.in_lease());
    match run_until(r, MS, wait, expired) {
        Err(f) => return Some(f),
        Ok(false) => return restore(r),
        Ok(true) => {}
    }
    let o = pick(rng, &others)?;
    if let Some(f) = go(r, Statement::Timeout(ServerRef::Id(o))) {
        return Some(f);
    }
    match run_until(r, MS, wait, |r| new_leader(r, &others, term).is_some()) {
        Err(f) => return Some(f),
        Ok(false) => return restore(r),
        Ok(true) => {}
    }
    let l2 = new_leader(r, &others, term)?;
    *puts += 1;
    let key = KEYS[rng.random_range(0..KEYS.len())];
    for stmt in [
        Statement::ClientVia(Some(l2)),
        Statement::Put(key.into(), format!("v{puts}")),
    ] {
        if let Some(f) = go(r, stmt) {
            return Some(f);
        }
    }
    match run_until(r, MS, wait, |r| r.sim.client.outstanding() == 0) {
        Err(f) => return Some(f),
        Ok(false) => return go(r, Statement::ClientVia(None)).or_else(|| restore(r)),
        Ok(true) => {}
    }
    *counts.entry("lease cut-off reads").or_insert(0) += 1;
    for stmt in [
        Statement::ClientVia(Some(l)),
        Statement::Get(key.into()),
        Statement::Run(5 * MS),
        Statement::ClientVia(None),
    ] {
        if let Some(f) = go(r, stmt) {
            return Some(f);
        }
    }
    restore(r)
}

/// Adds a line to the schedule and runs it.
fn go(runner: &mut Runner, stmt: Statement) -> Option<Failure> {
    runner.extend(stmt);
    let o = runner.run_to_end();
    fail_of(&o).map(|(line, message)| Failure {
        kind: classify(&message),
        line,
        message,
    })
}

fn classify(message: &str) -> FailureKind {
    if message.starts_with("safety violation") {
        FailureKind::Safety
    } else if message.starts_with("cannot ") {
        FailureKind::Invalid
    } else {
        FailureKind::Liveness
    }
}

fn storm_seed(r: &Runner) -> bool {
    r.sim.settings.duplicate >= 20.0
}

/// Is the cluster healed and settled: a leader, no request outstanding, every live
/// member applied everything committed and holds the same state?
fn converged(r: &Runner) -> Result<(), String> {
    let sim = &r.sim;
    let l = sim.leader().ok_or("no leader")?;
    let out = sim.client.outstanding() + sim.load.iter().map(|c| c.outstanding()).sum::<usize>();
    if out > 0 {
        return Err(format!("{out} client request(s) not completed"));
    }
    let ln = &sim.servers[&l].node;
    for &m in ln.config().voters.iter() {
        let Some(s) = sim.servers.get(&m) else {
            continue;
        };
        if s.status != Status::Up {
            return Err(format!("member s{m} is not up"));
        }
        if s.node.applied() != ln.commit() || s.node.kv() != ln.kv() {
            return Err(format!(
                "s{m} applied {} with {} keys; leader s{l} committed {} with {} keys",
                s.node.applied(),
                s.node.kv().data.len(),
                ln.commit(),
                ln.kv().data.len()
            ));
        }
    }
    Ok(())
}

/// With pre-vote off, an up server that was never a voter of a committed configuration
/// but whose own configuration names it a voter (see the healing phase of `run_seed`).
fn zombie_voter(r: &Runner) -> Option<ServerId> {
    if r.sim.settings.prevote {
        return None;
    }
    r.sim
        .servers
        .iter()
        .find(|(&id, s)| s.up() && !s.member && s.node.config().contains(id))
        .map(|(&id, _)| id)
}

fn fail_of(o: &Outcome) -> Option<(usize, String)> {
    match o {
        Outcome::Pass => None,
        Outcome::Fail { line, message } => Some((*line, message.clone())),
    }
}

/// Runs one seed.
pub fn run_seed(seed: u64, opts: &FuzzOptions) -> SeedReport {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_F00D_CAFE_0001);
    let (servers, mut set_up) = setup(seed, &mut rng, opts);
    let clients = rng.random_range(1..=4u32);
    let mut jrng = ChaCha8Rng::seed_from_u64(seed ^ 0x501_4700_1EA5_E002);
    if opts.joint {
        set_up.extend(joint_setup(&mut jrng, servers));
    }
    let mut frng = ChaCha8Rng::seed_from_u64(seed ^ 0xF16_8F16_8F16_8003);
    let fig8 = figure8_setup(&mut frng);
    let fig8 = fig8.map(|lines| set_up.extend(lines)).is_some();
    let mut xrng = ChaCha8Rng::seed_from_u64(seed ^ 0xF16_10DE_A5E0_0004);
    let (fig10, lease, lines) = if opts.joint {
        corner_setup(&mut xrng, &set_up)
    } else {
        (false, false, Vec::new())
    };
    set_up.extend(lines);
    let head = header(seed, opts, clients);
    debug_assert_eq!(head.lines().count(), HEADER_LINES);
    let mut runner = Runner::new(scenario_of(&head, set_up)).expect("generated set-up is valid");
    let mut failure: Option<Failure> = None;
    let mut puts = 0u64;
    let mut counts = Counts::new();
    if storm_seed(&runner) {
        counts.insert("storm seeds (duplication >= 20%)", 1);
    }
    if clients > 1 {
        counts.insert("seeds with concurrent clients", 1);
    }
    if fig8 {
        counts.insert("figure-8 seeds (small appends)", 1);
    }
    if fig10 {
        counts.insert("figure-10 seeds", 1);
    }
    if lease {
        counts.insert("lease cut-off seeds", 1);
    }
    // The fault schedule.
    while runner.sim.now < opts.duration && failure.is_none() {
        let gap = rng.random_range(1..=30) * 10 * MS;
        failure = go(&mut runner, Statement::Run(gap));
        if failure.is_some() {
            break;
        }
        if let Some(stmt) = next_command(&mut rng, &runner, &mut puts) {
            count_command(&mut counts, &stmt, &runner);
            failure = go(&mut runner, stmt);
        }
        extra_load(&mut rng, &mut runner, clients, &mut puts);
        if fig8 && failure.is_none() && frng.random_bool(0.2) {
            let lines = runner.script.scenario.lines.len();
            failure = figure8(&mut frng, &mut runner, &mut puts);
            if runner.script.scenario.lines.len() > lines {
                *counts.entry("figure-8 schedules").or_insert(0) += 1;
            }
        }
        if fig10 && failure.is_none() && xrng.random_bool(0.25) {
            failure = figure10(&mut xrng, &mut runner, &mut counts);
        }
        if lease && failure.is_none() && xrng.random_bool(0.1) {
            failure = lease_cut(&mut xrng, &mut runner, &mut puts, &mut counts);
        }
        if opts.joint && failure.is_none() {
            if let Some(stmt) = joint_command(&mut jrng, &runner) {
                failure = go(&mut runner, stmt);
            }
        }
    }
    // Heal and restart everything, then wait for the cluster to settle.
    if failure.is_none() {
        failure = go(&mut runner, Statement::Heal);
    }
    if failure.is_none() {
        let crashed: Vec<ServerId> = runner
            .sim
            .servers
            .iter()
            .filter(|(_, s)| s.status == Status::Crashed)
            .map(|(&i, _)| i)
            .collect();
        for c in crashed {
            if let Some(f) = go(&mut runner, Statement::Restart(ServerRef::Id(c))) {
                failure = Some(f);
                break;
            }
        }
    }
    if failure.is_none() {
        // "Heal everything" also ends message loss and duplication (`change` lines, so
        // that the reproduction does the same).
        failure = go(&mut runner, Statement::Change(Setting::Loss(0.0)))
            .or_else(|| go(&mut runner, Statement::Change(Setting::Duplicate(0.0))));
    }
    if failure.is_none() {
        failure = go(
            &mut runner,
            Statement::RunUntil {
                cond: Condition::Leader(LeaderCond::Any),
                within: 10 * SECOND,
            },
        );
    }
    if failure.is_none() {
        let mut waited = 0;
        let mut cured = false;
        loop {
            match converged(&runner) {
                Ok(()) => break,
                Err(_) if waited >= 30 * SECOND && !cured && zombie_voter(&runner).is_some() => {
                    // Raft's disruptive server, with pre-vote off: a server whose log holds
                    // a configuration naming it a voter that was never committed (its
                    // addition was cut short and rolled back on the others) campaigns
                    // forever; each time a leader catches it up for a new `add`, its
                    // higher term in the reply deposes the leader (Figure 2: a response
                    // with a higher term turns a leader into a follower), so the `add`
                    // cannot complete. The paper's rule of ignoring RequestVote while a
                    // leader is heard does not cover the leader's own AppendEntries. Its
                    // cure is pre-vote: turned on, the cluster must then settle.
                    cured = true;
                    waited = 0;
                    *counts
                        .entry("zombie voters cured by turning pre-vote on")
                        .or_insert(0) += 1;
                    if let Some(f) = go(&mut runner, Statement::Change(Setting::Prevote(true))) {
                        failure = Some(f);
                        break;
                    }
                }
                Err(why) if waited >= 30 * SECOND => {
                    failure = Some(Failure {
                        kind: FailureKind::Liveness,
                        line: 0,
                        message: format!("not settled 30s after healing: {why}"),
                    });
                    break;
                }
                Err(_) => {
                    if let Some(f) = go(&mut runner, Statement::Run(100 * MS)) {
                        failure = Some(f);
                        break;
                    }
                    waited += 100 * MS;
                }
            }
        }
    }
    if failure.is_none() {
        let mut history = runner.sim.client.history.clone();
        for c in &runner.sim.load {
            history.extend(c.history.iter().cloned());
        }
        if let Err(e) = linearizability::check_history(&history) {
            failure = Some(Failure {
                kind: FailureKind::Linearizability,
                line: 0,
                message: format!("client history is not linearizable: {e}"),
            });
        }
    }
    let stmts: Vec<Statement> = runner
        .script
        .scenario
        .lines
        .iter()
        .map(|l| l.stmt.clone())
        .collect();
    for (&what, &n) in runner.sim.tally.iter() {
        *counts.entry(what).or_insert(0) += n;
    }
    SeedReport {
        seed,
        servers,
        events: runner.sim.events,
        requests: runner.sim.client.history.len()
            + runner
                .sim
                .load
                .iter()
                .map(|c| c.history.len())
                .sum::<usize>(),
        clients,
        counts,
        failure,
        scenario_text: to_text(&head, &stmts),
    }
}

/// Shrinks a scenario that fails with a safety violation: drops the lines after the
/// failing one, then tries removing commands one at a time (keeping a removal when the
/// same property still fails), within `budget` re-runs. Returns the shorter text.
pub fn shrink(text: &str, budget: usize) -> String {
    let Ok(parsed) = crate::scenario::parse(text) else {
        return text.to_string();
    };
    let header: String = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches("# ").to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let property = |stmts: &[Statement]| -> Option<(usize, String)> {
        let sc = scenario_of(&header, stmts.to_vec());
        let mut r = Runner::new(sc).ok()?;
        match r.run_to_end() {
            Outcome::Fail { line, message } if message.starts_with("safety violation") => {
                let prop = message.split(':').nth(1).unwrap_or("").trim().to_string();
                Some((line, prop))
            }
            _ => None,
        }
    };
    let mut stmts: Vec<Statement> = parsed.lines.iter().map(|l| l.stmt.clone()).collect();
    let Some((line, prop)) = property(&stmts) else {
        return text.to_string();
    };
    let first = header.lines().count() + 1;
    stmts.truncate(line + 1 - first);
    let mut runs = 1;
    let mut i = stmts.len();
    while i > 0 && runs < budget {
        i -= 1;
        let removable = !matches!(
            stmts[i],
            Statement::Cluster(_) | Statement::Seed(_) | Statement::Set(_) | Statement::Run(_)
        );
        if !removable || i + 1 == stmts.len() {
            continue;
        }
        let mut candidate = stmts.clone();
        candidate.remove(i);
        runs += 1;
        if let Some((l, p)) = property(&candidate) {
            if p == prop {
                candidate.truncate(l + 1 - first);
                stmts = candidate;
                i = i.min(stmts.len());
            }
        }
    }
    to_text(&header, &stmts)
}

/// Summary of many seeds.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub seeds: u64,
    pub events: u64,
    pub requests: u64,
    pub counts: Counts,
    pub failures: Vec<SeedReport>,
}

pub fn run_seeds(
    start: u64,
    count: u64,
    opts: &FuzzOptions,
    mut each: impl FnMut(&SeedReport),
) -> Summary {
    let mut s = Summary::default();
    for seed in start..start.saturating_add(count) {
        let r = run_seed(seed, opts);
        s.seeds += 1;
        s.events += r.events;
        s.requests += r.requests as u64;
        for (&what, &n) in &r.counts {
            *s.counts.entry(what).or_insert(0) += n;
        }
        each(&r);
        if r.failure.is_some() {
            s.failures.push(r);
        }
    }
    s
}
