//! The replicated state machine: a key-value map with a dedup table, so that a client's
//! retried request (same client id, same request id) is applied at most once.

use super::types::{ClientId, EntryData, RequestId};
use litemap::LiteMap;
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KvState {
    pub data: LiteMap<String, String>,
    /// Highest request id applied for each client.
    pub dedup: LiteMap<ClientId, RequestId>,
}

/// What applying one entry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// A put that changed the map.
    Written,
    /// A put whose request id was applied before: answered from the dedup table.
    Duplicate,
    /// A no-op or a configuration entry.
    Nothing,
}

impl KvState {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.data.get(key)
    }

    /// True when (client, request) has already been applied.
    pub fn seen(&self, client: ClientId, request: RequestId) -> bool {
        self.dedup.get(&client).is_some_and(|&r| r >= request)
    }

    pub fn apply(&mut self, data: &EntryData) -> Applied {
        match data {
            EntryData::Put {
                client,
                request,
                key,
                value,
            } => {
                if self.seen(*client, *request)
                    && !crate::raft::bugs::active(crate::raft::bugs::Bug::ApplyRetryTwice)
                {
                    return Applied::Duplicate;
                }
                self.data.insert(key.clone(), value.clone());
                let last = self.dedup.entry(*client).or_insert(0);
                *last = (*last).max(*request);
                Applied::Written
            }
            EntryData::Noop | EntryData::Config { .. } => Applied::Nothing,
        }
    }

    /// Entries needed to rebuild this state from scratch: one put per key.
    pub fn size(&self) -> usize {
        self.data.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(request: RequestId, key: &str, value: &str) -> EntryData {
        EntryData::Put {
            client: 1,
            request,
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_retried_request_applies_once() {
        let mut kv = KvState::default();
        assert_eq!(kv.apply(&put(1, "x", "1")), Applied::Written);
        assert_eq!(kv.apply(&put(2, "x", "2")), Applied::Written);
        // A retry of request 1 arrives late: it must not overwrite x=2.
        assert_eq!(kv.apply(&put(1, "x", "1")), Applied::Duplicate);
        assert_eq!(kv.get("x").map(String::as_str), Some("2"));
        assert!(kv.seen(1, 2));
        assert!(!kv.seen(1, 3));
        assert!(!kv.seen(2, 1));
    }
}
