//! The parser's state across lines: which servers exist at the current line, and the
//! lines that fix the phase (`cluster`, the first command, the first `run`).

use super::lex::*;
use crate::raft::types::ServerId;
use crate::scenario::ast::*;
use crate::t;

pub(super) struct Parser {
    /// `exists[k]`: sk exists at the current line (index 0 unused).
    pub(super) exists: [bool; 10],
    pub(super) count: u8,
    /// Size of the initial cluster (servers a `state` line may describe).
    pub(super) initial: u8,
    pub(super) cluster_line: Option<usize>,
    /// The first command or `state` line (after it, the set of servers from `cluster`
    /// is fixed).
    pub(super) first_use_line: Option<usize>,
    /// The first line that lets time pass (`run`).
    pub(super) time_line: Option<usize>,
    pub(super) state_lines: [Option<usize>; 10],
}

impl Parser {
    pub(super) fn new() -> Parser {
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

    pub(super) fn create_cluster(&mut self, n: u8) {
        for k in 1..=n {
            self.exists[usize::from(k)] = true;
        }
        self.count = n;
        self.initial = n;
    }

    /// Called at every command and `state` line: fixes the cluster (default 5).
    pub(super) fn use_servers(&mut self, line: usize) {
        if self.first_use_line.is_none() {
            self.first_use_line = Some(line);
            if self.cluster_line.is_none() {
                self.create_cluster(5);
            }
        }
    }

    /// The servers that exist, compactly: `s1..s5, s7`.
    pub(super) fn describe_servers(&self) -> String {
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
            t!("no servers").to_string()
        } else {
            parts.join(", ")
        }
    }

    pub(super) fn check_exists(
        &self,
        c: &Cur<'_>,
        w: Word<'_>,
        id: ServerId,
    ) -> Result<(), ParseError> {
        if self.exists[usize::from(id)] {
            Ok(())
        } else {
            Err(c.at(
                w,
                t!(
                    "s{id} does not exist (the cluster has {servers})",
                    id = id,
                    servers = self.describe_servers()
                ),
            ))
        }
    }

    /// A concrete existing server; `what` names the place for the `leader` message.
    pub(super) fn server(
        &self,
        c: &Cur<'_>,
        w: Word<'_>,
        what: &str,
    ) -> Result<ServerId, ParseError> {
        if w.text == "leader" {
            return Err(c.at(
                w,
                t!(
                    "{what} takes a server name (s1..s9), not leader",
                    what = what
                ),
            ));
        }
        let Some(id) = server_name(w.text) else {
            return Err(c.at(
                w,
                t!(
                    "{word} is not a server name (expected s1..s9)",
                    word = q(w.text)
                ),
            ));
        };
        self.check_exists(c, w, id)?;
        Ok(id)
    }

    /// An existing server or `leader`.
    pub(super) fn server_ref(&self, c: &Cur<'_>, w: Word<'_>) -> Result<ServerRef, ParseError> {
        if w.text == "leader" {
            return Ok(ServerRef::Leader);
        }
        let Some(id) = server_name(w.text) else {
            return Err(c.at(
                w,
                t!(
                    "{word} is not a server name (expected s1..s9 or leader)",
                    word = q(w.text)
                ),
            ));
        };
        self.check_exists(c, w, id)?;
        Ok(ServerRef::Id(id))
    }

    pub(super) fn next_ref(&self, c: &mut Cur<'_>) -> Result<ServerRef, ParseError> {
        let w = c.next(t!("a server (s1..s9 or leader)"))?;
        self.server_ref(c, w)
    }
}
