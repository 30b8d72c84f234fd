//! Component tests of the page in a real browser (headless Chromium through
//! wasm-bindgen-test-runner; see scripts/test-web.sh).
#![cfg(target_arch = "wasm32")]

use raftlab::ui::{App, AppProps, StartConfig};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, MouseEvent, MouseEventInit};

mod web_common;
use web_common::{all, one};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount(config: StartConfig) -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { config }).render();
    yew::scheduler::flush().await;
    root
}

fn paused() -> StartConfig {
    StartConfig {
        autoplay: false,
        ..StartConfig::default()
    }
}

fn click(el: &Element) {
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    let e = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_five_servers_and_their_data_attributes() {
    let root = mount(paused()).await;
    let servers = all(&root, "[data-server]");
    assert_eq!(servers.len(), 5);
    for (i, s) in servers.iter().enumerate() {
        assert_eq!(
            s.get_attribute("data-server").unwrap(),
            format!("s{}", i + 1)
        );
        assert_eq!(s.get_attribute("data-role").unwrap(), "follower");
        assert_eq!(s.get_attribute("data-term").unwrap(), "0");
    }
    let clock = one(&root, "[data-virtual-time-us]");
    assert_eq!(clock.get_attribute("data-virtual-time-us").unwrap(), "0");
    assert_eq!(
        one(&root, ".app").get_attribute("data-running").unwrap(),
        "false"
    );
}

#[wasm_bindgen_test]
async fn step_advances_the_virtual_clock() {
    let root = mount(paused()).await;
    let step: HtmlElement = one(&root, "[data-testid=step]").dyn_into().unwrap();
    for _ in 0..3 {
        step.click();
    }
    yew::scheduler::flush().await;
    let t: u64 = one(&root, "[data-virtual-time-us]")
        .get_attribute("data-virtual-time-us")
        .unwrap()
        .parse()
        .unwrap();
    assert!(t > 0, "three steps handled the first events (t = {t})");
}

#[wasm_bindgen_test]
async fn the_inspector_crash_button_crashes_the_server() {
    let root = mount(paused()).await;
    click(&one(&root, "[data-server=s3]"));
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-inspected]")
            .get_attribute("data-inspected")
            .unwrap(),
        "s3"
    );
    let crash: HtmlElement = one(&root, "[data-action=crash]").dyn_into().unwrap();
    crash.click();
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-server=s3]")
            .get_attribute("data-role")
            .unwrap(),
        "crashed"
    );
    assert!(one(&root, "[data-testid=feed]")
        .text_content()
        .unwrap()
        .contains("s3 crashed"));
    // Restart brings it back as a follower.
    let restart: HtmlElement = one(&root, "[data-action=restart]").dyn_into().unwrap();
    restart.click();
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-server=s3]")
            .get_attribute("data-role")
            .unwrap(),
        "follower"
    );
}

#[wasm_bindgen_test]
async fn a_refused_command_shows_its_reason() {
    let root = mount(paused()).await;
    // A link between two servers: cut it, then travel back and try to heal (refused).
    click(&one(&root, "[data-link='s1-s2'] .link-hit"));
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-link='s1-s2']")
            .get_attribute("data-state")
            .unwrap(),
        "cut"
    );
    let step: HtmlElement = one(&root, "[data-testid=step]").dyn_into().unwrap();
    step.click();
    yew::scheduler::flush().await;
    let back: HtmlElement = one(&root, "[data-testid=back]").dyn_into().unwrap();
    back.click();
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, ".app").get_attribute("data-travelling").unwrap(),
        "true"
    );
    click(&one(&root, "[data-link='s1-s2'] .link-hit"));
    yew::scheduler::flush().await;
    let err = one(&root, "[data-testid=error]").text_content().unwrap();
    assert!(err.contains("past"), "{err}");
}

#[wasm_bindgen_test]
async fn a_bad_start_scenario_is_reported_with_line_and_column() {
    let root = mount(StartConfig {
        scenario: Some("cluster 3\nexplode s1\n".into()),
        ..paused()
    })
    .await;
    let e = one(&root, "[data-testid=scenario-error]")
        .text_content()
        .unwrap();
    assert!(e.starts_with("2:1: error:"), "{e}");
    assert_eq!(
        all(&root, "[data-server]").len(),
        5,
        "the default cluster is shown"
    );
}
