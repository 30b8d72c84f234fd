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
use crate::t;
use crate::text::{lang, Lang};

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
        0 => t!("none").into(),
        1 => v[0].clone(),
        n => {
            let mut list = v[0].clone();
            for x in &v[1..n - 1] {
                list = t!("{list}, {next}", list = list, next = x);
            }
            t!("{list} and {last}", list = list, last = v[n - 1])
        }
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
    let title = t!(
        "Why? index {index} on {server}",
        index = index,
        server = name(server)
    );
    let Some(s) = find(view, server) else {
        return (title, vec![missing(server)], None);
    };
    if index <= s.snapshot_index {
        let line = t!(
            "Index {index} is in {server}'s snapshot (which ends at index {end}, term {term}): it is committed and applied, and the log no longer holds it.",
            index = index,
            server = name(server),
            end = s.snapshot_index,
            term = s.snapshot_term
        );
        return (title, vec![line], None);
    }
    let Some(e) = s.log.iter().find(|e| e.index == index) else {
        let line = t!(
            "{server} has no entry at index {index}: its log ends at index {last}.",
            server = name(server),
            index = index,
            last = last_index(s)
        );
        return (title, vec![line], None);
    };
    let term = e.term;
    let title = t!(
        "Why? index {index} (term {term}, {entry}) on {server}",
        index = index,
        term = term,
        entry = e.text,
        server = name(server)
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
    lines.push(if voter_holders >= need {
        t!(
            "Index {index} (term {term}) is on {holders} — {have} of {total} servers; a majority.",
            index = index,
            term = term,
            holders = names(&holders),
            have = voter_holders,
            total = voters.len()
        )
    } else {
        t!(
            "Index {index} (term {term}) is on {holders} — {have} of {total} servers; a majority is {need}.",
            index = index,
            term = term,
            holders = names(&holders),
            have = voter_holders,
            total = voters.len(),
            need = need
        )
    });
    let committed_by = view
        .servers
        .iter()
        .filter(|x| x.commit >= index && holds(x))
        .map(|x| x.id)
        .collect::<Vec<_>>();
    if e.committed {
        lines.push(t!(
            "It is committed: {server}'s commit index is {commit} ≥ {index}. A committed entry is never lost: every future leader will hold it (Leader Completeness).",
            server = name(server),
            commit = s.commit,
            index = index
        ));
        return (title, lines, None);
    }
    if !committed_by.is_empty() {
        let (knowers, server, commit) = (names(&committed_by), name(server), s.commit);
        lines.push(if committed_by.len() == 1 {
            t!(
                "It is committed ({knowers} knows), but {server} does not know yet: its commit index is {commit}. The next AppendEntries from the leader carries leaderCommit and tells it.",
                knowers = knowers,
                server = server,
                commit = commit
            )
        } else {
            t!(
                "It is committed ({knowers} know), but {server} does not know yet: its commit index is {commit}. The next AppendEntries from the leader carries leaderCommit and tells it.",
                knowers = knowers,
                server = server,
                commit = commit
            )
        });
        return (title, lines, None);
    }
    let Some(l) = acting_leader(view) else {
        lines.push(if voter_holders >= need {
            t!("It is not committed, and there is no leader now: only a leader commits, and a new leader counts replicas only for entries of its own term — this entry commits when the new leader's first entry reaches a majority.")
        } else {
            t!("It is not committed, and there is no leader now: only a leader commits, and a new leader counts replicas only for entries of its own term — this entry commits when the new leader's first entry reaches a majority, if the entry survives the election.")
        }.to_string());
        return (title, lines, None);
    };
    let lt = l.term;
    match term_at(l, index) {
        Some(t) if t == term => {}
        other => {
            let (leader, server) = (name(l.id), name(server));
            lines.push(match other {
                Some(t) => t!(
                    "It is not committed, and the leader {leader} (term {lt}) has term {t} at index {index}: when it replicates to {server}, this entry will be deleted and replaced by the leader's.",
                    leader = leader,
                    lt = lt,
                    t = t,
                    index = index,
                    server = server
                ),
                None => t!(
                    "It is not committed, and the leader {leader} (term {lt}) has no entry at index {index} (its log ends at {last}): when it replicates to {server}, this entry will be deleted and replaced by the leader's.",
                    leader = leader,
                    lt = lt,
                    index = index,
                    last = last_index(l),
                    server = server
                ),
            });
            return (title, lines, None);
        }
    }
    if voter_holders >= need {
        if term < lt {
            let own = l.log.iter().find(|x| x.term == lt);
            let leader = name(l.id);
            lines.push(match own {
                Some(o) => t!(
                    "It is on a majority, but the leader {leader} is in term {lt} and commits only by counting entries of its own term (Figure 8): an entry of an older term on a majority can still be overwritten; it will commit when index {own} (term {lt}) reaches a majority, which commits everything before it.",
                    leader = leader,
                    lt = lt,
                    own = o.index
                ),
                None => t!(
                    "It is on a majority, but the leader {leader} is in term {lt} and commits only by counting entries of its own term (Figure 8): an entry of an older term on a majority can still be overwritten; it will commit once an entry of term {lt} reaches a majority.",
                    leader = leader,
                    lt = lt
                ),
            });
        } else {
            let matched: Vec<String> = l
                .progress
                .iter()
                .filter(|p| voters.contains(&p.server))
                .map(|p| format!("{} {}", name(p.server), p.matched))
                .collect();
            lines.push(t!(
                "It is on a majority; the leader {leader} commits it as soon as the AppendEntries replies saying so arrive (its matchIndex: {matched}).",
                leader = name(l.id),
                matched = matched.join(", ")
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
    let mut why: Option<String> = None;
    let mut add = |part: String| {
        why = Some(match why.take() {
            Some(w) => t!("{reasons}; {reason}", reasons = w, reason = part),
            None => part,
        })
    };
    if !cut.is_empty() {
        let (who, leader) = (names(&cut), name(l.id));
        add(if cut.len() == 1 {
            t!(
                "{who} is cut off from the leader {leader}",
                who = who,
                leader = leader
            )
        } else {
            t!(
                "{who} are cut off from the leader {leader}",
                who = who,
                leader = leader
            )
        });
    }
    if !down.is_empty() {
        let who = names(&down);
        add(if down.len() == 1 {
            t!("{who} is crashed", who = who)
        } else {
            t!("{who} are crashed", who = who)
        });
    }
    if !behind.is_empty() {
        let who = names(&behind);
        add(if behind.len() == 1 {
            t!("{who} has not received it yet (the leader's AppendEntries is on its way or will be retried)", who = who)
        } else {
            t!("{who} have not received it yet (the leader's AppendEntries is on its way or will be retried)", who = who)
        });
    }
    let why = capitalize(&why.unwrap_or_default());
    lines.push(t!(
        "It is not committed: it is on {have} of {total}; it needs {need}. {why}.",
        have = voter_holders,
        total = voters.len(),
        need = need,
        why = why
    ));
    (title, lines, None)
}

/// The first letter in upper case (English only: a sentence may start with `s3`). In
/// ASCII: English sentences start with an ASCII letter, and Unicode's case tables would
/// add 13 KB to the page's wasm.
fn capitalize(s: &str) -> String {
    let mut out = s.to_string();
    if lang() == Lang::En {
        if let Some(first) = out.get_mut(..1) {
            first.make_ascii_uppercase();
        }
    }
    out
}

/// `s4 does not exist.`
fn missing(s: ServerId) -> String {
    t!("{server} does not exist.", server = name(s))
}

/// A role, in words.
fn role_word(r: ServerRole) -> &'static str {
    match r {
        ServerRole::Follower => t!("follower"),
        ServerRole::PreCandidate => t!("precandidate"),
        ServerRole::Candidate => t!("candidate"),
        ServerRole::Leader => t!("leader"),
        ServerRole::Crashed => t!("crashed"),
        ServerRole::Removed => t!("removed"),
        ServerRole::Learner => t!("learner"),
    }
}

// ---------------------------------------------------------------------- servers

/// The paper's name of a message kind.
pub fn paper_name(kind: &str) -> &'static str {
    match kind {
        "prevote" => t!("PreVote request"),
        "prevote_reply" => t!("PreVote reply"),
        // The RPCs' own names stay as the paper writes them.
        "vote" => "RequestVote",
        "vote_reply" => t!("RequestVote reply"),
        "append" => "AppendEntries",
        "append_reply" => t!("AppendEntries reply"),
        "snapshot" => "InstallSnapshot",
        "timeout_now" => "TimeoutNow",
        "client_request" => t!("client request"),
        _ => t!("client reply"),
    }
}

fn refusal_text(r: VoteRefusal, candidate: ServerId) -> String {
    match r {
        VoteRefusal::StaleTerm => t!(
            "its term is newer than {candidate}'s",
            candidate = name(candidate)
        ),
        VoteRefusal::AlreadyVoted => {
            t!("it already voted for another candidate in this term").into()
        }
        VoteRefusal::LogBehind => t!(
            "its log is more up to date than {candidate}'s",
            candidate = name(candidate)
        ),
    }
}

fn cause_text(c: Cause, term: Term, role: bool) -> String {
    match c {
        Cause::Start => t!("so since the cluster started").into(),
        Cause::Message { from, kind } if !role => t!(
            "learned of term {term} from {from}'s {kind}",
            term = term,
            from = name(from),
            kind = paper_name(kind)
        ),
        Cause::Message { from, kind } => t!(
            "after {from}'s {kind}",
            from = name(from),
            kind = paper_name(kind)
        ),
        Cause::Timer { forced: false } => t!("its election timer fired").into(),
        Cause::Timer { forced: true } => t!("its election timer fired (forced by hand)").into(),
        Cause::Elected => t!("won the election").into(),
        Cause::LostElection => t!("its campaign failed: a majority refused").into(),
        Cause::LostQuorum => {
            t!("stepped down: it heard from no majority for an election timeout (check-quorum)")
                .into()
        }
        Cause::Request => t!("on a request").into(),
        Cause::Crashed => t!("crashed").into(),
        Cause::Restarted => t!("restarted from its durable state").into(),
    }
}

fn server(view: &ClusterView, id: ServerId) -> Answer {
    let title = t!("Why? {server}'s role and term", server = name(id));
    let Some(s) = find(view, id) else {
        return (title, vec![missing(id)], None);
    };
    let st = &s.story;
    let t = s.term;
    let since = fmt_time(st.role_since_us);
    let mut lines = Vec::new();
    let need = s.config.len() / 2 + 1;
    // How the campaign went: `what` is 0 (it had votes), 1 (votes) or 2 (pre-votes).
    let campaign = |lines: &mut Vec<String>, what: u8| {
        let (granted, n, total) = (names(&st.granted), st.granted.len(), s.config.len());
        let mut l = match what {
            0 => t!(
                "It had votes from {granted} ({n} of the {need} it needs out of {total})",
                granted = granted,
                n = n,
                need = need,
                total = total
            ),
            1 => t!(
                "Votes from {granted} ({n} of the {need} it needs out of {total})",
                granted = granted,
                n = n,
                need = need,
                total = total
            ),
            _ => t!(
                "Pre-votes from {granted} ({n} of the {need} it needs out of {total})",
                granted = granted,
                n = n,
                need = need,
                total = total
            ),
        };
        for (v, r) in &st.refused {
            l = t!(
                "{text}; {server} refused: {reason}",
                text = l,
                server = name(*v),
                reason = refusal_text(*r, id)
            );
        }
        lines.push(t!("{sentence}.", sentence = l));
    };
    match s.role {
        ServerRole::Crashed => {
            lines.push(t!(
                "{server} is crashed since {since}: its volatile state (role, commit index, state machine) is lost; its durable state survives: term {t}, vote {vote}, {n} log entries.",
                server = name(id),
                since = since,
                t = t,
                vote = s.vote.map_or(t!("none").into(), name),
                n = s.log.len()
            ));
        }
        ServerRole::Removed => lines.push(t!(
            "{server} was removed from the configuration and shut down.",
            server = name(id)
        )),
        ServerRole::Learner => lines.push(t!(
            "{server} is a learner in term {t}: a member that receives the log but never votes and never campaigns; it becomes a voter when the leader promotes it.",
            server = name(id),
            t = t
        )),
        ServerRole::Follower => {
            lines.push(t!(
                "{server} is a follower in term {t} since {since}: {cause}.",
                server = name(id),
                t = t,
                since = since,
                cause = cause_text(st.role_cause, t, true)
            ));
            if st.role_cause == Cause::LostElection {
                campaign(&mut lines, 0);
            }
        }
        ServerRole::PreCandidate => {
            lines.push(t!(
                "{server} is a pre-candidate since {since}: {cause}; before raising its term it asks whether it could win term {next} (pre-vote), so a server that cannot win does not disturb the others.",
                server = name(id),
                since = since,
                cause = cause_text(st.role_cause, t, true),
                next = t + 1
            ));
            campaign(&mut lines, 2);
        }
        ServerRole::Candidate => {
            lines.push(t!(
                "{server} is a candidate in term {t} since {since}: {cause}; it voted for itself and asked the others for their votes.",
                server = name(id),
                t = t,
                since = since,
                cause = cause_text(st.role_cause, t, true)
            ));
            campaign(&mut lines, 1);
        }
        ServerRole::Leader => {
            lines.push(t!(
                "{server} is the leader of term {t} since {since}: a majority granted it their votes.",
                server = name(id),
                t = t,
                since = since
            ));
            if st.campaign_term == t && !st.campaign_pre {
                campaign(&mut lines, 1);
            }
            // Why it is or is not sending to each follower now (flow control).
            for pr in &s.progress {
                lines.push(t!(
                    "To {server}: {sending}.",
                    server = name(pr.server),
                    sending = pr.sending
                ));
            }
        }
    }
    if !s.role.is_down() {
        if st.term_since_us != st.role_since_us || st.term_cause != st.role_cause {
            lines.push(t!(
                "It is in term {t} since {since}: {cause}.",
                t = t,
                since = fmt_time(st.term_since_us),
                cause = cause_text(st.term_cause, t, false)
            ));
        }
        if s.role == ServerRole::Follower {
            lines.push(match (s.leader, s.vote) {
                (Some(l), _) => t!(
                    "It follows {leader}: it resets its election timer on each AppendEntries from it.",
                    leader = name(l)
                ),
                (None, Some(v)) => t!(
                    "It voted for {server} in term {t} and knows no leader of term {t} yet.",
                    server = name(v),
                    t = t
                ),
                (None, None) => t!(
                    "It knows no leader of term {t} and has not voted in it; when its election timer fires it campaigns.",
                    t = t
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
            t!("Why? message {id}", id = id),
            vec![t!(
                "Message {id} is not in flight at this moment (delivered, lost or not sent yet).",
                id = id
            )],
            None,
        );
    };
    let mv = view.messages.iter().find(|m| m.id == id);
    let (from, to) = (addr(p.from), addr(p.to));
    let title = t!(
        "Why? {kind} #{id}: {from} → {to}",
        kind = paper_name(p.payload.kind()),
        id = id,
        from = from,
        to = to
    );
    let mut lines = vec![fields(p)];
    lines.push(t!(
        "Sent at {sent}; arrives at {arrive}.",
        sent = fmt_time(p.sent),
        arrive = fmt_time(p.arrive)
    ));
    lines.push(fate(view, p, mv.is_some_and(|m| m.doomed)));
    (title, lines, Some(p.sent))
}

fn addr(a: Addr) -> String {
    match a {
        Addr::Server(s) => name(s),
        Addr::Client => t!("the client").into(),
    }
}

/// The fields, named as in the paper's Figure 2.
fn fields(p: &Packet) -> String {
    match &p.payload {
        Payload::Raft(m) => {
            let t = m.term;
            match &m.body {
                Body::PreVote { last_index, last_term } => t!(
                    "term {t} (the term it would campaign in; its own is not raised), candidateId s{from}, lastLogIndex {last_index}, lastLogTerm {last_term}.",
                    t = t,
                    from = m.from,
                    last_index = last_index,
                    last_term = last_term
                ),
                Body::Vote { last_index, last_term, transfer: true } => t!(
                    "term {t}, candidateId s{from}, lastLogIndex {last_index}, lastLogTerm {last_term} (a leadership-transfer campaign).",
                    t = t,
                    from = m.from,
                    last_index = last_index,
                    last_term = last_term
                ),
                Body::Vote { last_index, last_term, transfer: false } => t!(
                    "term {t}, candidateId s{from}, lastLogIndex {last_index}, lastLogTerm {last_term}.",
                    t = t,
                    from = m.from,
                    last_index = last_index,
                    last_term = last_term
                ),
                Body::PreVoteReply { granted, .. } | Body::VoteReply { granted, .. } => {
                    t!("term {t}, voteGranted {granted}.", t = t, granted = granted)
                }
                Body::Append { prev_index, prev_term, entries, commit, .. } => {
                    let es = if entries.is_empty() {
                        t!("[] (a heartbeat)").to_string()
                    } else {
                        let v: Vec<String> = entries
                            .iter()
                            .enumerate()
                            .map(|(k, e)| format!("{}: t{} {}", prev_index + 1 + k as Index, e.term, e.data))
                            .collect();
                        format!("[{}]", v.join(", "))
                    };
                    t!(
                        "term {t}, leaderId s{from}, prevLogIndex {prev_index}, prevLogTerm {prev_term}, entries {entries}, leaderCommit {commit}.",
                        t = t,
                        from = m.from,
                        prev_index = prev_index,
                        prev_term = prev_term,
                        entries = es,
                        commit = commit
                    )
                }
                Body::AppendReply { success, match_index, hint, .. } => match (success, hint) {
                    (true, _) => t!(
                        "term {t}, success true (matchIndex {match_index}).",
                        t = t,
                        match_index = match_index
                    ),
                    (false, Some(h)) => match h.conflict_term {
                        Some(c) => t!(
                            "term {t}, success false; conflict hint: conflictTerm {conflict_term}, conflictIndex {conflict_index} (for prevLogIndex {prev_index}).",
                            t = t,
                            conflict_term = c,
                            conflict_index = h.conflict_index,
                            prev_index = h.rejected
                        ),
                        None => t!(
                            "term {t}, success false; conflict hint: conflictIndex {conflict_index} (for prevLogIndex {prev_index}).",
                            t = t,
                            conflict_index = h.conflict_index,
                            prev_index = h.rejected
                        ),
                    },
                    (false, None) => t!("term {t}, success false.", t = t),
                },
                Body::InstallSnapshot { snapshot, .. } => t!(
                    "term {t}, leaderId s{from}, lastIncludedIndex {index}, lastIncludedTerm {term}, data (the state machine and configuration {config}).",
                    t = t,
                    from = m.from,
                    index = snapshot.index,
                    term = snapshot.term,
                    config = snapshot.config
                ),
                Body::TimeoutNow => t!(
                    "term {t}: leader s{from} hands over leadership: campaign now.",
                    t = t,
                    from = m.from
                ),
            }
        }
        Payload::Request(r) => t!("request #{id}: {op}.", id = r.request, op = r.op),
        Payload::Reply(r) => t!(
            "reply to request #{id}: {result}.",
            id = r.request,
            result = match &r.result {
                ClientResult::Ok => t!("done").to_string(),
                ClientResult::Value { value: Some(v) } => t!("value {value}", value = v),
                ClientResult::Value { value: None } => t!("value none").to_string(),
                ClientResult::Redirect { leader: Some(l) } => {
                    t!("not the leader; try s{leader}", leader = l)
                }
                ClientResult::Redirect { leader: None } => {
                    t!("not the leader; no leader known").into()
                }
                other => format!("{other:?}"),
            }
        ),
    }
}

/// What will happen to the message when it arrives.
fn fate(view: &ClusterView, p: &Packet, doomed: bool) -> String {
    let Addr::Server(to) = p.to else {
        return t!(
            "The client takes the answer (a final answer from any attempt of its current request)."
        )
        .into();
    };
    let Some(r) = find(view, to) else {
        return missing(to);
    };
    if doomed {
        return if p.lost {
            t!("It will be lost: the network drew a loss for it.").into()
        } else if r.role == ServerRole::Removed {
            t!("It will be lost: s{to} is removed.", to = to)
        } else if r.role.is_down() {
            t!("It will be lost: s{to} is crashed.", to = to)
        } else {
            t!(
                "It will be lost unless the link is mended first: {from} and s{to} are cut off from each other.",
                from = addr(p.from),
                to = to
            )
        };
    }
    let Payload::Raft(m) = &p.payload else {
        return match (r.role, r.leader) {
            (ServerRole::Leader, _) => t!("s{to} is the leader: it will take the request (a write goes into its log; a read waits for ReadIndex).", to = to),
            (_, Some(l)) => t!(
                "s{to} is not the leader: it will redirect the client to s{leader}.",
                to = to,
                leader = l
            ),
            (_, None) => t!("s{to} is not the leader: it will redirect the client.", to = to),
        };
    };
    let (t, rt, from) = (m.term, r.term, m.from);
    let pre = matches!(m.body, Body::PreVote { .. } | Body::PreVoteReply { .. });
    if t < rt && !pre {
        return if m.body.is_reply() {
            t!(
                "s{to} is in term {rt}, newer than {t}: it will ignore this stale reply.",
                to = to,
                rt = rt,
                t = t
            )
        } else {
            t!(
                "s{to} is in term {rt}, newer than {t}: it will refuse and answer with term {rt}, which makes s{from} step down to follower.",
                to = to,
                rt = rt,
                t = t,
                from = from
            )
        };
    }
    let adopt = if t > rt && !pre {
        Some(t!(
            "s{to} first moves to term {t} (from {rt}) and becomes a follower.",
            to = to,
            t = t,
            rt = rt
        ))
    } else {
        None
    };
    let tail = match &m.body {
        Body::Append { prev_index, prev_term, entries, commit, .. } => {
            let step = if t == rt && matches!(r.role, ServerRole::Candidate | ServerRole::PreCandidate) {
                Some(t!("s{to} steps down: a leader of its term exists.", to = to))
            } else {
                None
            };
            let ok = if *prev_index <= r.snapshot_index {
                true
            } else {
                term_at(r, *prev_index) == Some(*prev_term)
            };
            if ok {
                let last_new = prev_index + entries.len() as Index;
                let what = if entries.is_empty() {
                    t!("nothing to append (a heartbeat)").to_string()
                } else {
                    t!(
                        "it will append index {first}..{last} (deleting any conflicting entries after {prev_index})",
                        first = prev_index + 1,
                        last = last_new,
                        prev_index = prev_index
                    )
                };
                then(step, t!(
                    "The consistency check passes (it holds index {prev_index} with term {prev_term}): {what}, set its commit index to min(leaderCommit {commit}, {last_new}) if that is higher than {own}, reset its election timer and reply success.",
                    prev_index = prev_index,
                    prev_term = prev_term,
                    what = what,
                    commit = commit,
                    last_new = last_new,
                    own = r.commit
                ))
            } else {
                let has = match term_at(r, *prev_index) {
                    Some(x) => t!(
                        "its entry at index {prev_index} has term {x}, not {prev_term}",
                        prev_index = prev_index,
                        x = x,
                        prev_term = prev_term
                    ),
                    None => t!(
                        "it has no entry at index {prev_index} (its log ends at {last})",
                        prev_index = prev_index,
                        last = last_index(r)
                    ),
                };
                then(step, t!(
                    "The consistency check fails: {has}. It will reply success false with a conflict hint, so s{from} moves nextIndex back and retries.",
                    has = has,
                    from = from
                ))
            }
        }
        Body::Vote { last_index: li, last_term: lt, .. }
        | Body::PreVote { last_index: li, last_term: lt } => {
            let (last_index, last_term) = (li, lt);
            let lease = r.lease && !matches!(m.body, Body::Vote { transfer: true, .. });
            let (rli, rlt) = (self::last_index(r), self::last_term(r));
            let behind = (*last_term, *last_index) < (rlt, rli);
            if lease {
                t!("s{to} heard from a leader recently (check-quorum): it will ignore the request.", to = to)
            } else if pre && t <= rt {
                t!(
                    "s{to} will refuse the pre-vote: term {t} is not above its own term {rt}.",
                    to = to,
                    t = t,
                    rt = rt
                )
            } else if let Some(v) = r.vote.filter(|&v| !pre && t == rt && v != from) {
                t!(
                    "s{to} will refuse: it already voted for s{voted} in term {rt}.",
                    to = to,
                    voted = v,
                    rt = rt
                )
            } else if behind && pre {
                t!(
                    "s{to} will refuse the pre-vote: its log (last entry index {rli}, term {rlt}) is more up to date than s{from}'s (index {last_index}, term {last_term}).",
                    to = to,
                    rli = rli,
                    rlt = rlt,
                    from = from,
                    last_index = last_index,
                    last_term = last_term
                )
            } else if behind {
                t!(
                    "s{to} will refuse the vote: its log (last entry index {rli}, term {rlt}) is more up to date than s{from}'s (index {last_index}, term {last_term}).",
                    to = to,
                    rli = rli,
                    rlt = rlt,
                    from = from,
                    last_index = last_index,
                    last_term = last_term
                )
            } else if pre {
                t!(
                    "s{to} will grant the pre-vote: s{from}'s log (last entry index {last_index}, term {last_term}) is at least as up to date as its own (index {rli}, term {rlt}).",
                    to = to,
                    from = from,
                    last_index = last_index,
                    last_term = last_term,
                    rli = rli,
                    rlt = rlt
                )
            } else {
                t!(
                    "s{to} will grant the vote: s{from}'s log (last entry index {last_index}, term {last_term}) is at least as up to date as its own (index {rli}, term {rlt}), and it has not voted for anyone else in this term.",
                    to = to,
                    from = from,
                    last_index = last_index,
                    last_term = last_term,
                    rli = rli,
                    rlt = rlt
                )
            }
        }
        Body::VoteReply { granted, .. } | Body::PreVoteReply { granted, .. } => {
            let campaigning = matches!(r.role, ServerRole::Candidate | ServerRole::PreCandidate);
            if !campaigning {
                t!(
                    "s{to} is no longer campaigning ({role}): the reply changes nothing.",
                    to = to,
                    role = role_word(r.role)
                )
            } else if *granted {
                let need = r.config.len() / 2 + 1;
                let have = r.story.granted.len() + 1;
                if have < need {
                    t!(
                        "s{to} counts the vote: {have} of the {need} it needs.",
                        to = to,
                        have = have,
                        need = need
                    )
                } else if pre {
                    t!(
                        "s{to} counts the vote: {have} of the {need} it needs — it starts the real election.",
                        to = to,
                        have = have,
                        need = need
                    )
                } else {
                    t!(
                        "s{to} counts the vote: {have} of the {need} it needs — it becomes leader.",
                        to = to,
                        have = have,
                        need = need
                    )
                }
            } else {
                t!("s{to} notes the refusal.", to = to)
            }
        }
        Body::AppendReply { success: true, match_index, .. } => t!(
            "s{to} will set matchIndex[s{from}] = {match_index} and nextIndex[s{from}] = {next}, and commit the newest entry of its term that a majority holds.",
            to = to,
            from = from,
            match_index = match_index,
            next = match_index + 1
        ),
        Body::AppendReply { success: false, hint: Some(h), .. } => t!(
            "s{to} will move nextIndex[s{from}] back using the hint (to at most {at_most}) and send AppendEntries again from there.",
            to = to,
            from = from,
            at_most = h.conflict_index.max(1)
        ),
        Body::AppendReply { success: false, hint: None, .. } => t!(
            "s{to} will move nextIndex[s{from}] back and send AppendEntries again from there.",
            to = to,
            from = from
        ),
        Body::InstallSnapshot { snapshot, .. } => t!(
            "s{to} will replace its log up to index {index} with the snapshot (unless it already has everything it holds), then reply with matchIndex {index}.",
            to = to,
            index = snapshot.index
        ),
        Body::TimeoutNow => t!(
            "s{to} will start an election at once (term {next}), even if it heard from the leader recently.",
            to = to,
            next = rt + 1
        ),
    };
    then(adopt, tail)
}

/// Two sentences in a row (`first`, if any, then `next`).
fn then(first: Option<String>, next: String) -> String {
    match first {
        Some(first) => t!("{first} {next}", first = first, next = next),
        None => next,
    }
}

// ---------------------------------------------------------------------- reads

fn reads(view: &ClusterView, id: ServerId) -> Answer {
    let title = t!("Why? {server}'s pending reads", server = name(id));
    let Some(s) = find(view, id) else {
        return (title, vec![missing(id)], None);
    };
    if s.reads.is_empty() {
        let l = if s.role == ServerRole::Leader {
            t!("{server} has no read waiting.", server = name(id))
        } else {
            t!(
                "{server} is not the leader: it redirects reads to the leader it knows.",
                server = name(id)
            )
        };
        return (title, vec![l], None);
    }
    let t = s.term;
    let need = s.config.len() / 2 + 1;
    let own_committed = s.log.iter().any(|e| e.term == t && e.committed);
    let mut lines = vec![t!(
        "A linearizable read (ReadIndex) is answered only when the leader (1) has committed an entry of its term {t}, (2) recorded its commit index as the read index, (3) had a heartbeat round acknowledged by a majority, so it is still the leader, and (4) applied up to the read index.",
        t = t
    )];
    for r in &s.reads {
        let l = match r.index {
            None if own_committed => t!(
                "get {key}: waits for {server} to commit an entry of term {t} (its no-op).",
                key = r.key,
                server = name(id),
                t = t
            ),
            None => t!(
                "get {key}: waits for {server} to commit an entry of term {t} (its no-op); none is committed yet.",
                key = r.key,
                server = name(id),
                t = t
            ),
            Some(i) if !r.confirmed => t!(
                "get {key}: read index {i}; waits for a heartbeat round acknowledged by a majority of term {t} ({need} of {total}): acks from {acks}.",
                key = r.key,
                i = i,
                t = t,
                need = need,
                total = s.config.len(),
                acks = names(&r.acks)
            ),
            Some(i) => t!(
                "get {key}: read index {i}, leadership confirmed by {acks}; waits for the state machine to apply up to {i} (applied {applied}).",
                key = r.key,
                i = i,
                acks = names(&r.acks),
                applied = s.applied
            ),
        };
        lines.push(l);
    }
    (title, lines, None)
}

#[cfg(test)]
mod tests;
