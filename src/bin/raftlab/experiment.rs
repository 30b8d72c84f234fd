//! `raftlab experiment elections`: the Raft paper's election-timing experiment.

use crate::args::{parse_duration, parse_range};
use raftlab::sim::time::fmt_time;

pub fn elections(
    trials: u32,
    servers: u8,
    election: &str,
    latency: &str,
    heartbeat: Option<&str>,
    seed: u64,
    json: bool,
) -> i32 {
    use raftlab::lab::experiment::ElectionExperiment;
    let bad = |what: &str, e: String| {
        eprintln!("error: --{what}: {e}");
        2
    };
    let (emin, emax) = match parse_range(election) {
        Ok((a, b)) if a > 0 => (a, b),
        Ok(_) => return bad("election-timeout", "the minimum must be positive".into()),
        Err(e) => return bad("election-timeout", e),
    };
    let (lmin, lmax) = match parse_range(latency) {
        Ok(r) => r,
        Err(e) => return bad("latency", e),
    };
    let hb = match heartbeat.map(parse_duration) {
        None => None,
        Some(Ok(h)) if h > 0 => Some(h),
        Some(Ok(_)) => return bad("heartbeat", "must be positive".into()),
        Some(Err(e)) => return bad("heartbeat", e),
    };
    if !(1..=9).contains(&servers) || trials == 0 {
        return bad(
            "servers/--trials",
            "servers must be 1..9 and trials at least 1".into(),
        );
    }
    let e = ElectionExperiment {
        trials,
        servers,
        election_min: emin,
        election_max: emax,
        latency_min: lmin,
        latency_max: lmax,
        heartbeat: hb,
        seed,
    };
    let t0 = std::time::Instant::now();
    let s = e.run();
    if json {
        println!(
            "{{\"trials\":{},\"mean_ms\":{:.1},\"median_ms\":{:.1},\"p99_ms\":{:.1},\"max_ms\":{:.1},\"over_10s\":{}}}",
            s.trials, s.mean_ms, s.median_ms, s.p99_ms, s.max_ms, s.over_10s
        );
    } else {
        println!(
            "elections: {} servers, election timeout {}..{}, heartbeat {}, latency {}..{}",
            servers,
            fmt_time(emin),
            fmt_time(emax),
            fmt_time(e.settings().heartbeat),
            fmt_time(lmin),
            fmt_time(lmax)
        );
        println!("  trials     {}", s.trials);
        println!("  mean       {:.1} ms", s.mean_ms);
        println!("  median     {:.1} ms", s.median_ms);
        println!("  p99        {:.1} ms", s.p99_ms);
        println!("  max        {:.1} ms", s.max_ms);
        println!("  over 10 s  {}", s.over_10s);
        println!("  ({:.2} s)", t0.elapsed().as_secs_f64());
    }
    0
}
