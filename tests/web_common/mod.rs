//! Helpers shared by the browser component tests (tests/web_*.rs).

use wasm_bindgen::JsCast;
use web_sys::Element;

/// Every element under `root` matching `sel`.
pub fn all(root: &Element, sel: &str) -> Vec<Element> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

/// The element under `root` matching `sel` (the test fails if there is none).
pub fn one(root: &Element, sel: &str) -> Element {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {sel}"))
}
