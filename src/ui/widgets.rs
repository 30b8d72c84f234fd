//! Small form widgets.

use super::util::trim;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The number in a range or number input (`valueAsNumber`), if it holds one.
pub fn input_number(e: &Event) -> Option<f64> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value_as_number())
        .filter(|x| x.is_finite())
}

pub fn input_checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

pub fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// A text field's value kept in component state (a controlled input), with its `input`
/// handler. Uncontrolled inputs would be reset by Yew when the component re-renders.
#[hook]
pub fn use_field(init: &str) -> (UseStateHandle<String>, Callback<InputEvent>) {
    let init = init.to_string();
    let v = use_state(move || init);
    let on = {
        let v = v.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            v.set(input_value(&e));
        })
    };
    (v, on)
}

#[derive(Properties, PartialEq)]
pub struct SliderProps {
    pub label: AttrValue,
    /// `data-testid` of the input.
    pub id: AttrValue,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub value: f64,
    /// Unit shown after the value.
    pub unit: AttrValue,
    /// Called when the user lets go (the `change` event).
    pub onchange: Callback<f64>,
}

/// A range input whose label follows the thumb while dragging and which reports the value
/// once, on release.
#[function_component(Slider)]
pub fn slider(p: &SliderProps) -> Html {
    let draft = use_state(|| None::<f64>);
    {
        let draft = draft.clone();
        use_effect_with(p.value.to_bits(), move |_| draft.set(None));
    }
    let shown = draft.unwrap_or(p.value);
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            if let Some(x) = input_number(&e) {
                draft.set(Some(x));
            }
        })
    };
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            if let Some(x) = input_number(&e) {
                cb.emit(x);
            }
        })
    };
    html! {
        <label class="slider">
            <span class="sl-label">{p.label.clone()}</span>
            <input type="range" min={trim(p.min, 6)} max={trim(p.max, 6)} step={trim(p.step, 6)}
                value={trim(shown, 6)} data-testid={p.id.clone()} oninput={oninput} onchange={onchange} />
            <span class="sl-value">{format!("{}{}", trim(shown, 1), p.unit)}</span>
        </label>
    }
}
