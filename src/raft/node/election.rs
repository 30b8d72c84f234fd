//! Elections: timers, campaigns, votes, and the term rules every message goes through.

use super::Node;
use crate::raft::bugs::{self, Bug};
use crate::raft::io::*;
use crate::raft::message::{Body, Message, VoteRefusal};
use crate::raft::note::Note;
use crate::raft::types::*;

impl Node {
    // ------------------------------------------------------------------ timers

    pub(super) fn on_timer(&mut self, t: Timer) {
        match t {
            Timer::Election => match self.role {
                Role::Leader => {
                    self.out.push(Output::SetTimer(Timer::Election));
                    if let Some(to) = self.transfer.take() {
                        self.note(Note::TransferAborted { to });
                    }
                    if self.opts.check_quorum {
                        let id = self.id;
                        let active = self.config().has_quorum(|v| {
                            v == id || self.progress.get(&v).is_some_and(|p| p.recent_active)
                        });
                        for p in self.progress.iter_mut().map(|(_, p)| p) {
                            p.recent_active = false;
                        }
                        if !active {
                            let term = self.term();
                            self.note(Note::LostQuorum { term });
                            self.become_follower(term, None);
                        }
                    }
                }
                _ => {
                    if !self.promotable() {
                        self.out.push(Output::SetTimer(Timer::Election));
                    } else if self.opts.prevote {
                        self.become_precandidate();
                    } else {
                        self.become_candidate(false);
                    }
                }
            },
            Timer::Heartbeat => {
                if self.role == Role::Leader {
                    self.out.push(Output::SetTimer(Timer::Heartbeat));
                    self.broadcast(true);
                }
            }
            Timer::Lease => self.lease = false,
        }
    }

    // ------------------------------------------------------------------ messages

    pub(super) fn on_message(&mut self, m: Message) {
        let term = self.term();
        if m.term > term {
            match &m.body {
                Body::PreVote { .. } => {
                    if self.in_lease() {
                        self.note(Note::VoteIgnored {
                            candidate: m.from,
                            pre: true,
                        });
                        return;
                    }
                }
                Body::PreVoteReply { granted: true, .. } => {}
                Body::Vote { transfer, .. } => {
                    if self.in_lease() && !*transfer {
                        self.note(Note::VoteIgnored {
                            candidate: m.from,
                            pre: false,
                        });
                        return;
                    }
                    self.note(Note::StaleLeaderDiscovered {
                        from: m.from,
                        term: m.term,
                    });
                    self.become_follower(m.term, None);
                }
                Body::Append { .. } | Body::InstallSnapshot { .. } | Body::TimeoutNow => {
                    self.become_follower(m.term, Some(m.from));
                }
                _ => {
                    self.note(Note::StaleLeaderDiscovered {
                        from: m.from,
                        term: m.term,
                    });
                    self.become_follower(m.term, None);
                }
            }
        } else if m.term < term {
            match &m.body {
                Body::PreVote { .. } => self.send(
                    m.from,
                    term,
                    Body::PreVoteReply {
                        granted: false,
                        refusal: Some(VoteRefusal::StaleTerm),
                    },
                ),
                Body::Vote { .. } => self.send(
                    m.from,
                    term,
                    Body::VoteReply {
                        granted: false,
                        refusal: Some(VoteRefusal::StaleTerm),
                    },
                ),
                // Tell a stale leader about the newer term so it steps down.
                Body::Append { seq, .. } | Body::InstallSnapshot { seq, .. } => self.send(
                    m.from,
                    term,
                    Body::AppendReply {
                        success: false,
                        match_index: 0,
                        hint: None,
                        seq: *seq,
                    },
                ),
                _ => {}
            }
            return;
        }
        let from = m.from;
        let mterm = m.term;
        match m.body {
            Body::PreVote {
                last_index,
                last_term,
            } => self.on_vote_request(from, mterm, last_index, last_term, true),
            Body::Vote {
                last_index,
                last_term,
                ..
            } => self.on_vote_request(from, mterm, last_index, last_term, false),
            Body::PreVoteReply { granted, .. } => {
                if self.role == Role::PreCandidate
                    && (granted && mterm == self.term() + 1 || !granted && mterm == self.term())
                {
                    self.votes.insert(from, granted);
                    self.tally(true);
                }
            }
            Body::VoteReply { granted, .. } => {
                if self.role == Role::Candidate && mterm == self.term() {
                    self.votes.insert(from, granted);
                    self.tally(false);
                }
            }
            Body::Append {
                prev_index,
                prev_term,
                entries,
                commit,
                seq,
            } => {
                self.heard_from_leader(from);
                self.on_append(from, prev_index, prev_term, entries, commit, seq);
            }
            Body::InstallSnapshot { snapshot, seq } => {
                self.heard_from_leader(from);
                self.on_snapshot(from, *snapshot, seq);
            }
            Body::AppendReply {
                success,
                match_index,
                hint,
                seq,
            } => self.on_append_reply(from, success, match_index, hint, seq),
            Body::TimeoutNow => {
                if self.role != Role::Leader && self.promotable() {
                    self.note(Note::TimeoutNowReceived { from });
                    self.become_candidate(true);
                }
            }
        }
    }

    pub(super) fn heard_from_leader(&mut self, from: ServerId) {
        if self.role != Role::Follower || self.leader != Some(from) {
            let term = self.term();
            self.become_follower(term, Some(from));
        }
        self.out.push(Output::SetTimer(Timer::Election));
        if self.opts.check_quorum {
            self.lease = true;
            self.out.push(Output::SetTimer(Timer::Lease));
        }
    }

    pub(super) fn on_vote_request(
        &mut self,
        from: ServerId,
        mterm: Term,
        li: Index,
        lt: Term,
        pre: bool,
    ) {
        let term = self.term();
        let vote = self.durable.vote;
        let can_vote = vote == Some(from)
            || (vote.is_none() && self.leader.is_none())
            || (pre && mterm > term)
            || (!pre && bugs::active(Bug::DoubleVote));
        let up_to_date = self.log().is_up_to_date(li, lt);
        let refusal = if !can_vote {
            Some(VoteRefusal::AlreadyVoted)
        } else if !up_to_date {
            Some(VoteRefusal::LogBehind)
        } else {
            None
        };
        let granted = refusal.is_none();
        if granted && !pre {
            self.durable.vote = Some(from);
            self.out.push(Output::SetTimer(Timer::Election));
        }
        if granted {
            self.note(Note::VoteGranted {
                candidate: from,
                term: mterm,
                pre,
            });
        } else {
            self.note(Note::VoteRefused {
                candidate: from,
                term: mterm,
                pre,
                why: refusal.unwrap(),
            });
        }
        let reply_term = if pre && granted { mterm } else { term };
        let body = if pre {
            Body::PreVoteReply { granted, refusal }
        } else {
            Body::VoteReply { granted, refusal }
        };
        self.send(from, reply_term, body);
    }

    pub(super) fn tally(&mut self, pre: bool) {
        let config = self.config();
        if config.has_quorum(|v| self.votes.get(&v) == Some(&true)) {
            if pre {
                self.become_candidate(false);
            } else {
                self.become_leader();
            }
        } else if config.has_quorum(|v| self.votes.get(&v) == Some(&false)) {
            let term = self.term();
            self.become_follower(term, None);
        }
    }
}
