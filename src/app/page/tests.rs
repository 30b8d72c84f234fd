//! The page's actions, driven natively through the same `PageState::reduce` the Yew shim
//! calls.

use super::*;
use crate::app::options::SPEED_DEFAULT;

/// Virtual time per `Tick(100.0)` at the fastest speed: one second.
const SECOND: Micros = 1_000_000;

struct Page {
    st: PageState,
    s: Session,
}

impl Page {
    fn new(cfg: StartConfig) -> Page {
        let (st, s) = PageState::new(&cfg);
        Page { st, s }
    }

    fn paused() -> Page {
        Page::new(StartConfig {
            autoplay: false,
            ..StartConfig::default()
        })
    }

    fn act(&mut self, a: Action) {
        self.st.reduce(&mut self.s, a);
    }

    fn key(&mut self, k: &str) {
        self.act(Action::Key {
            key: k.into(),
            shift: false,
        });
    }

    /// Plays at the fastest speed for `seconds` of virtual time (one frame per second).
    fn play_for(&mut self, seconds: u32) {
        self.act(Action::SetSpeed(SPEED_MAX));
        self.act(Action::Play);
        for _ in 0..seconds {
            self.act(Action::Tick(100.0));
        }
    }

    fn role(&self, id: ServerId) -> &'static str {
        self.st
            .view
            .servers
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .role
            .as_str()
    }
}

const PAUSES: &str = "cluster 3\nseed 5\nsay \"one\"\npause\ntimeout s1\nrun until leader s1 within 1s\nsay \"two\"\npause\nput x 1\nrun until value s2 x 1 within 1s\nsay \"three\"\npause\nrun 1s\n";

#[test]
fn play_pause_and_visibility_decide_whether_frames_run() {
    let mut p = Page::paused();
    assert!(!p.st.playing && !p.st.running());
    assert_eq!(p.st.view.servers.len(), 5);
    p.act(Action::Play);
    assert!(p.st.running());
    p.act(Action::SetHidden(true));
    assert!(
        p.st.playing && !p.st.running(),
        "a hidden tab does not animate"
    );
    p.act(Action::SetHidden(false));
    p.act(Action::TogglePlay);
    assert!(!p.st.playing);
    p.act(Action::TogglePlay);
    assert!(p.st.playing);
    p.act(Action::Pause);
    assert!(!p.st.playing);
    p.key(" ");
    assert!(p.st.playing, "space toggles");
}

#[test]
fn frames_advance_virtual_time_by_the_speed_with_a_cap_per_frame() {
    let mut p = Page::paused();
    p.act(Action::Tick(100.0));
    assert_eq!(p.st.live_now, 0, "paused: frames do nothing");
    p.act(Action::Play);
    p.act(Action::Tick(100.0));
    assert_eq!(p.st.live_now, 5_000, "100 ms at 0.05");
    p.act(Action::Tick(10_000.0));
    assert_eq!(p.st.live_now, 10_000, "a long frame counts as MAX_FRAME_MS");
    // Fractions of a microsecond carry over to the next frame.
    p.act(Action::SetSpeed(0.001));
    p.act(Action::Tick(0.5));
    assert_eq!(p.st.live_now, 10_000);
    p.act(Action::Tick(0.5));
    assert_eq!(p.st.live_now, 10_001);
}

#[test]
fn speed_is_clamped_and_keys_double_or_halve_it() {
    let mut p = Page::paused();
    assert_eq!(p.st.speed, SPEED_DEFAULT);
    p.act(Action::SetSpeed(1e9));
    assert_eq!(p.st.speed, SPEED_MAX);
    p.key("+");
    assert_eq!(p.st.speed, SPEED_MAX);
    p.key("-");
    assert_eq!(p.st.speed, SPEED_MAX / 2.0);
    p.act(Action::SetSpeed(0.0));
    assert_eq!(p.st.speed, SPEED_MIN);
    p.key("_");
    assert_eq!(p.st.speed, SPEED_MIN);
    p.key("=");
    assert_eq!(p.st.speed, SPEED_MIN * 2.0);
}

#[test]
fn step_handles_the_next_instant_and_pauses() {
    let mut p = Page::paused();
    p.act(Action::Play);
    p.act(Action::Step);
    assert!(!p.st.playing);
    let t = p.st.live_now;
    assert!(t > 0, "the first timer fired");
    assert_eq!(p.st.view.time_us, t);
    p.key("ArrowRight");
    assert!(p.st.live_now > t, "→ steps too");
}

#[test]
fn travel_shows_the_past_refuses_commands_and_returns() {
    let mut p = Page::paused();
    p.play_for(3);
    let live = p.st.live_now;
    assert_eq!(live, 3 * SECOND);
    let present = p.st.view.clone();
    p.act(Action::TravelTo(SECOND));
    assert!(p.st.travelling && !p.st.playing && !p.st.running());
    assert_eq!(p.st.view.time_us, SECOND);
    assert_eq!(p.st.live_now, live);
    p.act(Action::Cmd(Command::Crash(1)));
    assert!(p
        .st
        .error
        .as_deref()
        .unwrap()
        .contains("looking at the past"));
    p.act(Action::Step);
    assert_eq!(
        p.st.error.as_deref(),
        Some("you are looking at the past: return to the present to step")
    );
    p.act(Action::Tick(100.0));
    assert_eq!(p.st.view.time_us, SECOND, "no frames while travelling");
    p.act(Action::TravelBy(-400_000));
    assert_eq!(p.st.view.time_us, 600_000);
    p.act(Action::TravelBy(10 * SECOND as i64));
    assert!(!p.st.travelling, "past the live moment is the present");
    p.key("Home");
    assert_eq!(p.st.view.time_us, 0);
    p.key("End");
    assert!(!p.st.travelling);
    assert_eq!(*p.st.view, *present);
    // Play from the past returns to the present first.
    p.act(Action::TravelTo(SECOND));
    p.act(Action::Play);
    assert!(!p.st.travelling && p.st.playing);
    assert_eq!(p.st.view.time_us, live);
}

#[test]
fn resume_from_here_forks_a_new_future_and_trims_the_term_bands() {
    let mut p = Page::paused();
    p.play_for(4);
    let leader = p.st.view.leader.expect("a leader after 4 s");
    assert!(!p.st.terms.is_empty());
    p.act(Action::Cmd(Command::Crash(leader)));
    p.play_for(3);
    let bands = p.st.terms.len();
    assert!(bands >= 2, "a new term after the crash: {:?}", p.st.terms);
    p.act(Action::TravelTo(4 * SECOND));
    p.act(Action::ResumeFromHere);
    assert!(!p.st.travelling);
    assert_eq!(p.st.live_now, 4 * SECOND);
    assert!(p.st.terms.iter().all(|m| m.start_us <= 4 * SECOND));
    assert!(p.st.terms.len() < bands);
    assert_eq!(
        p.s.inputs().len(),
        0,
        "the crash is in the discarded future"
    );
    p.play_for(1);
    assert_ne!(p.role(leader), "crashed");
}

#[test]
fn term_bands_follow_elections() {
    let mut p = Page::paused();
    assert_eq!(p.st.terms[0].term, 0);
    p.play_for(3);
    let last = p.st.terms.last().unwrap();
    let leader = p.st.view.leader.unwrap();
    assert_eq!(last.leader.map(|l| l.0), Some(leader));
    assert!(last.term >= 1);
}

#[test]
fn a_scenario_stops_at_its_pauses_and_next_and_back_move_between_them() {
    let mut p = Page::paused();
    p.act(Action::LoadScenario(PAUSES.into()));
    assert_eq!(p.st.generation, 1);
    assert!(p.st.playing, "a loaded scenario plays");
    assert_eq!(p.st.view.servers.len(), 3);
    p.act(Action::Tick(100.0));
    assert!(p.st.scenario_paused() && !p.st.playing);
    let info = p.st.scenario.clone().unwrap();
    assert_eq!(info.caption.as_deref(), Some("one"));
    assert_eq!(info.state, Some(ScenarioState::Paused { line: 4 }));
    assert_eq!(info.pauses, 1);
    p.act(Action::Play);
    assert!(
        p.st.playing && !p.st.scenario_paused(),
        "Play is Next at a pause"
    );
    p.play_for(2);
    assert_eq!(
        p.st.scenario.as_ref().unwrap().state,
        Some(ScenarioState::Paused { line: 8 })
    );
    let at_two = p.st.view.clone();
    p.key("n");
    p.play_for(2);
    assert_eq!(
        p.st.scenario.as_ref().unwrap().caption.as_deref(),
        Some("three")
    );
    // Back from the third pause: the second, exactly as it was.
    p.act(Action::Back);
    assert!(!p.st.playing && p.st.scenario_paused());
    assert_eq!(
        p.st.scenario.as_ref().unwrap().caption.as_deref(),
        Some("two")
    );
    assert_eq!(*p.st.view, *at_two);
    assert_eq!(p.st.generation, 1, "Back keeps the forms");
    p.act(Action::Next);
    assert!(p.st.playing);
    p.act(Action::Finish);
    assert!(!p.st.playing);
    assert_eq!(
        p.st.scenario.as_ref().unwrap().state,
        Some(ScenarioState::Done(Outcome::Pass))
    );
    assert_eq!(p.st.scenario.as_ref().unwrap().checks.len(), 2);
}

#[test]
fn a_bad_scenario_keeps_the_cluster_and_reports_the_error() {
    let mut p = Page::paused();
    p.act(Action::LoadScenario("cluster 3\nfrobnicate\n".into()));
    assert!(p.st.scenario_error.as_deref().unwrap().starts_with("2:"));
    assert_eq!(p.st.view.servers.len(), 5);
    assert_eq!(p.st.generation, 0);
    p.act(Action::LoadFrom {
        text: "nonsense".into(),
        param: "scenario".into(),
    });
    assert!(p
        .st
        .error
        .as_deref()
        .unwrap()
        .starts_with("parameter scenario:"));
    // Given at start: the page opens on a fresh cluster with the error shown.
    let p = Page::new(StartConfig {
        scenario: Some("nonsense".into()),
        ..StartConfig::default()
    });
    assert!(p
        .st
        .error
        .as_deref()
        .unwrap()
        .starts_with("the scenario did not load"));
    assert!(p.st.scenario.is_none());
}

#[test]
fn an_exported_run_stops_where_it_was_exported() {
    let mut p = Page::paused();
    p.play_for(2);
    p.act(Action::Cmd(Command::Put("x".into(), "1".into())));
    p.play_for(1);
    let text = p.s.export();
    assert!(is_export(&text));
    let mut q = Page::paused();
    q.act(Action::LoadScenario(text));
    assert!(q.st.stop_at_end);
    q.play_for(5);
    assert!(!q.st.playing, "stopped at the end of the shared run");
    assert_eq!(q.st.live_now, 3 * SECOND);
    assert_eq!(*q.st.view, *p.st.view);
}

#[test]
fn the_partition_draft_cycles_groups_and_partitions_or_refuses() {
    let mut p = Page::paused();
    let servers: Vec<ServerId> = vec![1, 2, 3, 4, 5];
    p.act(Action::ApplyPartition(servers.clone()));
    assert_eq!(
        p.st.error.as_deref(),
        Some("put the servers in at least two groups (click a server to change its group)")
    );
    p.act(Action::CycleGroup(4));
    p.act(Action::CycleGroup(5));
    p.act(Action::CycleGroup(5));
    assert_eq!(
        (
            p.st.draft_group(1),
            p.st.draft_group(4),
            p.st.draft_group(5)
        ),
        (0, 1, 2)
    );
    p.act(Action::CycleGroup(5));
    assert_eq!(p.st.draft_group(5), 0, "C wraps around to A");
    p.act(Action::CycleGroup(5));
    p.act(Action::ApplyPartition(servers));
    assert_eq!(p.st.error, None);
    assert_eq!(p.st.view.network.groups, vec![vec![1, 2, 3], vec![4, 5]]);
    // A new cluster keeps the draft; Heal clears it.
    p.act(Action::NewCluster {
        servers: 5,
        seed: 2,
    });
    assert_eq!(p.st.draft_group(4), 1);
    p.act(Action::ApplyPartition(vec![1, 2, 3, 4, 5]));
    assert!(!p.st.view.network.groups.is_empty());
    p.act(Action::HealNetwork);
    assert!(p.st.partition_draft.is_empty());
    assert!(p.st.view.network.groups.is_empty());
}

#[test]
fn client_requests_are_checked_and_given() {
    let mut p = Page::paused();
    p.act(Action::Put {
        key: "a b".into(),
        value: "1".into(),
    });
    assert_eq!(
        p.st.error.as_deref(),
        Some("a key and a value are single words, without spaces")
    );
    p.act(Action::Put {
        key: " x ".into(),
        value: "7".into(),
    });
    assert_eq!(p.st.error, None);
    assert_eq!(
        p.s.inputs().last().map(|r| &r.command),
        Some(&Command::Put("x".into(), "7".into()))
    );
    p.act(Action::Get("  ".into()));
    assert_eq!(p.s.inputs().len(), 1, "an empty get is ignored");
    p.act(Action::Get(" x".into()));
    assert_eq!(
        p.s.inputs().last().map(|r| &r.command),
        Some(&Command::Get("x".into()))
    );
    p.play_for(3);
    let done = &p.st.view.client.history;
    assert_eq!(done.len(), 2, "both answered: {done:?}");
    assert_eq!(next_put_value("x", " 7 "), Some("8".into()));
    assert_eq!(next_put_value("x", "seven"), None);
    assert_eq!(
        next_put_value("", "7"),
        None,
        "nothing sent, the form stays"
    );
}

#[test]
fn selection_and_server_keys() {
    let mut p = Page::paused();
    p.key("c");
    assert_eq!(
        p.st.error.as_deref(),
        Some("select a server first (click it)")
    );
    p.key("3");
    assert_eq!(p.st.selected, Some(3));
    p.key("7");
    assert_eq!(p.st.selected, Some(3), "there is no s7");
    p.key("c");
    assert_eq!(p.role(3), "crashed");
    assert_eq!(p.st.error, None);
    p.key("c");
    assert!(p.st.error.is_some(), "already crashed");
    p.key("r");
    assert_eq!(p.role(3), "follower");
    p.key("?");
    assert!(p.st.help);
    p.key("Escape");
    assert!(!p.st.help && p.st.selected.is_none() && p.st.error.is_none());
    p.act(Action::Help(None));
    assert!(p.st.help);
    p.act(Action::SetTab(Tab::Timing));
    assert_eq!(p.st.tab, Tab::Timing);
}

#[test]
fn the_help_is_modal_for_the_shortcuts() {
    let mut p = Page::paused();
    p.key("?");
    assert!(p.st.help);
    p.key(" ");
    assert!(!p.st.playing, "space does not play behind the help");
    p.key("2");
    assert_eq!(p.st.selected, None, "nor do the other shortcuts");
    p.key("Escape");
    assert!(!p.st.help);
    p.key(" ");
    assert!(p.st.playing, "the shortcuts work again once it is closed");
}

#[test]
fn a_selected_message_pauses_and_is_forgotten_once_dropped() {
    let mut p = Page::paused();
    p.play_for(1);
    p.act(Action::SetSpeed(SPEED_MIN));
    let mut id = None;
    for _ in 0..100 {
        p.act(Action::Step);
        if let Some(m) = p.st.view.messages.first() {
            id = Some(m.id);
            break;
        }
    }
    let id = id.expect("a message in flight");
    p.act(Action::Play);
    p.act(Action::SelectMsg(Some(id)));
    assert!(!p.st.playing);
    assert_eq!(p.st.selected_msg, Some(id));
    p.act(Action::Cmd(Command::DropMessage(id)));
    assert_eq!(p.st.selected_msg, None);
    assert!(p.st.view.messages.iter().all(|m| m.id != id));
}

#[test]
fn a_new_cluster_keeps_the_settings_and_counts_a_generation() {
    let mut p = Page::paused();
    p.act(Action::Cmd(Command::Set(
        crate::scenario::ast::Setting::Prevote(true),
    )));
    p.key("2");
    p.act(Action::Error("boom".into()));
    p.act(Action::NewCluster {
        servers: 12,
        seed: 9,
    });
    assert_eq!(p.st.view.servers.len(), 9, "at most 9 servers");
    assert_eq!(p.st.view.seed, 9);
    assert!(p.st.view.settings.prevote);
    assert_eq!(p.st.generation, 1);
    assert_eq!((p.st.selected, p.st.error.clone()), (None, None));
    p.act(Action::Error("boom".into()));
    p.act(Action::DismissError);
    assert_eq!(p.st.error, None);
}

#[test]
fn the_why_panel_follows_the_moment_shown_and_closes_with_escape() {
    use crate::app::explain::Why;
    let mut p = Page::paused();
    p.act(Action::Cmd(Command::Timeout(2)));
    p.play_for(1);
    p.act(Action::Pause);
    p.act(Action::Why(Some(Why::Server(2))));
    let e = p.st.why.clone().expect("an explanation");
    assert!(
        e.lines[0].starts_with("s2 is the leader of term 1 since "),
        "{:?}",
        e.lines
    );
    let at = e.moment.unwrap();
    // Travelling to the moment before the election: the answer is about that moment.
    p.act(Action::TravelTo(at - 1));
    let e = p.st.why.clone().unwrap();
    assert!(
        e.lines[0].starts_with("s2 is a candidate in term 1"),
        "{:?}",
        e.lines
    );
    // Selecting a message explains it.
    p.act(Action::ReturnToPresent);
    p.act(Action::Step);
    let m = p.st.view.messages.first().map(|m| m.id).unwrap();
    p.act(Action::SelectMsg(Some(m)));
    assert_eq!(p.st.why.as_ref().unwrap().why, Why::Msg(m));
    p.key("Escape");
    assert!(p.st.why.is_none() && p.st.why_target.is_none());
}

#[test]
fn the_client_can_send_to_a_chosen_server_a_stale_leader_never_answers_its_read() {
    let text = "cluster 5\nseed 4\ntimeout s1\nrun until leader s1 within 1s\nrun 200ms\npartition s1 s2 | s3 s4 s5\nrun 3s\n";
    let mut s = Session::from_scenario(text).unwrap();
    s.finish(10);
    let (mut st, _) = PageState::new(&StartConfig {
        autoplay: false,
        ..StartConfig::default()
    });
    st.reduce(&mut s, Action::Cmd(Command::ClientVia(Some(1))));
    assert_eq!(st.view.client.via, Some(1));
    st.reduce(&mut s, Action::Get("x".into()));
    s.advance_to(s.live_now() + 2_000_000);
    st.reduce(&mut s, Action::Refresh);
    let op = st.view.client.history.last().expect("the get completed");
    assert_eq!(op.path[0].to, 1);
    assert_eq!(op.path[0].why, "first try: sent where the user chose");
    assert_eq!(op.path[1].why, "no answer from s1 (timeout)");
    assert_ne!(op.answered_by, Some(1));
    // Back to the default, and the export says both.
    st.reduce(&mut s, Action::Cmd(Command::ClientVia(None)));
    assert_eq!(st.view.client.via, None);
    let export = s.export();
    assert!(
        export.contains("client via s1\n") && export.contains("client via leader\n"),
        "{export}"
    );
}

#[test]
fn the_space_time_trail_travels_with_the_moment_and_hover_is_remembered() {
    let mut p = Page::paused();
    p.play_for(1);
    let at_one = p.st.view.trail.clone();
    assert!(!at_one.messages.is_empty() && !at_one.roles.is_empty());
    p.play_for(2);
    assert_ne!(p.st.view.trail, at_one);
    // Restored from a checkpoint and replayed: the same record as when it was live.
    p.act(Action::TravelTo(SECOND));
    assert_eq!(p.st.view.trail, at_one);
    let id = at_one.messages.back().unwrap().id;
    p.act(Action::HoverMsg(Some(id)));
    assert_eq!(p.st.hovered_msg, Some(id));
    p.act(Action::HoverMsg(None));
    assert_eq!(p.st.hovered_msg, None);
}

#[test]
fn presentation_mode_slows_the_speed_and_gives_it_back() {
    use crate::app::options::SPEED_PRESENT;
    let mut p = Page::paused();
    assert!(!p.st.present);
    assert_eq!(p.st.speed, SPEED_DEFAULT);
    p.key("p");
    assert!(p.st.present);
    assert_eq!(p.st.speed, SPEED_PRESENT);
    p.key("p");
    assert!(!p.st.present);
    assert_eq!(
        p.st.speed, SPEED_DEFAULT,
        "the speed from before comes back"
    );
    // The button: on, a speed chosen while presenting is kept when leaving.
    p.act(Action::SetPresent(Some(true)));
    p.act(Action::SetPresent(Some(true)));
    assert!(p.st.present);
    p.act(Action::SetSpeed(0.5));
    p.act(Action::SetPresent(None));
    assert!(!p.st.present);
    assert_eq!(p.st.speed, 0.5);
    // Already slower than 1/50: presentation mode does not speed it up.
    p.act(Action::SetSpeed(0.005));
    p.act(Action::SetPresent(Some(true)));
    assert_eq!(p.st.speed, 0.005);
    // Started in presentation mode (present=1): the speed it was given.
    let p = Page::new(StartConfig {
        present: true,
        speed: SPEED_PRESENT,
        autoplay: false,
        ..StartConfig::default()
    });
    assert!(p.st.present);
    assert_eq!(p.st.speed, SPEED_PRESENT);
}

impl Page {
    /// Steps instant by instant (at most `limit` times) until `done` holds of the view.
    fn step_until(&mut self, limit: usize, done: impl Fn(&ClusterView) -> bool) -> bool {
        for _ in 0..limit {
            if done(&self.st.view) {
                return true;
            }
            self.act(Action::Step);
        }
        done(&self.st.view)
    }
}

#[test]
fn membership_actions_are_refused_with_their_reason_then_pass_through_c_old_new() {
    let mut p = Page::paused();
    p.act(Action::ChangeMembers(vec![1, 2, 3]));
    assert!(
        p.st.error
            .as_deref()
            .unwrap()
            .starts_with("there is no leader"),
        "{:?}",
        p.st.error
    );
    assert!(p.s.inputs().is_empty(), "nothing was sent");
    p.play_for(1);
    p.act(Action::Pause);
    assert!(p.st.view.leader.is_some());
    p.act(Action::ChangeMembers(vec![]));
    assert_eq!(
        p.st.error.as_deref(),
        Some("pick at least one server for the new configuration")
    );
    p.act(Action::ChangeMembers(vec![5, 4, 3, 2, 1]));
    assert!(p
        .st
        .error
        .as_deref()
        .unwrap()
        .contains("configuration already"));
    p.act(Action::Promote(2));
    assert_eq!(
        p.st.error.as_deref(),
        Some("s2 is not a learner: only a learner can be promoted")
    );
    assert!(p.s.inputs().is_empty());
    // {s1..s5} -> {s1 s2 s3 s6}: s6 starts, joins as a learner, then C_old,new, then C_new.
    p.act(Action::ChangeMembers(vec![1, 2, 3, 6]));
    assert_eq!(p.st.error, None);
    assert_eq!(
        p.s.inputs().last().map(|r| &r.command),
        Some(&Command::ChangeMembers(vec![1, 2, 3, 6]))
    );
    p.act(Action::AddLearner(7));
    assert!(
        p.st.error.as_deref().unwrap().contains("still under way"),
        "one change at a time: {:?}",
        p.st.error
    );
    assert!(p.step_until(20_000, |v| v.membership().is_some_and(|m| m.joint())));
    let m = p.st.view.membership().unwrap();
    assert_eq!((m.old, m.new), (vec![1, 2, 3, 4, 5], vec![1, 2, 3, 6]));
    assert!(p.step_until(20_000, |v| {
        v.client.membership_op.is_none()
            && v.membership().is_some_and(|m| !m.joint() && m.committed)
    }));
    assert_eq!(p.st.view.membership().unwrap().new, vec![1, 2, 3, 6]);
    assert_eq!(p.role(4), "removed");
    // A learner, then its promotion.
    p.act(Action::AddLearner(7));
    assert_eq!(p.st.error, None);
    assert!(p
        .step_until(20_000, |v| v.servers.iter().any(
            |s| s.id == 7 && s.role == crate::sim::view::ServerRole::Learner
        )));
    assert!(p.step_until(20_000, |v| v.client.membership_op.is_none()));
    p.act(Action::Promote(7));
    assert_eq!(p.st.error, None);
    assert!(p.step_until(20_000, |v| v
        .membership()
        .is_some_and(|m| m.new.contains(&7))));
    assert!(p
        .step_until(20_000, |v| v.servers.iter().any(
            |s| s.id == 7 && s.role == crate::sim::view::ServerRole::Follower
        )));
}

#[test]
fn drift_is_typed_as_a_rate_and_read_mode_lease_answers_from_the_lease() {
    assert_eq!(drift_rate("1.5"), Ok(1500));
    assert_eq!(drift_rate(" 2 "), Ok(2000));
    assert_eq!(drift_rate(".9"), Ok(900));
    assert_eq!(drift_rate("×1.25"), Ok(1250));
    assert_eq!(drift_rate("0.1"), Ok(100));
    assert!(drift_rate("0.05")
        .unwrap_err()
        .contains("between 0.1 and 10"));
    assert!(drift_rate("11").unwrap_err().contains("between 0.1 and 10"));
    assert!(drift_rate("1.2345")
        .unwrap_err()
        .contains("at most 3 decimals"));
    assert!(drift_rate("fast").unwrap_err().contains("not “fast”"));
    assert!(drift_rate("").is_err() && drift_rate(".").is_err() && drift_rate("-1").is_err());
    let mut p = Page::paused();
    p.act(Action::SetDrift {
        server: 3,
        rate: "1.5".into(),
    });
    assert_eq!(
        (p.st.error.clone(), p.st.view.settings.drift[3]),
        (None, 1500)
    );
    p.act(Action::SetDrift {
        server: 3,
        rate: "many".into(),
    });
    assert!(p.st.error.is_some());
    assert_eq!(p.st.view.settings.drift[3], 1500, "unchanged");
    // Lease reads: a leader with a valid lease answers a get at once, from its lease.
    p.act(Action::Cmd(Command::Set(
        crate::sim::settings::Setting::ReadMode(crate::raft::ReadMode::Lease),
    )));
    p.play_for(1);
    p.act(Action::Pause);
    let l = p.st.view.leader.unwrap();
    assert!(p.step_until(5_000, |v| v
        .servers
        .iter()
        .any(|s| s.id == l && s.read_lease)));
    p.act(Action::Get("x".into()));
    assert!(p.step_until(5_000, |v| v.client.current.is_none()
        && !v.client.history.is_empty()));
    assert!(
        p.st.feed.iter().any(|f| f.text.contains("from its lease")),
        "{:?}",
        p.st.feed.iter().map(|f| &f.text).collect::<Vec<_>>()
    );
}

#[test]
fn a_caption_no_pause_follows_stays_until_the_next_step() {
    let text = "cluster 3\nseed 2\nsay \"one\"\nrun 300ms\nsay \"two\"\nrun 300ms\npause\n\
                run 200ms\nsay \"three\"\npause\nrun 1s\n";
    let mut p = Page::new(StartConfig {
        scenario: Some(text.into()),
        speed: 10.0,
        ..StartConfig::default()
    });
    let info = |p: &Page| p.st.scenario.clone().unwrap();
    // Playing between the two captions: only the first so far.
    p.act(Action::Tick(20.0));
    assert_eq!(info(&p).captions, vec!["one".to_string()]);
    p.play_for(2);
    assert!(p.st.scenario_paused());
    // At the pause, "one" is still shown above "two" (it did not flash by).
    assert_eq!(
        info(&p).captions,
        vec!["one".to_string(), "two".to_string()]
    );
    assert_eq!(info(&p).caption.as_deref(), Some("two"));
    // After Next, both stay until the next step's first caption arrives.
    p.act(Action::Next);
    p.act(Action::Tick(10.0));
    assert!(p.s.now() < 1_000_000);
    assert_eq!(info(&p).captions.len(), 2);
    p.play_for(2);
    assert_eq!(info(&p).captions, vec!["three".to_string()]);
    // Back replays: the same captions as the first time.
    p.act(Action::Back);
    assert_eq!(
        info(&p).captions,
        vec!["one".to_string(), "two".to_string()]
    );
}
