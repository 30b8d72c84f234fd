//! The page's language (`crate::text`): chosen once per page — by the first cluster drawn
//! (`lang=` as URL parameter, element attribute or `mount()` option), else the browser's
//! language — and, for Chinese, the catalog `lang/zh.txt` fetched next to the module
//! before anything is drawn, so that no sentence appears in the other language.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::text::{self, Lang};

thread_local! {
    static CHOSEN: Cell<Option<Lang>> = const { Cell::new(None) };
    static LOADING: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// The browser's preferred language, if it is one of ours (else English).
pub fn browser_lang() -> Lang {
    let nav = gloo::utils::window().navigator();
    let mut tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = nav.language() {
        tags.push(l);
    }
    tags.iter()
        .find_map(|t| Lang::from_tag(t))
        .unwrap_or(Lang::En)
}

/// The page's language: the first call decides (`asked`, else the browser's); later
/// clusters asking for another one get the page's (one language per page; said in the
/// browser console).
pub fn choose(asked: Option<Lang>) -> Lang {
    if let Some(l) = CHOSEN.with(|c| c.get()) {
        if asked.is_some_and(|a| a != l) {
            web_sys::console::warn_1(
                &format!(
                    "raftlab: this page already shows clusters in {}; one language per page",
                    l.as_str()
                )
                .into(),
            );
        }
        return l;
    }
    let l = asked.unwrap_or_else(browser_lang);
    CHOSEN.with(|c| c.set(Some(l)));
    text::set_lang(l);
    l
}

/// Runs `f` once the page's language can be shown: at once for English or a loaded
/// catalog; else after `lang/zh.txt` has been fetched (if it cannot be, the page stays in
/// English and the console says why).
pub fn when_ready(f: impl FnOnce() + 'static) {
    if text::lang() == Lang::En || text::zh_loaded() {
        f();
        return;
    }
    WAITING.with(|w| w.borrow_mut().push(Box::new(f)));
    if LOADING.with(|l| l.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let url = super::lazy::bundled("lang/zh.txt");
        let res = super::app::fetch_text(&url)
            .await
            .and_then(|t| text::load_zh(&t).map_err(|e| format!("{url}: {e}")));
        if let Err(e) = res {
            web_sys::console::error_1(&format!("raftlab: no Chinese text: {e}").into());
            text::set_lang(Lang::En);
        }
        LOADING.with(|l| l.set(false));
        let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
        for f in waiting {
            f();
        }
    });
}

/// For a script: resolves once clusters can be drawn in `lang` (`"zh"`, `"en"`, a tag such
/// as `"zh-CN"`, or nothing for the browser's language); `mount()` waits by itself.
#[wasm_bindgen(js_name = loadLanguage)]
pub fn load_language(lang: Option<String>) -> js_sys::Promise {
    let asked = lang.as_deref().and_then(Lang::from_tag);
    choose(asked);
    js_sys::Promise::new(&mut |resolve, _| {
        when_ready(move || {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(text::lang().as_str()));
        })
    })
}
