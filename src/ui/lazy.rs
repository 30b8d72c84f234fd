//! Parts of the page kept out of its bundle and loaded when first shown (and the address
//! of the files next to the module, `bundled`): the Experiments
//! view (`view=elections`) is the module `raftlab-experiments.js` next to the page's own
//! (built by `scripts/build-experiments.sh`), imported by the browser on demand.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function bundled_url(path) {
  // This snippet is served from snippets/<crate>/inline*.js: the page's files are two levels up.
  return new URL('../../' + path, import.meta.url).href;
}
export function load_experiments(el, lang, failed) {
  // This snippet is served from snippets/<crate>/inline*.js: the modules are two levels up.
  const url = new URL('../../raftlab-experiments.js', import.meta.url).href;
  return import(url)
    .then((m) => m.default().then(() => m.mount_experiments(el, lang)))
    .catch((e) => { el.textContent = failed + e; el.setAttribute('role', 'alert'); });
}
"#)]
extern "C" {
    fn load_experiments(el: &web_sys::Element, lang: &str, failed: &str) -> js_sys::Promise;
    fn bundled_url(path: &str) -> String;
}

/// The address of a file trunk copies next to the page's module (`tours/…`,
/// `challenges/…`): resolved from the module, not the document, so that the Tours and
/// Challenges tabs of a `<raft-cluster>` or a `mount()` on another site's page find them.
pub fn bundled(path: &str) -> String {
    bundled_url(path)
}

/// A place where the Experiments view appears once its module has loaded (in the page's
/// language, passed to the module: its own wasm instance chooses it and loads its catalog).
#[function_component(LazyExperiments)]
pub fn lazy_experiments() -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                let _ = load_experiments(
                    &el,
                    crate::text::lang().as_str(),
                    crate::t!("The experiments could not be loaded: "),
                );
            }
        });
    }
    html! { <div class="lazy-experiments" ref={node}></div> }
}
