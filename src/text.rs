//! Two languages, English and 简体中文, for everything a person reads.
//!
//! Every sentence is written once, in English, inside [`t!`](crate::t): `t!("Play")` is a
//! `&'static str`, `t!("became {role} in term {term}", role = r, term = t)` a `String`
//! (placeholders are `{name}` only, no format specs: format numbers before). The Chinese
//! catalog, `lang/zh.txt` (loaded by the page as a file of its own, next to the module,
//! only when Chinese is asked for), maps each English text to its translation:
//!
//! ```text
//! en: became {role} in term {term}
//! zh: 在任期 {term} 成为{role}
//! ```
//!
//! A translation may reorder the placeholders but must use the same ones
//! (`tests/lang.rs` checks that every `t!` text of the sources has a translation with the
//! same placeholders, and that the catalog holds nothing else). The language is one per
//! page: [`set_lang`] before anything is built; natively (the CLI, the tests) it is
//! English, byte for byte what `format!` would give.
//!
//! Lookups go by a hash of the English text ([`hash`]), computed when a Chinese page looks
//! a text up (an English page never does), so neither the translation table nor the texts
//! in the bundle hold a key of their own.

use litemap::LiteMap;
use std::cell::{Cell, RefCell};
use std::fmt::{Display, Write};

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `en`, `zh` (also `zh-CN`, `zh-Hans`, ... as browsers name it); `None` otherwise.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }
}

/// FNV-1a, 32 bits: the key of an English text in a catalog (32 bits keep each `t!` small
/// in the wasm; `tests/lang.rs` checks that no two texts of the sources share a key).
pub const fn hash(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
    static ZH: RefCell<LiteMap<u32, &'static &'static str>> = const { RefCell::new(LiteMap::new()) };
    static ZH_LOADED: Cell<bool> = const { Cell::new(false) };
}

/// The page's language (English until set).
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

/// Sets the language of everything built from now on.
pub fn set_lang(l: Lang) {
    LANG.with(|c| c.set(l));
}

/// Whether the Chinese catalog is loaded.
pub fn zh_loaded() -> bool {
    ZH_LOADED.with(|l| l.get())
}

/// A text with arguments as `t!` keeps it (a `static` at each `t!`, so that each use in
/// the wasm is one pointer and one call): its English, and the names of its arguments,
/// each followed by a comma (`"id,term,"`). A text without arguments is a `static` of its
/// English alone. The key of a translation, [`hash`] of the English, is computed when a
/// Chinese page looks it up (keeping it beside each text cost 4 bytes a text in every
/// page's bundle).
pub struct Text {
    pub en: &'static str,
    pub names: &'static str,
}

/// The text to show for the English `en` in the page's language (`en` itself without a
/// translation): what `t!` without arguments calls.
#[inline(never)]
pub fn pick(en: &'static &'static str) -> &'static &'static str {
    if lang() == Lang::En {
        return en;
    }
    let h = hash(en);
    ZH.with(|z| z.borrow().get(&h).copied()).unwrap_or(en)
}

/// [`pick`] then [`fill`]: what `t!` with arguments calls.
#[inline(never)]
pub fn pick_fill(t: &'static Text, args: &[&dyn Display]) -> String {
    fill(pick(&t.en), t.names, args)
}

/// Replaces each `{name}` of `template` by its argument: `names` lists the arguments'
/// names, each followed by a comma (`"id,term,"`), `args` their values in that order;
/// `{{` and `}}` are braces.
pub fn fill(template: &str, names: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        if rest.as_bytes().first() == Some(&c) {
            out.push(c as char);
            rest = &rest[1..];
            continue;
        }
        if c == b'}' {
            out.push('}');
            continue;
        }
        let end = rest.find('}').unwrap_or(rest.len());
        let name = &rest[..end];
        match names
            .split(',')
            .position(|n| n == name)
            .and_then(|k| args.get(k))
        {
            Some(v) => {
                let _ = write!(out, "{v}");
            }
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// One entry of a catalog file: the English text and its translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub en: String,
    pub tr: String,
}

/// Reads a catalog file (`en:` / `zh:` line pairs; `#` comments and blank lines between
/// pairs; `\n`, `\t`, `\"` and `\\` escapes). Errors name the line.
pub fn parse_catalog(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            if let Some((l, _)) = pending {
                return Err(format!("line {l}: an en: line without its zh: line"));
            }
            continue;
        }
        if let Some(en) = line.strip_prefix("en: ") {
            if let Some((l, _)) = pending {
                return Err(format!("line {l}: an en: line without its zh: line"));
            }
            pending = Some((n, unescape(en)));
        } else if let Some(tr) = line.strip_prefix("zh: ") {
            let Some((l, en)) = pending.take() else {
                return Err(format!(
                    "line {n}: a zh: line without an en: line before it"
                ));
            };
            out.push(Entry {
                line: l,
                en,
                tr: unescape(tr),
            });
        } else {
            return Err(format!(
                "line {n}: expected a line starting with \"en: \" or \"zh: \", a # comment or a blank line"
            ));
        }
    }
    if let Some((l, _)) = pending {
        return Err(format!("line {l}: an en: line without its zh: line"));
    }
    Ok(out)
}

/// `\n`, `\t`, `\"`, `\\` in a catalog line (as in the Rust literal it translates).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// Loads the Chinese catalog (the text of `lang/zh.txt`); returns how many entries.
pub fn load_zh(text: &str) -> Result<usize, String> {
    let entries = parse_catalog(text)?;
    let n = entries.len();
    ZH.with(|z| {
        let mut z = z.borrow_mut();
        for e in entries {
            let tr: &'static str = Box::leak(e.tr.into_boxed_str());
            z.insert(hash(&e.en), Box::leak(Box::new(tr)));
        }
    });
    ZH_LOADED.with(|l| l.set(true));
    Ok(n)
}

/// The files of the Chinese catalog in the sources, `lang/zh/*.txt` in name order (the
/// order the page's build joins them in).
#[cfg(not(target_arch = "wasm32"))]
pub fn catalog_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lang/zh");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("lang/zh")
        .map(|e| e.expect("lang/zh").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// Loads the whole Chinese catalog from the sources (natively, for tests that look at the
/// Chinese).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_zh_from_sources() {
    for f in catalog_files() {
        let text = std::fs::read_to_string(&f).expect("a catalog file");
        load_zh(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

/// The placeholders of a template, sorted (`{{` is not one).
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('{') {
            rest = r;
            continue;
        }
        let end = rest.find('}').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out.sort();
    out
}

/// A sentence in the page's language: `t!("Play")` is a `&'static str`;
/// `t!("s{id} crashed", id = s)` a `String` (named placeholders only, no format specs).
/// Natively the arguments are also checked against the text by `format!` at compile time.
#[macro_export]
macro_rules! t {
    ($en:literal) => {{
        static T: &str = $en;
        *$crate::text::pick(&T)
    }};
    ($en:literal, $($name:ident = $val:expr),+ $(,)?) => {{
        #[cfg(not(target_arch = "wasm32"))]
        if false {
            let _ = format!($en, $($name = $val),+);
        }
        static T: $crate::text::Text = $crate::text::Text {
            en: $en,
            names: concat!($(stringify!($name), ","),+),
        };
        $crate::text::pick_fill(&T, &[$(&$val as &dyn ::std::fmt::Display),+])
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_and_keeps_braces() {
        let s = fill("s{id} in term {term} {{x}}", "term,id,", &[&4, &"2"]);
        assert_eq!(s, "s2 in term 4 {x}");
        assert_eq!(fill("{missing}", "", &[]), "{missing}");
        assert_eq!(fill("{a}{ab}", "ab,a,", &[&1, &2]), "21");
    }

    #[test]
    fn english_is_what_format_gives() {
        let (id, term) = (3, 7);
        assert_eq!(
            t!("s{id} became leader in term {term}", id = id, term = term),
            format!("s{id} became leader in term {term}")
        );
        assert_eq!(t!("Play"), "Play");
    }

    #[test]
    fn a_loaded_catalog_translates_and_reorders() {
        load_zh(
            "# test\nen: s{id} in term {term}\nzh: 任期 {term} 的 s{id}\n\nen: Play\nzh: 播放\n",
        )
        .unwrap();
        set_lang(Lang::Zh);
        assert_eq!(t!("Play"), "播放");
        assert_eq!(t!("s{id} in term {term}", id = 1, term = 2), "任期 2 的 s1");
        assert_eq!(t!("Not translated"), "Not translated");
        set_lang(Lang::En);
        assert_eq!(t!("Play"), "Play");
    }

    #[test]
    fn catalog_errors_name_the_line() {
        assert_eq!(
            parse_catalog("en: a\nen: b\nzh: c\n").unwrap_err(),
            "line 1: an en: line without its zh: line"
        );
        assert_eq!(
            parse_catalog("zh: c\n").unwrap_err(),
            "line 1: a zh: line without an en: line before it"
        );
        assert!(parse_catalog("oops\n")
            .unwrap_err()
            .starts_with("line 1: expected"));
        assert_eq!(
            parse_catalog("en: a\\nb\nzh: c\\\"d\n").unwrap()[0].en,
            "a\nb"
        );
    }

    #[test]
    fn tags_name_languages() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh_Hans"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("EN-us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(placeholders("{b} {{x}} {a}"), ["a", "b"]);
    }
}
