//! The `<raft-cluster>` custom element's side in Rust. The element itself is a few lines
//! of JavaScript (`www/raftlab.js`: the class, its open shadow root, the scoped style
//! sheet, attribute changes); it calls `mountElement(host, root, query)` with its
//! attributes as a query string (the URL parameters' names) and gets a `Handle`. Bad
//! attributes are shown inside the element by name, the defaults kept. The page's events
//! (`app::events`) are dispatched on the host as `CustomEvent`s with plain-object details.
//!
//! Also the handle methods a tutorial script uses: `restart`, `partition`, `heal`, `put`,
//! `get`, `speed`, `view()`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::embed::{config_from_query, js_err, Handle};
use super::state::{Action, SPEED_MAX, SPEED_MIN};
use crate::app::events::PageEvent;
use crate::app::page::put_command;
use crate::raft::ServerId;
use crate::sim::command::Command;
use crate::t;

fn to_js<T: serde::Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Mounts a cluster for a `<raft-cluster>` element: drawn inside `root` (the element's
/// shadow root's container), events dispatched on `host`, set up from `query` (the
/// element's attributes as `name=value&...`; the element
/// fetches a bundled tour (`tours/...`, `scenarios/...`) from `scenario_fallback`, the
/// address next to the module).
#[wasm_bindgen(js_name = mountElement)]
pub fn mount_element(
    host: web_sys::Element,
    root: web_sys::Element,
    query: &str,
    scenario_fallback: Option<String>,
) -> Handle {
    let mut config = config_from_query(query, true);
    config.scenario_fallback = scenario_fallback;
    config.keyboard = false;
    config.attributes = true;
    let bridge = super::state::Bridge::default();
    let target: web_sys::EventTarget = host.into();
    bridge.0.borrow_mut().on_event = Some(Rc::new(move |e: &PageEvent| {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&to_js(&e.detail));
        init.set_bubbles(true);
        init.set_composed(true);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(e.name, &init) {
            let _ = target.dispatch_event(&ev);
        }
    }));
    config.bridge = Some(bridge);
    Handle::render(root, config)
}

impl Handle {
    /// A server's id by name, checked against the cluster (`what` names the call).
    pub(super) fn server_id(&self, what: &str, name: &str) -> Result<ServerId, JsValue> {
        let id = name
            .trim()
            .strip_prefix('s')
            .and_then(|n| n.parse::<u8>().ok())
            .ok_or_else(|| {
                js_err(t!(
                    "{what}: \"{name}\" is not a server name (s1, s2, ...)",
                    what = what,
                    name = name
                ))
            })?;
        if let Ok(s) = self.session() {
            let v = s.borrow().view();
            if !v.servers.iter().any(|x| x.id == id) {
                let names: Vec<String> = v.servers.iter().map(|x| x.name.clone()).collect();
                return Err(js_err(t!(
                    "{what}: there is no server {name} (the servers: {names})",
                    what = what,
                    name = name,
                    names = names.join(" ")
                )));
            }
        }
        Ok(id)
    }
}

#[wasm_bindgen]
impl Handle {
    /// `restart("s1")` restarts a crashed server; `restart()` starts the whole cluster (or
    /// scenario) again from the beginning, as it was set up.
    pub fn restart(&self, name: Option<String>) -> Result<(), JsValue> {
        self.alive()?;
        if let Some(n) = name {
            let id = self.server_id("restart", &n)?;
            self.bridge.send(Action::Cmd(Command::Restart(id)));
            return Ok(());
        }
        self.undraw();
        self.draw();
        Ok(())
    }

    /// Partitions the network: `"s1 s2 | s3 s4 s5"` (groups separated by `|`).
    pub fn partition(&self, groups: &str) -> Result<(), JsValue> {
        self.alive()?;
        let mut out: Vec<Vec<ServerId>> = Vec::new();
        for g in groups.split('|') {
            let mut group = Vec::new();
            for name in g.split_whitespace() {
                group.push(self.server_id("partition", name)?);
            }
            if group.is_empty() {
                return Err(js_err(t!(
                    "partition: an empty group (like partition(\"s1 s2 | s3 s4 s5\"))"
                )));
            }
            out.push(group);
        }
        if out.len() < 2 {
            return Err(js_err(t!(
                "partition: expected two groups or more, separated by | (like \"s1 s2 | s3 s4 s5\")"
            )));
        }
        self.bridge.send(Action::Cmd(Command::Partition(out)));
        Ok(())
    }

    /// Heals the network (every link works again).
    pub fn heal(&self) -> Result<(), JsValue> {
        self.alive()?;
        self.bridge.send(Action::HealNetwork);
        Ok(())
    }

    /// The client writes `key = value` (single words).
    pub fn put(&self, key: &str, value: &str) -> Result<(), JsValue> {
        self.alive()?;
        put_command(key, value).map_err(|e| js_err(t!("put: {e}", e = e)))?;
        self.bridge.send(Action::Put {
            key: key.into(),
            value: value.into(),
        });
        Ok(())
    }

    /// The client reads `key` (linearizable, through the leader).
    pub fn get(&self, key: &str) -> Result<(), JsValue> {
        self.alive()?;
        let k = key.trim();
        if k.is_empty() || k.contains(char::is_whitespace) {
            return Err(js_err(t!(
                "get: expected a key (one word), found \"{key}\"",
                key = key
            )));
        }
        self.bridge.send(Action::Cmd(Command::Get(k.into())));
        Ok(())
    }

    /// Playback speed: virtual time per real time, 0.001 to 10.
    pub fn speed(&self, x: f64) -> Result<(), JsValue> {
        self.alive()?;
        if !(SPEED_MIN..=SPEED_MAX).contains(&x) {
            return Err(js_err(t!("speed: expected a number from 0.001 to 10")));
        }
        self.bridge.send(Action::SetSpeed(x));
        Ok(())
    }

    /// The cluster as shown, as a plain object (`app::events::PlainView`).
    pub fn view(&self) -> Result<JsValue, JsValue> {
        let v = self.session()?.borrow().view();
        Ok(to_js(&crate::app::events::PlainView::of(&v)))
    }
}
