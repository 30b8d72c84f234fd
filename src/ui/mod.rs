//! The page: Yew function components drawing a `ClusterView` and dispatching the page's
//! `Action`s (the model and its reducer are `crate::app`, without Yew). Only built for
//! wasm32.
//!
//! - `state`: the thin `Reducible` shim over `app::page` (`AppState`).
//! - `app`: the root component, the animation loop (only while playing and visible),
//!   keyboard shortcuts, layout.
//! - `ring`, `logs`, `side`, `controls`, `settings`: the parts of the page.
//! - `embed`: URL parameters, and `mount()` / `Handle` for embedding clusters.
//! - `tours`: the guided tours, and the export / share panel.
//! - `challenges`: the Challenges tab (goals checked live, forbidden commands).

pub mod app;
pub mod bench;
pub mod challenges;
pub mod controls;
pub mod element;
pub mod embed;
pub mod experiments;
pub mod lang;
pub mod lazy;
pub mod logs;
pub mod present;
pub mod ring;
pub mod settings;
pub mod side;
pub mod spacetime;
pub mod state;
pub mod tours;
pub mod util;
pub mod why;
pub mod widgets;

pub use app::{App, AppProps};
pub use embed::{config_from_url, mount, Handle};
pub use state::StartConfig;

/// Mounts the full page where the page asks for it: the element marked
/// `data-raftlab-app` (index.html marks its `<body>`). Loading the module anywhere else
/// (a tutorial with `<raft-cluster>` elements, or `mount()`) touches nothing outside them.
pub fn start() {
    let doc = gloo::utils::document();
    let Ok(Some(root)) = doc.query_selector("[data-raftlab-app]") else {
        return;
    };
    let config = config_from_url();
    // `theme=light|dark` forces a theme (style.css: `:root[data-theme=...]`); without it the
    // page follows the browser's `prefers-color-scheme`.
    if let (Some(t), Some(html)) = (config.theme, doc.document_element()) {
        let _ = html.set_attribute("data-theme", t.as_str());
    }
    // `lang=en|zh`, else the browser's language; Chinese waits for its catalog.
    let lang = lang::choose(config.lang);
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", embed::lang_tag(lang));
    }
    lang::when_ready(move || {
        yew::Renderer::<App>::with_root_and_props(root, AppProps { config }).render();
    });
}
