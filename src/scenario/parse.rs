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

use super::ast::*;
use crate::raft::types::{ServerId, Term};

/// The largest term a `state` line may give (keeps the runner's term arithmetic far from
/// overflow).
pub const MAX_STATE_TERM: Term = 1_000_000_000;

const COMMANDS: &str = "run, expect, timeout, crash, restart, partition, cut, isolate, \
heal, put, get, add, remove, transfer, compact, say, pause, cluster, seed, set, state, \
change, mend, drop, duplicate";
const CONDITIONS: &str = "leader, role, term, commit, log, value, read, members";
const SETTINGS: &str = "election-timeout, heartbeat, latency, loss, duplicate, prevote, \
check-quorum, client-timeout, snapshot-factor";
const ROLES: &str = "follower, precandidate, candidate, leader, crashed, removed";
const DURATION_HINT: &str = "like 250ms, 1.5s or 2s; a bare number is milliseconds";

/// Parses a whole scenario file. The first error wins.
pub fn parse(text: &str) -> Result<Scenario, ParseError> {
    if text.len() > limits::MAX_FILE_BYTES {
        return Err(ParseError {
            line: 1,
            col: 1,
            message: format!(
                "the file is {} bytes long, more than the limit of {} bytes",
                text.len(),
                limits::MAX_FILE_BYTES
            ),
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser::new();
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
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
            _ => Err(format!("{value:?} is not a duration range")),
        },
        Err(e) => Err(e.message.replace("latency", "range")),
    }
}

// ---------------------------------------------------------------------------------------
// Words and the cursor over one line
// ---------------------------------------------------------------------------------------

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\r'
}

/// A word of a line and its 1-based column in characters.
#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    text: &'a str,
    col: usize,
}

impl<'a> Word<'a> {
    /// The part of this word from byte `at` on (at a char boundary), with its column.
    fn tail(&self, at: usize) -> Word<'a> {
        Word {
            text: &self.text[at..],
            col: self.col + self.text[..at].chars().count(),
        }
    }
    fn head(&self, at: usize) -> Word<'a> {
        Word {
            text: &self.text[..at],
            col: self.col,
        }
    }
}

/// Splits `s` (no comment) into words; `first_col` is the column of `s`'s first char.
fn split_words(s: &str, first_col: usize) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, col)
    for (col, (b, ch)) in (first_col..).zip(s.char_indices()) {
        if is_space(ch) {
            if let Some((sb, sc)) = start.take() {
                words.push(Word {
                    text: &s[sb..b],
                    col: sc,
                });
            }
        } else if start.is_none() {
            start = Some((b, col));
        }
    }
    if let Some((sb, sc)) = start {
        words.push(Word {
            text: &s[sb..],
            col: sc,
        });
    }
    words
}

/// Quotes a word for a message (escaped, and shortened when long).
fn q(s: &str) -> String {
    format!("{:?}", short(s))
}

/// Shortens text for a message.
fn short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

struct Cur<'a> {
    line: usize,
    words: Vec<Word<'a>>,
    i: usize,
    /// The column just after the line's content (where a missing word is reported).
    end_col: usize,
}

impl<'a> Cur<'a> {
    fn err(&self, col: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            col,
            message: message.into(),
        }
    }
    fn at(&self, w: Word<'_>, message: impl Into<String>) -> ParseError {
        self.err(w.col, message)
    }
    fn peek(&self) -> Option<Word<'a>> {
        self.words.get(self.i).copied()
    }
    /// The next word; `what` names what was expected if the line ends here.
    fn next(&mut self, what: &str) -> Result<Word<'a>, ParseError> {
        match self.peek() {
            Some(w) => {
                self.i += 1;
                Ok(w)
            }
            None => Err(self.err(
                self.end_col,
                format!("expected {what}, found the end of the line"),
            )),
        }
    }
    fn finish(&self) -> Result<(), ParseError> {
        match self.peek() {
            Some(w) => Err(self.at(
                w,
                format!(
                    "unexpected word {} (the line is complete without it)",
                    q(w.text)
                ),
            )),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Numbers, durations, percentages
// ---------------------------------------------------------------------------------------

enum Int {
    Bad,
    TooBig,
    Ok(u64),
}

fn int(s: &str) -> Int {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Int::Bad;
    }
    match s.parse::<u64>() {
        Ok(v) => Int::Ok(v),
        Err(_) => Int::TooBig,
    }
}

/// `D+` or `D+.D+`: the integer and fraction digits.
fn decimal(s: &str) -> Option<(&str, &str)> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((i, f)) => (digits(i) && digits(f)).then_some((i, f)),
        None => digits(s).then_some((s, "")),
    }
}

/// A number `D+(.D+)?` times `unit` microseconds, rounded to the nearest microsecond
/// (halves up). `None` if it is absurdly large.
fn scaled(i: &str, f: &str, unit: u128) -> Option<u128> {
    let i = i.trim_start_matches('0');
    if i.len() > 20 {
        return None;
    }
    let iv: u128 = if i.is_empty() { 0 } else { i.parse().ok()? };
    // Nine fraction digits are exact for rounding to 1 µs with units up to 1 s.
    let fb = f.as_bytes();
    let mut fv: u128 = 0;
    for k in 0..9 {
        fv = fv * 10 + fb.get(k).map_or(0, |b| u128::from(b - b'0'));
    }
    Some(iv * unit + (fv * unit + 500_000_000) / 1_000_000_000)
}

fn duration(c: &Cur<'_>, w: Word<'_>) -> Result<Micros, ParseError> {
    let s = w.text;
    if s.contains("..") {
        return Err(c.at(
            w,
            format!("expected one duration here, not a range ({})", q(s)),
        ));
    }
    if s.starts_with('-') {
        return Err(c.at(w, format!("a duration cannot be negative ({})", q(s))));
    }
    let (num, unit) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1_000u128)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000_000u128)
    } else {
        (s, 1_000u128)
    };
    let Some((i, f)) = decimal(num) else {
        return Err(c.at(
            w,
            format!("expected a duration ({DURATION_HINT}), found {}", q(s)),
        ));
    };
    match scaled(i, f, unit) {
        Some(us) if us <= u128::from(limits::MAX_DURATION) => Ok(us as Micros),
        _ => Err(c.at(
            w,
            format!(
                "duration {} is longer than the limit of 1 hour (3600s)",
                q(s)
            ),
        )),
    }
}

fn duration_range(c: &Cur<'_>, w: Word<'_>) -> Result<DurationRange, ParseError> {
    match w.text.find("..") {
        None => {
            let d = duration(c, w)?;
            Ok(DurationRange { min: d, max: d })
        }
        Some(at) => {
            let lo = w.head(at);
            let hi = w.tail(at + 2);
            if lo.text.is_empty() {
                return Err(c.at(
                    w,
                    format!(
                        "the range {} lacks its lower end (like 150ms..300ms)",
                        q(w.text)
                    ),
                ));
            }
            if hi.text.is_empty() {
                return Err(c.at(
                    w,
                    format!(
                        "the range {} lacks its upper end (like 150ms..300ms)",
                        q(w.text)
                    ),
                ));
            }
            let min = duration(c, lo)?;
            let max = duration(c, hi)?;
            if min > max {
                return Err(c.at(
                    w,
                    format!(
                        "the range {} is empty: its lower end is greater than its upper end",
                        q(w.text)
                    ),
                ));
            }
            Ok(DurationRange { min, max })
        }
    }
}

fn percent(c: &Cur<'_>, w: Word<'_>, what: &str) -> Result<f64, ParseError> {
    let num = w.text.strip_suffix('%').unwrap_or(w.text);
    if decimal(num).is_none() {
        return Err(c.at(
            w,
            format!(
                "expected a percentage for {what} (like 5% or 0.5%), found {}",
                q(w.text)
            ),
        ));
    }
    match crate::sim::decimal::parse(num) {
        Some(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(c.at(
            w,
            format!("{what} {}% is out of range 0%..100%", short(num)),
        )),
    }
}

fn on_off(c: &Cur<'_>, w: Word<'_>, what: &str) -> Result<bool, ParseError> {
    match w.text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(c.at(
            w,
            format!("expected on or off after {what}, found {}", q(w.text)),
        )),
    }
}

/// A key or value word of the key-value store.
fn kv_word<'a>(c: &Cur<'_>, w: Word<'a>, what: &str) -> Result<&'a str, ParseError> {
    if w.text.len() > limits::MAX_WORD_BYTES {
        return Err(c.at(
            w,
            format!(
                "the {what} is {} bytes long, more than the limit of {} bytes",
                w.text.len(),
                limits::MAX_WORD_BYTES
            ),
        ));
    }
    Ok(w.text)
}

/// `s1`..`s9` (syntax only).
fn server_name(s: &str) -> Option<ServerId> {
    match s.as_bytes() {
        [b's', d @ b'1'..=b'9'] => Some(d - b'0'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// The parser's state across lines
// ---------------------------------------------------------------------------------------

struct Parser {
    /// `exists[k]`: sk exists at the current line (index 0 unused).
    exists: [bool; 10],
    count: u8,
    /// Size of the initial cluster (servers a `state` line may describe).
    initial: u8,
    cluster_line: Option<usize>,
    /// The first command or `state` line (after it, the set of servers from `cluster`
    /// is fixed).
    first_use_line: Option<usize>,
    /// The first line that lets time pass (`run`).
    time_line: Option<usize>,
    state_lines: [Option<usize>; 10],
}

impl Parser {
    fn new() -> Parser {
        Parser {
            exists: [false; 10],
            count: 0,
            initial: 0,
            cluster_line: None,
            first_use_line: None,
            time_line: None,
            state_lines: [None; 10],
        }
    }

    fn create_cluster(&mut self, n: u8) {
        for k in 1..=n {
            self.exists[usize::from(k)] = true;
        }
        self.count = n;
        self.initial = n;
    }

    /// Called at every command and `state` line: fixes the cluster (default 5).
    fn use_servers(&mut self, line: usize) {
        if self.first_use_line.is_none() {
            self.first_use_line = Some(line);
            if self.cluster_line.is_none() {
                self.create_cluster(5);
            }
        }
    }

    /// The servers that exist, compactly: `s1..s5, s7`.
    fn describe_servers(&self) -> String {
        let mut parts = Vec::new();
        let mut k = 1usize;
        while k <= 9 {
            if self.exists[k] {
                let start = k;
                while k < 9 && self.exists[k + 1] {
                    k += 1;
                }
                parts.push(if start == k {
                    format!("s{k}")
                } else {
                    format!("s{start}..s{k}")
                });
            }
            k += 1;
        }
        if parts.is_empty() {
            "no servers".to_string()
        } else {
            parts.join(", ")
        }
    }

    fn check_exists(&self, c: &Cur<'_>, w: Word<'_>, id: ServerId) -> Result<(), ParseError> {
        if self.exists[usize::from(id)] {
            Ok(())
        } else {
            Err(c.at(
                w,
                format!(
                    "s{id} does not exist (the cluster has {})",
                    self.describe_servers()
                ),
            ))
        }
    }

    /// A concrete existing server; `what` names the place for the `leader` message.
    fn server(&self, c: &Cur<'_>, w: Word<'_>, what: &str) -> Result<ServerId, ParseError> {
        if w.text == "leader" {
            return Err(c.at(
                w,
                format!("{what} takes a server name (s1..s9), not leader"),
            ));
        }
        let Some(id) = server_name(w.text) else {
            return Err(c.at(
                w,
                format!("{} is not a server name (expected s1..s9)", q(w.text)),
            ));
        };
        self.check_exists(c, w, id)?;
        Ok(id)
    }

    /// An existing server or `leader`.
    fn server_ref(&self, c: &Cur<'_>, w: Word<'_>) -> Result<ServerRef, ParseError> {
        if w.text == "leader" {
            return Ok(ServerRef::Leader);
        }
        let Some(id) = server_name(w.text) else {
            return Err(c.at(
                w,
                format!(
                    "{} is not a server name (expected s1..s9 or leader)",
                    q(w.text)
                ),
            ));
        };
        self.check_exists(c, w, id)?;
        Ok(ServerRef::Id(id))
    }

    fn next_ref(&self, c: &mut Cur<'_>) -> Result<ServerRef, ParseError> {
        let w = c.next("a server (s1..s9 or leader)")?;
        self.server_ref(c, w)
    }

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
        if &rest[..first_end] == "say" {
            return self.say(n, raw).map(Some);
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
        let err = |col: usize, message: String| ParseError {
            line: n,
            col,
            message,
        };
        let col_of = |byte: usize| raw[..byte].chars().count() + 1;
        let say_at = raw.find("say").unwrap_or(0);
        let mut b = say_at + 3;
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
                    "expected a quoted caption after say, like say \"text\", found the end \
                     of the line"
                        .to_string(),
                ));
            }
            Some(_) => {
                let w = raw[b..]
                    .split(|ch: char| is_space(ch) || ch == '#')
                    .next()
                    .unwrap_or("");
                return Err(err(
                    col_of(b),
                    format!(
                        "the caption must be in double quotes, like say \"text\", found {}",
                        q(w)
                    ),
                ));
            }
        }
        let open = b;
        let Some(len) = raw[open + 1..].find('"') else {
            return Err(err(
                col_of(open),
                "unterminated quote: the caption has no closing \"".to_string(),
            ));
        };
        let close = open + 1 + len;
        let caption = &raw[open + 1..close];
        if caption.len() > limits::MAX_WORD_BYTES {
            return Err(err(
                col_of(open),
                format!(
                    "the caption is {} bytes long, more than the limit of {} bytes",
                    caption.len(),
                    limits::MAX_WORD_BYTES
                ),
            ));
        }
        let after = &raw[close + 1..];
        let skip = after.find(|ch: char| !is_space(ch)).unwrap_or(after.len());
        let tail = &after[skip..];
        if !tail.is_empty() && !tail.starts_with('#') {
            let w = tail
                .split(|ch: char| is_space(ch) || ch == '#')
                .next()
                .unwrap_or("");
            return Err(err(
                col_of(close + 1 + skip),
                format!(
                    "unexpected text {} after the closing quote of the caption",
                    q(w)
                ),
            ));
        }
        Ok(Line {
            line: n,
            stmt: Statement::Say(caption.to_string()),
            text: raw[..=close].trim_matches(is_space).to_string(),
        })
    }

    fn statement(&mut self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        let w = c.next("a command")?;
        match w.text {
            "cluster" | "seed" | "set" | "state" => {
                if let Some(t) = self.time_line {
                    let label = match (w.text, c.peek()) {
                        ("set", Some(s)) => format!("set {}", short(s.text)),
                        (k, _) => k.to_string(),
                    };
                    return Err(c.at(
                        w,
                        format!("set-up line {label:?} after time has passed (line {t} ran time)"),
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

    fn cluster(&mut self, c: &mut Cur<'_>, kw: Word<'_>) -> Result<Statement, ParseError> {
        if let Some(l) = self.cluster_line {
            return Err(c.at(kw, format!("cluster given twice (first on line {l})")));
        }
        if let Some(l) = self.first_use_line {
            return Err(c.at(
                kw,
                format!("cluster must come before every command and state line (line {l} is one)"),
            ));
        }
        let w = c.next("the number of servers (1..9)")?;
        let n = match int(w.text) {
            Int::Ok(n) if (1..=u64::from(limits::MAX_SERVERS)).contains(&n) => n as u8,
            Int::Ok(_) | Int::TooBig => {
                return Err(c.at(
                    w,
                    format!("cluster size {} is out of range 1..9", short(w.text)),
                ))
            }
            Int::Bad => {
                return Err(c.at(
                    w,
                    format!(
                        "expected the number of servers (1..9) after cluster, found {}",
                        q(w.text)
                    ),
                ))
            }
        };
        self.cluster_line = Some(c.line);
        self.create_cluster(n);
        Ok(Statement::Cluster(n))
    }

    fn state(&mut self, c: &mut Cur<'_>) -> Result<Statement, ParseError> {
        self.use_servers(c.line);
        let w = c.next("a server (s1..s9)")?;
        let server = self.server(c, w, "state")?;
        if server > self.initial {
            return Err(c.at(
                w,
                format!("state describes the servers of the initial cluster (s1..s{}); s{server} is added later and starts empty", self.initial),
            ));
        }
        if let Some(l) = self.state_lines[usize::from(server)] {
            return Err(c.at(
                w,
                format!("the state of s{server} is already given on line {l}"),
            ));
        }
        let kw = c.next("\"term\"")?;
        if kw.text != "term" {
            return Err(c.at(kw, format!("expected \"term\", found {}", q(kw.text))));
        }
        let tw = c.next("a term (a whole number)")?;
        let term = match int(tw.text) {
            Int::Ok(t) if t <= MAX_STATE_TERM => t,
            Int::Ok(_) | Int::TooBig => {
                return Err(c.at(
                    tw,
                    format!(
                        "term {} is too large (at most {MAX_STATE_TERM})",
                        short(tw.text)
                    ),
                ))
            }
            Int::Bad => {
                return Err(c.at(
                    tw,
                    format!("expected a term (a whole number), found {}", q(tw.text)),
                ))
            }
        };
        let mut kw = c.next("\"vote\" or \"log\"")?;
        let mut vote = None;
        if kw.text == "vote" {
            let vw = c.next("the server voted for (s1..s9)")?;
            let v = self.server(c, vw, "vote")?;
            if term == 0 {
                return Err(c.at(
                    vw,
                    "a vote needs a term of at least 1 (nobody campaigns in term 0)",
                ));
            }
            vote = Some(v);
            kw = c.next("\"log\"")?;
            if kw.text != "log" {
                return Err(c.at(kw, format!("expected \"log\", found {}", q(kw.text))));
            }
        } else if kw.text != "log" {
            return Err(c.at(
                kw,
                format!("expected \"vote\" or \"log\", found {}", q(kw.text)),
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
                        format!(
                            "expected the term of a log entry (a whole number), found {}",
                            q(ew.text)
                        ),
                    ))
                }
            };
            if log.len() >= limits::MAX_STATE_LOG {
                return Err(c.at(
                    ew,
                    format!(
                        "the log has more than {} entries, the limit",
                        limits::MAX_STATE_LOG
                    ),
                ));
            }
            if t == 0 {
                return Err(c.at(ew, "a log entry's term must be at least 1"));
            }
            if t > term {
                return Err(c.at(
                    ew,
                    format!(
                        "log entry {} has term {}, greater than the server's term {term}",
                        log.len() + 1,
                        short(ew.text)
                    ),
                ));
            }
            if let Some(&prev) = log.last() {
                if t < prev {
                    return Err(c.at(
                        ew,
                        format!(
                            "log entry {} has term {t}, less than the term {prev} before it \
                             (terms in a log never decrease)",
                            log.len() + 1
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

    fn command(&mut self, c: &mut Cur<'_>, w: Word<'_>) -> Result<Statement, ParseError> {
        Ok(match w.text {
            "run" => {
                let a = c.next("a duration or until after run")?;
                let stmt = if a.text == "until" {
                    let cond = self.condition(c, true)?;
                    let within = match c.peek() {
                        Some(x) if x.text == "within" => {
                            c.i += 1;
                            let d = c.next("a duration after within")?;
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
                            format!(
                                "expected a duration ({DURATION_HINT}) or until after run, \
                                 found {}",
                                q(a.text)
                            ),
                        ));
                    }
                    Statement::Run(duration(c, a)?)
                };
                self.time_line = Some(c.line);
                stmt
            }
            "expect" => Statement::Expect(self.condition(c, false)?),
            "timeout" => Statement::Timeout(self.next_ref(c)?),
            "crash" => Statement::Crash(self.next_ref(c)?),
            "restart" => Statement::Restart(self.next_ref(c)?),
            "isolate" => Statement::Isolate(self.next_ref(c)?),
            "remove" => Statement::Remove(self.next_ref(c)?),
            "transfer" => Statement::Transfer(self.next_ref(c)?),
            "compact" => Statement::Compact(self.next_ref(c)?),
            "cut" => {
                let a = self.next_ref(c)?;
                let bw = c.next("a second server (s1..s9 or leader)")?;
                let b = self.server_ref(c, bw)?;
                if a == b {
                    return Err(c.at(bw, "cut needs two different servers"));
                }
                Statement::Cut(a, b)
            }
            "partition" => self.partition(c)?,
            "heal" => Statement::Heal,
            // raftlab's extensions, written by the page's export (see the README).
            "change" => Statement::Change(setting(c)?),
            "mend" => {
                let a = self.next_ref(c)?;
                let bw = c.next("a second server (s1..s9 or leader)")?;
                let b = self.server_ref(c, bw)?;
                if a == b {
                    return Err(c.at(bw, "mend needs two different servers"));
                }
                Statement::Mend(a, b)
            }
            "drop" | "duplicate" => {
                let kw = c.next("the word message")?;
                if kw.text != "message" {
                    return Err(c.at(
                        kw,
                        format!(
                            "expected \"message\" after {}, found {}",
                            w.text,
                            q(kw.text)
                        ),
                    ));
                }
                let nw = c.next("a message number")?;
                let id = match int(nw.text) {
                    Int::Ok(n) if n > 0 => n,
                    _ => {
                        return Err(c.at(
                            nw,
                            format!(
                                "expected a message number (1 or more), found {}",
                                q(nw.text)
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
            "put" => {
                let k = c.next("a key")?;
                let key = kv_word(c, k, "key")?;
                let v = c.next("a value")?;
                let value = kv_word(c, v, "value")?;
                if value == "none" {
                    return Err(c.at(
                        v,
                        "\"none\" is reserved and cannot be a value (conditions use it for \
                         an unset key)",
                    ));
                }
                Statement::Put(key.to_string(), value.to_string())
            }
            "get" => {
                let k = c.next("a key")?;
                Statement::Get(kv_word(c, k, "key")?.to_string())
            }
            "add" => {
                let a = c.next("a new server (like add s6)")?;
                if a.text == "leader" {
                    return Err(c.at(a, "add takes a new server (like add s6), not leader"));
                }
                let Some(id) = server_name(a.text) else {
                    return Err(c.at(
                        a,
                        format!(
                            "{} is not a server name (expected s1..s9: at most 9 servers)",
                            q(a.text)
                        ),
                    ));
                };
                if self.count >= limits::MAX_SERVERS {
                    return Err(c.at(
                        a,
                        format!("cannot add s{id}: at most 9 servers (the cluster has s1..s9)"),
                    ));
                }
                if self.exists[usize::from(id)] {
                    return Err(c.at(a, format!("s{id} already exists (add takes a new server)")));
                }
                self.exists[usize::from(id)] = true;
                self.count += 1;
                Statement::Add(id)
            }
            _ => {
                return Err(c.at(
                    w,
                    format!(
                        "unknown command {} (expected one of: {COMMANDS})",
                        q(w.text)
                    ),
                ))
            }
        })
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
                        return Err(c.at(piece, format!("s{id} is named twice in the partition")));
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
                                "empty group in partition (each group between | needs a server)",
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
                    "empty group in partition (each group between | needs a server)",
                ),
                None => c.err(
                    c.end_col,
                    "expected servers to partition (like partition s1 s2 | s3 s4 s5), \
                     found the end of the line",
                ),
            });
        }
        Ok(Statement::Partition(groups))
    }

    fn condition(&self, c: &mut Cur<'_>, in_run: bool) -> Result<Condition, ParseError> {
        let w = c.next(&format!("a condition ({CONDITIONS})"))?;
        let stop = |x: &Word<'_>| in_run && x.text == "within";
        Ok(match w.text {
            "leader" => {
                let a = c.next("a server (s1..s9), any or none")?;
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
                                format!(
                                    "expected a server (s1..s9), any or none after leader, \
                                     found {}",
                                    q(t)
                                ),
                            ))
                        }
                    },
                }
            }
            "role" => {
                let s = self.next_ref(c)?;
                let r = c.next(&format!("a role ({ROLES})"))?;
                let role = match r.text {
                    "follower" => RoleName::Follower,
                    "precandidate" => RoleName::PreCandidate,
                    "candidate" => RoleName::Candidate,
                    "leader" => RoleName::Leader,
                    "crashed" => RoleName::Crashed,
                    "removed" => RoleName::Removed,
                    t => {
                        return Err(c.at(
                            r,
                            format!("unknown role {} (expected one of: {ROLES})", q(t)),
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
                            return Err(c.at(x, format!("term {} is too large", short(x.text))))
                        }
                        Int::Bad => {
                            return Err(c.at(
                                x,
                                format!(
                                    "expected the term of a log entry (a whole number) or _, \
                                     found {}",
                                    q(x.text)
                                ),
                            ))
                        }
                    }
                }
                Condition::Log(s, terms)
            }
            "value" => {
                let s = self.next_ref(c)?;
                let k = c.next("a key")?;
                let key = kv_word(c, k, "key")?.to_string();
                let v = c.next("a value or none")?;
                let value = kv_word(c, v, "value")?;
                Condition::Value(s, key, (value != "none").then(|| value.to_string()))
            }
            "read" => {
                let k = c.next("a key")?;
                let key = kv_word(c, k, "key")?.to_string();
                let v = c.next("a value or none")?;
                let value = kv_word(c, v, "value")?;
                Condition::Read(key, (value != "none").then(|| value.to_string()))
            }
            "members" => {
                let mut ids = Vec::new();
                let mut seen = [false; 10];
                while let Some(x) = c.peek() {
                    if stop(&x) {
                        break;
                    }
                    c.i += 1;
                    let id = self.server(c, x, "members")?;
                    if seen[usize::from(id)] {
                        return Err(c.at(x, format!("s{id} is named twice in members")));
                    }
                    seen[usize::from(id)] = true;
                    ids.push(id);
                }
                if ids.is_empty() {
                    let col = c.peek().map_or(c.end_col, |x| x.col);
                    return Err(c.err(
                        col,
                        "expected at least one server after members (like members s1 s2 s3)",
                    ));
                }
                Condition::Members(ids)
            }
            t => {
                return Err(c.at(
                    w,
                    format!("unknown condition {} (expected one of: {CONDITIONS})", q(t)),
                ))
            }
        })
    }
}

/// `N`, `>= N` or `>=N`.
fn cmp(c: &mut Cur<'_>) -> Result<Cmp, ParseError> {
    let w = c.next("a number or >= N")?;
    let (at_least, nw) = if w.text == ">=" {
        (true, c.next("a number after >=")?)
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
        Int::TooBig => Err(c.at(nw, format!("number {} is too large", short(nw.text)))),
        Int::Bad => Err(c.at(
            nw,
            format!(
                "expected a whole number{}, found {}",
                if at_least { "" } else { " or >= N" },
                q(nw.text)
            ),
        )),
    }
}

fn seed(c: &mut Cur<'_>) -> Result<Statement, ParseError> {
    let w = c.next("a seed (a whole number)")?;
    match int(w.text) {
        Int::Ok(s) => Ok(Statement::Seed(s)),
        Int::TooBig => Err(c.at(
            w,
            format!("seed {} is too large (at most {})", short(w.text), u64::MAX),
        )),
        Int::Bad => Err(c.at(
            w,
            format!("expected a seed (a whole number), found {}", q(w.text)),
        )),
    }
}

fn setting(c: &mut Cur<'_>) -> Result<Setting, ParseError> {
    let name = c.next(&format!("a setting ({SETTINGS})"))?;
    let positive = |c: &Cur<'_>, w: Word<'_>, what: &str| -> Result<Micros, ParseError> {
        let d = duration(c, w)?;
        if d == 0 {
            return Err(c.at(w, format!("{what} must be greater than 0")));
        }
        Ok(d)
    };
    Ok(match name.text {
        "election-timeout" => {
            let w = c.next("a duration range (like 150ms..300ms)")?;
            let r = duration_range(c, w)?;
            if r.min == 0 {
                return Err(c.at(w, "the election timeout's minimum must be greater than 0"));
            }
            Setting::ElectionTimeout(r)
        }
        "heartbeat" => {
            let w = c.next("a duration (like 50ms)")?;
            Setting::Heartbeat(positive(c, w, "the heartbeat interval")?)
        }
        "latency" => {
            let w = c.next("a duration or a range (like 10ms..20ms)")?;
            Setting::Latency(duration_range(c, w)?)
        }
        "loss" => {
            let w = c.next("a percentage (like 5%)")?;
            Setting::Loss(percent(c, w, "loss")?)
        }
        "duplicate" => {
            let w = c.next("a percentage (like 1%)")?;
            Setting::Duplicate(percent(c, w, "duplicate")?)
        }
        "prevote" => {
            let w = c.next("on or off")?;
            Setting::Prevote(on_off(c, w, "prevote")?)
        }
        "check-quorum" => {
            let w = c.next("on or off")?;
            Setting::CheckQuorum(on_off(c, w, "check-quorum")?)
        }
        "client-timeout" => {
            let w = c.next("a duration (like 500ms)")?;
            Setting::ClientTimeout(positive(c, w, "the client timeout")?)
        }
        "snapshot-factor" => {
            let w = c.next("a whole number 1..1000 or off")?;
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
                            format!("snapshot factor {} is out of range 1..1000", short(w.text)),
                        ))
                    }
                    Int::Bad => {
                        return Err(c.at(
                            w,
                            format!(
                                "expected a whole number 1..1000 or off after snapshot-factor, \
                                 found {}",
                                q(w.text)
                            ),
                        ))
                    }
                }
            }
        }
        t => {
            return Err(c.at(
                name,
                format!("unknown setting {} (expected one of: {SETTINGS})", q(t)),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stmts(text: &str) -> Vec<Statement> {
        match parse(text) {
            Ok(s) => s.lines.into_iter().map(|l| l.stmt).collect(),
            Err(e) => panic!("unexpected error {e} in {text:?}"),
        }
    }

    fn one(text: &str) -> Statement {
        let mut v = stmts(text);
        assert_eq!(v.len(), 1, "{text:?}");
        v.pop().unwrap()
    }

    #[track_caller]
    fn fails(text: &str, line: usize, col: usize, msg: &str) {
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

    fn setting(text: &str) -> Setting {
        match one(text) {
            Statement::Set(s) => s,
            other => panic!("{other:?}"),
        }
    }

    fn cond(text: &str) -> Condition {
        match one(&format!("expect {text}")) {
            Statement::Expect(c) => c,
            other => panic!("{other:?}"),
        }
    }

    const EXAMPLES: [(&str, &str); 5] = [
        (
            "basic-election",
            include_str!("../../scenarios/basic-election.raft"),
        ),
        (
            "leader-crash",
            include_str!("../../scenarios/leader-crash.raft"),
        ),
        ("partition", include_str!("../../scenarios/partition.raft")),
        (
            "replication",
            include_str!("../../scenarios/replication.raft"),
        ),
        (
            "tour-election",
            include_str!("../../scenarios/tour-election.raft"),
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
    fn say() {
        let s = parse("  say \"a # not a comment\"   # a comment\nsay \"\"\nsay\t\"ünï\"").unwrap();
        assert_eq!(s.lines[0].stmt, Statement::Say("a # not a comment".into()));
        assert_eq!(s.lines[0].text, "say \"a # not a comment\"");
        assert_eq!(s.lines[1].stmt, Statement::Say(String::new()));
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
    fn durations() {
        let run = |t: &str| match one(&format!("run {t}")) {
            Statement::Run(d) => d,
            other => panic!("{other:?}"),
        };
        assert_eq!(run("250ms"), 250_000);
        assert_eq!(run("1.5s"), 1_500_000);
        assert_eq!(run("2s"), 2_000_000);
        assert_eq!(run("100"), 100_000);
        assert_eq!(run("0"), 0);
        assert_eq!(run("0.0005"), 1); // 0.5 µs rounds up
        assert_eq!(run("0.0004999999999"), 0);
        assert_eq!(run("1.0000004ms"), 1_000);
        assert_eq!(run("0.000001s"), 1);
        assert_eq!(run("0.0000015s"), 2);
        assert_eq!(run("3600s"), limits::MAX_DURATION);
        assert_eq!(run("3600000"), limits::MAX_DURATION);
        assert_eq!(run("0003600.000000000000000000s"), limits::MAX_DURATION);
        fails("run 3600.000001s", 1, 5, "longer than the limit of 1 hour");
        fails(
            "run 99999999999999999999999999999999999999999s",
            1,
            5,
            "longer than the limit",
        );
        fails("run 1e400", 1, 5, "expected a duration");
        fails("run -5ms", 1, 5, "cannot be negative");
        fails("run NaN", 1, 5, "expected a duration");
        fails("run inf", 1, 5, "expected a duration");
        fails("run 1.s", 1, 5, "expected a duration");
        fails("run .5s", 1, 5, "expected a duration");
        fails("run 5 ms", 1, 7, "unexpected word \"ms\"");
        fails("run 5h", 1, 5, "expected a duration");
        fails("run 1s..2s", 1, 5, "not a range");
        fails("run", 1, 4, "expected a duration or until");
        fails("run   ", 1, 4, "found the end of the line");
        fails(
            "run untl leader any",
            1,
            5,
            "or until after run, found \"untl\"",
        );
    }

    #[test]
    fn ranges() {
        let r = |min, max| DurationRange { min, max };
        assert_eq!(
            setting("set election-timeout 150ms..300ms"),
            Setting::ElectionTimeout(r(150_000, 300_000))
        );
        assert_eq!(
            setting("set election-timeout 150..300"),
            Setting::ElectionTimeout(r(150_000, 300_000))
        );
        assert_eq!(
            setting("set election-timeout 1s..1500ms"),
            Setting::ElectionTimeout(r(1_000_000, 1_500_000))
        );
        assert_eq!(
            setting("set election-timeout 200ms"),
            Setting::ElectionTimeout(r(200_000, 200_000))
        );
        assert_eq!(
            setting("set latency 10ms"),
            Setting::Latency(r(10_000, 10_000))
        );
        assert_eq!(setting("set latency 0..1.5"), Setting::Latency(r(0, 1_500)));
        assert_eq!(setting("set latency 0"), Setting::Latency(r(0, 0)));
        fails(
            "set election-timeout 300ms..150ms",
            1,
            22,
            "lower end is greater",
        );
        fails(
            "set election-timeout 150ms..3x",
            1,
            29,
            "expected a duration",
        );
        fails("set election-timeout 150ms..", 1, 22, "lacks its upper end");
        fails("set election-timeout ..150ms", 1, 22, "lacks its lower end");
        fails(
            "set election-timeout 0..150ms",
            1,
            22,
            "minimum must be greater than 0",
        );
        fails(
            "set election-timeout 150ms..2h",
            1,
            29,
            "expected a duration",
        );
        fails("set latency 1..7200s", 1, 16, "longer than the limit");
        fails("set election-timeout", 1, 21, "expected a duration range");
    }

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

    #[test]
    fn server_names() {
        for bad in ["s0", "s10", "S1", "s01", "s", "1", "sx", "s١"] {
            fails(
                &format!("crash {bad}"),
                1,
                7,
                "is not a server name (expected s1..s9 or leader)",
            );
        }
        assert_eq!(one("crash leader"), Statement::Crash(ServerRef::Leader));
        assert_eq!(one("timeout s3"), Statement::Timeout(ServerRef::Id(3)));
        assert_eq!(one("restart s3"), Statement::Restart(ServerRef::Id(3)));
        assert_eq!(one("isolate leader"), Statement::Isolate(ServerRef::Leader));
        assert_eq!(one("remove s2"), Statement::Remove(ServerRef::Id(2)));
        assert_eq!(one("transfer s3"), Statement::Transfer(ServerRef::Id(3)));
        assert_eq!(one("compact leader"), Statement::Compact(ServerRef::Leader));
        assert_eq!(
            one("cut s1 leader"),
            Statement::Cut(ServerRef::Id(1), ServerRef::Leader)
        );
        fails("cut s1 s1", 1, 8, "two different servers");
        fails("cut leader leader", 1, 12, "two different servers");
        fails("cut s1", 1, 7, "expected a second server");
        fails("crash", 1, 6, "expected a server");
        fails("crash s1 s2", 1, 10, "unexpected word \"s2\"");
    }

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
    }

    #[test]
    fn client_commands() {
        assert_eq!(one("put x 1"), Statement::Put("x".into(), "1".into()));
        assert_eq!(one("put none 1"), Statement::Put("none".into(), "1".into()));
        assert_eq!(one("get x"), Statement::Get("x".into()));
        assert_eq!(one("heal"), Statement::Heal);
        assert_eq!(one("pause"), Statement::Pause);
        fails("put x none", 1, 7, "\"none\" is reserved");
        fails("put x", 1, 6, "expected a value");
        fails("put", 1, 4, "expected a key");
        fails("put x 1 2", 1, 9, "unexpected word \"2\"");
        fails("get", 1, 4, "expected a key");
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
