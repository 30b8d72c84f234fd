//! The inspector (a server's full state and actions), the client panel, the event feed,
//! and the selected message's box.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, AppState};
use super::util::{dur, kind_text, name, progress_label, role_label, send, shown_name};
use super::widgets::use_field;
use crate::app::explain::Why;
use crate::app::page::next_put_value;
use crate::raft::ServerId;
use crate::sim::client::{Answer, Hop};
use crate::sim::command::Command;
use crate::sim::feed::{FeedItem, FeedKind};
use crate::sim::view::{ClientView, MessageView, ServerRole, ServerView};
use crate::sim::Micros;
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

fn cmd_button(
    d: &Dispatch,
    label: &str,
    action: &'static str,
    cmd: Command,
    title: &str,
    enabled: bool,
    refused: &[(&'static str, String)],
) -> Html {
    let onclick = send(d, Action::Cmd(cmd));
    // A challenge that forbids this kind of command: disabled, saying why.
    let why = refused.iter().find(|r| r.0 == action).map(|r| r.1.clone());
    html! {
        <button class={classes!("btn", "small", action)} data-action={action} onclick={onclick}
            title={why.clone().unwrap_or_else(|| title.to_string())} data-refused={why.clone()}
            disabled={!enabled || why.is_some()}>{label.to_string()}</button>
    }
}

/// The selected server's full state and what can be done to it (`refused`: the kinds of
/// command the challenge played refuses now, and why). A plain function, not a component:
/// it shows the clock, so it would re-render at every frame anyway.
pub fn inspector(
    server: Option<&ServerView>,
    now: Micros,
    leader: Option<ServerId>,
    d: &Dispatch,
    refused: &[(&'static str, String)],
) -> Html {
    let Some(s) = server else {
        return html! {
            <div class="inspector panel" data-testid="inspector">
                <h2>{t!("Inspector")}</h2>
                <p class="muted">{t!("Click a server on the ring (or a row of the logs) to see its full state and act on it.")}</p>
            </div>
        };
    };
    let id = s.id;
    let up = !s.role.is_down();
    let close = send(d, Action::Select(None));
    let why = |w: Why| send(d, Action::Why(Some(w)));
    let (why_server, why_read) = (why(Why::Server(id)), why(Why::Read(id)));
    let timer = |t: Option<crate::sim::cluster::TimerState>| match t {
        Some(t) => t!(
            "fires in {left} (at {at})",
            left = dur(t.due_us.saturating_sub(now)),
            at = dur(t.due_us)
        ),
        None => "—".into(),
    };
    let opt = |x: Option<ServerId>| x.map_or("—".to_string(), name);
    let row = |k: &str, v: String| html! { <tr><th>{k.to_string()}</th><td>{v}</td></tr> };
    let progress = (!s.progress.is_empty()).then(|| {
        html! {
            <>
            <table class="progress">
                <thead><tr><th>{t!("follower")}</th><th>{t!("next")}</th><th>{t!("match")}</th><th>{t!("state")}</th><th title={t!("appends in flight / window")}>{t!("in flight")}</th></tr></thead>
                <tbody>{ for s.progress.iter().map(|pr| html! {
                    <tr title={pr.sending.clone()} data-progress-of={name(pr.server)}>
                        <td>{ if pr.voter { name(pr.server) } else { t!("{server} (joining)", server = name(pr.server)) } }</td><td>{pr.next}</td><td>{pr.matched}</td><td>{progress_label(pr.state)}</td>
                        <td>{format!("{}/{}", pr.inflight, pr.window)}</td>
                    </tr>
                }) }</tbody>
            </table>
            <ul class="sending" data-testid="sending">{ for s.progress.iter().map(|pr| html! {
                <li data-sending={name(pr.server)}><b>{name(pr.server)}</b>{": "}{pr.sending.clone()}</li>
            }) }</ul>
            </>
        }
    });
    let votes = s
        .votes
        .iter()
        .map(|(v, g)| format!("{}{}", name(*v), if *g { "✓" } else { "✗" }))
        .collect::<Vec<_>>()
        .join(" ");
    let kv =
        s.kv.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
    html! {
        <div class="inspector panel selected" data-testid="inspector" data-inspected={name(id)}>
            <div class="panel-head">
                <h2>{t!("Inspector — {server}", server = name(id))}</h2>
                <button class={classes!("role-pill", s.role.as_str())} data-action="why-server" onclick={why_server}
                    title={t!("why has it this role and term?")}>{t!("{role} · term {term} · why?", role = role_label(s.role), term = s.term)}</button>
                <button class="btn ghost small" onclick={close} title={t!("close")}>{"✕"}</button>
            </div>
            <div class="actions">
                { cmd_button(d, t!("Crash"), "crash", Command::Crash(id), t!("stop it: volatile state is lost, term/vote/log/snapshot survive"), up, refused) }
                { cmd_button(d, t!("Restart"), "restart", Command::Restart(id), t!("start it again from its durable state"), s.role == ServerRole::Crashed, refused) }
                { cmd_button(d, t!("Force timeout"), "timeout", Command::Timeout(id), t!("its election timer fires now"), up, refused) }
                { cmd_button(d, t!("Transfer leadership here"), "transfer", Command::Transfer(id), t!("the leader hands leadership to this server"), up && leader != Some(id), refused) }
                { cmd_button(d, t!("Remove"), "remove", Command::Remove(id), t!("remove it from the configuration (through the leader)"), s.role != ServerRole::Removed, refused) }
                { cmd_button(d, t!("Compact"), "compact", Command::Compact(id), t!("take a snapshot at its applied index"), up, refused) }
                { cmd_button(d, t!("Isolate"), "isolate", Command::Isolate(id), t!("cut every link to it"), s.role != ServerRole::Removed, refused) }
            </div>
            <div class="cols">
                <table class="state">
                    <tbody>
                        <tr class="group"><th colspan="2">{t!("durable")}</th></tr>
                        { row(t!("current term"), s.term.to_string()) }
                        { row(t!("voted for"), opt(s.vote)) }
                        { row(t!("log"), t!("{n} entries (last index {last})", n = s.log.len(), last = s.snapshot_index + s.log.len() as u64)) }
                        { row(t!("snapshot"), if s.snapshot_index > 0 { t!("up to index {index} (term {term})", index = s.snapshot_index, term = s.snapshot_term) } else { t!("none").into() }) }
                        <tr class="group"><th colspan="2">{t!("volatile")}</th></tr>
                        { row(t!("role"), role_label(s.role).into()) }
                        { row(t!("knows leader"), opt(s.leader)) }
                        { row(t!("commit index"), s.commit.to_string()) }
                        { row(t!("last applied"), s.applied.to_string()) }
                        { row(t!("configuration"), s.config.iter().map(|&c| name(c)).collect::<Vec<_>>().join(" ")) }
                        { row(t!("member"), if s.member { t!("yes").into() } else { t!("not yet (joining)").into() }) }
                        { row(t!("election timer"), timer(s.election_timer)) }
                        { row(t!("heartbeat timer"), timer(s.heartbeat_timer)) }
                        { row(t!("lease (check-quorum)"), if s.lease { t!("heard from a leader recently").into() } else { t!("no").into() }) }
                        if !votes.is_empty() { { row(t!("votes received"), votes) } }
                        if let Some(t) = s.transfer_to { { row(t!("transferring to"), name(t)) } }
                        if s.pending_reads > 0 {
                            <tr><th>{t!("pending reads")}</th><td>{s.pending_reads.to_string()}{" "}
                                <button class="btn ghost small" data-action="why-read" onclick={why_read}>{t!("why waiting?")}</button></td></tr>
                        }
                        { row(t!("state machine"), if kv.is_empty() { t!("empty").into() } else { kv }) }
                    </tbody>
                </table>
                { for progress }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClientProps {
    pub client: ClientView,
    pub servers: Vec<ServerId>,
    pub dispatch: Dispatch,
}

fn outcome(o: &Option<Answer>) -> String {
    match o {
        Some(Answer::Ok) => t!("ok").into(),
        Some(Answer::Value { value: Some(v) }) => format!("= {v}"),
        Some(Answer::Value { value: None }) => t!("= none (unset)").into(),
        Some(Answer::Refused { why }) => t!("refused: {why}", why = why),
        None => "…".into(),
    }
}

#[function_component(ClientPanel)]
pub fn client_panel(p: &ClientProps) -> Html {
    let d = &p.dispatch;
    // Controlled fields: re-renders (the client's state changes often) never reset them.
    let (key, on_key) = use_field("x");
    let (val, on_val) = use_field("1");
    let (gkey, on_gkey) = use_field("x");
    let put = {
        let (d, key, val) = (d.clone(), key.clone(), val.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (k, v) = (key.get(), val.get());
            if let Some(next) = next_put_value(&k, &v) {
                val.set(next);
            }
            d.dispatch(Action::Put { key: k, value: v });
        })
    };
    let get = {
        let (d, gkey) = (d.clone(), gkey.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            d.dispatch(Action::Get(gkey.get()));
        })
    };
    let c = &p.client;
    let via = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v: String = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            d.dispatch(Action::Cmd(Command::ClientVia(
                v.strip_prefix('s').and_then(|n| n.parse().ok()),
            )));
        })
    };
    let via_value = c.via.map_or("leader".to_string(), name);
    let current = c.current.as_ref().map(|o| {
        html! {
            <div class="current" data-testid="client-current">
                <div><b>{t!("in progress:")}{" "}</b>{o.op.to_string()}{format!(" (#{})", o.request)}</div>
                { path(&o.path) }
            </div>
        }
    });
    let last = c.history.last().map(|o| {
        html! {
            <div class="last-result" data-testid="client-result">
                <b>{o.op.to_string()}</b>{" → "}<span class="res">{outcome(&o.outcome)}</span>
                { o.answered_by.map(|s| format!(" {}", t!("by {server}", server = name(s)))).unwrap_or_default() }
                { o.completed_us.map(|t| format!(" {}", t!("in {time}", time = dur(t.saturating_sub(o.invoked_us))))).unwrap_or_default() }
                { path(&o.path) }
            </div>
        }
    });
    let history = c.history.iter().rev().take(12).map(|o| {
        html! {
            <li key={o.request}>
                <span class="op">{format!("#{} {}", o.request, o.op)}</span>
                <span class="res">{outcome(&o.outcome)}</span>
                <span class="muted">{ if o.path.len() == 1 { t!("{n} hop", n = 1) } else { t!("{n} hops", n = o.path.len()) } }</span>
            </li>
        }
    });
    html! {
        <div class="client-panel panel" data-testid="client">
            <div class="panel-head">
                <h2>{t!("Client")}</h2>
                <label class="via small">{t!("send to")}{" "}
                    <select data-testid="client-via" onchange={via} aria-label={t!("send requests to")}>
                        <option value="leader" selected={c.via.is_none()}>{t!("the leader it knows")}</option>
                        { for p.servers.iter().map(|&s| html! {
                            <option value={name(s)} selected={via_value == name(s)}>{name(s)}</option>
                        }) }
                    </select>
                </label>
            </div>
            <form class="row" onsubmit={put}>
                <span class="lbl">{t!("put")}</span>
                <input data-testid="put-key" value={key.get()} oninput={on_key} size="4" aria-label={t!("key")} />
                <input data-testid="put-value" value={val.get()} oninput={on_val} size="4" aria-label={t!("value")} />
                <button class="btn small primary" data-testid="put">{t!("Put")}</button>
            </form>
            <form class="row" onsubmit={get}>
                <span class="lbl">{t!("get")}</span>
                <input data-testid="get-key" value={gkey.get()} oninput={on_gkey} size="4" aria-label={t!("key")} />
                <button class="btn small" data-testid="get">{t!("Get")}</button>
                <span class="muted small">{t!("linearizable read")}</span>
            </form>
            if !c.queued.is_empty() { <div class="muted small">{t!("queued: {ops}", ops = c.queued.join(", "))}</div> }
            { for current }
            { for last }
            if !c.history.is_empty() {
                <ol class="history" data-testid="client-history" tabindex="0" aria-label={t!("the client's requests, newest first")}>{ for history }</ol>
            }
        </div>
    }
}

/// The servers a request went through, and why it moved on from each.
fn path(hops: &[Hop]) -> Html {
    html! {
        <div class="path" data-testid="client-path">
            { for hops.iter().map(|h| (h.to, &h.why)).map(|(to, why)| html! {
                <span class="hop" title={why.clone()}>{"→ "}<b>{shown_name(to)}</b><small>{format!(" {why}")}</small></span>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FeedProps {
    pub feed: Rc<Vec<FeedItem>>,
    pub dispatch: Dispatch,
}

#[function_component(Feed)]
pub fn feed(p: &FeedProps) -> Html {
    // While the pointer is over the list it holds still (new events would push the item
    // being clicked away); it catches up when the pointer leaves.
    let held = use_state(|| None::<Rc<Vec<FeedItem>>>);
    let shown = held.as_ref().unwrap_or(&p.feed).clone();
    let newer = if held.is_some() {
        p.feed
            .first()
            .map_or(0, |f| f.seq)
            .saturating_sub(shown.first().map_or(0, |f| f.seq))
    } else {
        0
    };
    let enter = {
        let (held, feed) = (held.clone(), p.feed.clone());
        Callback::from(move |_: MouseEvent| held.set(Some(feed.clone())))
    };
    let leave = {
        let held = held.clone();
        Callback::from(move |_: MouseEvent| held.set(None))
    };
    let items = shown.iter().map(|f| {
        let t = f.time_us;
        let onclick = send(&p.dispatch, Action::TravelTo(t));
        let kind = match f.kind {
            FeedKind::Role => "role",
            FeedKind::Vote => "vote",
            FeedKind::Log => "log",
            FeedKind::Commit => "commit",
            FeedKind::Snapshot => "snapshot",
            FeedKind::Config => "config",
            FeedKind::Transfer => "transfer",
            FeedKind::Client => "client",
            FeedKind::Action => "action",
            FeedKind::Message => "message",
            FeedKind::Safety => "safety",
        };
        let why = f
            .server
            .filter(|_| matches!(f.kind, FeedKind::Role | FeedKind::Vote | FeedKind::Commit | FeedKind::Action))
            .map(|s| {
                let d = p.dispatch.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    // Just after the moment: what happened at `t` (inputs included) is shown.
                    d.dispatch(Action::TravelTo(t + 1));
                    d.dispatch(Action::Why(Some(Why::Server(s))));
                });
                html! { <button class="why-link" data-action="feed-why" onclick={onclick}
                    title={t!("travel to this moment and explain s{id}'s role and term", id = s)}>{t!("why?")}</button> }
            });
        html! {
            <li key={f.seq} class={classes!("feed-item", kind)} onclick={onclick} data-feed-time={t.to_string()}
                title={t!("click to travel to this moment")}>
                <button class="ft" data-action="feed-travel" aria-label={t!("travel to {time}", time = super::util::short_time(t))}>{super::util::short_time(t)}</button>
                <span class="fx">{f.text.clone()}</span>
                { for why }
            </li>
        }
    });
    html! {
        <div class="feed panel" data-testid="feed">
            <h2>{t!("Events")}
                if newer > 0 {
                    <span class="muted small" data-testid="feed-held">{" "}{t!("held while you point at it · {newer} newer", newer = newer)}</span>
                } else {
                    <span class="muted small">{" "}{t!("newest first — click to travel there")}</span>
                }
            </h2>
            <ul onmouseenter={enter} onmouseleave={leave} tabindex="0" aria-label={t!("events, newest first")}>{ for items }</ul>
        </div>
    }
}

/// The selected message: what it is, when it arrives, and the network's two faults for it.
pub fn msg_box(m: &MessageView, d: &Dispatch, refused: &[(&'static str, String)]) -> Html {
    let id = m.id;
    let close = send(d, Action::SelectMsg(None));
    html! {
        <div class="msgbox" data-testid="msgbox" data-msg-id={id.to_string()}>
            <div class="mb-head"><b>{kind_text(m.kind)}</b>{format!(" #{id}: {} → {}", shown_name(m.from), shown_name(m.to))}
                <button class="btn ghost small" onclick={close}>{"✕"}</button></div>
            <div class="mb-text"><code>{m.text.clone()}</code></div>
            <div class="mb-meta muted">{ if m.doomed {
                    t!("sent {sent} — arrives {arrive} — will be lost", sent = dur(m.sent_us), arrive = dur(m.arrive_us))
                } else {
                    t!("sent {sent} — arrives {arrive}", sent = dur(m.sent_us), arrive = dur(m.arrive_us))
                } }</div>
            <div class="actions">
                { cmd_button(d, t!("Drop it"), "drop", Command::DropMessage(id), t!("the network loses this message"), true, refused) }
                { cmd_button(d, t!("Duplicate it"), "duplicate", Command::DuplicateMessage(id), t!("the network delivers a second copy"), true, refused) }
            </div>
        </div>
    }
}
