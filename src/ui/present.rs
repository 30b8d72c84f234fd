//! Presentation mode's one compact bar (`present=1`, the top bar's Present button, or the
//! `p` key): what a teacher needs while projecting — play/pause, step, speed, the clock,
//! crash/restart and partition/heal of the selected server (else the leader), a tour's
//! Back and Next, the safety status, and the way out.

use std::rc::Rc;

use yew::prelude::*;

use super::controls::play_step;
use super::state::{Action, AppState, SPEED_MAX, SPEED_MIN};
use super::util::{clock, fixed, math, name, speed_text, trimmed};
use super::widgets::input_number;
use crate::raft::ServerId;
use crate::sim::command::Command;
use crate::sim::view::ServerRole;
use crate::sim::ClusterView;

type Dispatch = UseReducerDispatcher<AppState>;

#[derive(Properties)]
pub struct PresentBarProps {
    pub view: Rc<ClusterView>,
    pub playing: bool,
    pub speed: f64,
    pub travelling: bool,
    pub blocked: bool,
    pub selected: Option<ServerId>,
    /// A tour or scenario is loaded: (Back possible, stopped at a pause).
    pub tour: Option<(bool, bool)>,
    pub dispatch: Dispatch,
}

impl PartialEq for PresentBarProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.view, &o.view)
            && self.playing == o.playing
            && self.speed == o.speed
            && self.travelling == o.travelling
            && self.blocked == o.blocked
            && self.selected == o.selected
            && self.tour == o.tour
            && self.dispatch == o.dispatch
    }
}

/// Is any link between live servers cut or blocked by a partition?
fn split(v: &ClusterView) -> bool {
    let group = |s: ServerId| {
        v.network
            .groups
            .iter()
            .position(|g| g.contains(&s))
            .unwrap_or(v.network.groups.len())
    };
    let mut live = v
        .servers
        .iter()
        .filter(|s| s.role != ServerRole::Removed)
        .map(|s| group(s.id));
    let first = live.next();
    !v.network.cuts.is_empty() || live.any(|g| Some(g) != first)
}

#[function_component(PresentBar)]
pub fn present_bar(p: &PresentBarProps) -> Html {
    let d = &p.dispatch;
    let v = &p.view;
    let send = |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a.clone()))
    };
    let speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            if let Some(x) = input_number(&e) {
                d.dispatch(Action::SetSpeed(math::pow(10.0, x)));
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
    let crash = match target {
        Some(s) if s.role == ServerRole::Crashed => html! {
            <button class="btn" data-testid="bar-crash" data-action="restart" disabled={!can_act}
                onclick={send(Action::Cmd(Command::Restart(s.id)))} title={format!("Restart {} from its durable state (r)", name(s.id))}>
                {"↻ "}<span class="pb-text">{"Restart "}</span>{name(s.id)}</button>
        },
        Some(s) => html! {
            <button class="btn crash" data-testid="bar-crash" data-action="crash" disabled={!can_act}
                onclick={send(Action::Cmd(Command::Crash(s.id)))}
                title={format!("Crash {}{} (c)", name(s.id), if p.selected.is_none() { ", the leader" } else { "" })}>
                {"✕ "}<span class="pb-text">{"Crash "}</span>{name(s.id)}</button>
        },
        None => html! {
            <button class="btn crash" data-testid="bar-crash" disabled=true title="Click a server (or press 1–9) to choose which to crash">
                {"✕ Crash"}</button>
        },
    };
    let partition = if split(v) {
        html! {
            <button class="btn" data-testid="bar-partition" data-action="heal" disabled={!can_act}
                onclick={send(Action::HealNetwork)} title="Heal the network: every link works again (h)">{"Heal"}</button>
        }
    } else {
        match target {
            Some(s) => {
                let others: Vec<ServerId> = v
                    .servers
                    .iter()
                    .filter(|x| x.id != s.id && x.role != ServerRole::Removed)
                    .map(|x| x.id)
                    .collect();
                let ok = can_act && !others.is_empty();
                html! {
                    <button class="btn" data-testid="bar-partition" data-action="partition" disabled={!ok}
                        onclick={send(Action::Cmd(Command::Partition(vec![vec![s.id], others])))}
                        title={format!("Partition the network: {} alone, the others together", name(s.id))}>
                        {"✂ "}<span class="pb-text">{"Partition "}</span>{name(s.id)}</button>
                }
            }
            None => html! {
                <button class="btn" data-testid="bar-partition" disabled=true title="Click a server (or press 1–9) to choose which to cut off">
                    {"✂ Partition"}</button>
            },
        }
    };
    let tour = p.tour.map(|(can_back, paused)| {
        html! {
            <span class="pb-group pb-tour">
                <button class="btn" data-testid="bar-back" disabled={!can_back} onclick={send(Action::Back)}
                    title="Back to the tour's previous stop">{"◂"}<span class="pb-text">{" Back"}</span></button>
                <button class="btn primary" data-testid="bar-next" disabled={!paused} onclick={send(Action::Next)}
                    title="Next stop of the tour (n)">{"Next ▸"}</button>
            </span>
        }
    });
    let violation = v.violation.is_some();
    html! {
        <header class="topbar present-bar" data-testid="present-bar">
            <span class="brand" title="raftlab"><span class="logo">{"⎈"}</span></span>
            <span class="pb-group">
                { play_step(p.playing, can_act, true, d) }
                <label class="speed" title="Speed: virtual time per real time (+ / -)">
                    <span class="sr-only">{"speed"}</span>
                    <input type="range" data-testid="speed" min={fixed(math::log10(SPEED_MIN), 2).to_string()} max={fixed(math::log10(SPEED_MAX), 2).to_string()}
                        step="0.05" value={fixed(math::log10(p.speed), 2).to_string()} oninput={speed} aria-label="speed" />
                    <span class="speed-value" data-speed={trimmed(p.speed, 6).to_string()}>{speed_text(p.speed)}</span>
                </label>
                <span class={classes!("clock", p.travelling.then_some("past"))} data-testid="clock"
                    data-virtual-time-us={v.time_us.to_string()} title="virtual time">{clock(v.time_us)}</span>
            </span>
            <span class="pb-group">{ crash }{ partition }</span>
            { for tour }
            <span class="pb-group pb-right">
                <span class={classes!("safety", if violation { "bad" } else { "ok" })} data-testid="safety"
                    data-safety={if violation { "violation" } else { "ok" }}>
                    { if violation { "✗ unsafe" } else { "✓ safe" } }</span>
                <button class="btn ghost" data-testid="help" onclick={send(Action::Help(Some(true)))} title="Keyboard shortcuts (?)">{"?"}</button>
                <button class="btn ghost" data-testid="present" aria-pressed="true" onclick={send(Action::SetPresent(Some(false)))}
                    title="Leave presentation mode (p)">{"✕"}<span class="pb-text">{" Exit"}</span></button>
            </span>
        </header>
    }
}
