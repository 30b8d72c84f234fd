//! The documentation stays true: the README links only to files inside the repository
//! (and they exist), and `docs/scenario-format.md` is the shared scenario format, word for
//! word (the contract between the checker, the page, tutorials and tests).

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The targets of the Markdown links `[text](target)` in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                out.push(after[..end].to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn readme_links_only_to_files_inside_the_repository() {
    for doc in ["README.md", "docs/scenario-format.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        let dir = root().join(doc).parent().unwrap().to_path_buf();
        for target in link_targets(&text) {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            if file.is_empty() {
                continue;
            }
            let resolved = dir.join(file).canonicalize();
            assert!(
                resolved.is_ok(),
                "{doc} links to a file that does not exist: {target}"
            );
            assert!(
                resolved.unwrap().starts_with(root().canonicalize().unwrap()),
                "{doc} links outside the repository: {target}"
            );
        }
    }
}

#[test]
fn link_targets_are_found() {
    assert_eq!(
        link_targets("see [a](docs/x.md) and [b](#top), [c](y.md#z)"),
        vec!["docs/x.md", "#top", "y.md#z"]
    );
}

/// Where the shared folder sits beside the checkout (as in CI), the copy must match it.
#[test]
fn scenario_format_copy_matches_the_shared_one() {
    let copy = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    assert!(copy.contains("`.raft`"), "docs/scenario-format.md is not the format");
    let shared = root().join("../shared/scenario-format.md");
    if let Ok(original) = std::fs::read_to_string(&shared) {
        assert_eq!(
            copy, original,
            "docs/scenario-format.md differs from ../shared/scenario-format.md: copy it again"
        );
    }
}
