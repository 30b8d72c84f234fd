//! Every bundled challenge (`challenges/*.raft`) is solved by its scripted solution
//! (`tests/challenges/NAME.raft`: the commands a student could give, appended to the
//! challenge): each goal becomes done, and the solution uses no command the challenge
//! forbids (nor more than it allows).

use raftlab::app::challenge::{challenges, Challenge};
use raftlab::app::session::{ScenarioState, Session};
use raftlab::scenario::convert::command_of;
use raftlab::scenario::{parse, Outcome};

fn solution(id: &str) -> String {
    let path = format!("{}/tests/challenges/{id}.raft", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_challenge_is_solved_by_its_solution() {
    assert!(challenges().len() >= 6);
    for f in challenges() {
        let sol = solution(f.id);
        // The solution keeps to the challenge's limits.
        let mut c = Challenge::of(&parse(f.text()).unwrap()).unwrap();
        for l in parse(&format!("{}\n{sol}", f.text())).unwrap().lines {
            if let Some(cmd) = command_of(&l.stmt, |_| Ok(1)) {
                let cmd = cmd.unwrap();
                if let Err(e) = c.admit(&cmd) {
                    panic!("{}: the solution's {:?} is refused: {e}", f.id, l.text);
                }
            }
        }
        let mut s = Session::from_scenario(&format!("{}\n{sol}", f.text()))
            .unwrap_or_else(|e| panic!("{}: {e}", f.id));
        s.finish(100);
        assert!(
            matches!(s.scenario_state(), Some(ScenarioState::Done(Outcome::Pass))) || s.blocked(),
            "{}: {:?}",
            f.id,
            s.scenario_state()
        );
        let c = s.challenge().unwrap();
        for g in &c.goals {
            assert!(
                g.done_at.is_some(),
                "{}: goal {:?} ({}) not reached; at {} µs: {}",
                f.id,
                g.caption,
                g.conds_text,
                s.live_now(),
                raftlab::scenario::run::summary(s.sim())
            );
        }
        // Goals are reached in the order they are listed.
        let times: Vec<_> = c.goals.iter().map(|g| g.done_at.unwrap()).collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{}: {times:?}",
            f.id
        );
    }
}

#[test]
fn a_challenge_alone_reaches_no_goal() {
    // Without the student, 10 s of the cluster on its own reach no goal (none is given
    // away), except where the cluster does on its own what the first step asks.
    for f in challenges() {
        let mut s = Session::from_scenario(f.text()).unwrap();
        s.advance_to(10_000_000);
        let c = s.challenge().unwrap();
        assert!(!c.solved(), "{} solves itself", f.id);
    }
}

#[test]
fn raftlab_check_accepts_the_challenge_files() {
    let mut args = vec!["check".to_string()];
    for f in challenges() {
        args.push(format!("challenges/{}.raft", f.id));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run raftlab");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for f in challenges() {
        assert!(
            text.contains(&format!("PASS challenges/{}.raft (a challenge: ", f.id)),
            "{text}"
        );
    }
    // Every file of challenges/ is bundled.
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/challenges"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "raft")
        })
        .count();
    assert_eq!(on_disk, challenges().len());
}
