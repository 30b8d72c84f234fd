//! Benchmark hooks of the page, the browser twins of `raftlab bench`: they run the same
//! workloads ([`crate::lab::bench`]) and time them with `performance.now()`.
//!
//! - `raftlabBench(virtualSeconds)` → `{ events, ms, events_per_s }`: simulated events
//!   per second, 5 servers with heartbeats and a put every 20 ms of virtual time.
//! - `raftlabSeekBench(seeks)` → `{ record_ms, events, inputs, seeks, mean_ms, max_ms }`:
//!   records a 1-hour virtual run, then seeks to `seeks` moments of it (default 50).
//!
//! They are `#[wasm_bindgen]` exports (trunk puts the module's exports on
//! `window.wasmBindings`), and [`install_bench_hooks`] also sets them on `window`
//! directly.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::lab::bench::{recorded_run, seek_points, throughput};

fn now_ms() -> f64 {
    gloo::utils::window()
        .performance()
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn object(fields: &[(&str, f64)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_f64(*v));
    }
    o.into()
}

/// Runs the throughput workload for `virtual_seconds` (0: 600) and reports
/// `{ events, ms, events_per_s }`.
#[wasm_bindgen(js_name = raftlabBench)]
pub fn raftlab_bench(virtual_seconds: u32) -> JsValue {
    let seconds = if virtual_seconds == 0 {
        600
    } else {
        u64::from(virtual_seconds)
    };
    let t0 = now_ms();
    let sim = throughput(seconds);
    let ms = (now_ms() - t0).max(1e-3);
    let events = sim.events as f64;
    object(&[
        ("events", events),
        ("ms", ms),
        ("events_per_s", events / ms * 1000.0),
        ("virtual_seconds", seconds as f64),
    ])
}

/// Records a 1-hour virtual run, then seeks to `seeks` moments of it (0: 50); reports
/// `{ record_ms, events, inputs, seeks, mean_ms, max_ms }`.
#[wasm_bindgen(js_name = raftlabSeekBench)]
pub fn raftlab_seek_bench(seeks: u32) -> JsValue {
    let seeks = if seeks == 0 { 50 } else { u64::from(seeks) };
    let hour = 3_600u64;
    let t0 = now_ms();
    let (sim, h) = recorded_run(hour);
    let record_ms = now_ms() - t0;
    let (mut worst, mut total) = (0f64, 0f64);
    for t in seek_points(hour * 1_000_000, seeks) {
        let t1 = now_ms();
        let s = h.seek(t);
        let ms = now_ms() - t1;
        assert!(s.now >= t);
        worst = worst.max(ms);
        total += ms;
    }
    object(&[
        ("record_ms", record_ms),
        ("events", sim.events as f64),
        ("inputs", h.inputs.len() as f64),
        ("checkpoint_every_s", (h.every_us / 1_000_000) as f64),
        ("seeks", seeks as f64),
        ("mean_ms", total / seeks as f64),
        ("max_ms", worst),
    ])
}

/// Sets `window.raftlabBench` and `window.raftlabSeekBench` (for pages where the module's
/// exports are not reachable). Idempotent.
pub fn install_bench_hooks() {
    let w = gloo::utils::window();
    if Reflect::has(&w, &"raftlabBench".into()).unwrap_or(false) {
        return;
    }
    let bench = Closure::<dyn Fn(u32) -> JsValue>::new(raftlab_bench);
    let seek = Closure::<dyn Fn(u32) -> JsValue>::new(raftlab_seek_bench);
    let _ = Reflect::set(&w, &"raftlabBench".into(), bench.as_ref());
    let _ = Reflect::set(&w, &"raftlabSeekBench".into(), seek.as_ref());
    bench.forget();
    seek.forget();
}
