//! Plays a parsed scenario against a `Sim`: a `Script` is the scenario's position (line,
//! caption, checks) and drives a `Sim` it is handed, recording the commands it gives in a
//! `History` when handed one (the page's `Session` owns both). A `Runner` is a script with
//! its own `Sim`: the CLI runs it to the end in one go; the page advances a script a frame
//! at a time and stops at `pause` lines.
//!
//! Set-up lines (`cluster`, `seed`, `set`, `state`) all come before time passes, so they
//! take effect together when the simulation is created, before any command.

use super::ast::*;
use super::convert::{command_of, setup_of};
use crate::raft::{ServerId, Term};
use crate::sim::cluster::Sim;
use crate::sim::history::History;
use crate::sim::time::fmt_time;
use crate::t;

/// At most this many captions of one step are kept on screen (a file without pauses
/// shows its latest ones).
pub const MAX_STEP_CAPTIONS: usize = 4;

/// At most this many events per scenario: a hostile file cannot run forever.
pub const MAX_EVENTS: u64 = 20_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// The line that failed and what was expected / found.
    Fail {
        line: usize,
        message: String,
    },
}

/// The result of one `expect` or `run until` line, for the page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub line: usize,
    pub text: String,
    pub ok: bool,
    pub message: String,
    pub time_us: Micros,
    /// The simulator's feed sequence number when it was checked (it comes after that
    /// feed item: `raftlab run --trace` prints it in its place).
    pub feed_seq: u64,
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    /// About to run line `pc`.
    Ready,
    /// `run D`: time passes until this instant.
    Running {
        until: Micros,
    },
    /// `run until`: waiting for the condition until the deadline.
    Waiting {
        deadline: Micros,
    },
    /// Stopped at a `pause` (the page waits for Next).
    Paused,
    Done(Outcome),
}

/// Why `advance` returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Reached the time limit given; more to do.
    Limit,
    /// Stopped at a `pause` line (its line number).
    Paused(usize),
    Done(Outcome),
}

/// A scenario being played: where it is, its caption and checks. It owns no `Sim`: each
/// `advance` is handed the one it drives.
#[derive(Clone, Debug)]
pub struct Script {
    pub scenario: Scenario,
    pc: usize,
    state: State,
    /// The latest `say` caption and its line.
    pub caption: Option<(usize, String)>,
    /// The moment of the latest caption and the feed sequence number then.
    pub caption_at: (Micros, u64),
    /// Every caption since the last `pause` (the latest last): a caption that no pause
    /// follows stays on screen with the next one, until the step after the next pause
    /// brings its first caption.
    pub step_captions: Vec<String>,
    /// A `pause` was passed since the last caption (the next caption starts a new step).
    new_step: bool,
    pub checks: Vec<Check>,
    /// Stop at `pause` lines (the page); the checker ignores them.
    pub stop_at_pauses: bool,
}

/// A script with the `Sim` it plays on (the CLI, the fuzzer, the tests).
#[derive(Clone, Debug)]
pub struct Runner {
    pub sim: Sim,
    pub script: Script,
}

impl Runner {
    pub fn new(scenario: Scenario) -> Result<Runner, (usize, String)> {
        let (script, sim) = Script::start(scenario)?;
        Ok(Runner { sim, script })
    }

    /// See `Script::extend`.
    pub fn extend(&mut self, stmt: Statement) {
        self.script.extend(stmt)
    }

    pub fn resume(&mut self) {
        self.script.resume()
    }

    /// Plays the scenario until virtual time `limit`, a pause, or the end.
    pub fn advance(&mut self, limit: Micros) -> Stop {
        self.script.advance(&mut self.sim, None, limit)
    }

    /// Runs the whole scenario (ignoring pauses unless `stop_at_pauses`).
    pub fn run_to_end(&mut self) -> Outcome {
        loop {
            match self.advance(Micros::MAX) {
                Stop::Done(o) => return o,
                Stop::Paused(_) => self.resume(),
                Stop::Limit => {}
            }
        }
    }
}

/// Puts planted bugs back as they were before a script's turn (even on panic).
struct Restore(Vec<(Bug, bool)>);

/// Turns planted bugs on until dropped, then puts them back as they were (a challenge's
/// `bug` lines hold while the student plays, not only while its script runs).
pub struct BugsOn {
    _restore: Restore,
}

impl BugsOn {
    pub fn new(bugs: &[Bug]) -> BugsOn {
        let was = bugs
            .iter()
            .map(|&b| (b, crate::raft::bugs::active(b)))
            .collect();
        for &b in bugs {
            crate::raft::bugs::set(b, true);
        }
        BugsOn {
            _restore: Restore(was),
        }
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        for &(b, was) in &self.0 {
            crate::raft::bugs::set(b, was);
        }
    }
}

/// A script at work on the `Sim` (and `History`) it was handed for one `advance`.
struct Turn<'a> {
    script: &'a mut Script,
    sim: &'a mut Sim,
    history: Option<&'a mut History>,
}

impl std::ops::Deref for Turn<'_> {
    type Target = Script;
    fn deref(&self) -> &Script {
        self.script
    }
}

impl std::ops::DerefMut for Turn<'_> {
    fn deref_mut(&mut self) -> &mut Script {
        self.script
    }
}

impl Script {
    /// The script of `scenario` and the `Sim` its set-up lines create.
    pub fn start(scenario: Scenario) -> Result<(Script, Sim), (usize, String)> {
        let sim = Sim::new(&setup_of(&scenario)?);
        let script = Script {
            scenario,
            pc: 0,
            state: State::Ready,
            caption: None,
            caption_at: (0, 0),
            step_captions: Vec::new(),
            new_step: false,
            checks: Vec::new(),
            stop_at_pauses: false,
        };
        Ok((script, sim))
    }

    /// Appends a line to the scenario (numbered after the last one); a scenario that had
    /// passed its end goes on with it. The fuzzer writes its schedule this way while it
    /// runs, so that what ran is exactly a scenario file.
    pub fn extend(&mut self, stmt: Statement) {
        let line = self.scenario.lines.last().map_or(1, |l| l.line + 1);
        self.scenario.lines.push(Line {
            line,
            text: super::print::line_text(&stmt.to_string()),
            stmt,
        });
        if self.state == State::Done(Outcome::Pass) {
            self.state = State::Ready;
        }
    }

    /// The line about to run or running (1-based), if any.
    pub fn current_line(&self) -> Option<usize> {
        self.scenario.lines.get(self.pc).map(|l| l.line)
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.state {
            State::Done(o) => Some(o),
            _ => None,
        }
    }

    /// When the line running now stops waiting: the end of a `run`, the deadline of a
    /// `run until` (a challenge checks its goals at every instant up to there).
    pub fn wakes_at(&self) -> Option<Micros> {
        match self.state {
            State::Running { until } => Some(until),
            State::Waiting { deadline } => Some(deadline),
            _ => None,
        }
    }

    pub fn is_paused(&self) -> bool {
        self.state == State::Paused
    }

    /// Continue after a `pause`.
    pub fn resume(&mut self) {
        if self.state == State::Paused {
            self.state = State::Ready;
        }
    }

    /// Plays the scenario on `sim` until virtual time `limit`, a pause, or the end; the
    /// commands it gives are recorded in `history` when there is one.
    pub fn advance(&mut self, sim: &mut Sim, history: Option<&mut History>, limit: Micros) -> Stop {
        // `bug NAME` lines: a bug is on while this script drives the sim, from its line
        // on; as it was before when the script hands control back.
        let bugs: Vec<(Bug, bool)> = self
            .scenario
            .lines
            .iter()
            .filter_map(|l| match l.stmt {
                Statement::Bug(b) => Some((b, crate::raft::bugs::active(b))),
                _ => None,
            })
            .collect();
        for l in &self.scenario.lines[..self.pc.min(self.scenario.lines.len())] {
            if let Statement::Bug(b) = l.stmt {
                crate::raft::bugs::set(b, true);
            }
        }
        let _restore = Restore(bugs);
        Turn {
            script: self,
            sim,
            history,
        }
        .advance(limit)
    }

    /// Does the file expect a violation of this property (a `violation` condition)?
    pub fn expects(&self, p: Property) -> bool {
        self.scenario.lines.iter().any(|l| match &l.stmt {
            Statement::Expect(c) | Statement::RunUntil { cond: c, .. } => {
                *c == Condition::Violation(p)
            }
            _ => false,
        })
    }

    /// Does the sim's violation (if any) stop this script? Not one the file expects.
    pub fn stopped_by(&self, sim: &Sim) -> bool {
        sim.violation
            .as_ref()
            .is_some_and(|v| !self.expects(v.property))
    }

    fn pause_line(&self) -> usize {
        self.pc
            .checked_sub(1)
            .and_then(|i| self.scenario.lines.get(i))
            .map_or(0, |l| l.line)
    }

    fn next_line(&mut self) {
        self.pc += 1;
        self.state = State::Ready;
    }
}

impl Turn<'_> {
    fn fail(&mut self, message: String) -> Stop {
        let line = self.current_line().unwrap_or(0);
        let o = Outcome::Fail { line, message };
        self.state = State::Done(o.clone());
        Stop::Done(o)
    }

    /// Checks for a safety violation or the event cap after time passed.
    fn trouble(&mut self) -> Option<Stop> {
        if self.script.stopped_by(self.sim) {
            let m = self.sim.violation.as_ref().map(|v| v.text());
            return Some(self.fail(m.unwrap_or_default()));
        }
        if self.sim.events > MAX_EVENTS {
            return Some(self.fail(t!(
                "stopped after {events} simulated events: the limit is {max} per scenario",
                events = self.sim.events,
                max = MAX_EVENTS
            )));
        }
        None
    }

    /// Plays the scenario until virtual time `limit`, a pause, or the end.
    fn advance(&mut self, limit: Micros) -> Stop {
        loop {
            match self.state.clone() {
                State::Done(o) => return Stop::Done(o),
                State::Paused => return Stop::Paused(self.pause_line()),
                State::Running { until } => {
                    let stop = until.min(limit);
                    while self.sim.next_event_time().is_some_and(|t| t <= stop) {
                        self.sim.step();
                        if let Some(p) = self.trouble() {
                            return p;
                        }
                    }
                    self.sim.run_until(stop);
                    if stop < until {
                        return Stop::Limit;
                    }
                    self.next_line();
                }
                State::Waiting { deadline } => {
                    let line = self.scenario.lines[self.pc].clone();
                    let Statement::RunUntil { cond, .. } = &line.stmt else {
                        unreachable!("waiting only on run until")
                    };
                    loop {
                        match self.sim.next_event_time() {
                            Some(t) if t <= deadline && t <= limit => {
                                self.sim.run_instant();
                                if let Some(p) = self.trouble() {
                                    return p;
                                }
                                if eval(self.sim, cond).is_ok() {
                                    self.record_check(&line, true, String::new());
                                    self.next_line();
                                    break;
                                }
                            }
                            Some(t) if t <= deadline => {
                                // Beyond this frame's limit.
                                self.sim.run_until(limit);
                                return Stop::Limit;
                            }
                            _ => {
                                if deadline > limit {
                                    self.sim.run_until(limit);
                                    return Stop::Limit;
                                }
                                self.sim.run_until(deadline);
                                let found = eval(self.sim, cond).err().unwrap_or_default();
                                let msg = t!(
                                    "expected {cond} within {within}, found {found}",
                                    cond = cond_text(&line.text),
                                    within = fmt_time(within_of(&line.stmt)),
                                    found = found
                                );
                                self.record_check(&line, false, msg.clone());
                                return self.fail(msg);
                            }
                        }
                    }
                }
                State::Ready => {
                    if self.pc >= self.scenario.lines.len() {
                        self.state = State::Done(Outcome::Pass);
                        return Stop::Done(Outcome::Pass);
                    }
                    if let Some(p) = self.exec_line() {
                        return p;
                    }
                }
            }
        }
    }

    fn record_check(&mut self, line: &Line, ok: bool, message: String) {
        let (time_us, feed_seq) = (self.sim.now, self.sim.feed_seq);
        self.checks.push(Check {
            line: line.line,
            text: line.text.clone(),
            ok,
            message,
            time_us,
            feed_seq,
        });
    }

    fn resolve(&self, r: ServerRef) -> Result<ServerId, String> {
        match r {
            ServerRef::Id(id) => Ok(id),
            ServerRef::Leader => self.sim.leader().ok_or_else(|| {
                t!(
                    "there is no leader ({summary})",
                    summary = summary(self.sim)
                )
            }),
        }
    }

    /// Runs the line at `pc` (which takes no time); returns Some when advance must return.
    fn exec_line(&mut self) -> Option<Stop> {
        let line = self.scenario.lines[self.pc].clone();
        let cmd = match &line.stmt {
            Statement::Bug(b) => {
                crate::raft::bugs::set(*b, true);
                self.next_line();
                return None;
            }
            Statement::Cluster(_)
            | Statement::Seed(_)
            | Statement::Set(_)
            | Statement::State { .. } => {
                self.next_line();
                return None;
            }
            Statement::Run(d) => {
                self.state = State::Running {
                    until: self.sim.now.saturating_add(*d),
                };
                return None;
            }
            Statement::RunUntil { cond, within } => {
                if eval(self.sim, cond).is_ok() {
                    self.record_check(&line, true, String::new());
                    self.next_line();
                } else {
                    self.state = State::Waiting {
                        deadline: self.sim.now.saturating_add(*within),
                    };
                }
                return None;
            }
            Statement::Expect(cond) => {
                return match eval(self.sim, cond) {
                    Ok(()) => {
                        self.record_check(&line, true, String::new());
                        self.next_line();
                        None
                    }
                    Err(found) => {
                        let msg = t!(
                            "expected {cond}, found {found}",
                            cond = cond_text(&line.text),
                            found = found
                        );
                        self.record_check(&line, false, msg.clone());
                        Some(self.fail(msg))
                    }
                };
            }
            Statement::Say(caption) => {
                // The page's language (natively English, as traces print it).
                let text = caption.text().to_string();
                self.caption = Some((line.line, text.clone()));
                if std::mem::take(&mut self.new_step) {
                    self.step_captions.clear();
                }
                self.step_captions.push(text);
                if self.step_captions.len() > MAX_STEP_CAPTIONS {
                    self.step_captions.remove(0);
                }
                self.caption_at = (self.sim.now, self.sim.feed_seq);
                self.next_line();
                return None;
            }
            Statement::HistoryNotLinearizable
            | Statement::Goal { .. }
            | Statement::Forbid { .. } => {
                self.next_line();
                return None;
            }
            Statement::Pause => {
                self.pc += 1;
                self.new_step = true;
                if self.stop_at_pauses {
                    self.state = State::Paused;
                    return Some(Stop::Paused(line.line));
                }
                self.state = State::Ready;
                return None;
            }
            other => match command_of(other, |r| self.resolve(r)) {
                Some(cmd) => cmd,
                None => unreachable!("every other line gives a command"),
            },
        };
        let result = cmd.and_then(|c| {
            match self.history.as_deref_mut() {
                Some(h) => h.apply(self.sim, c),
                None => self.sim.apply(c),
            }
            .map_err(|e| e.0)
        });
        match result {
            Ok(()) => {
                if let Some(p) = self.trouble() {
                    return Some(p);
                }
                self.next_line();
                None
            }
            Err(e) => Some(self.fail(t!("cannot {line}: {error}", line = line.text, error = e))),
        }
    }
}

fn within_of(s: &Statement) -> Micros {
    match s {
        Statement::RunUntil { within, .. } => *within,
        _ => 0,
    }
}

/// The condition part of a `run until`/`expect` line's text.
fn cond_text(text: &str) -> String {
    let t = text
        .strip_prefix("run until ")
        .or_else(|| text.strip_prefix("expect "))
        .unwrap_or(text);
    match t.rfind(" within ") {
        Some(i) if text.starts_with("run until ") => t[..i].to_string(),
        _ => t.to_string(),
    }
}

/// `members`: the leader's voters are `new` (and, with a non-empty `old`, it is joint
/// with C_old = `old`).
fn members(sim: &Sim, old: &[ServerId], new: &[ServerId]) -> Result<(), String> {
    let l = sim
        .leader()
        .ok_or_else(|| t!("there is no leader ({summary})", summary = summary(sim)))?;
    let config = sim.servers[&l].node.config();
    let set = |s: &[ServerId]| s.iter().copied().collect::<crate::raft::ServerSet>();
    if config.outgoing == set(old) && config.voters == set(new) {
        return Ok(());
    }
    let names = |s: crate::raft::ServerSet| {
        s.iter()
            .map(|s| format!("s{s}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut have = names(config.voters);
    if config.is_joint() {
        have = t!(
            "{old} -> {new} (joint)",
            old = names(config.outgoing),
            new = have
        );
    }
    Err(t!("s{id}'s configuration is {have}", id = l, have = have))
}

/// Roles and terms of every server: `s1 leader t2, s2 follower t2, s3 crashed`.
pub fn summary(sim: &Sim) -> String {
    sim.servers
        .keys()
        .filter_map(|&id| {
            let role = sim.server_role(id)?;
            Some(if role.is_down() {
                format!("s{id} {role}")
            } else {
                format!("s{id} {role} t{}", sim.servers[&id].node.term())
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn cmp_ok(v: u64, c: Cmp) -> bool {
    match c {
        Cmp::Eq(x) => v == x,
        Cmp::AtLeast(x) => v >= x,
    }
}

fn resolve_seen(sim: &Sim, r: ServerRef) -> Result<ServerId, String> {
    let id = match r {
        ServerRef::Id(id) => id,
        ServerRef::Leader => sim
            .leader()
            .ok_or_else(|| t!("there is no leader ({summary})", summary = summary(sim)))?,
    };
    match sim.server(id) {
        None => Err(t!("s{id} does not exist", id = id)),
        Some(_) => Ok(id),
    }
}

fn visible(sim: &Sim, r: ServerRef) -> Result<ServerId, String> {
    let id = resolve_seen(sim, r)?;
    if sim.servers[&id].removed() {
        return Err(t!("s{id} was removed", id = id));
    }
    Ok(id)
}

fn fmt_log(terms: &[Option<Term>]) -> String {
    if terms.is_empty() {
        return t!("an empty log").into();
    }
    terms
        .iter()
        .map(|t| t.map_or("_".to_string(), |t| t.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does the condition hold now? Err describes what was found instead.
pub fn eval(sim: &Sim, cond: &Condition) -> Result<(), String> {
    match cond {
        Condition::Violation(p) => match &sim.violation {
            Some(v) if v.property == *p => Ok(()),
            Some(v) => Err(t!(
                "the checker recorded a violation of {property}",
                property = v.property.label()
            )),
            None => Err(t!("no safety violation").to_string()),
        },
        Condition::Leader(LeaderCond::Server(id)) => {
            if sim.is_effective_leader(*id) {
                Ok(())
            } else {
                Err(match sim.leader() {
                    Some(l) => t!(
                        "s{id} leads term {term} ({summary})",
                        id = l,
                        term = sim.servers[&l].node.term(),
                        summary = summary(sim)
                    ),
                    None => t!("no leader ({summary})", summary = summary(sim)),
                })
            }
        }
        Condition::Leader(LeaderCond::Any) => match sim.leader() {
            Some(_) => Ok(()),
            None => Err(t!("no leader ({summary})", summary = summary(sim))),
        },
        Condition::Leader(LeaderCond::None) => match sim.leader() {
            None => Ok(()),
            Some(l) => Err(t!(
                "s{id} leads term {term}",
                id = l,
                term = sim.servers[&l].node.term()
            )),
        },
        Condition::Role(r, role) => {
            let id = resolve_seen(sim, *r)?;
            let got = sim.role_name(id).unwrap_or("?");
            if got == role.as_str() {
                Ok(())
            } else {
                Err(t!(
                    "s{id} is {role} in term {term}",
                    id = id,
                    role = got,
                    term = sim.servers[&id].node.term()
                ))
            }
        }
        Condition::Term(r, c) => {
            let id = visible(sim, *r)?;
            let t = sim.servers[&id].node.term();
            if cmp_ok(t, *c) {
                Ok(())
            } else {
                Err(t!("s{id} is in term {term}", id = id, term = t))
            }
        }
        Condition::Sent(kind, r, c) => {
            let id = resolve_seen(sim, *r)?;
            let n = sim.network.sent_count(kind, Some(id));
            if cmp_ok(n, *c) {
                Ok(())
            } else {
                Err(t!(
                    "{n} {kind} messages were sent to s{id}",
                    n = n,
                    kind = crate::scenario::parse::kind_word(kind),
                    id = id
                ))
            }
        }
        Condition::Commit(r, c) => {
            let id = visible(sim, *r)?;
            let ci = sim.servers[&id].node.commit();
            if cmp_ok(ci, *c) {
                Ok(())
            } else {
                Err(t!("s{id}'s commit index is {index}", id = id, index = ci))
            }
        }
        Condition::Log(r, want) => {
            let id = visible(sim, *r)?;
            let log = sim.servers[&id].node.log();
            let have: Vec<Option<Term>> = (1..=log.last_index()).map(|i| log.term(i)).collect();
            let ok = have.len() == want.len()
                && have.iter().zip(want).all(|(h, w)| match w {
                    None => true,
                    Some(t) => *h == Some(*t),
                });
            if ok {
                Ok(())
            } else {
                let snap = log.snapshot().index;
                Err(if snap > 0 {
                    t!(
                        "s{id}'s log is {log} (entries up to {snap} are in a snapshot)",
                        id = id,
                        log = fmt_log(&have),
                        snap = snap
                    )
                } else {
                    t!("s{id}'s log is {log}", id = id, log = fmt_log(&have))
                })
            }
        }
        Condition::Value(r, key, want) => {
            let id = visible(sim, *r)?;
            let got = sim.servers[&id].node.kv().get(key);
            if got == want.as_ref() {
                Ok(())
            } else {
                Err(match got {
                    Some(v) => t!("{key} is {value} at s{id}", key = key, value = v, id = id),
                    None => t!("{key} is unset at s{id}", key = key, id = id),
                })
            }
        }
        Condition::Read(key, want) => match sim.client.last_read.get(key) {
            None => Err(t!("no get {key} has completed yet", key = key)),
            Some(got) if got == want => Ok(()),
            Some(Some(v)) => Err(t!(
                "the last get {key} returned {value}",
                key = key,
                value = v
            )),
            Some(None) => Err(t!("the last get {key} returned none", key = key)),
        },
        Condition::Members(want) => members(sim, &[], want),
        Condition::MembersJoint(old, new) => members(sim, old, new),
    }
}

#[cfg(test)]
mod expected_violations {
    use super::*;

    #[test]
    fn an_expected_violation_passes_another_fails_and_the_bug_is_off_after() {
        let tour = include_str!("../../tours/10-joint-consensus.raft");
        let run = |text: &str| {
            Runner::new(crate::scenario::parse(text).unwrap())
                .unwrap()
                .run_to_end()
        };
        assert_eq!(run(tour), Outcome::Pass);
        assert!(!crate::raft::bugs::active(Bug::DirectConfigSwitch));
        let other = tour.replace("violation election-safety", "violation log-matching");
        match run(&other) {
            Outcome::Fail { message, .. } => {
                assert!(message.contains("election safety"), "{message}")
            }
            o => panic!("{o:?}"),
        }
        // Without the bug line, the direct switch does not happen: no violation.
        let safe = tour.replace("bug direct-config-switch\n", "");
        assert!(matches!(run(&safe), Outcome::Fail { .. }));
    }
}

#[cfg(test)]
mod in_chinese {
    use super::*;

    #[test]
    fn a_failed_expect_reads_in_chinese_and_in_english_as_before() {
        use crate::text::{set_lang, Lang};
        let run = |text: &str| {
            Runner::new(crate::scenario::parse(text).unwrap())
                .unwrap()
                .run_to_end()
        };
        let text = "cluster 3\nexpect leader any\n";
        crate::text::load_zh_from_sources();
        set_lang(Lang::Zh);
        let zh = run(text);
        let zh_within = run("cluster 3\nrun until term s1 9 within 1s\n");
        set_lang(Lang::En);
        let en = run(text);
        let summary = "s1 follower t0, s2 follower t0, s3 follower t0";
        assert_eq!(
            zh,
            Outcome::Fail {
                line: 2,
                message: format!("期望 leader any，实际：没有领导者（{summary}）"),
            }
        );
        assert_eq!(
            en,
            Outcome::Fail {
                line: 2,
                message: format!("expected leader any, found no leader ({summary})"),
            }
        );
        match zh_within {
            Outcome::Fail { line: 2, message } => assert!(
                message.starts_with("期望在 1s 内满足 term s1 9，实际：s1 处于任期 "),
                "{message}"
            ),
            o => panic!("{o:?}"),
        }
    }
}

#[cfg(test)]
mod captions {
    use super::*;
    use crate::text::{set_lang, Lang};

    /// The captions a runner shows, stopping at each pause, in the language set now.
    fn captions(text: &str) -> Vec<Vec<String>> {
        let mut r = Runner::new(crate::scenario::parse(text).unwrap()).unwrap();
        r.script.stop_at_pauses = true;
        let mut steps = Vec::new();
        loop {
            match r.advance(Micros::MAX) {
                Stop::Paused(_) => {
                    steps.push(r.script.step_captions.clone());
                    r.resume();
                }
                Stop::Done(o) => {
                    assert_eq!(o, Outcome::Pass);
                    steps.push(r.script.step_captions.clone());
                    return steps;
                }
                Stop::Limit => {}
            }
        }
    }

    #[test]
    fn the_caption_is_the_one_of_the_page_language() {
        let text = "cluster 3\nsay \"Three followers\"\nsay zh \"三个跟随者\"\npause\n\
                    run 1s\nsay \"A leader\"\nsay zh \"一个领导者\"\nsay \"English only\"\n";
        set_lang(Lang::Zh);
        let zh = captions(text);
        let mut r = Runner::new(crate::scenario::parse(text).unwrap()).unwrap();
        r.run_to_end();
        let last_zh = r.script.caption.clone();
        set_lang(Lang::En);
        assert_eq!(
            zh,
            vec![
                vec!["三个跟随者".to_string()],
                vec!["一个领导者".into(), "English only".into()]
            ],
            "a caption without Chinese shows in English"
        );
        assert_eq!(last_zh, Some((8, "English only".to_string())));
        assert_eq!(
            captions(text),
            vec![
                vec!["Three followers".to_string()],
                vec!["A leader".into(), "English only".into()]
            ]
        );
        let mut r = Runner::new(crate::scenario::parse(text).unwrap()).unwrap();
        r.advance(500_000);
        assert_eq!(r.script.caption, Some((2, "Three followers".to_string())));
    }

    #[test]
    fn every_tour_caption_has_its_chinese() {
        let tour = include_str!("../../tours/01-election.raft");
        set_lang(Lang::Zh);
        let zh = captions(tour);
        set_lang(Lang::En);
        let en = captions(tour);
        assert_eq!(zh.len(), en.len());
        for (z, e) in zh.iter().flatten().zip(en.iter().flatten()) {
            assert_ne!(z, e);
            assert!(
                z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{z}"
            );
        }
    }
}
