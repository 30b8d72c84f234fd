//! The control panels: network (partitions, cuts, loss, duplication, latency), timing
//! (election timeout, heartbeat, with stability hints), cluster (membership, new cluster,
//! feature toggles) and scenarios (load, captions, Next, expectations).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{outcome_text, Action, AppState, ScenarioInfo};
use super::util::{dur, name, send};
use super::widgets::{input_checked, input_value, select_value, use_field, use_live, Live, Slider};
use crate::app::session::ScenarioState;
use crate::raft::ServerId;
use crate::scenario::ast::{DurationRange, Setting};
use crate::sim::command::Command;
use crate::sim::settings::Settings;
use crate::sim::view::{MembershipView, NetworkView, ServerRole};
use crate::t;

type Dispatch = UseReducerDispatcher<AppState>;

const MS: f64 = 1000.0;

fn set(d: &Dispatch, s: Setting) {
    d.dispatch(Action::Cmd(Command::Set(s)));
}

/// The two sliders of a duration range (`min`, `max` now), in ms, each at least `floor` µs:
/// moving one end past the other takes the other along.
fn range_sliders(
    d: &Dispatch,
    (min, max): (u64, u64),
    floor: u64,
    setting: fn(DurationRange) -> Setting,
) -> (Callback<f64>, Callback<f64>) {
    let on_min = {
        let d = d.clone();
        Callback::from(move |x: f64| {
            let a = us(x).max(floor);
            set(
                &d,
                setting(DurationRange {
                    min: a,
                    max: max.max(a),
                }),
            )
        })
    };
    let on_max = {
        let d = d.clone();
        Callback::from(move |x: f64| {
            let b = us(x).max(floor);
            set(
                &d,
                setting(DurationRange {
                    min: min.min(b),
                    max: b,
                }),
            )
        })
    };
    (on_min, on_max)
}

fn ms(us: u64) -> f64 {
    us as f64 / MS
}

fn us(ms: f64) -> u64 {
    (ms * MS).round().max(0.0) as u64
}

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    /// Servers that can be grouped (not removed).
    pub servers: Vec<ServerId>,
    pub network: NetworkView,
    pub settings: Settings,
    /// The partition being drafted (see `PageState::partition_draft`).
    pub draft: Rc<Vec<(ServerId, u8)>>,
    pub dispatch: Dispatch,
}

#[function_component(NetworkPanel)]
pub fn network_panel(p: &NetworkProps) -> Html {
    let d = &p.dispatch;
    // Draft partition: group (0 = A, 1 = B, 2 = C) of each server.
    let group_of = |s: ServerId| p.draft.iter().find(|(x, _)| *x == s).map_or(0, |x| x.1);
    let chips = p.servers.iter().map(|&s| {
        let g = group_of(s);
        let onclick = send(d, Action::CycleGroup(s));
        html! {
            <button class={classes!("chip", format!("g{g}"))} data-group-server={name(s)} data-group={g.to_string()} onclick={onclick}
                title={t!("click to move it to the next group")}>
                {name(s)}<small>{["A", "B", "C"][g as usize]}</small>
            </button>
        }
    });
    let apply = send(d, Action::ApplyPartition(p.servers.clone()));
    let heal = send(d, Action::HealNetwork);
    let n = &p.network;
    let topo = if n.groups.is_empty() && n.cuts.is_empty() {
        html! { <span class="ok">{t!("every link works")}</span> }
    } else {
        let mut groups: Vec<String> = n
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{{{}}}",
                    g.iter().map(|&s| name(s)).collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        if !n.groups.is_empty() {
            groups.push(format!("{{{}}}", t!("the rest")));
        }
        html! {
            <>
                if !n.groups.is_empty() { <div data-testid="partition-state">{t!("partition: {groups}", groups = groups.join(" | "))}</div> }
                { for n.cuts.iter().map(|&(a, b)| {
                    let mend = send(d, Action::Cmd(Command::Mend(a, b)));
                    html! { <div class="cut-row">{t!("{a}–{b} cut", a = name(a), b = name(b))}{" "}
                        <button class="btn small" data-mend={format!("s{a}-s{b}")} onclick={mend}>{t!("mend")}</button></div> }
                }) }
            </>
        }
    };
    let st = &p.settings;
    let (lmin, lmax) = (st.latency_min, st.latency_max);
    let loss = {
        let d = d.clone();
        Callback::from(move |x: f64| set(&d, Setting::Loss(x)))
    };
    let dup = {
        let d = d.clone();
        Callback::from(move |x: f64| set(&d, Setting::Duplicate(x)))
    };
    let (lat_min, lat_max) = range_sliders(d, (lmin, lmax), 0, Setting::Latency);
    html! {
        <div class="tab-body" data-testid="network-panel">
            <h3>{t!("Partition")}</h3>
            <p class="muted small">{t!("Click the servers to put them in groups A, B, C, then apply. Servers only reach their own group.")}</p>
            <div class="chips">{ for chips }</div>
            <div class="row">
                <button class="btn small primary" data-testid="apply-partition" onclick={apply}>{t!("Apply partition")}</button>
                <button class="btn small" data-testid="heal" onclick={heal}>{t!("Heal network")}</button>
            </div>
            <div class="topology small">{ topo }</div>
            <p class="muted small">{t!("Tip: click the line between two servers on the ring to cut just that link; click it again to mend it.")}</p>
            <h3>{t!("Unreliable network")}</h3>
            <Slider label={t!("loss")} id="loss" min={0.0} max={50.0} step={1.0} value={st.loss} unit="%" onchange={loss} />
            <Slider label={t!("duplicate")} id="duplicate" min={0.0} max={50.0} step={1.0} value={st.duplicate} unit="%" onchange={dup} />
            <Slider label={t!("latency min")} id="latency-min" min={0.0} max={200.0} step={1.0} value={ms(lmin)} unit=" ms" onchange={lat_min} />
            <Slider label={t!("latency max")} id="latency-max" min={0.0} max={300.0} step={1.0} value={ms(lmax)} unit=" ms" onchange={lat_max} />
        </div>
    }
}

/// Warnings about unstable timing (the paper's rule: broadcast time ≪ election timeout).
pub fn timing_hints(s: &Settings) -> Vec<(&'static str, String)> {
    // A round trip on average: the paper's "broadcast time".
    let rt = s.latency_min + s.latency_max;
    let mut v = Vec::new();
    if s.heartbeat >= s.election_min {
        v.push(("bad", t!(
            "Heartbeat ({hb}) ≥ minimum election timeout ({min}): followers time out before the leader's next heartbeat, so leaders keep being deposed.",
            hb = dur(s.heartbeat), min = dur(s.election_min))));
    } else if s.heartbeat * 2 > s.election_min {
        v.push(("warn", t!(
            "Heartbeat ({hb}) is more than half the minimum timeout: one lost or slow heartbeat can start an election.",
            hb = dur(s.heartbeat))));
    }
    if rt > 0 && s.election_min < 2 * rt {
        v.push(("bad", t!(
            "Minimum timeout ({min}) is not much longer than a round trip (~{rt}): candidates time out before votes come back. Rule of thumb: broadcast time ≪ election timeout.",
            min = dur(s.election_min), rt = dur(rt))));
    } else if rt > 0 && s.election_min < 5 * rt {
        v.push(("warn", t!(
            "Minimum timeout ({min}) is less than 5× a round trip (~{rt}): elections may be slow or split.",
            min = dur(s.election_min), rt = dur(rt))));
    }
    let width = s.election_max - s.election_min;
    if width < rt.max(1) {
        v.push((if width * 4 < rt { "bad" } else { "warn" }, t!(
            "The random range is {width} wide, less than a round trip (~{rt}): servers time out together and split votes are likely.",
            width = dur(width), rt = dur(rt))));
    }
    if v.is_empty() {
        v.push(("ok", t!(
            "Stable: a round trip (~{rt}) ≪ the timeout ({min}..{max}), and the range spreads the timeouts out.",
            rt = dur(rt), min = dur(s.election_min), max = dur(s.election_max))));
    }
    v
}

#[derive(Properties, PartialEq)]
pub struct TimingProps {
    pub settings: Settings,
    /// Servers whose clock rate can be set (not removed).
    #[prop_or_default]
    pub servers: Vec<ServerId>,
    pub dispatch: Dispatch,
}

#[function_component(TimingPanel)]
pub fn timing_panel(p: &TimingProps) -> Html {
    let d = &p.dispatch;
    let st = &p.settings;
    let (emin, emax) = (st.election_min, st.election_max);
    let (on_min, on_max) = range_sliders(d, (emin, emax), 1000, Setting::ElectionTimeout);
    let on_hb = {
        let d = d.clone();
        Callback::from(move |x: f64| set(&d, Setting::Heartbeat(us(x).max(1000))))
    };
    let hints = timing_hints(st);
    html! {
        <div class="tab-body" data-testid="timing-panel">
            <h3>{t!("Election timeout")}</h3>
            <Slider label={t!("min")} id="election-min" min={10.0} max={1000.0} step={1.0} value={ms(emin)} unit=" ms" onchange={on_min} />
            <Slider label={t!("max")} id="election-max" min={10.0} max={2000.0} step={1.0} value={ms(emax)} unit=" ms" onchange={on_max} />
            <h3>{t!("Heartbeat")}</h3>
            <Slider label={t!("interval")} id="heartbeat" min={5.0} max={500.0} step={5.0} value={ms(st.heartbeat)} unit=" ms" onchange={on_hb} />
            <div class="hints" data-testid="timing-hints">
                { for hints.into_iter().map(|(cls, t)| html! { <div class={classes!("hint", cls)} data-hint={cls}>{t}</div> }) }
            </div>
            <p class="muted small">{t!("Each election timer is drawn anew from the range each time it is reset; the leader sends heartbeats at the interval. New values apply from the next timer reset.")}</p>
            { reads_and_clocks(st, &p.servers, d) }
        </div>
    }
}

/// The timing panel's read mode and clock drift (issue 14): how leaders answer `get`, and
/// each server's clock rate, with whether the rates stay within the lease's margin.
fn reads_and_clocks(st: &Settings, servers: &[ServerId], d: &Dispatch) -> Html {
    use crate::raft::ReadMode;
    use crate::sim::decimal::ratio;
    use crate::sim::settings::LEASE_PERMILLE;
    let lease = st.read_mode == ReadMode::Lease;
    let mode = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            set(
                &d,
                Setting::ReadMode(if select_value(&e) == "lease" {
                    ReadMode::Lease
                } else {
                    ReadMode::ReadIndex
                }),
            )
        })
    };
    let rate = |s: ServerId| st.drift.get(usize::from(s)).copied().unwrap_or(1000);
    let inputs = servers.iter().map(|&s| {
        let d = d.clone();
        let change = Callback::from(move |e: Event| {
            d.dispatch(Action::SetDrift {
                server: s,
                rate: input_value(&e),
            })
        });
        html! {
            <label class="drift">{name(s)}{" ×"}
                <input type="text" inputmode="decimal" size="4" data-drift={name(s)} value={ratio(u64::from(rate(s)), 3).to_string()} onchange={change} />
            </label>
        }
    });
    // The fastest and slowest clocks: a lease is safe while they differ by less than
    // 1000 / LEASE_PERMILLE (1.25).
    let (lo, hi) = servers.iter().fold((u32::MAX, 0), |(lo, hi), &s| {
        (lo.min(rate(s)), hi.max(rate(s)))
    });
    let spread = u64::from(hi) * 1000 / u64::from(lo.max(1));
    let bad = spread >= 1_000_000 / LEASE_PERMILLE;
    let hint = (servers.len() > 1).then(|| {
        let apart = ratio(spread, 3);
        let text = if bad {
            t!("Clocks apart by ×{apart}: beyond the lease's margin of ×1.25 — with lease reads a deposed leader can still trust its lease and serve a stale read (ReadIndex is immune).", apart = apart)
        } else {
            t!("Clocks apart by ×{apart}: within the lease's margin of ×1.25, lease reads stay safe.", apart = apart)
        };
        let cls = if bad { "bad" } else { "ok" };
        html! { <div class={classes!("hint", cls)} data-testid="drift-hint" data-hint={cls}>{text}</div> }
    });
    html! {
        <div class="reads-clocks" data-testid="reads-clocks">
            <h3>{t!("Reads")}</h3>
            <label class="row small">{t!("read mode")}{" "}
                <select data-testid="read-mode" aria-label={t!("read mode")} onchange={mode}>
                    <option value="read-index" selected={!lease}>{"ReadIndex"}</option>
                    <option value="lease" selected={lease}>{t!("Lease")}</option>
                </select>
            </label>
            <p class="muted small" data-testid="read-mode-text">{ if lease { lease_text() } else { read_index_text() } }</p>
            <h3>{t!("Clocks")}</h3>
            <p class="muted small">{t!("Each server's clock rate, 0.1 to 10 (1.5: its timers run 1.5 times as fast). Applies from each timer's next reset.")}</p>
            <div class="drifts">{ for inputs }</div>
            { for hint }
        </div>
    }
}

fn lease_text() -> &'static str {
    t!("Lease: a leader answers a get at once while its lease holds — a heartbeat round acknowledged by a majority, lasting 0.8 × the minimum election timeout on its own clock. Without a lease it falls back to ReadIndex.")
}

fn read_index_text() -> &'static str {
    t!("ReadIndex: a leader answers a get once a majority acknowledged a heartbeat round sent after it (and its state machine reached the commit index). Safe whatever the clocks.")
}

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    /// (id, role) of every server, removed ones included.
    pub servers: Vec<(ServerId, ServerRole)>,
    pub settings: Settings,
    pub seed: u64,
    pub generation: u32,
    /// The membership shown (see `ClusterView::membership`).
    #[prop_or_default]
    pub membership: Option<MembershipView>,
    /// Why no membership change can start now (`app::page::membership_refusal`).
    #[prop_or_default]
    pub refusal: Option<String>,
    pub dispatch: Dispatch,
}

/// The voters picked for a joint change: (the voters it started from, the pick). A pick
/// made from other voters than today's is forgotten.
type Pick = Live<(Vec<ServerId>, Vec<ServerId>)>;

/// A joint change (pick the new voters, then C_old,new and C_new), a new learner, and a
/// learner's promotion; each disabled with the reason while it cannot start.
fn membership_controls(p: &ClusterProps, pick: &Pick) -> Html {
    let d = &p.dispatch;
    let m = p.membership.as_ref();
    let voters: Vec<ServerId> = m.map(|m| m.new.clone()).unwrap_or_default();
    let picked = match pick.get() {
        (from, now) if from == voters => now,
        _ => voters.clone(),
    };
    let exists = |s: ServerId| p.servers.iter().any(|&(x, _)| x == s);
    let removed = |s: ServerId| {
        p.servers
            .iter()
            .any(|&(x, r)| x == s && r == ServerRole::Removed)
    };
    let chips = (1..=9u8).filter(|&s| !removed(s)).map(|s| {
        let on = picked.contains(&s);
        // The pick with `s` toggled.
        let mut next: Vec<ServerId> = picked.iter().copied().filter(|&x| x != s).collect();
        if !on {
            next.push(s);
            next.sort_unstable();
        }
        let toggle = {
            let (pick, voters) = (pick.clone(), voters.clone());
            Callback::from(move |_| pick.set((voters.clone(), next.clone())))
        };
        html! {
            <button class={classes!("chip", "pick", on.then_some("on"), (!exists(s)).then_some("new"))}
                data-pick={name(s)} data-picked={on.to_string()} onclick={toggle}>{name(s)}</button>
        }
    });
    let refused = || p.refusal.as_ref().map(|r| r.to_string());
    let same = picked == voters;
    let change_why = refused().or_else(|| {
        (same || picked.is_empty())
            .then(|| t!("pick a set of voters different from the current one").to_string())
    });
    let change = send(d, Action::ChangeMembers(picked.clone()));
    let names =
        |v: &mut dyn Iterator<Item = &ServerId>| v.map(|&s| name(s)).collect::<Vec<_>>().join(" ");
    let plan = change_why.is_none().then(|| {
        t!(
            "{from} → C_old,new → {to}; joining: {joining}; leaving: {leaving}",
            from = format!("{{{}}}", names(&mut voters.iter())),
            to = format!("{{{}}}", names(&mut picked.iter())),
            joining = names(&mut picked.iter().filter(|s| !voters.contains(s))),
            leaving = names(&mut voters.iter().filter(|s| !picked.contains(s)))
        )
    });
    let learners: Vec<ServerId> = m.map(|m| m.learners.clone()).unwrap_or_default();
    let free = (1..=9u8).find(|&s| !exists(s));
    let learner_why = refused().or_else(|| {
        free.is_none()
            .then(|| t!("nine servers is the most").to_string())
    });
    let add_learner = send(d, Action::AddLearner(free.unwrap_or(0)));
    let promote_why = refused();
    let promotes = learners.iter().map(|&s| {
        html! {
            <button class="btn small" data-promote={name(s)} disabled={promote_why.is_some()} title={promote_why.clone()}
                onclick={send(d, Action::Promote(s))}>{t!("Promote {name}", name = name(s))}</button>
        }
    });
    html! {
        <div class="mem-controls" data-testid="membership-controls">
            <h3>{t!("Joint change and learners")}</h3>
            <p class="muted small">{t!("Pick the new voters, any number at once: the leader goes through C_old,new (every decision needs a majority of both), then C_new; new servers catch up as learners first. A learner receives the log and never votes; promote it to make it a voter.")}</p>
            <div class="chips">{ for chips }</div>
            if let Some(t) = plan { <div class="mem-plan small" data-testid="joint-plan">{t}</div> }
            <div class="row">
                <button class="btn small primary" data-testid="joint-change" onclick={change} disabled={change_why.is_some()}
                    title={change_why.clone()}>{t!("Change members")}</button>
                <button class="btn small" data-testid="add-learner" onclick={add_learner} disabled={learner_why.is_some()}
                    title={learner_why.clone()}>{ match free { Some(s) => t!("Add {name} as learner", name = name(s)), None => t!("Add learner").into() } }</button>
                { for promotes }
            </div>
            if let Some(r) = refused() {
                <p class="mem-why small" data-testid="membership-blocked" role="status">{t!("Not now:")}{" "}{r}</p>
            }
        </div>
    }
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(p: &ClusterProps) -> Html {
    let d = &p.dispatch;
    // Form state lives here (controlled fields), so re-renders never reset a choice.
    let count = p
        .servers
        .iter()
        .filter(|(_, r)| *r != ServerRole::Removed)
        .count()
        .clamp(1, 9) as u8;
    let size = use_live(move || count);
    let (seed, on_seed) = use_field(&p.seed.to_string());
    let victim = use_live(|| None::<ServerId>);
    let pick: Pick = use_live(|| (Vec::new(), Vec::new()));
    let factor_text = use_state(|| p.settings.snapshot_factor.unwrap_or(4).to_string());
    {
        let factor_text = factor_text.clone();
        use_effect_with(p.settings.snapshot_factor, move |f| {
            if let Some(f) = f {
                factor_text.set(f.to_string());
            }
        });
    }
    let live: Vec<ServerId> = p
        .servers
        .iter()
        .filter(|(_, r)| *r != ServerRole::Removed)
        .map(|(s, _)| *s)
        .collect();
    // The server the Remove button removes: the one picked, else the first.
    let target_of = {
        let live = live.clone();
        move |victim: Option<ServerId>| {
            victim
                .filter(|v| live.contains(v))
                .or(live.first().copied())
        }
    };
    let target = target_of(victim.get());
    let free = (1..=9u8).find(|i| !p.servers.iter().any(|(s, _)| s == i));
    let add = {
        let d = d.clone();
        Callback::from(move |_| {
            if let Some(id) = free {
                d.dispatch(Action::Cmd(Command::Add(id)))
            }
        })
    };
    let remove = {
        let (d, victim) = (d.clone(), victim.clone());
        Callback::from(move |_| {
            if let Some(id) = target_of(victim.get()) {
                d.dispatch(Action::Cmd(Command::Remove(id)))
            }
        })
    };
    let pick_victim = {
        let victim = victim.clone();
        Callback::from(move |e: Event| {
            victim.set(
                select_value(&e)
                    .trim_start_matches('s')
                    .parse::<ServerId>()
                    .ok(),
            )
        })
    };
    let pick_size = {
        let size = size.clone();
        Callback::from(move |e: Event| {
            if let Ok(n) = select_value(&e).parse::<u8>() {
                size.set(n)
            }
        })
    };
    let new = {
        let (d, size, seed) = (d.clone(), size.clone(), seed.clone());
        Callback::from(move |_| {
            let n = size.get();
            let sd = seed.get().trim().parse::<u64>().ok();
            match sd {
                Some(sd) => d.dispatch(Action::NewCluster {
                    servers: n,
                    seed: sd,
                }),
                None => d.dispatch(Action::Error(
                    t!("the seed is a whole number (0, 1, 2, …)").into(),
                )),
            }
        })
    };
    let st = &p.settings;
    let prevote = {
        let d = d.clone();
        Callback::from(move |e: Event| set(&d, Setting::Prevote(input_checked(&e))))
    };
    let cq = {
        let d = d.clone();
        Callback::from(move |e: Event| set(&d, Setting::CheckQuorum(input_checked(&e))))
    };
    let factor = st.snapshot_factor;
    let snap = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let on = input_checked(&e);
            set(
                &d,
                Setting::SnapshotFactor(on.then_some(factor.unwrap_or(4))),
            )
        })
    };
    let snap_factor = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Ok(f) = input_value(&e).parse::<u32>() {
                set(&d, Setting::SnapshotFactor(Some(f.max(1))))
            }
        })
    };
    let edit_factor = {
        let factor_text = factor_text.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            factor_text.set(input_value(&e));
        })
    };
    html! {
        <div class="tab-body" data-testid="cluster-panel" key={p.generation}>
            <h3>{t!("Membership")}</h3>
            <p class="muted small">{t!("Real membership changes, one server at a time, through the leader's log.")}</p>
            <div class="row">
                <button class="btn small primary" data-testid="add-server" onclick={add} disabled={free.is_none()}>
                    { match free { Some(id) => t!("Add {name}", name = name(id)), None => t!("Add (9 is the most)").into() } }
                </button>
            </div>
            <div class="row">
                <select data-testid="remove-which" aria-label={t!("server to remove")} onchange={pick_victim}>
                    { for live.iter().map(|&s| html! { <option value={name(s)} selected={Some(s) == target}>{name(s)}</option> }) }
                </select>
                <button class="btn small" data-testid="remove-server" onclick={remove}>{t!("Remove")}</button>
            </div>
            { membership_controls(p, &pick) }
            <h3>{t!("New cluster")}</h3>
            <div class="row">
                <label>{t!("servers")}{" "}
                    <select data-testid="new-size" onchange={pick_size}>
                        { for (1..=9u8).map(|i| html! { <option value={i.to_string()} selected={i == size.get()}>{i}</option> }) }
                    </select>
                </label>
                <label>{t!("seed")}{" "}<input data-testid="new-seed" type="number" min="0" value={seed.get()} oninput={on_seed} size="6" /></label>
                <button class="btn small warn" data-testid="new-cluster" onclick={new}>{t!("New cluster")}</button>
            </div>
            <h3>{t!("Features")}</h3>
            <label class="toggle"><input type="checkbox" data-testid="prevote" checked={st.prevote} onchange={prevote} />
                <span>{t!("Pre-vote")}{" "}<small class="muted">{t!("a server asks first whether it could win before disturbing the term")}</small></span></label>
            <label class="toggle"><input type="checkbox" data-testid="check-quorum" checked={st.check_quorum} onchange={cq} />
                <span>{t!("Check-quorum")}{" "}<small class="muted">{t!("a leader steps down without a majority; followers ignore votes while a leader is alive")}</small></span></label>
            <label class="toggle"><input type="checkbox" data-testid="auto-snapshot" checked={factor.is_some()} onchange={snap} />
                <span>{t!("Automatic snapshots")}{" "}<small class="muted">{t!("compact when the log is this many times the state size:")}</small></span></label>
            <label class="row small">{t!("expansion factor")}{" "}
                <input type="number" data-testid="snapshot-factor" min="1" max="64" value={(*factor_text).clone()}
                    oninput={edit_factor} onchange={snap_factor} disabled={factor.is_none()} size="3" />
            </label>
        </div>
    }
}

struct Example {
    /// The example's name (shown through [`example_name`]).
    id: &'static str,
    text: &'static str,
}

/// The name shown for an example.
fn example_name(id: &str) -> &'static str {
    match id {
        "tour-election" => t!("Tour: leader election"),
        "basic-election" => t!("Basic election"),
        "leader-crash" => t!("Leader crash"),
        "partition" => t!("Partition"),
        _ => t!("Replication"),
    }
}

const EXAMPLES: &[Example] = &[
    Example {
        id: "tour-election",
        text: include_str!("../../scenarios/tour-election.raft"),
    },
    Example {
        id: "basic-election",
        text: include_str!("../../scenarios/basic-election.raft"),
    },
    Example {
        id: "leader-crash",
        text: include_str!("../../scenarios/leader-crash.raft"),
    },
    Example {
        id: "partition",
        text: include_str!("../../scenarios/partition.raft"),
    },
    Example {
        id: "replication",
        text: include_str!("../../scenarios/replication.raft"),
    },
];

#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    pub info: Option<Rc<ScenarioInfo>>,
    pub error: Option<String>,
    pub dispatch: Dispatch,
}

#[function_component(ScenarioPanel)]
pub fn scenario_panel(p: &ScenarioProps) -> Html {
    let d = &p.dispatch;
    let text = use_node_ref();
    // The text is kept here (a controlled textarea), so re-renders never reset it.
    let content = use_state(String::new);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let load = {
        let (d, text) = (d.clone(), text.clone());
        Callback::from(move |_| {
            if let Some(t) = text.cast::<web_sys::HtmlTextAreaElement>() {
                d.dispatch(Action::LoadScenario(t.value()));
            }
        })
    };
    let pick = {
        let content = content.clone();
        Callback::from(move |e: Event| {
            let i: usize = select_value(&e).parse().unwrap_or(usize::MAX);
            if let Some(ex) = EXAMPLES.get(i) {
                content.set(ex.text.to_string());
            }
        })
    };
    let edit = {
        let content = content.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                content.set(t.value());
            }
        })
    };
    let file = {
        let (content, reader, d) = (content.clone(), reader.clone(), d.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            let content = content.clone();
            let d = d.clone();
            let task =
                gloo::file::callbacks::read_as_text(&gloo::file::File::from(f), move |r| match r {
                    Ok(s) => {
                        content.set(s.clone());
                        d.dispatch(Action::LoadScenario(s));
                    }
                    Err(e) => d.dispatch(Action::Error(t!("cannot read the file: {e}", e = e))),
                });
            *reader.borrow_mut() = Some(task);
        })
    };
    let status = p.info.as_ref().map(|i| {
        let (cls, txt) = match &i.state {
            Some(ScenarioState::Playing) => ("playing", t!("playing — line {line} of the file", line = i.line.unwrap_or(0))),
            Some(ScenarioState::Paused { line }) => ("paused", t!("stopped at the pause on line {line}: press Next", line = line)),
            Some(ScenarioState::Done(o)) => (
                if matches!(o, crate::scenario::Outcome::Pass) { "pass" } else { "fail" },
                outcome_text(o),
            ),
            None => ("", String::new()),
        };
        let checks = i.checks.iter().map(|c| {
            html! {
                <li class={if c.ok { "pass" } else { "fail" }} data-check-line={c.line.to_string()} data-ok={c.ok.to_string()}>
                    <span class="mark">{ if c.ok { "✓" } else { "✗" } }</span>
                    <code>{format!("{}: {}", c.line, c.text)}</code>
                    if !c.ok { <div class="why">{c.message.clone()}</div> }
                    <span class="muted small">{" "}{t!("at {time}", time = dur(c.time_us))}</span>
                </li>
            }
        });
        html! {
            <div class="scenario-status">
                <div class={classes!("sc-state", cls)} data-testid="scenario-state" data-state={cls}>{txt}</div>
                <ul class="checks" data-testid="checks">{ for checks }</ul>
            </div>
        }
    });
    html! {
        <div class="tab-body" data-testid="scenario-panel">
            <h3>{t!("Load a scenario")}</h3>
            <div class="row">
                <select onchange={pick} data-testid="examples" aria-label={t!("examples")}>
                    <option value="" selected=true>{t!("— examples —")}</option>
                    { for EXAMPLES.iter().enumerate().map(|(i, e)| html! { <option value={i.to_string()}>{example_name(e.id)}</option> }) }
                </select>
                <label class="btn small file">{t!("Open .raft file…")}<input type="file" accept=".raft,text/plain" data-testid="scenario-file" onchange={file} /></label>
            </div>
            <textarea ref={text} data-testid="scenario-text" rows="9" spellcheck="false" value={(*content).clone()} oninput={edit}
                placeholder={t!("cluster 5\nseed 7\nsay \"Watch the first election\"\nrun until leader any within 3s\npause\n...")} />
            <div class="row">
                <button class="btn small primary" data-testid="load-scenario" onclick={load}>{t!("Load and play")}</button>
            </div>
            if let Some(e) = &p.error { <div class="parse-error" role="alert" data-testid="scenario-error">{e.clone()}</div> }
            { for status }
        </div>
    }
}
