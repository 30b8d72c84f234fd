//! Virtual time: microseconds, and how a moment or a duration is written.

/// Virtual time in microseconds.
pub type Micros = u64;

pub const MS: Micros = 1_000;
pub const SECOND: Micros = 1_000_000;

pub fn fmt_ms(us: Micros) -> String {
    format!("{}ms", crate::sim::decimal::ratio(us, 3))
}

/// Formats microseconds for people: `250ms`, `12.5ms`, `1.5s`, `2.016s`.
pub fn fmt_time(us: Micros) -> String {
    if us >= SECOND {
        format!(
            "{}s",
            crate::sim::decimal::ratio(us.saturating_add(500) / 1000, 3)
        )
    } else {
        fmt_ms(us)
    }
}

/// Formats microseconds exactly, in the scenario format's syntax (`1.5s`, `250ms`,
/// `12.345ms`).
pub fn fmt_duration(us: Micros) -> String {
    if us.is_multiple_of(SECOND) {
        format!("{}s", us / SECOND)
    } else {
        fmt_ms(us)
    }
}
