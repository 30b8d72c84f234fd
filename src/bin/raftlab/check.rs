//! `raftlab check`: run scenario files to their end, PASS or FAIL each.

use raftlab::scenario::ast::{Caption, Scenario, Statement};
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
        let outcome = match (outcome, languages(&runner.script.scenario)) {
            (Outcome::Pass, Err((line, message))) => Outcome::Fail { line, message },
            (o, _) => o,
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

/// A file in two languages gives every caption in both: as many `say zh` lines as `say`
/// lines (and `goal zh` as `goal`) once it has any. The error names both counts and the
/// first line without its Chinese. A file without any Chinese caption is fine.
pub fn languages(scenario: &Scenario) -> Result<(), (usize, String)> {
    let says: Vec<(usize, &Caption)> = scenario
        .lines
        .iter()
        .filter_map(|l| match &l.stmt {
            Statement::Say(c) => Some((l.line, c)),
            _ => None,
        })
        .collect();
    let goals: Vec<(usize, &Caption)> = scenario
        .lines
        .iter()
        .filter_map(|l| match &l.stmt {
            Statement::Goal { caption, .. } => Some((l.line, caption)),
            _ => None,
        })
        .collect();
    for (kw, what, captions) in [("say", "captions", says), ("goal", "goals", goals)] {
        let zh = captions.iter().filter(|(_, c)| c.zh.is_some()).count();
        if zh == 0 || zh == captions.len() {
            continue;
        }
        let (line, _) = captions.iter().find(|(_, c)| c.zh.is_none()).unwrap();
        return Err((
            *line,
            format!(
                "the languages have different numbers of {what}: {} in English ({kw}) but \
                 {zh} in Chinese ({kw} zh); the {kw} of line {line} has no {kw} zh after it",
                captions.len()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::languages;
    use raftlab::scenario::parse;

    #[test]
    fn captions_in_two_languages_must_pair_up() {
        let two = |t: &str| languages(&parse(t).unwrap());
        assert_eq!(
            two("say \"a\"\nsay \"b\"\n"),
            Ok(()),
            "English only is fine"
        );
        assert_eq!(
            two("say \"a\"\nsay zh \"甲\"\nsay \"b\"\nsay zh \"乙\"\n"),
            Ok(())
        );
        assert_eq!(
            two("say \"a\"\nsay zh \"甲\"\nrun 1s\nsay \"b\"\nsay \"c\"\nsay zh \"丙\"\n"),
            Err((
                4,
                "the languages have different numbers of captions: 3 in English (say) but 2 \
                 in Chinese (say zh); the say of line 4 has no say zh after it"
                    .into()
            ))
        );
        assert_eq!(
            two("goal \"a\" leader any\ngoal zh \"甲\"\ngoal \"b\" leader none\n"),
            Err((
                3,
                "the languages have different numbers of goals: 2 in English (goal) but 1 \
                 in Chinese (goal zh); the goal of line 3 has no goal zh after it"
                    .into()
            ))
        );
    }
}
