//! Mutation checks: each deliberate bug (src/raft/bugs.rs) must be caught by the fuzzer
//! or by a scenario within a bounded number of seeds. The bugs are switched on per thread,
//! so these tests do not disturb others running in parallel.

use raftlab::lab::fuzz::{run_seed, FailureKind, FuzzOptions};
use raftlab::raft::bugs::{self, Bug};
use raftlab::scenario::{parse, Outcome, Runner};

const SECOND: u64 = 1_000_000;

/// Runs fuzz seeds with the bug on until one fails; returns (seed, kind, message).
fn fuzz_until_caught(bug: Bug, seeds: u64, duration_s: u64) -> Option<(u64, FailureKind, String)> {
    fuzz_mode_until_caught(bug, seeds, duration_s, false)
}

/// The same, with `--joint` (`joint`: true) or without.
fn fuzz_mode_until_caught(
    bug: Bug,
    seeds: u64,
    duration_s: u64,
    joint: bool,
) -> Option<(u64, FailureKind, String)> {
    let opts = FuzzOptions {
        duration: duration_s * SECOND,
        joint,
        ..FuzzOptions::default()
    };
    bugs::set(bug, true);
    let mut caught = None;
    for seed in 0..seeds {
        let r = run_seed(seed, &opts);
        if let Some(f) = r.failure {
            caught = Some((seed, f.kind, f.message));
            break;
        }
    }
    bugs::set(bug, false);
    caught
}

fn scenario_fails(bug: Bug, text: &str) -> Option<String> {
    bugs::set(bug, true);
    let mut r = Runner::new(parse(text).unwrap()).unwrap();
    let o = r.run_to_end();
    bugs::set(bug, false);
    match o {
        Outcome::Pass => None,
        Outcome::Fail { line, message } => Some(format!("line {line}: {message}")),
    }
}

#[test]
fn the_fuzzer_passes_without_bugs() {
    // The same seeds the mutation tests use, with every bug off (and with `--joint`: its
    // Figure 10 and lease cut-off schedules are safe with correct Raft).
    for joint in [false, true] {
        let opts = FuzzOptions {
            duration: 10 * SECOND,
            joint,
            ..FuzzOptions::default()
        };
        for seed in 0..40 {
            let r = run_seed(seed, &opts);
            assert!(
                r.failure.is_none(),
                "seed {seed} (joint: {joint}): {:?}\n{}",
                r.failure,
                r.scenario_text
            );
        }
    }
}

/// Every planted bug, with what must catch it: the check named in the failure (or the
/// kind of failure), and whether it takes `--joint`. Each must be caught by the fuzzer
/// alone within `SEEDS` seeds (`commit-old-term` by the Figure 8 schedules,
/// `direct-config-switch` by the Figure 10 schedules and `lease-ignores-drift` by the
/// lease cut-off schedules of `--joint`).
const EXPECTED: [(Bug, &str, bool); 18] = [
    (Bug::CommitOldTerm, "committed entr", false),
    (Bug::DoubleVote, "election safety", false),
    (Bug::ForgetVote, "election safety", false),
    (Bug::KeepCommit, "commit index", false),
    (Bug::ReadWithoutReadIndex, "not linearizable", false),
    (Bug::ApplyRetryTwice, "", false),
    (Bug::CountRefusedVotes, "election safety", false),
    (Bug::TruncateMatching, "leader progress", false),
    (Bug::QuorumOffByOne, "leader completeness", false),
    (Bug::MatchSent, "leader progress", false),
    (Bug::InstallKeepsState, "state machine digest", false),
    (Bug::SnapshotWithoutDedup, "snapshot contents", false),
    (Bug::TruncateKeepsConfig, "active configuration", false),
    (Bug::ReadOldRound, "not linearizable", false),
    (Bug::PreVoteRaisesTerm, "pre-vote", false),
    (Bug::CheckQuorumStale, "check-quorum", false),
    (Bug::DirectConfigSwitch, "election safety", true),
    (Bug::LeaseIgnoresDrift, "not linearizable", true),
];

const SEEDS: u64 = 2000;
const DURATION_S: u64 = 20;

/// The fuzzer alone catches every planted bug within 2,000 seeds (stopping at the first
/// catching seed; the bugs run in parallel threads, a bug being a per-thread switch).
/// `cargo test --test mutations -- --nocapture` prints how many seeds each took.
#[test]
fn the_fuzzer_catches_every_planted_bug() {
    for bug in Bug::ALL {
        assert!(
            EXPECTED.iter().any(|&(b, _, _)| b == bug),
            "{} is not in EXPECTED",
            bug.name()
        );
    }
    type Caught = Option<(u64, FailureKind, String)>;
    let results: Vec<(Bug, Caught)> = std::thread::scope(|s| {
        let handles: Vec<_> = EXPECTED
            .iter()
            .map(|&(bug, _, joint)| {
                s.spawn(move || (bug, fuzz_mode_until_caught(bug, SEEDS, DURATION_S, joint)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut problems = Vec::new();
    for ((bug, caught), (_, expected, _)) in results.iter().zip(EXPECTED) {
        match caught {
            None => problems.push(format!("{}: not caught in {SEEDS} seeds", bug.name())),
            Some((seed, kind, msg)) => {
                println!(
                    "{:<24} seed {seed:>4} ({} seeds)  {kind:?}: {msg}",
                    bug.name(),
                    seed + 1
                );
                if !msg.contains(expected) {
                    problems.push(format!("{}: caught by another check: {msg}", bug.name()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The two bugs that only `--joint` catches are caught by its schedules for them: the
/// first catching seed ran a Figure 10 split (two sides, a majority of C_old and one of
/// C_new) or a lease cut-off read (the client's get sent to the cut-off leader after the
/// new leader committed its put), and the same seed passes without the bug.
#[test]
fn the_joint_schedules_catch_the_joint_bugs() {
    let opts = FuzzOptions {
        duration: DURATION_S * SECOND,
        joint: true,
        ..FuzzOptions::default()
    };
    for (bug, schedule) in [
        (Bug::DirectConfigSwitch, "figure-10 splits"),
        (Bug::LeaseIgnoresDrift, "lease cut-off reads"),
    ] {
        let (seed, _, msg) = fuzz_mode_until_caught(bug, SEEDS, DURATION_S, true)
            .unwrap_or_else(|| panic!("{} not caught", bug.name()));
        let with = {
            let _on = bugs::BugOn::new(bug);
            run_seed(seed, &opts)
        };
        assert!(with.failure.is_some(), "{}: seed {seed} again", bug.name());
        assert!(
            with.counts.get(schedule).is_some_and(|&n| n > 0),
            "{}: seed {seed} ({msg}) ran no {schedule}: {:?}",
            bug.name(),
            with.counts
        );
        let without = run_seed(seed, &opts);
        assert!(
            without.failure.is_none(),
            "seed {seed} without {}: {:?}",
            bug.name(),
            without.failure
        );
        assert!(without.counts.get(schedule).is_some_and(|&n| n > 0));
    }
}

#[test]
fn catches_reads_without_read_index() {
    // The fuzzer's linearizability check catches it...
    let c = fuzz_until_caught(Bug::ReadWithoutReadIndex, 400, 20)
        .expect("stale read caught by the fuzzer");
    assert_eq!(c.1, FailureKind::Linearizability, "{c:?}");
    // ...and so does the stale-read scenario: the cut-off leader answers from its state.
    let msg = scenario_fails(
        Bug::ReadWithoutReadIndex,
        include_str!("../scenarios/stale-read.raft"),
    )
    .expect("stale-read.raft fails with the bug");
    assert!(msg.contains("read x"), "{msg}");
}

#[test]
fn catches_retries_applied_twice() {
    // Late copies of older writes reach the leader after newer writes: applied again,
    // they undo them. The scenario fails with the bug, and of its variants with other
    // seeds most do, while all pass without it.
    let text = include_str!("../scenarios/client-retry-reorder.raft");
    let msg = scenario_fails(Bug::ApplyRetryTwice, text)
        .expect("client-retry-reorder.raft fails with the bug");
    assert!(msg.contains("value"), "{msg}");
    let mut caught = 0;
    for seed in 1..=10 {
        let variant = text.replace("\nseed 3\n", &format!("\nseed {seed}\n"));
        assert_eq!(
            Runner::new(parse(&variant).unwrap()).unwrap().run_to_end(),
            Outcome::Pass,
            "seed {seed} without the bug"
        );
        caught += usize::from(scenario_fails(Bug::ApplyRetryTwice, &variant).is_some());
    }
    assert!(caught >= 3, "caught by only {caught} of 10 seeds");
}

#[test]
fn catches_commit_by_counting_old_terms() {
    // Figure 8 of the Raft paper, set up with state lines: s1 leads term 4 holding an
    // entry of term 2 at index 2 that s2 also holds. Counting replicas, the buggy leader
    // commits it; then s5 (term 3 entry at index 2) wins term 5 and overwrites it.
    let text = include_str!("../scenarios/figure8.raft");
    let caught = scenario_fails(Bug::CommitOldTerm, text);
    let msg = caught.expect("figure 8 scenario fails with the bug");
    assert!(
        msg.contains("safety violation") || msg.contains("expected"),
        "{msg}"
    );
    // And the same scenario passes without it.
    let mut r = Runner::new(parse(text).unwrap()).unwrap();
    assert_eq!(r.run_to_end(), Outcome::Pass);
}

/// Runs a scenario file (with `bug` on, if any) to its end; returns its outcome and
/// whether the client's history is linearizable.
fn run_with(bug: Option<Bug>, rel: &str) -> (Outcome, Result<(), String>) {
    let text = std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let _on = bug.map(bugs::BugOn::new);
    let mut r = Runner::new(parse(&text).unwrap()).unwrap();
    let o = r.run_to_end();
    let lin = raftlab::lab::linearizability::check_history(&r.sim.client.history);
    (o, lin)
}

#[test]
fn catches_direct_config_switch() {
    // Figure 10: without C_old,new, s4 (with s1 s5: a majority of C_new) and s2 (with s3:
    // a majority of C_old) are both elected in term 2.
    let text = include_str!("../scenarios/joint-figure10.raft");
    let e = scenario_fails(Bug::DirectConfigSwitch, text).expect("direct switch caught");
    assert!(
        e.contains("election safety: s4 and s2 were both elected leader of term 2"),
        "{e}"
    );
    let (o, lin) = run_with(None, "scenarios/joint-figure10.raft");
    assert_eq!((o, lin), (Outcome::Pass, Ok(())));
}

#[test]
fn catches_a_lease_that_ignores_drift() {
    // Drift within the margin: safe with the lease's margin...
    let (o, lin) = run_with(None, "scenarios/lease-drift-within-margin.raft");
    assert_eq!((o, lin), (Outcome::Pass, Ok(())));
    // ...and a lease of the whole minimum election timeout serves a stale read.
    let (o, lin) = run_with(
        Some(Bug::LeaseIgnoresDrift),
        "scenarios/lease-drift-within-margin.raft",
    );
    assert!(matches!(o, Outcome::Fail { .. }), "{o:?}");
    let e = lin.expect_err("not linearizable");
    assert!(e.contains("key x"), "{e}");
}

#[test]
fn drift_beyond_the_margin_gives_a_stale_read_that_the_linearizability_check_shows() {
    let (o, lin) = run_with(None, "scenarios/lease-stale-drift.raft");
    assert_eq!(o, Outcome::Pass, "the file expects the stale read");
    assert!(lin.is_err(), "the history is not linearizable");
    // The same run under ReadIndex is immune.
    let text = std::fs::read_to_string(format!(
        "{}/scenarios/lease-stale-drift.raft",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("set read-mode lease", "set read-mode read-index")
    .replace(
        "run until read x 1 within 1s",
        "run until read x 2 within 5s",
    );
    let mut r = Runner::new(parse(&text).unwrap()).unwrap();
    assert_eq!(r.run_to_end(), Outcome::Pass);
    assert_eq!(
        raftlab::lab::linearizability::check_history(&r.sim.client.history),
        Ok(())
    );
}
