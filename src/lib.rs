//! raftlab: a complete, correct Raft cluster simulated deterministically, for a web page
//! and a command-line checker.
//!
//! - [`raft`]: the protocol (sans-IO).
//! - [`sim`]: the simulated world (clock, network, client, checker, history, scenarios).

pub mod raft;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
