//! The Raft protocol, sans-IO and deterministic: messages, timer firings and client
//! requests in; messages, timer requests, client replies and applied entries out.
//! No clock, no randomness, no I/O, no UI.

pub mod bugs;
pub mod config;
pub mod inflights;
pub mod io;
pub mod kv;
pub mod log;
pub mod message;
pub mod node;
pub mod note;
pub mod progress;
pub mod quorum;
pub mod read;
pub mod status;
pub mod tracker;
pub mod types;

pub use config::{Configuration, ServerSet};
pub use io::{
    Admin, ClientOp, ClientReply, ClientRequest, ClientResult, Durable, Input, Options, Output,
    ReadMode, Timer,
};
pub use message::{Body, Message};
pub use node::Node;
pub use note::Note;
pub use status::Status;
pub use types::{
    id_map, ClientId, Entry, EntryData, IdMap, Index, RequestId, Role, ServerId, Term,
};
