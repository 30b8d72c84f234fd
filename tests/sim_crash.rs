//! The simulator's crash path: what a crashed server keeps (moved from the raft node's
//! unit tests, which must not import the simulator).

use raftlab::raft::bugs::{Bug, BugOn};

#[test]
fn bug_keep_commit() {
    use raftlab::sim::{Command as SimCommand, Setup, Sim};
    let run = || {
        let mut sim = Sim::new(&Setup {
            servers: 3,
            ..Setup::default()
        });
        sim.run_until(2_000_000);
        let l = sim.leader().expect("a leader within 2 s");
        let f = if l == 1 { 2 } else { 1 };
        let before = sim.server(f).unwrap().node.commit();
        assert!(before >= 1, "the follower learned the no-op's commit");
        sim.apply(SimCommand::Crash(f)).unwrap();
        sim.server(f).unwrap().node.commit()
    };
    assert_eq!(run(), 0);
    {
        let _b = BugOn::new(Bug::KeepCommit);
        assert!(run() >= 1, "commitIndex survived the crash");
    }
    assert_eq!(run(), 0);
}
