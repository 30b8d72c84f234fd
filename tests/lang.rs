//! The Chinese catalog (`lang/zh/*.txt`, joined into `lang/zh.txt` by the page's build) against the sources: every English text written in
//! a `t!(...)` has exactly one translation with the same placeholders, the catalog holds
//! nothing else, and the texts use only `{name}` placeholders (no format specs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use raftlab::text::{catalog_files, parse_catalog, placeholders, Entry};

/// The value of a Rust string literal starting at `s` (just after its opening quote), and
/// the rest after its closing quote.
fn literal(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut it = s.char_indices();
    while let Some((i, c)) = it.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => match it.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\n' => {
                    // A line continuation: the newline and the next line's indent go.
                    let rest = &s[i + 2..];
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in 0..skip {
                        it.next();
                    }
                }
                'u' => {
                    let rest = &s[i + 2..];
                    let end = rest.find('}')?;
                    let code = u32::from_str_radix(&rest[1..end], 16).ok()?;
                    out.push(char::from_u32(code)?);
                    for _ in 0..=end {
                        it.next();
                    }
                }
                o => out.push(o),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every `t!("...")` text of a source file (comments skipped), with its line.
fn texts(src: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Drop `//` comments line by line (a `t!` example in a doc comment is not a text).
    let code: String = src
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("t!(") {
        let before = &rest[..i];
        rest = &rest[i + 3..];
        // `t!(` must be the macro, not the end of another name (`format_t!(`).
        if before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let trimmed = rest.trim_start();
        let Some(after) = trimmed.strip_prefix('"') else {
            continue;
        };
        let line = code.len() - rest.len();
        let line = code[..line].matches('\n').count() + 1;
        if let Some((text, r)) = literal(after) {
            out.push((line, text));
            rest = r;
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every text of the sources (except `src/text.rs`, whose tests use made-up texts).
fn source_texts() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut out = BTreeMap::new();
    for f in files {
        if f.ends_with("src/text.rs") {
            continue;
        }
        let src = std::fs::read_to_string(&f).unwrap();
        for (line, text) in texts(&src) {
            let at = format!("{}:{line}", f.strip_prefix(root).unwrap().display());
            out.entry(text).or_insert(at);
        }
    }
    out
}

/// The catalog's entries, each with the file it is in (relative to the repository).
fn catalog(root: &Path) -> Vec<(String, Entry)> {
    let mut out = Vec::new();
    for f in catalog_files() {
        let name = f.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        let entries = parse_catalog(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.extend(entries.into_iter().map(|e| (name.clone(), e)));
    }
    out
}

#[test]
fn the_scanner_reads_literals_as_rust_does() {
    let src = "let a = t!(\"s{id} \\\"x\\\"\\n\", id = 1);\n// t!(\"comment\")\nlet b = crate::t!(\n    \"two \\\n     lines\");";
    let got: Vec<String> = texts(src).into_iter().map(|(_, t)| t).collect();
    assert_eq!(got, ["s{id} \"x\"\n", "two lines"]);
}

#[test]
fn every_text_has_one_chinese_translation_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let entries = catalog(root);
    let sources = source_texts();
    let mut problems = Vec::new();
    for (text, at) in &sources {
        let bad = text
            .split('{')
            .skip(1)
            .filter(|p| !p.starts_with('{') && !p.starts_with('}'))
            .any(|p| {
                let name = p.split('}').next().unwrap_or("");
                name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        if bad {
            problems.push(format!(
                "{at}: {text:?}: placeholders must be {{name}} (no positions, no format specs)"
            ));
        }
    }
    let mut keys = BTreeMap::new();
    for text in sources.keys() {
        if let Some(other) = keys.insert(raftlab::text::hash(text), text) {
            problems.push(format!("{text:?} and {other:?} share a hash: reword one"));
        }
    }
    let mut seen = BTreeSet::new();
    for (file, e) in &entries {
        if !seen.insert(e.en.clone()) {
            problems.push(format!(
                "{}:{}: {:?} is translated twice",
                file, e.line, e.en
            ));
        }
        if !sources.contains_key(&e.en) {
            problems.push(format!(
                "{}:{}: {:?} is no t!(...) text of the sources (remove it)",
                file, e.line, e.en
            ));
        }
        if placeholders(&e.en) != placeholders(&e.tr) {
            problems.push(format!(
                "{}:{}: {:?} has placeholders {:?}, its translation {:?}",
                file,
                e.line,
                e.en,
                placeholders(&e.en),
                placeholders(&e.tr)
            ));
        }
        if e.tr.trim().is_empty() {
            problems.push(format!("{}:{}: empty translation", file, e.line));
        }
    }
    for (text, at) in &sources {
        if !seen.contains(text) {
            problems.push(format!(
                "{at}: {text:?} has no translation in lang/zh/*.txt"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
