//! Client requests (writes, ReadIndex reads, membership changes) and operator requests
//! (leadership transfer, compaction).

use super::{CatchUp, Node, Waiting};
use crate::raft::bugs::{self, Bug};
use crate::raft::config::Configuration;
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
            self.note(Note::ReadServed {
                key: r.key.clone(),
                index: r.index.unwrap_or(0),
            });
            self.reply(r.client, r.request, ClientResult::Value { value });
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
                        why: "leadership transfer in progress",
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
                why: "leadership transfer in progress",
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
                    why: "cannot remove the last server".into(),
                },
            );
            return;
        }
        let busy = if self.log().term(self.commit) != Some(self.term()) {
            Some("the new leader has not committed an entry of its term yet")
        } else if cfg_index > self.commit {
            Some("another configuration change is not committed yet")
        } else if self
            .catch_up
            .as_ref()
            .is_some_and(|c| c.server != server || !add)
        {
            Some("another server is catching up")
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
                self.tracker.progress.insert(server, Progress::new(next));
                self.note(Note::CatchingUp { server });
                self.send_append(server);
            } else if let Some(c) = self.catch_up.as_mut() {
                c.client = client;
                c.request = request;
            }
            self.maybe_finish_catch_up(server);
        } else {
            let mut voters = config.voters;
            voters.remove(&server);
            self.tracker.progress.remove(&server);
            self.append_config(Configuration { voters }, client, request);
        }
    }

    pub(super) fn maybe_finish_catch_up(&mut self, server: ServerId) {
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
        let mut voters = self.config().voters;
        voters.insert(server);
        self.append_config(Configuration { voters }, c.client, c.request);
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
                        why: "it is already the leader",
                    });
                    return;
                }
                if !self.config().contains(to) {
                    self.note(Note::TransferRefused {
                        to,
                        why: "it is not a voter",
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
