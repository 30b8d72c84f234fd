//! The space-time (Lamport) diagram: a lane per server, time left to right over the last
//! N ms up to the moment shown, each message an arrow from its sending on the sender's lane
//! to its delivery on the receiver's (a ✕ where one was lost; in flight: dashed, up to
//! where it is now), role bands with terms on the lanes, gaps while crashed. Drawn from the
//! view's trail only. Hover an arrow: the ring shows the message (and the reverse); click
//! one: selects it; click elsewhere: travels to that moment. Export as an SVG file.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Action, AppState};
use super::util::{kind_text, name, send, short_time, trimmed};
use crate::raft::ServerId;
use crate::sim::view::ServerRole;
use crate::sim::{ClusterView, Micros};
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

/// The lane label column and a lane's height (viewBox units).
const LEFT: f64 = 34.0;
const LANE: f64 = 26.0;
/// Windows offered by the zoom (ms).
const WINDOWS: [u64; 7] = [250, 500, 1000, 2000, 5000, 10_000, 30_000];
/// Arrows drawn at most (the latest), to keep a frame cheap in a busy cluster.
const MAX_ARROWS: usize = 250;

#[derive(Properties)]
pub struct SpaceTimeProps {
    pub view: Rc<ClusterView>,
    pub selected_msg: Option<u64>,
    pub hovered_msg: Option<u64>,
    /// The latest moment reached (travel goes no further).
    pub live_now: Micros,
    pub dispatch: Dispatch,
}

impl PartialEq for SpaceTimeProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.view, &o.view)
            && self.selected_msg == o.selected_msg
            && self.hovered_msg == o.hovered_msg
            && self.live_now == o.live_now
            && self.dispatch == o.dispatch
    }
}

/// Styles inside the SVG itself, so that an exported file looks the same.
const STYLE: &str = ".st-bg{fill:#fff}.st-axis{stroke:#cbd5e1;stroke-width:1}.st-name{font:600 13px system-ui,sans-serif;fill:#334155}.st-band{opacity:.22}.st-band.follower{fill:#94a3b8;opacity:.12}.st-band.precandidate{fill:#eab308}.st-band.candidate{fill:#ea580c}.st-band.leader{fill:#1d4ed8}.st-band.learner{fill:#14b8a6}.st-term{font:11px system-ui,sans-serif;fill:#475569}.st-gap{font:10px system-ui,sans-serif;fill:#b91c1c}.st-tick{font:11px system-ui,sans-serif;fill:#64748b}.st-now{stroke:#0f172a;stroke-width:1;stroke-dasharray:3 3}.st-a line.v{stroke-width:1.4}.st-a line.hit{stroke:#000;stroke-width:7;visibility:hidden;pointer-events:stroke}.st-a{cursor:pointer}.st-a.prevote line.v{stroke:#a16207}.st-a.vote line.v{stroke:#c2410c}.st-a.append line.v{stroke:#1d4ed8}.st-a.snapshot line.v{stroke:#7c3aed}.st-a.timeout_now line.v{stroke:#be123c}.st-a.client line.v{stroke:#059669}.st-a.reply line.v{stroke-dasharray:5 2}.st-a.flying line.v{stroke-dasharray:2 2}.st-a.lost line.v{stroke:#b91c1c;opacity:.8}.st-a.copy line.v{stroke-width:2.4;opacity:.7}.st-a.hot line.v,.st-a.sel line.v{stroke-width:3.2;stroke:#0f172a}.st-x{stroke:#b91c1c;stroke-width:2}.st-head{fill:#0f172a}";

#[function_component(SpaceTime)]
pub fn space_time(p: &SpaceTimeProps) -> Html {
    let zoom = use_state(|| 2usize); // 1 s
                                     // A narrower drawing on a phone (its text stays readable).
    let narrow = gloo::utils::window()
        .inner_width()
        .ok()
        .and_then(|x| x.as_f64())
        .is_some_and(|x| x < 600.0);
    let w: f64 = if narrow { 420.0 } else { 800.0 };
    let svg_ref = use_node_ref();
    let v = &p.view;
    let window_us = WINDOWS[*zoom] * 1000;
    let t1 = v.time_us;
    let t0 = t1.saturating_sub(window_us);
    // The window's left edge (before the start early in a run) and its length.
    // Early in a run, the run so far fills the width.
    let span = window_us.min(t1).max(50_000) as f64;
    let left = t1 as f64 - span;
    // The plot's width (right of the lane names).
    let pw = w - LEFT - 6.0;
    let x = move |t: Micros| LEFT + (t.clamp(t0, t1) as f64 - left) / span * pw;

    // Lanes: the servers, then the client when it has messages in the window.
    let trail = &v.trail;
    let mut lanes: Vec<ServerId> = v.servers.iter().map(|s| s.id).collect();
    let shown = |m: &&crate::sim::trail::Trace| m.sent_us <= t1 && m.end_us.is_none_or(|e| e >= t0);
    if trail
        .messages
        .iter()
        .filter(shown)
        .any(|m| m.from == 0 || m.to == 0)
    {
        lanes.push(0);
    }
    let y = |s: ServerId| {
        let i = lanes.iter().position(|&l| l == s).unwrap_or(0);
        14.0 + LANE * (i as f64 + 0.5)
    };
    let height = 14.0 + LANE * lanes.len() as f64 + 4.0;

    // The layer over the plot (`svg.st-move`, see style.css) holds the role bands and the
    // arrows: x in units since `origin`, the layer translated by the window's movement, so
    // that an element changes only when what it shows does and the browser moves what it
    // has drawn. (`origin` moves every four windows, and the scale only until the run fills
    // the window: everything on the layer is redrawn then.)
    let origin = t1 / (4 * window_us) * (4 * window_us);
    let k = pw / (span / 1000.0);
    let gx = |t: Micros| (t as f64 - origin as f64) / 1000.0 * k;

    // Role bands: each mark lasts until the server's next one (or the moment shown). On
    // the layer: the band and its lane's line (a band begun long ago starts a window before
    // `origin`, so the layer stays a few windows wide); on the diagram: its term or "crashed",
    // at the window's left edge when the band began before it.
    let mut bands = Vec::new();
    let mut labels = Vec::new();
    let mut band_keys = Keys::default();
    for (i, m) in trail.roles.iter().enumerate() {
        let end = trail
            .roles
            .iter()
            .skip(i + 1)
            .find(|n| n.server == m.server)
            .map_or(t1, |n| n.at_us);
        if end < t0 || m.at_us > t1 {
            continue;
        }
        let (xa, xb) = (x(m.at_us), x(end));
        let yy = y(m.server);
        let down = matches!(m.role, ServerRole::Crashed | ServerRole::Removed);
        let key = band_keys.unique((m.at_us << 6) | u64::from(m.server & 63));
        let (ga, gb) = (gx(m.at_us.max(origin.saturating_sub(window_us))), gx(end));
        bands.push(html! {
            <g key={key} data-band={name(m.server)} data-role={m.role.as_str()} data-term={m.term.to_string()}>
                if !down {
                    <rect class={classes!("st-band", m.role.as_str())} x={num(ga)} y={num(yy - LANE / 2.0 + 2.0)}
                        width={num((gb - ga).max(0.5))} height={num(LANE - 4.0)} />
                    <line class="st-axis" x1={num(ga)} x2={num(gb)} y1={num(yy)} y2={num(yy)} />
                }
            </g>
        });
        if down {
            labels.push(html! {
                <text class="st-gap" x={num(xa + 2.0)} y={num(yy + 3.5)}>{if xb - xa > 40.0 { down_text(m.role) } else { "✕" }}</text>
            });
        } else if xb - xa > 22.0 && m.role != ServerRole::Follower || xb - xa > 60.0 {
            labels.push(html! {
                <text class="st-term" x={num(xa + 2.0)} y={num(yy - 3.0)}>{format!("t{}", m.term)}</text>
            });
        }
    }

    // Arrows, on the layer.
    let mut drawn: Vec<_> = trail.messages.iter().filter(shown).collect();
    let hidden = drawn.len().saturating_sub(MAX_ARROWS);
    drawn.drain(..hidden);
    let arrows: Vec<ArrowData> = drawn
        .into_iter()
        .map(|m| {
            let (ya, yb) = (y(m.from), y(m.to));
            let (end, yb, flying) = match m.end_us {
                Some(e) if m.lost => (e, ya + (yb - ya) * 0.6, false),
                Some(e) => (e, yb, false),
                // In flight: dashed to where it will arrive (the window cuts it at the moment).
                None => (
                    v.messages
                        .binary_search_by_key(&m.id, |mv| mv.id)
                        .ok()
                        .map_or(t1, |i| v.messages[i].arrive_us),
                    yb,
                    true,
                ),
            };
            ArrowData {
                id: m.id,
                kind: m.kind,
                from: m.from,
                to: m.to,
                lost: m.lost,
                copy: m.copy,
                flying,
                sent_us: m.sent_us,
                x1: gx(m.sent_us),
                y1: ya,
                x2: gx(end),
                y2: yb,
                hot: p.hovered_msg == Some(m.id),
                sel: p.selected_msg == Some(m.id),
            }
        })
        .collect();
    // In groups by the time they were sent (a sixteenth of the window each): a frame
    // re-renders only the groups whose arrows changed (the newest, those with a message
    // landing, the oldest losing one), not all of them.
    // (Ids follow the order of sending, except a copy made by hand later: its group's key
    // is made distinct from the earlier group of the same time.)
    let bucket = (window_us / 16).max(1);
    let mut keys = Keys::default();
    let groups = arrows
        .chunk_by(|a, b| a.sent_us / bucket == b.sent_us / bucket)
        .map(|g| {
            let key = keys.unique(g[0].sent_us / bucket);
            html! {
                <ArrowGroup key={key} arrows={Rc::new(g.to_vec())} dispatch={p.dispatch.clone()} />
            }
        });
    // The layer's shift, in units and in % of its width.
    let shift = (left - origin as f64) / 1000.0 * k;
    let layer_box = format!(
        "left:{}%;width:{}%",
        trimmed(LEFT / w * 100.0, 4),
        trimmed(pw / w * 100.0, 4)
    );
    let layer_shift = format!("transform:translateX({}%)", trimmed(-shift / pw * 100.0, 4));
    let arrows_ref = use_node_ref();

    // Time ticks: about five labels across the window.
    let step = WINDOWS[*zoom] * 1000 / 5;
    let ticks = (0..=5).filter_map(|i| {
        let t = (t0 / step + i) * step;
        (t >= t0 && t <= t1).then(|| html! {
            <text class="st-tick" x={num(x(t))} y="11" text-anchor="middle">{short_time(t)}</text>
        })
    });

    let onclick = {
        let d = p.dispatch.clone();
        let svg_ref = svg_ref.clone();
        let live = p.live_now;
        Callback::from(move |e: MouseEvent| {
            let Some(el) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let vx = (e.client_x() as f64 - r.left()) * w / r.width();
            if vx < LEFT {
                return;
            }
            let t = left + (vx - LEFT) / pw * span;
            d.dispatch(Action::TravelTo((t.max(0.0) as Micros).min(live)));
        })
    };
    let zoom_by = |delta: isize| {
        let zoom = zoom.clone();
        Callback::from(move |_| {
            let z = (*zoom as isize + delta).clamp(0, WINDOWS.len() as isize - 1);
            zoom.set(z as usize);
        })
    };
    let export = {
        let (svg_ref, arrows_ref) = (svg_ref.clone(), arrows_ref.clone());
        Callback::from(move |_| {
            let (Some(el), Some(layer)) = (
                svg_ref.cast::<web_sys::Element>(),
                arrows_ref.cast::<web_sys::Element>(),
            ) else {
                return;
            };
            // One drawing: the arrows' layer put back into the diagram, where it is shown.
            let mut text = svg_text(&el);
            let arrows = format!(
                "<svg x=\"{}\" y=\"0\" width=\"{}\" height=\"{}\"><g transform=\"translate({},0)\">{}</g></svg>",
                num(LEFT),
                num(pw),
                num(height),
                num(-shift),
                layer.inner_html()
            );
            if let Some(i) = text.rfind("</svg>") {
                text.insert_str(i, &arrows);
            }
            save_svg("raftlab-spacetime.svg", text, false);
        })
    };
    let export_ring = Callback::from(move |_| {
        if let Ok(Some(el)) = gloo::utils::document().query_selector("svg.ring") {
            save_svg("raftlab-ring.svg", svg_text(&el), true);
        }
    });
    let lane_names = lanes.iter().map(|&s| {
        html! {
            <g data-lane={if s == 0 { "client".to_string() } else { name(s) }}>
                <line class="st-axis" x1={num(LEFT)} x2={num(w - 6.0)} y1={num(y(s))} y2={num(y(s))} />
                <text class="st-name" x="2" y={num(y(s) + 4.0)}>{if s == 0 { t!("cl").to_string() } else { name(s) }}</text>
            </g>
        }
    });
    html! {
        <div class="spacetime panel" data-spacetime="" data-window-ms={WINDOWS[*zoom].to_string()}>
            <div class="st-bar">
                <strong>{t!("Space-time")}</strong>
                if hidden > 0 {
                    <span class="muted" data-testid="st-capped">{t!("the latest {n} messages (zoom in to see them all)", n = MAX_ARROWS)}</span>
                }
                <span class="muted">{t!("last {window} · click an arrow to select it (at its sending), elsewhere to travel there", window = short_time(window_us))}</span>
                <span class="st-tools">
                    <button class="btn ghost small" data-testid="st-zoom-in" title={t!("a shorter window")} onclick={zoom_by(-1)} disabled={*zoom == 0}>{"+"}</button>
                    <button class="btn ghost small" data-testid="st-zoom-out" title={t!("a longer window")} onclick={zoom_by(1)} disabled={*zoom + 1 == WINDOWS.len()}>{"−"}</button>
                    <button class="btn ghost small" data-testid="export-spacetime" onclick={export}>{t!("Export SVG")}</button>
                    <button class="btn ghost small" data-testid="export-ring" onclick={export_ring}>{t!("Ring SVG")}</button>
                </span>
            </div>
            <div class="st-wrap">
            <svg ref={svg_ref} class="st" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", num(w), num(height))}
                role="img" aria-label={t!("space-time diagram of the messages")} onclick={onclick}>
                <style>{STYLE}</style>
                <rect class="st-bg" x="0" y="0" width={num(w)} height={num(height)} />
                { for ticks }
                { for lane_names }
                { for labels }
            </svg>
            <div class="st-arrows" style={layer_box}>
                <svg ref={arrows_ref} class="st-move" xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", num(pw), num(height))}
                    style={layer_shift}><g>{ for bands }</g><g>{ for groups }</g></svg>
            </div>
            </div>
        </div>
    }
}

/// The keys of one keyed list of the layer: a wanted key already taken (two role marks
/// of a server at one moment, a copy made by hand later than the messages after it) gets
/// another, far above any wanted one.
#[derive(Default)]
struct Keys(Vec<u64>);

impl Keys {
    fn unique(&mut self, mut key: u64) -> u64 {
        while self.0.contains(&key) {
            key += 1 << 60;
        }
        self.0.push(key);
        key
    }
}

/// What an arrow shows.
#[derive(Clone, Copy, PartialEq)]
struct ArrowData {
    id: u64,
    kind: &'static str,
    from: ServerId,
    to: ServerId,
    lost: bool,
    copy: bool,
    flying: bool,
    sent_us: Micros,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    hot: bool,
    sel: bool,
}

#[derive(Properties)]
struct ArrowGroupProps {
    arrows: Rc<Vec<ArrowData>>,
    dispatch: Dispatch,
}

impl PartialEq for ArrowGroupProps {
    fn eq(&self, o: &Self) -> bool {
        (Rc::ptr_eq(&self.arrows, &o.arrows) || self.arrows == o.arrows)
            && self.dispatch == o.dispatch
    }
}

#[function_component(ArrowGroup)]
fn arrow_group(p: &ArrowGroupProps) -> Html {
    html! {
        <g>{ for p.arrows.iter().map(|a| html! { <Arrow key={a.id} a={*a} dispatch={p.dispatch.clone()} /> }) }</g>
    }
}

#[derive(Properties, PartialEq)]
struct ArrowProps {
    a: ArrowData,
    dispatch: Dispatch,
}

#[function_component(Arrow)]
fn arrow(props: &ArrowProps) -> Html {
    let (p, dispatch) = (&props.a, &props.dispatch);
    let id = p.id;
    let reply = p.kind.ends_with("_reply");
    let base = if p.kind.starts_with("client") {
        "client"
    } else {
        p.kind.trim_end_matches("_reply")
    };
    let class = classes!(
        "st-a",
        base,
        reply.then_some("reply"),
        p.lost.then_some("lost"),
        p.copy.then_some("copy"),
        p.flying.then_some("flying"),
        p.hot.then_some("hot"),
        p.sel.then_some("sel")
    );
    let d = dispatch.clone();
    let (past, sent) = (!p.flying, p.sent_us);
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        // A message no longer in flight: back to when it was sent, to show it then.
        if past {
            d.dispatch(Action::TravelTo(sent));
        }
        d.dispatch(Action::SelectMsg(Some(id)))
    });
    let hover = |on: bool| send(dispatch, Action::HoverMsg(on.then_some(id)));
    let (x1, y1, x2, y2) = (num(p.x1), num(p.y1), num(p.x2), num(p.y2));
    let who = |s: ServerId| {
        if s == 0 {
            "client".to_string()
        } else {
            name(s)
        }
    };
    let shown_who = |s: ServerId| {
        if s == 0 {
            t!("client").to_string()
        } else {
            name(s)
        }
    };
    html! {
        <g class={class} data-arrow={id.to_string()} data-from={who(p.from)} data-to={who(p.to)}
            data-arrow-type={p.kind} data-lost={p.lost.to_string()} data-copy={p.copy.to_string()}
            onclick={onclick} onmouseenter={hover(true)} onmouseleave={hover(false)}>
            <title>{format!("{}{}{}",
                t!("{id} {kind} {from} → {to}", id = id, kind = kind_text(p.kind), from = shown_who(p.from), to = shown_who(p.to)),
                if p.lost { t!(" (lost)") } else { "" }, if p.copy { t!(" (a copy)") } else { "" })}</title>
            <line class="hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="v" x1={x1} y1={y1} x2={x2.clone()} y2={y2.clone()} />
            if p.lost {
                <path class="st-x" d={format!("M{x2},{y2}m-3,-3l6,6m0,-6l-6,6")} />
            } else if !p.flying {
                <circle class="st-head" cx={x2} cy={y2} r="2" />
            }
        </g>
    }
}

/// The text on a lane while its server is down.
fn down_text(r: ServerRole) -> &'static str {
    match r {
        ServerRole::Removed => t!("removed"),
        _ => t!("crashed"),
    }
}

/// An SVG element's markup, with its namespace (for a file of its own).
fn svg_text(el: &web_sys::Element) -> String {
    let text = el.outer_html();
    if text.contains("xmlns=") {
        text
    } else {
        text.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1)
    }
}

/// Downloads SVG markup as a file; `page_css`: with the page's style rules inside (the
/// ring is styled by the page's style sheet).
fn save_svg(file: &str, mut text: String, page_css: bool) {
    if page_css {
        let css = page_rules();
        if let Some(i) = text.find('>') {
            text.insert_str(i + 1, &format!("<style>{css}</style>"));
        }
    }
    let doc = gloo::utils::document();
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let href = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&text)
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", file);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
}

/// The text of the page's style rules (those it may read).
fn page_rules() -> String {
    use js_sys::Reflect;
    let get = |o: &wasm_bindgen::JsValue, k: &str| Reflect::get(o, &k.into()).unwrap_or_default();
    let len = |o: &wasm_bindgen::JsValue| get(o, "length").as_f64().unwrap_or(0.0) as u32;
    let mut out = String::new();
    let sheets = get(&gloo::utils::document().into(), "styleSheets");
    for i in 0..len(&sheets) {
        let sheet = Reflect::get_u32(&sheets, i).unwrap_or_default();
        let rules = get(&sheet, "cssRules");
        for j in 0..len(&rules) {
            let r = Reflect::get_u32(&rules, j).unwrap_or_default();
            if let Some(t) = get(&r, "cssText").as_string() {
                out.push_str(&t);
            }
        }
    }
    out.replace("</", "<\\/")
}

/// A coordinate with one decimal at most.
fn num(x: f64) -> String {
    trimmed(x, 1).to_string()
}
