//! Property tests of the log against a plain vector model, and of the scenario parser
//! against hostile input.

use proptest::prelude::*;
use raftlab::raft::kv::KvState;
use raftlab::raft::log::Log;
use raftlab::raft::{Configuration, Entry, Term};
use raftlab::scenario::{parse, Runner};

#[derive(Clone, Debug)]
enum Op {
    /// A leader's append of an entry of this term (terms never go down in the model).
    Append(Term),
    /// A follower's AppendEntries at prev index (clamped into range) with these terms.
    TryAppend(u64, Vec<Term>),
    Compact(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..6).prop_map(Op::Append),
        (0u64..30, prop::collection::vec(1u64..6, 0..6)).prop_map(|(p, ts)| Op::TryAppend(p, ts)),
        (0u64..30).prop_map(Op::Compact),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The log behaves like a vector of terms with a snapshot prefix: appends, the
    /// consistency check, conflict truncation and compaction keep it equal to the model.
    #[test]
    fn log_matches_a_vector_model(ops in prop::collection::vec(op(), 1..40)) {
        let mut log = Log::new(Configuration::new([1, 2, 3]));
        let mut model: Vec<Term> = Vec::new(); // terms of entries 1..
        let mut snap: u64 = 0; // entries up to here are compacted
        for o in ops {
            match o {
                Op::Append(t) => {
                    let t = t.max(model.last().copied().unwrap_or(0));
                    log.append(Entry::noop(t));
                    model.push(t);
                }
                Op::TryAppend(prev, terms) => {
                    let prev = snap + prev % (model.len() as u64 + 2 - snap);
                    let prev_term = if prev == 0 { 0 } else { model.get(prev as usize - 1).copied().unwrap_or(99) };
                    let mut ts = terms;
                    // Entries a leader sends never have terms below their predecessor.
                    let mut floor = prev_term.min(98);
                    for t in ts.iter_mut() { *t = (*t).max(floor); floor = *t; }
                    let entries: Vec<Entry> = ts.iter().map(|&t| Entry::noop(t)).collect();
                    let r = log.try_append(prev, prev_term, &entries);
                    let matches = prev as usize <= model.len() && prev_term != 99;
                    prop_assert_eq!(r.is_ok(), matches);
                    if matches {
                        for (k, &t) in ts.iter().enumerate() {
                            let i = prev as usize + k; // 0-based position
                            if i < model.len() {
                                if model[i] != t { model.truncate(i); model.push(t); }
                            } else {
                                model.push(t);
                            }
                        }
                        prop_assert_eq!(r.unwrap(), prev + ts.len() as u64);
                    } else {
                        let h = r.unwrap_err();
                        prop_assert_eq!(h.rejected, prev);
                        prop_assert!(h.conflict_index <= model.len() as u64 + 1);
                    }
                }
                Op::Compact(at) => {
                    let at = at.min(model.len() as u64);
                    if at > snap {
                        log.compact(at, KvState::default());
                        snap = at;
                    }
                }
            }
            prop_assert_eq!(log.last_index(), model.len() as u64);
            prop_assert_eq!(log.first_index(), snap + 1);
            for i in snap + 1..=model.len() as u64 {
                prop_assert_eq!(log.term(i), Some(model[i as usize - 1]));
            }
            if snap > 0 {
                prop_assert_eq!(log.term(snap), Some(model[snap as usize - 1]));
            }
            prop_assert_eq!(log.last_term(), model.last().copied().unwrap_or(0));
        }
    }

    /// Whatever the text, parsing never panics, and a file that parses can start running
    /// (a bounded run: the event cap and the time limits keep it finite).
    #[test]
    fn hostile_scenarios_never_panic(lines in prop::collection::vec(prop_oneof![
        Just("cluster 3".to_string()), Just("cluster 99".to_string()), Just("run 1000000h".to_string()),
        Just("run 5ms".to_string()), Just("crash s2".to_string()), Just("restart s2".to_string()),
        Just("add s9".to_string()), Just("remove s1".to_string()), Just("put x 1".to_string()),
        Just("get x".to_string()), Just("transfer s2".to_string()), Just("compact leader".to_string()),
        Just("timeout s1".to_string()), Just("partition s1 | s2".to_string()), Just("heal".to_string()),
        Just("expect leader any".to_string()), Just("run until leader any within 300ms".to_string()),
        Just("set loss 150%".to_string()), Just("state s1 term 3 log 1 2 3".to_string()),
        "[ -~]{0,30}",
    ], 0..25)) {
        let text = lines.join("\n");
        if let Ok(s) = parse(&text) {
            if let Ok(mut r) = Runner::new(s) {
                let _ = r.run_to_end();
            }
        }
    }
}
