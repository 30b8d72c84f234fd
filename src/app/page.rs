//! The page's state and actions, without Yew: playback (play, pause, step, speed), time
//! travel and resume, a scenario's pause / Next / Back, the partition draft, client
//! requests, selection, errors and the timeline's term bands. Every change is an `Action`
//! given to `PageState::reduce` together with the `Session` it acts on, so the page's
//! logic runs (and is tested) natively; `crate::ui::state` is a thin Yew shim over it.

use std::rc::Rc;

pub use super::action::{Action, Tab};
use super::challenge::{find, Challenge};
use super::explain::{explain, Explanation, Why};
use super::options::{StartConfig, SPEED_MAX, SPEED_MIN, SPEED_PRESENT};
use super::session::{ScenarioState, Session};
use crate::raft::{ServerId, Term};
use crate::scenario::run::Check;
use crate::scenario::Outcome;
use crate::sim::cluster::Setup;
use crate::sim::command::Command;
use crate::sim::feed::FeedItem;
use crate::sim::{ClusterView, Micros};
use crate::t;

/// A frame never advances the simulation by more than this much wall time (a tab that
/// was in the background, a slow frame).
pub const MAX_FRAME_MS: f64 = 100.0;
/// Feed items shown.
pub const FEED_SHOWN: usize = 80;

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
    /// The captions of this step (since the last pause), the latest last: none flashes
    /// by, each stays until the step after the next pause begins.
    pub captions: Vec<String>,
    pub checks: Vec<Check>,
    pub state: Option<ScenarioState>,
    pub line: Option<usize>,
    pub lines: usize,
    /// Pauses reached so far (Back goes to the one before).
    pub pauses: usize,
}

/// What the page shows besides the `Session` (cheap to clone: the big parts are `Rc`s).
#[derive(Clone, Debug)]
pub struct PageState {
    pub view: Rc<ClusterView>,
    pub feed: Rc<Vec<FeedItem>>,
    feed_seq: u64,
    pub live_now: Micros,
    pub travelling: bool,
    /// A safety violation stops time (not one the playing scenario expects: a tour may
    /// show a violation and go on).
    pub blocked: bool,
    pub playing: bool,
    pub speed: f64,
    carry_us: f64,
    pub hidden: bool,
    pub selected: Option<ServerId>,
    pub selected_msg: Option<u64>,
    /// The message under the pointer (highlighted on the ring and the diagram).
    pub hovered_msg: Option<u64>,
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
    /// The partition being drafted: the group (0 = A, 1 = B, 2 = C) of servers moved.
    pub partition_draft: Rc<Vec<(ServerId, u8)>>,
    /// What the "why?" panel explains, and its answer for the moment shown.
    pub why_target: Option<Why>,
    pub why: Option<Rc<Explanation>>,
    /// Presentation mode: big labels, one compact bar, a slower speed.
    pub present: bool,
    /// The speed before presentation mode was switched on (restored when it is off).
    speed_before_present: Option<f64>,
    /// The challenge being played: its goals (done or not) and limits.
    pub challenge: Option<Rc<Challenge>>,
    /// The bundled challenge loaded (its name), if the run is one.
    pub challenge_id: Option<&'static str>,
    /// What the challenge loaded is about (its file's comments).
    pub challenge_blurb: Rc<str>,
    /// Kinds of command the challenge refuses now, and why (for the buttons).
    pub refused: Rc<Vec<(&'static str, String)>>,
}

impl PartialEq for PageState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
            && self.playing == other.playing
            && self.speed == other.speed
            && self.hidden == other.hidden
            && self.selected == other.selected
            && self.selected_msg == other.selected_msg
            && self.hovered_msg == other.hovered_msg
            && self.error == other.error
            && self.help == other.help
            && self.tab == other.tab
            && self.scenario_error == other.scenario_error
            && self.partition_draft == other.partition_draft
            && self.why_target == other.why_target
            && self.present == other.present
            && self.challenge == other.challenge
            && self.challenge_id == other.challenge_id
    }
}

impl PageState {
    /// The page as `cfg` starts it, and the session it shows.
    pub fn new(cfg: &StartConfig) -> (PageState, Session) {
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
        // A challenge's file is fetched, then loaded by `Action::LoadChallenge`.
        let challenge = cfg.challenge.and_then(|id| find(id).ok());
        let session = match &cfg.scenario {
            Some(text) => match Session::from_scenario(text) {
                Ok(s) => s,
                Err(e) => {
                    scenario_error = Some(e.to_string());
                    error = Some(t!("the scenario did not load: {error}", error = e));
                    Session::new(&setup)
                }
            },
            None => Session::new(&setup),
        };
        let mut st = PageState {
            live_now: session.live_now(),
            view: Rc::new(session.view()),
            feed: Rc::new(Vec::new()),
            feed_seq: u64::MAX,
            travelling: false,
            blocked: false,
            playing: cfg.autoplay,
            speed: cfg.speed.clamp(SPEED_MIN, SPEED_MAX),
            carry_us: 0.0,
            hidden: false,
            selected: None,
            selected_msg: None,
            hovered_msg: None,
            error,
            help: false,
            tab: if challenge.is_some() {
                Tab::Challenges
            } else {
                Tab::Network
            },
            terms: Rc::new(Vec::new()),
            scenario: None,
            scenario_error,
            generation: 0,
            stop_at_end: cfg.stop_at_end && cfg.scenario.is_some(),
            partition_draft: Rc::new(Vec::new()),
            why_target: None,
            why: None,
            present: cfg.present,
            speed_before_present: None,
            challenge: None,
            challenge_id: challenge.map(|c| c.id),
            challenge_blurb: Rc::from(""),
            refused: Rc::new(Vec::new()),
        };
        st.refresh(&session);
        (st, session)
    }

    /// Should animation frames run?
    pub fn running(&self) -> bool {
        self.playing && !self.hidden && !self.travelling
    }

    /// Is a scenario stopped at a `pause` line (waiting for Next)?
    pub fn scenario_paused(&self) -> bool {
        matches!(
            self.scenario.as_ref().and_then(|i| i.state.clone()),
            Some(ScenarioState::Paused { .. })
        )
    }

    /// The group (0 = A, 1 = B, 2 = C) of `server` in the partition being drafted.
    pub fn draft_group(&self, server: ServerId) -> u8 {
        self.partition_draft
            .iter()
            .find(|(x, _)| *x == server)
            .map_or(0, |x| x.1)
    }

    /// Carries out `action` on `session` and the page: the one way the page changes.
    pub fn reduce(&mut self, session: &mut Session, action: Action) {
        match action {
            Action::Tick(ms) => self.tick(session, ms),
            Action::Play if self.scenario_paused() => self.next(session),
            Action::TogglePlay if !self.playing && self.scenario_paused() => self.next(session),
            Action::Play => self.play(session),
            Action::Pause => self.playing = false,
            Action::TogglePlay if self.playing => self.playing = false,
            Action::TogglePlay => self.play(session),
            Action::Step => self.step(session),
            Action::SetSpeed(s) => self.speed = s.clamp(SPEED_MIN, SPEED_MAX),
            Action::SetHidden(h) => self.hidden = h,
            Action::Cmd(cmd) => {
                let is_msg = matches!(cmd, Command::DropMessage(_) | Command::DuplicateMessage(_));
                self.command(session, cmd);
                if is_msg {
                    self.selected_msg = None;
                }
            }
            Action::Select(s) => self.selected = s,
            Action::SelectMsg(m) => {
                self.selected_msg = m;
                if let Some(id) = m {
                    self.playing = false;
                    self.why_target = Some(Why::Msg(id));
                } else if matches!(self.why_target, Some(Why::Msg(_))) {
                    self.why_target = None;
                }
            }
            Action::HoverMsg(m) => self.hovered_msg = m,
            Action::Why(w) => self.why_target = w,
            Action::TravelTo(t) => self.travel_to(session, t),
            Action::TravelBy(d) => self.travel_by(session, d),
            Action::ReturnToPresent => session.return_to_present(),
            Action::ResumeFromHere => self.resume_from_here(session),
            Action::NewCluster { servers, seed } => {
                let setup = Setup {
                    servers: servers.clamp(1, 9),
                    seed,
                    settings: self.view.settings.clone(),
                    states: Vec::new(),
                };
                self.reset_session(session, Session::new(&setup));
                self.scenario_error = None;
            }
            Action::LoadChallenge(id, text) => match Session::from_scenario(&text) {
                Ok(s) => {
                    self.reset_session(session, s);
                    self.scenario_error = None;
                    self.challenge_id = Some(id);
                    self.challenge_blurb = Rc::from(super::challenge::blurb(&text));
                    // Playing or paused as before (`?challenge=...&autoplay=0` waits).
                    self.stop_at_end = false;
                }
                Err(e) => self.error = Some(t!("challenge {id}: {error}", id = id, error = e)),
            },
            Action::LoadScenario(text) => match Session::from_scenario(&text) {
                Ok(s) => {
                    self.reset_session(session, s);
                    self.scenario_error = None;
                    self.playing = true;
                    // An exported run (see `Session::export`) stops where it was exported.
                    self.stop_at_end = is_export(&text);
                }
                Err(e) => self.scenario_error = Some(e.to_string()),
            },
            Action::Next => self.next(session),
            Action::Back => {
                if session.back() {
                    self.forget_run();
                    let paused =
                        matches!(session.scenario_state(), Some(ScenarioState::Paused { .. }));
                    self.playing = !paused;
                }
            }
            Action::LoadFrom { text, param } => match Session::from_scenario(&text) {
                Ok(s) => {
                    self.reset_session(session, s);
                    self.scenario_error = None;
                    self.playing = true;
                }
                Err(e) => {
                    self.error = Some(t!(
                        "parameter {param}: the scenario did not load: {error}",
                        param = param,
                        error = e
                    ));
                    self.scenario_error = Some(e.to_string());
                }
            },
            Action::Refresh => {}
            Action::Finish => {
                session.finish(10_000);
                self.playing = false;
            }
            Action::DismissError => self.error = None,
            Action::Error(e) => self.error = Some(e),
            Action::Help(h) => self.help = h.unwrap_or(!self.help),
            Action::SetPresent(on) => self.set_present(on.unwrap_or(!self.present)),
            Action::SetTab(t) => self.tab = t,
            Action::Key { key, shift } => self.key(session, &key, shift),
            Action::CycleGroup(server) => {
                let mut draft = (*self.partition_draft).clone();
                match draft.iter_mut().find(|(x, _)| *x == server) {
                    Some(e) => e.1 = (e.1 + 1) % 3,
                    None => draft.push((server, 1)),
                }
                self.partition_draft = Rc::new(draft);
            }
            Action::ApplyPartition(servers) => match self.drafted_groups(&servers) {
                Some(groups) => self.command(session, Command::Partition(groups)),
                None => {
                    self.error = Some(
                        t!("put the servers in at least two groups (click a server to change its group)")
                            .into(),
                    )
                }
            },
            Action::HealNetwork => {
                self.partition_draft = Rc::new(Vec::new());
                self.command(session, Command::Heal);
            }
            Action::Put { key, value } => match put_command(&key, &value) {
                Ok(cmd) => self.command(session, cmd),
                Err(e) => self.error = Some(e),
            },
            Action::Get(key) => {
                let k = key.trim();
                if !k.is_empty() {
                    self.command(session, Command::Get(k.to_string()));
                }
            }
            Action::ChangeMembers(ids) => {
                match change_members_refusal(&self.view, self.travelling, &ids) {
                    Some(e) => self.error = Some(e),
                    None => self.command(session, Command::ChangeMembers(ids)),
                }
            }
            Action::AddLearner(id) => match membership_refusal(&self.view, self.travelling) {
                Some(e) => self.error = Some(e),
                None => self.command(session, Command::AddLearner(id)),
            },
            Action::Promote(id) => match promote_refusal(&self.view, self.travelling, id) {
                Some(e) => self.error = Some(e),
                None => self.command(session, Command::Promote(id)),
            },
            Action::SetDrift { server, rate } => match drift_rate(&rate) {
                Ok(r) => self.command(
                    session,
                    Command::Set(crate::sim::settings::Setting::Drift(server, r)),
                ),
                Err(e) => self.error = Some(e),
            },
        }
        self.refresh(session);
    }

    /// The drafted partition of `servers` (in their order), if it has two groups or more.
    fn drafted_groups(&self, servers: &[ServerId]) -> Option<Vec<Vec<ServerId>>> {
        let mut groups: Vec<Vec<ServerId>> = vec![Vec::new(); 3];
        for &s in servers {
            groups[self.draft_group(s) as usize].push(s);
        }
        groups.retain(|g| !g.is_empty());
        (groups.len() >= 2).then_some(groups)
    }

    /// Recomputes everything derived from the session.
    fn refresh(&mut self, s: &Session) {
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
            captions: r.step_captions.clone(),
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
        if !self.travelling {
            self.observe_terms();
        }
        self.blocked = s.blocked();
        if self.blocked {
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
                if self.why_target == Some(Why::Msg(m)) {
                    self.why_target = None;
                }
            }
        }
        match (s.challenge(), &self.challenge) {
            (Some(c), Some(old)) if **old == *c => {}
            (c, _) => {
                self.refused = Rc::new(c.map(|c| c.refusals()).unwrap_or_default());
                self.challenge = c.cloned().map(Rc::new);
            }
        }
        self.why = self
            .why_target
            .map(|w| Rc::new(explain(w, &self.view, s.sim())));
    }
    /// Extends the timeline's term bands from the live view.
    fn observe_terms(&mut self) {
        let v = &self.view;
        let term = v
            .servers
            .iter()
            .filter(|s| !s.role.is_down())
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

    fn command(&mut self, session: &mut Session, cmd: Command) {
        match session.command(cmd) {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(e.0),
        }
    }

    fn tick(&mut self, session: &mut Session, wall_ms: f64) {
        if !self.playing || self.travelling {
            return;
        }
        let dt = wall_ms.clamp(0.0, MAX_FRAME_MS) * 1000.0 * self.speed + self.carry_us;
        let whole = dt.floor();
        self.carry_us = dt - whole;
        if whole >= 1.0 {
            let t = self.live_now + whole as Micros;
            session.advance_to(t);
        }
    }

    fn travel_to(&mut self, session: &mut Session, t: Micros) {
        self.playing = false;
        session.travel_to(t);
    }

    fn play(&mut self, session: &mut Session) {
        if self.travelling {
            session.return_to_present();
        }
        self.playing = true;
    }

    /// Makes the moment shown the live one; the term bands after it are forgotten.
    fn resume_from_here(&mut self, session: &mut Session) {
        let t = self.view.time_us;
        session.resume_from_here();
        let mut terms: Vec<TermMark> = self
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
        self.terms = Rc::new(terms);
    }

    /// A new session replaces `session` (forms reset on the new generation).
    fn reset_session(&mut self, session: &mut Session, new: Session) {
        *session = new;
        self.forget_run();
        self.challenge_id = None;
        self.generation += 1;
    }

    /// Forgets what the page knew of the run shown (another one starts).
    fn forget_run(&mut self) {
        self.terms = Rc::new(Vec::new());
        self.selected = None;
        self.selected_msg = None;
        self.why_target = None;
        self.error = None;
        self.carry_us = 0.0;
        self.feed_seq = u64::MAX;
    }

    fn key(&mut self, session: &mut Session, key: &str, shift: bool) {
        // The help is a modal dialog: only its own keys work while it is open.
        if self.help && !matches!(key, "Escape" | "?") {
            return;
        }
        let step = if shift { 1_000_000 } else { 100_000 };
        match key {
            " " | "k" if !self.playing && self.scenario_paused() => self.next(session),
            " " | "k" => {
                if !self.playing && self.travelling {
                    session.return_to_present();
                    self.travelling = false;
                }
                self.playing = !self.playing;
            }
            "ArrowRight" | "." => {
                if self.travelling {
                    self.travel_by(session, step);
                } else {
                    self.step(session);
                }
            }
            "ArrowLeft" | "," => self.travel_by(session, -step),
            "Home" => self.travel_to(session, 0),
            "End" => session.return_to_present(),
            "+" | "=" => self.speed = (self.speed * 2.0).min(SPEED_MAX),
            "-" | "_" => self.speed = (self.speed / 2.0).max(SPEED_MIN),
            "?" => self.help = !self.help,
            "p" => self.set_present(!self.present),
            "Escape" => {
                self.help = false;
                self.selected = None;
                self.selected_msg = None;
                self.error = None;
                self.why_target = None;
            }
            "n" => self.next(session),
            "h" => self.command(session, Command::Heal),
            "c" | "r" | "t" | "x" => {
                if let Some(id) = self.selected {
                    let cmd = match key {
                        "c" => Command::Crash(id),
                        "r" => Command::Restart(id),
                        "t" => Command::Timeout(id),
                        _ => Command::Compact(id),
                    };
                    self.command(session, cmd);
                } else {
                    self.error = Some(t!("select a server first (click it)").into());
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

    /// Presentation mode on (the speed slows to 1/50, unless already slower) or off (the
    /// speed from before comes back, unless changed meanwhile to something else).
    fn set_present(&mut self, on: bool) {
        if on == self.present {
            return;
        }
        self.present = on;
        if on {
            if self.speed > SPEED_PRESENT {
                self.speed_before_present = Some(self.speed);
                self.speed = SPEED_PRESENT;
            }
        } else if let Some(s) = self.speed_before_present.take() {
            if self.speed == SPEED_PRESENT {
                self.speed = s;
            }
        }
    }

    fn travel_by(&mut self, session: &mut Session, delta: i64) {
        let now = self.view.time_us as i64;
        let t = (now + delta).clamp(0, self.live_now as i64) as Micros;
        self.travel_to(session, t);
    }

    fn step(&mut self, session: &mut Session) {
        self.playing = false;
        if self.travelling {
            self.error =
                Some(t!("you are looking at the past: return to the present to step").into());
            return;
        }
        session.step_instant();
    }

    fn next(&mut self, session: &mut Session) {
        if self.scenario_paused() {
            session.next();
            self.playing = true;
        }
    }
}

/// Why no membership change can start now (None: one can): looking at the past, no
/// leader, or a change still under way (the client's request, a joint configuration, a
/// configuration not committed yet). The cluster panel shows it on its disabled buttons.
pub fn membership_refusal(v: &ClusterView, travelling: bool) -> Option<String> {
    if travelling {
        return Some(t!("you are looking at the past: return to the present first").into());
    }
    if let Some(op) = &v.client.membership_op {
        return Some(t!(
            "the client's “{op}” is still under way: one change at a time",
            op = op
        ));
    }
    if v.leader.is_none() {
        return Some(
            t!("there is no leader: a change goes through the leader's log (wait for an election)")
                .into(),
        );
    }
    let m = v.membership()?;
    if m.joint() {
        return Some(t!(
            "s{server} is in C_old,new: wait until it has committed C_new",
            server = m.from
        ));
    }
    if !m.committed {
        return Some(t!(
            "the configuration at index {index} is not committed yet",
            index = m.index
        ));
    }
    None
}

/// Why a joint change to `ids` is refused (None: it can start).
pub fn change_members_refusal(
    v: &ClusterView,
    travelling: bool,
    ids: &[ServerId],
) -> Option<String> {
    if ids.is_empty() {
        return Some(t!("pick at least one server for the new configuration").into());
    }
    if let Some(e) = membership_refusal(v, travelling) {
        return Some(e);
    }
    let m = v.membership()?;
    let mut want = ids.to_vec();
    want.sort_unstable();
    want.dedup();
    if want == m.new {
        return Some(
            t!("that is the configuration already: pick a different set of voters").into(),
        );
    }
    None
}

/// Why promoting `id` is refused (None: it can start).
pub fn promote_refusal(v: &ClusterView, travelling: bool, id: ServerId) -> Option<String> {
    if let Some(e) = membership_refusal(v, travelling) {
        return Some(e);
    }
    let m = v.membership()?;
    if !m.learners.contains(&id) {
        return Some(t!(
            "s{id} is not a learner: only a learner can be promoted",
            id = id
        ));
    }
    None
}

/// A clock rate as typed (`1.5`, `0.9`, `2`) in thousandths, within 0.1..10.
pub fn drift_rate(text: &str) -> Result<u32, String> {
    let t = text.trim().trim_start_matches(['×', 'x']);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let bad = || {
        t!(
            "a clock rate is a number with at most 3 decimals, like 1.5 (not “{text}”)",
            text = text.trim()
        )
    };
    if (int.is_empty() && frac.is_empty())
        || !digits(int)
        || !digits(frac)
        || frac.len() > 3
        || int.len() > 3
    {
        return Err(bad());
    }
    let whole: u32 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad())?
    };
    let mut f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    for _ in frac.len()..3 {
        f *= 10;
    }
    let r = whole * 1000 + f;
    if !crate::sim::settings::DRIFT_RANGE.contains(&r) {
        return Err(t!(
            "a clock rate is between 0.1 and 10 (not {text})",
            text = text.trim()
        ));
    }
    Ok(r)
}

/// Is this scenario text a run exported by the page (it then replays to its moment and
/// stops there)?
pub fn is_export(text: &str) -> bool {
    text.trim_start().starts_with("# exported from raftlab")
}

/// The outcome of a finished scenario, as shown.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Pass => t!("passed: every expectation held").into(),
        Outcome::Fail { line, message } => t!(
            "failed at line {line}: {message}",
            line = line,
            message = message
        ),
    }
}

/// The `put` a client form asks for: a key and a value, single words (trimmed).
pub fn put_command(key: &str, value: &str) -> Result<Command, String> {
    let (k, v) = (key.trim(), value.trim());
    if k.is_empty() || v.is_empty() || k.contains(' ') || v.contains(' ') {
        return Err(t!("a key and a value are single words, without spaces").into());
    }
    Ok(Command::Put(k.to_string(), v.to_string()))
}

/// The value the put form offers after a valid `put`: a number counts up, so repeated Puts
/// are easy to tell apart.
pub fn next_put_value(key: &str, value: &str) -> Option<String> {
    put_command(key, value).ok()?;
    let n: u64 = value.trim().parse().ok()?;
    Some((n + 1).to_string())
}

#[cfg(test)]
mod tests;
