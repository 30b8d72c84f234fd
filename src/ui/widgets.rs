//! Small form widgets.

use super::util::trim;
use std::cell::RefCell;
use std::rc::Rc;
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

/// Component state that event handlers read fresh.
///
/// A `use_state` value is a snapshot of the last render. On a busy page Yew's scheduler
/// yields to the browser between renders, so a click can arrive before the re-render that
/// followed the previous input: a handler holding the snapshot would act on stale state
/// (submit the text typed before, lose the previous click's change). `Live` keeps the value
/// in a shared cell: `get`/`update` always see the latest, and changes re-render.
pub struct Live<T> {
    value: Rc<RefCell<T>>,
    redraw: UseForceUpdateHandle,
}

impl<T> Clone for Live<T> {
    fn clone(&self) -> Self {
        Live {
            value: self.value.clone(),
            redraw: self.redraw.clone(),
        }
    }
}

impl<T: Clone> Live<T> {
    pub fn get(&self) -> T {
        self.value.borrow().clone()
    }

    pub fn set(&self, value: T) {
        *self.value.borrow_mut() = value;
        self.redraw.force_update();
    }

    /// Changes the value in place (from its latest state) and re-renders.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        f(&mut self.value.borrow_mut());
        self.redraw.force_update();
    }
}

#[hook]
pub fn use_live<T: 'static>(init: impl FnOnce() -> T) -> Live<T> {
    Live {
        value: use_mut_ref(init),
        redraw: use_force_update(),
    }
}

/// A text field's value (for a controlled input: uncontrolled inputs would be reset by Yew
/// when the component re-renders) and its `input` handler.
#[hook]
pub fn use_field(init: &str) -> (Live<String>, Callback<InputEvent>) {
    let init = init.to_string();
    let field = use_live(move || init);
    let on = {
        let field = field.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            field.set(input_value(&e));
        })
    };
    (field, on)
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
