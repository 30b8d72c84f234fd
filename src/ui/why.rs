//! The "why?" panel: the explanation (produced natively by `app::explain`) of what the
//! user clicked, with a link back to the moment it is about.

use yew::prelude::*;

use super::state::{Action, AppState};
use super::util::{dur, send};
use crate::app::explain::Explanation;
use crate::t;

/// The panel (nothing when no explanation is open).
pub fn why_panel(why: Option<&Explanation>, d: &UseReducerDispatcher<AppState>) -> Html {
    let Some(e) = why else {
        return html! {};
    };
    let close = send(d, Action::Why(None));
    let back = e.moment.map(|t| {
        // Just after the moment: what happened at `t` (inputs included) is shown.
        let onclick = send(d, Action::TravelTo(t + 1));
        html! {
            <button class="btn small" data-action="why-moment" onclick={onclick}
                title={t!("travel to this moment")}>{t!("◂ back to {time}", time = dur(t))}</button>
        }
    });
    html! {
        <div class="why panel" data-why={e.why.kind()} data-testid="why" aria-live="polite">
            <div class="panel-head">
                <h2>{e.title.clone()}</h2>
                <button class="btn ghost small" onclick={close} title={t!("close")} aria-label={t!("close")}>{"✕"}</button>
            </div>
            { for e.lines.iter().map(|l| html! { <p class="why-line">{l.clone()}</p> }) }
            { for back }
        </div>
    }
}
