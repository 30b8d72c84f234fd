//! `raftlab fuzz`: random faults and client load over many seeds.

use crate::args::parse_duration;

pub fn fuzz(
    seeds: u64,
    start: u64,
    duration: &str,
    servers: &str,
    out: &std::path::Path,
    verbose: bool,
    joint: bool,
) -> i32 {
    use raftlab::lab::fuzz::{run_seeds, shrink, FuzzOptions};
    let duration_text = duration;
    let duration = match parse_duration(duration) {
        Ok(d) if d > 0 => d,
        Ok(_) => {
            eprintln!("error: --duration must be positive");
            return 2;
        }
        Err(e) => {
            eprintln!("error: --duration: {e}");
            return 2;
        }
    };
    let (lo, hi) = match servers.split_once("..") {
        Some((a, b)) => (a.trim().parse::<u8>(), b.trim().parse::<u8>()),
        None => (servers.trim().parse::<u8>(), servers.trim().parse::<u8>()),
    };
    let (lo, hi) = match (lo, hi) {
        (Ok(a), Ok(b)) if (1..=9).contains(&a) && (a..=9).contains(&b) => (a, b),
        _ => {
            eprintln!("error: --servers {servers:?}: expected N or A..B with 1 <= A <= B <= 9");
            return 2;
        }
    };
    let opts = FuzzOptions {
        duration,
        min_servers: lo,
        max_servers: hi,
        joint,
    };
    let t0 = std::time::Instant::now();
    let summary = run_seeds(start, seeds, &opts, |r| {
        if verbose {
            println!(
                "seed {} servers {} events {} requests {} {}",
                r.seed,
                r.servers,
                r.events,
                r.requests,
                r.failure
                    .as_ref()
                    .map_or("ok".to_string(), |f| format!("FAIL: {}", f.message))
            );
        }
        if let Some(f) = &r.failure {
            let _ = std::fs::create_dir_all(out);
            let text = if f.kind == raftlab::lab::fuzz::FailureKind::Safety && r.clients == 1 {
                shrink(&r.scenario_text, 300)
            } else {
                r.scenario_text.clone()
            };
            let path = out.join(format!("seed-{}.raft", r.seed));
            let _ = std::fs::write(&path, &text);
            println!(
                "FAIL seed {} ({:?}){}: {}\n  reproduction: {}",
                r.seed,
                f.kind,
                if f.line > 0 {
                    format!(" at line {}", f.line)
                } else {
                    String::new()
                },
                f.message,
                path.display()
            );
            if r.clients > 1 {
                println!(
                    "  rerun (client 1 of {} is in the file): raftlab fuzz --start {} --seeds 1 --duration {} --servers {}",
                    r.clients, r.seed, duration_text, servers
                );
            }
        }
    });
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "fuzz: {} seeds, {} events simulated, {} client requests, {} violations ({:.1}s, {:.0} events/s)",
        summary.seeds,
        summary.events,
        summary.requests,
        summary.failures.len(),
        secs,
        summary.events as f64 / secs.max(1e-9)
    );
    let counts: Vec<String> = summary
        .counts
        .iter()
        .map(|(what, n)| format!("{what} {n}"))
        .collect();
    println!("fuzz counts: {}", counts.join(", "));
    if summary.failures.is_empty() {
        0
    } else {
        1
    }
}
