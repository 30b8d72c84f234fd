//! Writes statements back as scenario text (`parse(print(s)) == s`): used for the
//! fuzzer's reproductions and the page's export.

use super::ast::*;
use crate::sim::network::partition_text;
use crate::sim::time::fmt_duration;
use std::fmt;

fn range(r: &DurationRange) -> String {
    if r.min == r.max {
        fmt_duration(r.min)
    } else {
        format!("{}..{}", fmt_duration(r.min), fmt_duration(r.max))
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn server(r: &ServerRef) -> String {
    match r {
        ServerRef::Id(id) => format!("s{id}"),
        ServerRef::Leader => "leader".into(),
    }
}

fn cmp(c: &Cmp) -> String {
    match c {
        Cmp::Eq(v) => v.to_string(),
        Cmp::AtLeast(v) => format!(">= {v}"),
    }
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("none")
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Setting::ElectionTimeout(r) => write!(f, "set election-timeout {}", range(r)),
            Setting::Heartbeat(d) => write!(f, "set heartbeat {}", fmt_duration(*d)),
            Setting::Latency(r) => write!(f, "set latency {}", range(r)),
            Setting::Loss(p) => write!(f, "set loss {}%", pct(*p)),
            Setting::Duplicate(p) => write!(f, "set duplicate {}%", pct(*p)),
            Setting::Prevote(b) => write!(f, "set prevote {}", on_off(*b)),
            Setting::CheckQuorum(b) => write!(f, "set check-quorum {}", on_off(*b)),
            Setting::ClientTimeout(d) => write!(f, "set client-timeout {}", fmt_duration(*d)),
            Setting::SnapshotFactor(Some(n)) => write!(f, "set snapshot-factor {n}"),
            Setting::SnapshotFactor(None) => write!(f, "set snapshot-factor off"),
            Setting::MaxEntries(n) => write!(f, "set max-entries {n}"),
            Setting::MaxInflight(n) => write!(f, "set max-inflight {n}"),
            Setting::RetryTimeout(t) => write!(f, "set retry-timeout {}", fmt_duration(*t)),
            Setting::ReadMode(m) => write!(f, "set read-mode {}", m.as_str()),
            Setting::Drift(id, d) => write!(
                f,
                "set drift s{id} {}",
                crate::sim::decimal::ratio(u64::from(*d), 3)
            ),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Leader(LeaderCond::Server(id)) => write!(f, "leader s{id}"),
            Condition::Leader(LeaderCond::Any) => write!(f, "leader any"),
            Condition::Leader(LeaderCond::None) => write!(f, "leader none"),
            Condition::Role(s, r) => write!(f, "role {} {}", server(s), r.as_str()),
            Condition::Term(s, c) => write!(f, "term {} {}", server(s), cmp(c)),
            Condition::Commit(s, c) => write!(f, "commit {} {}", server(s), cmp(c)),
            Condition::Log(s, terms) => {
                write!(f, "log {}", server(s))?;
                for t in terms {
                    match t {
                        Some(t) => write!(f, " {t}")?,
                        None => write!(f, " _")?,
                    }
                }
                Ok(())
            }
            Condition::Value(s, k, v) => write!(f, "value {} {k} {}", server(s), opt(v)),
            Condition::Read(k, v) => write!(f, "read {k} {}", opt(v)),
            Condition::Sent(kind, s, c) => write!(
                f,
                "sent {} to {} {}",
                crate::scenario::parse::kind_word(kind),
                server(s),
                cmp(c)
            ),
            Condition::Members(m) => {
                write!(f, "members")?;
                for s in m {
                    write!(f, " s{s}")?;
                }
                Ok(())
            }
            Condition::MembersJoint(old, new) => {
                write!(f, "members")?;
                for s in old {
                    write!(f, " s{s}")?;
                }
                write!(f, " ->")?;
                for s in new {
                    write!(f, " s{s}")?;
                }
                Ok(())
            }
            Condition::Violation(p) => {
                write!(f, "violation {}", crate::scenario::parse::property_word(*p))
            }
        }
    }
}

/// A caption's Chinese, on a line of its own after its `say` / `goal` line (an
/// extension): `say zh "文字"`.
fn zh_line(f: &mut fmt::Formatter<'_>, kw: &str, c: &Caption) -> fmt::Result {
    match &c.zh {
        Some(zh) => write!(f, "\n{kw} zh \"{zh}\""),
        None => Ok(()),
    }
}

/// A statement as scenario text: one line, or two for a caption with its Chinese (the
/// `say zh` / `goal zh` line follows).
impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Cluster(n) => write!(f, "cluster {n}"),
            Statement::Seed(s) => write!(f, "seed {s}"),
            Statement::Bug(b) => write!(f, "bug {}", b.name()),
            Statement::Set(s) => write!(f, "{s}"),
            Statement::State {
                server,
                term,
                vote,
                log,
            } => {
                write!(f, "state s{server} term {term}")?;
                if let Some(v) = vote {
                    write!(f, " vote s{v}")?;
                }
                write!(f, " log")?;
                for t in log {
                    write!(f, " {t}")?;
                }
                Ok(())
            }
            Statement::Run(d) => write!(f, "run {}", fmt_duration(*d)),
            Statement::RunUntil { cond, within } => {
                write!(f, "run until {cond} within {}", fmt_duration(*within))
            }
            Statement::Expect(c) => write!(f, "expect {c}"),
            Statement::Timeout(s) => write!(f, "timeout {}", server(s)),
            Statement::Crash(s) => write!(f, "crash {}", server(s)),
            Statement::Restart(s) => write!(f, "restart {}", server(s)),
            Statement::Partition(groups) => write!(f, "partition {}", partition_text(groups)),
            Statement::Cut(a, b) => write!(f, "cut {} {}", server(a), server(b)),
            Statement::Isolate(s) => write!(f, "isolate {}", server(s)),
            Statement::Heal => write!(f, "heal"),
            Statement::Put(k, v) => write!(f, "put {k} {v}"),
            Statement::Get(k) => write!(f, "get {k}"),
            Statement::Add(s) => write!(f, "add s{s}"),
            Statement::AddLearner(s) => write!(f, "add learner s{s}"),
            Statement::Promote(s) => write!(f, "promote {}", server(s)),
            Statement::ChangeMembers(ids) => {
                write!(f, "change members")?;
                for s in ids {
                    write!(f, " s{s}")?;
                }
                Ok(())
            }
            Statement::Remove(s) => write!(f, "remove {}", server(s)),
            Statement::Transfer(s) => write!(f, "transfer {}", server(s)),
            Statement::Compact(s) => write!(f, "compact {}", server(s)),
            Statement::Say(c) => {
                write!(f, "say \"{}\"", c.en)?;
                zh_line(f, "say", c)
            }
            Statement::Pause => write!(f, "pause"),
            Statement::HistoryNotLinearizable => write!(f, "history not linearizable"),
            Statement::Change(s) => {
                let text = s.to_string();
                write!(f, "change {}", text.trim_start_matches("set "))
            }
            Statement::Mend(a, b) => write!(f, "mend {} {}", server(a), server(b)),
            Statement::DropMessage(id) => write!(f, "drop message {id}"),
            Statement::DuplicateMessage(id) => write!(f, "duplicate message {id}"),
            Statement::ClientVia(Some(s)) => write!(f, "client via s{s}"),
            Statement::ClientVia(None) => write!(f, "client via leader"),
            Statement::Goal {
                caption,
                conds,
                hold,
            } => {
                write!(f, "goal \"{}\"", caption.en)?;
                for (i, c) in conds.iter().enumerate() {
                    write!(f, "{}{c}", if i == 0 { " " } else { " and " })?;
                }
                if *hold > 0 {
                    write!(f, " for {}", fmt_duration(*hold))?;
                }
                zh_line(f, "goal", caption)
            }
            Statement::Forbid { kind, allowed: 0 } => write!(f, "forbid {kind}"),
            Statement::Forbid { kind, allowed } => write!(f, "limit {kind} {allowed}"),
        }
    }
}

/// A whole file: one statement per line, with an optional header comment.
pub fn to_text(header: &str, statements: &[Statement]) -> String {
    let mut out = String::new();
    for l in header.lines() {
        out.push_str("# ");
        out.push_str(l);
        out.push('\n');
    }
    for s in statements {
        out.push_str(&s.to_string());
        out.push('\n');
    }
    out
}

/// Builds a `Scenario` from statements, numbering lines as `to_text` (with the same
/// header) would write them (and with the texts the parser would give them).
pub fn scenario_of(header: &str, statements: Vec<Statement>) -> Scenario {
    let mut next = header.lines().count() + 1;
    Scenario {
        lines: statements
            .into_iter()
            .map(|stmt| {
                let printed = stmt.to_string();
                let line = next;
                next += printed.lines().count().max(1);
                Line {
                    line,
                    text: line_text(&printed),
                    stmt,
                }
            })
            .collect(),
    }
}

/// The text the parser gives a printed statement's line: its first line (a `say zh` /
/// `goal zh` line belongs to the line before it).
pub fn line_text(printed: &str) -> String {
    printed.lines().next().unwrap_or("").to_string()
}

/// A percentage as the parser reads it back (nine decimals are kept).
fn pct(p: f64) -> crate::sim::decimal::Fixed {
    crate::sim::decimal::trimmed(p, 9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    #[test]
    fn printing_round_trips_the_example_scenarios() {
        for text in [
            include_str!("../../scenarios/basic-election.raft"),
            include_str!("../../scenarios/leader-crash.raft"),
            include_str!("../../scenarios/partition.raft"),
            include_str!("../../scenarios/replication.raft"),
            include_str!("../../scenarios/tour-election.raft"),
            include_str!("../../tours/01-election.raft"),
            include_str!("../../challenges/elect-s3.raft"),
        ] {
            let s = parse(text).unwrap();
            let stmts: Vec<Statement> = s.lines.iter().map(|l| l.stmt.clone()).collect();
            let again = parse(&to_text("", &stmts)).unwrap();
            let stmts2: Vec<Statement> = again.lines.iter().map(|l| l.stmt.clone()).collect();
            assert_eq!(stmts, stmts2);
        }
    }

    #[test]
    fn odd_values_round_trip() {
        let stmts = vec![
            Statement::Cluster(7),
            Statement::Set(Setting::Loss(12.5)),
            Statement::Set(Setting::Latency(DurationRange {
                min: 1_234,
                max: 1_500_000,
            })),
            Statement::State {
                server: 2,
                term: 6,
                vote: Some(1),
                log: vec![1, 1, 4],
            },
            Statement::Run(12_345),
            Statement::RunUntil {
                cond: Condition::Log(ServerRef::Leader, vec![Some(1), None]),
                within: 3_000_000,
            },
            Statement::Expect(Condition::Value(ServerRef::Id(3), "x".into(), None)),
            Statement::Partition(vec![vec![1, 2], vec![3]]),
            Statement::Say("hello, world".into()),
            Statement::Say(Caption {
                en: "two # languages".into(),
                zh: Some("两种 # 语言".into()),
            }),
            Statement::Pause,
            Statement::Change(Setting::Prevote(true)),
            Statement::Change(Setting::Latency(DurationRange {
                min: 0,
                max: 20_000,
            })),
            Statement::Mend(ServerRef::Id(1), ServerRef::Leader),
            Statement::DropMessage(42),
            Statement::DuplicateMessage(7),
            Statement::ClientVia(Some(2)),
            Statement::ClientVia(None),
            Statement::Goal {
                caption: Caption {
                    en: "s2 leads".into(),
                    zh: Some("s2 成为领导者".into()),
                },
                conds: vec![Condition::Leader(LeaderCond::Server(2))],
                hold: 0,
            },
            Statement::Goal {
                caption: "two # leaders".into(),
                conds: vec![
                    Condition::Role(ServerRef::Id(1), RoleName::Leader),
                    Condition::Log(ServerRef::Id(2), vec![Some(1), None]),
                    Condition::Leader(LeaderCond::None),
                ],
                hold: 2_500_000,
            },
            Statement::Forbid {
                kind: "crash",
                allowed: 0,
            },
            Statement::Forbid {
                kind: "cut",
                allowed: 2,
            },
        ];
        let text = to_text("a header\nof two lines", &stmts);
        for pair in [
            "say \"two # languages\"\nsay zh \"两种 # 语言\"\npause\n",
            "goal \"s2 leads\" leader s2\ngoal zh \"s2 成为领导者\"\ngoal \"two",
        ] {
            assert!(text.contains(pair), "{pair:?} in {text}");
        }
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed, scenario_of("a header\nof two lines", stmts));
    }
}
