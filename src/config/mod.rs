//! `rampart.toml`: settings that policies read (thresholds and lists) and scan defaults.
//! Validated strictly; errors point into the file.

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde::Deserialize;
use toml::Spanned;

use crate::located::LocatedError;
use crate::policy::{Settings, Severity};

const DEFAULTS: &str = include_str!("defaults.toml");

pub const FILE_NAME: &str = "rampart.toml";
/// Found like [`FILE_NAME`], for repositories that keep tool configuration hidden.
pub const HIDDEN_FILE_NAME: &str = ".rampart.toml";

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    #[error("invalid configuration {}", .0)]
    #[diagnostic(transparent)]
    Invalid(Box<LocatedError>),
    #[error("cannot read configuration {path}: {message}")]
    #[diagnostic(code(rampart::config::io))]
    Io { path: String, message: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    settings: toml::Table,
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    fail_on: Option<Severity>,
    /// `essential` or `hardened` (every policy; the default).
    profile: Option<crate::policy::Profile>,
    #[serde(default)]
    exclude: Vec<String>,
    /// Extra policy directories, relative to the configuration file.
    #[serde(default)]
    policies: Vec<String>,
    /// Severity overrides by policy id.
    #[serde(default)]
    severity: std::collections::BTreeMap<String, Severity>,
    /// Suppressions by resource address or URN (for formats without comments).
    #[serde(default)]
    suppress: Vec<ConfigSuppression>,
    /// Make a suppression without a reason an error.
    #[serde(default)]
    require_suppression_reason: bool,
    #[serde(default)]
    limits: RawLimits,
    /// What a module, program or resource that was not analysed does to the run.
    #[serde(default)]
    unanalysed: Unanalysed,
}

/// `unanalysed = "warning" | "error"` in rampart.toml.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unanalysed {
    /// Reported as a warning in every format; the run passes if nothing else fails it.
    #[default]
    Warning,
    /// Reported as an error; the run exits 2.
    Error,
}

/// `[limits]` in rampart.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    /// Work budget per project or template (units: values built and bytes materialised).
    work: Option<u64>,
    /// Largest file read, in bytes.
    file_size: Option<u64>,
    /// Findings one project may hold.
    findings: Option<u64>,
}

/// `[[suppress]]` in rampart.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSuppression {
    /// Policy id; absent: every policy.
    pub id: Option<String>,
    /// Resource address, logical id or URN.
    pub resource: String,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// The effective configuration of one scan.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    pub profile: Option<crate::policy::Profile>,
    pub exclude: Vec<String>,
    /// Extra policy directories (resolved against the configuration file's directory).
    pub policy_dirs: Vec<PathBuf>,
    /// Severity overrides by policy id.
    pub severity: std::collections::BTreeMap<String, Severity>,
    pub suppress: Vec<ConfigSuppression>,
    pub require_suppression_reason: bool,
    pub limits: crate::parse::budget::Limits,
    pub unanalysed: Unanalysed,
    /// Where each `select` and `ignore` entry is written, to locate errors about them.
    pub list_spans: ListSpans,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
}

/// The port AWS gives an engine family when none is set, from the bundled `default_ports`
/// (the one place they are written). A rampart.toml that overrides `default_ports` changes
/// which ports NET-007 calls well-known, not the port AWS assigns.
pub fn aws_default_port(family: &str) -> Option<f64> {
    static PORTS: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(default_settings);
    let port = PORTS.get("default_ports")?.get(family)?.as_integer()?;
    Some(port as f64)
}

pub fn default_settings() -> Settings {
    toml::from_str::<toml::Table>(DEFAULTS)
        .expect("bundled defaults.toml is valid")
        .into_iter()
        .collect()
}

impl Default for Config {
    fn default() -> Config {
        Config {
            settings: default_settings(),
            select: Vec::new(),
            ignore: Vec::new(),
            fail_on: None,
            profile: None,
            exclude: Vec::new(),
            policy_dirs: Vec::new(),
            severity: Default::default(),
            suppress: Vec::new(),
            require_suppression_reason: false,
            limits: Default::default(),
            list_spans: ListSpans::default(),
            unanalysed: Unanalysed::Warning,
            path: None,
        }
    }
}

/// Whether a file name is one rampart reads its configuration from.
pub fn is_config_file_name(name: &std::ffi::OsStr) -> bool {
    name == FILE_NAME || name == HIDDEN_FILE_NAME
}

/// The directory whose configuration governs a run over `paths`: their deepest common
/// directory, so that the choice never depends on the order of the paths (pre-commit passes
/// staged files in any order). `None` when a path does not exist.
pub fn common_directory(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for path in paths {
        let path = std::fs::canonicalize(path).ok()?;
        let dir = if path.is_dir() {
            path
        } else {
            path.parent()?.to_path_buf()
        };
        common = Some(match common {
            None => dir,
            Some(common) => common
                .components()
                .zip(dir.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common
}

/// Finds `rampart.toml` in `start` or the nearest ancestor directory.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(current) = dir {
        for name in [FILE_NAME, HIDDEN_FILE_NAME] {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        // A configuration above the repository is someone else's: stop at its root.
        if current.join(".git").exists() {
            return None;
        }
        dir = current.parent();
    }
    None
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text =
        crate::fsread::read_string(path, crate::fsread::DEFAULT_MAX_FILE_BYTES).map_err(|e| {
            ConfigError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            }
        })?;
    parse(&path.display().to_string(), &text).map(|mut config| {
        let base = path.parent().unwrap_or(Path::new("."));
        config.policy_dirs = config.policy_dirs.iter().map(|d| base.join(d)).collect();
        config.path = Some(path.to_path_buf());
        config
    })
}

pub fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
    let error = |message: String, span: Option<std::ops::Range<usize>>| {
        ConfigError::Invalid(LocatedError::new(path, text, message, span))
    };
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| error(e.message().to_string(), e.span()))?;
    // Spans of each setting's value, for errors about their types.
    let spans: std::collections::BTreeMap<String, std::ops::Range<usize>> =
        toml::from_str::<SettingSpans>(text)
            .map(|s| s.settings.into_iter().map(|(k, v)| (k, v.span())).collect())
            .unwrap_or_default();

    let lists = toml::from_str::<ListEntries>(text)
        .map_err(|e| error(e.message().to_string(), e.span()))?;
    for (list, entries) in [("select", &lists.select), ("ignore", &lists.ignore)] {
        if let Some(empty) = entries.iter().find(|e| e.get_ref().trim().is_empty()) {
            return Err(error(
                format!(
                    "`{list}` has an empty policy id; remove it or write an id such as NET-001"
                ),
                Some(empty.span()),
            ));
        }
    }
    let list_spans = ListSpans {
        path: path.to_string(),
        text: text.into(),
        select: lists.select.iter().map(Spanned::span).collect(),
        ignore: lists.ignore.iter().map(Spanned::span).collect(),
    };
    let mut settings = default_settings();
    for (name, value) in raw.settings {
        let span = spans.get(&name).cloned();
        let Some(default) = settings.get(&name) else {
            let known: Vec<&str> = settings.keys().map(String::as_str).collect();
            return Err(error(
                format!("unknown setting `{name}`; settings: {}", known.join(", ")),
                span,
            ));
        };
        if !same_shape(default, &value) {
            return Err(error(
                format!(
                    "setting `{name}` must be {} like the default ({})",
                    default.type_str(),
                    default
                ),
                span,
            ));
        }
        // Tables keyed by engine family are merged: overriding one engine keeps the others.
        match (settings.get_mut(&name), value) {
            (Some(toml::Value::Table(current)), toml::Value::Table(entries)) => {
                current.extend(entries);
            }
            (_, value) => {
                settings.insert(name, value);
            }
        }
    }
    Ok(Config {
        settings,
        select: raw.select,
        ignore: raw.ignore,
        fail_on: raw.fail_on,
        profile: raw.profile,
        exclude: raw.exclude,
        policy_dirs: raw.policies.into_iter().map(PathBuf::from).collect(),
        severity: raw.severity,
        suppress: raw.suppress,
        require_suppression_reason: raw.require_suppression_reason,
        limits: crate::parse::budget::Limits {
            work: raw.limits.work,
            file_size: raw.limits.file_size,
            findings: raw.limits.findings,
        },
        list_spans,
        unanalysed: raw.unanalysed,
        path: None,
    })
}

/// Spans of the `select` and `ignore` entries, and the text they index.
#[derive(Clone, Debug, Default)]
pub struct ListSpans {
    pub path: String,
    pub text: std::sync::Arc<str>,
    pub select: Vec<std::ops::Range<usize>>,
    pub ignore: Vec<std::ops::Range<usize>>,
}

impl ListSpans {
    /// An error about entry `index` of `list` (`"select"` or `"ignore"`), located in the file.
    pub fn error(&self, list: &str, index: usize, message: String) -> ConfigError {
        let spans = if list == "select" {
            &self.select
        } else {
            &self.ignore
        };
        ConfigError::Invalid(LocatedError::new(
            &self.path,
            &self.text,
            message,
            spans.get(index).cloned(),
        ))
    }
}

#[derive(Deserialize)]
struct ListEntries {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct SettingSpans {
    #[serde(default)]
    settings: std::collections::BTreeMap<String, Spanned<toml::Value>>,
}

/// `14`, `8.4`, `10.11`: digits separated by dots; `none` for "no version".
fn is_version(text: &str) -> bool {
    text == "none"
        || !text.is_empty()
            && text
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

fn same_shape(default: &toml::Value, value: &toml::Value) -> bool {
    use toml::Value::*;
    match (default, value) {
        (Integer(_) | Float(_), Integer(_) | Float(_)) => true,
        // A version written as text (`"10.5"`) takes a number or a version string, never
        // a word.
        (String(d), Integer(_) | Float(_)) if is_version(d) => true,
        (String(d), String(v)) if is_version(d) => is_version(v),
        (Array(_), Array(items)) => items.iter().all(|i| i.is_str()),
        // A table keyed by engine family: each value shaped like the default of its key, a
        // new key like the defaults' engine entries (not like a `checked` date).
        (Table(defaults), Table(entries)) => {
            entries.iter().all(|(key, v)| match defaults.get(key) {
                Some(default) => same_shape(default, v),
                None => defaults
                    .values()
                    .find(|d| !d.is_datetime())
                    .is_none_or(|example| same_shape(example, v)),
            })
        }
        (a, b) => a.type_str() == b.type_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ports AWS assigns are written once, in the bundled defaults, and read by the
    /// graph whatever a rampart.toml sets for NET-007.
    #[test]
    fn aws_default_ports_come_from_the_bundled_table() {
        assert_eq!(aws_default_port("postgres"), Some(5432.0));
        assert_eq!(aws_default_port("mariadb"), Some(3306.0));
        assert_eq!(aws_default_port("db2"), Some(50000.0));
        assert_eq!(aws_default_port("neptune"), None);
    }

    #[test]
    fn overrides_a_threshold() {
        let config = parse(
            "rampart.toml",
            "[settings]\nmin_backup_retention_days = 35\n",
        )
        .unwrap();
        assert_eq!(
            config.settings["min_backup_retention_days"].as_integer(),
            Some(35)
        );
    }

    #[test]
    fn unknown_setting_points_at_it() {
        let text = "[settings]\nbackup_days = 35\n";
        let err = parse("rampart.toml", text).unwrap_err();
        let ConfigError::Invalid(located) = err else {
            panic!("expected Invalid")
        };
        assert!(
            located.message.contains("unknown setting `backup_days`"),
            "{}",
            located.message
        );
        assert_eq!(located.labelled_text().as_deref(), Some("35"));
    }

    #[test]
    fn wrong_type_is_rejected() {
        let err = parse(
            "rampart.toml",
            "[settings]\nmin_backup_retention_days = \"x\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("must be integer"), "{err}");
    }

    #[test]
    fn tables_by_engine_family_can_be_overridden() {
        let config = parse(
            "rampart.toml",
            "[settings.default_ports]\npostgres = 5432\n[settings.required_log_exports]\npostgres = [\"postgresql\"]\n",
        )
        .unwrap();
        assert_eq!(
            config.settings["default_ports"]["postgres"].as_integer(),
            Some(5432)
        );
        let err = parse(
            "rampart.toml",
            "[settings.default_ports]\npostgres = \"x\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("default_ports"), "{err}");
    }

    /// Overriding one entry of a table keeps the others (and the table's `checked` date):
    /// a user's file is merged into the defaults, entry by entry, never replacing a table.
    #[test]
    fn a_table_entry_override_keeps_the_other_entries() {
        let config = parse(
            "rampart.toml",
            "profile = \"essential\"\n[settings.min_supported_major_version]\npostgres = 15\n",
        )
        .unwrap();
        let table = &config.settings["min_supported_major_version"];
        assert_eq!(table["postgres"].as_integer(), Some(15));
        assert_eq!(table["mysql"].as_str(), Some("8.4"));
        assert!(table.get("checked").is_some_and(toml::Value::is_datetime));
        assert_eq!(config.profile, Some(crate::policy::Profile::Essential));
        let defaults = parse("rampart.toml", "").unwrap();
        assert_eq!(
            defaults.settings["min_supported_major_version"]["postgres"].as_str(),
            Some("14")
        );
        assert_eq!(defaults.profile, None);
        assert!(parse("rampart.toml", "profile = \"paranoid\"\n").is_err());
        // A family the defaults do not name takes a value shaped like the others; a date
        // is not one, and a wrong type for a known family is an error.
        for more in [
            "oracle = 19",
            "oracle = \"19\"",
            "mariadb = \"10.11\"",
            "mysql = 8.4",
        ] {
            let text = format!("[settings.min_supported_major_version]\n{more}\n");
            assert!(parse("rampart.toml", &text).is_ok(), "{more}");
        }
        for wrong in ["postgres = \"fifteen\"", "oracle = 2026-01-01"] {
            let text = format!("[settings.min_supported_major_version]\n{wrong}\n");
            assert!(parse("rampart.toml", &text).is_err(), "{wrong}");
        }
    }

    #[test]
    fn unknown_top_level_key_is_rejected() {
        assert!(parse("rampart.toml", "colour = true\n").is_err());
    }
}
