//! What can happen to the page: the `Action`s `PageState::reduce` carries out (a frame,
//! a click, a key, a `mount()` handle's call).

use crate::raft::ServerId;
use crate::sim::command::Command;
use crate::sim::Micros;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Network,
    Timing,
    Cluster,
    Scenario,
    Tours,
    Challenges,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: this much wall time (ms) has passed since the last one.
    Tick(f64),
    Play,
    Pause,
    TogglePlay,
    /// Every event of the next instant (pauses first).
    Step,
    SetSpeed(f64),
    SetHidden(bool),
    /// A user's command on the live cluster.
    Cmd(Command),
    Select(Option<ServerId>),
    SelectMsg(Option<u64>),
    /// The pointer is over a message (on the ring or the space-time diagram), or left it.
    HoverMsg(Option<u64>),
    TravelTo(Micros),
    /// Seek relative to the moment shown (negative = back).
    TravelBy(i64),
    ReturnToPresent,
    ResumeFromHere,
    NewCluster {
        servers: u8,
        seed: u64,
    },
    LoadScenario(String),
    /// Start a bundled challenge (`challenges/NAME.raft`): its name and its text.
    LoadChallenge(&'static str, String),
    /// Continue a scenario stopped at a `pause`.
    Next,
    /// Back to the previous `pause` of the scenario (replayed from its start).
    Back,
    /// Load a scenario fetched or given at start; a parse error is shown as `error`
    /// prefixed with the parameter's name.
    LoadFrom {
        text: String,
        param: String,
    },
    /// Just recompute the view.
    Refresh,
    /// Play a loaded scenario to its end at once (through its pauses), then pause.
    Finish,
    DismissError,
    /// Show a message as if a command had been refused.
    Error(String),
    Help(Option<bool>),
    /// Presentation mode on or off (None: toggle).
    SetPresent(Option<bool>),
    SetTab(Tab),
    /// A key pressed outside of form fields.
    Key {
        key: String,
        shift: bool,
    },
    /// Moves a server to the next group (A, B, C) of the partition being drafted.
    CycleGroup(ServerId),
    /// Partitions these servers as drafted (an error unless in two groups or more).
    ApplyPartition(Vec<ServerId>),
    /// Heals the network and clears the draft.
    HealNetwork,
    /// The client's `put` form (an error unless single words).
    Put {
        key: String,
        value: String,
    },
    /// The client's `get` form (ignored when empty).
    Get(String),
    /// Opens (or, with None, closes) the "why?" explanation of something shown.
    Why(Option<crate::app::explain::Why>),
    /// The cluster panel's joint change to exactly these voters (through C_old,new);
    /// refused with the reason while another change is under way or without a leader.
    ChangeMembers(Vec<ServerId>),
    /// A new server joins as a learner (refused like `ChangeMembers`).
    AddLearner(ServerId),
    /// A learner becomes a voter (refused unless it is a learner).
    Promote(ServerId),
    /// A server's clock rate as typed in the timing panel (`1.5`: its timers run 1.5 times
    /// as fast; 0.1 to 10, at most 3 decimals).
    SetDrift {
        server: ServerId,
        rate: String,
    },
}
