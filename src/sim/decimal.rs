//! Decimal text for `f64` in integer arithmetic.
//!
//! `{:.1}`, `{}` and `str::parse::<f64>` pull core's float formatting and parsing into the
//! page's wasm (Grisu, Dragon4, big-number code and a 10 KB table of powers of five, some
//! 10 KB of the gzipped bundle). Everything the page and the scenario printer show has a
//! fixed number of decimals and a modest magnitude, so they use these instead: the value is
//! scaled and rounded to an integer, which integer formatting prints.

use std::fmt;

/// `x` with `decimals` digits after the point (an exact half rounds to even, as std does), like
/// `format!("{x:.decimals$}")`. A value beyond ±9.2e18 / 10^decimals saturates.
pub fn fixed(x: f64, decimals: u8) -> Fixed {
    Fixed {
        scaled: scale(x, decimals),
        decimals,
        trim: false,
    }
}

/// Like [`fixed`], without trailing zeros and without a trailing point: `1.50` → `1.5`,
/// `2.000` → `2`.
pub fn trimmed(x: f64, decimals: u8) -> Fixed {
    Fixed {
        scaled: scale(x, decimals),
        decimals,
        trim: true,
    }
}

/// The integer `n` divided by 10^`decimals`, exactly: `ratio(12345, 3)` → `12.345`;
/// trailing zeros are dropped (`ratio(1500, 3)` → `1.5`).
pub fn ratio(n: u64, decimals: u8) -> Fixed {
    Fixed {
        scaled: i64::try_from(n).unwrap_or(i64::MAX),
        decimals,
        trim: true,
    }
}

fn scale(x: f64, decimals: u8) -> i64 {
    // `as` saturates (and maps NaN to 0).
    (x * 10f64.powi(i32::from(decimals))).round_ties_even() as i64
}

/// A number ready to print; see [`fixed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixed {
    scaled: i64,
    decimals: u8,
    trim: bool,
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = 10u64.pow(u32::from(self.decimals));
        let a = self.scaled.unsigned_abs();
        let (int, mut frac) = (a / p, a % p);
        if self.scaled < 0 {
            f.write_str("-")?;
        }
        write!(f, "{int}")?;
        let mut digits = usize::from(self.decimals);
        if self.trim {
            while digits > 0 && frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
        }
        if digits > 0 {
            write!(f, ".{frac:0digits$}")?;
        }
        Ok(())
    }
}

/// Parses `D+(.D+)?` (an optional leading `-`, no exponent, no `inf`/`nan`) into the
/// nearest `f64`, or `None`. Up to 18 significant digits are read exactly (more fraction
/// digits are ignored), so `0.5`, `12.25` and the like come out exactly as
/// `str::parse::<f64>` would give them.
pub fn parse(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || (s.contains('.') && frac.is_empty()) || !digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    if int.len() > 18 {
        return None;
    }
    let mut m: u64 = 0;
    for b in int.bytes().chain(frac.bytes()).take(18) {
        m = m * 10 + u64::from(b - b'0');
    }
    let places = frac.len().min(18 - int.len());
    let v = m as f64 / 10f64.powi(places as i32);
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_matches_std_formatting() {
        for &(x, d) in &[
            (0.0, 1),
            (1.25, 1),
            (-1.26, 1),
            (123.456, 2),
            (99.99, 0),
            (0.05, 3),
            (287.4, 1),
            (1e6 + 0.3, 1),
        ] {
            assert_eq!(
                fixed(x, d).to_string(),
                format!("{x:.*}", usize::from(d)),
                "{x} {d}"
            );
        }
        assert_eq!(fixed(-0.01, 1).to_string(), "0.0");
    }

    #[test]
    fn trimmed_and_ratio_drop_trailing_zeros() {
        assert_eq!(trimmed(1.5, 2).to_string(), "1.5");
        assert_eq!(trimmed(2.0, 3).to_string(), "2");
        assert_eq!(trimmed(0.125, 2).to_string(), "0.12");
        assert_eq!(trimmed(0.375, 2).to_string(), "0.38");
        assert_eq!(ratio(12_345, 3).to_string(), "12.345");
        assert_eq!(ratio(1_500, 3).to_string(), "1.5");
        assert_eq!(ratio(7_000, 3).to_string(), "7");
        assert_eq!(ratio(5, 3).to_string(), "0.005");
    }

    #[test]
    fn parse_agrees_with_std_on_plain_decimals() {
        for s in [
            "0", "5", "0.5", "12.25", "100", "0.001", "10", "3.14159", "-2.5", "007.50",
        ] {
            assert_eq!(parse(s), s.parse::<f64>().ok(), "{s}");
        }
        for s in [
            "", ".5", "5.", "1e3", "inf", "nan", "+1", "1.2.3", "--1", " 1", "0x10",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }
}
