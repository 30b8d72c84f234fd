//! One-click "why?" answers, in sentences: a log entry (who holds it, committed or not and
//! why not), a server's role and term (since when, and what caused it), a message (its
//! fields named as in the Raft paper, and what the receiver will do with it) and a
//! leader's pending reads (what they wait for). Produced natively from the simulator's
//! view (and, for a message in flight, its packet), so they are unit-tested here.

use crate::raft::message::VoteRefusal;
use crate::raft::{Body, ClientResult, Index, ServerId, Term};
use crate::sim::network::{Addr, Packet, Payload};
use crate::sim::story::Cause;
use crate::sim::time::fmt_time;
use crate::sim::view::{ServerRole, ServerView};
use crate::sim::{ClusterView, Micros, Sim};

/// What the user asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Entry {
        server: ServerId,
        index: Index,
    },
    Server(ServerId),
    Msg(u64),
    /// The pending reads of a leader.
    Read(ServerId),
}

impl Why {
    /// `entry`, `server`, `message`, `read` (the panel's `data-why`).
    pub fn kind(self) -> &'static str {
        match self {
            Why::Entry { .. } => "entry",
            Why::Server(_) => "server",
            Why::Msg(_) => "message",
            Why::Read(_) => "read",
        }
    }
}

/// An answer: a title, sentences, and the moment it is about (to travel back to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub why: Why,
    pub title: String,
    pub lines: Vec<String>,
    pub moment: Option<Micros>,
}

/// Answers `why` about the moment `sim` is at (`view` is `sim.view()`).
pub fn explain(why: Why, view: &ClusterView, sim: &Sim) -> Explanation {
    let (title, lines, moment) = match why {
        Why::Entry { server, index } => entry(view, sim, server, index),
        Why::Server(s) => server(view, s),
        Why::Msg(id) => message(view, sim, id),
        Why::Read(s) => reads(view, s),
    };
    Explanation {
        why,
        title,
        lines,
        moment,
    }
}

type Answer = (String, Vec<String>, Option<Micros>);

fn name(s: ServerId) -> String {
    format!("s{s}")
}

/// `s1`, `s1 and s2`, `s1, s2 and s3`.
fn names(ids: &[ServerId]) -> String {
    let v: Vec<String> = ids.iter().map(|&s| name(s)).collect();
    match v.len() {
        0 => "none".into(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

fn find(view: &ClusterView, s: ServerId) -> Option<&ServerView> {
    view.servers.iter().find(|x| x.id == s)
}

fn last_index(s: &ServerView) -> Index {
    s.snapshot_index + s.log.len() as Index
}

/// The term of `s`'s entry at `i` (Some(0) for index 0, None if it has none; an index in
/// its snapshot has the snapshot's term only at the snapshot's last index).
fn term_at(s: &ServerView, i: Index) -> Option<Term> {
    if i == 0 {
        return Some(0);
    }
    if i == s.snapshot_index {
        return Some(s.snapshot_term);
    }
    s.log.iter().find(|e| e.index == i).map(|e| e.term)
}

fn last_term(s: &ServerView) -> Term {
    s.log.last().map_or(s.snapshot_term, |e| e.term)
}

/// The server acting as leader in the highest term (the one `leader any` finds first).
fn acting_leader(view: &ClusterView) -> Option<&ServerView> {
    view.leader.and_then(|l| find(view, l)).or_else(|| {
        view.servers
            .iter()
            .filter(|s| s.role == ServerRole::Leader)
            .max_by_key(|s| s.term)
    })
}

fn link_up(sim: &Sim, a: ServerId, b: ServerId) -> bool {
    sim.network.link_up(Addr::Server(a), Addr::Server(b))
}

// ---------------------------------------------------------------------- entries

fn entry(view: &ClusterView, sim: &Sim, server: ServerId, index: Index) -> Answer {
    let title = format!("Why? index {index} on {}", name(server));
    let Some(s) = find(view, server) else {
        return (
            title,
            vec![format!("{} does not exist.", name(server))],
            None,
        );
    };
    if index <= s.snapshot_index {
        let line = format!(
            "Index {index} is in {}'s snapshot (which ends at index {}, term {}): it is committed and applied, and the log no longer holds it.",
            name(server), s.snapshot_index, s.snapshot_term
        );
        return (title, vec![line], None);
    }
    let Some(e) = s.log.iter().find(|e| e.index == index) else {
        let line = format!(
            "{} has no entry at index {index}: its log ends at index {}.",
            name(server),
            last_index(s)
        );
        return (title, vec![line], None);
    };
    let term = e.term;
    let title = format!(
        "Why? index {index} (term {term}, {}) on {}",
        e.text,
        name(server)
    );
    let voters: Vec<ServerId> = acting_leader(view)
        .map(|l| l.config.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| s.config.clone());
    let need = voters.len() / 2 + 1;
    let holds = |x: &ServerView| {
        index <= x.snapshot_index || x.log.iter().any(|y| y.index == index && y.term == term)
    };
    let holders: Vec<ServerId> = view
        .servers
        .iter()
        .filter(|x| x.role != ServerRole::Removed && holds(x))
        .map(|x| x.id)
        .collect();
    let voter_holders = holders.iter().filter(|h| voters.contains(h)).count();
    let mut lines = Vec::new();
    let majority = if voter_holders >= need {
        "a majority".to_string()
    } else {
        format!("a majority is {need}")
    };
    lines.push(format!(
        "Index {index} (term {term}) is on {} — {voter_holders} of {} servers; {majority}.",
        names(&holders),
        voters.len(),
    ));
    let committed_by = view
        .servers
        .iter()
        .filter(|x| x.commit >= index && holds(x))
        .map(|x| x.id)
        .collect::<Vec<_>>();
    if e.committed {
        lines.push(format!(
            "It is committed: {}'s commit index is {} ≥ {index}. A committed entry is never lost: every future leader will hold it (Leader Completeness).",
            name(server),
            s.commit
        ));
        return (title, lines, None);
    }
    if !committed_by.is_empty() {
        lines.push(format!(
            "It is committed ({} know{}), but {} does not know yet: its commit index is {}. The next AppendEntries from the leader carries leaderCommit and tells it.",
            names(&committed_by),
            if committed_by.len() == 1 { "s" } else { "" },
            name(server),
            s.commit
        ));
        return (title, lines, None);
    }
    let Some(l) = acting_leader(view) else {
        lines.push(format!(
            "It is not committed, and there is no leader now: only a leader commits, and a new leader counts replicas only for entries of its own term — this entry commits when the new leader's first entry reaches a majority{}.",
            if voter_holders >= need { "" } else { ", if the entry survives the election" }
        ));
        return (title, lines, None);
    };
    let lt = l.term;
    match term_at(l, index) {
        Some(t) if t == term => {}
        other => {
            let has = match other {
                Some(t) => format!("has term {t} at index {index}"),
                None => format!(
                    "has no entry at index {index} (its log ends at {})",
                    last_index(l)
                ),
            };
            lines.push(format!(
                "It is not committed, and the leader {} (term {lt}) {has}: when it replicates to {}, this entry will be deleted and replaced by the leader's.",
                name(l.id),
                name(server)
            ));
            return (title, lines, None);
        }
    }
    if voter_holders >= need {
        if term < lt {
            let own = l.log.iter().find(|x| x.term == lt);
            let when = match own {
                Some(o) => format!(
                    "it will commit when index {} (term {lt}) reaches a majority, which commits everything before it",
                    o.index
                ),
                None => format!("it will commit once an entry of term {lt} reaches a majority"),
            };
            lines.push(format!(
                "It is on a majority, but the leader {} is in term {lt} and commits only by counting entries of its own term (Figure 8): an entry of an older term on a majority can still be overwritten; {when}.",
                name(l.id)
            ));
        } else {
            let matched: Vec<String> = l
                .progress
                .iter()
                .filter(|p| voters.contains(&p.server))
                .map(|p| format!("{} {}", name(p.server), p.matched))
                .collect();
            lines.push(format!(
                "It is on a majority; the leader {} commits it as soon as the AppendEntries replies saying so arrive (its matchIndex: {}).",
                name(l.id),
                matched.join(", ")
            ));
        }
        return (title, lines, None);
    }
    // Not on a majority: who lacks it and why.
    let mut cut = Vec::new();
    let mut down = Vec::new();
    let mut behind = Vec::new();
    for &v in voters.iter().filter(|v| !holders.contains(v)) {
        match find(view, v) {
            Some(x) if x.role.is_down() => down.push(v),
            Some(_) if !link_up(sim, l.id, v) => cut.push(v),
            Some(_) => behind.push(v),
            None => {}
        }
    }
    let mut why = Vec::new();
    if !cut.is_empty() {
        why.push(format!(
            "{} {} cut off from the leader {}",
            names(&cut),
            if cut.len() == 1 { "is" } else { "are" },
            name(l.id)
        ));
    }
    if !down.is_empty() {
        why.push(format!(
            "{} {} crashed",
            names(&down),
            if down.len() == 1 { "is" } else { "are" }
        ));
    }
    if !behind.is_empty() {
        why.push(format!(
            "{} {} not received it yet (the leader's AppendEntries is on its way or will be retried)",
            names(&behind),
            if behind.len() == 1 { "has" } else { "have" }
        ));
    }
    lines.push(format!(
        "It is not committed: it is on {voter_holders} of {}; it needs {need}. {}.",
        voters.len(),
        capitalize(&why.join("; "))
    ));
    (title, lines, None)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------- servers

/// The paper's name of a message kind.
pub fn paper_name(kind: &str) -> &'static str {
    match kind {
        "prevote" => "PreVote request",
        "prevote_reply" => "PreVote reply",
        "vote" => "RequestVote",
        "vote_reply" => "RequestVote reply",
        "append" => "AppendEntries",
        "append_reply" => "AppendEntries reply",
        "snapshot" => "InstallSnapshot",
        "timeout_now" => "TimeoutNow",
        "client_request" => "client request",
        _ => "client reply",
    }
}

fn refusal_text(r: VoteRefusal, candidate: ServerId) -> String {
    match r {
        VoteRefusal::StaleTerm => format!("its term is newer than {}'s", name(candidate)),
        VoteRefusal::AlreadyVoted => "it already voted for another candidate in this term".into(),
        VoteRefusal::LogBehind => format!("its log is more up to date than {}'s", name(candidate)),
    }
}

fn cause_text(c: Cause, term: Term, role: bool) -> String {
    match c {
        Cause::Start => "so since the cluster started".into(),
        Cause::Message { from, kind } if !role => {
            format!(
                "learned of term {term} from {}'s {}",
                name(from),
                paper_name(kind)
            )
        }
        Cause::Message { from, kind } => {
            format!("after {}'s {}", name(from), paper_name(kind))
        }
        Cause::Timer { forced: false } => "its election timer fired".into(),
        Cause::Timer { forced: true } => "its election timer fired (forced by hand)".into(),
        Cause::Elected => "won the election".into(),
        Cause::LostElection => "its campaign failed: a majority refused".into(),
        Cause::LostQuorum => {
            "stepped down: it heard from no majority for an election timeout (check-quorum)".into()
        }
        Cause::Request => "on a request".into(),
        Cause::Crashed => "crashed".into(),
        Cause::Restarted => "restarted from its durable state".into(),
    }
}

fn server(view: &ClusterView, id: ServerId) -> Answer {
    let title = format!("Why? {}'s role and term", name(id));
    let Some(s) = find(view, id) else {
        return (title, vec![format!("{} does not exist.", name(id))], None);
    };
    let st = &s.story;
    let t = s.term;
    let since = fmt_time(st.role_since_us);
    let mut lines = Vec::new();
    let need = s.config.len() / 2 + 1;
    let campaign = |lines: &mut Vec<String>, what: &str| {
        let granted = names(&st.granted);
        let mut l = format!(
            "{what} from {granted} ({} of the {need} it needs out of {})",
            st.granted.len(),
            s.config.len()
        );
        for (v, r) in &st.refused {
            l.push_str(&format!("; {} refused: {}", name(*v), refusal_text(*r, id)));
        }
        l.push('.');
        lines.push(l);
    };
    match s.role {
        ServerRole::Crashed => {
            lines.push(format!(
                "{} is crashed since {since}: its volatile state (role, commit index, state machine) is lost; its durable state survives: term {t}, vote {}, {} log entries.",
                name(id),
                s.vote.map_or("none".into(), name),
                s.log.len()
            ));
        }
        ServerRole::Removed => lines.push(format!(
            "{} was removed from the configuration and shut down.",
            name(id)
        )),
        ServerRole::Learner => lines.push(format!(
            "{} is a learner in term {t}: a member that receives the log but never votes and never campaigns; it becomes a voter when the leader promotes it.",
            name(id)
        )),
        ServerRole::Follower => {
            lines.push(format!(
                "{} is a follower in term {t} since {since}: {}.",
                name(id),
                cause_text(st.role_cause, t, true)
            ));
            if st.role_cause == Cause::LostElection {
                campaign(&mut lines, "It had votes");
            }
        }
        ServerRole::PreCandidate => {
            lines.push(format!(
                "{} is a pre-candidate since {since}: {}; before raising its term it asks whether it could win term {} (pre-vote), so a server that cannot win does not disturb the others.",
                name(id),
                cause_text(st.role_cause, t, true),
                t + 1
            ));
            campaign(&mut lines, "Pre-votes");
        }
        ServerRole::Candidate => {
            lines.push(format!(
                "{} is a candidate in term {t} since {since}: {}; it voted for itself and asked the others for their votes.",
                name(id),
                cause_text(st.role_cause, t, true)
            ));
            campaign(&mut lines, "Votes");
        }
        ServerRole::Leader => {
            lines.push(format!(
                "{} is the leader of term {t} since {since}: a majority granted it their votes.",
                name(id)
            ));
            if st.campaign_term == t && !st.campaign_pre {
                campaign(&mut lines, "Votes");
            }
            // Why it is or is not sending to each follower now (flow control).
            for pr in &s.progress {
                lines.push(format!("To {}: {}.", name(pr.server), pr.sending));
            }
        }
    }
    if !s.role.is_down() {
        if st.term_since_us != st.role_since_us || st.term_cause != st.role_cause {
            lines.push(format!(
                "It is in term {t} since {}: {}.",
                fmt_time(st.term_since_us),
                cause_text(st.term_cause, t, false)
            ));
        }
        if s.role == ServerRole::Follower {
            lines.push(match (s.leader, s.vote) {
                (Some(l), _) => format!(
                    "It follows {}: it resets its election timer on each AppendEntries from it.",
                    name(l)
                ),
                (None, Some(v)) => format!(
                    "It voted for {} in term {t} and knows no leader of term {t} yet.",
                    name(v)
                ),
                (None, None) => format!(
                    "It knows no leader of term {t} and has not voted in it; when its election timer fires it campaigns."
                ),
            });
        }
    }
    (title, lines, Some(st.role_since_us))
}

// ---------------------------------------------------------------------- messages

fn message(view: &ClusterView, sim: &Sim, id: u64) -> Answer {
    let Some(p) = sim.network.in_flight.get(&id) else {
        return (
            format!("Why? message {id}"),
            vec![format!(
                "Message {id} is not in flight at this moment (delivered, lost or not sent yet)."
            )],
            None,
        );
    };
    let mv = view.messages.iter().find(|m| m.id == id);
    let (from, to) = (addr(p.from), addr(p.to));
    let title = format!(
        "Why? {} #{id}: {} → {}",
        paper_name(p.payload.kind()),
        from,
        to
    );
    let mut lines = vec![fields(p)];
    lines.push(format!(
        "Sent at {}; arrives at {}.",
        fmt_time(p.sent),
        fmt_time(p.arrive)
    ));
    lines.push(fate(view, p, mv.is_some_and(|m| m.doomed)));
    (title, lines, Some(p.sent))
}

fn addr(a: Addr) -> String {
    match a {
        Addr::Server(s) => name(s),
        Addr::Client => "the client".into(),
    }
}

/// The fields, named as in the paper's Figure 2.
fn fields(p: &Packet) -> String {
    match &p.payload {
        Payload::Raft(m) => {
            let t = m.term;
            match &m.body {
                Body::PreVote { last_index, last_term } => format!(
                    "term {t} (the term it would campaign in; its own is not raised), candidateId s{}, lastLogIndex {last_index}, lastLogTerm {last_term}.",
                    m.from
                ),
                Body::Vote { last_index, last_term, transfer } => format!(
                    "term {t}, candidateId s{}, lastLogIndex {last_index}, lastLogTerm {last_term}{}.",
                    m.from,
                    if *transfer { " (a leadership-transfer campaign)" } else { "" }
                ),
                Body::PreVoteReply { granted, .. } | Body::VoteReply { granted, .. } => {
                    format!("term {t}, voteGranted {granted}.")
                }
                Body::Append { prev_index, prev_term, entries, commit, .. } => {
                    let es = if entries.is_empty() {
                        "[] (a heartbeat)".to_string()
                    } else {
                        let v: Vec<String> = entries
                            .iter()
                            .enumerate()
                            .map(|(k, e)| format!("{}: t{} {}", prev_index + 1 + k as Index, e.term, e.data))
                            .collect();
                        format!("[{}]", v.join(", "))
                    };
                    format!(
                        "term {t}, leaderId s{}, prevLogIndex {prev_index}, prevLogTerm {prev_term}, entries {es}, leaderCommit {commit}.",
                        m.from
                    )
                }
                Body::AppendReply { success, match_index, hint, .. } => match (success, hint) {
                    (true, _) => format!("term {t}, success true (matchIndex {match_index})."),
                    (false, Some(h)) => format!(
                        "term {t}, success false; conflict hint: {}conflictIndex {} (for prevLogIndex {}).",
                        h.conflict_term.map_or(String::new(), |c| format!("conflictTerm {c}, ")),
                        h.conflict_index,
                        h.rejected
                    ),
                    (false, None) => format!("term {t}, success false."),
                },
                Body::InstallSnapshot { snapshot, .. } => format!(
                    "term {t}, leaderId s{}, lastIncludedIndex {}, lastIncludedTerm {}, data (the state machine and configuration {}).",
                    m.from, snapshot.index, snapshot.term, snapshot.config
                ),
                Body::TimeoutNow => format!(
                    "term {t}: leader s{} hands over leadership: campaign now.",
                    m.from
                ),
            }
        }
        Payload::Request(r) => format!("request #{}: {}.", r.request, r.op),
        Payload::Reply(r) => format!(
            "reply to request #{}: {}.",
            r.request,
            match &r.result {
                ClientResult::Ok => "done".to_string(),
                ClientResult::Value { value } =>
                    format!("value {}", value.as_deref().unwrap_or("none")),
                ClientResult::Redirect { leader: Some(l) } => format!("not the leader; try s{l}"),
                ClientResult::Redirect { leader: None } => "not the leader; no leader known".into(),
                other => format!("{other:?}"),
            }
        ),
    }
}

/// What will happen to the message when it arrives.
fn fate(view: &ClusterView, p: &Packet, doomed: bool) -> String {
    let Addr::Server(to) = p.to else {
        return "The client takes the answer (a final answer from any attempt of its current request).".into();
    };
    let Some(r) = find(view, to) else {
        return format!("s{to} does not exist.");
    };
    if doomed {
        return if p.lost {
            "It will be lost: the network drew a loss for it.".into()
        } else if r.role.is_down() {
            format!("It will be lost: s{to} is {}.", r.role)
        } else {
            format!("It will be lost unless the link is mended first: {} and s{to} are cut off from each other.", addr(p.from))
        };
    }
    let Payload::Raft(m) = &p.payload else {
        return match r.role {
            ServerRole::Leader => format!("s{to} is the leader: it will take the request (a write goes into its log; a read waits for ReadIndex)."),
            _ => format!("s{to} is not the leader: it will redirect the client{}.", r.leader.map_or(String::new(), |l| format!(" to s{l}"))),
        };
    };
    let (t, rt, from) = (m.term, r.term, m.from);
    let pre = matches!(m.body, Body::PreVote { .. } | Body::PreVoteReply { .. });
    if t < rt && !pre {
        return if m.body.is_reply() {
            format!("s{to} is in term {rt}, newer than {t}: it will ignore this stale reply.")
        } else {
            format!("s{to} is in term {rt}, newer than {t}: it will refuse and answer with term {rt}, which makes s{from} step down to follower.")
        };
    }
    let adopt = if t > rt && !pre {
        format!("s{to} first moves to term {t} (from {rt}) and becomes a follower. ")
    } else {
        String::new()
    };
    let tail = match &m.body {
        Body::Append { prev_index, prev_term, entries, commit, .. } => {
            let step = if t == rt && matches!(r.role, ServerRole::Candidate | ServerRole::PreCandidate) {
                format!("s{to} steps down: a leader of its term exists. ")
            } else {
                String::new()
            };
            let ok = if *prev_index <= r.snapshot_index {
                true
            } else {
                term_at(r, *prev_index) == Some(*prev_term)
            };
            if ok {
                let last_new = prev_index + entries.len() as Index;
                let what = if entries.is_empty() {
                    "nothing to append (a heartbeat)".to_string()
                } else {
                    format!("it will append index {}..{} (deleting any conflicting entries after {prev_index})", prev_index + 1, last_new)
                };
                format!(
                    "{step}The consistency check passes (it holds index {prev_index} with term {prev_term}): {what}, set its commit index to min(leaderCommit {commit}, {last_new}) if that is higher than {}, reset its election timer and reply success.",
                    r.commit
                )
            } else {
                let has = match term_at(r, *prev_index) {
                    Some(x) => format!("its entry at index {prev_index} has term {x}, not {prev_term}"),
                    None => format!("it has no entry at index {prev_index} (its log ends at {})", last_index(r)),
                };
                format!("{step}The consistency check fails: {has}. It will reply success false with a conflict hint, so s{from} moves nextIndex back and retries.")
            }
        }
        Body::Vote { last_index: li, last_term: lt, .. }
        | Body::PreVote { last_index: li, last_term: lt } => {
            let (last_index, last_term) = (li, lt);
            let kind = if pre { "pre-vote" } else { "vote" };
            let lease = r.lease && !matches!(m.body, Body::Vote { transfer: true, .. });
            let (rli, rlt) = (self::last_index(r), self::last_term(r));
            let behind = (*last_term, *last_index) < (rlt, rli);
            if lease {
                format!("s{to} heard from a leader recently (check-quorum): it will ignore the request.")
            } else if pre && t <= rt {
                format!("s{to} will refuse the pre-vote: term {t} is not above its own term {rt}.")
            } else if !pre && t == rt && r.vote.is_some_and(|v| v != from) {
                format!("s{to} will refuse: it already voted for s{} in term {rt}.", r.vote.unwrap())
            } else if behind {
                format!("s{to} will refuse the {kind}: its log (last entry index {rli}, term {rlt}) is more up to date than s{from}'s (index {last_index}, term {last_term}).")
            } else {
                format!("s{to} will grant the {kind}: s{from}'s log (last entry index {last_index}, term {last_term}) is at least as up to date as its own (index {rli}, term {rlt}){}.", if pre { "" } else { ", and it has not voted for anyone else in this term" })
            }
        }
        Body::VoteReply { granted, .. } | Body::PreVoteReply { granted, .. } => {
            let campaigning = matches!(r.role, ServerRole::Candidate | ServerRole::PreCandidate);
            if !campaigning {
                format!("s{to} is no longer campaigning ({}): the reply changes nothing.", r.role)
            } else if *granted {
                let need = r.config.len() / 2 + 1;
                let have = r.story.granted.len() + 1;
                format!(
                    "s{to} counts the vote: {have} of the {need} it needs{}.",
                    if have >= need { if pre { " — it starts the real election" } else { " — it becomes leader" } } else { "" }
                )
            } else {
                format!("s{to} notes the refusal.")
            }
        }
        Body::AppendReply { success: true, match_index, .. } => format!(
            "s{to} will set matchIndex[s{from}] = {match_index} and nextIndex[s{from}] = {}, and commit the newest entry of its term that a majority holds.",
            match_index + 1
        ),
        Body::AppendReply { success: false, hint, .. } => format!(
            "s{to} will move nextIndex[s{from}] back{} and send AppendEntries again from there.",
            hint.as_ref().map_or(String::new(), |h| format!(" using the hint (to at most {})", h.conflict_index.max(1)))
        ),
        Body::InstallSnapshot { snapshot, .. } => format!(
            "s{to} will replace its log up to index {} with the snapshot (unless it already has everything it holds), then reply with matchIndex {}.",
            snapshot.index, snapshot.index
        ),
        Body::TimeoutNow => format!("s{to} will start an election at once (term {}), even if it heard from the leader recently.", rt + 1),
    };
    format!("{adopt}{tail}")
}

// ---------------------------------------------------------------------- reads

fn reads(view: &ClusterView, id: ServerId) -> Answer {
    let title = format!("Why? {}'s pending reads", name(id));
    let Some(s) = find(view, id) else {
        return (title, vec![format!("{} does not exist.", name(id))], None);
    };
    if s.reads.is_empty() {
        let l = if s.role == ServerRole::Leader {
            format!("{} has no read waiting.", name(id))
        } else {
            format!(
                "{} is not the leader: it redirects reads to the leader it knows.",
                name(id)
            )
        };
        return (title, vec![l], None);
    }
    let t = s.term;
    let need = s.config.len() / 2 + 1;
    let own_committed = s.log.iter().any(|e| e.term == t && e.committed);
    let mut lines = vec![format!(
        "A linearizable read (ReadIndex) is answered only when the leader (1) has committed an entry of its term {t}, (2) recorded its commit index as the read index, (3) had a heartbeat round acknowledged by a majority, so it is still the leader, and (4) applied up to the read index."
    )];
    for r in &s.reads {
        let l = match r.index {
            None => format!(
                "get {}: waits for {} to commit an entry of term {t} (its no-op){}.",
                r.key,
                name(id),
                if own_committed { "" } else { "; none is committed yet" }
            ),
            Some(i) if !r.confirmed => format!(
                "get {}: read index {i}; waits for a heartbeat round acknowledged by a majority of term {t} ({need} of {}): acks from {}.",
                r.key,
                s.config.len(),
                names(&r.acks)
            ),
            Some(i) => format!(
                "get {}: read index {i}, leadership confirmed by {}; waits for the state machine to apply up to {i} (applied {}).",
                r.key,
                names(&r.acks),
                s.applied
            ),
        };
        lines.push(l);
    }
    (title, lines, None)
}

#[cfg(test)]
mod tests;
