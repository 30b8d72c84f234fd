//! The Raft protocol, sans-IO and deterministic: messages, timer firings and client
//! requests in; messages, timer requests, client replies and applied entries out.
//! No clock, no randomness, no I/O, no UI.

pub mod bugs;
pub mod inflights;
pub mod kv;
pub mod log;
pub mod message;
pub mod node;
pub mod progress;
pub mod read;
pub mod types;

pub use message::{Body, Message};
pub use node::{
    Admin, ClientOp, ClientReply, ClientRequest, ClientResult, Durable, Input, Node, Note, Options,
    Output, Timer,
};
pub use types::{
    ClientId, Configuration, Entry, EntryData, IdMap, Index, RequestId, Role, ServerId, ServerSet,
    Term,
};
