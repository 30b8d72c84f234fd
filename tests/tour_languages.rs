//! Tours and challenges carry English and Chinese in one file (`say zh` / `goal zh` after
//! each `say` / `goal`, `# Tour zh:` / `# Challenge zh:` after the title): every bundled
//! file gives every caption in both, and `raftlab check` FAILs a file whose languages
//! have different numbers of captions.

use raftlab::scenario::ast::{Caption, Statement};
use raftlab::scenario::parse;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn raft_files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".raft"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    v.sort();
    v
}

fn raftlab(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_raftlab"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run raftlab");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_bundled_caption_is_in_both_languages() {
    let files: Vec<String> = raft_files("tours")
        .into_iter()
        .chain(raft_files("challenges"))
        .collect();
    assert_eq!(files.len(), 17);
    for f in &files {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        let kind = if f.starts_with("tours/") {
            "Tour"
        } else {
            "Challenge"
        };
        let mut head = text.lines();
        assert!(
            head.next().unwrap().starts_with(&format!("# {kind}: ")),
            "{f}"
        );
        let zh_title = head.next().unwrap();
        assert!(
            zh_title.starts_with(&format!("# {kind} zh: ")) && is_chinese(zh_title),
            "{f}: the second line is the Chinese title, found {zh_title:?}"
        );
        let s = parse(&text).unwrap_or_else(|e| panic!("{f}:{e}"));
        let captions: Vec<&Caption> = s
            .lines
            .iter()
            .filter_map(|l| match &l.stmt {
                Statement::Say(c) | Statement::Goal { caption: c, .. } => Some(c),
                _ => None,
            })
            .collect();
        assert!(!captions.is_empty(), "{f}");
        for c in captions {
            let zh =
                c.zh.as_deref()
                    .unwrap_or_else(|| panic!("{f}: {:?} has no Chinese", c.en));
            assert!(
                is_chinese(zh) && !is_chinese(&c.en),
                "{f}: {:?} / {zh:?}",
                c.en
            );
            // Server names stay as they are.
            for w in c.en.split(|ch: char| !ch.is_ascii_alphanumeric()) {
                if w.len() == 2 && w.starts_with('s') && w.as_bytes()[1].is_ascii_digit() {
                    assert!(zh.contains(w), "{f}: {w} of {:?} is not in {zh:?}", c.en);
                }
            }
        }
    }
}

#[test]
fn raftlab_check_passes_the_bundled_tours_and_challenges() {
    let mut args = vec!["check".to_string()];
    args.extend(raft_files("tours"));
    args.extend(raft_files("challenges"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out) = raftlab(&args);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("PASS ")).count(),
        17,
        "{out}"
    );
}

#[test]
fn raftlab_check_fails_a_file_whose_languages_differ() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let tour = std::fs::read_to_string(root().join("tours/01-election.raft")).unwrap();
    // Drop the Chinese of the third caption (line 24 of the file is its `say`).
    let third_zh = tour
        .lines()
        .filter(|l| l.starts_with("say zh "))
        .nth(2)
        .unwrap()
        .to_string();
    let say_line = tour.lines().position(|l| l == third_zh).unwrap(); // 1-based line of its say
    let broken = tour.replacen(&format!("{third_zh}\n"), "", 1);
    let path = dir.join("tour-missing-zh.raft");
    std::fs::write(&path, broken).unwrap();
    let challenge = std::fs::read_to_string(root().join("challenges/elect-s3.raft")).unwrap();
    let goal_zh = challenge
        .lines()
        .find(|l| l.starts_with("goal zh "))
        .unwrap();
    let cpath = dir.join("challenge-missing-zh.raft");
    std::fs::write(&cpath, challenge.replacen(&format!("{goal_zh}\n"), "", 1)).unwrap();
    let (code, out) = raftlab(&[
        "check",
        "tours/02-replication.raft",
        path.to_str().unwrap(),
        cpath.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("PASS tours/02-replication.raft"), "{out}");
    let want = format!(
        "FAIL {}:{say_line}: the languages have different numbers of captions: 8 in English \
         (say) but 7 in Chinese (say zh); the say of line {say_line} has no say zh after it",
        path.display()
    );
    assert!(out.lines().any(|l| l == want), "want {want:?} in\n{out}");
    assert!(
        out.contains("the languages have different numbers of goals: 2 in English (goal) but 1 in Chinese (goal zh)"),
        "{out}"
    );
    // A say zh with no say before it is a parse error naming its line.
    let orphan = dir.join("orphan-zh.raft");
    std::fs::write(&orphan, "cluster 3\nrun 1s\nsay zh \"孤零零\"\n").unwrap();
    let (code, out) = raftlab(&["check", orphan.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{out}");
    assert_eq!(
        out.trim(),
        format!(
            "{}:3:1: error: say zh gives the Chinese of the caption of the say line right before it: one say zh after each say line",
            orphan.display()
        )
    );
}
