//! A linearizability checker for key-value histories (Wing & Gong's search with the
//! memoisation of Lowe / Porcupine), one key at a time: each key is a register whose
//! initial value is unset.
//!
//! A completed operation took effect at one instant between its invocation and its
//! completion; a write that never completed may have taken effect at any instant after
//! its invocation, or never; a read that never completed tells nothing.

use crate::raft::ClientOp;
use crate::sim::client::{Answer, Operation};
use crate::sim::time::Micros;
use std::collections::{BTreeMap, HashSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Write(String),
    Read(Option<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterOp {
    pub invoke: Micros,
    /// None: never completed.
    pub complete: Option<Micros>,
    pub kind: Kind,
    /// For messages: the client's request id.
    pub request: u64,
}

#[derive(Clone, Copy, Debug)]
struct Ev {
    op: usize,
    is_call: bool,
    prev: usize,
    next: usize,
}

/// Checks one register's history. Err names a short explanation.
pub fn check_register(ops: &[RegisterOp]) -> Result<(), String> {
    // Drop reads that never completed: they constrain nothing.
    let ops: Vec<&RegisterOp> = ops
        .iter()
        .filter(|o| o.complete.is_some() || matches!(o.kind, Kind::Write(_)))
        .collect();
    if ops.is_empty() {
        return Ok(());
    }
    // Events sorted by time; at equal times returns come before calls (an operation
    // that completed at t precedes one invoked at t).
    let mut order: Vec<(Micros, u8, usize, bool)> = Vec::with_capacity(ops.len() * 2);
    for (i, o) in ops.iter().enumerate() {
        order.push((o.invoke, 1, i, true));
        let complete = o.complete.unwrap_or(Micros::MAX).max(o.invoke);
        // An operation that completed at the instant it began still returns after its call.
        order.push((complete, if complete == o.invoke { 2 } else { 0 }, i, false));
    }
    order.sort();
    // A doubly linked list with a head sentinel at index 0.
    let n = order.len();
    let mut evs: Vec<Ev> = Vec::with_capacity(n + 1);
    evs.push(Ev {
        op: usize::MAX,
        is_call: false,
        prev: 0,
        next: 1,
    });
    let mut call_at = vec![0usize; ops.len()];
    let mut ret_at = vec![0usize; ops.len()];
    for (k, &(_, _, op, is_call)) in order.iter().enumerate() {
        let idx = k + 1;
        evs.push(Ev {
            op,
            is_call,
            prev: idx - 1,
            next: if idx == n { usize::MAX } else { idx + 1 },
        });
        if is_call {
            call_at[op] = idx;
        } else {
            ret_at[op] = idx;
        }
    }
    let words = ops.len().div_ceil(64);
    let mut done = vec![0u64; words];
    let mut cache: HashSet<(Vec<u64>, Option<String>)> = HashSet::new();
    let mut state: Option<String> = None;
    let mut stack: Vec<(usize, Option<String>)> = Vec::new();
    let lift = |evs: &mut Vec<Ev>, i: usize| {
        let (p, nx) = (evs[i].prev, evs[i].next);
        evs[p].next = nx;
        if nx != usize::MAX {
            evs[nx].prev = p;
        }
    };
    let unlift = |evs: &mut Vec<Ev>, i: usize| {
        let (p, nx) = (evs[i].prev, evs[i].next);
        evs[p].next = i;
        if nx != usize::MAX {
            evs[nx].prev = i;
        }
    };
    let mut steps: u64 = 0;
    let mut cur = evs[0].next;
    loop {
        steps += 1;
        if steps > 50_000_000 {
            return Err("the search took too long (history too concurrent to decide)".into());
        }
        if cur == usize::MAX {
            return Ok(());
        }
        let e = evs[cur];
        let o = ops[e.op];
        if !e.is_call && o.complete.is_none() {
            // Only returns of writes that never completed are left: the rest fits.
            return Ok(());
        }
        if e.is_call {
            let next_state = match &o.kind {
                Kind::Write(v) => Some(Some(v.clone())),
                Kind::Read(r) => (r == &state).then(|| state.clone()),
            };
            if let Some(ns) = next_state {
                done[e.op / 64] |= 1 << (e.op % 64);
                if cache.insert((done.clone(), ns.clone())) {
                    stack.push((e.op, state.clone()));
                    state = ns;
                    lift(&mut evs, call_at[e.op]);
                    lift(&mut evs, ret_at[e.op]);
                    cur = evs[0].next;
                    continue;
                }
                done[e.op / 64] &= !(1 << (e.op % 64));
            }
            cur = e.next;
        } else {
            // A completed operation's return before it could be placed: backtrack.
            let Some((op, prev_state)) = stack.pop() else {
                return Err(explain(&ops, e.op));
            };
            state = prev_state;
            done[op / 64] &= !(1 << (op % 64));
            unlift(&mut evs, ret_at[op]);
            unlift(&mut evs, call_at[op]);
            cur = evs[call_at[op]].next;
        }
    }
}

fn explain(ops: &[&RegisterOp], stuck: usize) -> String {
    let o = ops[stuck];
    match &o.kind {
        Kind::Read(v) => format!(
            "request #{} read {} (invoked at {} µs, completed at {} µs), which no order of the writes allows",
            o.request,
            v.as_deref().unwrap_or("none"),
            o.invoke,
            o.complete.unwrap_or(0)
        ),
        Kind::Write(v) => format!(
            "request #{} wrote {v} (invoked at {} µs), which no order of the operations allows",
            o.request, o.invoke
        ),
    }
}

/// Checks a client history (puts and gets), key by key.
pub fn check_history(history: &[Operation]) -> Result<(), String> {
    let mut by_key: BTreeMap<&str, Vec<RegisterOp>> = BTreeMap::new();
    for op in history {
        let (key, kind) = match (&op.op, &op.outcome) {
            (ClientOp::Put { key, value }, _) => (key.as_str(), Kind::Write(value.clone())),
            (ClientOp::Get { key }, Some(Answer::Value { value })) => {
                (key.as_str(), Kind::Read(value.clone()))
            }
            (ClientOp::Get { key }, _) => (key.as_str(), Kind::Read(None)),
            _ => continue,
        };
        let complete = match (&kind, &op.outcome) {
            (_, Some(Answer::Refused { .. })) => continue,
            (_, Some(_)) => op.completed_us,
            (_, None) => None,
        };
        by_key.entry(key).or_default().push(RegisterOp {
            invoke: op.invoked_us,
            complete,
            kind,
            request: op.request,
        });
    }
    for (key, ops) in by_key {
        check_register(&ops).map_err(|e| format!("key {key}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(invoke: Micros, complete: Option<Micros>, v: &str) -> RegisterOp {
        RegisterOp {
            invoke,
            complete,
            kind: Kind::Write(v.into()),
            request: 0,
        }
    }
    fn r(invoke: Micros, complete: Micros, v: Option<&str>) -> RegisterOp {
        RegisterOp {
            invoke,
            complete: Some(complete),
            kind: Kind::Read(v.map(String::from)),
            request: 0,
        }
    }

    #[test]
    fn sequential_histories() {
        assert!(check_register(&[w(0, Some(1), "1"), r(2, 3, Some("1"))]).is_ok());
        assert!(check_register(&[r(0, 1, None), w(2, Some(3), "1")]).is_ok());
        // Zero-length operations (zero latency) at the same instant.
        assert!(check_register(&[r(4, 4, None), w(4, Some(4), "1"), r(4, 4, Some("1"))]).is_ok());
        // A stale read: the write completed before the read started.
        assert!(
            check_register(&[w(0, Some(1), "1"), w(2, Some(3), "2"), r(4, 5, Some("1"))]).is_err()
        );
        assert!(check_register(&[w(0, Some(1), "1"), r(2, 3, None)]).is_err());
    }

    #[test]
    fn concurrent_operations_may_take_effect_in_either_order() {
        // Two overlapping writes; reads after both see one of them, consistently.
        let base = [w(0, Some(10), "a"), w(5, Some(15), "b")];
        let mut h = base.to_vec();
        h.push(r(20, 21, Some("a")));
        assert!(check_register(&h).is_ok());
        h.push(r(22, 23, Some("b")));
        assert!(
            check_register(&h).is_err(),
            "b then a would need b to come after a's read"
        );
        // A read overlapping a write may see the old or the new value.
        assert!(check_register(&[
            w(0, Some(1), "1"),
            w(2, Some(8), "2"),
            r(3, 4, Some("1")),
            r(5, 6, Some("2"))
        ])
        .is_ok());
        assert!(check_register(&[
            w(0, Some(1), "1"),
            w(2, Some(8), "2"),
            r(3, 4, Some("2")),
            r(5, 6, Some("1"))
        ])
        .is_err());
    }

    #[test]
    fn a_write_that_never_completed_may_or_may_not_have_happened() {
        assert!(check_register(&[w(0, None, "1"), r(5, 6, None)]).is_ok());
        assert!(check_register(&[w(0, None, "1"), r(5, 6, Some("1"))]).is_ok());
        assert!(check_register(&[w(0, None, "1"), r(5, 6, Some("1")), r(7, 8, None)]).is_err());
        assert!(
            check_register(&[r(0, 1, Some("1")), w(5, None, "1")]).is_err(),
            "not before it was invoked"
        );
    }
}
