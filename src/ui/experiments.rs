//! The Experiments panel: the Raft paper's election-timing experiment (Figure 16) run in
//! the browser. For each chosen election-timeout range it runs `trials` trials of
//! [`ElectionExperiment`] (a stable 5-server cluster's leader crashes at a random moment of
//! its heartbeat interval; the time to the next leader is measured), in chunks of a few
//! milliseconds between which the page keeps responding, and draws the cumulative
//! distribution of the times (log-scale x axis, 100 ms .. 10 s) plus a table.
//!
//! Test hooks: the panel `[data-experiments]` has `data-state` (`idle`, `running`,
//! `done`) and, when done, `data-wall-ms` (the wall time of the whole run); the plot is
//! `svg[data-plot="cdf"]`, one `path[data-range="150-300"]` per range; table rows
//! `tr[data-range]` (with `data-over`, `data-median-ms`, `data-max-ms`); the inputs
//! `[data-testid="exp-trials"]`, `[data-range-toggle="150-300"]`; the button
//! `[data-testid="exp-run"]`; while running, `[data-progress]` (percent done).

use std::cell::Cell;
use std::fmt::Write;
use std::rc::Rc;
use std::time::Duration;

use super::util::{fixed, math, trimmed};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::lab::experiment::{stats, ElectionExperiment, ElectionStats, TRIAL_LIMIT};
use crate::sim::time::MS;
use crate::t;

/// The timeout ranges of the paper's Figure 16 (ms).
pub const RANGES: [(u64, u64); 6] = [
    (150, 150),
    (150, 151),
    (150, 155),
    (150, 175),
    (150, 200),
    (150, 300),
];
const COLORS: [&str; 6] = [
    "#dc2626", "#ea580c", "#ca8a04", "#16a34a", "#0891b2", "#4f46e5",
];
const TRIAL_CHOICES: [u32; 5] = [100, 300, 1000, 3000, 10000];
/// Wall-clock milliseconds of trials per chunk before the page gets the hand back.
const CHUNK_MS: f64 = 24.0;

fn key((lo, hi): (u64, u64)) -> String {
    format!("{lo}-{hi}")
}

fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

#[derive(Clone, PartialEq)]
struct RangeResult {
    range: usize,
    stats: ElectionStats,
    /// The CDF path, computed once when the range finishes.
    path: String,
}

#[derive(Clone, PartialEq)]
struct State {
    trials: u32,
    selected: [bool; 6],
    running: bool,
    /// Bumped by every run and by unmounting, so a stale run stops.
    run_id: u32,
    /// (range being run, trials done in it, trials done in all, total).
    progress: Option<(usize, u32, u64, u64)>,
    results: Vec<RangeResult>,
    wall_ms: Option<f64>,
}

enum Action {
    Trials(u32),
    Toggle(usize, bool),
    /// Run button: start a run of the selected ranges, or stop the one running.
    RunOrStop,
    Progress(u32, usize, u32, u64, u64),
    RangeDone(u32, RangeResult),
    Finished(u32, f64),
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Trials(n) => s.trials = n,
            Action::Toggle(i, on) => s.selected[i] = on,
            Action::RunOrStop if s.running => {
                s.running = false;
                s.progress = None;
                s.run_id = s.run_id.wrapping_add(1);
            }
            Action::RunOrStop => {
                if !s.selected.iter().any(|&on| on) {
                    return self;
                }
                s.run_id = s.run_id.wrapping_add(1).max(1);
                s.running = true;
                s.results.clear();
                s.wall_ms = None;
                s.progress = None;
            }
            Action::Progress(id, r, d, all, total) if id == s.run_id => {
                s.progress = Some((r, d, all, total))
            }
            Action::RangeDone(id, res) if id == s.run_id => s.results.push(res),
            Action::Finished(id, ms) if id == s.run_id => {
                s.running = false;
                s.wall_ms = Some(ms);
                s.progress = None;
            }
            _ => return self,
        }
        Rc::new(s)
    }
}

// ------------------------------------------------------------------ the plot's geometry
const W: f64 = 760.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
/// Room for the legend right of the plot.
const RIGHT: f64 = 132.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
const X_MIN_MS: f64 = 100.0;
const X_MAX_MS: f64 = 10_000.0;

fn px(ms: f64) -> f64 {
    let ms = ms.clamp(X_MIN_MS, X_MAX_MS);
    let f =
        (math::log10(ms) - math::log10(X_MIN_MS)) / (math::log10(X_MAX_MS) - math::log10(X_MIN_MS));
    LEFT + f * (W - LEFT - RIGHT)
}

fn py(frac: f64) -> f64 {
    TOP + (1.0 - frac.clamp(0.0, 1.0)) * (H - TOP - BOTTOM)
}

/// The empirical CDF as a step path: trials stopped at the limit never complete, so the
/// curve ends below 100 % at the right edge.
fn cdf_path(s: &ElectionStats) -> String {
    let n = s.sorted_ms.len();
    let mut d = String::new();
    if n == 0 {
        return d;
    }
    let completed = n - (s.over_10s as usize).min(n);
    let _ = write!(d, "M{},{}", fixed(px(X_MIN_MS), 1), fixed(py(0.0), 1));
    let mut last_x = f64::NAN;
    let mut i = 0;
    while i < completed {
        // All the trials that land on the same pixel column make one step.
        let x = (px(s.sorted_ms[i]) * 2.0).round() / 2.0;
        let mut j = i + 1;
        while j < completed && (px(s.sorted_ms[j]) * 2.0).round() / 2.0 == x {
            j += 1;
        }
        if x != last_x {
            let _ = write!(d, "H{}", fixed(x, 1));
        }
        let _ = write!(d, "V{}", fixed(py(j as f64 / n as f64), 1));
        last_x = x;
        i = j;
    }
    let _ = write!(d, "H{}", fixed(px(X_MAX_MS), 1));
    d
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", fixed(ms / 1000.0, 2))
    } else {
        format!("{} ms", fixed(ms, 0))
    }
}

fn axes() -> Html {
    let mut ticks = Vec::new();
    for (ms, label) in [(100.0, "100 ms"), (1000.0, "1 s"), (10_000.0, "10 s")] {
        let x = px(ms);
        ticks.push(html! {
            <g key={label}>
                <line class="exp-grid" x1={fixed(x, 1).to_string()} x2={fixed(x, 1).to_string()} y1={trimmed(TOP, 3).to_string()} y2={fixed(H - BOTTOM, 1).to_string()} />
                <text class="exp-tick" x={fixed(x, 1).to_string()} y={fixed(H - BOTTOM + 16.0, 1).to_string()} text-anchor="middle">{label}</text>
            </g>
        });
    }
    // Minor ticks: 200..900 ms, 2..9 s.
    let mut minor = String::new();
    for decade in [100.0, 1000.0] {
        for k in 2..10 {
            let x = px(decade * k as f64);
            let _ = write!(minor, "M{},{}v-5", fixed(x, 1), fixed(H - BOTTOM, 1));
        }
    }
    for (frac, label) in [
        (0.0, "0%"),
        (0.25, "25%"),
        (0.5, "50%"),
        (0.75, "75%"),
        (1.0, "100%"),
    ] {
        let y = py(frac);
        ticks.push(html! {
            <g key={label}>
                <line class="exp-grid" x1={trimmed(LEFT, 3).to_string()} x2={fixed(W - RIGHT, 1).to_string()} y1={fixed(y, 1).to_string()} y2={fixed(y, 1).to_string()} />
                <text class="exp-tick" x={fixed(LEFT - 6.0, 1).to_string()} y={fixed(y + 4.0, 1).to_string()} text-anchor="end">{label}</text>
            </g>
        });
    }
    html! {
        <g class="exp-axes">
            { for ticks }
            <path class="exp-minor" d={minor} />
            <rect class="exp-frame" x={trimmed(LEFT, 3).to_string()} y={trimmed(TOP, 3).to_string()} width={fixed(W - LEFT - RIGHT, 1).to_string()} height={fixed(H - TOP - BOTTOM, 1).to_string()} />
            <text class="exp-label" x={fixed((LEFT + W - RIGHT) / 2.0, 1).to_string()} y={fixed(H - 6.0, 1).to_string()} text-anchor="middle">
                {t!("time without a leader after the leader crashed (log scale)")}
            </text>
            <text class="exp-label" transform={format!("translate(14,{}) rotate(-90)", fixed((TOP + H - BOTTOM) / 2.0, 1))} text-anchor="middle">
                {t!("cumulative % of trials")}
            </text>
        </g>
    }
}

/// Runs the chosen ranges one after the other, in chunks of about `CHUNK_MS` of wall
/// time, yielding to the page (a zero-delay timer) between chunks.
async fn run(
    id: u32,
    trials: u32,
    ranges: Vec<usize>,
    current: Rc<Cell<u32>>,
    dispatch: UseReducerDispatcher<State>,
) {
    let t0 = now_ms();
    let total = trials as u64 * ranges.len() as u64;
    let mut done_all = 0u64;
    for r in ranges {
        let (lo, hi) = RANGES[r];
        let exp = ElectionExperiment {
            trials,
            election_min: lo * MS,
            election_max: hi * MS,
            ..ElectionExperiment::default()
        };
        let mut ms = Vec::with_capacity(trials as usize);
        let mut over = 0;
        let mut i = 0;
        while i < trials {
            let start = now_ms();
            while i < trials && now_ms() - start < CHUNK_MS {
                match exp.trial(i) {
                    Some(us) => ms.push(us as f64 / 1000.0),
                    None => {
                        over += 1;
                        ms.push(TRIAL_LIMIT as f64 / 1000.0);
                    }
                }
                i += 1;
                done_all += 1;
            }
            dispatch.dispatch(Action::Progress(id, r, i, done_all, total));
            yew::platform::time::sleep(Duration::ZERO).await;
            if current.get() != id {
                return;
            }
        }
        let stats = stats(ms, over);
        let path = cdf_path(&stats);
        dispatch.dispatch(Action::RangeDone(
            id,
            RangeResult {
                range: r,
                stats,
                path,
            },
        ));
    }
    dispatch.dispatch(Action::Finished(id, now_ms() - t0));
}

#[function_component(Experiments)]
pub fn experiments() -> Html {
    let state = use_reducer(|| State {
        trials: 1000,
        selected: [true; 6],
        running: false,
        run_id: 0,
        progress: None,
        results: Vec::new(),
        wall_ms: None,
    });
    // The id of the run that may go on (0: none); the async loop checks it between chunks.
    let current = use_mut_ref(|| Rc::new(Cell::new(0u32)));
    let current = current.borrow().clone();
    {
        let current = current.clone();
        use_effect_with((), move |_| move || current.set(u32::MAX));
    }

    let on_trials = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(n) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|s| s.value().parse().ok())
            {
                d.dispatch(Action::Trials(n));
            }
        })
    };
    // The run itself starts (or stops) after the state changed, from that state: a click
    // right after a change of the ranges or the trials uses them (the handler's copy of the
    // state could be a render old).
    {
        let (state, current) = (state.clone(), current.clone());
        use_effect_with(state.run_id, move |&id| {
            if state.running {
                current.set(id);
                let ranges = (0..RANGES.len()).filter(|&i| state.selected[i]).collect();
                yew::platform::spawn_local(run(
                    id,
                    state.trials,
                    ranges,
                    current,
                    state.dispatcher(),
                ));
            } else if current.get() != u32::MAX {
                current.set(0);
            }
        });
    }
    let on_run = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::RunOrStop))
    };

    let toggles = RANGES.iter().enumerate().map(|(i, &r)| {
        let d = state.dispatcher();
        let onchange = Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                d.dispatch(Action::Toggle(i, el.checked()));
            }
        });
        html! {
            <label key={key(r)} class="exp-toggle">
                <input type="checkbox" data-range-toggle={key(r)} checked={state.selected[i]}
                    disabled={state.running} {onchange} />
                <span class="exp-swatch" style={format!("background:{}", COLORS[i])}></span>
                { format!("{}–{} ms", r.0, r.1) }
            </label>
        }
    });

    let curves = state.results.iter().map(|res| {
        html! {
            <path key={key(RANGES[res.range])} class="exp-curve" data-range={key(RANGES[res.range])}
                d={res.path.clone()} stroke={COLORS[res.range]} />
        }
    });
    let legend = state.results.iter().enumerate().map(|(k, res)| {
        let y = TOP + 10.0 + 18.0 * k as f64;
        let x = W - RIGHT + 14.0;
        html! {
            <g key={key(RANGES[res.range])} class="exp-legend-item">
                <line x1={fixed(x, 1).to_string()} x2={fixed(x + 18.0, 1).to_string()} y1={fixed(y - 4.0, 1).to_string()} y2={fixed(y - 4.0, 1).to_string()}
                    stroke={COLORS[res.range]} stroke-width="2.5" />
                <text class="exp-legend" x={fixed(x + 24.0, 1).to_string()} y={fixed(y, 1).to_string()}>
                    { format!("{}–{} ms", RANGES[res.range].0, RANGES[res.range].1) }
                </text>
            </g>
        }
    });
    let rows = state.results.iter().map(|res| {
        let s = &res.stats;
        let (lo, hi) = RANGES[res.range];
        html! {
            <tr key={key((lo, hi))} data-range={key((lo, hi))} data-over={s.over_10s.to_string()}
                data-median-ms={fixed(s.median_ms, 1).to_string()} data-max-ms={fixed(s.max_ms, 1).to_string()}>
                <td><span class="exp-swatch" style={format!("background:{}", COLORS[res.range])}></span>
                    { format!("{lo}–{hi} ms") }</td>
                <td class="num">{ s.trials }</td>
                <td class="num">{ fmt_ms(s.mean_ms) }</td>
                <td class="num">{ fmt_ms(s.median_ms) }</td>
                <td class="num">{ fmt_ms(s.p99_ms) }</td>
                <td class="num">{ fmt_ms(s.max_ms) }</td>
                <td class={classes!("num", (s.over_10s > 0).then_some("exp-bad"))}>{ s.over_10s }</td>
            </tr>
        }
    });

    let data_state = if state.running {
        "running"
    } else if state.wall_ms.is_some() {
        "done"
    } else {
        "idle"
    };
    let progress = state.progress.map(|(r, d, all, total)| {
        let pct = if total == 0 { 0.0 } else { 100.0 * all as f64 / total as f64 };
        html! {
            <div class="exp-progress" data-progress={fixed(pct, 0).to_string()}>
                <div class="exp-bar"><div class="exp-bar-fill" style={format!("width:{}%", fixed(pct, 1))}></div></div>
                <span class="small muted">
                    { t!("{lo}–{hi} ms: {done} / {trials} trials · {pct}% of all", lo = RANGES[r].0, hi = RANGES[r].1, done = d, trials = state.trials, pct = fixed(pct, 0)) }
                </span>
            </div>
        }
    });

    html! {
        <section class="panel experiments" data-experiments="" data-state={data_state}
            data-wall-ms={state.wall_ms.map(|ms| fixed(ms, 0).to_string())}>
            <div class="panel-head"><h2>{t!("Experiments · election timing")}</h2>
                <a class="btn ghost small exp-back" href="./" data-testid="cluster-link" title={t!("Back to the live cluster")}>{t!("← Live cluster")}</a></div>
            <p class="exp-explain">
                {t!("Each trial crashes the leader of a stable 5-server cluster at a random moment and measures how long the \
                  cluster is without a leader (as in Figure 16 of the Raft paper). With equal timeouts (150–150 ms) the \
                  followers time out together and split the vote again and again — many trials see no leader within 10 s; \
                  a few milliseconds of randomization end the split votes, and with 150–300 ms a new leader is there within \
                  a few hundred milliseconds. A curve that stays at 0% never saw a new leader within 10 s.")}
            </p>
            <div class="row exp-controls">
                { for toggles }
            </div>
            <div class="row exp-controls">
                <label class="small">{t!("trials per range")}{" "}
                    <select data-testid="exp-trials" onchange={on_trials} disabled={state.running}>
                        { for TRIAL_CHOICES.iter().map(|&n| html! {
                            <option key={n} value={n.to_string()} selected={n == state.trials}>{ n }</option>
                        }) }
                    </select>
                </label>
                <button class={classes!("btn", if state.running { "warn" } else { "primary" })} data-testid="exp-run" onclick={on_run}>
                    { if state.running { t!("Stop") } else { t!("Run") } }
                </button>
                { progress }
                if let Some(ms) = state.wall_ms {
                    <span class="small muted" data-testid="exp-wall">
                        { t!("{n} trials in {s} s of wall time", n = state.results.iter().map(|r| r.stats.trials).sum::<u32>(), s = fixed(ms / 1000.0, 2)) }
                    </span>
                }
            </div>
            <svg class="exp-plot" data-plot="cdf" viewBox={format!("0 0 {} {}", trimmed(W, 3), trimmed(H, 3))} role="img"
                aria-label={t!("cumulative distribution of the time to elect a new leader")}>
                { axes() }
                <g class="exp-curves">{ for curves }</g>
                <g class="exp-legend-box">{ for legend }</g>
            </svg>
            <table class="exp-table">
                <thead><tr>
                    <th>{t!("election timeout")}</th><th class="num">{t!("trials")}</th><th class="num">{t!("mean")}</th>
                    <th class="num">{t!("median")}</th><th class="num">{"p99"}</th><th class="num">{t!("max")}</th>
                    <th class="num">{t!("over 10 s")}</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
