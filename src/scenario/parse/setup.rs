//! Set-up lines: `cluster`, `seed`, `set` (also the setting of a `change` line) and
//! `state`.

use super::lex::*;
use super::parser::Parser;
use crate::raft::types::Term;
use crate::scenario::ast::*;
use crate::t;

/// The largest term a `state` line may give (keeps the runner's term arithmetic far from
/// overflow).
pub const MAX_STATE_TERM: Term = 1_000_000_000;

const SETTINGS: &str = "election-timeout, heartbeat, latency, loss, duplicate, prevote, \
check-quorum, client-timeout, snapshot-factor, max-entries, max-inflight, retry-timeout, \
read-mode, drift";

impl Parser {
    pub(super) fn cluster(
        &mut self,
        c: &mut Cur<'_>,
        kw: Word<'_>,
    ) -> Result<Statement, ParseError> {
        if let Some(l) = self.cluster_line {
            return Err(c.at(
                kw,
                t!("cluster given twice (first on line {line})", line = l),
            ));
        }
        if let Some(l) = self.first_use_line {
            return Err(c.at(
                kw,
                t!(
                    "cluster must come before every command and state line (line {line} is one)",
                    line = l
                ),
            ));
        }
        let w = c.next(t!("the number of servers (1..9)"))?;
        let n = match int(w.text) {
            Int::Ok(n) if (1..=u64::from(limits::MAX_SERVERS)).contains(&n) => n as u8,
            Int::Ok(_) | Int::TooBig => {
                return Err(c.at(
                    w,
                    t!(
                        "cluster size {value} is out of range 1..9",
                        value = short(w.text)
                    ),
                ))
            }
            Int::Bad => {
                return Err(c.at(
                    w,
                    t!(
                        "expected the number of servers (1..9) after cluster, found {word}",
                        word = q(w.text)
                    ),
                ))
            }
        };
        self.cluster_line = Some(c.line);
        self.create_cluster(n);
        Ok(Statement::Cluster(n))
    }

    pub(super) fn state(&mut self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        self.use_servers(c.line);
        let w = c.next(t!("a server (s1..s9)"))?;
        let server = self.server(c, w, "state")?;
        if server > self.initial {
            return Err(c.at(
                w,
                t!(
                    "state describes the servers of the initial cluster (s1..s{initial}); \
                     s{server} is added later and starts empty",
                    initial = self.initial,
                    server = server
                ),
            ));
        }
        if let Some(l) = self.state_lines[usize::from(server)] {
            return Err(c.at(
                w,
                t!(
                    "the state of s{server} is already given on line {line}",
                    server = server,
                    line = l
                ),
            ));
        }
        let kw = c.next_keyword("\"term\"")?;
        if kw.text != "term" {
            return Err(c.at(kw, t!("expected \"term\", found {word}", word = q(kw.text))));
        }
        let tw = c.next(t!("a term (a whole number)"))?;
        let term = match int(tw.text) {
            Int::Ok(t) if t <= MAX_STATE_TERM => t,
            Int::Ok(_) | Int::TooBig => {
                return Err(c.at(
                    tw,
                    t!(
                        "term {value} is too large (at most {max})",
                        value = short(tw.text),
                        max = MAX_STATE_TERM
                    ),
                ))
            }
            Int::Bad => {
                return Err(c.at(
                    tw,
                    t!(
                        "expected a term (a whole number), found {word}",
                        word = q(tw.text)
                    ),
                ))
            }
        };
        let mut kw = c.next(t!("\"vote\" or \"log\""))?;
        let mut vote = None;
        if kw.text == "vote" {
            let vw = c.next(t!("the server voted for (s1..s9)"))?;
            let v = self.server(c, vw, "vote")?;
            if term == 0 {
                return Err(c.at(
                    vw,
                    t!("a vote needs a term of at least 1 (nobody campaigns in term 0)"),
                ));
            }
            vote = Some(v);
            kw = c.next_keyword("\"log\"")?;
            if kw.text != "log" {
                return Err(c.at(kw, t!("expected \"log\", found {word}", word = q(kw.text))));
            }
        } else if kw.text != "log" {
            return Err(c.at(
                kw,
                t!(
                    "expected \"vote\" or \"log\", found {word}",
                    word = q(kw.text)
                ),
            ));
        }
        let mut log: Vec<Term> = Vec::new();
        while let Some(ew) = c.peek() {
            c.i += 1;
            let t = match int(ew.text) {
                Int::Ok(t) => t,
                Int::TooBig => u64::MAX,
                Int::Bad => {
                    return Err(c.at(
                        ew,
                        t!(
                            "expected the term of a log entry (a whole number), found {word}",
                            word = q(ew.text)
                        ),
                    ))
                }
            };
            if log.len() >= limits::MAX_STATE_LOG {
                return Err(c.at(
                    ew,
                    t!(
                        "the log has more than {max} entries, the limit",
                        max = limits::MAX_STATE_LOG
                    ),
                ));
            }
            if t == 0 {
                return Err(c.at(ew, t!("a log entry's term must be at least 1")));
            }
            if t > term {
                return Err(c.at(
                    ew,
                    t!(
                        "log entry {index} has term {value}, greater than the server's term {term}",
                        index = log.len() + 1,
                        value = short(ew.text),
                        term = term
                    ),
                ));
            }
            if let Some(&prev) = log.last() {
                if t < prev {
                    return Err(c.at(
                        ew,
                        t!(
                            "log entry {index} has term {t}, less than the term {prev} before it \
                             (terms in a log never decrease)",
                            index = log.len() + 1,
                            t = t,
                            prev = prev
                        ),
                    ));
                }
            }
            log.push(t);
        }
        self.state_lines[usize::from(server)] = Some(c.line);
        Ok(Statement::State {
            server,
            term,
            vote,
            log,
        })
    }
}

/// `bug direct-config-switch`: a planted bug on for this run (an extension).
pub(super) fn bug(c: &mut Cur<'_>) -> Result<Statement, ParseError> {
    let w = c.next(t!("a planted bug's name (like direct-config-switch)"))?;
    w.text.parse::<Bug>().map(Statement::Bug).map_err(|e| {
        // As `UnknownBug` writes it, in the page's language.
        let known: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
        c.at(
            w,
            t!(
                "unknown bug {word} (known: {known})",
                word = format!("{:?}", e.0),
                known = known.join(", ")
            ),
        )
    })
}

pub(super) fn seed(c: &mut Cur<'_>) -> Result<Statement, ParseError> {
    let w = c.next(t!("a seed (a whole number)"))?;
    match int(w.text) {
        Int::Ok(s) => Ok(Statement::Seed(s)),
        Int::TooBig => Err(c.at(
            w,
            t!(
                "seed {value} is too large (at most {max})",
                value = short(w.text),
                max = u64::MAX
            ),
        )),
        Int::Bad => Err(c.at(
            w,
            t!(
                "expected a seed (a whole number), found {word}",
                word = q(w.text)
            ),
        )),
    }
}

pub(super) fn setting(c: &mut Cur<'_>) -> Result<Setting, ParseError> {
    let name = c.next(&t!("a setting ({settings})", settings = SETTINGS))?;
    let positive = |c: &Cur<'_>, w: Word<'_>, what: &str| -> Result<Micros, ParseError> {
        let d = duration(c, w)?;
        if d == 0 {
            return Err(c.at(w, t!("{what} must be greater than 0", what = what)));
        }
        Ok(d)
    };
    Ok(match name.text {
        "election-timeout" => {
            let w = c.next(t!("a duration range (like 150ms..300ms)"))?;
            let r = duration_range(c, w)?;
            if r.min == 0 {
                return Err(c.at(
                    w,
                    t!("the election timeout's minimum must be greater than 0"),
                ));
            }
            Setting::ElectionTimeout(r)
        }
        "heartbeat" => {
            let w = c.next(t!("a duration (like 50ms)"))?;
            Setting::Heartbeat(positive(c, w, t!("the heartbeat interval"))?)
        }
        "latency" => {
            let w = c.next(t!("a duration or a range (like 10ms..20ms)"))?;
            Setting::Latency(duration_range(c, w)?)
        }
        "loss" => {
            let w = c.next(t!("a percentage (like 5%)"))?;
            Setting::Loss(percent(c, w, "loss")?)
        }
        "duplicate" => {
            let w = c.next(t!("a percentage (like 1%)"))?;
            Setting::Duplicate(percent(c, w, "duplicate")?)
        }
        "prevote" => {
            let w = c.next(t!("on or off"))?;
            Setting::Prevote(on_off(c, w, "prevote")?)
        }
        "check-quorum" => {
            let w = c.next(t!("on or off"))?;
            Setting::CheckQuorum(on_off(c, w, "check-quorum")?)
        }
        "client-timeout" => {
            let w = c.next(t!("a duration (like 500ms)"))?;
            Setting::ClientTimeout(positive(c, w, t!("the client timeout"))?)
        }
        "snapshot-factor" => {
            let w = c.next(t!("a whole number 1..1000 or off"))?;
            if w.text == "off" {
                Setting::SnapshotFactor(None)
            } else {
                match int(w.text) {
                    Int::Ok(n) if (1..=1000).contains(&n) => {
                        Setting::SnapshotFactor(Some(n as u32))
                    }
                    Int::Ok(_) | Int::TooBig => {
                        return Err(c.at(
                            w,
                            t!(
                                "snapshot factor {value} is out of range 1..1000",
                                value = short(w.text)
                            ),
                        ))
                    }
                    Int::Bad => {
                        return Err(c.at(
                            w,
                            t!(
                                "expected a whole number 1..1000 or off after snapshot-factor, \
                                 found {word}",
                                word = q(w.text)
                            ),
                        ))
                    }
                }
            }
        }
        "max-entries" | "max-inflight" => {
            let w = c.next(t!("a whole number 1..1000"))?;
            let n = match int(w.text) {
                Int::Ok(n) if (1..=1000).contains(&n) => n as u32,
                Int::Ok(_) | Int::TooBig => {
                    return Err(c.at(
                        w,
                        t!(
                            "{setting} {value} is out of range 1..1000",
                            setting = name.text,
                            value = short(w.text)
                        ),
                    ))
                }
                Int::Bad => {
                    return Err(c.at(
                        w,
                        t!(
                            "expected a whole number 1..1000 after {setting}, found {word}",
                            setting = name.text,
                            word = q(w.text)
                        ),
                    ))
                }
            };
            if name.text == "max-entries" {
                Setting::MaxEntries(n)
            } else {
                Setting::MaxInflight(n)
            }
        }
        "retry-timeout" => {
            let w = c.next(t!("a duration (like 300ms)"))?;
            Setting::RetryTimeout(positive(c, w, t!("the retry timeout"))?)
        }
        "read-mode" => {
            let w = c.next(t!("lease or read-index"))?;
            Setting::ReadMode(match w.text {
                "lease" => crate::raft::ReadMode::Lease,
                "read-index" => crate::raft::ReadMode::ReadIndex,
                t => {
                    return Err(c.at(
                        w,
                        t!(
                            "expected lease or read-index after read-mode, found {word}",
                            word = q(t)
                        ),
                    ))
                }
            })
        }
        "drift" => {
            let s = c.next(t!("a server (like drift s3 1.5)"))?;
            let Some(id) = server_name(s.text) else {
                return Err(c.at(
                    s,
                    t!(
                        "{word} is not a server name (expected s1..s9)",
                        word = q(s.text)
                    ),
                ));
            };
            let w = c.next(t!(
                "a clock rate (like 1.5: its timers run 1.5 times as fast)"
            ))?;
            let rate = decimal(w.text)
                .and_then(|(i, f)| (f.len() <= 3).then(|| scaled(i, f, 1000)).flatten());
            match rate.and_then(|r| u32::try_from(r).ok()) {
                Some(r) if crate::sim::settings::DRIFT_RANGE.contains(&r) => Setting::Drift(id, r),
                Some(_) => {
                    return Err(c.at(
                        w,
                        t!(
                            "drift {value} is out of range 0.1..10",
                            value = short(w.text)
                        ),
                    ))
                }
                None => {
                    return Err(c.at(
                        w,
                        t!(
                        "expected a clock rate with at most 3 decimals (like 1.5), found {word}",
                        word = q(w.text)
                    ),
                    ))
                }
            }
        }
        t => {
            return Err(c.at(
                name,
                t!(
                    "unknown setting {word} (expected one of: {settings})",
                    word = q(t),
                    settings = SETTINGS
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, one, setting, stmts};
    use super::super::*;

    #[test]
    fn settings() {
        assert_eq!(setting("set heartbeat 50ms"), Setting::Heartbeat(50_000));
        assert_eq!(
            setting("set client-timeout 0.5s"),
            Setting::ClientTimeout(500_000)
        );
        assert_eq!(setting("set loss 5%"), Setting::Loss(5.0));
        assert_eq!(setting("set loss 0.5%"), Setting::Loss(0.5));
        assert_eq!(setting("set loss 7"), Setting::Loss(7.0));
        assert_eq!(setting("set loss 100%"), Setting::Loss(100.0));
        assert_eq!(setting("set duplicate 0%"), Setting::Duplicate(0.0));
        assert_eq!(setting("set prevote on"), Setting::Prevote(true));
        assert_eq!(setting("set prevote off"), Setting::Prevote(false));
        assert_eq!(setting("set check-quorum on"), Setting::CheckQuorum(true));
        assert_eq!(
            setting("set snapshot-factor 4"),
            Setting::SnapshotFactor(Some(4))
        );
        assert_eq!(
            setting("set snapshot-factor 1000"),
            Setting::SnapshotFactor(Some(1000))
        );
        assert_eq!(
            setting("set snapshot-factor off"),
            Setting::SnapshotFactor(None)
        );
        assert_eq!(setting("set max-entries 1"), Setting::MaxEntries(1));
        assert_eq!(setting("set max-inflight 1000"), Setting::MaxInflight(1000));
        assert_eq!(
            setting("set retry-timeout 1.5s"),
            Setting::RetryTimeout(1_500_000)
        );
        fails(
            "set heartbeat 0",
            1,
            15,
            "heartbeat interval must be greater than 0",
        );
        fails("set heartbeat 10..20", 1, 15, "not a range");
        fails(
            "set client-timeout 0ms",
            1,
            20,
            "client timeout must be greater than 0",
        );
        fails("set loss 150%", 1, 10, "loss 150% is out of range 0%..100%");
        fails(
            "set duplicate 100.5",
            1,
            15,
            "duplicate 100.5% is out of range",
        );
        fails("set loss -1%", 1, 10, "expected a percentage");
        fails("set loss 5%%", 1, 10, "expected a percentage");
        fails("set loss 1e400", 1, 10, "expected a percentage");
        fails(
            &format!("set loss {}", "9".repeat(500)),
            1,
            10,
            "out of range",
        );
        fails("set prevote yes", 1, 13, "expected on or off");
        fails(
            "set snapshot-factor 0",
            1,
            21,
            "snapshot factor 0 is out of range 1..1000",
        );
        fails("set snapshot-factor 1001", 1, 21, "out of range 1..1000");
        fails("set snapshot-factor 2.5", 1, 21, "expected a whole number");
        fails(
            "set max-entries 0",
            1,
            17,
            "max-entries 0 is out of range 1..1000",
        );
        fails(
            "set max-inflight x",
            1,
            18,
            "expected a whole number 1..1000",
        );
        fails(
            "set retry-timeout 0ms",
            1,
            19,
            "the retry timeout must be greater than 0",
        );
        fails("set loss", 1, 9, "expected a percentage");
        fails("set", 1, 4, "expected a setting");
        fails(
            "set timeout 5",
            1,
            5,
            "unknown setting \"timeout\" (expected one of: election-timeout",
        );
        fails("set heartbeat 50ms 60ms", 1, 20, "unexpected word \"60ms\"");
    }

    #[test]
    fn seed_and_cluster() {
        assert_eq!(one("seed 42"), Statement::Seed(42));
        assert_eq!(one("seed 18446744073709551615"), Statement::Seed(u64::MAX));
        fails("seed 18446744073709551616", 1, 6, "too large");
        fails("seed -1", 1, 6, "expected a seed");
        fails("seed +1", 1, 6, "expected a seed");
        assert_eq!(one("cluster 1"), Statement::Cluster(1));
        assert_eq!(one("cluster 9"), Statement::Cluster(9));
        fails("cluster 0", 1, 9, "cluster size 0 is out of range 1..9");
        fails("cluster 10", 1, 9, "cluster size 10 is out of range 1..9");
        fails("cluster 99999999999999999999", 1, 9, "out of range 1..9");
        fails("cluster five", 1, 9, "expected the number of servers");
        fails("cluster", 1, 8, "expected the number of servers");
        fails(
            "cluster 3\ncluster 3",
            2,
            1,
            "cluster given twice (first on line 1)",
        );
        fails(
            "heal\ncluster 3",
            2,
            1,
            "cluster must come before every command and state line (line 1 is one)",
        );
        fails("state s1 term 1 log\ncluster 3", 2, 1, "line 1 is one");
        // seed and set may come before cluster
        assert_eq!(stmts("seed 1\nset loss 1%\ncluster 7\ntimeout s7").len(), 4);
    }

    #[test]
    fn state_lines() {
        assert_eq!(
            one("state s2 term 6 vote s1 log 1 1 1 4 4 5 5 6 6"),
            Statement::State {
                server: 2,
                term: 6,
                vote: Some(1),
                log: vec![1, 1, 1, 4, 4, 5, 5, 6, 6]
            }
        );
        assert_eq!(
            one("state s1 term 0 log"),
            Statement::State {
                server: 1,
                term: 0,
                vote: None,
                log: vec![]
            }
        );
        assert_eq!(
            one("state s1 term 3 vote s1 log"),
            Statement::State {
                server: 1,
                term: 3,
                vote: Some(1),
                log: vec![]
            }
        );
        fails(
            "state s2 term 6 log 1 4 3",
            1,
            25,
            "less than the term 4 before it",
        );
        fails(
            "state s2 term 3 log 1 4",
            1,
            23,
            "greater than the server's term 3",
        );
        fails(
            "state s2 term 3 log 1 99999999999999999999999",
            1,
            23,
            "greater than the server's term",
        );
        fails("state s2 term 3 log 0 1", 1, 21, "at least 1");
        fails("state s2 term 3 vote s6 log", 1, 22, "s6 does not exist");
        fails(
            "state s2 term 0 vote s1 log",
            1,
            22,
            "a vote needs a term of at least 1",
        );
        fails(
            "state s2 term 3 vote leader log",
            1,
            22,
            "vote takes a server name (s1..s9), not leader",
        );
        fails("state leader term 3 log", 1, 7, "state takes a server name");
        fails("state s7 term 3 log", 1, 7, "s7 does not exist");
        fails("state s2 term 3", 1, 16, "expected \"vote\" or \"log\"");
        fails("state s2 term 3 vote s1", 1, 24, "expected \"log\"");
        fails(
            "state s2 term 3 vote s1 s1 log",
            1,
            25,
            "expected \"log\", found \"s1\"",
        );
        fails("state s2 log 1", 1, 10, "expected \"term\"");
        fails("state s2 term x log", 1, 15, "expected a term");
        fails("state s2 term 1000000001 log", 1, 15, "too large");
        fails(
            "state s2 term 3 log 1 x",
            1,
            23,
            "expected the term of a log entry",
        );
        fails(
            "state s2 term 1 log\nstate s2 term 2 log",
            2,
            7,
            "already given on line 1",
        );
        let max = format!("state s1 term 1 log{}", " 1".repeat(limits::MAX_STATE_LOG));
        assert!(parse(&max).is_ok());
        let over = format!("{max} 1");
        fails(&over, 1, max.chars().count() + 2, "more than 10000 entries");
    }
}
