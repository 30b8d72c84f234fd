//! raftlab: a complete, correct Raft cluster simulated deterministically, for a web page
//! and a command-line checker.
//!
//! - [`raft`]: the protocol (sans-IO).
//! - [`sim`]: the simulated world (clock, network, client, checker, history, view).
//! - [`scenario`]: the `.raft` language (parse, print, convert, run).
//! - [`lab`]: fuzzing, linearizability, the election experiment, benchmarks.
//! - [`app`]: the page's model, without Yew (tested natively).
//! - `ui`: the Yew components (wasm32 only).
//!
//! Imports point one way: raft ← sim ← scenario ← app/lab ← ui/bin.

pub mod app;
pub mod lab;
pub mod raft;
pub mod scenario;
pub mod sim;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod ui;
