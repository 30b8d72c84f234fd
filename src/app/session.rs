//! `Session`: the page's model, free of any UI code. It holds the live simulation (or a
//! scenario being played on it), records every input for time travel, and can show any
//! earlier moment, then either return to the present or resume from there (forking a new
//! future).
//!
//! Time passes only through `advance_to` (every event up to an instant) and
//! `step_instant` (every event of the next instant), so inputs always land between
//! instants — exactly where a scenario's `run` lines put them.

use super::challenge::Challenge;
use crate::scenario::ast::Statement;
use crate::scenario::convert::{setup_statements, statement_of};
use crate::scenario::run::BugsOn;
use crate::scenario::{self, print, Outcome, ParseError, Script, Stop};
use crate::sim::cluster::{Setup, Sim};
use crate::sim::command::Command;
use crate::sim::history::{History, Recorded, CHECKPOINT_EVERY};
use crate::sim::time::Micros;
use crate::sim::view::ClusterView;
use crate::sim::SimError;

/// What playing a scenario reports to the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioState {
    Playing,
    /// Stopped at a `pause` line: the page shows Next.
    Paused {
        line: usize,
    },
    Done(Outcome),
}

#[derive(Clone, Debug)]
pub struct Session {
    /// The set-up lines this run started from (for export).
    origin: Vec<Statement>,
    /// The live simulation (the only one: a scenario's script is handed it to drive).
    live: Sim,
    /// The scenario being played on `live`, if any.
    script: Option<Script>,
    /// Every input given to `live`, with its moment, and checkpoints.
    history: History,
    /// While looking at the past: the rebuilt moment.
    past: Option<Sim>,
    scenario_state: Option<ScenarioState>,
    /// The scenario's text (to go back to an earlier pause by replaying it).
    scenario_text: Option<String>,
    /// Pauses reached so far (line numbers), in order.
    pauses: Vec<usize>,
    /// The challenge the loaded file sets (its `goal` lines), checked on the live run.
    challenge: Option<Challenge>,
}

impl Session {
    pub fn new(setup: &Setup) -> Session {
        Session::start(setup_statements(setup), Sim::new(setup), None, None)
    }

    fn start(
        origin: Vec<Statement>,
        live: Sim,
        script: Option<Script>,
        text: Option<String>,
    ) -> Session {
        Session {
            origin,
            history: History::new(live.clone(), CHECKPOINT_EVERY),
            live,
            scenario_state: script.as_ref().map(|_| ScenarioState::Playing),
            challenge: script.as_ref().and_then(|s| Challenge::of(&s.scenario)),
            script,
            past: None,
            scenario_text: text,
            pauses: Vec::new(),
        }
    }

    /// A session playing a scenario (stopping at its pauses).
    pub fn from_scenario(text: &str) -> Result<Session, ParseError> {
        let parsed = scenario::parse(text)?;
        let (mut script, live) = Script::start(parsed).map_err(|(line, message)| ParseError {
            line,
            col: 1,
            message,
        })?;
        script.stop_at_pauses = true;
        let origin = script
            .scenario
            .lines
            .iter()
            .map(|l| l.stmt.clone())
            .filter(|s| {
                matches!(
                    s,
                    Statement::Cluster(_)
                        | Statement::Seed(_)
                        | Statement::Set(_)
                        | Statement::State { .. }
                )
            })
            .collect();
        Ok(Session::start(
            origin,
            live,
            Some(script),
            Some(text.to_string()),
        ))
    }

    /// The simulation shown: the past moment while time travelling, else the live one.
    pub fn sim(&self) -> &Sim {
        self.past.as_ref().unwrap_or(&self.live)
    }

    pub fn view(&self) -> ClusterView {
        self.sim().view()
    }

    pub fn now(&self) -> Micros {
        self.sim().now
    }

    /// The end of the recorded run (the live moment).
    pub fn live_now(&self) -> Micros {
        self.live.now
    }

    pub fn is_travelling(&self) -> bool {
        self.past.is_some()
    }

    /// The scenario being played, if any.
    pub fn script(&self) -> Option<&Script> {
        self.script.as_ref()
    }

    pub fn scenario_state(&self) -> Option<&ScenarioState> {
        self.scenario_state.as_ref()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Does a safety violation stop time? Yes, unless the scenario playing expects it
    /// (a `violation` condition).
    pub fn blocked(&self) -> bool {
        match &self.script {
            Some(script) => script.stopped_by(&self.live),
            None => self.live.violation.is_some(),
        }
    }

    /// The challenge being played (its goals, done or not, and its limits), if any.
    pub fn challenge(&self) -> Option<&Challenge> {
        self.challenge.as_ref()
    }

    /// The challenge's planted bugs, on until the guard is dropped.
    fn bugs_on(&self) -> Option<BugsOn> {
        self.challenge
            .as_ref()
            .filter(|c| !c.bugs.is_empty())
            .map(|c| BugsOn::new(&c.bugs))
    }

    /// Checks the challenge's goals against the live run.
    fn observe_goals(&mut self) {
        if let Some(c) = &mut self.challenge {
            c.observe(&self.live);
        }
    }

    /// Lets virtual time pass up to `t` (live only; ignored while travelling or after a
    /// safety violation that stops time). With a challenge, its goals are checked after
    /// every instant.
    pub fn advance_to(&mut self, t: Micros) {
        if self.past.is_some() || self.blocked() {
            return;
        }
        if self.challenge.is_none() {
            return self.advance_all(t);
        }
        let _bugs = self.bugs_on();
        let scripted = self.scenario_state == Some(ScenarioState::Playing);
        loop {
            self.observe_goals();
            // As without a challenge, time stops where a script pauses or ends.
            if self.blocked() || (scripted && self.scenario_state != Some(ScenarioState::Playing)) {
                return;
            }
            let mut next = self.live.next_event_time();
            if scripted {
                // The lines that take no time first (their commands schedule events).
                self.advance_all(self.live.now);
                self.observe_goals();
                if self.blocked() || self.scenario_state != Some(ScenarioState::Playing) {
                    return;
                }
                next = self.live.next_event_time();
                if let Some(w) = self.script.as_ref().and_then(|s| s.wakes_at()) {
                    next = Some(next.map_or(w, |n| n.min(w)));
                }
            }
            match next {
                Some(next) if next <= t => self.advance_all(next),
                _ => {
                    self.advance_all(t);
                    return self.observe_goals();
                }
            }
        }
    }

    /// `advance_to` without the challenge's goals (not inlined: three callers).
    #[inline(never)]
    fn advance_all(&mut self, t: Micros) {
        match (&mut self.script, &self.scenario_state) {
            (Some(script), Some(ScenarioState::Playing)) => {
                let p = script.advance(&mut self.live, Some(&mut self.history), t);
                self.scenario_state = Some(match p {
                    Stop::Limit => ScenarioState::Playing,
                    Stop::Paused(line) => {
                        self.pauses.push(line);
                        ScenarioState::Paused { line }
                    }
                    Stop::Done(o) => ScenarioState::Done(o),
                });
            }
            (Some(_), Some(ScenarioState::Paused { .. })) => {}
            _ => self.live.run_until(t),
        }
        // Lets the history take a checkpoint if one is due (it copies the sim only then).
        self.history.observe(&self.live);
    }

    /// Handles every event of the next instant (the page's single step).
    pub fn step_instant(&mut self) -> Option<Micros> {
        if self.past.is_some() || self.blocked() {
            return None;
        }
        let t = self.live.next_event_time()?;
        if self.challenge.is_some()
            || (self.script.is_some() && self.scenario_state == Some(ScenarioState::Playing))
        {
            self.advance_to(t);
        } else {
            self.live.run_instant();
            self.history.observe(&self.live);
        }
        Some(t)
    }

    /// Plays a scenario to its end at once, through its pauses (at most `max_stops`
    /// pauses or limits).
    pub fn finish(&mut self, max_stops: usize) {
        for _ in 0..max_stops {
            match self.scenario_state {
                Some(ScenarioState::Playing) => self.advance_to(Micros::MAX),
                Some(ScenarioState::Paused { .. }) => self.next(),
                _ => break,
            }
        }
    }

    /// Continue a scenario stopped at a `pause`.
    pub fn next(&mut self) {
        if let Some(ScenarioState::Paused { .. }) = self.scenario_state {
            if let Some(r) = &mut self.script {
                r.resume();
            }
            self.scenario_state = Some(ScenarioState::Playing);
        }
    }

    /// Back to the previous `pause` of the scenario (or its start): the scenario is played
    /// again from the beginning up to there (it is deterministic), so Next goes on from
    /// that point exactly as the first time. User commands given since are dropped.
    pub fn back(&mut self) -> bool {
        let Some(text) = self.scenario_text.clone() else {
            return false;
        };
        // The pause we are at (if paused) does not count: go to the one before it.
        let mut keep = self.pauses.len();
        if matches!(self.scenario_state, Some(ScenarioState::Paused { .. })) {
            keep = keep.saturating_sub(1);
        }
        let Ok(mut fresh) = Session::from_scenario(&text) else {
            return false;
        };
        // Play (skipping virtual time freely) until the keep-th pause.
        while fresh.pauses.len() < keep {
            match fresh.scenario_state {
                Some(ScenarioState::Playing) => fresh.advance_to(Micros::MAX),
                Some(ScenarioState::Paused { .. }) => fresh.next(),
                _ => break,
            }
        }
        *self = fresh;
        true
    }

    /// Pauses the scenario has reached so far.
    pub fn pauses_reached(&self) -> usize {
        self.pauses.len()
    }

    /// A user's command on the live cluster (refused while looking at the past).
    pub fn command(&mut self, cmd: Command) -> Result<(), SimError> {
        if self.past.is_some() {
            return Err(SimError(
                crate::t!(
                    "you are looking at the past: resume from here or return to the present first"
                )
                .into(),
            ));
        }
        let Some(c) = &mut self.challenge else {
            return self.history.apply(&mut self.live, cmd);
        };
        c.admit(&cmd).map_err(SimError)?;
        let _bugs = self.bugs_on();
        let r = self.history.apply(&mut self.live, cmd.clone());
        match &r {
            Ok(()) => self.observe_goals(),
            Err(_) => {
                if let Some(c) = &mut self.challenge {
                    c.unadmit(&cmd);
                }
            }
        }
        r
    }

    /// Shows the moment `t` (0 ≤ t ≤ the live moment).
    pub fn travel_to(&mut self, t: Micros) {
        let live = self.live_now();
        if t >= live {
            self.past = None;
        } else {
            let _bugs = self.bugs_on();
            self.past = Some(self.history.seek(t));
        }
    }

    /// Back to the live moment.
    pub fn return_to_present(&mut self) {
        self.past = None;
    }

    /// Makes the past moment shown the live one: the old future is discarded, and a
    /// scenario being played stops there.
    pub fn resume_from_here(&mut self) {
        let Some(p) = self.past.take() else { return };
        self.history.truncate(p.now);
        self.script = None;
        self.scenario_state = None;
        self.live = p;
    }

    /// Inputs given so far (scenario's and user's), in order.
    pub fn inputs(&self) -> &[Recorded] {
        &self.history.inputs
    }

    /// The run up to the live moment as a scenario file: its set-up, then every input at
    /// its moment (`run` lines between them). Loaded again, it replays to the same state.
    /// Inputs the format has no words for use raftlab's extensions (`change`, `mend`,
    /// `drop message`, `duplicate message`).
    pub fn export(&self) -> String {
        let mut stmts = self.origin.clone();
        let mut at: Micros = 0;
        for r in &self.history.inputs {
            if r.time_us > at {
                stmts.push(Statement::Run(r.time_us - at));
                at = r.time_us;
            }
            stmts.push(statement_of(&r.command));
        }
        let end = self.live_now();
        if end > at {
            stmts.push(Statement::Run(end - at));
        }
        print::to_text(
            &format!(
                "exported from raftlab at {} of virtual time",
                crate::sim::time::fmt_time(end)
            ),
            &stmts,
        )
    }
}

impl Sim {
    /// A copy for checkpoints (the unbounded trace log is not copied).
    pub fn clone_for_history(&self) -> Sim {
        let mut s = self.clone();
        s.feed_log = None;
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Command;
    use crate::sim::settings::Setting;

    fn views_equal(a: &Sim, b: &Sim) -> bool {
        a.view() == b.view()
    }

    #[test]
    fn travel_back_rebuilds_the_same_moment() {
        let mut s = Session::new(&Setup::default());
        s.advance_to(700_000);
        s.command(Command::Put("x".into(), "1".into())).unwrap();
        s.advance_to(1_300_000);
        let at_1_3 = s.sim().clone();
        let leader = at_1_3.leader().expect("a leader after 1.3 s");
        s.command(Command::Crash(leader)).unwrap();
        s.advance_to(4_200_000);
        let live = s.sim().clone();

        s.travel_to(1_300_000);
        assert!(s.is_travelling());
        assert!(views_equal(s.sim(), &at_1_3), "the past is rebuilt exactly");
        assert!(
            s.command(Command::Heal).is_err(),
            "no commands while travelling"
        );
        s.return_to_present();
        assert!(views_equal(s.sim(), &live));

        // Resume from 1.3 s: the crash never happened in the new future.
        s.travel_to(1_300_000);
        s.resume_from_here();
        s.advance_to(2_000_000);
        assert_ne!(s.sim().role_name(leader), Some("crashed"));
    }

    #[test]
    fn back_returns_to_the_previous_pause() {
        let text = "cluster 3\nseed 5\nsay \"one\"\npause\ntimeout s1\nrun until leader s1 within 1s\nsay \"two\"\npause\nput x 1\nrun until value s2 x 1 within 1s\nsay \"three\"\npause\nrun 1s\n";
        let mut s = Session::from_scenario(text).unwrap();
        let mut at_pause = Vec::new();
        for _ in 0..3 {
            s.advance_to(s.now() + 5_000_000);
            assert!(matches!(
                s.scenario_state(),
                Some(ScenarioState::Paused { .. })
            ));
            at_pause.push((s.now(), s.script().unwrap().caption.clone(), s.sim().view()));
            s.next();
        }
        assert_eq!(s.pauses_reached(), 3);
        // From the third pause (after Next): back to the third... we are playing past it,
        // so Back goes to the third pause itself.
        assert!(s.back());
        assert_eq!(s.pauses_reached(), 3);
        assert_eq!(s.now(), at_pause[2].0);
        assert_eq!(s.sim().view(), at_pause[2].2);
        // Paused at the third: back goes to the second, exactly as it was.
        assert!(s.back());
        assert_eq!(s.scenario_state(), Some(&ScenarioState::Paused { line: 8 }));
        assert_eq!(s.now(), at_pause[1].0);
        assert_eq!(s.script().unwrap().caption, at_pause[1].1);
        assert_eq!(s.sim().view(), at_pause[1].2);
        // And on to the first, then the start.
        assert!(s.back());
        assert_eq!(s.scenario_state(), Some(&ScenarioState::Paused { line: 4 }));
        assert!(s.back());
        assert_eq!(s.pauses_reached(), 0);
        assert_eq!(s.now(), 0);
        assert!(
            !Session::new(&Setup::default()).back(),
            "no scenario: nothing to go back to"
        );
    }

    #[test]
    fn an_exported_run_replays_to_the_identical_state() {
        let mut s = Session::new(&Setup {
            servers: 4,
            seed: 9,
            ..Setup::default()
        });
        s.advance_to(600_000);
        s.command(Command::Put("x".into(), "1".into())).unwrap();
        s.command(Command::Set(Setting::Loss(10.0))).unwrap();
        s.advance_to(900_000);
        let in_flight = *s
            .sim()
            .network
            .in_flight
            .keys()
            .next()
            .expect("messages in flight");
        s.command(Command::DuplicateMessage(in_flight)).unwrap();
        s.command(Command::Cut(1, 2)).unwrap();
        s.advance_to(1_400_000);
        s.command(Command::Mend(1, 2)).unwrap();
        s.command(Command::Partition(vec![vec![1, 3]])).unwrap();
        s.advance_to(2_000_000);
        s.command(Command::Heal).unwrap();
        s.command(Command::Get("x".into())).unwrap();
        s.advance_to(3_000_000);
        let text = s.export();
        let mut again = Session::from_scenario(&text).expect("the export parses");
        again.advance_to(3_000_000);
        assert_eq!(
            again.scenario_state(),
            Some(&ScenarioState::Done(Outcome::Pass))
        );
        assert_eq!(
            again.sim().view(),
            s.sim().view(),
            "identical state:\n{text}"
        );
        // Exporting the replay gives the same file.
        let body = |t: &str| {
            t.lines()
                .filter(|l| !l.starts_with('#'))
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(body(&again.export()), body(&text));
    }

    #[test]
    fn a_scenario_stops_at_pauses_and_records_its_inputs() {
        let text = "cluster 3\nseed 2\ntimeout s1\nrun until leader s1 within 1s\npause\nput x 1\nrun until value s2 x 1 within 1s\n";
        let mut s = Session::from_scenario(text).unwrap();
        s.advance_to(5_000_000);
        assert_eq!(s.scenario_state(), Some(&ScenarioState::Paused { line: 5 }));
        let paused_at = s.now();
        assert!(paused_at < 1_000_000);
        s.next();
        s.advance_to(paused_at + 2_000_000);
        assert_eq!(
            s.scenario_state(),
            Some(&ScenarioState::Done(Outcome::Pass))
        );
        assert_eq!(s.inputs().len(), 2, "timeout and put were recorded");
        // Time travel reproduces the scenario's run.
        let live = s.sim().clone();
        s.travel_to(paused_at + 500_000);
        s.return_to_present();
        assert!(views_equal(s.sim(), &live));
        let past = s.history().seek(live.now);
        assert!(views_equal(&past, &live));
    }
}
