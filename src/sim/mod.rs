//! The world around the Raft nodes: virtual clock and event queue, seeded RNG, network,
//! client, safety checker, history (time travel), the read-only view and scenarios.

pub mod bench;
pub mod checker;
pub mod client;
pub mod cluster;
pub mod decimal;
pub mod embed;
pub mod experiment;
pub mod fuzz;
pub mod history;
pub mod linearizability;
pub mod network;
pub mod queue;
pub mod scenario;
pub mod session;
pub mod view;

pub use cluster::{Command, Settings, Setup, Sim, SimError};
pub use queue::Micros;
pub use view::ClusterView;
