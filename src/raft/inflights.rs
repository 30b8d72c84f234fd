//! The appends in flight to one follower in replicate state (etcd-raft's `Inflights`): the
//! last index of each AppendEntries sent and not yet acknowledged, oldest first, at most
//! `capacity` of them. When it is full the leader waits for an acknowledgement before it
//! sends more entries to that follower.

use super::types::Index;
use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inflights {
    /// Last index of each append in flight, increasing.
    last: VecDeque<Index>,
    capacity: usize,
}

impl Inflights {
    /// A window of `capacity` appends (at least one).
    pub fn new(capacity: usize) -> Inflights {
        Inflights {
            last: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// An append whose last entry is `index` was sent. The caller checks `full` first.
    pub fn add(&mut self, index: Index) {
        debug_assert!(!self.full(), "add to a full inflights window");
        debug_assert!(
            self.last.back().is_none_or(|&b| b < index),
            "inflights must increase"
        );
        self.last.push_back(index);
    }

    /// The follower acknowledged everything up to `index`: those appends are no longer in
    /// flight.
    pub fn free_le(&mut self, index: Index) {
        while self.last.front().is_some_and(|&f| f <= index) {
            self.last.pop_front();
        }
    }

    /// Frees the oldest append (a heartbeat was answered while the window was full: the
    /// follower is alive, so one lost append must not stall replication for ever).
    pub fn free_first_one(&mut self) {
        self.last.pop_front();
    }

    pub fn full(&self) -> bool {
        self.last.len() >= self.capacity
    }

    pub fn count(&self) -> usize {
        self.last.len()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets every append in flight (the follower went back to probe or snapshot).
    pub fn reset(&mut self) {
        self.last.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(capacity: usize, adds: impl IntoIterator<Item = Index>) -> Inflights {
        let mut w = Inflights::new(capacity);
        for i in adds {
            w.add(i);
        }
        w
    }

    // etcd-raft: TestInflightsAdd (without the ring buffer's wrap-around, which a VecDeque
    // does for us).
    #[test]
    fn add_fills_up_to_capacity() {
        let mut w = Inflights::new(10);
        for i in 0..5 {
            w.add(i);
        }
        assert_eq!((w.count(), w.full()), (5, false));
        for i in 5..10 {
            w.add(i);
        }
        assert_eq!((w.count(), w.full()), (10, true));
    }

    // etcd-raft: TestInflightFreeTo.
    #[test]
    fn free_le_frees_everything_up_to_an_index() {
        let mut w = window(10, 0..10);
        w.free_le(0);
        assert_eq!(w.count(), 9);
        assert!(!w.full());
        w.free_le(4);
        assert_eq!(w.count(), 5);
        w.free_le(8);
        assert_eq!(w.count(), 1);
        // Freeing an index below the oldest in flight changes nothing.
        w.free_le(8);
        assert_eq!(w.count(), 1);
        w.free_le(20);
        assert_eq!(w.count(), 0);
    }

    // etcd-raft: TestInflightFreeFirstOne.
    #[test]
    fn free_first_one_frees_the_oldest() {
        let mut w = window(10, 0..10);
        w.free_first_one();
        assert_eq!(w.count(), 9);
        w.free_le(1);
        assert_eq!(w.count(), 8, "index 0 was already freed, index 1 is freed now");
    }

    #[test]
    fn appends_with_several_entries_are_freed_by_their_last_index() {
        // Three appends: entries 1-3, 4-6, 7-9.
        let mut w = window(3, [3, 6, 9]);
        assert!(w.full());
        w.free_le(5); // acknowledges the first append only (a reply to 1-3 and part of 4-6)
        assert_eq!(w.count(), 2);
        assert!(!w.full());
        w.free_le(9);
        assert_eq!(w.count(), 0);
    }

    #[test]
    fn reset_empties_and_capacity_is_at_least_one() {
        let mut w = window(2, [1, 2]);
        w.reset();
        assert_eq!(w.count(), 0);
        let mut w = Inflights::new(0);
        assert_eq!(w.capacity(), 1);
        w.add(1);
        assert!(w.full());
    }
}
