//! Challenges: a `.raft` file of set-up lines, `goal` lines and `forbid` / `limit` lines
//! (no scripted play). The student plays freely; each goal is done once all its
//! conditions hold at the same moment (checked after every instant of the live
//! simulation and after every command) and stays done. A forbidden command (or one past
//! its limit) is refused with a sentence that says why. The bundled challenges are the
//! files of `challenges/`.

use crate::raft::bugs::Bug;
use crate::scenario::ast::{Condition, Scenario, Statement};
use crate::scenario::convert::command_kind;
use crate::scenario::run::eval;
use crate::sim::cluster::Sim;
use crate::sim::command::Command;
use crate::sim::time::Micros;
use crate::t;
use crate::text::Lang;

/// A bundled challenge file (`challenges/ID.raft`). The page fetches the file (it is
/// copied next to the page, like the tours' and scenarios' files), so the texts do not
/// weigh on the bundle; native code (tests, the CLI) has them built in.
pub struct ChallengeFile {
    /// The file's name without `.raft` (`elect-s3`), also the `?challenge=` value.
    pub id: &'static str,
    /// The file's first line without `# Challenge:` (a test keeps them equal).
    pub title: &'static str,
}

/// Every challenge shipped, in order.
pub fn challenges() -> &'static [ChallengeFile] {
    const ALL: &[ChallengeFile] = &[
        ChallengeFile {
            id: "elect-s3",
            title: "Make s3 the leader without crashing any server",
        },
        ChallengeFile {
            id: "two-leaders",
            title: "Two leaders at once, in different terms",
        },
        ChallengeFile {
            id: "majority-not-committed",
            title: "On a majority, yet not committed (Figure 8)",
        },
        ChallengeFile {
            id: "stale-leader-read",
            title: "A stale leader must not answer a read",
        },
        ChallengeFile {
            id: "lose-availability",
            title: "Lose availability with the fewest faults",
        },
        ChallengeFile {
            id: "double-vote",
            title: "Break election safety with a planted bug",
        },
    ];
    ALL
}

/// The bundled challenge of this name; the error lists the names there are.
pub fn find(name: &str) -> Result<&'static ChallengeFile, String> {
    challenges().iter().find(|c| c.id == name).ok_or_else(|| {
        let known: Vec<&str> = challenges().iter().map(|c| c.id).collect();
        format!("unknown challenge {name:?} (known: {})", known.join(", "))
    })
}

impl ChallengeFile {
    /// Where the page fetches it from (relative to the page).
    pub fn path(&self) -> String {
        format!("challenges/{}.raft", self.id)
    }

    /// The file's text (native builds only: the page fetches `path()`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn text(&self) -> &'static str {
        macro_rules! files {
            ($($id:literal),*) => {
                match self.id {
                    $($id => include_str!(concat!("../../challenges/", $id, ".raft")),)*
                    _ => "",
                }
            };
        }
        files!(
            "elect-s3",
            "two-leaders",
            "majority-not-committed",
            "stale-leader-read",
            "lose-availability",
            "double-vote"
        )
    }
}

impl ChallengeFile {
    /// The title in the page's language (`crate::text::lang()`): the Chinese titles are in
    /// the catalog (`lang/zh/60-tours.txt`, equal to each file's `# Challenge zh:` line,
    /// a test checks), so that they do not weigh on the page's bundle.
    pub fn name(&self) -> &'static str {
        match self.id {
            "elect-s3" => t!("Make s3 the leader without crashing any server"),
            "two-leaders" => t!("Two leaders at once, in different terms"),
            "majority-not-committed" => t!("On a majority, yet not committed (Figure 8)"),
            "stale-leader-read" => t!("A stale leader must not answer a read"),
            "lose-availability" => t!("Lose availability with the fewest faults"),
            "double-vote" => t!("Break election safety with a planted bug"),
            _ => self.title,
        }
    }
}

/// The comment lines after a challenge file's title, joined: what it is about, in the
/// page's language.
pub fn blurb(text: &str) -> String {
    blurb_in(text, crate::text::lang())
}

/// The description of a challenge file in `lang`. The file's header is its title
/// (`# Challenge: ...`, then `# Challenge zh: ...`), then comment lines: English ones, and
/// Chinese ones starting `# zh:` (joined without spaces). Without Chinese lines the
/// English is given. Chinese lines join without a space, except where Latin letters or
/// digits meet (`如果` + `s2` gives `如果 s2`).
pub fn blurb_in(text: &str, lang: Lang) -> String {
    let mut en = Vec::new();
    let mut zh = String::new();
    for l in text.lines().skip(1).take_while(|l| l.starts_with('#')) {
        let l = l.trim_start_matches('#').trim();
        if l.starts_with("Challenge zh:") {
            continue;
        }
        match l.strip_prefix("zh:") {
            Some(z) => {
                let z = z.trim();
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                if !zh.is_empty() && (latin(zh.chars().next_back()) || latin(z.chars().next())) {
                    zh.push(' ');
                }
                zh.push_str(z);
            }
            None => en.push(l),
        }
    }
    if lang == Lang::Zh && !zh.is_empty() {
        zh
    } else {
        en.join(" ")
    }
}

/// One goal and whether (and when) it was reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// In the page's language (its `goal zh` line gives the Chinese).
    pub caption: String,
    /// The conditions as written (`leader s3 and term s3 >= 2`).
    pub conds_text: String,
    pub conds: Vec<Condition>,
    /// How long the conditions must hold without a break (`for 3s`; 0: at once).
    pub hold: Micros,
    /// Since when they have held (while `hold` runs).
    pub since: Option<Micros>,
    /// The virtual moment it was first reached (once done, it stays done).
    pub done_at: Option<Micros>,
}

/// A kind of command the student may give at most `allowed` times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub kind: &'static str,
    pub allowed: u32,
    pub used: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub goals: Vec<Goal>,
    pub limits: Vec<Limit>,
    /// The file's `bug` lines: on while the student plays this challenge.
    pub bugs: Vec<Bug>,
}

impl Challenge {
    /// The challenge a scenario describes: `None` when it has no `goal` line.
    pub fn of(scenario: &Scenario) -> Option<Challenge> {
        let mut c = Challenge {
            goals: Vec::new(),
            limits: Vec::new(),
            bugs: Vec::new(),
        };
        for l in &scenario.lines {
            match &l.stmt {
                Statement::Goal {
                    caption,
                    conds,
                    hold,
                } => c.goals.push(Goal {
                    caption: caption.text().to_string(),
                    conds_text: l
                        .text
                        .rsplit_once('"')
                        .map_or("", |x| x.1)
                        .trim()
                        .to_string(),
                    conds: conds.clone(),
                    hold: *hold,
                    since: None,
                    done_at: None,
                }),
                Statement::Forbid { kind, allowed } => {
                    // A later line for the same kind replaces the earlier one.
                    c.limits.retain(|x| x.kind != *kind);
                    c.limits.push(Limit {
                        kind,
                        allowed: *allowed,
                        used: 0,
                    });
                }
                Statement::Bug(b) => c.bugs.push(*b),
                _ => {}
            }
        }
        (!c.goals.is_empty()).then_some(c)
    }

    /// Checks the goals not yet done against `sim`; true if one was just reached.
    pub fn observe(&mut self, sim: &Sim) -> bool {
        let mut changed = false;
        for g in self.goals.iter_mut().filter(|g| g.done_at.is_none()) {
            if !g.conds.iter().all(|c| eval(sim, c).is_ok()) {
                g.since = None;
                continue;
            }
            let since = *g.since.get_or_insert(sim.now);
            if sim.now - since >= g.hold {
                g.done_at = Some(sim.now);
                changed = true;
            }
        }
        changed
    }

    /// Why a command of this kind would be refused now, if it would.
    pub fn refusal(&self, kind: &str) -> Option<String> {
        let l = self.limits.iter().find(|l| l.kind == kind)?;
        if l.used < l.allowed {
            return None;
        }
        Some(if l.allowed == 0 {
            format!("this challenge forbids {kind}: reach the goals without it")
        } else {
            format!(
                "this challenge allows {} {kind} command{}, and you used {}",
                l.allowed,
                if l.allowed == 1 { "" } else { "s" },
                if l.used == 1 {
                    "it".to_string()
                } else {
                    format!("all {}", l.used)
                }
            )
        })
    }

    /// Every kind of command refused now, and why (buttons are disabled with the reason).
    pub fn refusals(&self) -> Vec<(&'static str, String)> {
        self.limits
            .iter()
            .filter_map(|l| self.refusal(l.kind).map(|why| (l.kind, why)))
            .collect()
    }

    /// Refuses a command the challenge does not allow (any more); counts it otherwise.
    pub fn admit(&mut self, cmd: &Command) -> Result<(), String> {
        let kind = command_kind(cmd);
        if let Some(why) = self.refusal(kind) {
            return Err(why);
        }
        if let Some(l) = self.limits.iter_mut().find(|l| l.kind == kind) {
            l.used += 1;
        }
        Ok(())
    }

    /// Gives back a counted command that was not carried out (the simulator refused it).
    pub fn unadmit(&mut self, cmd: &Command) {
        let kind = command_kind(cmd);
        if let Some(l) = self.limits.iter_mut().find(|l| l.kind == kind) {
            l.used = l.used.saturating_sub(1);
        }
    }

    pub fn solved(&self) -> bool {
        self.goals.iter().all(|g| g.done_at.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::Session;
    use crate::scenario::parse;

    #[test]
    fn a_challenge_reads_its_goals_limits_and_bugs() {
        let s = parse(
            "cluster 3\nbug double-vote\ngoal \"s2 leads\" leader s2\nforbid crash\nlimit cut 2\n\
             limit cut 1\ngoal \"both\" role s1 leader and term s1 >= 2\n",
        )
        .unwrap();
        let c = Challenge::of(&s).unwrap();
        assert_eq!(c.goals.len(), 2);
        assert_eq!(c.goals[1].conds_text, "role s1 leader and term s1 >= 2");
        assert_eq!(
            c.limits,
            vec![
                Limit {
                    kind: "crash",
                    allowed: 0,
                    used: 0
                },
                Limit {
                    kind: "cut",
                    allowed: 1,
                    used: 0
                }
            ]
        );
        assert_eq!(c.bugs, vec![Bug::DoubleVote]);
        assert!(Challenge::of(&parse("cluster 3\nforbid crash\n").unwrap()).is_none());
    }

    #[test]
    fn limits_refuse_with_a_reason_and_count_only_what_ran() {
        let s = parse("cluster 3\ngoal \"g\" leader any\nforbid crash\nlimit cut 2\n").unwrap();
        let mut c = Challenge::of(&s).unwrap();
        assert_eq!(
            c.admit(&Command::Crash(1)).unwrap_err(),
            "this challenge forbids crash: reach the goals without it"
        );
        assert!(c.admit(&Command::Cut(1, 2)).is_ok());
        assert!(c.admit(&Command::Cut(1, 3)).is_ok());
        assert_eq!(
            c.refusal("cut").unwrap(),
            "this challenge allows 2 cut commands, and you used all 2"
        );
        assert_eq!(
            c.refusals(),
            vec![
                (
                    "crash",
                    "this challenge forbids crash: reach the goals without it".into()
                ),
                (
                    "cut",
                    "this challenge allows 2 cut commands, and you used all 2".into()
                )
            ]
        );
        c.unadmit(&Command::Cut(1, 3));
        assert!(c.refusal("cut").is_none());
        assert!(c.admit(&Command::Timeout(1)).is_ok(), "not limited");
        assert!(c
            .admit(&Command::Set(crate::sim::settings::Setting::Loss(1.0)))
            .is_ok());
    }

    #[test]
    fn goals_tick_on_the_live_run_and_stay_done() {
        let text = "cluster 3\nseed 4\ngoal \"s2 leads\" leader s2\ngoal \"s2 crashed\" role s2 crashed\nforbid restart\n";
        let mut s = Session::from_scenario(text).unwrap();
        s.advance_to(1_000);
        let c = s.challenge().unwrap();
        assert!(c.goals.iter().all(|g| g.done_at.is_none()));
        s.command(Command::Timeout(2)).unwrap();
        s.advance_to(500_000);
        let c = s.challenge().unwrap();
        let at = c.goals[0].done_at.expect("s2 was elected");
        assert!(at > 1_000 && at < 500_000, "{at}");
        // Done when the condition became true: the instant s2 became leader.
        assert_eq!(s.history().seek(at).leader(), Some(2));
        assert_ne!(s.history().seek(at - 1).leader(), Some(2));
        s.command(Command::Crash(2)).unwrap();
        let c = s.challenge().unwrap();
        assert_eq!(c.goals[1].done_at, Some(500_000), "checked after a command");
        assert!(
            c.goals[0].done_at.is_some(),
            "stays done though s2 no longer leads"
        );
        assert!(c.solved());
        assert_eq!(
            s.command(Command::Restart(2)).unwrap_err().0,
            "this challenge forbids restart: reach the goals without it"
        );
        assert_eq!(
            s.sim().role_name(2),
            Some("crashed"),
            "refused: not carried out"
        );
    }

    #[test]
    fn titles_descriptions_and_goals_in_the_page_language() {
        let text = "# Challenge: Lead\n# Challenge zh: 领导\n# Get s2\n# zh: 让 s2 当选，然后\n\
                    # elected.\n# zh: s2 成为领导者。\ncluster 3\n\
                    goal \"s2 leads\" leader s2\ngoal zh \"s2 成为领导者\"\ngoal \"any\" leader any\n";
        assert_eq!(blurb_in(text, Lang::En), "Get s2 elected.");
        assert_eq!(blurb_in(text, Lang::Zh), "让 s2 当选，然后 s2 成为领导者。");
        assert_eq!(
            blurb_in("# Challenge: x\n# only English\n", Lang::Zh),
            "only English"
        );
        let s = parse(text).unwrap();
        let captions = |c: Challenge| c.goals.into_iter().map(|g| g.caption).collect::<Vec<_>>();
        crate::text::load_zh_from_sources();
        crate::text::set_lang(Lang::Zh);
        let zh = captions(Challenge::of(&s).unwrap());
        let names: Vec<&str> = challenges().iter().map(|f| f.name()).collect();
        crate::text::set_lang(Lang::En);
        assert_eq!(zh, vec!["s2 成为领导者", "any"]);
        for (f, name) in challenges().iter().zip(names) {
            assert_eq!(
                f.text().lines().nth(1),
                Some(format!("# Challenge zh: {name}").as_str()),
                "{}: the catalog's Chinese title is the file's",
                f.id
            );
        }
        assert_eq!(
            captions(Challenge::of(&s).unwrap()),
            vec!["s2 leads", "any"]
        );
        assert_eq!(challenges()[0].name(), challenges()[0].title);
    }

    #[test]
    fn every_bundled_challenge_parses_and_starts_with_no_goal_done() {
        for f in challenges() {
            let mut s =
                Session::from_scenario(f.text()).unwrap_or_else(|e| panic!("{}: {e}", f.id));
            assert_eq!(
                f.text().lines().next(),
                Some(format!("# Challenge: {}", f.title).as_str()),
                "{}: the table's title is the file's",
                f.id
            );
            assert_eq!(f.name(), f.title, "natively English");
            let (en, zh) = (blurb_in(f.text(), Lang::En), blurb_in(f.text(), Lang::Zh));
            assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{}", f.id);
            assert!(
                !en.contains("zh:") && !zh.contains('#'),
                "{}: {en} / {zh}",
                f.id
            );
            assert_eq!(blurb(f.text()), en, "natively English");
            s.advance_to(0);
            let c = s
                .challenge()
                .unwrap_or_else(|| panic!("{} has no goal", f.id));
            assert!(c.goals.iter().all(|g| g.done_at.is_none()), "{}", f.id);
            // No scripted play: nothing but set-up, goals, limits and bugs.
            assert!(s.inputs().is_empty(), "{}", f.id);
            assert!(find(f.id).is_ok());
        }
        assert_eq!(
            find("nope").err().unwrap(),
            format!(
                "unknown challenge \"nope\" (known: {})",
                challenges()
                    .iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
    }
}
