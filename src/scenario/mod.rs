//! The `.raft` scenario format: `ast` (the parsed form), `parse` (text → ast with
//! line:col errors), `run` (plays a scenario against a `Sim`).

pub mod ast;
pub mod convert;
pub mod parse;
pub mod print;
pub mod run;

pub use ast::{ParseError, Scenario};
pub use parse::parse;
pub use run::{Outcome, Runner, Script, Stop};
