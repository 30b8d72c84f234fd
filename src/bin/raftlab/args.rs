//! Durations and ranges on the command line, read with the scenario format's rules.

use raftlab::scenario;

/// Parses a duration range with the scenario format's rules (`150ms..300ms`, `10ms`).
pub fn parse_range(text: &str) -> Result<(u64, u64), String> {
    scenario::parse::duration_range_text(text)
        .map(|r| (r.min, r.max))
        .map_err(|e| format!("{text:?}: {e}"))
}

/// Parses a duration with the scenario format's rules (`60s`, `500ms`, bare = ms).
pub fn parse_duration(text: &str) -> Result<u64, String> {
    match scenario::parse(&format!("run {text}")) {
        Ok(s) => match s.lines.first().map(|l| &l.stmt) {
            Some(raftlab::scenario::ast::Statement::Run(d)) => Ok(*d),
            _ => Err(format!("{text:?} is not a duration")),
        },
        Err(e) => Err(format!("{text:?} is not a duration: {}", e.message)),
    }
}
