//! The parsed form of a `.raft` scenario file (see `../shared/scenario-format.md`).
//!
//! The parser (`parse.rs`) turns text into a [`Scenario`]; the runner (`run.rs`) plays it.
//! Everything that can be checked without running (syntax, ranges, server names, phase)
//! is checked by the parser, so a `Scenario` that parsed can always start.

use crate::raft::types::{ServerId, Term};

pub use crate::raft::bugs::Bug;
pub use crate::sim::checker::Property;

pub use crate::sim::settings::{DurationRange, Setting};
pub use crate::sim::time::Micros;

/// A server named in a command or condition: a concrete server, or `leader`
/// (the current leader, resolved when the line runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerRef {
    Id(ServerId),
    Leader,
}

/// A number comparison in a condition: `term s2 4` (Eq) or `term s2 >= 4` (AtLeast).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq(u64),
    AtLeast(u64),
}

/// A role word of the `role` condition: the roles the view shows.
pub use crate::sim::view::ServerRole as RoleName;

/// `leader s3` / `leader any` / `leader none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaderCond {
    Server(ServerId),
    Any,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Leader(LeaderCond),
    Role(ServerRef, RoleName),
    Term(ServerRef, Cmp),
    Commit(ServerRef, Cmp),
    /// `log s2 1 1 _ 4`: `None` is `_`.
    Log(ServerRef, Vec<Option<Term>>),
    /// `value s1 x 1`; `None` is `none` (x unset).
    Value(ServerRef, String, Option<String>),
    /// `read x 1`; `None` is `none`.
    Read(String, Option<String>),
    Members(Vec<ServerId>),
    /// `sent snapshot to s3 1` (an extension): how many Raft messages of a kind
    /// (`Body::kind`: append, append_reply, snapshot, ...) were sent to a server so far.
    Sent(&'static str, ServerRef, Cmp),
    /// `members s1 s2 s3 -> s1 s2 s4`: the leader's configuration is joint, C_old then
    /// C_new.
    MembersJoint(Vec<ServerId>, Vec<ServerId>),
    /// `violation election-safety` (an extension): the safety checker recorded a
    /// violation of this property. A file that names a property here expects that
    /// violation: it does not end the run (any other violation still does).
    Violation(Property),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    // ---- set-up (only before the first command that lets time pass) ----
    Cluster(u8),
    Seed(u64),
    Set(Setting),
    /// `state s2 term 6 vote s1 log 1 1 4`
    State {
        server: ServerId,
        term: Term,
        vote: Option<ServerId>,
        log: Vec<Term>,
    },
    // ---- commands ----
    Run(Micros),
    RunUntil {
        cond: Condition,
        /// Default 10 s when the file gives no `within`.
        within: Micros,
    },
    Expect(Condition),
    Timeout(ServerRef),
    Crash(ServerRef),
    Restart(ServerRef),
    /// Groups as written; servers not named form one more group (the runner adds it).
    Partition(Vec<Vec<ServerId>>),
    Cut(ServerRef, ServerRef),
    Isolate(ServerRef),
    Heal,
    Put(String, String),
    Get(String),
    Add(ServerId),
    Remove(ServerRef),
    Transfer(ServerRef),
    Compact(ServerRef),
    /// `say "text"`, and its Chinese when the next line is `say zh "文字"` (an extension).
    Say(Caption),
    Pause,
    /// `history not linearizable` (an extension): the scenario demonstrates a stale read;
    /// `raftlab check` requires the run's client history not to be linearizable (instead
    /// of requiring it to be). Takes no time and does nothing while running.
    HistoryNotLinearizable,
    // ---- raftlab's extensions (written by the page's export; see the README) ----
    /// `bug direct-config-switch` (any time): a planted bug, on from this line to the
    /// end of the run, only while this scenario drives the sim (the runner puts it back
    /// as it was whenever it hands control back).
    Bug(Bug),
    /// `change loss 10%`: a setting changed while time passes (same words as `set`).
    Change(Setting),
    /// `mend s1 s2`: restore one cut link.
    Mend(ServerRef, ServerRef),
    /// `drop message 42`: the message with this number, in flight now, is lost.
    DropMessage(u64),
    /// `duplicate message 42`: the message is delivered twice.
    DuplicateMessage(u64),
    /// `change members s1 s2 s4 s5`: a joint change to exactly these voters (servers
    /// that do not exist yet start with an empty log).
    ChangeMembers(Vec<ServerId>),
    /// `add learner s4`: a new server joins as a non-voting member.
    AddLearner(ServerId),
    /// `promote s4`: a learner becomes a voter.
    Promote(ServerRef),
    /// `client via s3`: the client sends its next requests to s3 first (`client via
    /// leader`: to the leader it knows, its default).
    ClientVia(Option<ServerId>),
    /// `goal "Make s3 the leader" leader s3` (a challenge, an extension): a goal the
    /// student reaches by playing; it is done once all its conditions (joined by `and`)
    /// hold at the same moment (`... for 3s`: and go on holding that long). The runner
    /// ignores it.
    Goal {
        /// With its Chinese when the next line is `goal zh "文字"`.
        caption: Caption,
        conds: Vec<Condition>,
        /// `for 3s`: the conditions must hold this long without a break (0: at once).
        hold: Micros,
    },
    /// `forbid crash` / `limit crash 2` (a challenge): the student may give at most
    /// `allowed` commands of this kind (`convert::command_kind`). The runner ignores it.
    Forbid {
        kind: &'static str,
        allowed: u32,
    },
}

/// The caption of a `say` or `goal` line: its English text and, when the file gives one
/// (`say zh "…"` / `goal zh "…"` on the next line, an extension), its Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caption {
    pub en: String,
    pub zh: Option<String>,
}

impl Caption {
    /// The caption in the page's language (`crate::text::lang()`; natively English).
    pub fn text(&self) -> &str {
        self.in_lang(crate::text::lang())
    }

    /// The caption in `lang`: the Chinese when asked for and given, else the English.
    pub fn in_lang(&self, lang: crate::text::Lang) -> &str {
        match (lang, &self.zh) {
            (crate::text::Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

impl From<&str> for Caption {
    fn from(en: &str) -> Caption {
        Caption {
            en: en.to_string(),
            zh: None,
        }
    }
}

impl From<String> for Caption {
    fn from(en: String) -> Caption {
        Caption { en, zh: None }
    }
}

/// One non-blank, non-comment line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// 1-based line number in the file.
    pub line: usize,
    pub stmt: Statement,
    /// The line's text without its comment, trimmed (for traces and the page). A `say` or
    /// `goal` line's text is its own line only, without the `say zh` / `goal zh` line that
    /// gives its Chinese.
    pub text: String,
}

/// A whole scenario file, checked and ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub lines: Vec<Line>,
}

/// An error found before running: `LINE:COL: error: message` (both 1-based; COL counts
/// characters, not bytes, and points at the offending word).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: error: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Limits that keep hostile files bounded.
pub mod limits {
    use super::Micros;
    /// Longest single duration accepted anywhere (`run`, `within`, timeouts): one hour.
    pub const MAX_DURATION: Micros = 3_600_000_000;
    /// Most servers a file may create (`cluster` plus `add`s), names s1..s9.
    pub const MAX_SERVERS: u8 = 9;
    /// Longest scenario file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 1 << 20;
    /// Most entries in one `state` line's log.
    pub const MAX_STATE_LOG: usize = 10_000;
    /// Longest key/value/caption accepted, in bytes.
    pub const MAX_WORD_BYTES: usize = 1_000;
}
