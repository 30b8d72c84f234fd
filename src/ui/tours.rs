//! Guided tours (the `.raft` files of `tours/`, bundled into the page) and the export /
//! share panel (a run as a `.raft` file, or as a link with `?run=`).

use yew::prelude::*;

use super::state::{Action, AppState};
use crate::app::options::encode_run;

type Dispatch = UseReducerDispatcher<AppState>;

pub struct Tour {
    /// The file's name without `.raft` (`01-election`).
    pub id: &'static str,
    pub text: &'static str,
}

impl Tour {
    /// The title: the first comment line without `# Tour:`.
    pub fn title(&self) -> String {
        let first = self
            .text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('#')
            .trim();
        let t = first.strip_prefix("Tour:").unwrap_or(first).trim();
        // The first sentence only.
        let t = t.split(". ").next().unwrap_or(t).trim_end_matches('.');
        let mut c = t.chars();
        match c.next() {
            // ASCII only: Unicode case tables would cost the bundle (titles are English).
            Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
            None => self.id.to_string(),
        }
    }
}

macro_rules! tour {
    ($id:literal) => {
        Tour {
            id: $id,
            text: include_str!(concat!("../../tours/", $id, ".raft")),
        }
    };
}

/// Every tour shipped, in order.
pub fn tours() -> &'static [Tour] {
    const TOURS: &[Tour] = &[
        tour!("01-election"),
        tour!("02-replication"),
        tour!("03-leader-crash"),
        tour!("04-partition-stale-read"),
        tour!("05-figure8"),
        tour!("06-membership"),
        tour!("07-snapshots"),
        tour!("08-disruptive-server"),
        tour!("09-prevote"),
        tour!("10-joint-consensus"),
        tour!("11-leases"),
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
        let (id, text) = (t.id, t.text);
        let onclick = Callback::from(move |_| {
            current.set(Some(id));
            d.dispatch(Action::LoadScenario(text.to_string()));
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
            <h3>{"Guided tours"}</h3>
            <p class="muted small">{"Each tour plays with captions and stops at its pauses: press Next (or Back to replay from the previous stop). The ✓ count shows the tour's expectations that held."}</p>
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
        .map_err(|_| "cannot create a link".to_string())?;
    let href = format!(
        "data:text/plain;charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    let a: web_sys::HtmlElement = a.dyn_into().map_err(|_| "not a link".to_string())?;
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
            note.set(format!("link copied ({} characters)", url.len()));
            link.set(url);
        })
    };
    html! {
        <div class="export" data-testid="export-panel">
            <h3>{"Save or share this run"}</h3>
            <p class="muted small">{"The run (seed, settings and every input you made, at its moment) as a .raft scenario: loaded again it replays to exactly this state."}</p>
            <div class="row">
                <button class="btn small" data-testid="export" onclick={export}>{"Export .raft"}</button>
                <button class="btn small" data-testid="copy-link" onclick={copy}>{"Copy link"}</button>
                <span class="muted small" data-testid="copy-note">{(*note).clone()}</span>
            </div>
            if !link.is_empty() {
                <input type="text" readonly=true class="share-link" data-testid="share-link" value={(*link).clone()}
                    aria-label="link to this run" />
            }
        </div>
    }
}
