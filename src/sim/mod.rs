//! The simulated world around the Raft nodes, and nothing else: virtual time and the
//! event queue, the seeded RNG, the network, the client, the safety checker, the settings,
//! the commands, the event feed, the cluster (`Sim`), the history (time travel) and the
//! read-only view. It knows nothing of the `.raft` language (see `crate::scenario`).

pub mod checker;
pub mod client;
pub mod cluster;
pub mod command;
pub mod decimal;
pub mod error;
pub mod feed;
pub mod history;
pub mod network;
pub mod queue;
pub mod server;
pub mod settings;
pub mod story;
pub mod time;
pub mod trail;
pub mod view;

pub use cluster::{Setup, Sim};
pub use command::Command;
pub use error::SimError;
pub use settings::Settings;
pub use time::Micros;
pub use view::ClusterView;
