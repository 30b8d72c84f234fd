//! The one place where the language meets the world: a scenario line (`ast::Statement`)
//! and a `sim::Command`, both ways, and the set-up lines and a `sim::Setup`, both ways.

use super::ast::*;
use crate::raft::ServerId;
use crate::sim::cluster::{Setup, StateLine};
use crate::sim::command::Command;
use crate::sim::settings::Settings;

/// The command a scenario line gives, with `leader` resolved by `resolve` (whose error
/// is the line's error); `None` for a line that gives no command (set-up lines, `run`,
/// `run until`, `expect`, `say`, `pause`).
pub fn command_of(
    stmt: &Statement,
    resolve: impl Fn(ServerRef) -> Result<ServerId, String>,
) -> Option<Result<Command, String>> {
    Some(match stmt {
        Statement::Cluster(_)
        | Statement::Bug(_)
        | Statement::Seed(_)
        | Statement::Set(_)
        | Statement::State { .. }
        | Statement::Run(_)
        | Statement::RunUntil { .. }
        | Statement::Expect(_)
        | Statement::Say(_)
        | Statement::Pause
        | Statement::HistoryNotLinearizable
        | Statement::Goal { .. }
        | Statement::Forbid { .. } => return None,
        Statement::Timeout(r) => resolve(*r).map(Command::Timeout),
        Statement::Crash(r) => resolve(*r).map(Command::Crash),
        Statement::Restart(r) => resolve(*r).map(Command::Restart),
        Statement::Partition(groups) => Ok(Command::Partition(groups.clone())),
        Statement::Cut(a, b) => resolve(*a).and_then(|a| resolve(*b).map(|b| Command::Cut(a, b))),
        Statement::Isolate(r) => resolve(*r).map(Command::Isolate),
        Statement::Heal => Ok(Command::Heal),
        Statement::Put(k, v) => Ok(Command::Put(k.clone(), v.clone())),
        Statement::Get(k) => Ok(Command::Get(k.clone())),
        Statement::Add(id) => Ok(Command::Add(*id)),
        Statement::Remove(r) => resolve(*r).map(Command::Remove),
        Statement::Transfer(r) => resolve(*r).map(Command::Transfer),
        Statement::Compact(r) => resolve(*r).map(Command::Compact),
        Statement::Change(s) => Ok(Command::Set(s.clone())),
        Statement::Mend(a, b) => resolve(*a).and_then(|a| resolve(*b).map(|b| Command::Mend(a, b))),
        Statement::DropMessage(id) => Ok(Command::DropMessage(*id)),
        Statement::DuplicateMessage(id) => Ok(Command::DuplicateMessage(*id)),
        Statement::ChangeMembers(ids) => Ok(Command::ChangeMembers(ids.clone())),
        Statement::AddLearner(id) => Ok(Command::AddLearner(*id)),
        Statement::Promote(r) => resolve(*r).map(Command::Promote),
        Statement::ClientVia(s) => Ok(Command::ClientVia(*s)),
    })
}

/// The scenario line that gives this command.
pub fn statement_of(c: &Command) -> Statement {
    let id = ServerRef::Id;
    match c {
        Command::Crash(s) => Statement::Crash(id(*s)),
        Command::Restart(s) => Statement::Restart(id(*s)),
        Command::Timeout(s) => Statement::Timeout(id(*s)),
        Command::Partition(g) => Statement::Partition(g.clone()),
        Command::Cut(a, b) => Statement::Cut(id(*a), id(*b)),
        Command::Mend(a, b) => Statement::Mend(id(*a), id(*b)),
        Command::Isolate(s) => Statement::Isolate(id(*s)),
        Command::Heal => Statement::Heal,
        Command::Put(k, v) => Statement::Put(k.clone(), v.clone()),
        Command::Get(k) => Statement::Get(k.clone()),
        Command::Add(s) => Statement::Add(*s),
        Command::Remove(s) => Statement::Remove(id(*s)),
        Command::Transfer(s) => Statement::Transfer(id(*s)),
        Command::Compact(s) => Statement::Compact(id(*s)),
        Command::DropMessage(m) => Statement::DropMessage(*m),
        Command::DuplicateMessage(m) => Statement::DuplicateMessage(*m),
        Command::Set(s) => Statement::Change(s.clone()),
        Command::ChangeMembers(ids) => Statement::ChangeMembers(ids.clone()),
        Command::AddLearner(s) => Statement::AddLearner(*s),
        Command::Promote(s) => Statement::Promote(id(*s)),
        Command::ClientVia(s) => Statement::ClientVia(*s),
    }
}

/// The kind of a command, as `forbid` names it: the first word of its line (`change`
/// for settings and membership changes, `add` also for `add learner`).
pub fn command_kind(c: &Command) -> &'static str {
    match c {
        Command::Crash(_) => "crash",
        Command::Restart(_) => "restart",
        Command::Timeout(_) => "timeout",
        Command::Partition(_) => "partition",
        Command::Cut(..) => "cut",
        Command::Mend(..) => "mend",
        Command::Isolate(_) => "isolate",
        Command::Heal => "heal",
        Command::Put(..) => "put",
        Command::Get(_) => "get",
        Command::Add(_) | Command::AddLearner(_) => "add",
        Command::Remove(_) => "remove",
        Command::Transfer(_) => "transfer",
        Command::Compact(_) => "compact",
        Command::DropMessage(_) => "drop",
        Command::DuplicateMessage(_) => "duplicate",
        Command::Set(_) | Command::ChangeMembers(_) => "change",
        Command::Promote(_) => "promote",
        Command::ClientVia(_) => "client",
    }
}

/// The `Setup` a scenario's set-up lines describe (an error: the line and why).
pub fn setup_of(scenario: &Scenario) -> Result<Setup, (usize, String)> {
    let mut setup = Setup::default();
    let mut settings = Settings::default();
    for l in &scenario.lines {
        match &l.stmt {
            Statement::Cluster(n) => setup.servers = *n,
            Statement::Seed(s) => setup.seed = *s,
            Statement::Set(s) => settings.set(s).map_err(|e| (l.line, e.0))?,
            Statement::State {
                server,
                term,
                vote,
                log,
            } => setup.states.push(StateLine {
                server: *server,
                term: *term,
                vote: *vote,
                log: log.clone(),
            }),
            _ => {}
        }
    }
    setup.settings = settings;
    Ok(setup)
}

/// The set-up lines that create this `Setup`.
pub fn setup_statements(setup: &Setup) -> Vec<Statement> {
    let s = &setup.settings;
    let mut out = vec![
        Statement::Cluster(setup.servers),
        Statement::Seed(setup.seed),
        Statement::Set(Setting::ElectionTimeout(DurationRange {
            min: s.election_min,
            max: s.election_max,
        })),
        Statement::Set(Setting::Heartbeat(s.heartbeat)),
        Statement::Set(Setting::Latency(DurationRange {
            min: s.latency_min,
            max: s.latency_max,
        })),
        Statement::Set(Setting::Loss(s.loss)),
        Statement::Set(Setting::Duplicate(s.duplicate)),
        Statement::Set(Setting::Prevote(s.prevote)),
        Statement::Set(Setting::CheckQuorum(s.check_quorum)),
        Statement::Set(Setting::ClientTimeout(s.client_timeout)),
        Statement::Set(Setting::SnapshotFactor(s.snapshot_factor)),
        Statement::Set(Setting::MaxEntries(s.max_entries)),
        Statement::Set(Setting::MaxInflight(s.max_inflight)),
        Statement::Set(Setting::RetryTimeout(s.retry_timeout)),
    ];
    // Newer settings only when they differ from the default (older exports stay the same).
    if s.read_mode != Settings::default().read_mode {
        out.push(Statement::Set(Setting::ReadMode(s.read_mode)));
    }
    for (id, &d) in s.drift.iter().enumerate().skip(1) {
        if d != 1000 {
            out.push(Statement::Set(Setting::Drift(id as ServerId, d)));
        }
    }
    for st in &setup.states {
        out.push(Statement::State {
            server: st.server,
            term: st.term,
            vote: st.vote,
            log: st.log.clone(),
        });
    }
    out
}
