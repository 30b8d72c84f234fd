//! One simulated server: its Raft node, whether it is up, crashed or removed, and its
//! armed timers; and the role the page and the conditions show for it.

use crate::raft::{Node, Role, Timer};
use litemap::LiteMap;

use super::time::Micros;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Up,
    Crashed,
    Removed,
}

/// A server's role as shown: the protocol's role while it is up, else crashed or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerRole {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
    Crashed,
    Removed,
    /// A non-voting member (in its own latest configuration), up.
    Learner,
}

impl ServerRole {
    pub fn new(status: Status, role: Role, learner: bool) -> ServerRole {
        match (status, role) {
            (Status::Crashed, _) => ServerRole::Crashed,
            (Status::Removed, _) => ServerRole::Removed,
            (Status::Up, _) if learner => ServerRole::Learner,
            (Status::Up, Role::Follower) => ServerRole::Follower,
            (Status::Up, Role::PreCandidate) => ServerRole::PreCandidate,
            (Status::Up, Role::Candidate) => ServerRole::Candidate,
            (Status::Up, Role::Leader) => ServerRole::Leader,
        }
    }

    /// The word for it (as serialized, and the page's CSS class and `data-role`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServerRole::Follower => Role::Follower.as_str(),
            ServerRole::PreCandidate => Role::PreCandidate.as_str(),
            ServerRole::Candidate => Role::Candidate.as_str(),
            ServerRole::Leader => Role::Leader.as_str(),
            ServerRole::Crashed => "crashed",
            ServerRole::Removed => "removed",
            ServerRole::Learner => "learner",
        }
    }

    /// The name as the page shows it, in the page's language (`as_str` is the hook).
    pub fn label(self) -> &'static str {
        match self {
            ServerRole::Follower => Role::Follower.label(),
            ServerRole::PreCandidate => Role::PreCandidate.label(),
            ServerRole::Candidate => Role::Candidate.label(),
            ServerRole::Leader => Role::Leader.label(),
            ServerRole::Crashed => crate::t!("crashed"),
            ServerRole::Removed => crate::t!("removed"),
            ServerRole::Learner => crate::t!("learner"),
        }
    }

    /// Crashed or removed.
    pub fn is_down(self) -> bool {
        matches!(self, ServerRole::Crashed | ServerRole::Removed)
    }
}

impl std::fmt::Display for ServerRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TimerState {
    pub gen: u64,
    pub start_us: Micros,
    pub due_us: Micros,
}

#[derive(Clone, Debug)]
pub struct Server {
    pub node: Node,
    pub status: Status,
    /// Has been a voter of a committed configuration (or of the initial one).
    pub member: bool,
    pub timers: LiteMap<Timer, TimerState>,
    /// Why it has its role and term (for the page's explanations).
    pub story: super::story::Story,
}

impl Server {
    pub fn removed(&self) -> bool {
        self.status == Status::Removed
    }
    pub fn up(&self) -> bool {
        self.status == Status::Up
    }
}
