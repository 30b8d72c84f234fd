//! `ClusterView`: a read-only, serializable picture of the whole cluster at one moment.
//! The page draws only from it; conditions of scenarios read the `Sim` the same way.

use crate::raft::progress::ProgressState;
use crate::raft::{EntryData, Index, Role, ServerId, Term, Timer};
use litemap::LiteMap;
use serde::Serialize;

use super::checker::Violation;
use super::client::Operation;
pub use super::cluster::ServerRole;
use super::cluster::{Sim, Status, TimerState};
use super::feed::{describe_packet, FeedItem};
use super::network::Addr;
use super::settings::Settings;
use super::story::Story;
use super::time::Micros;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub time_us: Micros,
    pub events: u64,
    pub seed: u64,
    pub servers: Vec<ServerView>,
    pub messages: Vec<MessageView>,
    pub client: ClientView,
    pub settings: Settings,
    pub network: NetworkView,
    /// The server `leader any` finds.
    pub leader: Option<ServerId>,
    pub violation: Option<Violation>,
    /// Leader of each term so far (for the timeline's term bands).
    pub leaders_by_term: Vec<(Term, ServerId)>,
    /// Recent messages and role changes (the space-time diagram; not serialized).
    #[serde(skip)]
    pub trail: std::rc::Rc<super::trail::Trail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryView {
    pub index: Index,
    pub term: Term,
    /// `x=1`, `no-op`, `config {s1 s2 s3}`.
    pub text: String,
    /// `noop`, `put`, `config`.
    pub kind: &'static str,
    pub committed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgressView {
    pub server: ServerId,
    pub next: Index,
    pub matched: Index,
    /// `probe`, `replicate`, `snapshot`.
    pub state: &'static str,
    /// Appends in flight (replicate state), and the window's size.
    pub inflight: usize,
    pub window: usize,
    /// Why the leader is or is not sending to it now, in a sentence.
    pub sending: String,
    /// False for a server catching up before it joins.
    pub voter: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerView {
    pub id: ServerId,
    pub name: String,
    pub status: Status,
    /// Serialized as `follower`, `precandidate`, `candidate`, `leader`, `crashed`,
    /// `removed`.
    pub role: ServerRole,
    pub term: Term,
    pub vote: Option<ServerId>,
    pub leader: Option<ServerId>,
    pub commit: Index,
    pub applied: Index,
    pub snapshot_index: Index,
    pub snapshot_term: Term,
    pub log: Vec<EntryView>,
    pub kv: LiteMap<String, String>,
    pub config: Vec<ServerId>,
    /// A voter of a committed configuration (not yet for a joining server; no longer for a
    /// removed one).
    pub member: bool,
    pub election_timer: Option<TimerState>,
    pub heartbeat_timer: Option<TimerState>,
    pub lease: bool,
    pub progress: Vec<ProgressView>,
    pub transfer_to: Option<ServerId>,
    pub pending_reads: usize,
    /// Votes received in the current campaign: (server, granted).
    pub votes: Vec<(ServerId, bool)>,
    /// Why it has its role and term (for the page's explanations; not serialized).
    #[serde(skip)]
    pub story: Story,
    /// A leader's ReadIndex reads not answered yet.
    #[serde(skip)]
    pub reads: Vec<ReadView>,
}

/// A pending ReadIndex read on a leader: what it waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadView {
    pub key: String,
    /// The commit index recorded as its read index (None: the leader has not committed
    /// an entry of its term yet).
    pub index: Option<Index>,
    /// A majority acknowledged the heartbeat round sent after it started.
    pub confirmed: bool,
    /// Servers that acknowledged that round (the leader included).
    pub acks: Vec<ServerId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageView {
    pub id: u64,
    /// `prevote`, `vote`, `append`, `snapshot`, `timeout_now`, `client_request`, ... plus
    /// `_reply` for replies.
    pub kind: &'static str,
    pub is_reply: bool,
    /// 0 for the client.
    pub from: ServerId,
    pub to: ServerId,
    pub term: Term,
    pub sent_us: Micros,
    pub arrive_us: Micros,
    pub label: String,
    pub text: String,
    /// Will vanish on arrival (drawn lost, or the link or receiver is down now).
    pub doomed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientView {
    pub queued: Vec<String>,
    pub current: Option<Operation>,
    /// Completed requests, newest last (the last 100).
    pub history: Vec<Operation>,
    pub belief: Option<ServerId>,
    /// Where the user chose to send requests first (None: the leader it knows).
    pub via: Option<ServerId>,
    pub deadline_us: Option<Micros>,
    pub last_read: LiteMap<String, Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkView {
    pub groups: Vec<Vec<ServerId>>,
    pub cuts: Vec<(ServerId, ServerId)>,
}

fn addr_id(a: Addr) -> ServerId {
    match a {
        Addr::Server(s) => s,
        Addr::Client => 0,
    }
}

impl Sim {
    pub fn view(&self) -> ClusterView {
        let servers = self
            .servers
            .values()
            .map(|s| {
                let n = s.node.status();
                let log = n.log;
                let entries = log
                    .entries()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let index = log.first_index() + i as Index;
                        EntryView {
                            index,
                            term: e.term,
                            text: e.data.to_string(),
                            kind: match e.data {
                                EntryData::Noop => "noop",
                                EntryData::Put { .. } => "put",
                                EntryData::Config { .. } => "config",
                            },
                            committed: index <= n.commit,
                        }
                    })
                    .collect();
                let leader_role = s.status == Status::Up && n.role == Role::Leader;
                let config = n.config;
                ServerView {
                    id: n.id,
                    name: format!("s{}", n.id),
                    status: s.status,
                    role: ServerRole::new(s.status, n.role, n.config.is_learner(s.node.id())),
                    term: n.term,
                    vote: n.vote,
                    leader: if s.status == Status::Up {
                        n.leader
                    } else {
                        None
                    },
                    commit: n.commit,
                    applied: n.applied,
                    snapshot_index: log.snapshot().index,
                    snapshot_term: log.snapshot().term,
                    log: entries,
                    kv: n.kv.data.clone(),
                    config: config.voters.iter().copied().collect(),
                    member: s.member && s.status != Status::Removed,
                    election_timer: s.timers.get(&Timer::Election).copied(),
                    heartbeat_timer: s.timers.get(&Timer::Heartbeat).copied(),
                    lease: n.lease,
                    progress: if leader_role {
                        n.progress
                            .iter()
                            .map(|(&id, p)| ProgressView {
                                server: id,
                                next: p.next,
                                matched: p.matched,
                                state: match p.state {
                                    ProgressState::Probe => "probe",
                                    ProgressState::Replicate => "replicate",
                                    ProgressState::Snapshot(_) => "snapshot",
                                },
                                inflight: p.inflights.count(),
                                window: p.inflights.capacity(),
                                sending: p.sending_text(),
                                voter: config.contains(id),
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    transfer_to: n.transfer,
                    pending_reads: n.pending_reads,
                    votes: n.votes.iter().map(|(&k, &v)| (k, v)).collect(),
                    story: s.story.clone(),
                    reads: n
                        .reads
                        .reads
                        .iter()
                        .map(|r| ReadView {
                            key: r.key.clone(),
                            index: r.index,
                            confirmed: r.confirmed,
                            acks: config
                                .voters
                                .iter()
                                .copied()
                                .filter(|&v| {
                                    v == n.id
                                        || n.progress.get(&v).is_some_and(|p| p.acked_seq >= r.seq)
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        let messages = self
            .network
            .in_flight
            .values()
            .map(|p| {
                let (kind, is_reply, term, label) = match &p.payload {
                    super::network::Payload::Raft(m) => {
                        (m.body.kind(), m.body.is_reply(), m.term, m.body.label())
                    }
                    super::network::Payload::Request(r) => {
                        ("client_request", false, 0, r.op.to_string())
                    }
                    super::network::Payload::Reply(_) => ("client_reply", true, 0, String::new()),
                };
                let receiver_down = match p.to {
                    Addr::Server(s) => self.servers.get(&s).is_none_or(|s| !s.up()),
                    Addr::Client => false,
                };
                MessageView {
                    id: p.id,
                    kind,
                    is_reply,
                    from: addr_id(p.from),
                    to: addr_id(p.to),
                    term,
                    sent_us: p.sent,
                    arrive_us: p.arrive,
                    label,
                    text: describe_packet(p),
                    doomed: p.lost || receiver_down || !self.network.link_up(p.from, p.to),
                }
            })
            .collect();
        let mut history: Vec<Operation> = self
            .client
            .history
            .iter()
            .rev()
            .filter(|o| o.completed_us.is_some())
            .take(100)
            .cloned()
            .collect();
        history.reverse();
        ClusterView {
            time_us: self.now,
            events: self.events,
            seed: self.seed,
            servers,
            messages,
            client: ClientView {
                queued: self.client.queue.iter().map(|o| o.to_string()).collect(),
                current: self.client.in_progress().cloned(),
                history,
                belief: self.client.belief,
                via: self.client.via,
                deadline_us: self.client.deadline,
                last_read: self.client.last_read.clone(),
            },
            settings: self.settings.clone(),
            network: NetworkView {
                groups: self
                    .network
                    .groups
                    .iter()
                    .map(|g| g.iter().copied().collect())
                    .collect(),
                cuts: self
                    .network
                    .cut_links(&self.servers.keys().copied().collect::<Vec<_>>()),
            },
            leader: self.leader(),
            violation: self.violation.clone(),
            leaders_by_term: self
                .checker
                .leaders()
                .iter()
                .map(|(&t, &s)| (t, s))
                .collect(),
            trail: std::rc::Rc::new(self.trail.clone()),
        }
    }

    /// The most recent feed items (oldest first).
    pub fn recent_feed(&self, n: usize) -> Vec<FeedItem> {
        let skip = self.feed.len().saturating_sub(n);
        self.feed.iter().skip(skip).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::ServerRole;

    #[test]
    fn roles_serialize_as_their_words() {
        for r in [
            ServerRole::Follower,
            ServerRole::PreCandidate,
            ServerRole::Candidate,
            ServerRole::Leader,
            ServerRole::Crashed,
            ServerRole::Removed,
        ] {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{r}\""));
            assert_eq!(r.is_down(), matches!(r.as_str(), "crashed" | "removed"));
        }
        assert_eq!(ServerRole::PreCandidate.as_str(), "precandidate");
    }
}
