//! The event queue: events ordered by (virtual time in µs, insertion number), so that
//! events at the same instant run in the order they were scheduled, on every platform.

use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Virtual time in microseconds.
use super::time::Micros;

#[derive(Clone, Debug)]
pub struct Queue<E> {
    heap: BinaryHeap<Reverse<(Micros, u64, Slot<E>)>>,
    next: u64,
}

/// Wrapper that keeps the heap's ordering on (time, seq) only.
#[derive(Clone, Debug, Serialize)]
struct Slot<E>(E);

impl<E> PartialEq for Slot<E> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<E> Eq for Slot<E> {}
impl<E> PartialOrd for Slot<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Slot<E> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Queue {
            heap: BinaryHeap::new(),
            next: 0,
        }
    }
}

impl<E> Queue<E> {
    pub fn push(&mut self, at: Micros, e: E) {
        self.heap.push(Reverse((at, self.next, Slot(e))));
        self.next += 1;
    }

    /// The time of the earliest event.
    pub fn peek_time(&self) -> Option<Micros> {
        self.heap.peek().map(|Reverse((t, _, _))| *t)
    }

    pub fn pop(&mut self) -> Option<(Micros, E)> {
        self.heap.pop().map(|Reverse((t, _, Slot(e)))| (t, e))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_pop_in_insertion_order() {
        let mut q = Queue::default();
        q.push(5, "b");
        q.push(3, "a");
        q.push(5, "c");
        q.push(5, "d");
        assert_eq!(q.peek_time(), Some(3));
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(3, "a"), (5, "b"), (5, "c"), (5, "d")]);
    }
}
