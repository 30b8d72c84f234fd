//! The Challenges tab: the bundled challenges (`challenges/*.raft`, see
//! `app::challenge`), and the checklist of the one being played — each goal ticks when
//! its conditions hold on the live run, and the commands the challenge forbids are listed
//! with the reason they are refused.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, AppState};
use crate::app::challenge::{challenges, Challenge};
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

#[derive(Properties, PartialEq)]
pub struct ChallengeProps {
    pub challenge: Option<Rc<Challenge>>,
    pub current: Option<&'static str>,
    pub blurb: std::rc::Rc<str>,
    pub dispatch: Dispatch,
}

/// Fetches a bundled challenge's file (next to the page's module) and starts it.
pub fn load(id: &'static str, path: String, d: Dispatch) {
    super::app::fetch_then(
        super::lazy::bundled(&path),
        t!("challenge {id}", id = id),
        d,
        move |text| Action::LoadChallenge(id, text),
    );
}

#[function_component(ChallengePanel)]
pub fn challenge_panel(p: &ChallengeProps) -> Html {
    let items = challenges().iter().map(|c| {
        let active = p.current == Some(c.id);
        let d = p.dispatch.clone();
        let id = c.id;
        let path = c.path();
        let onclick = Callback::from(move |_| load(id, path.clone(), d.clone()));
        html! {
            <li key={c.id}>
                <button class={classes!("btn", "small", "tour", active.then_some("primary"))}
                    data-challenge={c.id} onclick={onclick}>
                    {c.name()}
                </button>
            </li>
        }
    });
    let current = p
        .current
        .and_then(|id| challenges().iter().find(|c| c.id == id));
    let board = match (&p.challenge, current) {
        (Some(ch), Some(file)) => {
            let done = ch.goals.iter().filter(|g| g.done_at.is_some()).count();
            let goals = ch.goals.iter().enumerate().map(|(i, g)| {
                let ok = g.done_at.is_some();
                html! {
                    <li class={classes!("goal", ok.then_some("done"))} data-goal={i.to_string()}
                        data-done={ok.to_string()}>
                        <span class="goal-mark" aria-hidden="true">{ if ok { "✓" } else { "○" } }</span>
                        <span class="goal-text">{g.caption.clone()}</span>
                    </li>
                }
            });
            let limits = ch.limits.iter().map(|l| {
                let refused = ch.refusal(l.kind);
                let text = if l.allowed == 0 {
                    t!("{kind}: forbidden", kind = l.kind)
                } else {
                    t!("{kind}: {used} of {allowed} used", kind = l.kind, used = l.used, allowed = l.allowed)
                };
                html! {
                    <li class={classes!("limit", refused.is_some().then_some("spent"))} data-limit={l.kind}
                        data-refused={refused.is_some().to_string()} title={refused.clone().unwrap_or_default()}>
                        {text}
                    </li>
                }
            });
            let solved = ch.solved();
            html! {
                <div class="challenge-board" data-testid="challenge" data-challenge-id={file.id}
                    data-solved={solved.to_string()}>
                    <h4>{file.name()}</h4>
                    <p class="small">{p.blurb.to_string()}</p>
                    <p class="muted small" aria-live="polite">
                        { if solved { t!("Solved! Every goal was reached.").to_string() }
                          else { t!("{done} of {total} goals reached", done = done, total = ch.goals.len()) } }
                    </p>
                    <ul class="goal-list">{ for goals }</ul>
                    if !ch.limits.is_empty() {
                        <p class="muted small">{t!("Refused (the buttons say why):")}</p>
                        <ul class="limit-list">{ for limits }</ul>
                    }
                </div>
            }
        }
        _ => html! {
            <p class="muted small">if p.current.is_some() { {t!("Loading the challenge…")}{" "} }{t!("Pick a challenge: the cluster starts, you play freely (any control, any time; time travel too), and each goal ticks when it becomes true. A goal once reached stays reached.")}</p>
        },
    };
    html! {
        <div class="tab-body" data-testid="challenges-panel">
            <h3>{t!("Challenges")}</h3>
            { board }
            <ol class="tour-list">{ for items }</ol>
        </div>
    }
}
