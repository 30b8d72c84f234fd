//! What the page and the scenario runner can do to the running world.

use crate::raft::ServerId;

use super::network::MsgId;
use super::settings::Setting;

/// What the page and the scenario runner can do to the cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Crash(ServerId),
    Restart(ServerId),
    Timeout(ServerId),
    Partition(Vec<Vec<ServerId>>),
    Cut(ServerId, ServerId),
    /// Restore one cut link.
    Mend(ServerId, ServerId),
    Isolate(ServerId),
    Heal,
    Put(String, String),
    Get(String),
    Add(ServerId),
    Remove(ServerId),
    Transfer(ServerId),
    Compact(ServerId),
    DropMessage(MsgId),
    DuplicateMessage(MsgId),
    Set(Setting),
    /// A joint change to exactly these voters.
    ChangeMembers(Vec<ServerId>),
    AddLearner(ServerId),
    Promote(ServerId),
    /// The client sends its next requests first to this server (None: the leader it
    /// knows).
    ClientVia(Option<ServerId>),
}

impl Command {
    /// Does it change which servers reach which (links, crashed servers)?
    pub fn changes_topology(&self) -> bool {
        matches!(
            self,
            Command::Crash(_)
                | Command::Restart(_)
                | Command::Partition(_)
                | Command::Cut(..)
                | Command::Mend(..)
                | Command::Isolate(_)
                | Command::Heal
                | Command::Add(_)
        )
    }
}
