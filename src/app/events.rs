//! The events an embedded cluster tells its host page about (the `<raft-cluster>` element
//! dispatches them as DOM `CustomEvent`s): derived natively from successive page states,
//! so what fires when is unit-tested without a browser.
//!
//! - `leader` {name, term}: a (new) leader is known, or the leader's term changed;
//! - `commit` {server, index}: a server's commit index went up;
//! - `pause` {caption}: the scenario stopped at a `pause`;
//! - `caption` {caption}: the scenario's caption changed;
//! - `violation` {property, detail, servers}: the safety checker found a violation;
//! - `finished` {outcome, message, checks: [{line, text, ok, message}]}: the scenario ended.
//!
//! Nothing fires while the page shows the past (time travel); a new run starts afresh.

use serde::Serialize;

use super::page::PageState;
use crate::app::session::ScenarioState;
use crate::raft::{Index, ServerId, Term};
use crate::scenario::Outcome;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult {
    pub line: usize,
    pub text: String,
    pub ok: bool,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EventDetail {
    Leader {
        name: String,
        term: Term,
    },
    Commit {
        server: String,
        index: Index,
    },
    Caption {
        caption: String,
    },
    Violation {
        property: String,
        detail: String,
        servers: Vec<String>,
    },
    Finished {
        outcome: &'static str,
        message: String,
        checks: Vec<CheckResult>,
    },
}

/// One event: its DOM name (`leader`, `commit`, ...) and its detail.
#[derive(Clone, Debug, PartialEq)]
pub struct PageEvent {
    pub name: &'static str,
    pub detail: EventDetail,
}

fn server_name(id: ServerId) -> String {
    format!("s{id}")
}

/// What was already told, to tell only what changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventTracker {
    generation: Option<u32>,
    leader: Option<(ServerId, Term)>,
    commits: Vec<(ServerId, Index)>,
    caption: Option<String>,
    paused_at: Option<usize>,
    violation: bool,
    finished: bool,
}

impl EventTracker {
    /// The events between the last state seen and `page`, in a fixed order.
    pub fn observe(&mut self, page: &PageState) -> Vec<PageEvent> {
        if page.travelling {
            return Vec::new();
        }
        if self.generation != Some(page.generation) {
            *self = EventTracker {
                generation: Some(page.generation),
                ..EventTracker::default()
            };
        }
        let mut out = Vec::new();
        let v = &page.view;
        let leader = v
            .leader
            .and_then(|id| v.servers.iter().find(|s| s.id == id).map(|s| (id, s.term)));
        if leader.is_some() && leader != self.leader {
            let (id, term) = leader.unwrap_or_default();
            out.push(PageEvent {
                name: "leader",
                detail: EventDetail::Leader {
                    name: server_name(id),
                    term,
                },
            });
        }
        self.leader = leader;
        for s in &v.servers {
            let before = self
                .commits
                .iter()
                .find(|(id, _)| *id == s.id)
                .map_or(0, |c| c.1);
            if s.commit > before {
                out.push(PageEvent {
                    name: "commit",
                    detail: EventDetail::Commit {
                        server: s.name.clone(),
                        index: s.commit,
                    },
                });
            }
        }
        self.commits = v.servers.iter().map(|s| (s.id, s.commit)).collect();
        if let Some(info) = &page.scenario {
            if info.caption.is_some() && info.caption != self.caption {
                out.push(PageEvent {
                    name: "caption",
                    detail: EventDetail::Caption {
                        caption: info.caption.clone().unwrap_or_default(),
                    },
                });
            }
            self.caption = info.caption.clone();
            let paused = match &info.state {
                Some(ScenarioState::Paused { line }) => Some(*line),
                _ => None,
            };
            if paused.is_some() && paused != self.paused_at {
                out.push(PageEvent {
                    name: "pause",
                    detail: EventDetail::Caption {
                        caption: info.caption.clone().unwrap_or_default(),
                    },
                });
            }
            self.paused_at = paused;
            if let Some(ScenarioState::Done(o)) = &info.state {
                if !self.finished {
                    self.finished = true;
                    let (outcome, message) = match o {
                        Outcome::Pass => ("pass", String::new()),
                        Outcome::Fail { line, message } => {
                            ("fail", format!("line {line}: {message}"))
                        }
                    };
                    out.push(PageEvent {
                        name: "finished",
                        detail: EventDetail::Finished {
                            outcome,
                            message,
                            checks: info
                                .checks
                                .iter()
                                .map(|c| CheckResult {
                                    line: c.line,
                                    text: c.text.clone(),
                                    ok: c.ok,
                                    message: c.message.clone(),
                                })
                                .collect(),
                        },
                    });
                }
            } else {
                self.finished = false;
            }
        }
        match &v.violation {
            Some(x) if !self.violation => {
                self.violation = true;
                out.push(PageEvent {
                    name: "violation",
                    detail: EventDetail::Violation {
                        property: x.property.to_string(),
                        detail: x.detail.clone(),
                        servers: x.servers.iter().map(|&id| server_name(id)).collect(),
                    },
                });
            }
            Some(_) => {}
            None => self.violation = false,
        }
        out
    }
}

/// The cluster as a host page reads it (`handle.view()` / `element.view()`): the moment,
/// the leader, each server (role, term, vote, commit, applied, log, key-value state) and
/// the messages in flight. A plain summary of the `ClusterView` (the page's own drawing
/// reads much more), kept small so the bundle stays small.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlainView {
    pub time_us: u64,
    pub leader: Option<String>,
    pub violation: Option<String>,
    pub servers: Vec<PlainServer>,
    pub messages: Vec<PlainMessage>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlainServer {
    pub name: String,
    pub role: &'static str,
    pub term: Term,
    pub vote: Option<String>,
    pub commit: Index,
    pub applied: Index,
    /// `[index, term, text, committed]` per entry.
    pub log: Vec<(Index, Term, String, bool)>,
    pub kv: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlainMessage {
    pub id: u64,
    /// As the ring's `data-msg-type`.
    pub kind: &'static str,
    pub from: String,
    pub to: String,
    pub term: Term,
}

impl PlainView {
    pub fn of(v: &crate::sim::ClusterView) -> PlainView {
        let name = |id: ServerId| {
            if id == 0 {
                "client".into()
            } else {
                server_name(id)
            }
        };
        PlainView {
            time_us: v.time_us,
            leader: v.leader.map(server_name),
            violation: v.violation.as_ref().map(|x| x.to_string()),
            servers: v
                .servers
                .iter()
                .map(|s| PlainServer {
                    name: s.name.clone(),
                    role: s.role.as_str(),
                    term: s.term,
                    vote: s.vote.map(server_name),
                    commit: s.commit,
                    applied: s.applied,
                    log: s
                        .log
                        .iter()
                        .map(|e| (e.index, e.term, e.text.clone(), e.committed))
                        .collect(),
                    kv: s.kv.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                })
                .collect(),
            messages: v
                .messages
                .iter()
                .map(|m| PlainMessage {
                    id: m.id,
                    kind: m.kind,
                    from: name(m.from),
                    to: name(m.to),
                    term: m.term,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;
    use crate::app::options::StartConfig;

    fn names(ev: &[PageEvent]) -> Vec<&'static str> {
        ev.iter().map(|e| e.name).collect()
    }

    #[test]
    fn a_tour_tells_leader_commit_caption_pause_and_finished() {
        let text = "cluster 3\nseed 1\nsay \"hello\"\nrun until leader any\npause\nput x 1\nrun 1s\nexpect value s1 x 1\n";
        let cfg = StartConfig {
            scenario: Some(text.into()),
            ..StartConfig::default()
        };
        let (mut page, mut session) = PageState::new(&cfg);
        let mut t = EventTracker::default();
        let mut all = t.observe(&page);
        for _ in 0..400 {
            page.reduce(&mut session, Action::Tick(100.0));
            all.extend(t.observe(&page));
            if page.scenario_paused() {
                page.reduce(&mut session, Action::Next);
            }
        }
        let n = names(&all);
        assert!(n.contains(&"caption"), "{n:?}");
        let leader = all
            .iter()
            .find(|e| e.name == "leader")
            .expect("a leader event");
        assert!(
            matches!(&leader.detail, EventDetail::Leader { name, term } if name.starts_with('s') && *term >= 1)
        );
        let pause = all
            .iter()
            .find(|e| e.name == "pause")
            .expect("a pause event");
        assert_eq!(
            pause.detail,
            EventDetail::Caption {
                caption: "hello".into()
            }
        );
        assert!(n.contains(&"commit"));
        let fin: Vec<_> = all.iter().filter(|e| e.name == "finished").collect();
        assert_eq!(fin.len(), 1, "{n:?}");
        match &fin[0].detail {
            EventDetail::Finished {
                outcome, checks, ..
            } => {
                assert_eq!(*outcome, "pass");
                assert!(checks.iter().all(|c| c.ok), "{checks:?}");
                assert!(
                    checks.iter().any(|c| c.text.contains("value s1 x 1")),
                    "{checks:?}"
                );
            }
            d => panic!("{d:?}"),
        }
        // Nothing new when nothing changed.
        assert!(t.observe(&page).is_empty());
        let pv = PlainView::of(&page.view);
        assert_eq!(pv.servers.len(), 3);
        assert!(pv.leader.is_some());
        assert!(pv
            .servers
            .iter()
            .any(|s| s.role == "leader" && !s.log.is_empty()));
    }

    #[test]
    fn a_violation_is_told_once() {
        crate::raft::bugs::set(crate::raft::bugs::Bug::DoubleVote, true);
        let (mut page, mut session) = PageState::new(&StartConfig::default());
        let mut t = EventTracker::default();
        let mut all = Vec::new();
        for _ in 0..3000 {
            page.reduce(&mut session, Action::Tick(200.0));
            all.extend(t.observe(&page));
            if page.view.violation.is_some() {
                break;
            }
            if !page.playing {
                page.reduce(&mut session, Action::Play);
            }
        }
        crate::raft::bugs::set(crate::raft::bugs::Bug::DoubleVote, false);
        let v: Vec<_> = all.iter().filter(|e| e.name == "violation").collect();
        if page.view.violation.is_some() {
            assert_eq!(v.len(), 1);
            assert!(t.observe(&page).is_empty());
        } else {
            assert!(v.is_empty());
        }
    }
}
