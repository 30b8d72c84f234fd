//! `raftlab check`: run scenario files to their end, PASS or FAIL each.

use raftlab::scenario::ast::Statement;
use raftlab::scenario::{self, Outcome, Runner};
use std::path::PathBuf;

/// Reads and parses a file; on error prints `path:LINE:COL: error: ...`.
pub fn load(path: &PathBuf) -> Result<Runner, i32> {
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

pub fn check(files: &[PathBuf]) -> i32 {
    let mut code = 0;
    for f in files {
        let mut runner = match load(f) {
            Ok(r) => r,
            Err(c) => {
                code = code.max(c);
                continue;
            }
        };
        let outcome = runner.run_to_end();
        let history = &runner.sim.client.history;
        let linearizable = raftlab::lab::linearizability::check_history(history);
        // A scenario that demonstrates a stale read says so (`history not linearizable`).
        let stale_expected = runner
            .script
            .scenario
            .lines
            .iter()
            .find(|l| l.stmt == Statement::HistoryNotLinearizable);
        let outcome = match (outcome, &linearizable, stale_expected) {
            (Outcome::Pass, Err(e), None) => Outcome::Fail {
                line: 0,
                message: format!("the client history is not linearizable: {e}"),
            },
            (Outcome::Pass, Ok(()), Some(l)) => Outcome::Fail {
                line: l.line,
                message: "expected the client history not to be linearizable, but it is".into(),
            },
            (o, ..) => o,
        };
        // A challenge's goals are the student's to reach: the file passes when it parses
        // and its set-up starts (nothing else runs).
        let goals = runner
            .script
            .scenario
            .lines
            .iter()
            .filter(|l| matches!(l.stmt, Statement::Goal { .. }))
            .count();
        match outcome {
            Outcome::Pass if goals > 0 => println!(
                "PASS {} (a challenge: {goals} goal{} for the student to reach)",
                f.display(),
                if goals == 1 { "" } else { "s" }
            ),
            Outcome::Pass => println!(
                "PASS {} (client history {}: {} operations)",
                f.display(),
                if linearizable.is_ok() {
                    "linearizable"
                } else {
                    "not linearizable, as the file expects"
                },
                history.len()
            ),
            Outcome::Fail { line, message } => {
                println!("FAIL {}:{line}: {message}", f.display());
                code = code.max(1);
            }
        }
    }
    code
}
