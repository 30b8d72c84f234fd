//! Conditions of `expect` and `run until` lines.

use super::lex::*;
use super::parser::Parser;
use crate::scenario::ast::*;
use crate::t;

const CONDITIONS: &str = "leader, role, term, commit, log, value, read, members, sent";

/// Message kinds of `sent`: the word, and the kind as the trace writes it.
const KINDS: [(&str, &str); 8] = [
    ("append", "append"),
    ("append-reply", "append_reply"),
    ("snapshot", "snapshot"),
    ("vote", "vote"),
    ("vote-reply", "vote_reply"),
    ("prevote", "prevote"),
    ("prevote-reply", "prevote_reply"),
    ("timeout-now", "timeout_now"),
];

/// The scenario word for a message kind (`append_reply` -> `append-reply`).
pub fn kind_word(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("?", |(w, _)| w)
}
/// Properties of the `violation` condition: the word, and the checker's property.
const PROPERTIES: [(&str, Property); 12] = [
    ("election-safety", Property::ElectionSafety),
    ("log-matching", Property::LogMatching),
    ("leader-completeness", Property::LeaderCompleteness),
    ("state-machine-safety", Property::StateMachineSafety),
    ("committed-entry-lost", Property::CommittedEntryLost),
    ("monotonic", Property::Monotonic),
    ("state-digest", Property::StateDigest),
    ("snapshot-contents", Property::SnapshotContents),
    ("active-configuration", Property::ActiveConfiguration),
    ("leader-progress", Property::LeaderProgress),
    ("pre-vote", Property::PreVote),
    ("check-quorum", Property::CheckQuorum),
];

/// The scenario word for a checked property (`Property::ElectionSafety` -> `election-safety`).
pub fn property_word(p: Property) -> &'static str {
    PROPERTIES
        .iter()
        .find(|(_, x)| *x == p)
        .map_or("?", |(w, _)| w)
}

const ROLES: &str = "follower, precandidate, candidate, leader, crashed, removed, learner";

impl Parser {
    /// A condition; `stop_words` (`within` in `run until`, `and` and `for` in `goal`)
    /// end the lists of `log` and `members`.
    pub(super) fn condition(
        &self,
        c: &mut Cur<'_>,
        stop_words: &[&str],
    ) -> Result<Condition, ParseError> {
        let w = c.next(&t!("a condition ({conditions})", conditions = CONDITIONS))?;
        let stop = |x: &Word<'_>| stop_words.contains(&x.text);
        Ok(match w.text {
            "leader" => {
                let a = c.next(t!("a server (s1..s9), any or none"))?;
                match a.text {
                    "any" => Condition::Leader(LeaderCond::Any),
                    "none" => Condition::Leader(LeaderCond::None),
                    t => match server_name(t) {
                        Some(id) => {
                            self.check_exists(c, a, id)?;
                            Condition::Leader(LeaderCond::Server(id))
                        }
                        None => {
                            return Err(c.at(
                                a,
                                t!(
                                    "expected a server (s1..s9), any or none after leader, \
                                     found {word}",
                                    word = q(t)
                                ),
                            ))
                        }
                    },
                }
            }
            "role" => {
                let s = self.next_ref(c)?;
                let r = c.next(&t!("a role ({roles})", roles = ROLES))?;
                let role = match r.text {
                    "follower" => RoleName::Follower,
                    "precandidate" => RoleName::PreCandidate,
                    "candidate" => RoleName::Candidate,
                    "leader" => RoleName::Leader,
                    "crashed" => RoleName::Crashed,
                    "removed" => RoleName::Removed,
                    "learner" => RoleName::Learner,
                    t => {
                        return Err(c.at(
                            r,
                            t!(
                                "unknown role {word} (expected one of: {roles})",
                                word = q(t),
                                roles = ROLES
                            ),
                        ))
                    }
                };
                Condition::Role(s, role)
            }
            "term" | "commit" => {
                let s = self.next_ref(c)?;
                let cmp = cmp(c)?;
                if w.text == "term" {
                    Condition::Term(s, cmp)
                } else {
                    Condition::Commit(s, cmp)
                }
            }
            "log" => {
                let s = self.next_ref(c)?;
                let mut terms = Vec::new();
                while let Some(x) = c.peek() {
                    if stop(&x) {
                        break;
                    }
                    c.i += 1;
                    if x.text == "_" {
                        terms.push(None);
                        continue;
                    }
                    match int(x.text) {
                        Int::Ok(t) => terms.push(Some(t)),
                        Int::TooBig => {
                            return Err(
                                c.at(x, t!("term {value} is too large", value = short(x.text)))
                            )
                        }
                        Int::Bad => {
                            return Err(c.at(
                                x,
                                t!(
                                    "expected the term of a log entry (a whole number) or _, \
                                     found {word}",
                                    word = q(x.text)
                                ),
                            ))
                        }
                    }
                }
                Condition::Log(s, terms)
            }
            "value" => {
                let s = self.next_ref(c)?;
                let k = c.next(t!("a key"))?;
                let key = kv_word(c, k, "key")?.to_string();
                let v = c.next(t!("a value or none"))?;
                let value = kv_word(c, v, "value")?;
                Condition::Value(s, key, (value != "none").then(|| value.to_string()))
            }
            "read" => {
                let k = c.next(t!("a key"))?;
                let key = kv_word(c, k, "key")?.to_string();
                let v = c.next(t!("a value or none"))?;
                let value = kv_word(c, v, "value")?;
                Condition::Read(key, (value != "none").then(|| value.to_string()))
            }
            "members" => {
                let mut ids = Vec::new();
                let mut seen = [false; 10];
                let mut old: Option<Vec<crate::raft::ServerId>> = None;
                while let Some(x) = c.peek() {
                    if stop(&x) {
                        break;
                    }
                    c.i += 1;
                    if x.text == "->" {
                        if old.is_some() || ids.is_empty() {
                            return Err(c.at(
                                x,
                                t!("-> separates the old voters from the new ones (like \
                                     members s1 s2 s3 -> s1 s2 s4), once"),
                            ));
                        }
                        old = Some(std::mem::take(&mut ids));
                        seen = [false; 10];
                        continue;
                    }
                    let id = self.server(c, x, "members")?;
                    if seen[usize::from(id)] {
                        return Err(c.at(x, t!("s{id} is named twice in members", id = id)));
                    }
                    seen[usize::from(id)] = true;
                    ids.push(id);
                }
                if ids.is_empty() {
                    let col = c.peek().map_or(c.end_col, |x| x.col);
                    return Err(c.err(
                        col,
                        t!("expected at least one server after members (like members s1 s2 s3)"),
                    ));
                }
                match old {
                    Some(old) => Condition::MembersJoint(old, ids),
                    None => Condition::Members(ids),
                }
            }
            "violation" => {
                let k = c.next(t!("a safety property (like election-safety)"))?;
                let Some(&(_, p)) = PROPERTIES.iter().find(|(word, _)| *word == k.text) else {
                    let known: Vec<&str> = PROPERTIES.iter().map(|(w, _)| *w).collect();
                    return Err(c.at(
                        k,
                        t!(
                            "unknown safety property {word} (expected one of: {known})",
                            word = q(k.text),
                            known = known.join(", ")
                        ),
                    ));
                };
                Condition::Violation(p)
            }
            "sent" => {
                let k = c.next(t!("a message kind (like snapshot or append)"))?;
                let Some(&(_, kind)) = KINDS.iter().find(|(word, _)| *word == k.text) else {
                    let words: Vec<&str> = KINDS.iter().map(|(w, _)| *w).collect();
                    return Err(c.at(
                        k,
                        t!(
                            "unknown message kind {word} (expected one of: {known})",
                            word = q(k.text),
                            known = words.join(", ")
                        ),
                    ));
                };
                let to = c.next_keyword("to")?;
                if to.text != "to" {
                    return Err(c.at(
                        to,
                        t!(
                            "expected to (like sent {kind} to s3 1), found {word}",
                            kind = k.text,
                            word = q(to.text)
                        ),
                    ));
                }
                let s = self.next_ref(c)?;
                Condition::Sent(kind, s, cmp(c)?)
            }
            t => {
                return Err(c.at(
                    w,
                    t!(
                        "unknown condition {word} (expected one of: {conditions})",
                        word = q(t),
                        conditions = CONDITIONS
                    ),
                ))
            }
        })
    }
}

/// `N`, `>= N` or `>=N`.
fn cmp(c: &mut Cur<'_>) -> Result<Cmp, ParseError> {
    let w = c.next(t!("a number or >= N"))?;
    let (at_least, nw) = if w.text == ">=" {
        (true, c.next(t!("a number after >="))?)
    } else if let Some(_rest) = w.text.strip_prefix(">=") {
        (true, w.tail(2))
    } else {
        (false, w)
    };
    match int(nw.text) {
        Int::Ok(n) => Ok(if at_least {
            Cmp::AtLeast(n)
        } else {
            Cmp::Eq(n)
        }),
        Int::TooBig => Err(c.at(
            nw,
            t!("number {value} is too large", value = short(nw.text)),
        )),
        Int::Bad if at_least => Err(c.at(
            nw,
            t!("expected a whole number, found {word}", word = q(nw.text)),
        )),
        Int::Bad => Err(c.at(
            nw,
            t!(
                "expected a whole number or >= N, found {word}",
                word = q(nw.text)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cond, fails};
    use super::super::*;

    #[test]
    fn conditions() {
        use Condition as C;
        let s = ServerRef::Id;
        assert_eq!(cond("leader s3"), C::Leader(LeaderCond::Server(3)));
        assert_eq!(cond("leader any"), C::Leader(LeaderCond::Any));
        assert_eq!(cond("leader none"), C::Leader(LeaderCond::None));
        assert_eq!(cond("role s2 follower"), C::Role(s(2), RoleName::Follower));
        assert_eq!(
            cond("role leader precandidate"),
            C::Role(ServerRef::Leader, RoleName::PreCandidate)
        );
        assert_eq!(
            cond("role s2 candidate"),
            C::Role(s(2), RoleName::Candidate)
        );
        assert_eq!(cond("role s2 leader"), C::Role(s(2), RoleName::Leader));
        assert_eq!(cond("role s2 crashed"), C::Role(s(2), RoleName::Crashed));
        assert_eq!(cond("role s2 removed"), C::Role(s(2), RoleName::Removed));
        assert_eq!(cond("term s2 4"), C::Term(s(2), Cmp::Eq(4)));
        assert_eq!(cond("term s2 >= 4"), C::Term(s(2), Cmp::AtLeast(4)));
        assert_eq!(
            cond("term leader >=4"),
            C::Term(ServerRef::Leader, Cmp::AtLeast(4))
        );
        assert_eq!(cond("commit s1 7"), C::Commit(s(1), Cmp::Eq(7)));
        assert_eq!(cond("commit s1 >= 0"), C::Commit(s(1), Cmp::AtLeast(0)));
        assert_eq!(
            cond("log s2 1 1 4 4 5"),
            C::Log(s(2), vec![Some(1), Some(1), Some(4), Some(4), Some(5)])
        );
        assert_eq!(cond("log s2"), C::Log(s(2), vec![]));
        assert_eq!(cond("log s2 _ 3"), C::Log(s(2), vec![None, Some(3)]));
        assert_eq!(
            cond("value s1 x 1"),
            C::Value(s(1), "x".into(), Some("1".into()))
        );
        assert_eq!(cond("value s1 x none"), C::Value(s(1), "x".into(), None));
        assert_eq!(cond("read x 1"), C::Read("x".into(), Some("1".into())));
        assert_eq!(cond("read x none"), C::Read("x".into(), None));
        assert_eq!(cond("members s1 s2 s3"), C::Members(vec![1, 2, 3]));
        fails(
            "expect ledaer any",
            1,
            8,
            "unknown condition \"ledaer\" (expected one of: leader, role",
        );
        fails("expect", 1, 7, "expected a condition");
        fails(
            "expect role s2 boss",
            1,
            16,
            "unknown role \"boss\" (expected one of: follower",
        );
        fails("expect role s2", 1, 15, "expected a role");
        fails(
            "expect leader leader",
            1,
            15,
            "expected a server (s1..s9), any or none",
        );
        fails("expect leader s7", 1, 15, "s7 does not exist");
        fails(
            "expect term s2 > 4",
            1,
            16,
            "expected a whole number or >= N",
        );
        fails("expect term s2 >= x", 1, 19, "expected a whole number");
        fails("expect term s2 >=", 1, 18, "expected a number after >=");
        fails("expect term s2 >=x", 1, 18, "expected a whole number");
        fails("expect term s2 99999999999999999999", 1, 16, "too large");
        fails("expect term s2", 1, 15, "expected a number or >= N");
        fails("expect log s2 1 x", 1, 17, "or _");
        fails("expect value s1 x", 1, 18, "expected a value or none");
        fails("expect read x", 1, 14, "expected a value or none");
        fails("expect read x 1 2", 1, 17, "unexpected word \"2\"");
        fails("expect members", 1, 15, "at least one server");
        fails("expect members s1 s1", 1, 19, "named twice");
        fails(
            "expect members leader",
            1,
            16,
            "members takes a server name",
        );
        fails("expect members s1 s8", 1, 19, "s8 does not exist");
        assert_eq!(
            cond("sent snapshot to s3 1"),
            C::Sent("snapshot", s(3), Cmp::Eq(1))
        );
        assert_eq!(
            cond("sent append-reply to leader >= 2"),
            C::Sent("append_reply", ServerRef::Leader, Cmp::AtLeast(2))
        );
        fails(
            "expect sent snap to s3 1",
            1,
            13,
            "unknown message kind \"snap\"",
        );
        fails("expect sent snapshot s3 1", 1, 22, "expected to");
        fails("expect sent snapshot to s8 1", 1, 25, "s8 does not exist");
        fails(
            "expect sent snapshot to s3",
            1,
            27,
            "expected a number or >= N",
        );
    }
}
