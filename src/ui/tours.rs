//! Guided tours (the `.raft` files of `tours/`, fetched from next to the page's module
//! when chosen) and the export / share panel (a run as a `.raft` file, or as a link with
//! `?run=`).

use yew::prelude::*;

use super::state::{Action, AppState};
use crate::app::options::encode_run;
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

pub struct Tour {
    /// The file's name without `.raft` (`01-election`).
    pub id: &'static str,
}

impl Tour {
    /// The first sentence of the file's first line, without `# Tour:`, in the page's
    /// language.
    pub fn title(&self) -> &'static str {
        match self.id {
            "01-election" => t!("Leader election and split votes"),
            "02-replication" => t!("Log replication and commit"),
            "03-leader-crash" => t!("Leader crash and recovery"),
            "04-partition-stale-read" => {
                t!("A network partition, the stale leader, and why reads need ReadIndex")
            }
            "05-figure8" => t!(
                "Figure 8 of the Raft paper - why a leader commits only entries of its own term"
            ),
            "06-membership" => t!("Membership change, one server at a time"),
            "07-snapshots" => t!("Snapshots and a lagging follower"),
            "08-disruptive-server" => t!("A disruptive rejoining server (pre-vote off)"),
            "09-prevote" => t!("Pre-vote keeps a rejoining server from disrupting the leader"),
            "10-joint-consensus" => t!("Why joint consensus"),
            "11-leases" => t!("Leases and clocks"),
            other => other,
        }
    }
}

/// Every tour shipped, in order. The page fetches a tour's file when it is chosen (the
/// files are copied next to the page), so their texts do not weigh on the bundle.
pub fn tours() -> &'static [Tour] {
    const TOURS: &[Tour] = &[
        Tour { id: "01-election" },
        Tour {
            id: "02-replication",
        },
        Tour {
            id: "03-leader-crash",
        },
        Tour {
            id: "04-partition-stale-read",
        },
        Tour { id: "05-figure8" },
        Tour {
            id: "06-membership",
        },
        Tour { id: "07-snapshots" },
        Tour {
            id: "08-disruptive-server",
        },
        Tour { id: "09-prevote" },
        Tour {
            id: "10-joint-consensus",
        },
        Tour { id: "11-leases" },
    ];
    TOURS
}

#[derive(Properties, PartialEq)]
pub struct TourProps {
    pub dispatch: Dispatch,
}

#[function_component(TourPanel)]
pub fn tour_panel(p: &TourProps) -> Html {
    let current = use_state(|| None::<&'static str>);
    let items = tours().iter().map(|t| {
        let active = *current == Some(t.id);
        let (d, current) = (p.dispatch.clone(), current.clone());
        let id = t.id;
        let onclick = Callback::from(move |_| {
            current.set(Some(id));
            super::app::fetch_then(
                super::lazy::bundled(&format!("tours/{id}.raft")),
                t!("tour {id}", id = id),
                d.clone(),
                Action::LoadScenario,
            );
        });
        html! {
            <li key={t.id}>
                <button class={classes!("btn", "small", "tour", active.then_some("primary"))} data-tour={t.id} onclick={onclick}>
                    {t.title()}
                </button>
            </li>
        }
    });
    html! {
        <div class="tab-body" data-testid="tours-panel">
            <h3>{t!("Guided tours")}</h3>
            <p class="muted small">{t!("Each tour plays with captions and stops at its pauses: press Next (or Back to replay from the previous stop). The ✓ count shows the tour's expectations that held.")}</p>
            <ol class="tour-list">{ for items }</ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// Returns the current run as `.raft` text.
    pub export: Callback<(), String>,
    pub dispatch: Dispatch,
}

/// Downloads `text` as `name` (a data: URL on a temporary link).
fn download(name: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let doc = gloo::utils::document();
    let a = doc
        .create_element("a")
        .map_err(|_| t!("cannot create a link").to_string())?;
    let href = format!(
        "data:text/plain;charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    let a: web_sys::HtmlElement = a.dyn_into().map_err(|_| t!("not a link").to_string())?;
    a.click();
    Ok(())
}

/// This page's address without its query, plus `?run=...`.
fn run_link(text: &str) -> String {
    let loc = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    format!("{base}?run={}", encode_run(text))
}

#[function_component(ExportPanel)]
pub fn export_panel(p: &ExportProps) -> Html {
    // Kept in state: re-renders never reset the field.
    let link = use_state(String::new);
    let note = use_state(String::new);
    let export = {
        let (ex, d) = (p.export.clone(), p.dispatch.clone());
        Callback::from(move |_| {
            let text = ex.emit(());
            if let Err(e) = download("raftlab-run.raft", &text) {
                d.dispatch(Action::Error(e));
            }
        })
    };
    let copy = {
        let (ex, link, note) = (p.export.clone(), link.clone(), note.clone());
        Callback::from(move |_| {
            let url = run_link(&ex.emit(()));
            let clip = gloo::utils::window().navigator().clipboard();
            let _ = clip.write_text(&url);
            note.set(t!("link copied ({n} characters)", n = url.len()));
            link.set(url);
        })
    };
    html! {
        <div class="export" data-testid="export-panel">
            <h3>{t!("Save or share this run")}</h3>
            <p class="muted small">{t!("The run (seed, settings and every input you made, at its moment) as a .raft scenario: loaded again it replays to exactly this state.")}</p>
            <div class="row">
                <button class="btn small" data-testid="export" onclick={export}>{t!("Export .raft")}</button>
                <button class="btn small" data-testid="copy-link" onclick={copy}>{t!("Copy link")}</button>
                <span class="muted small" data-testid="copy-note">{(*note).clone()}</span>
            </div>
            if !link.is_empty() {
                <input type="text" readonly=true class="share-link" data-testid="share-link" value={(*link).clone()}
                    aria-label={t!("link to this run")} />
            }
        </div>
    }
}
