//! `ClusterView`: a read-only, serializable picture of the whole cluster at one moment.
//! The page draws only from it; conditions of scenarios read the `Sim` the same way.

use crate::raft::progress::ProgressState;
use crate::raft::{Configuration, EntryData, Index, Role, ServerId, ServerSet, Term, Timer};
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
use crate::raft::ClientOp;

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
    /// For a configuration entry: what it changes (see [`ConfigMark`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<ConfigMark>,
}

/// What a configuration entry does, compared with the configuration before it in the same
/// log (for the logs' marks).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigMark {
    /// `joint` (C_old,new), `new` (C_new, leaving a joint configuration), `learner` (only
    /// learners change), `promote` (a learner becomes a voter), `change` (a single-server
    /// change, or any other).
    pub step: &'static str,
    /// A few characters for the log cell: `Co,n`, `Cnew`, `L+s4`, `↑s4`, `+s4`, `−s3`.
    pub short: String,
    /// False when the configuration before it is unknown to this server (one that joined
    /// with an empty log): the view then takes the mark of the same entry on a server
    /// that knows.
    #[serde(skip)]
    pub known: bool,
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
    /// C_old while its latest configuration is joint (C_old,new; `config` is then C_new).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outgoing: Vec<ServerId>,
    /// The learners of its latest configuration.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub learners: Vec<ServerId>,
    /// The index of the entry carrying its latest configuration (0: the one it started
    /// with, or its snapshot's).
    pub config_index: Index,
    /// A voter of a committed configuration (not yet for a joining server; no longer for a
    /// removed one).
    pub member: bool,
    pub election_timer: Option<TimerState>,
    pub heartbeat_timer: Option<TimerState>,
    pub lease: bool,
    /// A leader's read lease holds (read mode `lease`): it answers reads at once.
    pub read_lease: bool,
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
    /// A membership request (add, remove, change members, add learner, promote) queued or
    /// in progress.
    pub membership_op: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkView {
    pub groups: Vec<Vec<ServerId>>,
    pub cuts: Vec<(ServerId, ServerId)>,
}

impl NetworkView {
    /// The partition group of a server (`groups.len()` for servers no group names).
    pub fn group_of(&self, s: ServerId) -> usize {
        self.groups
            .iter()
            .position(|g| g.contains(&s))
            .unwrap_or(self.groups.len())
    }
}

/// The client's membership request in progress, else the first one queued.
fn membership_op(c: &super::client::Client) -> Option<String> {
    let is_change = |op: &ClientOp| !matches!(op, ClientOp::Put { .. } | ClientOp::Get { .. });
    c.in_progress()
        .map(|o| &o.op)
        .into_iter()
        .chain(c.queue.iter())
        .find(|op| is_change(op))
        .map(|op| op.to_string())
}

/// What configuration `c` changes from `before` (see [`ConfigMark`]).
fn config_mark(before: &Configuration, c: &Configuration) -> ConfigMark {
    let added = c.voters.difference(before.all_voters());
    let dropped = before.all_voters().difference(c.all_voters());
    let learners_in = c.learners.difference(before.learners);
    let one = |s: ServerSet| s.iter().next().map_or(0, |&v| v);
    let (step, short) = if before.all_voters().is_empty() {
        ("change", "cfg".to_string())
    } else if c.is_joint() {
        ("joint", "Co,n".to_string())
    } else if before.is_joint() {
        ("new", "Cnew".to_string())
    } else if c.voters == before.voters && !learners_in.is_empty() {
        let who = match learners_in.len() {
            1 => format!("s{}", one(learners_in)),
            n => n.to_string(),
        };
        ("learner", format!("L+{who}"))
    } else if added.len() == 1 && before.learners.contains(&one(added)) {
        ("promote", format!("↑s{}", one(added)))
    } else {
        let short = match (added.len(), dropped.len()) {
            (1, 0) => format!("+s{}", one(added)),
            (0, 1) => format!("−s{}", one(dropped)),
            _ => "cfg".to_string(),
        };
        ("change", short)
    };
    ConfigMark {
        step,
        short,
        known: !before.all_voters().is_empty(),
    }
}

/// Gives an entry whose mark is not known on its server (see [`ConfigMark::known`]) the
/// mark of the same entry (same index and term) on a server that knows it.
fn share_config_marks(servers: &mut [ServerView]) {
    let unknown = |e: &EntryView| e.config.as_ref().is_some_and(|c| !c.known);
    if !servers.iter().any(|s| s.log.iter().any(unknown)) {
        return;
    }
    let known: Vec<(Index, Term, ConfigMark)> = servers
        .iter()
        .flat_map(|s| s.log.iter())
        .filter_map(|e| {
            e.config
                .as_ref()
                .filter(|c| c.known)
                .map(|c| (e.index, e.term, c.clone()))
        })
        .collect();
    if known.is_empty() {
        return;
    }
    for e in servers.iter_mut().flat_map(|s| s.log.iter_mut()) {
        if unknown(e) {
            if let Some((.., m)) = known.iter().find(|(i, t, _)| *i == e.index && *t == e.term) {
                e.config = Some(m.clone());
            }
        }
    }
}

/// The cluster's membership as the page shows it: one server's latest configuration
/// (committed or not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipView {
    /// Whose configuration: the leader's, else that of the running server with the most
    /// recent log.
    pub from: ServerId,
    /// C_old while the configuration is joint (C_old,new); empty otherwise.
    pub old: Vec<ServerId>,
    /// The voters (C_new while joint).
    pub new: Vec<ServerId>,
    pub learners: Vec<ServerId>,
    /// The index of the entry that carries it (0: the initial configuration or a
    /// snapshot's).
    pub index: Index,
    /// Committed on `from`.
    pub committed: bool,
}

impl MembershipView {
    pub fn joint(&self) -> bool {
        !self.old.is_empty()
    }
}

/// How many voters of one configuration count for something (a vote, an
/// acknowledgement), of how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub yes: usize,
    pub of: usize,
}

impl Tally {
    pub fn of(voters: &[ServerId], yes: &[ServerId]) -> Tally {
        Tally {
            yes: voters.iter().filter(|v| yes.contains(v)).count(),
            of: voters.len(),
        }
    }

    /// A majority (of a non-empty configuration).
    pub fn won(self) -> bool {
        self.of > 0 && self.yes * 2 > self.of
    }
}

/// What the majorities count now: a leader's acknowledgements of the entry it waits on
/// (its first uncommitted one, else its last), else the votes of a campaign; counted in
/// that server's own configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counting {
    pub server: ServerId,
    /// Votes of a campaign (else a leader's acknowledgements).
    pub votes: bool,
    /// The entry acknowledged (0 for votes).
    pub index: Index,
    /// The servers that count (granted the vote, or hold the entry; the server itself
    /// included).
    pub yes: Vec<ServerId>,
    /// Among C_old, while joint.
    pub old: Option<Tally>,
    /// Among the voters (C_new while joint).
    pub new: Tally,
}

impl Counting {
    /// Decided: a majority of each configuration that counts.
    pub fn won(&self) -> bool {
        self.new.won() && self.old.is_none_or(Tally::won)
    }
}

impl ClusterView {
    /// The membership shown (None when no server runs).
    pub fn membership(&self) -> Option<MembershipView> {
        let s = match self
            .leader
            .and_then(|l| self.servers.iter().find(|s| s.id == l))
        {
            Some(s) => s,
            None => self
                .servers
                .iter()
                .filter(|s| !s.role.is_down())
                .max_by_key(|s| {
                    let last = s
                        .log
                        .last()
                        .map_or((s.snapshot_term, s.snapshot_index), |e| (e.term, e.index));
                    (last, std::cmp::Reverse(s.id))
                })?,
        };
        Some(MembershipView {
            from: s.id,
            old: s.outgoing.clone(),
            new: s.config.clone(),
            learners: s.learners.clone(),
            index: s.config_index,
            committed: s.config_index <= s.commit,
        })
    }

    /// What the majorities count now (see [`Counting`]): the leader's, else the campaign
    /// of a candidate (or pre-candidate) with the most votes.
    pub fn counting(&self) -> Option<Counting> {
        let count = |s: &ServerView, votes: bool, index: Index, yes: Vec<ServerId>| Counting {
            server: s.id,
            votes,
            index,
            old: (!s.outgoing.is_empty()).then(|| Tally::of(&s.outgoing, &yes)),
            new: Tally::of(&s.config, &yes),
            yes,
        };
        if let Some(l) = self
            .leader
            .and_then(|l| self.servers.iter().find(|s| s.id == l))
        {
            let last = l.log.last().map_or(l.snapshot_index, |e| e.index);
            let index = if l.commit < last { l.commit + 1 } else { last };
            let mut yes = vec![l.id];
            yes.extend(
                l.progress
                    .iter()
                    .filter(|p| p.server != l.id && p.matched >= index)
                    .map(|p| p.server),
            );
            yes.sort_unstable();
            return Some(count(l, false, index, yes));
        }
        self.servers
            .iter()
            .filter(|s| matches!(s.role, ServerRole::Candidate | ServerRole::PreCandidate))
            .map(|s| {
                let mut yes: Vec<ServerId> = s.votes.iter().filter(|v| v.1).map(|v| v.0).collect();
                if !yes.contains(&s.id) {
                    yes.push(s.id);
                }
                yes.sort_unstable();
                count(s, true, 0, yes)
            })
            .max_by_key(|c| (c.yes.len(), std::cmp::Reverse(c.server)))
    }
}

fn addr_id(a: Addr) -> ServerId {
    match a {
        Addr::Server(s) => s,
        Addr::Client => 0,
    }
}

impl Sim {
    pub fn view(&self) -> ClusterView {
        let mut servers: Vec<ServerView> = self
            .servers
            .values()
            .map(|s| {
                let n = s.node.status();
                let log = n.log;
                // The configuration before each entry, to say what a configuration entry
                // changes.
                let mut before = log.snapshot().config.clone();
                let mut config_index = 0;
                let entries = log
                    .entries()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let index = log.first_index() + i as Index;
                        let config = Configuration::of_entry(&e.data).map(|c| {
                            let mark = config_mark(&before, &c);
                            before = c;
                            config_index = index;
                            mark
                        });
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
                            config,
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
                    outgoing: config.outgoing.iter().copied().collect(),
                    learners: config.learners.iter().copied().collect(),
                    config_index,
                    member: s.member && s.status != Status::Removed,
                    election_timer: s.timers.get(&Timer::Election).copied(),
                    heartbeat_timer: s.timers.get(&Timer::Heartbeat).copied(),
                    lease: n.lease,
                    read_lease: leader_role && n.read_lease,
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
        share_config_marks(&mut servers);
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
                membership_op: membership_op(&self.client),
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
    use super::*;
    use crate::sim::cluster::Setup;
    use crate::sim::command::Command;
    use crate::sim::time::MS;

    /// s1 leads a cluster of three, then asks for {s1 s2 s4 s5} through C_old,new.
    fn joint_change() -> Sim {
        let mut sim = Sim::new(&Setup {
            servers: 3,
            seed: 3,
            ..Setup::default()
        });
        sim.apply(Command::Timeout(1)).unwrap();
        sim.run_until(100 * MS);
        assert_eq!(sim.leader(), Some(1));
        sim.apply(Command::ChangeMembers(vec![1, 2, 4, 5])).unwrap();
        sim
    }

    #[test]
    fn the_view_shows_a_joint_change_step_by_step_with_both_majorities() {
        let mut sim = joint_change();
        let v = sim.view();
        assert_eq!(
            v.client.membership_op.as_deref(),
            Some("change members s1 s2 s4 s5")
        );
        let m = v.membership().unwrap();
        assert_eq!(
            (m.from, m.new.clone(), m.joint(), m.committed),
            (1, vec![1, 2, 3], false, true)
        );
        // Step until the leader's configuration is joint.
        let mut seen_learners = false;
        let joint = loop {
            assert!(sim.step() && sim.now < 3_000 * MS, "never joint");
            let v = sim.view();
            let m = v.membership().unwrap();
            seen_learners |= m.learners == [4, 5];
            if m.joint() {
                break v;
            }
        };
        assert!(seen_learners, "new servers catch up as learners first");
        let m = joint.membership().unwrap();
        assert_eq!(
            (m.old.clone(), m.new.clone()),
            (vec![1, 2, 3], vec![1, 2, 4, 5])
        );
        assert!(!m.committed, "C_old,new is shown as soon as it is appended");
        // The leader's acknowledgements of C_old,new, counted in each half.
        let c = joint.counting().unwrap();
        assert_eq!((c.server, c.votes, c.index), (1, false, m.index));
        assert_eq!(c.yes, vec![1], "only the leader holds it yet");
        assert_eq!(c.old, Some(Tally { yes: 1, of: 3 }));
        assert_eq!(c.new, Tally { yes: 1, of: 4 });
        assert!(!c.won());
        // The logs mark the entry, and the learners' entry before it.
        let s1 = joint.servers.iter().find(|s| s.id == 1).unwrap();
        let marks: Vec<(&str, &str)> = s1
            .log
            .iter()
            .filter_map(|e| e.config.as_ref())
            .map(|c| (c.step, c.short.as_str()))
            .collect();
        assert_eq!(marks, vec![("learner", "L+2"), ("joint", "Co,n")]);
        assert_eq!(
            s1.log.last().unwrap().text,
            "config {s1 s2 s3} -> {s1 s2 s4 s5}"
        );
        // Then C_new: not joint, and the entry says it ends the joint change.
        let done = loop {
            assert!(sim.step() && sim.now < 6_000 * MS, "never C_new");
            let v = sim.view();
            let m = v.membership().unwrap();
            if !m.joint()
                && m.new == [1, 2, 4, 5]
                && m.committed
                && v.client.membership_op.is_none()
            {
                break v;
            }
        };
        let c = done.counting().unwrap();
        assert_eq!((c.old, c.new.of), (None, 4));
        let s1 = done.servers.iter().find(|s| s.id == 1).unwrap();
        let last = s1.log.iter().rev().find_map(|e| e.config.as_ref()).unwrap();
        assert_eq!((last.step, last.short.as_str()), ("new", "Cnew"));
    }

    #[test]
    fn config_marks_name_single_changes_learners_and_promotions() {
        let c = |v: &[ServerId], l: &[ServerId]| Configuration {
            voters: v.iter().copied().collect(),
            learners: l.iter().copied().collect(),
            ..Configuration::default()
        };
        let three = c(&[1, 2, 3], &[]);
        let m = config_mark(&three, &c(&[1, 2, 3, 4], &[]));
        assert_eq!((m.step, m.short.as_str()), ("change", "+s4"));
        let m = config_mark(&three, &c(&[1, 2], &[]));
        assert_eq!((m.step, m.short.as_str()), ("change", "−s3"));
        let m = config_mark(&three, &c(&[1, 2, 3], &[4]));
        assert_eq!((m.step, m.short.as_str()), ("learner", "L+s4"));
        let m = config_mark(&c(&[1, 2, 3], &[4]), &c(&[1, 2, 3, 4], &[]));
        assert_eq!((m.step, m.short.as_str()), ("promote", "↑s4"));
    }

    #[test]
    fn a_server_that_joined_empty_shows_the_marks_of_the_servers_that_know() {
        let mut sim = Sim::new(&Setup {
            servers: 3,
            seed: 3,
            ..Setup::default()
        });
        sim.apply(Command::Timeout(1)).unwrap();
        sim.run_until(100 * MS);
        sim.apply(Command::AddLearner(4)).unwrap();
        sim.run_until(600 * MS);
        let v = sim.view();
        let mark = |id: ServerId| {
            let s = v.servers.iter().find(|s| s.id == id).unwrap();
            s.log.iter().find_map(|e| e.config.clone()).unwrap()
        };
        assert_eq!(mark(1).short, "L+s4");
        assert!(mark(1).known);
        assert_eq!(mark(4), mark(1), "s4 knows no configuration before it");
    }

    #[test]
    fn tallies_need_a_strict_majority() {
        assert!(Tally::of(&[1, 2, 3], &[1, 3]).won());
        assert!(!Tally::of(&[1, 2, 3, 4], &[1, 3]).won());
        assert!(!Tally::of(&[], &[1]).won());
        let c = Counting {
            server: 1,
            votes: true,
            index: 0,
            yes: vec![1, 2],
            old: Some(Tally::of(&[1, 2, 3], &[1, 2])),
            new: Tally::of(&[1, 4, 5], &[1, 2]),
        };
        assert!(!c.won(), "a majority of C_old alone does not decide");
    }

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
