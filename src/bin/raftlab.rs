//! The raftlab command line: check and run scenario files headlessly.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // Like other command-line tools, stop quietly when the reader of our output goes away
    // (`raftlab run x.raft --trace | head`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(cli::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use raftlab::sim::cluster::fmt_time;
    use raftlab::sim::scenario::{self, Outcome, Progress, Runner};
    use std::path::PathBuf;

    #[derive(Parser)]
    #[command(
        name = "raftlab",
        version,
        about = "A complete Raft, simulated: check and run .raft scenarios"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Cmd,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Run each scenario headlessly, checking Raft's safety properties after every
        /// event and every `expect`. Prints `PASS path` or `FAIL path:LINE: ...` per file;
        /// exits 0 if all passed, 1 if any failed, 2 if any could not be parsed.
        Check {
            #[arg(required = true)]
            files: Vec<PathBuf>,
        },
        /// Run one scenario and print what happens: captions, checks and, with --trace,
        /// every event (time, server, event).
        Run {
            file: PathBuf,
            /// Print every event, including message deliveries.
            #[arg(long)]
            trace: bool,
        },
        /// Run random seeds of faults and client load, checking safety after every event,
        /// then liveness, convergence and linearizability after healing.
        Fuzz {
            /// How many seeds.
            #[arg(long, default_value_t = 100)]
            seeds: u64,
            /// The first seed.
            #[arg(long, default_value_t = 0)]
            start: u64,
            /// Virtual time of each seed's fault schedule (e.g. 60s, 500ms).
            #[arg(long, default_value = "60s")]
            duration: String,
            /// Cluster sizes to draw from, like 3..7 or 5.
            #[arg(long, default_value = "3..7")]
            servers: String,
            /// Where to write reproductions of failing seeds.
            #[arg(long, default_value = "fuzz-failures")]
            out: PathBuf,
            /// Print one line per seed.
            #[arg(long)]
            verbose: bool,
        },
        /// The Raft paper's election-timing experiment (Figure 16).
        Experiment {
            #[command(subcommand)]
            which: Experiment,
        },
        /// Benchmarks: simulated events per second, time-travel seek time.
        Bench {
            /// Virtual seconds of the throughput workload.
            #[arg(long, default_value_t = 600)]
            seconds: u64,
            /// Runs of the throughput workload; the fastest is reported (the one least
            /// disturbed by whatever else the machine is doing).
            #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
            rounds: u32,
        },
    }

    #[derive(Subcommand)]
    enum Experiment {
        /// Crash a stable cluster's leader at a random moment within its heartbeat
        /// interval; measure the time until a new leader is elected.
        Elections {
            #[arg(long, default_value_t = 1000)]
            trials: u32,
            #[arg(long, default_value_t = 5)]
            servers: u8,
            /// Election timeout range, like 150ms..300ms.
            #[arg(long, default_value = "150ms..300ms")]
            election_timeout: String,
            /// One-way message delay range.
            #[arg(long, default_value = "5ms..15ms")]
            latency: String,
            /// Heartbeat interval (default: half the minimum election timeout).
            #[arg(long)]
            heartbeat: Option<String>,
            #[arg(long, default_value_t = 1)]
            seed: u64,
            /// Print one JSON line instead of a table.
            #[arg(long)]
            json: bool,
        },
    }

    pub fn main() -> i32 {
        // For demonstrating the mutation checks by hand: RAFTLAB_BUGS=double-vote,...
        if let Ok(list) = std::env::var("RAFTLAB_BUGS") {
            use raftlab::raft::bugs::{set, Bug};
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match Bug::ALL.iter().find(|b| b.name() == name) {
                    Some(&b) => set(b, true),
                    None => {
                        let known: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
                        eprintln!(
                            "error: RAFTLAB_BUGS: unknown bug {name:?} (known: {})",
                            known.join(", ")
                        );
                        return 2;
                    }
                }
                eprintln!("warning: deliberate bug {name} is switched on");
            }
        }
        let cli = Cli::parse();
        match cli.command {
            Cmd::Check { files } => check(&files),
            Cmd::Run { file, trace } => run(&file, trace),
            Cmd::Fuzz {
                seeds,
                start,
                duration,
                servers,
                out,
                verbose,
            } => fuzz(seeds, start, &duration, &servers, &out, verbose),
            Cmd::Experiment {
                which:
                    Experiment::Elections {
                        trials,
                        servers,
                        election_timeout,
                        latency,
                        heartbeat,
                        seed,
                        json,
                    },
            } => elections(
                trials,
                servers,
                &election_timeout,
                &latency,
                heartbeat.as_deref(),
                seed,
                json,
            ),
            Cmd::Bench { seconds, rounds } => bench(seconds, rounds),
        }
    }

    /// Parses a duration range with the scenario format's rules (`150ms..300ms`, `10ms`).
    fn parse_range(text: &str) -> Result<(u64, u64), String> {
        scenario::parse::duration_range_text(text)
            .map(|r| (r.min, r.max))
            .map_err(|e| format!("{text:?}: {e}"))
    }

    fn elections(
        trials: u32,
        servers: u8,
        election: &str,
        latency: &str,
        heartbeat: Option<&str>,
        seed: u64,
        json: bool,
    ) -> i32 {
        use raftlab::sim::experiment::ElectionExperiment;
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

    fn bench(seconds: u64, rounds: u32) -> i32 {
        use raftlab::sim::bench::{recorded_run, seek_points, throughput};
        use std::time::Instant;
        let mut best = f64::INFINITY;
        let mut sim = None;
        for _ in 0..rounds {
            let t0 = Instant::now();
            let s = throughput(seconds);
            best = best.min(t0.elapsed().as_secs_f64());
            sim = Some(s);
        }
        let (sim, secs) = (sim.expect("at least one round"), best);
        let done = sim
            .client
            .history
            .iter()
            .filter(|o| o.completed_us.is_some())
            .count();
        println!(
            "throughput: {} events in {:.3} s = {:.2} M events/s native (5 servers, {} s virtual, a put every 20 ms, {} completed; fastest of {} runs)",
            sim.events,
            secs,
            sim.events as f64 / secs / 1e6,
            seconds,
            done,
            rounds
        );
        let hour = 3_600u64;
        let t0 = Instant::now();
        let (sim, h) = recorded_run(hour);
        let record = t0.elapsed().as_secs_f64();
        let (mut worst, mut total, seeks) = (0f64, 0f64, 50u64);
        for t in seek_points(hour * 1_000_000, seeks) {
            let t1 = Instant::now();
            let s = h.seek(t);
            let ms = t1.elapsed().as_secs_f64() * 1000.0;
            assert!(s.now >= t);
            worst = worst.max(ms);
            total += ms;
        }
        println!(
            "seek: 1 h virtual run ({} events, recorded in {:.2} s, {} inputs, a checkpoint every {} s); {} seeks: mean {:.2} ms, max {:.2} ms native",
            sim.events,
            record,
            h.inputs.len(),
            h.every_us / 1_000_000,
            seeks,
            total / seeks as f64,
            worst
        );
        0
    }

    /// Parses a duration with the scenario format's rules (`60s`, `500ms`, bare = ms).
    fn parse_duration(text: &str) -> Result<u64, String> {
        match scenario::parse(&format!("run {text}")) {
            Ok(s) => match s.lines.first().map(|l| &l.stmt) {
                Some(raftlab::sim::scenario::ast::Statement::Run(d)) => Ok(*d),
                _ => Err(format!("{text:?} is not a duration")),
            },
            Err(e) => Err(format!("{text:?} is not a duration: {}", e.message)),
        }
    }

    fn fuzz(
        seeds: u64,
        start: u64,
        duration: &str,
        servers: &str,
        out: &std::path::Path,
        verbose: bool,
    ) -> i32 {
        use raftlab::sim::fuzz::{run_seeds, shrink, FuzzOptions};
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
                let text = if f.kind == raftlab::sim::fuzz::FailureKind::Safety {
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
        if summary.failures.is_empty() {
            0
        } else {
            1
        }
    }

    /// Reads and parses a file; on error prints `path:LINE:COL: error: ...`.
    fn load(path: &PathBuf) -> Result<Runner, i32> {
        let shown = path.display();
        let text = match std::fs::read(path) {
            Ok(b) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(e) => {
                    let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
                    let col = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
                    println!("{shown}:{line}:{col}: error: the file is not valid UTF-8");
                    return Err(2);
                }
            },
            Err(e) => {
                println!("{shown}:1:1: error: cannot read the file: {e}");
                return Err(2);
            }
        };
        let parsed = match scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                println!("{shown}:{e}");
                return Err(2);
            }
        };
        Runner::new(parsed).map_err(|(line, msg)| {
            println!("{shown}:{line}:1: error: {msg}");
            2
        })
    }

    fn check(files: &[PathBuf]) -> i32 {
        let mut code = 0;
        for f in files {
            let mut runner = match load(f) {
                Ok(r) => r,
                Err(c) => {
                    code = code.max(c);
                    continue;
                }
            };
            match runner.run_to_end() {
                Outcome::Pass => println!("PASS {}", f.display()),
                Outcome::Fail { line, message } => {
                    println!("FAIL {}:{line}: {message}", f.display());
                    code = code.max(1);
                }
            }
        }
        code
    }

    fn run(file: &PathBuf, trace: bool) -> i32 {
        let mut runner = match load(file) {
            Ok(r) => r,
            Err(c) => return c,
        };
        runner.sim.trace = trace;
        runner.sim.feed_log = Some(Vec::new());
        let mut caption_line = 0;
        let mut checks = 0;
        let outcome = loop {
            let p = runner.advance(runner.sim.now.saturating_add(100_000));
            let now = runner.sim.now;
            let items = runner.sim.feed_log.replace(Vec::new()).unwrap_or_default();
            for item in items {
                use raftlab::sim::cluster::FeedKind::*;
                if trace || !matches!(item.kind, Message | Vote | Commit | Client | Log) {
                    let who = item.server.map_or("-".to_string(), |s| format!("s{s}"));
                    println!("{:>10}  {who:<3} {}", fmt_time(item.time_us), item.text);
                }
            }
            if let Some((l, text)) = &runner.caption {
                if *l != caption_line {
                    caption_line = *l;
                    println!("{:>10}  --  \"{text}\"", fmt_time(now));
                }
            }
            for c in &runner.checks[checks..] {
                println!(
                    "{:>10}  --  line {}: {} {}",
                    fmt_time(c.time_us),
                    c.line,
                    if c.ok { "ok" } else { "FAILED" },
                    c.text
                );
            }
            checks = runner.checks.len();
            match p {
                Progress::Done(o) => break o,
                Progress::Paused(_) => runner.resume(),
                Progress::Limit => {}
            }
        };
        match outcome {
            Outcome::Pass => {
                println!("PASS {} at {}", file.display(), fmt_time(runner.sim.now));
                0
            }
            Outcome::Fail { line, message } => {
                println!("FAIL {}:{line}: {message}", file.display());
                1
            }
        }
    }
}
