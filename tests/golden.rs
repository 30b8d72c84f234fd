//! Golden traces: the command line's output for every scenario, tour and malformed file
//! (`raftlab run --trace`), for 300 fuzz seeds, for the election experiment and for the
//! benchmark's event counts, compared byte for byte with `tests/golden/`.
//!
//! They were recorded before the structure redesign, and prove that a refactor changes no
//! behaviour: the same file and seed give the same events, messages and numbers. A change
//! that is meant to alter behaviour re-records them (say why in the commit):
//!
//! ```sh
//! RAFTLAB_BLESS=1 cargo test --test golden
//! ```
//!
//! Timings (seconds, events per second) are not behaviour: the benchmark's and the fuzzer's
//! timing figures are masked before comparing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI; the golden text is stdout, then stderr, then the exit code.
fn raftlab(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("raftlab runs");
    format!(
        "{}--- stderr\n{}--- exit {}\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// Masks what depends on the machine's speed: decimal numbers (seconds, milliseconds,
/// millions of events per second) and the fuzzer's closing parenthesis (time, events/s).
fn mask_timings(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = match (line.starts_with("fuzz:"), line.rfind(" (")) {
                (true, Some(at)) => &line[..at],
                _ => line,
            };
            line.split(' ')
                .map(|word| {
                    let start = word.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
                    let (lead, rest) = word.split_at(start);
                    let number = rest.trim_end_matches(|c: char| !c.is_ascii_digit());
                    let is_decimal = number.contains('.')
                        && number.chars().all(|c| c.is_ascii_digit() || c == '.');
                    if is_decimal {
                        format!("{lead}#{}", &rest[number.len()..])
                    } else {
                        word.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .map(|line| line + "\n")
        .collect()
}

fn raft_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".raft"))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files
}

/// Compares (or, with RAFTLAB_BLESS=1, writes) one golden file; returns a difference.
fn compare(name: &str, actual: &str) -> Option<String> {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("RAFTLAB_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return Some(format!("{}: {e}", path.display())),
    };
    if expected == actual {
        return None;
    }
    let (line, want, got) = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
        .unwrap_or_else(|| {
            let n = expected.lines().count().min(actual.lines().count());
            (
                n + 1,
                "(end or more lines)".into(),
                "(end or more lines)".into(),
            )
        });
    Some(format!(
        "{}:{line}: expected `{want}`, found `{got}`",
        path.display()
    ))
}

fn golden_name(file: &str) -> String {
    Path::new(file)
        .with_extension("trace")
        .to_string_lossy()
        .into_owned()
}

fn assert_all(diffs: Vec<String>) {
    assert!(
        diffs.is_empty(),
        "{} golden files differ (re-record with RAFTLAB_BLESS=1 only if the change is meant):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn traces_of_every_scenario_tour_and_malformed_file() {
    let mut diffs = Vec::new();
    for dir in ["scenarios", "tours", "tests/bad"] {
        for file in raft_files(dir) {
            let trace = raftlab(&["run", "--trace", &file]);
            diffs.extend(compare(&golden_name(&file), &trace));
        }
    }
    assert_all(diffs);
}

#[test]
fn check_of_every_scenario_and_tour() {
    let mut args = vec!["check".to_string()];
    args.extend(raft_files("scenarios"));
    args.extend(raft_files("tours"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_all(compare("check.txt", &raftlab(&args)).into_iter().collect());
}

#[test]
fn three_hundred_fuzz_seeds() {
    let out = mask_timings(&raftlab(&["fuzz", "--seeds", "300", "--verbose"]));
    assert_all(compare("fuzz-300.txt", &out).into_iter().collect());
}

#[test]
fn election_experiment() {
    let mut diffs = Vec::new();
    for (name, range, latency) in [
        ("150-300", "150ms..300ms", None),
        ("150-155", "150ms..155ms", None),
        ("150-155-lan", "150ms..155ms", Some("2ms..3ms")),
    ] {
        let mut args = vec![
            "experiment",
            "elections",
            "--election-timeout",
            range,
            "--json",
        ];
        if let Some(latency) = latency {
            args.extend(["--latency", latency]);
        }
        diffs.extend(compare(&format!("experiment-{name}.json"), &raftlab(&args)));
    }
    assert_all(diffs);
}

#[test]
fn bench_event_counts() {
    let out = mask_timings(&raftlab(&["bench", "--seconds", "60", "--rounds", "1"]));
    assert_all(compare("bench.txt", &out).into_iter().collect());
}

#[test]
fn masking_keeps_counts_and_hides_timings() {
    assert_eq!(
        mask_timings("58058 events in 0.014 s = 4.03 M events/s (1.0s, 5 x)"),
        "58058 events in # s = # M events/s (#s, 5 x)\n"
    );
    assert_eq!(
        mask_timings("fuzz: 3 seeds, 7 events (1.0s, 3729412 events/s)"),
        "fuzz: 3 seeds, 7 events\n"
    );
}
