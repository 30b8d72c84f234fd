//! Elections: timers, campaigns, votes, and the term rules every message goes through.

use super::Node;
use crate::raft::bugs::{self, Bug};
use crate::raft::io::*;
use crate::raft::message::{Body, Message, VoteRefusal};
use crate::raft::note::Note;
use crate::raft::quorum::VoteResult;
use crate::raft::types::*;

/// What a campaign asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Campaign {
    /// Pre-vote: could this server win an election in the next term?
    PreVote,
    /// An election in the next term.
    Election,
    /// An election on the leader's request (leadership transfer).
    Transfer,
}

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
                        let config = self.durable.log.latest_config().1;
                        let active = self.tracker.quorum_active(config, self.id);
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
                        self.campaign(Campaign::PreVote);
                    } else {
                        self.campaign(Campaign::Election);
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
            Timer::ReadLease(round) => self.lease_fired = self.lease_fired.max(round),
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
                    self.tracker.record_vote(from, granted);
                    self.tally(true);
                }
            }
            Body::VoteReply { granted, .. } => {
                if self.role == Role::Candidate && mterm == self.term() {
                    let granted = granted || bugs::active(Bug::CountRefusedVotes);
                    self.tracker.record_vote(from, granted);
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
                    self.campaign(Campaign::Transfer);
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
        if self.opts.check_quorum || self.opts.read_mode == ReadMode::Lease {
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
        // A learner is never asked (candidates ask the voters of their configuration); one
        // that is asked may have been promoted without knowing yet, and answers (as etcd).
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
        match self.tracker.vote_result(self.config()) {
            VoteResult::Won => self.won(pre),
            VoteResult::Lost => {
                let term = self.term();
                self.become_follower(term, None);
            }
            VoteResult::Pending => {}
        }
    }

    /// A campaign won: a pre-candidate campaigns for real, a candidate leads.
    fn won(&mut self, pre: bool) {
        if pre {
            self.campaign(Campaign::Election);
        } else {
            self.become_leader();
        }
    }

    /// Starts a campaign: a pre-vote (no term change) or an election in the next term
    /// (for a leadership transfer, one that overrides the check-quorum lease).
    pub(super) fn campaign(&mut self, kind: Campaign) {
        let pre = kind == Campaign::PreVote;
        let role = if pre {
            if bugs::active(Bug::PreVoteRaisesTerm) {
                self.durable.term += 1;
                self.durable.vote = None;
            }
            Role::PreCandidate
        } else {
            self.durable.term += 1;
            self.durable.vote = Some(self.id);
            Role::Candidate
        };
        self.role = role;
        self.leader = None;
        self.lease = false;
        self.tracker.reset_votes(self.id);
        self.out.push(Output::SetTimer(Timer::Election));
        let term = self.term();
        self.note(Note::Became { role, term });
        if self.tracker.vote_result(self.config()) == VoteResult::Won {
            self.won(pre);
            return;
        }
        let (last_index, last_term) = (self.log().last_index(), self.log().last_term());
        let (term, body) = match kind {
            Campaign::PreVote => (
                term + 1,
                Body::PreVote {
                    last_index,
                    last_term,
                },
            ),
            Campaign::Election | Campaign::Transfer => (
                term,
                Body::Vote {
                    last_index,
                    last_term,
                    transfer: kind == Campaign::Transfer,
                },
            ),
        };
        for to in self.others() {
            self.send(to, term, body.clone());
        }
    }
}
