//! The page's state: the `Session` (the model) plus what only the page needs (playback,
//! speed, selection, errors). Every change goes through `AppState::reduce`; components
//! draw from `view` (a `ClusterView`) and a few derived, cheap-to-compare pieces.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::app::options::{Controls, View};
use crate::app::session::{ScenarioState, Session};
use crate::raft::{ServerId, Term};
use crate::scenario::run::Check;
use crate::scenario::Outcome;
use crate::sim::cluster::Setup;
use crate::sim::command::Command;
use crate::sim::feed::FeedItem;
use crate::sim::{ClusterView, Micros};

/// Slowest and fastest playback speeds (virtual time per wall time).
pub const SPEED_MIN: f64 = 0.001;
pub const SPEED_MAX: f64 = 10.0;
/// Default speed: a message crossing (5–15 ms) takes a visible ~0.2 s.
pub const SPEED_DEFAULT: f64 = 0.05;
/// A frame never advances the simulation by more than this much wall time (a tab that
/// was in the background, a slow frame).
pub const MAX_FRAME_MS: f64 = 100.0;
/// Feed items shown.
pub const FEED_SHOWN: usize = 80;

/// How the page starts (the URL parameters and `mount()` options of later issues fill it).
#[derive(Clone, Debug, PartialEq)]
pub struct StartConfig {
    pub servers: u8,
    pub seed: u64,
    pub speed: f64,
    pub autoplay: bool,
    /// A scenario to load instead of a fresh cluster.
    pub scenario: Option<String>,
    /// Listen to keyboard shortcuts on the whole document (one instance per page should).
    pub keyboard: bool,
    /// The whole set-up (settings too) from URL parameters / `mount()` options; when set it
    /// is used instead of `servers` and `seed`.
    pub setup: Option<Setup>,
    /// Which controls are shown (`controls=none|minimal|full`).
    pub controls: Controls,
    /// `view=cluster|elections`.
    pub view: View,
    /// A scenario to fetch (a path relative to the page) and then play.
    pub scenario_path: Option<String>,
    /// Stop playing when the loaded scenario ends (a shared run replays to its moment).
    pub stop_at_end: bool,
    /// Parameters that could not be used (shown in a banner; the defaults are kept).
    pub param_errors: Vec<String>,
    /// Lets a JavaScript `Handle` reach this instance (see `embed.rs`).
    pub bridge: Option<Bridge>,
}

/// The link between a `mount()` handle and the `App` it mounted: the App fills it in on
/// its first render. One per instance (no global state).
#[derive(Clone, Default)]
pub struct Bridge(pub Rc<RefCell<BridgeInner>>);

#[derive(Default)]
pub struct BridgeInner {
    pub dispatch: Option<yew::functional::UseReducerDispatcher<AppState>>,
    pub session: Option<Rc<RefCell<Session>>>,
    /// Actions asked for before the App rendered.
    pub pending: Vec<Action>,
}

impl Bridge {
    /// Dispatches now, or as soon as the App has rendered.
    pub fn send(&self, a: Action) {
        let mut b = self.0.borrow_mut();
        match &b.dispatch {
            Some(d) => {
                let d = d.clone();
                drop(b);
                d.dispatch(a);
            }
            None => b.pending.push(a),
        }
    }
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bridge")
    }
}

impl Default for StartConfig {
    fn default() -> Self {
        StartConfig {
            servers: 5,
            seed: 1,
            speed: SPEED_DEFAULT,
            autoplay: true,
            scenario: None,
            keyboard: true,
            setup: None,
            controls: Controls::Full,
            view: View::Cluster,
            scenario_path: None,
            stop_at_end: false,
            param_errors: Vec::new(),
            bridge: None,
        }
    }
}

/// One band of the timeline: a term, from the moment some server reached it.
#[derive(Clone, Debug, PartialEq)]
pub struct TermMark {
    pub start_us: Micros,
    pub term: Term,
    /// Who was elected leader of this term, and when it was first seen.
    pub leader: Option<(ServerId, Micros)>,
}

/// What the page shows about a scenario being played.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioInfo {
    pub caption: Option<String>,
    pub checks: Vec<Check>,
    pub state: Option<ScenarioState>,
    pub line: Option<usize>,
    pub lines: usize,
    /// Pauses reached so far (Back goes to the one before).
    pub pauses: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Network,
    Timing,
    Cluster,
    Scenario,
    Tours,
}

pub enum Action {
    /// An animation frame: this much wall time (ms) has passed since the last one.
    Tick(f64),
    Play,
    Pause,
    TogglePlay,
    /// Every event of the next instant (pauses first).
    Step,
    SetSpeed(f64),
    SetHidden(bool),
    /// A user's command on the live cluster.
    Cmd(Command),
    Select(Option<ServerId>),
    SelectMsg(Option<u64>),
    TravelTo(Micros),
    /// Seek relative to the moment shown (negative = back).
    TravelBy(i64),
    ReturnToPresent,
    ResumeFromHere,
    NewCluster {
        servers: u8,
        seed: u64,
    },
    LoadScenario(String),
    /// Continue a scenario stopped at a `pause`.
    Next,
    /// Back to the previous `pause` of the scenario (replayed from its start).
    Back,
    /// Load a scenario fetched or given at start; a parse error is shown as `error`
    /// prefixed with the parameter's name.
    LoadFrom {
        text: String,
        param: String,
    },
    /// Just recompute the view (after a handle changed the session directly).
    Refresh,
    DismissError,
    /// Show a message as if a command had been refused.
    Error(String),
    Help(Option<bool>),
    SetTab(Tab),
    /// A key pressed outside of form fields.
    Key {
        key: String,
        shift: bool,
    },
}

#[derive(Clone)]
pub struct AppState {
    pub session: Rc<RefCell<Session>>,
    pub view: Rc<ClusterView>,
    pub feed: Rc<Vec<FeedItem>>,
    feed_seq: u64,
    pub live_now: Micros,
    pub travelling: bool,
    pub playing: bool,
    pub speed: f64,
    carry_us: f64,
    pub hidden: bool,
    pub selected: Option<ServerId>,
    pub selected_msg: Option<u64>,
    /// The last refused command's reason.
    pub error: Option<String>,
    pub help: bool,
    pub tab: Tab,
    pub terms: Rc<Vec<TermMark>>,
    pub scenario: Option<Rc<ScenarioInfo>>,
    /// `line:col: error: ...` of the last scenario that did not load.
    pub scenario_error: Option<String>,
    /// Counts loads and new clusters (forms reset on it).
    pub generation: u32,
    /// Stop playing when the scenario being played is done (a shared run).
    pub stop_at_end: bool,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
            && self.playing == other.playing
            && self.speed == other.speed
            && self.hidden == other.hidden
            && self.selected == other.selected
            && self.selected_msg == other.selected_msg
            && self.error == other.error
            && self.help == other.help
            && self.tab == other.tab
            && self.scenario_error == other.scenario_error
    }
}

impl AppState {
    pub fn new(cfg: &StartConfig) -> AppState {
        let setup = match &cfg.setup {
            Some(s) => Setup {
                servers: s.servers.clamp(1, 9),
                ..s.clone()
            },
            None => Setup {
                servers: cfg.servers.clamp(1, 9),
                seed: cfg.seed,
                ..Setup::default()
            },
        };
        let mut scenario_error = None;
        let mut error = None;
        let session = match &cfg.scenario {
            Some(text) => match Session::from_scenario(text) {
                Ok(s) => s,
                Err(e) => {
                    scenario_error = Some(e.to_string());
                    error = Some(format!("the scenario did not load: {e}"));
                    Session::new(&setup)
                }
            },
            None => Session::new(&setup),
        };
        let view = Rc::new(session.view());
        let mut st = AppState {
            live_now: session.live_now(),
            session: Rc::new(RefCell::new(session)),
            view,
            feed: Rc::new(Vec::new()),
            feed_seq: u64::MAX,
            travelling: false,
            playing: cfg.autoplay,
            speed: cfg.speed.clamp(SPEED_MIN, SPEED_MAX),
            carry_us: 0.0,
            hidden: false,
            selected: None,
            selected_msg: None,
            error,
            help: false,
            tab: Tab::Network,
            terms: Rc::new(Vec::new()),
            scenario: None,
            scenario_error,
            generation: 0,
            stop_at_end: cfg.stop_at_end && cfg.scenario.is_some(),
        };
        st.refresh();
        st
    }

    /// Should animation frames run?
    pub fn running(&self) -> bool {
        self.playing && !self.hidden && !self.travelling
    }

    /// Recomputes everything derived from the session.
    fn refresh(&mut self) {
        let s = self.session.borrow();
        self.view = Rc::new(s.view());
        self.live_now = s.live_now();
        self.travelling = s.is_travelling();
        let sim = s.sim();
        if sim.feed_seq != self.feed_seq {
            self.feed_seq = sim.feed_seq;
            let mut f = sim.recent_feed(FEED_SHOWN);
            f.reverse();
            self.feed = Rc::new(f);
        }
        let info = s.script().map(|r| ScenarioInfo {
            caption: r.caption.as_ref().map(|c| c.1.clone()),
            checks: r.checks.clone(),
            state: s.scenario_state().cloned(),
            line: r.current_line(),
            lines: r.scenario.lines.len(),
            pauses: s.pauses_reached(),
        });
        match (info, &self.scenario) {
            (Some(i), Some(old)) if **old == i => {}
            (i, _) => self.scenario = i.map(Rc::new),
        }
        drop(s);
        if !self.travelling {
            self.observe_terms();
        }
        if self.view.violation.is_some() {
            self.playing = false;
        }
        match self.scenario.as_ref().and_then(|i| i.state.clone()) {
            Some(ScenarioState::Paused { .. }) => self.playing = false,
            Some(ScenarioState::Done(_)) if self.stop_at_end => {
                self.playing = false;
                self.stop_at_end = false;
            }
            _ => {}
        }
        if let Some(m) = self.selected_msg {
            if !self.view.messages.iter().any(|x| x.id == m) {
                self.selected_msg = None;
            }
        }
    }

    /// Extends the timeline's term bands from the live view.
    fn observe_terms(&mut self) {
        let v = &self.view;
        let term = v
            .servers
            .iter()
            .filter(|s| s.role != "crashed" && s.role != "removed")
            .map(|s| s.term)
            .max()
            .unwrap_or(0);
        let leader = v
            .leader
            .and_then(|l| v.servers.iter().find(|s| s.id == l).map(|s| (l, s.term)));
        let now = v.time_us;
        match self.terms.last() {
            Some(m) if m.term >= term => {
                let elected = leader.filter(|&(_, lt)| lt == m.term && m.leader.is_none());
                if let Some((l, _)) = elected {
                    let mut terms = (*self.terms).clone();
                    terms.last_mut().unwrap().leader = Some((l, now));
                    self.terms = Rc::new(terms);
                }
            }
            _ => {
                let lead = leader.filter(|&(_, lt)| lt == term).map(|(l, _)| (l, now));
                let mut terms = (*self.terms).clone();
                terms.push(TermMark {
                    start_us: now,
                    term,
                    leader: lead,
                });
                self.terms = Rc::new(terms);
            }
        }
    }

    fn command(&mut self, cmd: Command) {
        let r = self.session.borrow_mut().command(cmd);
        match r {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(e.0),
        }
    }

    fn tick(&mut self, wall_ms: f64) {
        if !self.playing || self.travelling {
            return;
        }
        let dt = wall_ms.clamp(0.0, MAX_FRAME_MS) * 1000.0 * self.speed + self.carry_us;
        let whole = dt.floor();
        self.carry_us = dt - whole;
        if whole >= 1.0 {
            let t = self.live_now + whole as Micros;
            self.session.borrow_mut().advance_to(t);
        }
    }

    fn travel_to(&mut self, t: Micros) {
        self.playing = false;
        self.session.borrow_mut().travel_to(t);
    }

    fn reset_session(&mut self, session: Session) {
        *self.session.borrow_mut() = session;
        self.terms = Rc::new(Vec::new());
        self.selected = None;
        self.selected_msg = None;
        self.error = None;
        self.carry_us = 0.0;
        self.feed_seq = u64::MAX;
        self.generation += 1;
    }

    fn key(&mut self, key: &str, shift: bool) {
        let step = if shift { 1_000_000 } else { 100_000 };
        match key {
            " " | "k" if !self.playing && self.scenario_paused() => self.next(),
            " " | "k" => {
                if !self.playing && self.travelling {
                    self.session.borrow_mut().return_to_present();
                    self.travelling = false;
                }
                self.playing = !self.playing;
            }
            "ArrowRight" | "." => {
                if self.travelling {
                    self.travel_by(step);
                } else {
                    self.step();
                }
            }
            "ArrowLeft" | "," => self.travel_by(-step),
            "Home" => self.travel_to(0),
            "End" => self.session.borrow_mut().return_to_present(),
            "+" | "=" => self.speed = (self.speed * 2.0).min(SPEED_MAX),
            "-" | "_" => self.speed = (self.speed / 2.0).max(SPEED_MIN),
            "?" => self.help = !self.help,
            "Escape" => {
                self.help = false;
                self.selected = None;
                self.selected_msg = None;
                self.error = None;
            }
            "n" => self.next(),
            "h" => self.command(Command::Heal),
            "c" | "r" | "t" | "x" => {
                if let Some(id) = self.selected {
                    let cmd = match key {
                        "c" => Command::Crash(id),
                        "r" => Command::Restart(id),
                        "t" => Command::Timeout(id),
                        _ => Command::Compact(id),
                    };
                    self.command(cmd);
                } else {
                    self.error = Some("select a server first (click it)".into());
                }
            }
            "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" => {
                let id: ServerId = key.parse().unwrap_or(0);
                if self.view.servers.iter().any(|s| s.id == id) {
                    self.selected = Some(id);
                }
            }
            _ => {}
        }
    }

    fn travel_by(&mut self, delta: i64) {
        let now = self.view.time_us as i64;
        let t = (now + delta).clamp(0, self.live_now as i64) as Micros;
        self.travel_to(t);
    }

    fn step(&mut self) {
        self.playing = false;
        if self.travelling {
            self.error = Some("you are looking at the past: return to the present to step".into());
            return;
        }
        self.session.borrow_mut().step_instant();
    }

    /// Is a scenario stopped at a `pause` line (waiting for Next)?
    pub fn scenario_paused(&self) -> bool {
        matches!(
            self.scenario.as_ref().and_then(|i| i.state.clone()),
            Some(ScenarioState::Paused { .. })
        )
    }

    fn next(&mut self) {
        if self.scenario_paused() {
            self.session.borrow_mut().next();
            self.playing = true;
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut st = (*self).clone();
        match action {
            Action::Tick(ms) => st.tick(ms),
            Action::Play if st.scenario_paused() => st.next(),
            Action::TogglePlay if !st.playing && st.scenario_paused() => st.next(),
            Action::Play => {
                if st.travelling {
                    st.session.borrow_mut().return_to_present();
                }
                st.playing = true;
            }
            Action::Pause => st.playing = false,
            Action::TogglePlay => {
                if st.playing {
                    st.playing = false;
                } else {
                    if st.travelling {
                        st.session.borrow_mut().return_to_present();
                    }
                    st.playing = true;
                }
            }
            Action::Step => st.step(),
            Action::SetSpeed(s) => st.speed = s.clamp(SPEED_MIN, SPEED_MAX),
            Action::SetHidden(h) => st.hidden = h,
            Action::Cmd(cmd) => {
                let is_msg = matches!(cmd, Command::DropMessage(_) | Command::DuplicateMessage(_));
                st.command(cmd);
                if is_msg {
                    st.selected_msg = None;
                }
            }
            Action::Select(s) => st.selected = s,
            Action::SelectMsg(m) => {
                st.selected_msg = m;
                if m.is_some() {
                    st.playing = false;
                }
            }
            Action::TravelTo(t) => st.travel_to(t),
            Action::TravelBy(d) => st.travel_by(d),
            Action::ReturnToPresent => st.session.borrow_mut().return_to_present(),
            Action::ResumeFromHere => {
                let t = st.view.time_us;
                st.session.borrow_mut().resume_from_here();
                let mut terms: Vec<TermMark> = st
                    .terms
                    .iter()
                    .filter(|m| m.start_us <= t)
                    .cloned()
                    .collect();
                if let Some(m) = terms.last_mut() {
                    if m.leader.is_some_and(|(_, at)| at > t) {
                        m.leader = None;
                    }
                }
                st.terms = Rc::new(terms);
            }
            Action::NewCluster { servers, seed } => {
                let setup = Setup {
                    servers: servers.clamp(1, 9),
                    seed,
                    settings: st.view.settings.clone(),
                    states: Vec::new(),
                };
                st.reset_session(Session::new(&setup));
                st.scenario_error = None;
            }
            Action::LoadScenario(text) => match Session::from_scenario(&text) {
                Ok(s) => {
                    st.reset_session(s);
                    st.scenario_error = None;
                    st.playing = true;
                    // An exported run (see `Session::export`) stops where it was exported.
                    st.stop_at_end = is_export(&text);
                }
                Err(e) => st.scenario_error = Some(e.to_string()),
            },
            Action::Next => st.next(),
            Action::Back => {
                let ok = st.session.borrow_mut().back();
                if ok {
                    st.terms = Rc::new(Vec::new());
                    st.selected = None;
                    st.selected_msg = None;
                    st.error = None;
                    st.carry_us = 0.0;
                    st.feed_seq = u64::MAX;
                    let paused = matches!(
                        st.session.borrow().scenario_state(),
                        Some(ScenarioState::Paused { .. })
                    );
                    st.playing = !paused;
                }
            }
            Action::LoadFrom { text, param } => match Session::from_scenario(&text) {
                Ok(s) => {
                    st.reset_session(s);
                    st.scenario_error = None;
                    st.playing = true;
                }
                Err(e) => {
                    st.error = Some(format!("parameter {param}: the scenario did not load: {e}"));
                    st.scenario_error = Some(e.to_string());
                }
            },
            Action::Refresh => {}
            Action::DismissError => st.error = None,
            Action::Error(e) => st.error = Some(e),
            Action::Help(h) => st.help = h.unwrap_or(!st.help),
            Action::SetTab(t) => st.tab = t,
            Action::Key { key, shift } => st.key(&key, shift),
        }
        st.refresh();
        Rc::new(st)
    }
}

/// Is this scenario text a run exported by the page (it then replays to its moment and
/// stops there)?
pub fn is_export(text: &str) -> bool {
    text.trim_start().starts_with("# exported from raftlab")
}

/// The outcome of a finished scenario, as shown.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Pass => "passed: every expectation held".into(),
        Outcome::Fail { line, message } => format!("failed at line {line}: {message}"),
    }
}
