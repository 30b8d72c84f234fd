//! The logs: one row per server, one cell per index (coloured by term, with the command),
//! committed vs not, the snapshot boundary, the leader's nextIndex/matchIndex for each
//! follower, and each server's key-value state.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Action, AppState};
use super::util::{name, progress_label, send, term_color};
use crate::app::explain::Why;
use crate::raft::{id_map, IdMap, Index, ServerId};
use crate::sim::view::{EntryView, ServerRole};
use crate::sim::ClusterView;
use crate::t;

/// Most indexes shown (the newest ones).
pub const WINDOW: u64 = 32;

#[derive(Properties)]
pub struct LogsProps {
    pub view: Rc<ClusterView>,
    pub selected: Option<ServerId>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for LogsProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.view, &o.view)
            && self.selected == o.selected
            && self.dispatch == o.dispatch
    }
}

#[function_component(Logs)]
pub fn logs(p: &LogsProps) -> Html {
    let v = &p.view;
    let last = v
        .servers
        .iter()
        .map(|s| s.snapshot_index + s.log.len() as u64)
        .max()
        .unwrap_or(0);
    // The window of indexes shown: the newest ones, or (after "◂ older") one that starts
    // where the user put it, so every index of every server can be reached.
    let start = use_state(|| None::<Index>);
    let newest = last.saturating_sub(WINDOW - 1).max(1);
    let first = start.map_or(newest, |s| s.clamp(1, newest));
    let end = (first + WINDOW - 1).min(last).max(first + 7);
    let following = first == newest;
    let shift = |delta: i64| {
        let start = start.clone();
        Callback::from(move |_| {
            let to = (first as i64 + delta).clamp(1, newest as i64) as Index;
            start.set((to < newest).then_some(to));
        })
    };
    let (older, newer) = (shift(-(WINDOW as i64) / 2), shift(WINDOW as i64 / 2));
    let to_newest = {
        let start = start.clone();
        Callback::from(move |_| start.set(None))
    };
    let to_oldest = shift(-(last as i64));
    // The leader's progress (the one `leader any` finds, else any server acting as leader).
    let leader = v.leader.or_else(|| {
        v.servers
            .iter()
            .find(|s| s.role == ServerRole::Leader)
            .map(|s| s.id)
    });
    let progress: IdMap<(Index, Index, &'static str, usize, AttrValue)> = leader
        .and_then(|l| v.servers.iter().find(|s| s.id == l))
        .map(|s| {
            id_map(s.progress.iter().map(|pr| {
                let why = AttrValue::from(pr.sending.clone());
                (pr.server, (pr.next, pr.matched, pr.state, pr.inflight, why))
            }))
        })
        .unwrap_or_default();
    let head = (first..=end).map(|i| html! { <th class="idx" key={i}>{i}</th> });
    let rows = v.servers.iter().map(|s| {
        let lo = first.max(s.snapshot_index + 1);
        let entries: Vec<EntryView> = s
            .log
            .iter()
            .filter(|e| e.index >= lo && e.index <= end)
            .cloned()
            .collect();
        let kv =
            s.kv.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
        html! {
            <LogRow key={s.id as u64} id={s.id} role={s.role} first={first} end={end}
                snapshot={(s.snapshot_index, s.snapshot_term)} commit={s.commit} entries={entries}
                marks={if leader == Some(s.id) { None } else { progress.get(&s.id).cloned() }}
                is_leader={leader == Some(s.id)} selected={p.selected == Some(s.id)}
                kv={AttrValue::from(kv)} dispatch={p.dispatch.clone()} />
        }
    });
    html! {
        <div class="logs panel">
            <div class="panel-head">
                <h2>{t!("Logs")}</h2>
                <span class="legend">
                    <span class="lg committed">{t!("committed")}</span>
                    <span class="lg uncommitted">{t!("not committed")}</span>
                    <span class="lg snap">{t!("snapshot")}</span>
                    <span class="lg next">{"▼ nextIndex"}</span>
                    <span class="lg match">{"▲ matchIndex"}</span>
                    <span class="lg cfg" title={t!("configuration entries: Co,n = C_old,new (joint), Cnew = C_new, L+ = learner added, ↑ = promoted, +/− = one server added or removed")}>{"Co,n Cnew L+ ↑ "}{t!("config")}</span>
                </span>
            </div>
            if last > WINDOW {
                <div class="log-window small" data-log-first={first.to_string()} data-log-last={end.to_string()}
                    data-log-following={following.to_string()}>
                    <button class="btn ghost small" data-testid="log-oldest" onclick={to_oldest} disabled={first == 1}>{"⏮"}</button>
                    <button class="btn ghost small" data-testid="log-older" onclick={older} disabled={first == 1}>{t!("◂ older")}</button>
                    <span class="muted">{t!("indexes {first}–{end} of {last}", first = first, end = end, last = last)}</span>
                    <button class="btn ghost small" data-testid="log-newer" onclick={newer} disabled={following}>{t!("newer ▸")}</button>
                    <button class="btn ghost small" data-testid="log-newest" onclick={to_newest} disabled={following}>{"⏭"}</button>
                </div>
            }
            <div class="logs-scroll" tabindex="0" role="region" aria-label={t!("the servers' logs")}>
                <table class="log-table">
                    <thead><tr><th class="who">{t!("server")}</th>{ for head }<th class="kv">{t!("state machine")}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </div>
    }
}

/// A cell's short text and its title's description: a configuration entry is named by
/// what it does (`Co,n` for C_old,new, `Cnew`, `L+s4`, `↑s4`, `+s4`, `−s3`).
fn config_cell(e: &EntryView) -> (String, String) {
    match (&e.config, e.kind) {
        (Some(c), _) => {
            let what = match c.step {
                "joint" => {
                    t!("C_old,new (joint): elections and commitment need a majority of both")
                }
                "new" => t!("C_new: the joint change ends, only the new majority counts"),
                "learner" => t!("a learner joins: it receives the log, never votes"),
                "promote" => t!("a learner promoted to voter"),
                _ => t!("a configuration change"),
            };
            (c.short.clone(), format!("{what} — {}", e.text))
        }
        (None, "noop") => ("no-op".into(), e.text.clone()),
        (None, _) => (e.text.clone(), e.text.clone()),
    }
}

#[derive(Properties, PartialEq)]
struct LogRowProps {
    id: ServerId,
    role: ServerRole,
    first: Index,
    end: Index,
    snapshot: (Index, u64),
    commit: Index,
    entries: Vec<EntryView>,
    /// The leader's (nextIndex, matchIndex, state, appends in flight, why it sends or
    /// not) for this follower.
    marks: Option<(Index, Index, &'static str, usize, AttrValue)>,
    is_leader: bool,
    selected: bool,
    kv: AttrValue,
    dispatch: UseReducerDispatcher<AppState>,
}

#[function_component(LogRow)]
fn log_row(p: &LogRowProps) -> Html {
    let id = p.id;
    let onclick = send(&p.dispatch, Action::Select(Some(id)));
    let (snap_i, snap_t) = p.snapshot;
    let cells = (p.first..=p.end).map(|i| {
        let mut cls = classes!("cell");
        if i == snap_i + 1 && snap_i > 0 {
            cls.push("after-snap");
        }
        let (next, matched) = match &p.marks {
            Some((n, m, ..)) => (*n == i, *m == i && *m > 0),
            None => (false, false),
        };
        let markers = html! {
            <>
                if next { <span class="mk next" title={t!("leader's nextIndex for s{id}: {index}", id = id, index = i)}>{"▼"}</span> }
                if matched { <span class="mk match" title={t!("leader's matchIndex for s{id}: {index}", id = id, index = i)}>{"▲"}</span> }
            </>
        };
        if i <= snap_i {
            cls.push("snap");
            return html! {
                <td key={i} class={cls} title={t!("in s{id}'s snapshot (up to index {index}, term {term})", id = id, index = snap_i, term = snap_t)} data-index={i.to_string()}>
                    if i == snap_i { <span class="snap-label">{format!("S{snap_t}")}</span> }
                    { markers }
                </td>
            };
        }
        match p.entries.iter().find(|e| e.index == i) {
            Some(e) => {
                let why = {
                    let d = p.dispatch.clone();
                    Callback::from(move |_| {
                        d.dispatch(Action::Why(Some(Why::Entry { server: id, index: i })))
                    })
                };
                cls.push(if e.committed { "committed" } else { "uncommitted" });
                cls.push(e.kind);
                let (short, what) = config_cell(e);
                html! {
                    <td key={i} class={cls} style={format!("background:{}", term_color(e.term))} onclick={why}
                        title={if e.committed {
                            t!("index {index}, term {term}: {what} (committed) — click: why?", index = i, term = e.term, what = what)
                        } else {
                            t!("index {index}, term {term}: {what} (not committed) — click: why?", index = i, term = e.term, what = what)
                        }}
                        data-index={i.to_string()} data-term={e.term.to_string()} data-config={e.config.as_ref().map(|c| AttrValue::Static(c.step))}>
                        <span class="t">{e.term}</span>
                        <span class="c">{short}</span>
                        { markers }
                    </td>
                }
            }
            None => html! { <td key={i} class={cls} data-index={i.to_string()}>{ markers }</td> },
        }
    });
    let state = p.marks.as_ref().map(|(_, _, st, inflight, why)| {
        let label = match *st {
            "replicate" => t!("replicate {n}", n = inflight),
            st => progress_label(st).to_string(),
        };
        (label, why.clone())
    });
    html! {
        <tr class={classes!("log-row", p.role.as_str(), p.selected.then_some("selected"))} data-log={name(id)} onclick={onclick}>
            <th class="who">
                <span class={classes!("dot", p.role.as_str())}></span>
                <b>{name(id)}</b>
                if p.is_leader { <span class="crown-mini">{"♛"}</span> }
                <span class="commit" title={t!("commit index")}>{format!("c{}", p.commit)}</span>
                if let Some((st, why)) = state { <span class="pstate" data-pstate={name(id)} title={t!("the leader's replication state for {server}: {why}", server = name(id), why = why)}>{st}</span> }
            </th>
            { for cells }
            <td class="kv" data-kv={name(id)}>{ if p.kv.is_empty() { AttrValue::from("∅") } else { p.kv.clone() } }</td>
        </tr>
    }
}
