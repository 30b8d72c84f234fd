//! Words and the cursor over one line; numbers, durations, percentages, on/off,
//! key-value words and server names (syntax only).

use crate::raft::types::ServerId;
use crate::scenario::ast::*;
use crate::t;

// ---------------------------------------------------------------------------------------
// Words and the cursor over one line
// ---------------------------------------------------------------------------------------

pub(super) fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\r'
}

/// A word of a line and its 1-based column in characters.
#[derive(Clone, Copy, Debug)]
pub(super) struct Word<'a> {
    pub(super) text: &'a str,
    pub(super) col: usize,
}

impl<'a> Word<'a> {
    /// The part of this word from byte `at` on (at a char boundary), with its column.
    pub(super) fn tail(&self, at: usize) -> Word<'a> {
        Word {
            text: &self.text[at..],
            col: self.col + self.text[..at].chars().count(),
        }
    }
    pub(super) fn head(&self, at: usize) -> Word<'a> {
        Word {
            text: &self.text[..at],
            col: self.col,
        }
    }
}

/// Splits `s` (no comment) into words; `first_col` is the column of `s`'s first char.
pub(super) fn split_words(s: &str, first_col: usize) -> Vec<Word<'_>> {
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
pub(super) fn q(s: &str) -> String {
    format!("{:?}", short(s))
}

/// Shortens text for a message.
pub(super) fn short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

pub(super) struct Cur<'a> {
    pub(super) line: usize,
    pub(super) words: Vec<Word<'a>>,
    pub(super) i: usize,
    /// The column just after the line's content (where a missing word is reported).
    pub(super) end_col: usize,
}

impl<'a> Cur<'a> {
    pub(super) fn err(&self, col: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            col,
            message: message.into(),
        }
    }
    pub(super) fn at(&self, w: Word<'_>, message: impl Into<String>) -> ParseError {
        self.err(w.col, message)
    }
    pub(super) fn peek(&self) -> Option<Word<'a>> {
        self.words.get(self.i).copied()
    }
    /// The next word; `what` names what was expected if the line ends here.
    pub(super) fn next(&mut self, what: &str) -> Result<Word<'a>, ParseError> {
        self.next_or(|| t!("expected {what}, found the end of the line", what = what))
    }
    /// The next word, where `keyword` (written as the user types it, like `to`) is
    /// expected if the line ends here.
    pub(super) fn next_keyword(&mut self, keyword: &str) -> Result<Word<'a>, ParseError> {
        self.next_or(|| {
            t!(
                "expected {keyword}, found the end of the line",
                keyword = keyword
            )
        })
    }
    /// The next word, or the error `at_end` says if the line ends here.
    fn next_or(&mut self, at_end: impl FnOnce() -> String) -> Result<Word<'a>, ParseError> {
        match self.peek() {
            Some(w) => {
                self.i += 1;
                Ok(w)
            }
            None => Err(self.err(self.end_col, at_end())),
        }
    }
    pub(super) fn finish(&self) -> Result<(), ParseError> {
        match self.peek() {
            Some(w) => Err(self.at(
                w,
                t!(
                    "unexpected word {word} (the line is complete without it)",
                    word = q(w.text)
                ),
            )),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Numbers, durations, percentages
// ---------------------------------------------------------------------------------------

pub(super) enum Int {
    Bad,
    TooBig,
    Ok(u64),
}

pub(super) fn int(s: &str) -> Int {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Int::Bad;
    }
    match s.parse::<u64>() {
        Ok(v) => Int::Ok(v),
        Err(_) => Int::TooBig,
    }
}

/// `D+` or `D+.D+`: the integer and fraction digits.
pub(super) fn decimal(s: &str) -> Option<(&str, &str)> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((i, f)) => (digits(i) && digits(f)).then_some((i, f)),
        None => digits(s).then_some((s, "")),
    }
}

/// A number `D+(.D+)?` times `unit` microseconds, rounded to the nearest microsecond
/// (halves up). `None` if it is absurdly large.
pub(super) fn scaled(i: &str, f: &str, unit: u128) -> Option<u128> {
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

pub(super) fn duration(c: &Cur<'_>, w: Word<'_>) -> Result<Micros, ParseError> {
    let s = w.text;
    if s.contains("..") {
        return Err(c.at(
            w,
            t!(
                "expected one duration here, not a range ({word})",
                word = q(s)
            ),
        ));
    }
    if s.starts_with('-') {
        return Err(c.at(w, t!("a duration cannot be negative ({word})", word = q(s))));
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
            t!(
                "expected a duration (like 250ms, 1.5s or 2s; a bare number is milliseconds), \
                 found {word}",
                word = q(s)
            ),
        ));
    };
    match scaled(i, f, unit) {
        Some(us) if us <= u128::from(limits::MAX_DURATION) => Ok(us as Micros),
        _ => Err(c.at(
            w,
            t!(
                "duration {word} is longer than the limit of 1 hour (3600s)",
                word = q(s)
            ),
        )),
    }
}

pub(super) fn duration_range(c: &Cur<'_>, w: Word<'_>) -> Result<DurationRange, ParseError> {
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
                    t!(
                        "the range {word} lacks its lower end (like 150ms..300ms)",
                        word = q(w.text)
                    ),
                ));
            }
            if hi.text.is_empty() {
                return Err(c.at(
                    w,
                    t!(
                        "the range {word} lacks its upper end (like 150ms..300ms)",
                        word = q(w.text)
                    ),
                ));
            }
            let min = duration(c, lo)?;
            let max = duration(c, hi)?;
            if min > max {
                return Err(c.at(
                    w,
                    t!(
                        "the range {word} is empty: its lower end is greater than its upper end",
                        word = q(w.text)
                    ),
                ));
            }
            Ok(DurationRange { min, max })
        }
    }
}

pub(super) fn percent(c: &Cur<'_>, w: Word<'_>, what: &str) -> Result<f64, ParseError> {
    let num = w.text.strip_suffix('%').unwrap_or(w.text);
    if decimal(num).is_none() {
        return Err(c.at(
            w,
            t!(
                "expected a percentage for {what} (like 5% or 0.5%), found {word}",
                what = what,
                word = q(w.text)
            ),
        ));
    }
    match crate::sim::decimal::parse(num) {
        Some(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(c.at(
            w,
            t!(
                "{what} {value}% is out of range 0%..100%",
                what = what,
                value = short(num)
            ),
        )),
    }
}

pub(super) fn on_off(c: &Cur<'_>, w: Word<'_>, what: &str) -> Result<bool, ParseError> {
    match w.text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(c.at(
            w,
            t!(
                "expected on or off after {what}, found {word}",
                what = what,
                word = q(w.text)
            ),
        )),
    }
}

/// A key or value word of the key-value store (`what`: `key` or `value`).
pub(super) fn kv_word<'a>(c: &Cur<'_>, w: Word<'a>, what: &str) -> Result<&'a str, ParseError> {
    if w.text.len() > limits::MAX_WORD_BYTES {
        let (len, max) = (w.text.len(), limits::MAX_WORD_BYTES);
        return Err(c.at(
            w,
            if what == "key" {
                t!(
                    "the key is {len} bytes long, more than the limit of {max} bytes",
                    len = len,
                    max = max
                )
            } else {
                t!(
                    "the value is {len} bytes long, more than the limit of {max} bytes",
                    len = len,
                    max = max
                )
            },
        ));
    }
    Ok(w.text)
}

/// `s1`..`s9` (syntax only).
pub(super) fn server_name(s: &str) -> Option<ServerId> {
    match s.as_bytes() {
        [b's', d @ b'1'..=b'9'] => Some(d - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, one, setting};
    use super::super::*;

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
}
