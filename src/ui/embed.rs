//! Starting the page from URL parameters, and the JavaScript API for authors who embed
//! clusters without iframes: `mount(element, options)` returns a `Handle`. Every instance
//! has its own state (no globals shared between instances) and embeds never listen to the
//! document's keyboard.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::app::{App, AppProps};
use super::state::{Action, Bridge, StartConfig};
use crate::app::options::{
    apply_option, decode_run, parse_query, start_speed, EmbedOptions, ScenarioSource,
};
use crate::app::session::Session;
use crate::sim::command::Command;
use crate::t;

/// The start configuration for `options`; `speed_given` says whether a speed was asked for
/// (else the page's own default speed is used).
pub fn config_from_options(o: EmbedOptions, speed_given: bool) -> StartConfig {
    let mut cfg = StartConfig {
        servers: o.setup.servers,
        seed: o.setup.seed,
        speed: start_speed(&o, speed_given),
        autoplay: o.autoplay,
        setup: Some(o.setup.clone()),
        controls: o.controls,
        view: o.view,
        present: o.present,
        theme: o.theme,
        lang: o.lang,
        challenge: o.challenge,
        ..StartConfig::default()
    };
    match o.scenario {
        Some(ScenarioSource::Text(t)) => {
            cfg.stop_at_end = super::state::is_export(&t);
            cfg.scenario = Some(t);
        }
        Some(ScenarioSource::Path(p)) => cfg.scenario_path = Some(p),
        None => {}
    }
    if let Some(run) = o.run {
        cfg.scenario = Some(run);
        cfg.stop_at_end = true;
    }
    cfg
}

/// Reads the page's URL parameters (see `sim::embed::parse_query`). Bad parameters are
/// listed in `param_errors` and keep their defaults.
pub fn config_from_url() -> StartConfig {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    config_from_query(&search, false)
}

/// `config_from_url` for any query string; `attributes`: they are a `<raft-cluster>`
/// element's attributes (the errors say "attribute", not "parameter").
pub fn config_from_query(search: &str, attributes: bool) -> StartConfig {
    let q = search.strip_prefix('?').unwrap_or(search).to_string();
    // `bug=` is a test hook of the page (not an embed option): taken out first.
    let mut bug = None;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    let mut speed_given = false;
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        if k == "bug" {
            bug = Some(v.into_owned());
        } else {
            speed_given |= k == "speed";
            rest.append_pair(&k, &v);
        }
    }
    let (o, errors) = parse_query(&rest.finish());
    let speed_ok = !errors.iter().any(|e| e.param == "speed");
    let mut cfg = config_from_options(o, speed_given && speed_ok);
    let said = |param: &str, message: &str| {
        if attributes {
            t!(
                "attribute {param}: {message}",
                param = param,
                message = message
            )
        } else {
            t!(
                "parameter {param}: {message}",
                param = param,
                message = message
            )
        }
    };
    cfg.param_errors = errors.iter().map(|e| said(&e.param, &e.message)).collect();
    if let Some(b) = bug {
        use crate::raft::bugs::{set, Bug};
        match b.parse::<Bug>() {
            Ok(x) => set(x, true),
            Err(e) => cfg.param_errors.push(said("bug", &e.to_string())),
        }
    }
    cfg
}

pub(super) fn js_err(msg: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(msg.as_ref()).into()
}

/// A JS option value as the text `apply_option` reads.
fn option_text(name: &str, v: &JsValue) -> Result<String, JsValue> {
    if let Some(b) = v.as_bool() {
        return Ok(if b { "on" } else { "off" }.into());
    }
    if let Some(x) = v.as_f64() {
        // JavaScript's own number text (no float formatting in the wasm).
        return Ok(js_sys::Number::from(x)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default());
    }
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    Err(js_err(t!(
        "option {name}: expected a string, a number or a boolean",
        name = name
    )))
}

/// Reads `mount()`'s options object (the names of the URL parameters).
pub fn options_from_js(options: &JsValue) -> Result<(EmbedOptions, bool), JsValue> {
    let mut o = EmbedOptions::default();
    let mut speed_given = false;
    if options.is_undefined() || options.is_null() {
        return Ok((o, false));
    }
    let obj: &js_sys::Object = options
        .dyn_ref()
        .ok_or_else(|| js_err(t!("mount(element, options): options must be an object")))?;
    for entry in js_sys::Object::entries(obj).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = option_text(&name, &pair.get(1))?;
        apply_option(&mut o, &name, &value)
            .map_err(|e| js_err(t!("option {name}: {e}", name = name, e = e)))?;
        speed_given |= name == "speed";
    }
    Ok((o, speed_given))
}

/// A cluster mounted by `mount()`.
#[wasm_bindgen]
pub struct Handle {
    /// The drawn app (none while the page's language is still loading, or once destroyed).
    pub(super) app: Rc<RefCell<Option<yew::AppHandle<App>>>>,
    pub(super) destroyed: Rc<Cell<bool>>,
    pub(super) bridge: Bridge,
    /// Where it is drawn and how it started (for `restart()`).
    pub(super) root: web_sys::Element,
    pub(super) config: StartConfig,
}

impl Handle {
    pub(super) fn alive(&self) -> Result<(), JsValue> {
        if self.destroyed.get() {
            return Err(js_err(t!("this raftlab cluster was destroyed")));
        }
        Ok(())
    }

    pub(super) fn session(&self) -> Result<Rc<RefCell<Session>>, JsValue> {
        self.alive()?;
        self.bridge
            .0
            .borrow()
            .session
            .clone()
            .ok_or_else(|| js_err(t!("the cluster is not drawn yet")))
    }
}

#[wasm_bindgen]
impl Handle {
    pub fn play(&self) -> Result<(), JsValue> {
        self.alive()?;
        self.bridge.send(Action::Play);
        Ok(())
    }

    pub fn pause(&self) -> Result<(), JsValue> {
        self.alive()?;
        self.bridge.send(Action::Pause);
        Ok(())
    }

    /// Loads and plays a scenario; a parse error is thrown as `line:col: error: ...`.
    pub fn load(&self, scenario_text: &str) -> Result<(), JsValue> {
        self.alive()?;
        if let Err(e) = Session::from_scenario(scenario_text) {
            return Err(js_err(e.to_string()));
        }
        self.bridge
            .send(Action::LoadScenario(scenario_text.to_string()));
        Ok(())
    }

    /// Crashes a server by name (`s1`).
    pub fn crash(&self, name: &str) -> Result<(), JsValue> {
        let id = self.server_id("crash", name)?;
        self.bridge.send(Action::Cmd(Command::Crash(id)));
        Ok(())
    }

    /// The run so far as a `.raft` scenario (see the page's Export).
    pub fn export(&self) -> Result<String, JsValue> {
        Ok(self.session()?.borrow().export())
    }

    /// A compact text of the cluster's state (time, and each server's role, term, vote,
    /// commit, applied and log), to compare two runs.
    pub fn snapshot(&self) -> Result<String, JsValue> {
        let v = self.session()?.borrow().view();
        Ok(snapshot_text(&v))
    }

    /// Plays a loaded scenario to its end at once (through its pauses), then pauses.
    pub fn finish(&self) -> Result<(), JsValue> {
        self.session()?;
        self.bridge.send(Action::Finish);
        Ok(())
    }

    /// Unmounts the cluster (its animation frames and listeners stop).
    pub fn destroy(&self) {
        self.destroyed.set(true);
        self.undraw();
    }
}

/// A compact, comparable text of a view.
pub fn snapshot_text(v: &crate::sim::ClusterView) -> String {
    let mut out = format!("t={} events={}", v.time_us, v.events);
    for s in &v.servers {
        let log: Vec<String> = s
            .log
            .iter()
            .map(|e| format!("{}:{}:{}", e.index, e.term, e.text))
            .collect();
        out.push_str(&format!(
            "\n{} {} term={} vote={:?} commit={} applied={} log=[{}]",
            s.name,
            s.role,
            s.term,
            s.vote,
            s.commit,
            s.applied,
            log.join(",")
        ));
    }
    out
}

/// Mounts a cluster inside `element`. `options` has the names of the URL parameters
/// (`{servers: 3, seed: 7, prevote: true, controls: "minimal", scenario: "..."}`); a bad
/// option throws an error naming it.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<Handle, JsValue> {
    let (o, speed_given) = options_from_js(&options)?;
    if let Some(text) = &o.run {
        // decode_run already checked it decompresses; check it parses too.
        Session::from_scenario(text)
            .map_err(|e| js_err(t!("option {name}: {e}", name = "run", e = e)))?;
    }
    if let Some(ScenarioSource::Text(t)) = &o.scenario {
        Session::from_scenario(t)
            .map_err(|e| js_err(t!("option {name}: {e}", name = "scenario", e = e)))?;
    }
    let mut config = config_from_options(o, speed_given);
    config.keyboard = false;
    // `theme`: the element mounted into carries it (style.css: `[data-theme=dark]`); an
    // embedder's own custom properties on that element still win.
    if let Some(t) = config.theme {
        element.set_attribute("data-theme", t.as_str())?;
    }
    Ok(Handle::render(element, config))
}

impl Handle {
    /// Draws a cluster set up by `config` inside `root` (its bridge is made here) — once
    /// the page's language can be shown (`lang::when_ready`); calls made before are queued
    /// by the bridge.
    pub fn render(root: web_sys::Element, mut config: StartConfig) -> Handle {
        let bridge = config.bridge.clone().unwrap_or_default();
        config.bridge = Some(bridge.clone());
        let lang = super::lang::choose(config.lang);
        let _ = root.set_attribute("lang", lang_tag(lang));
        let h = Handle {
            app: Rc::default(),
            destroyed: Rc::default(),
            bridge,
            root,
            config,
        };
        h.draw();
        h
    }

    /// Draws the app (again) into the handle's root, when the language is ready.
    pub(super) fn draw(&self) {
        let (slot, destroyed) = (self.app.clone(), self.destroyed.clone());
        let (root, config) = (self.root.clone(), self.config.clone());
        super::lang::when_ready(move || {
            if destroyed.get() {
                return;
            }
            let app = yew::Renderer::<App>::with_root_and_props(root, AppProps { config }).render();
            if let Some(old) = slot.borrow_mut().replace(app) {
                old.destroy();
            }
        });
    }

    /// Unmounts the app (its animation frames and listeners stop) and unhooks it from the
    /// bridge (calls made before the next drawing are queued for it).
    pub(super) fn undraw(&self) {
        if let Some(app) = self.app.borrow_mut().take() {
            app.destroy();
        }
        let mut b = self.bridge.0.borrow_mut();
        b.dispatch = None;
        b.session = None;
        b.pending.clear();
    }
}

/// The `lang` attribute of a language (for screen readers and fonts).
pub fn lang_tag(l: crate::text::Lang) -> &'static str {
    match l {
        crate::text::Lang::En => "en",
        crate::text::Lang::Zh => "zh-Hans",
    }
}

/// `decode_run` for JavaScript (a `?run=` value back to its `.raft` text).
#[wasm_bindgen(js_name = decodeRun)]
pub fn decode_run_js(encoded: &str) -> Result<String, JsValue> {
    decode_run(encoded).map_err(js_err)
}
