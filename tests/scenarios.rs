//! Every scenario (`scenarios/*.raft`) and guided tour (`tours/*.raft`) must pass; every
//! malformed file under `tests/bad/` must be rejected before running with the position and
//! message its first line announces; the `raftlab check` binary prints and exits as the
//! format specifies; and a run is a pure function of the file and its seed.
//!
//! Each known file has its own test (so `cargo test figure8` runs one); files added later
//! and not listed here are still run by `unlisted_files_pass`.

use raftlab::scenario::{parse, Outcome, Runner};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()))
}

/// Parses and runs one file to its end; `Err` carries the checker's line for it.
fn outcome_of(rel: &str, text: &str) -> Result<(), String> {
    let parsed = parse(text).map_err(|e| format!("{rel}:{e}"))?;
    let mut runner =
        Runner::new(parsed).map_err(|(line, msg)| format!("{rel}:{line}:1: error: {msg}"))?;
    match runner.run_to_end() {
        Outcome::Pass => Ok(()),
        Outcome::Fail { line, message } => Err(format!("FAIL {rel}:{line}: {message}")),
    }
}

fn run_file(rel: &str) {
    if let Err(e) = outcome_of(rel, &read(rel)) {
        panic!("{e}");
    }
}

macro_rules! scenario_tests {
    ($($name:ident => $path:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_file($path);
            }
        )*
        const LISTED: &[&str] = &[$($path),*];
    };
}

scenario_tests! {
    // The examples copied from ../shared/scenarios (kept identical).
    basic_election => "scenarios/basic-election.raft",
    leader_crash => "scenarios/leader-crash.raft",
    partition => "scenarios/partition.raft",
    replication => "scenarios/replication.raft",
    tour_election => "scenarios/tour-election.raft",
    // Feature scenarios.
    check_quorum => "scenarios/check-quorum.raft",
    check_quorum_no_majority => "scenarios/check-quorum-no-majority.raft",
    client_retry_dedup => "scenarios/client-retry-dedup.raft",
    client_retry_loss => "scenarios/client-retry-loss.raft",
    fast_backtracking => "scenarios/fast-backtracking.raft",
    figure8 => "scenarios/figure8.raft",
    figure8_commit => "scenarios/figure8-commit.raft",
    leader_crash_commit => "scenarios/leader-crash-commit.raft",
    membership => "scenarios/membership.raft",
    membership_remove_leader => "scenarios/membership-remove-leader.raft",
    prevote => "scenarios/prevote.raft",
    prevote_check_quorum => "scenarios/prevote-check-quorum.raft",
    prevote_off_disruption => "scenarios/prevote-off-disruption.raft",
    snapshot_compact => "scenarios/snapshot-compact.raft",
    snapshot_install => "scenarios/snapshot-install.raft",
    split_vote => "scenarios/split-vote.raft",
    stale_read => "scenarios/stale-read.raft",
    transfer => "scenarios/transfer.raft",
    transfer_check_quorum => "scenarios/transfer-check-quorum.raft",
    joint_change => "scenarios/joint-change.raft",
    joint_figure10 => "scenarios/joint-figure10.raft",
    joint_remove_leader => "scenarios/joint-remove-leader.raft",
    learner_promote => "scenarios/learner-promote.raft",
    lease_read => "scenarios/lease-read.raft",
    lease_stale_drift => "scenarios/lease-stale-drift.raft",
    lease_drift_within_margin => "scenarios/lease-drift-within-margin.raft",
    // Guided tours.
    tour_01_election => "tours/01-election.raft",
    tour_02_replication => "tours/02-replication.raft",
    tour_03_leader_crash => "tours/03-leader-crash.raft",
    tour_04_partition_stale_read => "tours/04-partition-stale-read.raft",
    tour_05_figure8 => "tours/05-figure8.raft",
    tour_06_membership => "tours/06-membership.raft",
    tour_07_snapshots => "tours/07-snapshots.raft",
    tour_08_disruptive_server => "tours/08-disruptive-server.raft",
    tour_09_prevote => "tours/09-prevote.raft",
}

/// The `.raft` files of a directory of the crate, as `dir/name.raft`, sorted.
fn raft_files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}/: cannot list: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "raft"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    out
}

#[test]
fn unlisted_files_pass() {
    let listed: BTreeSet<&str> = LISTED.iter().copied().collect();
    let mut failures = Vec::new();
    for f in raft_files("scenarios")
        .into_iter()
        .chain(raft_files("tours"))
    {
        if listed.contains(f.as_str()) {
            continue;
        }
        if let Err(e) = outcome_of(&f, &read(&f)) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} file(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn listed_files_exist_and_there_are_enough_tours() {
    for f in LISTED {
        assert!(
            root().join(f).is_file(),
            "{f} is listed in tests/scenarios.rs but does not exist"
        );
    }
    assert!(
        raft_files("tours").len() >= 6,
        "at least six guided tours are shipped"
    );
}

#[test]
fn tours_have_captions_and_pauses() {
    for f in raft_files("tours") {
        let text = read(&f);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(
            lines.iter().any(|l| l.starts_with("say ")),
            "{f}: a tour needs `say` captions"
        );
        assert!(lines.contains(&"pause"), "{f}: a tour needs `pause` stops");
        assert!(
            lines.iter().any(|l| l.starts_with("expect ")),
            "{f}: a tour should check what it tells"
        );
    }
}

#[test]
fn examples_are_identical_to_the_shared_ones() {
    let shared = root().join("../shared/scenarios");
    if !shared.is_dir() {
        return; // a clone without the shared folder next to it
    }
    for entry in std::fs::read_dir(&shared).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "raft") {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let ours = root().join("scenarios").join(&name);
            assert_eq!(
                std::fs::read_to_string(&ours).ok(),
                std::fs::read_to_string(&p).ok(),
                "scenarios/{name} must be an exact copy of ../shared/scenarios/{name}"
            );
        }
    }
}

/// `# expect: LINE:COL: substring` on the first line of a malformed file.
fn expected_error(f: &str, text: &str) -> (usize, usize, String) {
    let first = text.lines().next().unwrap_or("");
    let rest = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{f}: the first line must be `# expect: LINE:COL: message`"))
        .trim();
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().and_then(|s| s.trim().parse().ok());
    let col = parts.next().and_then(|s| s.trim().parse().ok());
    let msg = parts.next().map(|s| s.trim().to_string());
    match (line, col, msg) {
        (Some(l), Some(c), Some(m)) if !m.is_empty() => (l, c, m),
        _ => panic!("{f}: cannot read `# expect: LINE:COL: message` from {first:?}"),
    }
}

#[test]
fn malformed_files_are_rejected_before_running() {
    let files = raft_files("tests/bad");
    assert!(
        files.len() >= 6,
        "tests/bad/ should hold a file per error class"
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = read(f);
        let (line, col, want) = expected_error(f, &text);
        // An error found before running comes from the parser, or (for settings the
        // parser accepted) from building the simulation: both are exit-2 errors.
        let got = match parse(&text) {
            Err(e) => Some((e.line, e.col, e.message)),
            Ok(s) => Runner::new(s).err().map(|(l, m)| (l, 1, m)),
        };
        match got {
            None => failures.push(format!(
                "{f}: parsed and started, expected {line}:{col}: {want}"
            )),
            Some((l, c, m)) if l != line || c != col || !m.contains(&want) => failures.push(
                format!("{f}: expected {line}:{col}: ...{want}..., got {l}:{c}: {m}"),
            ),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the `raftlab` binary in the crate's directory.
fn raftlab(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run raftlab");
    let code = out.status.code().expect("raftlab exited by a signal");
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes `text` to the file `name` in a directory of the test's own (`tag`) under the
/// system's temporary directory, and returns its path; the test removes the directory.
fn temp_file(tag: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raftlab-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A file that parses but whose expectation fails, written where tests may write.
fn failing_file() -> PathBuf {
    temp_file(
        "scenarios-test",
        "wrong-leader.raft",
        "# s1 is forced to campaign first and wins, so the expectation on line 6 fails.\n\
         cluster 3\n\
         set election-timeout 1s..2s\n\
         timeout s1\n\
         run until leader any within 500ms\n\
         expect leader s2\n",
    )
}

#[test]
fn check_cli_pass_fail_and_error() {
    let good = "scenarios/basic-election.raft";
    let (code, out) = raftlab(&["check", good]);
    assert_eq!(code, 0, "check {good}: {out}");
    assert!(
        out.trim_end()
            .starts_with(&format!("PASS {good} (client history linearizable: ")),
        "{out}"
    );

    let failing = failing_file();
    let shown = failing.display().to_string();
    let (code, out) = raftlab(&["check", &shown]);
    assert_eq!(code, 1, "check {shown}: {out}");
    let line = out.trim_end();
    assert!(
        line.starts_with(&format!("FAIL {shown}:6: ")),
        "expected `FAIL {shown}:6: ...`, got {line:?}"
    );
    assert!(
        line.contains("leader s2"),
        "the message names what was expected: {line:?}"
    );
    let _ = std::fs::remove_dir_all(failing.parent().unwrap());

    let bad = "tests/bad/unknown-command.raft";
    let (code, out) = raftlab(&["check", bad]);
    assert_eq!(code, 2, "check {bad}: {out}");
    let line = out.trim_end();
    assert!(
        line.starts_with(&format!("{bad}:5:1: error: ")) && line.contains("frobnicate"),
        "expected `{bad}:5:1: error: ...`, got {line:?}"
    );

    // Several files: one line each, and the worst exit code wins.
    let (code, out) = raftlab(&["check", good, bad]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().next().unwrap().starts_with("PASS "), "{out}");
}

/// A reader that stops early (`raftlab run --trace x.raft | head`) ends the command
/// quietly, without a panic about a broken pipe.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // 30 s of a 5-server cluster: a trace of several hundred KB, more than a pipe holds.
    let file = temp_file("pipe-test", "long.raft", "cluster 5\nrun 30s\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .arg("run")
        .arg("--trace")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run raftlab");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .unwrap()
        .read_exact(&mut first)
        .expect("some trace output");
    // stdout is dropped (closed) here, long before the trace is finished.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
    assert!(!err.contains("panicked"), "{err}");
}

/// The final view of a run of `text`, as JSON.
fn final_view(name: &str, text: &str) -> serde_json::Value {
    let mut runner = Runner::new(parse(text).unwrap_or_else(|e| panic!("{name}:{e}"))).unwrap();
    assert_eq!(runner.run_to_end(), Outcome::Pass, "{name}");
    serde_json::to_value(runner.sim.view()).expect("the view serializes")
}

fn with_seed(text: &str, seed: u64) -> String {
    let mut replaced = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("seed ") {
                replaced = true;
                format!("seed {seed}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(replaced, "the file has a seed line");
    out.join("\n") + "\n"
}

#[test]
fn same_file_and_seed_give_the_same_run() {
    // Loss, duplication, retries and elections: much randomness to agree on.
    let f = "scenarios/client-retry-loss.raft";
    let text = read(f);
    let a = final_view(f, &text);
    let b = final_view(f, &text);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "two runs of {f} differ"
    );

    // Another seed: the scenario still passes, but the run is a different one (beyond the
    // seed number it reports).
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("seed");
        serde_json::to_string(&v).unwrap()
    };
    let c = final_view(f, &with_seed(&text, 4242));
    assert_ne!(
        strip(a),
        strip(c),
        "seeds 41 and 4242 gave identical runs of {f}"
    );
}
