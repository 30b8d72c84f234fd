//! The Experiments view as its own small wasm module (`raftlab-experiments`), loaded by the
//! page only when `view=elections` asks for it (see `ui::lazy`), so the page's own bundle
//! does not carry it. Built by `scripts/build-experiments.sh` (a trunk post-build hook).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// Draws the Experiments panel inside `element`, in `lang` (the page's language, `en` or
/// `zh`: this module is a wasm instance of its own, so it loads its own catalog first).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn mount_experiments(element: web_sys::Element, lang: Option<String>) {
    use raftlab::ui::lang::{choose, when_ready};
    choose(lang.as_deref().and_then(raftlab::text::Lang::from_tag));
    when_ready(move || {
        yew::Renderer::<raftlab::ui::experiments::Experiments>::with_root(element).render();
    });
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("raftlab-experiments is a part of the web page: it is built by `trunk build`");
}
