//! The parser of `.raft` scenario files (see `../shared/scenario-format.md`).
//!
//! [`parse`] turns the text of a file into a [`Scenario`], or reports the first error as a
//! [`ParseError`] (`LINE:COL`, both 1-based, COL in characters, pointing at the offending
//! word; a missing word is reported just after the end of the line's content).
//!
//! Everything that can be checked without running is checked here: syntax, ranges of
//! numbers and durations, server names and whether each named server exists at that line,
//! and the phase rule (set-up lines only before the first `run`). The parser never panics,
//! whatever the input.
//!
//! Decisions where the format leaves room (also listed in the README):
//! - `#` starts a comment anywhere, except inside the quoted caption of a `say` line. The
//!   caption has no escapes: it runs from the first `"` to the next `"`.
//! - Words are separated by spaces and tabs; `\r\n` line ends are accepted, and a leading
//!   byte-order mark is skipped.
//! - Numbers are written `250` or `1.5` (ASCII digits, optionally one `.` followed by
//!   digits); no sign, exponent, `inf` or `nan`. Durations are such a number with an
//!   optional unit `ms` or `s` (bare = ms), rounded to the nearest microsecond (halves
//!   round up). Percentages are such a number with an optional `%`.
//! - `cluster` may come at most once, before every command and `state` line; without it
//!   the file has s1..s5 (no `Cluster` statement is inserted for the default).
//! - `add sK` may leave gaps (`cluster 3` then `add s5`); a removed server keeps its name
//!   and cannot be added again.
//! - `state` may be given at most once per server; its term is at most
//!   [`MAX_STATE_TERM`]; log entries have terms >= 1; a vote needs a term >= 1; the
//!   words come in the order `term T [vote sY] log ...`. A `state` line may only name a
//!   server of the initial cluster (an added server starts empty).
//! - `run until COND within D`: a `log`/`members` condition stops at the word `within`.
//! - `put`'s value may not be `none` (conditions use it for an unset key); keys may be.
//! - Zero durations are accepted for `run`, `within` and `latency`; `election-timeout`'s
//!   minimum, `heartbeat` and `client-timeout` must be > 0. The parser does not compare
//!   the heartbeat with the election timeout.
//! - `cut leader leader` is an error (the same server twice); `cut leader s1` is left to
//!   the runner.

mod command;
mod condition;
mod lex;
mod parser;
mod setup;

use super::ast::*;
use crate::t;
use lex::*;
use parser::Parser;
use setup::{bug, seed, setting};

pub use condition::{kind_word, property_word};
pub use setup::MAX_STATE_TERM;

/// Parses a whole scenario file. The first error wins.
pub fn parse(text: &str) -> Result<Scenario, ParseError> {
    if text.len() > limits::MAX_FILE_BYTES {
        return Err(ParseError {
            line: 1,
            col: 1,
            message: t!(
                "the file is {len} bytes long, more than the limit of {max} bytes",
                len = text.len(),
                max = limits::MAX_FILE_BYTES
            ),
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser::new();
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((kw, zh)) = zh_line(i + 1, raw)? {
            attach_zh(&mut lines, i + 1, raw, kw, zh)?;
            continue;
        }
        if let Some(line) = p.line(i + 1, raw)? {
            lines.push(line);
        }
    }
    Ok(Scenario { lines })
}

/// Parses a duration range alone, with the format's words (`150..300`, `150ms..300ms`,
/// `1s`), for places that take one outside a scenario (URL parameters, the CLI).
pub fn duration_range_text(value: &str) -> Result<DurationRange, String> {
    match parse(&format!("set latency {value}")) {
        Ok(s) => match s.lines.first().map(|l| &l.stmt) {
            Some(Statement::Set(Setting::Latency(r))) => Ok(*r),
            _ => Err(t!(
                "{value} is not a duration range",
                value = format!("{value:?}")
            )),
        },
        Err(e) => Err(e.message.replace("latency", "range")),
    }
}

/// The quoted caption after the first word `kw` of `raw` (`say`, `goal`): its text and
/// the byte of its closing quote. The caption has no escapes and may hold `#`.
fn quoted<'r>(
    n: usize,
    raw: &'r str,
    kw: &str,
    example: &str,
) -> Result<(&'r str, usize), ParseError> {
    let err = |col: usize, message: String| ParseError {
        line: n,
        col,
        message,
    };
    let col_of = |byte: usize| raw[..byte].chars().count() + 1;
    let kw_at = raw.find(kw).unwrap_or(0);
    let mut b = kw_at + kw.len();
    while let Some(ch) = raw[b..].chars().next() {
        if !is_space(ch) {
            break;
        }
        b += ch.len_utf8();
    }
    match raw[b..].chars().next() {
        Some('"') => {}
        None | Some('#') => {
            let end = raw[..b].trim_end_matches(is_space).len();
            return Err(err(
                col_of(end),
                t!(
                    "expected a quoted caption after {kw}, like {example}, found the end of \
                     the line",
                    kw = kw,
                    example = example
                ),
            ));
        }
        Some(_) => {
            let w = raw[b..]
                .split(|ch: char| is_space(ch) || ch == '#')
                .next()
                .unwrap_or("");
            return Err(err(
                col_of(b),
                t!(
                    "the caption must be in double quotes, like {example}, found {word}",
                    example = example,
                    word = q(w)
                ),
            ));
        }
    }
    let open = b;
    let Some(len) = raw[open + 1..].find('"') else {
        return Err(err(
            col_of(open),
            t!("unterminated quote: the caption has no closing \"").to_string(),
        ));
    };
    let close = open + 1 + len;
    let caption = &raw[open + 1..close];
    if caption.len() > limits::MAX_WORD_BYTES {
        return Err(err(
            col_of(open),
            t!(
                "the caption is {len} bytes long, more than the limit of {max} bytes",
                len = caption.len(),
                max = limits::MAX_WORD_BYTES
            ),
        ));
    }
    Ok((caption, close))
}

/// Only a comment may follow the closing quote (byte `close`) of a caption.
fn end_after_caption(n: usize, raw: &str, close: usize) -> Result<(), ParseError> {
    let after = &raw[close + 1..];
    let skip = after.find(|ch: char| !is_space(ch)).unwrap_or(after.len());
    let tail = &after[skip..];
    if !tail.is_empty() && !tail.starts_with('#') {
        let w = tail
            .split(|ch: char| is_space(ch) || ch == '#')
            .next()
            .unwrap_or("");
        return Err(ParseError {
            line: n,
            col: raw[..close + 1 + skip].chars().count() + 1,
            message: format!(
                "unexpected text {} after the closing quote of the caption",
                q(w)
            ),
        });
    }
    Ok(())
}

/// A `say zh "文字"` / `goal zh "文字"` line (an extension: the Chinese of the caption of
/// the `say` / `goal` line right before it): the keyword and the caption. `None` for any
/// other line.
fn zh_line(n: usize, raw: &str) -> Result<Option<(&'static str, &str)>, ParseError> {
    let rest = raw.trim_start_matches(is_space);
    let Some(kw) = ["say", "goal"].into_iter().find(|k| rest.starts_with(k)) else {
        return Ok(None);
    };
    let after = &rest[kw.len()..];
    let word = after.trim_start_matches(is_space);
    let is_zh = word.len() < after.len()
        && word.strip_prefix("zh").is_some_and(|t| {
            t.chars()
                .next()
                .is_none_or(|ch| is_space(ch) || ch == '"' || ch == '#')
        });
    if !is_zh {
        return Ok(None);
    }
    let example = if kw == "say" {
        "say zh \"文字\""
    } else {
        "goal zh \"文字\""
    };
    let (caption, close) = quoted(n, raw, "zh", example)?;
    end_after_caption(n, raw, close)?;
    Ok(Some((kw, caption)))
}

/// Gives the `say` / `goal` line right before line `n` (blank and comment lines aside)
/// its Chinese caption `zh`; an error when that line is not one, or has it already.
fn attach_zh(
    lines: &mut [Line],
    n: usize,
    raw: &str,
    kw: &str,
    zh: &str,
) -> Result<(), ParseError> {
    let slot = match lines.last_mut().map(|l| &mut l.stmt) {
        Some(Statement::Say(c)) if kw == "say" => Some(c),
        Some(Statement::Goal { caption, .. }) if kw == "goal" => Some(caption),
        _ => None,
    };
    match slot {
        Some(c) if c.zh.is_none() => {
            c.zh = Some(zh.to_string());
            Ok(())
        }
        _ => Err(ParseError {
            line: n,
            col: raw.len() - raw.trim_start_matches(is_space).len() + 1,
            message: crate::t!(
                "{kw} zh gives the Chinese of the caption of the {kw} line right before it: one {kw} zh after each {kw} line",
                kw = kw
            ),
        }),
    }
}

impl Parser {
    /// Parses one line; `None` for a blank or comment-only line.
    fn line(&mut self, n: usize, raw: &str) -> Result<Option<Line>, ParseError> {
        // The first word ends at a space or a `#`.
        let start = raw.find(|ch: char| !is_space(ch)).unwrap_or(raw.len());
        let rest = &raw[start..];
        let first_end = rest
            .find(|ch: char| is_space(ch) || ch == '#')
            .unwrap_or(rest.len());
        if first_end == 0 {
            return Ok(None); // blank or comment only
        }
        match &rest[..first_end] {
            "say" => return self.say(n, raw).map(Some),
            "goal" => return self.goal(n, raw).map(Some),
            _ => {}
        }
        let content = match raw.find('#') {
            Some(h) => &raw[..h],
            None => raw,
        };
        let trimmed_end = content.trim_end_matches(is_space);
        let mut c = Cur {
            line: n,
            words: split_words(content, 1),
            i: 0,
            end_col: trimmed_end.chars().count() + 1,
        };
        let stmt = self.statement(&mut c)?;
        c.finish()?;
        Ok(Some(Line {
            line: n,
            stmt,
            text: content.trim_matches(is_space).to_string(),
        }))
    }

    /// `say "text"`: the caption may hold `#`; only a comment may follow it.
    fn say(&mut self, n: usize, raw: &str) -> Result<Line, ParseError> {
        self.use_servers(n);
        let (caption, close) = quoted(n, raw, "say", "say \"text\"")?;
        end_after_caption(n, raw, close)?;
        Ok(Line {
            line: n,
            stmt: Statement::Say(caption.into()),
            text: raw[..=close].trim_matches(is_space).to_string(),
        })
    }

    /// `goal "text" CONDITION [and CONDITION]... [for DURATION]` (an extension): a
    /// challenge's goal. The caption may hold `#`; after it, a comment ends the line.
    fn goal(&mut self, n: usize, raw: &str) -> Result<Line, ParseError> {
        self.use_servers(n);
        let (caption, close) = quoted(n, raw, "goal", "goal \"text\" leader s3")?;
        let rest = &raw[close + 1..];
        let content = match rest.find('#') {
            Some(h) => &rest[..h],
            None => rest,
        };
        let first_col = raw[..close + 1].chars().count() + 1;
        let trimmed_end = raw[..close + 1 + content.len()].trim_end_matches(is_space);
        let mut c = Cur {
            line: n,
            words: split_words(content, first_col),
            i: 0,
            end_col: trimmed_end.chars().count() + 1,
        };
        const STOP: &[&str] = &["and", "for"];
        let mut conds = vec![self.condition(&mut c, STOP)?];
        while c.peek().is_some_and(|w| w.text == "and") {
            c.i += 1;
            conds.push(self.condition(&mut c, STOP)?);
        }
        let mut hold = 0;
        if c.peek().is_some_and(|w| w.text == "for") {
            c.i += 1;
            let d = c.next(t!("a duration after for (like for 3s)"))?;
            hold = duration(&c, d)?;
        }
        c.finish()?;
        Ok(Line {
            line: n,
            stmt: Statement::Goal {
                caption: caption.into(),
                conds,
                hold,
            },
            text: trimmed_end.trim_start_matches(is_space).to_string(),
        })
    }

    fn statement(&mut self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        let w = c.next(t!("a command"))?;
        match w.text {
            // A planted bug, on from this line to the end of the run (any time).
            "bug" => bug(c),
            "cluster" | "seed" | "set" | "state" => {
                if let Some(t) = self.time_line {
                    let label = match (w.text, c.peek()) {
                        ("set", Some(s)) => format!("set {}", short(s.text)),
                        (k, _) => k.to_string(),
                    };
                    return Err(c.at(
                        w,
                        t!(
                            "set-up line {label} after time has passed (line {line} ran time)",
                            label = format!("{label:?}"),
                            line = t
                        ),
                    ));
                }
                match w.text {
                    "cluster" => self.cluster(c, w),
                    "seed" => seed(c),
                    "set" => setting(c).map(Statement::Set),
                    _ => self.state(c),
                }
            }
            _ => {
                self.use_servers(c.line);
                self.command(c, w)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(super) fn stmts(text: &str) -> Vec<Statement> {
        match parse(text) {
            Ok(s) => s.lines.into_iter().map(|l| l.stmt).collect(),
            Err(e) => panic!("unexpected error {e} in {text:?}"),
        }
    }

    pub(super) fn one(text: &str) -> Statement {
        let mut v = stmts(text);
        assert_eq!(v.len(), 1, "{text:?}");
        v.pop().unwrap()
    }

    #[track_caller]
    pub(super) fn fails(text: &str, line: usize, col: usize, msg: &str) {
        match parse(text) {
            Ok(s) => panic!("{text:?} parsed: {s:?}"),
            Err(e) => {
                assert!(
                    e.message.contains(msg),
                    "{text:?}: message {:?} lacks {msg:?}",
                    e.message
                );
                assert_eq!((e.line, e.col), (line, col), "{text:?}: {e}");
            }
        }
    }

    pub(super) fn setting(text: &str) -> Setting {
        match one(text) {
            Statement::Set(s) => s,
            other => panic!("{other:?}"),
        }
    }

    pub(super) fn cond(text: &str) -> Condition {
        match one(&format!("expect {text}")) {
            Statement::Expect(c) => c,
            other => panic!("{other:?}"),
        }
    }

    const EXAMPLES: [(&str, &str); 5] = [
        (
            "basic-election",
            include_str!("../../../scenarios/basic-election.raft"),
        ),
        (
            "leader-crash",
            include_str!("../../../scenarios/leader-crash.raft"),
        ),
        (
            "partition",
            include_str!("../../../scenarios/partition.raft"),
        ),
        (
            "replication",
            include_str!("../../../scenarios/replication.raft"),
        ),
        (
            "tour-election",
            include_str!("../../../scenarios/tour-election.raft"),
        ),
    ];

    #[test]
    fn examples_parse() {
        for (name, text) in EXAMPLES {
            let s = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!s.lines.is_empty(), "{name}");
            for l in &s.lines {
                assert!(!l.text.is_empty() && !l.text.contains('#'), "{name}: {l:?}");
            }
        }
        let s = parse(EXAMPLES[0].1).unwrap();
        assert_eq!(s.lines[0].line, 3);
        assert_eq!(s.lines[0].stmt, Statement::Cluster(3));
        assert_eq!(
            s.lines[1].stmt,
            Statement::Set(Setting::ElectionTimeout(DurationRange {
                min: 1_000_000,
                max: 2_000_000
            }))
        );
        assert_eq!(
            s.lines[3].stmt,
            Statement::RunUntil {
                cond: Condition::Leader(LeaderCond::Server(1)),
                within: 200_000
            }
        );
        assert_eq!(
            s.lines[4].stmt,
            Statement::Expect(Condition::Term(ServerRef::Id(1), Cmp::Eq(1)))
        );
        let p = parse(EXAMPLES[2].1).unwrap();
        assert!(p
            .lines
            .iter()
            .any(|l| l.stmt == Statement::Partition(vec![vec![1, 2], vec![3, 4, 5]])));
        let t = parse(EXAMPLES[4].1).unwrap();
        assert_eq!(
            t.lines[2].stmt,
            Statement::Say(
                "Five servers start as followers. Each waits for a random election timeout.".into()
            )
        );
    }

    #[test]
    fn empty_and_comments() {
        assert_eq!(parse("").unwrap().lines, vec![]);
        assert_eq!(
            parse("\n\n  \t \n# only a comment\n   # another\r\n")
                .unwrap()
                .lines,
            vec![]
        );
        assert_eq!(parse("\u{feff}# bom\n").unwrap().lines, vec![]);
    }

    #[test]
    fn comments_text_and_crlf() {
        let s = parse("cluster 3 # three\r\n\r\n  heal\t# all links\r\nput x a#b\n").unwrap();
        assert_eq!(s.lines.len(), 3);
        assert_eq!(
            (s.lines[0].line, s.lines[0].text.as_str()),
            (1, "cluster 3")
        );
        assert_eq!((s.lines[1].line, s.lines[1].text.as_str()), (3, "heal"));
        assert_eq!(s.lines[2].stmt, Statement::Put("x".into(), "a".into()));
        assert_eq!(s.lines[2].text, "put x a");
        fails("cluster#3", 1, 8, "expected the number of servers");
    }

    #[test]
    fn say_zh_gives_the_chinese_of_the_say_before_it() {
        let s = parse(
            "say \"Hello # there\"\n  say zh \"你好 # 那里\"  # a comment\n\n# between\nsay \"only English\"\n\
             goal \"s1 leads\" leader s1\ngoal\tzh\t\"s1 成为领导者\"\nsay \"zh\"\nsay zh \"\"\n",
        )
        .unwrap();
        let caption = |en: &str, zh: Option<&str>| Caption {
            en: en.into(),
            zh: zh.map(String::from),
        };
        assert_eq!(s.lines.len(), 4, "the zh lines attach: {s:?}");
        assert_eq!(
            s.lines[0].stmt,
            Statement::Say(caption("Hello # there", Some("你好 # 那里")))
        );
        assert_eq!(
            s.lines[0].text, "say \"Hello # there\"",
            "its own line only"
        );
        assert_eq!(
            (s.lines[1].line, &s.lines[1].stmt),
            (5, &Statement::Say("only English".into()))
        );
        match &s.lines[2].stmt {
            Statement::Goal { caption: c, .. } => {
                assert_eq!(c, &caption("s1 leads", Some("s1 成为领导者")))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.lines[2].text, "goal \"s1 leads\" leader s1");
        assert_eq!(s.lines[3].stmt, Statement::Say(caption("zh", Some(""))));
        // A `say zh` without its `say` right before it names the line.
        let orphan = "say zh gives the Chinese of the caption of the say line right before it: \
                      one say zh after each say line";
        fails("say zh \"你好\"", 1, 1, orphan);
        fails("say \"a\"\nheal\n  say zh \"甲\"", 3, 3, orphan);
        fails("goal \"a\" leader s1\nsay zh \"甲\"", 2, 1, orphan);
        fails(
            "say \"a\"\ngoal zh \"甲\"",
            2,
            1,
            "one goal zh after each goal line",
        );
        fails("say \"a\"\nsay zh \"甲\"\nsay zh \"乙\"", 3, 1, orphan);
        fails(
            "say \"a\"\nsay zh",
            2,
            7,
            "expected a quoted caption after zh",
        );
        fails("say \"a\"\nsay zh 甲", 2, 8, "double quotes");
        fails("say \"a\"\nsay zh \"甲\" b", 2, 12, "unexpected text \"b\"");
        // `zh` as the start of a longer word is not the extension.
        fails("say zhx", 1, 5, "double quotes");
    }

    #[test]
    fn say() {
        let s = parse("  say \"a # not a comment\"   # a comment\nsay \"\"\nsay\t\"ünï\"").unwrap();
        assert_eq!(s.lines[0].stmt, Statement::Say("a # not a comment".into()));
        assert_eq!(s.lines[0].text, "say \"a # not a comment\"");
        assert_eq!(s.lines[1].stmt, Statement::Say(String::new().into()));
        assert_eq!(s.lines[2].stmt, Statement::Say("ünï".into()));
        fails("say \"oops", 1, 5, "unterminated quote");
        fails("say", 1, 4, "expected a quoted caption");
        fails("say   # nothing", 1, 4, "expected a quoted caption");
        fails("say hello", 1, 5, "double quotes");
        fails("say \"a\" b", 1, 9, "unexpected text \"b\"");
        fails("say \"a\"b", 1, 8, "unexpected text");
        fails("ü say \"x\"", 1, 1, "unknown command \"ü\"");
        let long = format!("say \"{}\"", "a".repeat(limits::MAX_WORD_BYTES + 1));
        fails(&long, 1, 5, "more than the limit");
    }

    #[test]
    fn default_cluster_is_five() {
        assert_eq!(one("crash s5"), Statement::Crash(ServerRef::Id(5)));
        fails(
            "crash s6",
            1,
            7,
            "s6 does not exist (the cluster has s1..s5)",
        );
        fails(
            "cluster 3\ncrash s4",
            2,
            7,
            "s4 does not exist (the cluster has s1..s3)",
        );
        fails("cluster 1\nexpect leader s2", 2, 15, "(the cluster has s1)");
    }

    #[test]
    fn setup_after_time() {
        fails(
            "cluster 3\n\nheal\nrun 1s\nset loss 5%",
            5,
            1,
            "set-up line \"set loss\" after time has passed (line 4 ran time)",
        );
        fails(
            "run until leader any\nseed 1",
            2,
            1,
            "set-up line \"seed\" after time has passed (line 1 ran time)",
        );
        fails("run 1s\nstate s1 term 1 log", 2, 1, "set-up line \"state\"");
        fails("run 1s\ncluster 3", 2, 1, "set-up line \"cluster\"");
        fails("run 1s\nset", 2, 1, "set-up line \"set\"");
        // other commands before time passes are fine
        assert_eq!(
            stmts("crash s1\nset loss 1%\nstate s2 term 1 log 1\nrun 1s").len(),
            4
        );
    }

    #[test]
    fn file_too_large() {
        let big = "#".repeat(limits::MAX_FILE_BYTES + 1);
        fails(&big, 1, 1, "more than the limit");
        let ok = "#".repeat(limits::MAX_FILE_BYTES);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn display() {
        let e = parse("heal\n\ncluster 0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "3:1: error: cluster must come before every command and state line (line 1 is one)"
        );
    }

    /// In Chinese (the page with `lang=zh`), the messages come from the catalog, with
    /// the keywords, examples and the user's words as they were; the place is the same.
    #[test]
    fn messages_in_chinese() {
        use crate::text::{set_lang, Lang};
        crate::text::load_zh_from_sources();
        set_lang(Lang::Zh);
        let msg = |text: &str| {
            let e = parse(text).unwrap_err();
            (e.line, e.col, e.message)
        };
        let got = [
            msg("set prevote maybe"),
            msg("crash s6"),
            msg("run"),
            msg("set loss 150%"),
            msg("frobnicate"),
            msg("bug direct-switch"),
        ];
        set_lang(Lang::En);
        assert_eq!(
            got[0],
            (1, 13, "prevote 之后应为 on 或 off，实际为 \"maybe\"".into())
        );
        assert_eq!(got[1], (1, 7, "s6 不存在（集群中有 s1..s5）".into()));
        assert_eq!(
            got[2],
            (1, 4, "应为时长或 until（位于 run 之后），但已到行尾".into())
        );
        assert_eq!(got[3], (1, 10, "loss 150% 超出范围 0%..100%".into()));
        assert!(
            got[4]
                .2
                .starts_with("未知命令 \"frobnicate\"（应为以下之一：run, expect, "),
            "{:?}",
            got[4]
        );
        assert!(
            got[5]
                .2
                .starts_with("未知缺陷 \"direct-switch\"（已知的有：commit-old-term, "),
            "{:?}",
            got[5]
        );
        // English again afterwards.
        assert_eq!(
            parse("set prevote maybe").unwrap_err().message,
            "expected on or off after prevote, found \"maybe\""
        );
    }

    // ---------------------------------------------------------------- property tests

    const TOKENS: &[&str] = &[
        "run",
        "until",
        "within",
        "expect",
        "timeout",
        "crash",
        "restart",
        "partition",
        "cut",
        "isolate",
        "heal",
        "put",
        "get",
        "add",
        "remove",
        "transfer",
        "compact",
        "say",
        "pause",
        "cluster",
        "seed",
        "set",
        "state",
        "term",
        "vote",
        "log",
        "leader",
        "any",
        "none",
        "role",
        "commit",
        "value",
        "read",
        "members",
        "follower",
        "candidate",
        "election-timeout",
        "heartbeat",
        "latency",
        "loss",
        "duplicate",
        "prevote",
        "check-quorum",
        "client-timeout",
        "snapshot-factor",
        "max-entries",
        "max-inflight",
        "retry-timeout",
        "on",
        "off",
        "s0",
        "s1",
        "s2",
        "s3",
        "s5",
        "s6",
        "s9",
        "s10",
        "S1",
        "|",
        "s1|s2",
        "|s3",
        ">=",
        ">=2",
        "_",
        "0",
        "1",
        "2",
        "9",
        "10",
        "1.5",
        "250ms",
        "2s",
        "1.5s",
        "150ms..300ms",
        "1..",
        "..",
        "5%",
        "150%",
        "-1",
        "1e400",
        "99999999999999999999",
        "\"",
        "\"hi\"",
        "#",
        "# c",
        "x",
        "ü",
        "\u{1F600}",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "",
    ];

    fn token_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                prop::sample::select(TOKENS),
                prop::sample::select(&[" ", " ", "\n", "", "\t"][..]),
            ),
            0..40,
        )
        .prop_map(|v| v.into_iter().flat_map(|(a, b)| [a, b]).collect())
    }

    fn check_invariants(text: &str) {
        match parse(text) {
            Ok(s) => {
                let mut last = 0;
                for l in &s.lines {
                    assert!(l.line > last);
                    last = l.line;
                    assert!(!l.text.is_empty());
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.col >= 1, "{e}");
                assert!(!e.message.is_empty());
                let line = text.split('\n').nth(e.line - 1).expect("error line exists");
                assert!(e.col <= line.chars().count() + 1, "{e} for line {line:?}");
            }
        }
    }

    // A valid file, built from statements and rendered to text.

    fn stmt_text(s: &Statement) -> String {
        // The printer (print.rs) writes statements back as scenario text.
        s.to_string()
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(&["x", "y", "key1", "a-b", "ü", "none", "within", "3", "_"][..])
            .prop_map(String::from)
    }

    fn value() -> impl Strategy<Value = String> {
        prop::sample::select(&["1", "2", "hello", "x_y", "ñ", "nonee", "leader"][..])
            .prop_map(String::from)
    }

    fn dur(max: Micros) -> impl Strategy<Value = Micros> {
        prop_oneof![0..=max, (0..=max / 1000).prop_map(|ms| ms * 1000)]
    }

    fn range(min_lo: Micros) -> impl Strategy<Value = DurationRange> {
        (min_lo..=2_000_000u64, 0..=2_000_000u64)
            .prop_map(|(a, d)| DurationRange { min: a, max: a + d })
    }

    fn pct() -> impl Strategy<Value = f64> {
        (0..=1000u32).prop_map(|k| f64::from(k) / 10.0)
    }

    fn setting_strat() -> impl Strategy<Value = Setting> {
        prop_oneof![
            range(1).prop_map(Setting::ElectionTimeout),
            (1..=limits::MAX_DURATION).prop_map(Setting::Heartbeat),
            range(0).prop_map(Setting::Latency),
            pct().prop_map(Setting::Loss),
            pct().prop_map(Setting::Duplicate),
            any::<bool>().prop_map(Setting::Prevote),
            any::<bool>().prop_map(Setting::CheckQuorum),
            (1..=limits::MAX_DURATION).prop_map(Setting::ClientTimeout),
            prop::option::of(1..=1000u32).prop_map(Setting::SnapshotFactor),
            (1..=1000u32).prop_map(Setting::MaxEntries),
            (1..=1000u32).prop_map(Setting::MaxInflight),
            (1..=limits::MAX_DURATION).prop_map(Setting::RetryTimeout),
        ]
    }

    fn sref(n: u8) -> impl Strategy<Value = ServerRef> {
        prop_oneof![(1..=n).prop_map(ServerRef::Id), Just(ServerRef::Leader)]
    }

    fn cmp_strat() -> impl Strategy<Value = Cmp> {
        prop_oneof![
            any::<u64>().prop_map(Cmp::Eq),
            any::<u64>().prop_map(Cmp::AtLeast)
        ]
    }

    fn cond_strat(n: u8) -> impl Strategy<Value = Condition> {
        let ids: Vec<u8> = (1..=n).collect();
        let role = prop::sample::select(vec![
            RoleName::Follower,
            RoleName::PreCandidate,
            RoleName::Candidate,
            RoleName::Leader,
            RoleName::Crashed,
            RoleName::Removed,
        ]);
        prop_oneof![
            prop_oneof![
                (1..=n).prop_map(LeaderCond::Server),
                Just(LeaderCond::Any),
                Just(LeaderCond::None)
            ]
            .prop_map(Condition::Leader),
            (sref(n), role).prop_map(|(s, r)| Condition::Role(s, r)),
            (sref(n), cmp_strat()).prop_map(|(s, c)| Condition::Term(s, c)),
            (sref(n), cmp_strat()).prop_map(|(s, c)| Condition::Commit(s, c)),
            (
                sref(n),
                prop::collection::vec(prop::option::of(0..100u64), 0..8)
            )
                .prop_map(|(s, l)| Condition::Log(s, l)),
            (sref(n), word(), prop::option::of(value()))
                .prop_map(|(s, k, v)| Condition::Value(s, k, v)),
            (word(), prop::option::of(value())).prop_map(|(k, v)| Condition::Read(k, v)),
            prop::sample::subsequence(ids.clone(), 1..=ids.len())
                .prop_shuffle()
                .prop_map(Condition::Members),
        ]
    }

    fn command_strat(n: u8) -> impl Strategy<Value = Statement> {
        let ids: Vec<u8> = (1..=n).collect();
        let partition = (
            prop::sample::subsequence(ids.clone(), 1..=ids.len()).prop_shuffle(),
            prop::collection::vec(any::<bool>(), 9),
        )
            .prop_map(|(ids, cuts)| {
                let mut groups = vec![vec![]];
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 && cuts[i] {
                        groups.push(vec![]);
                    }
                    groups.last_mut().unwrap().push(*id);
                }
                Statement::Partition(groups)
            });
        prop_oneof![
            dur(limits::MAX_DURATION).prop_map(Statement::Run),
            (cond_strat(n), dur(limits::MAX_DURATION))
                .prop_map(|(cond, within)| Statement::RunUntil { cond, within }),
            cond_strat(n).prop_map(Statement::Expect),
            sref(n).prop_map(Statement::Timeout),
            sref(n).prop_map(Statement::Crash),
            sref(n).prop_map(Statement::Restart),
            partition,
            (sref(n), sref(n))
                .prop_filter("distinct", |(a, b)| a != b)
                .prop_map(|(a, b)| Statement::Cut(a, b)),
            sref(n).prop_map(Statement::Isolate),
            Just(Statement::Heal),
            (word(), value()).prop_map(|(k, v)| Statement::Put(k, v)),
            word().prop_map(Statement::Get),
            sref(n).prop_map(Statement::Remove),
            sref(n).prop_map(Statement::Transfer),
            sref(n).prop_map(Statement::Compact),
            prop::sample::select(&["", "hi # there", "Ünïcode… text", "  spaced  "][..])
                .prop_map(|t| Statement::Say(t.into())),
            Just(Statement::Pause),
        ]
    }

    fn state_strat(id: u8, n: u8) -> impl Strategy<Value = Statement> {
        (
            1..50u64,
            prop::option::of(1..=n),
            prop::collection::vec(1..50u64, 0..10),
        )
            .prop_map(move |(term, vote, mut log)| {
                log.retain(|t| *t <= term);
                log.sort_unstable();
                Statement::State {
                    server: id,
                    term,
                    vote,
                    log,
                }
            })
    }

    fn valid_file() -> impl Strategy<Value = Vec<Statement>> {
        (prop::option::of(1..=9u8), prop::option::of(any::<u64>()))
            .prop_flat_map(|(cluster, seed)| {
                let n = cluster.unwrap_or(5);
                let ids: Vec<u8> = (1..=n).collect();
                let states = prop::sample::subsequence(ids.clone(), 0..=ids.len()).prop_flat_map(
                    move |ids| {
                        ids.into_iter()
                            .map(|id| state_strat(id, n))
                            .collect::<Vec<_>>()
                    },
                );
                (
                    Just(cluster),
                    Just(seed),
                    prop::collection::vec(setting_strat(), 0..5),
                    states,
                    any::<bool>(),
                    prop::collection::vec(command_strat(n), 0..25),
                )
            })
            .prop_map(|(cluster, seed, sets, states, add, cmds)| {
                let mut v = Vec::new();
                v.extend(seed.map(Statement::Seed));
                v.extend(cluster.map(Statement::Cluster));
                v.extend(sets.into_iter().map(Statement::Set));
                v.extend(states);
                let n = cluster.unwrap_or(5);
                if add && n < 9 {
                    v.push(Statement::Add(n + 1));
                    v.push(Statement::Crash(ServerRef::Id(n + 1)));
                }
                v.extend(cmds);
                v
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_on_strings(s in any::<String>()) {
            check_invariants(&s);
        }

        #[test]
        fn never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..300)) {
            check_invariants(&String::from_utf8_lossy(&b));
        }

        #[test]
        fn never_panics_on_token_soup(s in token_soup()) {
            check_invariants(&s);
        }

        #[test]
        fn never_panics_on_command_lines(
            head in prop::sample::select(&["run", "expect", "run until", "set", "state s1 term 3",
                "partition", "say", "cut", "add", "put", "cluster", "expect log s1"][..]),
            s in token_soup(),
        ) {
            check_invariants(&format!("{head} {s}"));
        }

        #[test]
        fn valid_files_round_trip(stmts in valid_file(), comments in any::<bool>(), crlf in any::<bool>()) {
            let mut text = String::from("# generated\n\n");
            for s in &stmts {
                text.push_str("  ");
                text.push_str(&stmt_text(s));
                if comments {
                    text.push_str("  # note \"quoted\" | s0");
                }
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let got: Vec<Statement> = parsed.lines.iter().map(|l| l.stmt.clone()).collect();
            prop_assert_eq!(&got, &stmts);
            for (i, l) in parsed.lines.iter().enumerate() {
                prop_assert_eq!(l.line, i + 3);
                let want = stmt_text(&stmts[i]);
                prop_assert_eq!(l.text.as_str(), want.trim());
            }
        }
    }
}
