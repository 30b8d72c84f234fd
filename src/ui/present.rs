//! Presentation mode's one compact bar (`present=1`, the top bar's Present button, or the
//! `p` key): what a teacher needs while projecting — play/pause, step, speed, the clock,
//! crash/restart and partition/heal of the selected server (else the leader), a tour's
//! Back and Next, the safety status, and the way out.

use yew::prelude::*;

use super::controls::{play_step, safety, speed_and_clock};
use super::state::{Action, AppState};
use super::util::name;
use crate::raft::ServerId;
use crate::sim::command::Command;
use crate::sim::view::ServerRole;
use crate::sim::ClusterView;
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

/// What the bar shows (the page's state, taken apart by `ui::app`).
pub struct PresentBar<'a> {
    pub view: &'a ClusterView,
    pub playing: bool,
    pub speed: f64,
    pub travelling: bool,
    pub blocked: bool,
    pub selected: Option<ServerId>,
    /// A tour or scenario is loaded: (Back possible, stopped at a pause).
    pub tour: Option<(bool, bool)>,
}

/// Is any link between live servers cut or blocked by a partition?
fn split(v: &ClusterView) -> bool {
    let group = |s: ServerId| v.network.group_of(s);
    let mut live = v
        .servers
        .iter()
        .filter(|s| s.role != ServerRole::Removed)
        .map(|s| group(s.id));
    let first = live.next();
    !v.network.cuts.is_empty() || live.any(|g| Some(g) != first)
}

/// The bar (a plain function, not a component: the page redraws it with its state).
pub fn present_bar(p: PresentBar, d: &Dispatch) -> Html {
    let v = p.view;
    let send = |a: Option<Action>| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = &a {
                d.dispatch(a.clone())
            }
        })
    };
    // The server the buttons act on: the selected one, else the leader.
    let target = p
        .selected
        .or(v.leader)
        .and_then(|id| v.servers.iter().find(|s| s.id == id))
        .filter(|s| s.role != ServerRole::Removed);
    let can_act = !p.travelling && !p.blocked;
    let choose = t!("Click a server (or press 1–9) to choose one");
    // (data-action, symbol, word, the server's name, title, action)
    let crash = match target {
        Some(s) if s.role == ServerRole::Crashed => (
            "restart",
            "↻ ",
            t!("Restart"),
            name(s.id),
            t!(
                "Restart {server} from its durable state (r)",
                server = name(s.id)
            ),
            Some(Action::Cmd(Command::Restart(s.id))),
        ),
        Some(s) => (
            "crash",
            "✕ ",
            t!("Crash"),
            name(s.id),
            if p.selected.is_none() {
                t!("Crash {server}, the leader (c)", server = name(s.id))
            } else {
                t!("Crash {server} (c)", server = name(s.id))
            },
            Some(Action::Cmd(Command::Crash(s.id))),
        ),
        None => (
            "",
            "✕ ",
            t!("Crash"),
            String::new(),
            choose.to_string(),
            None,
        ),
    };
    let partition = match target {
        _ if split(v) => (
            "heal",
            "",
            t!("Heal"),
            String::new(),
            t!("Heal the network: every link works again (h)").to_string(),
            Some(Action::HealNetwork),
        ),
        Some(s) => {
            let others: Vec<ServerId> = v
                .servers
                .iter()
                .filter(|x| x.id != s.id && x.role != ServerRole::Removed)
                .map(|x| x.id)
                .collect();
            (
                "partition",
                "✂ ",
                t!("Partition"),
                name(s.id),
                t!(
                    "Partition the network: {server} alone, the others together",
                    server = name(s.id)
                ),
                (!others.is_empty())
                    .then(|| Action::Cmd(Command::Partition(vec![vec![s.id], others]))),
            )
        }
        None => (
            "",
            "✂ ",
            t!("Partition"),
            String::new(),
            choose.to_string(),
            None,
        ),
    };
    let button = |testid: &'static str,
                  b: (
        &'static str,
        &'static str,
        &'static str,
        String,
        String,
        Option<Action>,
    )| {
        let (action, symbol, word, server, title, act) = b;
        html! {
            <button class={classes!("btn", (action == "crash" || testid == "bar-crash" && act.is_none()).then_some("crash"))}
                data-testid={testid} data-action={action} disabled={!can_act || act.is_none()} onclick={send(act)} title={title}>
                {symbol}<span class="pb-text">{word}{ if server.is_empty() { "" } else { " " } }</span>{server}</button>
        }
    };
    let tour = p.tour.map(|(can_back, paused)| {
        html! {
            <span class="pb-group pb-tour">
                <button class="btn" data-testid="bar-back" disabled={!can_back} onclick={send(Some(Action::Back))}
                    title={t!("Back to the tour's previous stop")}>{"◂"}<span class="pb-text">{" "}{t!("Back")}</span></button>
                <button class="btn primary" data-testid="bar-next" disabled={!paused} onclick={send(Some(Action::Next))}
                    title={t!("Next stop of the tour (n)")}>{t!("Next ▸")}</button>
            </span>
        }
    });
    html! {
        <header class="topbar present-bar" data-testid="present-bar">
            <span class="brand" title="raftlab"><span class="logo">{"⎈"}</span></span>
            <span class="pb-group">
                { play_step(p.playing, can_act, true, d) }
                { speed_and_clock(p.speed, v.time_us, p.travelling, None, d) }
            </span>
            <span class="pb-group">{ button("bar-crash", crash) }{ button("bar-partition", partition) }</span>
            { for tour }
            <span class="pb-group pb-right">
                { safety(v.violation.is_some(), true) }
                <button class="btn ghost" data-testid="help" onclick={send(Some(Action::Help(Some(true))))} title={t!("Keyboard shortcuts (?)")}>{"?"}</button>
                <button class="btn ghost" data-testid="present" aria-pressed="true" onclick={send(Some(Action::SetPresent(Some(false))))}
                    title={t!("Leave presentation mode (p)")}>{"✕"}<span class="pb-text">{" "}{t!("Exit")}</span></button>
            </span>
        </header>
    }
}
