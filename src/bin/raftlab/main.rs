//! The raftlab command line: check and run scenario files headlessly, fuzz, the election
//! experiment, benchmarks. One file per subcommand; this one parses the arguments.

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
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod check;
#[cfg(not(target_arch = "wasm32"))]
mod experiment;
#[cfg(not(target_arch = "wasm32"))]
mod fuzz;
#[cfg(not(target_arch = "wasm32"))]
mod run;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use crate::{bench, check, experiment, fuzz, run};
    use clap::{Parser, Subcommand};
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
            /// Also draw joint changes, learners, the lease read mode and clock drift
            /// within the lease's margin, and play their corners: Figure 10 splits (a
            /// multi-server change with the old and new majorities cut apart) and lease
            /// reads across a partition.
            #[arg(long)]
            joint: bool,
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
                match name.parse::<Bug>() {
                    Ok(b) => set(b, true),
                    Err(e) => {
                        eprintln!("error: RAFTLAB_BUGS: {e}");
                        return 2;
                    }
                }
                eprintln!("warning: deliberate bug {name} is switched on");
            }
        }
        let cli = Cli::parse();
        match cli.command {
            Cmd::Check { files } => check::check(&files),
            Cmd::Run { file, trace } => run::run(&file, trace),
            Cmd::Fuzz {
                seeds,
                start,
                duration,
                servers,
                out,
                verbose,
                joint,
            } => fuzz::fuzz(seeds, start, &duration, &servers, &out, verbose, joint),
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
            } => experiment::elections(
                trials,
                servers,
                &election_timeout,
                &latency,
                heartbeat.as_deref(),
                seed,
                json,
            ),
            Cmd::Bench { seconds, rounds } => bench::bench(seconds, rounds),
        }
    }
}
