//! Client requests (writes, ReadIndex and lease reads, membership changes: single-server,
//! joint, learners) and operator requests (leadership transfer, compaction).

use super::{CatchUp, JointChange, Node, Waiting};
use crate::raft::bugs::{self, Bug};
use crate::raft::config::{Configuration, ServerSet};
use crate::raft::io::*;
use crate::raft::message::Body;
use crate::raft::note::Note;
use crate::raft::progress::Progress;
use crate::raft::types::*;

impl Node {
    // ------------------------------------------------------------------ reads

    pub(super) fn start_reads(&mut self) {
        if self.role != Role::Leader || self.reads.is_empty() {
            return;
        }
        if self.log().term(self.commit) != Some(self.term()) {
            return; // wait for the no-op of this term to commit
        }
        if self.read_lease() {
            // Round 0 marks a read answered from the lease, without a round of its own.
            self.reads.start(self.commit, 0);
            self.reads.confirm(|_| true);
            self.answer_reads();
            return;
        }
        let seq = self.seq + 1;
        if self.reads.start(self.commit, seq) {
            self.broadcast(true); // a new round: seq becomes `seq`
            self.confirm_reads();
        }
    }

    pub(super) fn confirm_reads(&mut self) {
        let config = self.durable.log.latest_config().1;
        let id = self.id;
        let tracker = &self.tracker;
        if self.opts.read_mode == ReadMode::Lease {
            let acked = tracker.acked_round(config, id, self.seq);
            self.lease_acked = self.lease_acked.max(acked);
        }
        self.reads.confirm(|seq| {
            let seq = if bugs::active(Bug::ReadOldRound) {
                1
            } else {
                seq
            };
            tracker.quorum_acked(config, id, seq)
        });
        self.answer_reads();
    }

    pub(super) fn answer_reads(&mut self) {
        for r in self.reads.ready(self.applied) {
            let value = self.kv.get(&r.key).cloned();
            let (key, index) = (r.key.clone(), r.index.unwrap_or(0));
            self.note(if r.seq == 0 {
                Note::LeaseRead { key, index }
            } else {
                Note::ReadServed { key, index }
            });
            self.reply(r.client, r.request, ClientResult::Value { value });
        }
    }

    /// A heartbeat round was just sent: with lease reads, its lease timer starts now.
    pub(super) fn lease_round_sent(&mut self) {
        if self.opts.read_mode == ReadMode::Lease && self.role == Role::Leader {
            self.out.push(Output::SetTimer(Timer::ReadLease(self.seq)));
        }
    }

    // ------------------------------------------------------------------ clients

    pub(super) fn on_client(&mut self, r: ClientRequest) {
        if self.role != Role::Leader {
            let leader = self.leader.filter(|&l| l != self.id);
            self.reply(r.client, r.request, ClientResult::Redirect { leader });
            return;
        }
        match r.op {
            ClientOp::Put { key, value } => {
                if self.transfer.is_some() {
                    self.note(Note::ProposalDropped {
                        why: crate::t!("leadership transfer in progress"),
                    });
                    return;
                }
                if self.kv.seen(r.client, r.request) && !bugs::active(Bug::ApplyRetryTwice) {
                    self.reply(r.client, r.request, ClientResult::Ok);
                    return;
                }
                // A retry of an entry still in the log: wait for that one.
                let pending = (self.applied + 1..=self.log().last_index()).find(|&i| {
                    matches!(self.log().entry(i), Some(Entry { data: EntryData::Put { client, request, .. }, .. })
                        if *client == r.client && *request == r.request)
                });
                let index = match pending {
                    Some(i) if !bugs::active(Bug::ApplyRetryTwice) => i,
                    _ => self.propose(EntryData::Put {
                        client: r.client,
                        request: r.request,
                        key,
                        value,
                    }),
                };
                self.waiting
                    .insert(index, (r.client, r.request, Waiting::Put));
                self.maybe_commit();
            }
            ClientOp::Get { key } => {
                if bugs::active(Bug::ReadWithoutReadIndex) {
                    let value = self.kv.get(&key).cloned();
                    self.reply(r.client, r.request, ClientResult::Value { value });
                    return;
                }
                self.reads.push(r.client, r.request, key);
                self.start_reads();
            }
            ClientOp::Add { server } => self.change_config(r.client, r.request, server, true),
            ClientOp::Remove { server } => self.change_config(r.client, r.request, server, false),
            ClientOp::ChangeMembers { voters } => self.change_members(r.client, r.request, voters),
            ClientOp::AddLearner { server } => self.add_learner(r.client, r.request, server),
            ClientOp::Promote { server } => {
                let config = self.config();
                if config.contains(server) || config.is_learner(server) {
                    self.change_config(r.client, r.request, server, true);
                } else {
                    let why = crate::t!("s{server} is not a learner", server = server);
                    self.reply(r.client, r.request, ClientResult::Refused { why });
                }
            }
        }
    }

    pub(super) fn propose(&mut self, data: EntryData) -> Index {
        let term = self.term();
        let index = self.durable.log.append(Entry { term, data });
        self.out.push(Output::LogChanged { from: index });
        self.broadcast(false);
        index
    }

    pub(super) fn change_config(
        &mut self,
        client: ClientId,
        request: RequestId,
        server: ServerId,
        add: bool,
    ) {
        if self.transfer.is_some() {
            self.note(Note::ProposalDropped {
                why: crate::t!("leadership transfer in progress"),
            });
            return;
        }
        let config = self.config();
        let cfg_index = self.config_index();
        if config.contains(server) == add {
            // Already done (e.g. a retry): answer once that configuration is committed.
            if cfg_index <= self.applied {
                self.reply(client, request, ClientResult::Ok);
            } else {
                self.waiting
                    .insert(cfg_index, (client, request, Waiting::Config));
            }
            return;
        }
        if !add && config.voters.len() == 1 {
            self.reply(
                client,
                request,
                ClientResult::Refused {
                    why: crate::t!("cannot remove the last server").into(),
                },
            );
            return;
        }
        let busy = if self.log().term(self.commit) != Some(self.term()) {
            Some(crate::t!(
                "the new leader has not committed an entry of its term yet"
            ))
        } else if cfg_index > self.commit {
            Some(crate::t!(
                "another configuration change is not committed yet"
            ))
        } else if config.is_joint() || self.joint.is_some() {
            Some(crate::t!("a joint change is in progress"))
        } else if self
            .catch_up
            .as_ref()
            .is_some_and(|c| c.server != server || !add)
        {
            Some(crate::t!("another server is catching up"))
        } else {
            None
        };
        if let Some(why) = busy {
            self.reply(client, request, ClientResult::Busy { why: why.into() });
            return;
        }
        if add {
            if self.catch_up.is_none() {
                self.catch_up = Some(CatchUp {
                    server,
                    client,
                    request,
                });
                let next = self.log().last_index() + 1;
                if !self.tracker.progress.contains_key(&server) {
                    self.tracker
                        .progress
                        .insert(server, Progress::new(next, self.opts.max_inflight));
                }
                self.note(Note::CatchingUp { server });
                self.send_append(server);
            } else if let Some(c) = self.catch_up.as_mut() {
                c.client = client;
                c.request = request;
            }
            self.maybe_finish_catch_up(server);
        } else {
            let mut config = config.clone();
            config.voters.remove(&server);
            // Its progress stays until the removal commits (see `apply`).
            self.append_config(config, client, request);
        }
    }

    pub(super) fn maybe_finish_catch_up(&mut self, server: ServerId) {
        self.advance_joint();
        let Some(c) = self.catch_up.clone() else {
            return;
        };
        if c.server != server {
            return;
        }
        let matched = self.tracker.progress.get(&server).map_or(0, |p| p.matched);
        if matched < self.commit {
            return;
        }
        self.catch_up = None;
        let mut config = self.config().clone();
        config.voters.insert(server);
        config.learners.remove(&server); // a promotion
        self.append_config(config, c.client, c.request);
    }

    /// Why a leader cannot start a configuration change now, if it cannot.
    fn config_busy(&self) -> Option<&'static str> {
        if self.log().term(self.commit) != Some(self.term()) {
            Some(crate::t!(
                "the new leader has not committed an entry of its term yet"
            ))
        } else if self.config_index() > self.commit {
            Some(crate::t!(
                "another configuration change is not committed yet"
            ))
        } else if self.config().is_joint() || self.joint.is_some() {
            Some(crate::t!("a joint change is in progress"))
        } else if self.catch_up.is_some() {
            Some(crate::t!("another server is catching up"))
        } else {
            None
        }
    }

    /// Answers a request whose configuration is already in the log: at once if it is
    /// committed, else when it is.
    fn config_done(&mut self, client: ClientId, request: RequestId) {
        let cfg_index = self.config_index();
        if cfg_index <= self.applied {
            self.reply(client, request, ClientResult::Ok);
        } else {
            self.waiting
                .insert(cfg_index, (client, request, Waiting::Config));
        }
    }

    /// `add learner sK`: a non-voting member, appended at once (it catches up while a
    /// learner, so no waiting first).
    pub(super) fn add_learner(&mut self, client: ClientId, request: RequestId, server: ServerId) {
        if self.transfer.is_some() {
            self.note(Note::ProposalDropped {
                why: crate::t!("leadership transfer in progress"),
            });
            return;
        }
        let mut config = self.config().clone();
        if config.is_learner(server) || config.contains(server) {
            return self.config_done(client, request);
        }
        if let Some(why) = self.config_busy() {
            self.reply(client, request, ClientResult::Busy { why: why.into() });
            return;
        }
        config.learners.insert(server);
        let next = self.log().last_index() + 1;
        self.tracker
            .progress
            .insert(server, Progress::new(next, self.opts.max_inflight));
        self.append_config(config, client, request);
    }

    /// `change members ...`: a joint change to exactly these voters.
    pub(super) fn change_members(
        &mut self,
        client: ClientId,
        request: RequestId,
        target: ServerSet,
    ) {
        if self.transfer.is_some() {
            self.note(Note::ProposalDropped {
                why: crate::t!("leadership transfer in progress"),
            });
            return;
        }
        if target.is_empty() {
            let why = crate::t!("a configuration needs at least one voter").into();
            self.reply(client, request, ClientResult::Refused { why });
            return;
        }
        if let Some(j) = self.joint.as_mut().filter(|j| j.target == target) {
            // A retry of the change in progress.
            (j.client, j.request) = (client, request);
            self.advance_joint();
            return;
        }
        let config = self.config();
        if !config.is_joint() && config.voters == target {
            return self.config_done(client, request);
        }
        if let Some(why) = self.config_busy() {
            self.reply(client, request, ClientResult::Busy { why: why.into() });
            return;
        }
        self.joint = Some(JointChange {
            target,
            client,
            request,
        });
        self.advance_joint();
    }

    /// The next step of a joint change, when the last one is committed: leave C_old,new
    /// (also for a leader that inherited it), or add the new servers as learners, or,
    /// once they have caught up, enter C_old,new.
    pub(super) fn advance_joint(&mut self) {
        if self.role != Role::Leader || self.config_index() > self.commit {
            return;
        }
        let config = self.config().clone();
        if config.is_joint() {
            let leave = Configuration {
                outgoing: ServerSet::new(),
                ..config
            };
            let reply_to = self.joint.take().filter(|j| j.target == leave.voters);
            self.switch_config(leave, reply_to);
            return;
        }
        let Some(j) = self.joint.clone() else {
            return;
        };
        let joining = j.target.difference(config.voters);
        let missing = joining.difference(config.learners);
        if !missing.is_empty() {
            let mut c = config.clone();
            c.learners = c.learners.union(missing);
            let next = self.log().last_index() + 1;
            for &s in missing.iter() {
                if !self.tracker.progress.contains_key(&s) {
                    self.tracker
                        .progress
                        .insert(s, Progress::new(next, self.opts.max_inflight));
                }
                self.note(Note::CatchingUp { server: s });
            }
            self.switch_config(c, None);
            return;
        }
        let commit = self.commit;
        let behind = joining
            .iter()
            .any(|s| self.tracker.progress.get(s).map_or(0, |p| p.matched) < commit);
        if behind {
            return;
        }
        let learners = config.learners.difference(j.target);
        if bugs::active(Bug::DirectConfigSwitch) {
            self.joint = None;
            let new = Configuration {
                voters: j.target,
                outgoing: ServerSet::new(),
                learners,
            };
            self.switch_config(new, Some(j));
        } else {
            let joint = Configuration {
                voters: j.target,
                outgoing: config.voters,
                learners,
            };
            self.switch_config(joint, None);
        }
    }

    /// Appends a configuration of a joint change; forgets the progress of servers it no
    /// longer holds; `reply_to` is answered once it commits.
    fn switch_config(&mut self, config: Configuration, reply_to: Option<JointChange>) {
        let members = config.members();
        self.tracker.progress.retain(|id, _| members.contains(id));
        let index = self.propose(config.to_command());
        self.note(Note::ConfigAppended { config, index });
        if let Some(j) = reply_to {
            self.waiting
                .insert(index, (j.client, j.request, Waiting::Config));
        }
        self.maybe_commit();
    }

    pub(super) fn append_config(
        &mut self,
        config: Configuration,
        client: ClientId,
        request: RequestId,
    ) {
        let index = self.propose(config.to_command());
        self.note(Note::ConfigAppended { config, index });
        self.waiting
            .insert(index, (client, request, Waiting::Config));
        self.maybe_commit();
    }

    // ------------------------------------------------------------------ admin

    pub(super) fn on_admin(&mut self, a: Admin) {
        match a {
            Admin::Compact => self.compact(),
            Admin::Transfer(to) => {
                if self.role != Role::Leader {
                    return;
                }
                if to == self.id {
                    self.note(Note::TransferRefused {
                        to,
                        why: crate::t!("it is already the leader"),
                    });
                    return;
                }
                if !self.config().contains(to) {
                    self.note(Note::TransferRefused {
                        to,
                        why: crate::t!("it is not a voter"),
                    });
                    return;
                }
                if self.transfer == Some(to) {
                    return;
                }
                self.transfer = Some(to);
                self.out.push(Output::SetTimer(Timer::Election));
                self.note(Note::TransferStarted { to });
                if self.tracker.progress.get(&to).map(|p| p.matched)
                    == Some(self.log().last_index())
                {
                    self.send_timeout_now(to);
                } else {
                    if let Some(p) = self.tracker.progress.get_mut(&to) {
                        p.paused = false;
                    }
                    self.send_append(to);
                }
            }
        }
    }

    pub(super) fn send_timeout_now(&mut self, to: ServerId) {
        let term = self.term();
        self.note(Note::TimeoutNowSent { to });
        self.send(to, term, Body::TimeoutNow);
    }
}
