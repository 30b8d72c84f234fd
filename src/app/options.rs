//! How a page (or an embed in a tutorial) asks for a particular cluster: URL parameters
//! and the options of the JavaScript `mount()`, checked here so that a bad value is
//! reported by name while the defaults stay in force. Also the shareable-link encoding of
//! a run (its export, LZ-compressed into a URL-safe string).

use super::bridge::Bridge;
use crate::scenario::ast::Setting;
use crate::scenario::parse;
use crate::sim::cluster::Setup;
use crate::sim::settings::Settings;
use crate::sim::SimError;
use crate::t;
pub use crate::text::Lang;

/// Slowest and fastest playback speeds (virtual time per wall time).
pub const SPEED_MIN: f64 = 0.001;
pub const SPEED_MAX: f64 = 10.0;
/// Default speed: a message crossing (5–15 ms) takes a visible ~0.2 s.
pub const SPEED_DEFAULT: f64 = 0.05;
/// Presentation mode's default speed (1/50): slow enough to narrate, a crossing ~0.5 s.
pub const SPEED_PRESENT: f64 = 0.02;

/// The colour theme: `None` (no `theme=`) follows the browser's `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// The cluster only.
    None,
    /// Play/pause and the few buttons a tutorial needs; fits a 600x400 box.
    Minimal,
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Cluster,
    /// The election-timing experiment (Figure 16).
    Elections,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioSource {
    /// The scenario's text itself.
    Text(String),
    /// A path under the site to fetch.
    Path(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    pub setup: Setup,
    pub scenario: Option<ScenarioSource>,
    /// A shared run (an exported scenario, from `?run=`).
    pub run: Option<String>,
    pub controls: Controls,
    pub autoplay: bool,
    /// Virtual time per real time, 0.001..=10.
    pub speed: f64,
    pub view: View,
    /// Presentation mode (`present=1`): big labels, a slower default speed, one compact bar.
    pub present: bool,
    /// `theme=light|dark`; `None` follows the browser.
    pub theme: Option<Theme>,
    /// `lang=en|zh`; `None` follows the browser's language.
    pub lang: Option<Lang>,
    /// A bundled challenge to play (`?challenge=NAME`).
    pub challenge: Option<&'static str>,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            setup: Setup::default(),
            scenario: None,
            run: None,
            controls: Controls::Full,
            autoplay: true,
            speed: 1.0,
            view: View::Cluster,
            present: false,
            theme: None,
            lang: None,
            challenge: None,
        }
    }
}

/// A parameter that could not be used: the page shows it and keeps the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&t!(
            "parameter {param}: {message}",
            param = self.param,
            message = self.message
        ))
    }
}

fn on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" | "1" | "true" | "yes" => Ok(true),
        "off" | "0" | "false" | "no" => Ok(false),
        _ => Err(t!(
            "expected on or off, found {value}",
            value = quoted(value)
        )),
    }
}

/// A value as typed, quoted (`"fast"`), for error messages.
fn quoted(value: &str) -> String {
    format!("{value:?}")
}

/// Applies one option by name (URL parameter or `mount()` option). On error the options
/// are unchanged.
pub fn apply_option(o: &mut EmbedOptions, name: &str, value: &str) -> Result<(), String> {
    let set = |o: &mut EmbedOptions, s: Setting| -> Result<(), String> {
        let mut settings: Settings = o.setup.settings.clone();
        settings.set(&s).map_err(|SimError(e)| e)?;
        o.setup.settings = settings;
        Ok(())
    };
    match name {
        "scenario" => {
            let v = value.trim();
            if v.is_empty() {
                return Err(t!("empty").into());
            }
            let looks_like_path = !v.contains(char::is_whitespace) && v.ends_with(".raft");
            o.scenario = Some(if looks_like_path {
                if v.contains("://") || v.starts_with("//") {
                    return Err(
                        t!("must be a path under this site, not another site's address").into(),
                    );
                }
                ScenarioSource::Path(v.to_string())
            } else {
                ScenarioSource::Text(value.to_string())
            });
        }
        "run" => o.run = Some(decode_run(value)?),
        "challenge" => o.challenge = Some(super::challenge::find(value.trim())?.id),
        "seed" => {
            o.setup.seed = value
                .parse()
                .map_err(|_| t!("expected a whole number, found {value}", value = quoted(value)))?
        }
        "servers" => match value.parse::<u8>() {
            Ok(n) if (1..=9).contains(&n) => o.setup.servers = n,
            _ => {
                return Err(t!(
                    "expected 1 to 9 servers, found {value}",
                    value = quoted(value)
                ))
            }
        },
        "election" => set(o, Setting::ElectionTimeout(parse::duration_range_text(value)?))?,
        "heartbeat" => {
            let r = parse::duration_range_text(value)?;
            if r.min != r.max {
                return Err(t!("expected one duration, like 50 or 50ms").into());
            }
            set(o, Setting::Heartbeat(r.min))?
        }
        "latency" => set(o, Setting::Latency(parse::duration_range_text(value)?))?,
        "prevote" => set(o, Setting::Prevote(on_off(value)?))?,
        "checkquorum" | "check-quorum" => set(o, Setting::CheckQuorum(on_off(value)?))?,
        "controls" => {
            o.controls = match value {
                "none" => Controls::None,
                "minimal" => Controls::Minimal,
                "full" => Controls::Full,
                _ => {
                    return Err(t!(
                        "expected none, minimal or full, found {value}",
                        value = quoted(value)
                    ))
                }
            }
        }
        "autoplay" => o.autoplay = on_off(value)?,
        "speed" => match crate::sim::decimal::parse(value) {
            Some(x) if (SPEED_MIN..=SPEED_MAX).contains(&x) => o.speed = x,
            _ => {
                return Err(t!(
                    "expected a number from 0.001 to 10, found {value}",
                    value = quoted(value)
                ))
            }
        },
        "view" => {
            o.view = match value {
                "cluster" => View::Cluster,
                "elections" => View::Elections,
                _ => {
                    return Err(t!(
                        "expected cluster or elections, found {value}",
                        value = quoted(value)
                    ))
                }
            }
        }
        "present" => o.present = on_off(value)?,
        "theme" => {
            o.theme = match value {
                "light" => Some(Theme::Light),
                "dark" => Some(Theme::Dark),
                // Said explicitly: follow the browser (as without the parameter).
                "auto" => None,
                _ => {
                    return Err(t!(
                        "expected light, dark or auto, found {value}",
                        value = quoted(value)
                    ))
                }
            }
        }
        "lang" => {
            // `en`, `zh`, or a tag as HTML writes it (`zh-CN`, `zh-Hans`, `en-GB`).
            o.lang = match value {
                // Said explicitly: follow the browser (as without the parameter).
                "auto" => None,
                _ => Some(Lang::from_tag(value).ok_or_else(|| {
                    t!("expected en, zh or auto, found {value}", value = quoted(value))
                })?),
            }
        }
        _ => return Err(t!("unknown parameter (known: scenario, run, challenge, seed, servers, election, heartbeat, latency, prevote, checkquorum, controls, autoplay, speed, view, present, theme, lang)").into()),
    }
    Ok(())
}

/// The speed a page or embed starts at: the one asked for, else presentation mode's
/// slower default (1/50), else the page's default (1/20).
pub fn start_speed(o: &EmbedOptions, speed_given: bool) -> f64 {
    if speed_given {
        o.speed
    } else if o.present {
        SPEED_PRESENT
    } else {
        SPEED_DEFAULT
    }
}

/// Parses a URL's query string (with or without the leading `?`). Every parameter that
/// cannot be used is reported, and its default is kept.
pub fn parse_query(query: &str) -> (EmbedOptions, Vec<ParamError>) {
    let mut o = EmbedOptions::default();
    let mut errors = Vec::new();
    let q = query.strip_prefix('?').unwrap_or(query);
    for (name, value) in form_urlencoded::parse(q.as_bytes()) {
        if let Err(message) = apply_option(&mut o, &name, &value) {
            errors.push(ParamError {
                param: name.into_owned(),
                message,
            });
        }
    }
    (o, errors)
}

/// A run's export, compressed into a URL-safe string (`?run=...`).
pub fn encode_run(export_text: &str) -> String {
    lz_str::compress_to_encoded_uri_component(export_text)
}

/// The export text back from `encode_run`'s output.
pub fn decode_run(encoded: &str) -> Result<String, String> {
    let words = lz_str::decompress_from_encoded_uri_component(encoded)
        .ok_or(t!("not a run link raftlab made (it does not decompress)"))?;
    String::from_utf16(&words).map_err(|_| t!("not a run link raftlab made (bad text)").to_string())
}

/// How the page starts (the URL parameters and `mount()` options of later issues fill it).
#[derive(Clone, Debug, PartialEq)]
pub struct StartConfig {
    pub servers: u8,
    pub seed: u64,
    pub speed: f64,
    pub autoplay: bool,
    /// A scenario to load instead of a fresh cluster.
    pub scenario: Option<String>,
    /// Listen to keyboard shortcuts on the whole document (one instance per page should).
    pub keyboard: bool,
    /// The whole set-up (settings too) from URL parameters / `mount()` options; when set it
    /// is used instead of `servers` and `seed`.
    pub setup: Option<Setup>,
    /// Which controls are shown (`controls=none|minimal|full`).
    pub controls: Controls,
    /// `view=cluster|elections`.
    pub view: View,
    /// A scenario to fetch (a path relative to the page) and then play.
    pub scenario_path: Option<String>,
    /// Stop playing when the loaded scenario ends (a shared run replays to its moment).
    pub stop_at_end: bool,
    /// Parameters that could not be used (shown in a banner; the defaults are kept).
    pub param_errors: Vec<String>,
    /// A bundled challenge to start with (`?challenge=NAME`), shown in its tab.
    pub challenge: Option<&'static str>,
    /// Lets a JavaScript `Handle` reach this instance (see `ui/embed.rs`).
    pub bridge: Option<Bridge>,
    /// The address to fetch `scenario_path` from instead of the page's own path (a
    /// `<raft-cluster>` element's `tours/...` and `scenarios/...`: next to the module).
    pub scenario_fallback: Option<String>,
    /// The settings came from a `<raft-cluster>` element's attributes (errors name them so).
    pub attributes: bool,
    /// Start in presentation mode (`present=1`).
    pub present: bool,
    /// A theme forced by `theme=` (else the browser's preference).
    pub theme: Option<Theme>,
    /// A language asked for by `lang=` (else the browser's language).
    pub lang: Option<Lang>,
}

impl Default for StartConfig {
    fn default() -> Self {
        StartConfig {
            servers: 5,
            seed: 1,
            speed: SPEED_DEFAULT,
            autoplay: true,
            scenario: None,
            keyboard: true,
            setup: None,
            controls: Controls::Full,
            view: View::Cluster,
            scenario_path: None,
            stop_at_end: false,
            param_errors: Vec::new(),
            challenge: None,
            bridge: None,
            attributes: false,
            scenario_fallback: None,
            present: false,
            theme: None,
            lang: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::MS;

    #[test]
    fn good_parameters_set_up_the_cluster() {
        let (o, errors) = parse_query("?seed=7&servers=3&election=200..400&heartbeat=40&latency=1ms..3ms&prevote=on&controls=minimal&autoplay=0&speed=0.5");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(o.setup.seed, 7);
        assert_eq!(o.setup.servers, 3);
        assert_eq!(
            (o.setup.settings.election_min, o.setup.settings.election_max),
            (200 * MS, 400 * MS)
        );
        assert_eq!(o.setup.settings.heartbeat, 40 * MS);
        assert_eq!(
            (o.setup.settings.latency_min, o.setup.settings.latency_max),
            (MS, 3 * MS)
        );
        assert!(o.setup.settings.prevote);
        assert_eq!(o.controls, Controls::Minimal);
        assert!(!o.autoplay);
        assert_eq!(o.speed, 0.5);
    }

    #[test]
    fn bad_parameters_are_named_and_keep_defaults() {
        let (o, errors) =
            parse_query("servers=12&election=300..150&speed=fast&controls=some&bogus=1&seed=3");
        let names: Vec<&str> = errors.iter().map(|e| e.param.as_str()).collect();
        assert_eq!(names, ["servers", "election", "speed", "controls", "bogus"]);
        assert_eq!(o.setup.servers, 5);
        assert_eq!(o.setup.settings.election_min, 150 * MS);
        assert_eq!(o.speed, 1.0);
        assert_eq!(o.controls, Controls::Full);
        assert_eq!(o.setup.seed, 3, "good parameters still apply");
        assert!(
            errors[0].to_string().contains("parameter servers"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn scenarios_by_text_or_path() {
        let (o, e) = parse_query("scenario=cluster%203%0Atimeout%20s1");
        assert!(e.is_empty());
        assert_eq!(
            o.scenario,
            Some(ScenarioSource::Text("cluster 3\ntimeout s1".into()))
        );
        let (o, _) = parse_query("scenario=tours/01-election.raft");
        assert_eq!(
            o.scenario,
            Some(ScenarioSource::Path("tours/01-election.raft".into()))
        );
        let (_, e) = parse_query("scenario=https://evil.example/x.raft");
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn run_links_round_trip() {
        let text = "# exported\ncluster 3\nseed 4\nrun 1.5s\ncrash s1\nrun 2s\n".repeat(20);
        let enc = encode_run(&text);
        assert!(
            enc.len() < text.len() / 2,
            "compressed: {} of {}",
            enc.len(),
            text.len()
        );
        assert!(
            enc.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-$_".contains(c)),
            "{enc}"
        );
        let (o, e) = parse_query(&format!("run={enc}"));
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(o.run.as_deref(), Some(text.as_str()));
        assert!(decode_run("not-a-link!").is_err());
    }

    #[test]
    fn language_parameter() {
        assert_eq!(parse_query("lang=zh").0.lang, Some(Lang::Zh));
        assert_eq!(parse_query("lang=en").0.lang, Some(Lang::En));
        assert_eq!(parse_query("lang=auto").0.lang, None);
        assert_eq!(parse_query("lang=zh-CN").0.lang, Some(Lang::Zh));
        let (o, e) = parse_query("lang=fr");
        assert_eq!(o.lang, None, "the default is kept");
        assert_eq!(
            e[0].to_string(),
            "parameter lang: expected en, zh or auto, found \"fr\""
        );
    }

    #[test]
    fn errors_are_said_in_the_page_language() {
        use crate::text::set_lang;
        crate::text::load_zh_from_sources();
        set_lang(Lang::Zh);
        let (_, e) = parse_query("lang=fr&servers=12");
        let said: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        set_lang(Lang::En);
        assert_eq!(
            said,
            [
                "参数 lang：应为 en、zh 或 auto，实际为 \"fr\"",
                "参数 servers：服务器数量应为 1 到 9，实际为 \"12\"",
            ]
        );
    }

    #[test]
    fn presentation_mode_and_theme() {
        let (o, e) = parse_query("present=1&theme=dark");
        assert!(e.is_empty(), "{e:?}");
        assert!(o.present);
        assert_eq!(o.theme, Some(Theme::Dark));
        let (o, e) = parse_query("present=off&theme=light");
        assert!(e.is_empty(), "{e:?}");
        assert!(!o.present);
        assert_eq!(o.theme, Some(Theme::Light));
        let (o, e) = parse_query("theme=auto");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(o.theme, None, "auto follows the browser");
        let d = EmbedOptions::default();
        assert!(!d.present);
        assert_eq!(d.theme, None, "no theme= follows the browser");
        assert_eq!(Theme::Dark.as_str(), "dark");
        assert_eq!(Theme::Light.as_str(), "light");
    }

    #[test]
    fn bad_presentation_and_theme_values_are_named() {
        let (o, e) = parse_query("theme=blue&present=maybe&servers=3");
        let names: Vec<&str> = e.iter().map(|e| e.param.as_str()).collect();
        assert_eq!(names, ["theme", "present"]);
        assert_eq!(
            e[0].to_string(),
            "parameter theme: expected light, dark or auto, found \"blue\""
        );
        assert_eq!(
            e[1].to_string(),
            "parameter present: expected on or off, found \"maybe\""
        );
        assert_eq!(o.theme, None, "the default is kept");
        assert!(!o.present);
        assert_eq!(o.setup.servers, 3, "good parameters still apply");
        // Case matters, as for every other parameter.
        let (_, e) = parse_query("theme=Dark");
        assert_eq!(e.len(), 1);
        // An error leaves a theme given before unchanged (apply_option is all or nothing).
        let mut o = EmbedOptions::default();
        apply_option(&mut o, "theme", "dark").unwrap();
        assert!(apply_option(&mut o, "theme", "").is_err());
        assert_eq!(o.theme, Some(Theme::Dark));
    }

    #[test]
    fn presentation_speed_is_slower_than_the_default() {
        assert!(SPEED_PRESENT < SPEED_DEFAULT);
        assert!((SPEED_MIN..=SPEED_MAX).contains(&SPEED_PRESENT));
        // About 1/50 of real time.
        assert!((SPEED_PRESENT * 50.0 - 1.0).abs() < 0.01);
        let (o, _) = parse_query("present=1");
        assert_eq!(start_speed(&o, false), SPEED_PRESENT);
        let (o, _) = parse_query("present=1&speed=0.5");
        assert_eq!(start_speed(&o, true), 0.5, "an asked speed wins");
        let (o, _) = parse_query("servers=3");
        assert_eq!(start_speed(&o, false), SPEED_DEFAULT);
    }

    #[test]
    fn a_challenge_is_named_and_a_bad_name_is_reported() {
        let (o, errors) = parse_query("challenge=elect-s3");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(o.challenge, Some("elect-s3"));
        let (o, errors) = parse_query("challenge=elect-s9");
        assert_eq!(o.challenge, None);
        assert_eq!(errors[0].param, "challenge");
        assert!(
            errors[0]
                .message
                .starts_with("unknown challenge \"elect-s9\" (known: elect-s3, "),
            "{}",
            errors[0]
        );
    }
}
