//! The cluster drawn as a ring (SVG): links between servers (click to cut or mend),
//! servers with their role, term, vote and timer, the client in the middle, and the
//! messages in flight moving along their path by virtual time (click to drop/duplicate).

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, AppState};
use super::util::{
    fixed, kind_text, math, name, on_activate, reduced_motion, ring_pos, role_label, send,
    term_color, trim,
};
use crate::raft::{id_map, IdMap, ServerId, Term};
use crate::sim::command::Command;
use crate::sim::view::ServerRole;
use crate::sim::ClusterView;
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

pub const RING_R: f64 = 215.0;
pub const NODE_R: f64 = 34.0;

#[derive(Properties)]
pub struct RingProps {
    pub view: Rc<ClusterView>,
    pub selected: Option<ServerId>,
    pub selected_msg: Option<u64>,
    /// The message under the pointer (here or on the space-time diagram).
    #[prop_or_default]
    pub hovered_msg: Option<u64>,
    pub dispatch: Dispatch,
}

/// A new view is a new `Rc`: comparing pointers is enough (and cheap, every frame).
impl PartialEq for RingProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.view, &o.view)
            && self.selected == o.selected
            && self.selected_msg == o.selected_msg
            && self.hovered_msg == o.hovered_msg
            && self.dispatch == o.dispatch
    }
}

/// Positions of the servers on the ring (the client is at the centre, id 0).
pub fn positions(view: &ClusterView) -> IdMap<(f64, f64)> {
    let n = view.servers.len();
    let mut m = id_map(
        view.servers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, ring_pos(i, n, RING_R))),
    );
    m.insert(0, (0.0, 0.0));
    m
}

#[function_component(Ring)]
pub fn ring(p: &RingProps) -> Html {
    let v = &p.view;
    let pos = positions(v);
    let group = |s: ServerId| v.network.group_of(s);
    let alive = |s: ServerId| {
        v.servers
            .iter()
            .find(|x| x.id == s)
            .is_some_and(|x| x.role != ServerRole::Removed)
    };

    // Links between every pair of servers.
    let mut links = Vec::new();
    for (i, a) in v.servers.iter().enumerate() {
        for b in v.servers.iter().skip(i + 1) {
            if !alive(a.id) || !alive(b.id) {
                continue;
            }
            let cut = v.network.cuts.contains(&(a.id.min(b.id), a.id.max(b.id)));
            let blocked = group(a.id) != group(b.id);
            let state = if cut {
                "cut"
            } else if blocked {
                "blocked"
            } else {
                "up"
            };
            links.push(html! {
                <Link key={a.id as u64 * 16 + b.id as u64} a={a.id} b={b.id}
                    from={pos[&a.id]} to={pos[&b.id]} state={state} dispatch={p.dispatch.clone()} />
            });
        }
    }

    let marks = JointMarks::of(v);
    let servers = v.servers.iter().map(|s| {
        let (x, y) = pos[&s.id];
        let timer = if s.role == ServerRole::Leader {
            s.heartbeat_timer.map(|t| (t, true))
        } else {
            s.election_timer.map(|t| (t, false))
        };
        let timer = timer.map(|(t, hb)| {
            let span = t.due_us.saturating_sub(t.start_us).max(1) as f64;
            let left = t.due_us.saturating_sub(v.time_us) as f64;
            (((left / span).clamp(0.0, 1.0) * 240.0).round() as u16, hb)
        });
        let votes = s
            .votes
            .iter()
            .filter(|(w, _)| *w != s.id)
            .filter_map(|&(w, g)| {
                pos.get(&w)
                    .map(|&(vx, vy)| (math::atan2(vx - x, vy - y), g))
            })
            .map(|(a, g)| ((a * 1000.0).round() as i32, g))
            .collect::<Vec<_>>();
        html! {
            <ServerNode key={s.id as u64} id={s.id} role={s.role} term={s.term} vote={s.vote}
                x={x} y={y} timer={timer} votes={votes} lease={s.lease}
                selected={p.selected == Some(s.id)} effective={v.leader == Some(s.id)}
                joint={marks.as_ref().map(|m| m.of_server(s.id))} dispatch={p.dispatch.clone()} />
        }
    });

    let still = reduced_motion();
    // Each dot's place at this moment, in the order of the dots: written straight onto
    // their elements after the render (below), so that a moving message costs one attribute
    // a frame and its component renders only when what it shows changes.
    let mut places = Vec::with_capacity(2 * v.messages.len());
    let messages = v
        .messages
        .iter()
        .filter_map(|m| {
            let (&(fx, fy), &(tx, ty)) = (pos.get(&m.from)?, pos.get(&m.to)?);
            let (dx, dy) = (tx - fx, ty - fy);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / len, dy / len);
            let r_from = if m.from == 0 { 22.0 } else { NODE_R + 4.0 };
            let r_to = if m.to == 0 { 22.0 } else { NODE_R + 4.0 };
            let (sx, sy) = (fx + ux * r_from, fy + uy * r_from);
            let (ex, ey) = (tx - ux * r_to, ty - uy * r_to);
            let span = m.arrive_us.saturating_sub(m.sent_us).max(1) as f64;
            // With reduced motion a message waits at the middle of its link until delivered.
            let f = if still {
                0.5
            } else {
                (v.time_us.saturating_sub(m.sent_us) as f64 / span).clamp(0.0, 1.0)
            };
            // Requests and replies on one link travel on either side of it.
            let side = if m.from < m.to { 7.0 } else { -7.0 };
            let (nx, ny) = (-uy * side, ux * side);
            let x = sx + (ex - sx) * f + nx;
            let y = sy + (ey - sy) * f + ny;
            places.extend([(x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0]);
            Some(html! {
                <MessageDot key={m.id} id={m.id} kind={m.kind} reply={m.is_reply}
                    label={AttrValue::from(m.label.clone())}
                    doomed={m.doomed} selected={p.selected_msg == Some(m.id)} hot={p.hovered_msg == Some(m.id)} dispatch={p.dispatch.clone()} />
            })
        })
        .collect::<Html>();
    let dots = use_node_ref();
    {
        let dots = dots.clone();
        use_effect(move || {
            if let Some(g) = dots.cast::<web_sys::Element>() {
                place_dots(&g, &places);
            }
        });
    }

    let client_busy = v.client.current.as_ref().map(|o| o.op.to_string());
    let on_bg = send(&p.dispatch, Action::Select(None));
    html! {
        <>
        { membership_bar(v) }
        <svg class={classes!("ring", still.then_some("still"))} viewBox="-300 -300 600 600" role="group"
            aria-label={t!("the cluster: servers, links and messages in flight (Tab to reach them, Enter to act)")}>
            <defs>
                <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <line x1="0" y1="0" x2="0" y2="6" style="stroke:var(--line-2)" stroke-width="3" />
                </pattern>
            </defs>
            <rect x="-300" y="-300" width="600" height="600" fill="transparent" onclick={on_bg} />
            <g class="links">{ for links }</g>
            <g class="client" data-client="">
                <rect x="-26" y="-15" width="52" height="30" rx="8" />
                <text y="4" text-anchor="middle">{t!("client")}</text>
                if let Some(op) = client_busy {
                    <text class="client-op" y="30" text-anchor="middle">{op}</text>
                }
            </g>
            // Messages under the servers: a click on a server reaches the server even when
            // a message is just leaving or arriving at it.
            <g class="messages" ref={dots}>{ messages }</g>
            <g class="servers">{ for servers }</g>
        </svg>
        </>
    }
}

/// While the configuration is joint: C_old, C_new and the servers whose vote or
/// acknowledgement counts now.
struct JointMarks {
    old: Vec<ServerId>,
    new: Vec<ServerId>,
    yes: Vec<ServerId>,
}

impl JointMarks {
    fn of(v: &ClusterView) -> Option<JointMarks> {
        let m = v.membership().filter(|m| m.joint())?;
        Some(JointMarks {
            old: m.old,
            new: m.new,
            yes: v.counting().map(|c| c.yes).unwrap_or_default(),
        })
    }

    /// Whether `s` is in C_old and in C_new (0: no, 1: yes, 2: yes and it counts now).
    fn of_server(&self, s: ServerId) -> (u8, u8) {
        let mark =
            |set: &[ServerId]| u8::from(set.contains(&s)) * (1 + u8::from(self.yes.contains(&s)));
        (mark(&self.old), mark(&self.new))
    }
}

/// Above the ring, while a change is visible: the configuration (both halves while joint,
/// the learners) and which majority the votes or acknowledgements counted now reach.
fn membership_bar(v: &ClusterView) -> Html {
    let Some(m) = v.membership() else {
        return Html::default();
    };
    if !m.joint() && m.learners.is_empty() && m.committed {
        return Html::default();
    }
    let names = |s: &[ServerId]| s.iter().map(|&x| name(x)).collect::<Vec<_>>().join(" ");
    let counting = v.counting().filter(|_| m.joint()).map(|c| {
        let part = |label: &str, t: crate::sim::view::Tally| {
            format!("{label} {}/{}{}", t.yes, t.of, if t.won() { " ✓" } else { "" })
        };
        let what = if c.votes {
            t!("{server}'s votes", server = name(c.server))
        } else {
            t!("acks of index {index} on {server}", index = c.index, server = name(c.server))
        };
        let mut text = what + ": ";
        if let Some(o) = c.old {
            text.push_str(&part(t!("old"), o));
            text.push_str(" · ");
        }
        text.push_str(&part(t!("new"), c.new));
        text.push_str(" — ");
        text.push_str(if c.won() { t!("both majorities") } else { t!("needs a majority of both") });
        let frac = |t: crate::sim::view::Tally| format!("{}/{}", t.yes, t.of);
        html! {
            <div class={classes!("majorities", c.won().then_some("won"))} data-testid="majorities"
                data-count={if c.votes { "votes" } else { "acks" }} data-old={c.old.map(frac).unwrap_or_default()}
                data-new={frac(c.new)} data-won={c.won().to_string()}>{text}</div>
        }
    });
    html! {
        <div class={classes!("members-bar", m.joint().then_some("joint"))} data-testid="membership" data-joint={m.joint().to_string()}
            data-old={names(&m.old)} data-new={names(&m.new)} data-learners={names(&m.learners)} data-committed={m.committed.to_string()}>
            <div class="mb-line">
                if m.joint() {
                    <b>{"C_old,new "}</b>
                    <span class="mb-set old"><i>{"O"}</i>{t!("old {servers}", servers = names(&m.old))}</span>
                    <span class="mb-set new"><i>{"N"}</i>{t!("new {servers}", servers = names(&m.new))}</span>
                } else {
                    <span class="mb-set">{t!("voters {servers}", servers = names(&m.new))}</span>
                }
                if !m.learners.is_empty() {
                    <span class="mb-set learners">{t!("learners (dashed) {servers}", servers = names(&m.learners))}</span>
                }
                if !m.committed {
                    <span class="mb-pending">{t!("index {index} not committed yet", index = m.index)}</span>
                }
            </div>
            { for counting }
        </div>
    }
}

/// The two marks of a server while joint: O (in C_old) and N (in C_new), filled when its
/// vote or acknowledgement counts toward that majority now.
fn joint_badges(old: u8, new: u8) -> Html {
    let badge = |m: u8, x: f64, cls: &'static str, letter: &'static str, half: &'static str| {
        (m > 0).then(|| {
            html! {
                <g class={classes!("jbadge", cls, (m == 2).then_some("counted"))} transform={format!("translate({},-40)", trim(x, 1))}>
                    <title>{half}</title>
                    <circle r="11.5" />
                    <text y="4.5" text-anchor="middle">{letter}</text>
                </g>
            }
        })
    };
    let which = match (old > 0, new > 0) {
        (true, true) => "old new",
        (true, false) => "old",
        (false, true) => "new",
        _ => "",
    };
    html! {
        <g class="joint-marks" data-joint-marks={which}
            data-counted={match (old == 2, new == 2) { (true, true) => "old new", (true, false) => "old", (false, true) => "new", _ => "" }}>
            { for badge(old, -37.0, "old", "O", t!("in C_old (filled: its vote or ack counts now)")) }
            { for badge(new, 37.0, "new", "N", t!("in C_new (filled: its vote or ack counts now)")) }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct LinkProps {
    a: ServerId,
    b: ServerId,
    from: (f64, f64),
    to: (f64, f64),
    state: &'static str,
    dispatch: Dispatch,
}

#[function_component(Link)]
fn link(p: &LinkProps) -> Html {
    let (a, b, state) = (p.a, p.b, p.state);
    let act = {
        let d = p.dispatch.clone();
        move || match state {
            "cut" => d.dispatch(Action::Cmd(Command::Mend(a, b))),
            "up" => d.dispatch(Action::Cmd(Command::Cut(a, b))),
            _ => d.dispatch(Action::Error(t!(
                "s{a}–s{b} is blocked by the partition: heal the network to restore it",
                a = a,
                b = b
            ))),
        }
    };
    let onkeydown = on_activate(act.clone());
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        act()
    });
    let (x1, y1) = p.from;
    let (x2, y2) = p.to;
    let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    let title = match state {
        "cut" => t!(
            "s{a}–s{b} is cut: click (or Enter) to mend it",
            a = a,
            b = b
        ),
        "blocked" => t!(
            "s{a}–s{b} is blocked by the partition (heal to restore)",
            a = a,
            b = b
        ),
        _ => t!("s{a}–s{b}: click (or Enter) to cut this link", a = a, b = b),
    };
    html! {
        <g class={classes!("link", state)} data-link={format!("s{a}-s{b}")} data-state={state} onclick={onclick}
            tabindex="0" role="button" aria-label={title.clone()} onkeydown={onkeydown}>
            <title>{title}</title>
            <line class="link-line" x1={trim(x1, 1)} y1={trim(y1, 1)} x2={trim(x2, 1)} y2={trim(y2, 1)} />
            <line class="link-hit" x1={trim(x1, 1)} y1={trim(y1, 1)} x2={trim(x2, 1)} y2={trim(y2, 1)} />
            if state == "cut" {
                <g class="cut-mark" transform={format!("translate({},{})", fixed(mx, 1), fixed(my, 1))}>
                    <circle r="8" />
                    <path d="M-4,-4 L4,4 M4,-4 L-4,4" />
                </g>
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct ServerNodeProps {
    id: ServerId,
    role: ServerRole,
    term: Term,
    vote: Option<ServerId>,
    x: f64,
    y: f64,
    /// Remaining fraction of the timer in 1/240 and whether it is the heartbeat.
    timer: Option<(u16, bool)>,
    /// Votes received: direction of the voter (milliradians) and granted.
    votes: Vec<(i32, bool)>,
    lease: bool,
    selected: bool,
    /// The leader that `leader any` finds (not a stale one).
    effective: bool,
    /// While joint: in C_old and in C_new (see `joint_marks`).
    #[prop_or_default]
    joint: Option<(u8, u8)>,
    dispatch: Dispatch,
}

#[function_component(ServerNode)]
fn server_node(p: &ServerNodeProps) -> Html {
    let id = p.id;
    let select = {
        let d = p.dispatch.clone();
        move || d.dispatch(Action::Select(Some(id)))
    };
    let onkeydown = on_activate(select.clone());
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        select()
    });
    let down = p.role.is_down();
    let fill = if down {
        "var(--node-down)"
    } else {
        term_color(p.term)
    };
    let circ = std::f64::consts::TAU * (NODE_R + 7.0);
    let timer = p.timer.map(|(f, hb)| {
        let len = circ * f as f64 / 240.0;
        html! {
            <circle class={classes!("timer", hb.then_some("heartbeat"))} r={trim(NODE_R + 7.0, 1)}
                stroke-dasharray={format!("{} {}", fixed(len, 1), fixed(circ, 1))} transform="rotate(-90)" />
        }
    });
    let votes = p.votes.iter().map(|&(a, g)| {
        let a = a as f64 / 1000.0;
        let r = NODE_R + 16.0;
        html! {
            <circle class={if g { "vote-dot granted" } else { "vote-dot refused" }}
                cx={trim(r * math::sin(a), 1)} cy={trim(r * math::cos(a), 1)} r="5" />
        }
    });
    let role_text = match p.role {
        ServerRole::Leader if !p.effective => t!("leader (stale?)"),
        r => role_label(r),
    };
    html! {
        <g class={classes!("server", p.role.as_str(), p.selected.then_some("selected"))}
            data-server={name(id)} data-role={p.role.as_str()} data-term={p.term.to_string()}
            transform={format!("translate({},{})", fixed(p.x, 1), fixed(p.y, 1))} onclick={onclick}
            tabindex="0" role="button" aria-pressed={p.selected.to_string()} onkeydown={onkeydown}>
            <title>{t!("s{id}: {role} in term {term} — click to inspect", id = id, role = role_text, term = p.term)}</title>
            if p.selected { <circle class="halo" r={trim(NODE_R + 14.0, 1)} /> }
            <circle class="timer-track" r={trim(NODE_R + 7.0, 1)} />
            { for timer }
            <circle class="body" r={trim(NODE_R, 1)} style={format!("fill:{fill}")} />
            if p.role == ServerRole::Leader {
                <path class="crown" d="M-14,-50 L-14,-60 L-7,-54 L0,-64 L7,-54 L14,-60 L14,-50 Z" />
            }
            <text class="sname" y="-4" text-anchor="middle">{name(id)}</text>
            <text class="sterm" y="14" text-anchor="middle">{t!("term {term}", term = p.term)}</text>
            if p.role == ServerRole::Crashed {
                <path class="crash-x" d="M-22,-22 L22,22 M22,-22 L-22,22" />
            }
            { for votes }
            if let Some((o, n)) = p.joint { { joint_badges(o, n) } }
            <text class="srole" y={trim(NODE_R + 22.0, 1)} text-anchor="middle">{role_text}</text>
            if let Some(v) = p.vote.filter(|_| !down || p.role == ServerRole::Crashed) {
                <text class="svote" y={trim(NODE_R + vote_dy(), 1)} text-anchor="middle">{t!("voted {server}", server = name(v))}</text>
            }
        </g>
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function place_dots(g, xy) {
  const k = g.children;
  for (let i = 0; i < k.length && 2 * i + 1 < xy.length; i++) {
    const t = `translate(${xy[2 * i]},${xy[2 * i + 1]})`;
    if (k[i].getAttribute('transform') !== t) k[i].setAttribute('transform', t);
  }
}
"#)]
extern "C" {
    /// Moves the message dots (the children of `g`, in the order of the keyed list, which
    /// Yew keeps in the document) to their places (x, y pairs) of this frame, in one call
    /// rather than one per dot. Yew never writes their `transform`, so it stays as set here.
    fn place_dots(g: &web_sys::Element, xy: &[f64]);
}

/// How far below the server's centre its vote is written: Chinese glyphs fill their em
/// box, so the line under the role word sits a little lower.
fn vote_dy() -> f64 {
    if crate::text::lang() == crate::text::Lang::En {
        35.0
    } else {
        38.0
    }
}

#[derive(Properties, PartialEq)]
struct MessageDotProps {
    id: u64,
    kind: &'static str,
    reply: bool,
    label: AttrValue,
    doomed: bool,
    selected: bool,
    hot: bool,
    dispatch: Dispatch,
}

#[function_component(MessageDot)]
fn message_dot(p: &MessageDotProps) -> Html {
    let id = p.id;
    let select = {
        let d = p.dispatch.clone();
        move || d.dispatch(Action::SelectMsg(Some(id)))
    };
    let onkeydown = on_activate(select.clone());
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        select()
    });
    let hover = |on: bool| send(&p.dispatch, Action::HoverMsg(on.then_some(id)));
    let base = p.kind.trim_end_matches("_reply");
    let shape = match base {
        "prevote" => html! { <path class="shape" d="M0,-8 L8,0 L0,8 L-8,0 Z" /> },
        "vote" => html! { <circle class="shape" r="7" /> },
        "append" => html! { <rect class="shape" x="-8" y="-6" width="16" height="12" rx="2" /> },
        "snapshot" => html! { <rect class="shape" x="-9" y="-9" width="18" height="18" rx="3" /> },
        "timeout_now" => html! { <path class="shape" d="M0,-9 L8,7 L-8,7 Z" /> },
        _ => html! { <rect class="shape" x="-9" y="-6" width="18" height="12" rx="6" /> },
    };
    html! {
        <g class={classes!("msg", base, p.reply.then_some("reply"), p.doomed.then_some("doomed"), p.selected.then_some("selected"), p.hot.then_some("hot"))}
            data-msg-type={p.kind} data-msg-id={id.to_string()} onmouseenter={hover(true)} onmouseleave={hover(false)}
            onclick={onclick}
            tabindex="0" role="button" onkeydown={onkeydown}>
            <title>{t!("{kind} — click (or Enter) to drop or duplicate it", kind = kind_text(p.kind))}</title>
            <circle class="msg-hit" r="13" />
            if p.selected { <circle class="msg-halo" r="13" /> }
            { shape }
            if !p.label.is_empty() {
                <text class="msg-label" x="11" y="4">{p.label.clone()}</text>
            }
        </g>
    }
}
