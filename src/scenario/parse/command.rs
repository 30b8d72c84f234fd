//! Command lines: `run`, `timeout`, `crash`, `partition`, `put`, `add`, ... (the
//! conditions of `expect` and `run until` are in `condition.rs`).

use super::lex::*;
use super::parser::Parser;
use super::setup::setting;
use crate::raft::types::ServerId;
use crate::scenario::ast::*;
use crate::t;

/// The kinds of command a challenge may forbid or limit (`forbid crash`, `limit cut 1`):
/// the first word of the command's line (`crate::scenario::convert::command_kind`).
pub const COMMAND_KINDS: &str = "crash, restart, timeout, partition, cut, mend, isolate, heal, \
put, get, add, remove, transfer, compact, change, drop, duplicate, promote, client";

const COMMANDS: &str = "run, expect, timeout, crash, restart, partition, cut, isolate, \
heal, put, get, add, remove, transfer, compact, say, pause, cluster, seed, set, state, \
change, mend, drop, duplicate, client";

impl Parser {
    pub(super) fn command(
        &mut self,
        c: &mut Cur<'_>,
        w: Word<'_>,
    ) -> Result<Statement, ParseError> {
        Ok(match w.text {
            "run" => {
                let a = c.next(t!("a duration or until after run"))?;
                let stmt = if a.text == "until" {
                    let cond = self.condition(c, &["within"])?;
                    let within = match c.peek() {
                        Some(x) if x.text == "within" => {
                            c.i += 1;
                            let d = c.next(t!("a duration after within"))?;
                            duration(c, d)?
                        }
                        _ => 10_000_000,
                    };
                    Statement::RunUntil { cond, within }
                } else {
                    if decimal(a.text.trim_end_matches('s').trim_end_matches('m')).is_none()
                        && !a.text.starts_with('-')
                        && !a.text.contains("..")
                    {
                        return Err(c.at(
                            a,
                            t!(
                                "expected a duration (like 250ms, 1.5s or 2s; a bare number is \
                                 milliseconds) or until after run, found {word}",
                                word = q(a.text)
                            ),
                        ));
                    }
                    Statement::Run(duration(c, a)?)
                };
                self.time_line = Some(c.line);
                stmt
            }
            "expect" => Statement::Expect(self.condition(c, &[])?),
            "timeout" => Statement::Timeout(self.next_ref(c)?),
            "crash" => Statement::Crash(self.next_ref(c)?),
            "restart" => Statement::Restart(self.next_ref(c)?),
            "isolate" => Statement::Isolate(self.next_ref(c)?),
            "remove" => Statement::Remove(self.next_ref(c)?),
            "transfer" => Statement::Transfer(self.next_ref(c)?),
            "compact" => Statement::Compact(self.next_ref(c)?),
            "cut" => {
                let a = self.next_ref(c)?;
                let bw = c.next(t!("a second server (s1..s9 or leader)"))?;
                let b = self.server_ref(c, bw)?;
                if a == b {
                    return Err(c.at(bw, t!("cut needs two different servers")));
                }
                Statement::Cut(a, b)
            }
            "partition" => self.partition(c)?,
            "heal" => Statement::Heal,
            // raftlab's extensions, written by the page's export (see the README).
            "change" if c.peek().is_some_and(|x| x.text == "members") => {
                c.i += 1;
                self.change_members(c)?
            }
            "change" => Statement::Change(setting(c)?),
            "promote" => {
                let w = c.next(t!("a learner (like promote s4)"))?;
                Statement::Promote(self.server_ref(c, w)?)
            }
            "mend" => {
                let a = self.next_ref(c)?;
                let bw = c.next(t!("a second server (s1..s9 or leader)"))?;
                let b = self.server_ref(c, bw)?;
                if a == b {
                    return Err(c.at(bw, t!("mend needs two different servers")));
                }
                Statement::Mend(a, b)
            }
            "drop" | "duplicate" => {
                let kw = c.next(t!("the word message"))?;
                if kw.text != "message" {
                    return Err(c.at(
                        kw,
                        t!(
                            "expected \"message\" after {command}, found {word}",
                            command = w.text,
                            word = q(kw.text)
                        ),
                    ));
                }
                let nw = c.next(t!("a message number"))?;
                let id = match int(nw.text) {
                    Int::Ok(n) if n > 0 => n,
                    _ => {
                        return Err(c.at(
                            nw,
                            t!(
                                "expected a message number (1 or more), found {word}",
                                word = q(nw.text)
                            ),
                        ))
                    }
                };
                if w.text == "drop" {
                    Statement::DropMessage(id)
                } else {
                    Statement::DuplicateMessage(id)
                }
            }
            "pause" => Statement::Pause,
            // A challenge's limits on the student's commands (see the README).
            "forbid" | "limit" => {
                let k = c.next(&t!("a kind of command ({kinds})", kinds = COMMAND_KINDS))?;
                let Some(kind) = COMMAND_KINDS.split(", ").find(|x| *x == k.text) else {
                    return Err(c.at(
                        k,
                        t!(
                            "unknown kind of command {word} (expected one of: {kinds})",
                            word = q(k.text),
                            kinds = COMMAND_KINDS
                        ),
                    ));
                };
                let allowed = if w.text == "limit" {
                    let nw = c.next(t!("how many are allowed (like limit crash 2)"))?;
                    match int(nw.text) {
                        Int::Ok(n) if (1..=1000).contains(&n) => n as u32,
                        _ => {
                            return Err(c.at(
                                nw,
                                t!(
                                    "expected how many {kind} commands are allowed, 1 to 1000 \
                                     (forbid {kind} allows none), found {word}",
                                    kind = kind,
                                    word = q(nw.text)
                                ),
                            ))
                        }
                    }
                } else {
                    0
                };
                Statement::Forbid { kind, allowed }
            }
            "history" => {
                for want in ["not", "linearizable"] {
                    let x = c.next_keyword(want)?;
                    if x.text != want {
                        return Err(c.at(
                            x,
                            t!(
                                "expected history not linearizable, found {word}",
                                word = q(x.text)
                            ),
                        ));
                    }
                }
                Statement::HistoryNotLinearizable
            }
            "client" => {
                let v = c.next(t!("via after client (like client via s3)"))?;
                if v.text != "via" {
                    return Err(c.at(
                        v,
                        t!(
                            "expected via after client (like client via s3), found {word}",
                            word = q(v.text)
                        ),
                    ));
                }
                match self.next_ref(c)? {
                    ServerRef::Leader => Statement::ClientVia(None),
                    ServerRef::Id(id) => Statement::ClientVia(Some(id)),
                }
            }
            "put" => {
                let k = c.next(t!("a key"))?;
                let key = kv_word(c, k, "key")?;
                let v = c.next(t!("a value"))?;
                let value = kv_word(c, v, "value")?;
                if value == "none" {
                    return Err(c.at(
                        v,
                        t!(
                            "\"none\" is reserved and cannot be a value (conditions use it for \
                            an unset key)"
                        ),
                    ));
                }
                Statement::Put(key.to_string(), value.to_string())
            }
            "get" => {
                let k = c.next(t!("a key"))?;
                Statement::Get(kv_word(c, k, "key")?.to_string())
            }
            "add" if c.peek().is_some_and(|x| x.text == "learner") => {
                c.i += 1;
                let a = c.next(t!("a new server (like add learner s4)"))?;
                Statement::AddLearner(self.new_server(c, a, "add learner")?)
            }
            "add" => {
                let a = c.next(t!("a new server (like add s6)"))?;
                if a.text == "leader" {
                    return Err(c.at(a, t!("add takes a new server (like add s6), not leader")));
                }
                let Some(id) = server_name(a.text) else {
                    return Err(c.at(
                        a,
                        t!(
                            "{word} is not a server name (expected s1..s9: at most 9 servers)",
                            word = q(a.text)
                        ),
                    ));
                };
                if self.count >= limits::MAX_SERVERS {
                    return Err(c.at(
                        a,
                        t!(
                            "cannot add s{id}: at most 9 servers (the cluster has s1..s9)",
                            id = id
                        ),
                    ));
                }
                if self.exists[usize::from(id)] {
                    return Err(c.at(
                        a,
                        t!(
                            "s{id} already exists ({what} takes a new server)",
                            id = id,
                            what = "add"
                        ),
                    ));
                }
                self.exists[usize::from(id)] = true;
                self.count += 1;
                Statement::Add(id)
            }
            _ => {
                return Err(c.at(
                    w,
                    t!(
                        "unknown command {word} (expected one of: {commands})",
                        word = q(w.text),
                        commands = COMMANDS
                    ),
                ))
            }
        })
    }

    /// A server that a line creates (`add learner s4`, a new server of `change members`).
    fn new_server(&mut self, c: &Cur<'_>, a: Word<'_>, what: &str) -> Result<ServerId, ParseError> {
        if a.text == "leader" {
            return Err(c.at(
                a,
                t!(
                    "{what} takes a server name (s1..s9), not leader",
                    what = what
                ),
            ));
        }
        let Some(id) = server_name(a.text) else {
            return Err(c.at(
                a,
                t!(
                    "{word} is not a server name (expected s1..s9: at most 9 servers)",
                    word = q(a.text)
                ),
            ));
        };
        if self.exists[usize::from(id)] {
            return Err(c.at(
                a,
                t!(
                    "s{id} already exists ({what} takes a new server)",
                    id = id,
                    what = what
                ),
            ));
        }
        if self.count >= limits::MAX_SERVERS {
            return Err(c.at(
                a,
                t!(
                    "cannot add s{id}: at most 9 servers (the cluster has s1..s9)",
                    id = id
                ),
            ));
        }
        self.exists[usize::from(id)] = true;
        self.count += 1;
        Ok(id)
    }

    /// `change members s1 s2 s4 s5`: the new voters; the servers not yet created are
    /// created.
    fn change_members(&mut self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        let mut ids = Vec::new();
        let mut seen = [false; 10];
        while let Some(w) = c.peek() {
            c.i += 1;
            let id = match server_name(w.text) {
                Some(id) if self.exists[usize::from(id)] => id,
                Some(_) => self.new_server(c, w, "change members")?,
                None if w.text == "leader" => {
                    return Err(c.at(
                        w,
                        t!("change members takes server names (s1..s9), not leader"),
                    ))
                }
                None => {
                    return Err(c.at(
                        w,
                        t!(
                            "{word} is not a server name (expected s1..s9)",
                            word = q(w.text)
                        ),
                    ))
                }
            };
            if seen[usize::from(id)] {
                return Err(c.at(w, t!("s{id} is named twice in change members", id = id)));
            }
            seen[usize::from(id)] = true;
            ids.push(id);
        }
        if ids.is_empty() {
            return Err(c.err(
                c.end_col,
                t!(
                    "expected at least one server after change members (like change members s1 \
                     s2 s4)"
                ),
            ));
        }
        Ok(Statement::ChangeMembers(ids))
    }

    fn partition(&self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        let mut groups: Vec<Vec<ServerId>> = vec![Vec::new()];
        let mut last_bar: Option<usize> = None;
        let mut seen = [false; 10];
        while let Some(w) = c.peek() {
            c.i += 1;
            // Split at `|`, which may be glued to names.
            let mut rest = w;
            loop {
                let (piece, bar) = match rest.text.find('|') {
                    Some(at) => (rest.head(at), Some(rest.tail(at))),
                    None => (rest, None),
                };
                if !piece.text.is_empty() {
                    let id = self.server(c, piece, "partition")?;
                    if seen[usize::from(id)] {
                        return Err(
                            c.at(piece, t!("s{id} is named twice in the partition", id = id))
                        );
                    }
                    seen[usize::from(id)] = true;
                    if let Some(g) = groups.last_mut() {
                        g.push(id);
                    }
                }
                match bar {
                    Some(b) => {
                        if groups.last().is_some_and(|g| g.is_empty()) {
                            return Err(c.at(
                                b,
                                t!("empty group in partition (each group between | needs a server)"),
                            ));
                        }
                        groups.push(Vec::new());
                        last_bar = Some(b.col);
                        rest = b.tail(1);
                    }
                    None => break,
                }
            }
        }
        if groups.last().is_some_and(|g| g.is_empty()) {
            return Err(match last_bar {
                Some(col) => c.err(
                    col,
                    t!("empty group in partition (each group between | needs a server)"),
                ),
                None => c.err(
                    c.end_col,
                    t!(
                        "expected servers to partition (like partition s1 s2 | s3 s4 s5), \
                         found the end of the line"
                    ),
                ),
            });
        }
        Ok(Statement::Partition(groups))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, one, stmts};
    use super::super::*;

    #[test]
    fn add() {
        assert_eq!(
            stmts("add s6\ncrash s6"),
            vec![Statement::Add(6), Statement::Crash(ServerRef::Id(6))]
        );
        fails("crash s6\nadd s6", 1, 7, "s6 does not exist");
        assert_eq!(
            stmts("cluster 3\nadd s5\nexpect members s1 s5"),
            vec![
                Statement::Cluster(3),
                Statement::Add(5),
                Statement::Expect(Condition::Members(vec![1, 5])),
            ]
        );
        fails(
            "cluster 3\nadd s5\ncrash s4",
            3,
            7,
            "s4 does not exist (the cluster has s1..s3, s5)",
        );
        fails("add s3", 1, 5, "s3 already exists");
        fails("cluster 9\nadd s5", 2, 5, "at most 9 servers");
        fails("cluster 8\nadd s9\nadd s1", 3, 5, "at most 9 servers");
        fails("add s10", 1, 5, "at most 9 servers");
        fails("add leader", 1, 5, "not leader");
        fails("remove s2\nadd s2", 2, 5, "already exists");
        fails(
            "add s6\nstate s6 term 1 log 1",
            2,
            7,
            "s6 is added later and starts empty",
        );
    }

    #[test]
    fn partition() {
        let p = |t: &str| match one(t) {
            Statement::Partition(g) => g,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            p("partition s1 s2 | s3 s4 s5"),
            vec![vec![1, 2], vec![3, 4, 5]]
        );
        assert_eq!(p("partition s1 s2|s3 s4"), vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(p("partition s1 |s2| s3"), vec![vec![1], vec![2], vec![3]]);
        assert_eq!(p("partition s1|s2|s3"), vec![vec![1], vec![2], vec![3]]);
        assert_eq!(p("partition s2"), vec![vec![2]]);
        fails("partition s1 | s1", 1, 16, "s1 is named twice");
        fails("partition | s1", 1, 11, "empty group");
        fails("partition s1 |", 1, 14, "empty group");
        fails("partition s1 | | s2", 1, 16, "empty group");
        fails("partition s1||s2", 1, 14, "empty group");
        fails("partition s1 s2|", 1, 16, "empty group");
        fails("partition", 1, 10, "expected servers to partition");
        fails(
            "partition leader | s1",
            1,
            11,
            "partition takes a server name (s1..s9), not leader",
        );
        fails("partition s1 | s6", 1, 16, "s6 does not exist");
        fails("partition s1|s0", 1, 14, "\"s0\" is not a server name");
    }

    #[test]
    fn run_forms() {
        assert_eq!(one("run 2s"), Statement::Run(2_000_000));
        assert_eq!(
            one("run until leader any"),
            Statement::RunUntil {
                cond: Condition::Leader(LeaderCond::Any),
                within: 10_000_000
            }
        );
        assert_eq!(
            one("run until leader none within 3s"),
            Statement::RunUntil {
                cond: Condition::Leader(LeaderCond::None),
                within: 3_000_000
            }
        );
        assert_eq!(
            one("run until log s1 1 _ 2 within 1s"),
            Statement::RunUntil {
                cond: Condition::Log(ServerRef::Id(1), vec![Some(1), None, Some(2)]),
                within: 1_000_000
            }
        );
        assert_eq!(
            one("run until members s1 s2 within 1s"),
            Statement::RunUntil {
                cond: Condition::Members(vec![1, 2]),
                within: 1_000_000
            }
        );
        assert_eq!(
            one("run until value s1 within within within 1s"),
            Statement::RunUntil {
                cond: Condition::Value(ServerRef::Id(1), "within".into(), Some("within".into())),
                within: 1_000_000
            }
        );
        fails("run until", 1, 10, "expected a condition");
        fails(
            "run until leader any within",
            1,
            28,
            "expected a duration after within",
        );
        fails(
            "run until leader any within 2h",
            1,
            29,
            "expected a duration",
        );
        fails(
            "run until leader any within 1s 2s",
            1,
            32,
            "unexpected word \"2s\"",
        );
        fails("run until leader any 1s", 1, 22, "unexpected word \"1s\"");
        fails("run until members within 1s", 1, 19, "at least one server");
        fails(
            "expect log s1 1 within",
            1,
            17,
            "expected the term of a log entry",
        );
    }

    #[test]
    fn client_commands() {
        assert_eq!(one("put x 1"), Statement::Put("x".into(), "1".into()));
        assert_eq!(one("put none 1"), Statement::Put("none".into(), "1".into()));
        assert_eq!(one("get x"), Statement::Get("x".into()));
        assert_eq!(one("heal"), Statement::Heal);
        assert_eq!(one("pause"), Statement::Pause);
        assert_eq!(
            one("history not linearizable"),
            Statement::HistoryNotLinearizable
        );
        fails(
            "history linearizable",
            1,
            9,
            "expected history not linearizable",
        );
        fails("history not", 1, 12, "expected linearizable");
        fails("put x none", 1, 7, "\"none\" is reserved");
        fails("put x", 1, 6, "expected a value");
        fails("put", 1, 4, "expected a key");
        fails("put x 1 2", 1, 9, "unexpected word \"2\"");
        fails("get", 1, 4, "expected a key");
        assert_eq!(one("client via s2"), Statement::ClientVia(Some(2)));
        assert_eq!(one("client via leader"), Statement::ClientVia(None));
        fails("client to s2", 1, 8, "expected via after client");
        fails("client via", 1, 11, "expected a server");
        fails("client via s7", 1, 12, "s7");
        fails("heal now", 1, 6, "unexpected word \"now\"");
        let long = "k".repeat(limits::MAX_WORD_BYTES + 1);
        fails(
            &format!("put {long} 1"),
            1,
            5,
            "more than the limit of 1000 bytes",
        );
        fails(&format!("put x {long}"), 1, 7, "more than the limit");
        fails(&format!("get {long}"), 1, 5, "more than the limit");
        fails(
            &format!("expect read x {long}"),
            1,
            15,
            "more than the limit",
        );
        assert!(parse(&format!("put {} 1", "k".repeat(limits::MAX_WORD_BYTES))).is_ok());
    }

    #[test]
    fn unknown_commands_and_columns() {
        fails(
            "crahs s1",
            1,
            1,
            "unknown command \"crahs\" (expected one of: run, expect, timeout, crash, ",
        );
        fails("  \tcrahs s1", 1, 4, "unknown command");
        fails("\"", 1, 1, "unknown command \"\\\"\"");
        // columns count characters, not bytes
        fails("put ü ß extra", 1, 9, "unexpected word \"extra\"");
        fails("put \u{1F600} ü x", 1, 9, "unexpected word \"x\"");
        fails("# ünïcödé\n  put ü", 2, 8, "expected a value");
        fails("put ü   # comment", 2 - 1, 6, "found the end of the line");
        let long = "x".repeat(100);
        let e = parse(&long).unwrap_err();
        assert!(e.message.chars().count() < 300, "{}", e.message);
    }

    #[test]
    fn goals_and_forbids() {
        assert_eq!(
            one("goal \"Make # s3 lead\" leader s3 # a comment"),
            Statement::Goal {
                caption: "Make # s3 lead".into(),
                conds: vec![Condition::Leader(LeaderCond::Server(3))],
                hold: 0,
            }
        );
        assert_eq!(
            one("goal \"two\" log s2 1 _ and commit s2 0 and role s1 leader"),
            Statement::Goal {
                caption: "two".into(),
                conds: vec![
                    Condition::Log(ServerRef::Id(2), vec![Some(1), None]),
                    Condition::Commit(ServerRef::Id(2), Cmp::Eq(0)),
                    Condition::Role(ServerRef::Id(1), RoleName::Leader),
                ],
                hold: 0,
            }
        );
        assert_eq!(
            one("goal \"none\" members s1 s2 for 2s"),
            Statement::Goal {
                caption: "none".into(),
                conds: vec![Condition::Members(vec![1, 2])],
                hold: 2_000_000,
            }
        );
        let l = &parse("goal \"x\"   leader any   # c").unwrap().lines[0];
        assert_eq!(l.text, "goal \"x\"   leader any");
        assert_eq!(
            one("forbid crash"),
            Statement::Forbid {
                kind: "crash",
                allowed: 0
            }
        );
        assert_eq!(
            one("limit cut 2"),
            Statement::Forbid {
                kind: "cut",
                allowed: 2
            }
        );
        fails(
            "goal leader s3",
            1,
            6,
            "the caption must be in double quotes, like goal",
        );
        fails("goal", 1, 5, "expected a quoted caption after goal");
        fails("goal \"x", 1, 6, "unterminated quote");
        fails("goal \"x\"", 1, 9, "expected a condition (leader, role");
        fails("goal \"x\" leader s3 and", 1, 23, "expected a condition");
        fails(
            "goal \"x\" leader s3 or leader s2",
            1,
            20,
            "unexpected word \"or\"",
        );
        fails("goal \"x\" leader s7", 1, 17, "s7 does not exist");
        fails("goal \"x\" flies s1", 1, 10, "unknown condition");
        fails(
            "forbid fly",
            1,
            8,
            "unknown kind of command \"fly\" (expected one of: crash,",
        );
        fails("forbid", 1, 7, "expected a kind of command");
        fails(
            "limit crash 0",
            1,
            13,
            "1 to 1000 (forbid crash allows none)",
        );
        fails("limit crash", 1, 12, "how many are allowed");
        fails("forbid crash 2", 1, 14, "unexpected word");
    }
}
