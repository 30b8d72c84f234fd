//! Component tests of the Experiments panel (the election-timing experiment) in a real
//! browser (headless Chromium through wasm-bindgen-test-runner; see scripts/test-web.sh).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use raftlab::ui::experiments::Experiments;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlInputElement, HtmlSelectElement, MouseEvent, MouseEventInit,
};

mod web_common;
use web_common::{all, one};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Experiments>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

fn click(el: &Element) {
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    let e = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

/// Keeps only `ranges` checked and sets the trials per range.
async fn choose(root: &Element, ranges: &[&str], trials: u32) {
    for t in all(root, "[data-range-toggle]") {
        let want = ranges.contains(&t.get_attribute("data-range-toggle").unwrap().as_str());
        let input = t.clone().dyn_into::<HtmlInputElement>().unwrap();
        if input.checked() != want {
            input.set_checked(want);
            fire(&t, "change");
            yew::scheduler::flush().await;
        }
    }
    let sel = one(root, "[data-testid=\"exp-trials\"]");
    sel.clone()
        .dyn_into::<HtmlSelectElement>()
        .unwrap()
        .set_value(&trials.to_string());
    fire(&sel, "change");
    yew::scheduler::flush().await;
}

async fn run_until_done(root: &Element, limit_s: f64) {
    click(&one(root, "[data-testid=\"exp-run\"]"));
    yew::scheduler::flush().await;
    let panel = one(root, "[data-experiments]");
    let t0 = js_sys::Date::now();
    loop {
        yew::platform::time::sleep(Duration::from_millis(20)).await;
        if panel.get_attribute("data-state").as_deref() == Some("done") {
            return;
        }
        assert!(
            js_sys::Date::now() - t0 < limit_s * 1000.0,
            "the experiment did not finish within {limit_s} s"
        );
    }
}

#[wasm_bindgen_test]
async fn the_panel_starts_idle_with_six_ranges_and_an_empty_plot() {
    let root = mount().await;
    let panel = one(&root, "[data-experiments]");
    assert_eq!(panel.get_attribute("data-state").unwrap(), "idle");
    let toggles: Vec<String> = all(&root, "[data-range-toggle]")
        .iter()
        .map(|t| t.get_attribute("data-range-toggle").unwrap())
        .collect();
    assert_eq!(
        toggles,
        ["150-150", "150-151", "150-155", "150-175", "150-200", "150-300"]
    );
    let sel = one(&root, "[data-testid=\"exp-trials\"]")
        .dyn_into::<HtmlSelectElement>()
        .unwrap();
    assert_eq!(sel.value(), "1000");
    one(&root, "svg[data-plot=\"cdf\"]");
    assert!(all(&root, "path[data-range]").is_empty());
}

#[wasm_bindgen_test]
async fn randomized_timeouts_elect_quickly_and_equal_timeouts_split_votes() {
    let root = mount().await;
    choose(&root, &["150-150", "150-300"], 100).await;
    // The inputs keep their values across re-renders.
    assert_eq!(
        one(&root, "[data-testid=\"exp-trials\"]")
            .dyn_into::<HtmlSelectElement>()
            .unwrap()
            .value(),
        "100"
    );
    run_until_done(&root, 60.0).await;

    let rows = all(&root, "tr[data-range]");
    assert_eq!(rows.len(), 2);
    let row = |k: &str| one(&root, &format!("tr[data-range=\"{k}\"]"));
    let over = |k: &str| -> u32 { row(k).get_attribute("data-over").unwrap().parse().unwrap() };
    assert_eq!(over("150-300"), 0, "150–300 ms: no trial over 10 s");
    assert!(
        over("150-150") > 0,
        "150–150 ms: split votes, trials over 10 s"
    );
    let median: f64 = row("150-300")
        .get_attribute("data-median-ms")
        .unwrap()
        .parse()
        .unwrap();
    assert!(median > 75.0 && median < 1000.0, "median {median}");

    let svg = one(&root, "svg[data-plot=\"cdf\"]");
    for k in ["150-150", "150-300"] {
        let path = svg
            .query_selector(&format!("path[data-range=\"{k}\"]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no curve for {k}"));
        assert!(path.get_attribute("d").unwrap().starts_with('M'));
    }
    // Unchecked ranges have no curve.
    assert!(svg
        .query_selector("path[data-range=\"150-175\"]")
        .unwrap()
        .is_none());
    assert!(one(&root, "[data-experiments]")
        .get_attribute("data-wall-ms")
        .is_some());
}
