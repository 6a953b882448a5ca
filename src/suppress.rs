//! Suppressions, applied after evaluation: inline `rampart:ignore` comments, CloudFormation
//! `Metadata: {rampart: {ignore: [...]}}`, `[[suppress]]` entries of rampart.toml (by
//! resource address or URN, for formats without comments) and a baseline of known
//! findings. Suppressed findings do not fail the run; SARIF still carries them, marked, so
//! code scanning closes them instead of losing them. An expired suppression stops
//! suppressing and says so; one that suppresses nothing is reported as unused.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ir::{FileId, SourceMap, Span};
use crate::parse::Notice;
use crate::policy::{Finding, PolicySet};

/// Why a finding is not reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Suppression {
    /// A comment, resource metadata or config entry; `justification` is its reason.
    InSource { justification: String },
    /// Listed in the baseline file.
    Baseline,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {message}")]
    #[diagnostic(code(rampart::baseline::read))]
    Read { path: String, message: String },
    #[error("invalid baseline {path}: {message}")]
    #[diagnostic(
        code(rampart::baseline::invalid),
        help("write a new one with `rampart scan --write-baseline FILE`")
    )]
    Invalid { path: String, message: String },
}

/// The baseline file: fingerprints of findings accepted for now.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub id: String,
    pub fingerprint: String,
    /// For people reading the file; matching uses id and fingerprint only.
    pub file: String,
    pub resource: String,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::fsread::read_string(path, crate::fsread::DEFAULT_MAX_FILE_BYTES)
            .map_err(|e| BaselineError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("serialisable");
        text.push('\n');
        text
    }
}

/// A calendar date, compared as (year, month, day).
pub type Date = (i32, u32, u32);

pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let day = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    Some((year, month, day))
}

/// Today in UTC, from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0);
    civil_from_days(days)
}

/// Days since 1970-01-01 -> (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Where a suppression rule was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A comment: applies to findings on its line or the line after it, and to resources
    /// whose header is on either.
    Line { file: u32, line: usize },
    /// A resource's metadata or a config entry: applies to findings of that resource.
    Resource(String),
}

/// One suppression rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Policy ids; empty means every policy.
    pub ids: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<Date>,
    pub scope: Scope,
    /// Where it is written, for notices.
    pub span: Span,
}

/// `# rampart:ignore ENC-001,ENC-002 reason="..." until=2026-12-31` (also `//`); older
/// free text after the ids is taken as the reason. `None` when the line has no such comment.
pub fn parse_comment(line_text: &str) -> Option<(Vec<String>, Option<String>, Option<String>)> {
    let at = line_text.find("rampart:ignore")?;
    let before = line_text[..at].trim_end();
    if !(before.ends_with('#') || before.ends_with("//") || before.ends_with("/*")) {
        return None;
    }
    let mut rest = line_text[at + "rampart:ignore".len()..]
        .trim_start_matches(':')
        .trim();
    let mut ids = Vec::new();
    while let Some(word) = rest.split_whitespace().next() {
        let candidates: Vec<&str> = word.split(',').filter(|w| !w.is_empty()).collect();
        if candidates.is_empty() || !candidates.iter().all(|c| looks_like_id(c)) {
            break;
        }
        ids.extend(candidates.iter().map(|c| c.to_ascii_uppercase()));
        rest = rest[word.len()..].trim_start();
    }
    let mut reason = None;
    let mut until = None;
    let mut free = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("reason=") {
            let (value, remaining) = quoted_or_word(after);
            reason = Some(value);
            rest = remaining.trim_start();
        } else if let Some(after) = rest.strip_prefix("until=") {
            let (value, remaining) = quoted_or_word(after);
            until = Some(value);
            rest = remaining.trim_start();
        } else {
            let word = rest.split_whitespace().next().unwrap_or("");
            free.push(word.to_string());
            rest = rest[word.len()..].trim_start();
        }
    }
    if reason.is_none() {
        let text = free.join(" ");
        let text = text.trim_start_matches(['-', ':']).trim();
        if !text.is_empty() && text != "*/" {
            reason = Some(text.trim_end_matches("*/").trim().to_string());
        }
    }
    Some((ids, reason, until))
}

fn quoted_or_word(text: &str) -> (String, &str) {
    if let Some(inner) = text.strip_prefix('"')
        && let Some(end) = inner.find('"')
    {
        return (inner[..end].to_string(), &inner[end + 1..]);
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (text[..end].to_string(), &text[end..])
}

fn looks_like_id(word: &str) -> bool {
    let mut parts = word.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(area), Some(number), None)
            if (2..=5).contains(&area.len())
                && area.chars().all(|c| c.is_ascii_alphabetic())
                && number.len() == 3
                && number.chars().all(|c| c.is_ascii_digit())
    )
}

/// Every `rampart:ignore` comment in the scanned files.
pub fn comment_rules(sources: &SourceMap) -> (Vec<Rule>, Vec<Notice>) {
    let mut rules = Vec::new();
    let mut notices = Vec::new();
    for (index, file) in sources.files().iter().enumerate() {
        if file.skipped || !file.text.contains("rampart:ignore") {
            continue;
        }
        for line in 1..=file.line_count() {
            let text = file.line_text(line);
            let Some((ids, reason, until)) = parse_comment(text) else {
                continue;
            };
            let start = file.line_start(line) + text.find("rampart:ignore").unwrap_or(0);
            let span = Span::new(index as u32, start..start + "rampart:ignore".len());
            let until = match until.as_deref().map(|u| (u, parse_date(u))) {
                Some((_, Some(date))) => Some(date),
                Some((text, None)) => {
                    notices.push(Notice {
                        span: Some(span),
                        message: format!("suppression has an invalid date `until={text}` (use YYYY-MM-DD); it is ignored"),
                    });
                    continue;
                }
                None => None,
            };
            rules.push(Rule {
                ids,
                reason,
                until,
                scope: Scope::Line {
                    file: index as u32,
                    line,
                },
                span,
            });
        }
    }
    (rules, notices)
}

/// The outcome of applying suppressions.
pub struct Applied {
    /// Per finding (same order), why it is suppressed.
    pub suppressions: Vec<Option<Suppression>>,
    /// Expired, unused and stale suppressions.
    pub notices: Vec<Notice>,
    /// Suppressions without a reason when the configuration requires one.
    pub missing_reasons: Vec<Span>,
}

pub struct Inputs<'a> {
    pub rules: &'a [Rule],
    pub baseline: Option<&'a Baseline>,
    pub today: Date,
    pub require_reason: bool,
}

pub fn apply(
    findings: &[Finding],
    policies: &PolicySet,
    sources: &SourceMap,
    inputs: &Inputs,
    fingerprint: impl Fn(&Finding) -> String,
) -> Applied {
    let mut used = vec![false; inputs.rules.len()];
    let mut expired_used = vec![false; inputs.rules.len()];
    let mut baseline_used: BTreeSet<(String, String)> = BTreeSet::new();
    let known: BTreeSet<(&str, &str)> = inputs
        .baseline
        .map(|b| {
            b.findings
                .iter()
                .map(|e| (e.id.as_str(), e.fingerprint.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let line_of = |span: Span| sources.get(span.file).position(span.start as usize).line;
    // Rules indexed by the line they cover and the resource they name, so a scan with
    // many findings and many suppressions stays linear.
    let mut by_line: HashMap<(FileId, usize), Vec<usize>> = HashMap::new();
    let mut by_address: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, rule) in inputs.rules.iter().enumerate() {
        match &rule.scope {
            Scope::Line { file, line } => {
                // A comment covers its own line and the next.
                for covered in [*line, line + 1] {
                    by_line.entry((*file, covered)).or_default().push(index);
                }
            }
            Scope::Resource(address) => by_address.entry(address).or_default().push(index),
        }
    }

    let suppressions = findings
        .iter()
        .map(|finding| {
            let id = &policies.policies[finding.policy].id;
            let mut candidates: Vec<usize> = [
                (finding.span.file, line_of(finding.span)),
                (finding.resource_span.file, line_of(finding.resource_span)),
            ]
            .iter()
            .filter_map(|place| by_line.get(place))
            .chain(by_address.get(finding.address.as_str()))
            .flatten()
            .copied()
            .collect();
            // The first matching rule in declaration order wins, as it always has.
            candidates.sort_unstable();
            candidates.dedup();
            for index in candidates {
                let rule = &inputs.rules[index];
                let applies_to_id = rule.ids.is_empty() || rule.ids.iter().any(|r| r == id);
                if !applies_to_id {
                    continue;
                }
                if rule.until.is_some_and(|until| until < inputs.today) {
                    expired_used[index] = true;
                    continue;
                }
                used[index] = true;
                return Some(Suppression::InSource {
                    justification: rule.reason.clone().unwrap_or_default(),
                });
            }
            if known.is_empty() {
                return None;
            }
            let print = fingerprint(finding);
            if known.contains(&(id.as_str(), print.as_str())) {
                baseline_used.insert((id.clone(), print));
                return Some(Suppression::Baseline);
            }
            None
        })
        .collect();

    let mut notices = Vec::new();
    let mut missing_reasons = Vec::new();
    for (index, rule) in inputs.rules.iter().enumerate() {
        let ids = if rule.ids.is_empty() {
            "every policy".to_string()
        } else {
            rule.ids.join(", ")
        };
        if expired_used[index] && !used[index] {
            let (y, m, d) = rule.until.unwrap_or_default();
            notices.push(Notice {
                span: Some(rule.span),
                message: format!(
                    "suppression of {ids} expired on {y:04}-{m:02}-{d:02}; the findings are reported again"
                ),
            });
        } else if !used[index] && !expired_used[index] {
            notices.push(Notice {
                span: Some(rule.span),
                message: format!("unused suppression of {ids}: it matches no finding"),
            });
        }
        if inputs.require_reason && rule.reason.as_deref().is_none_or(str::is_empty) {
            missing_reasons.push(rule.span);
        }
    }
    if let Some(baseline) = inputs.baseline {
        let stale: Vec<&BaselineEntry> = baseline
            .findings
            .iter()
            .filter(|e| !baseline_used.contains(&(e.id.clone(), e.fingerprint.clone())))
            .collect();
        for entry in stale {
            // Baseline entries have no place in a scanned file: the notice is file-less.
            notices.push(Notice {
                span: None,
                message: format!(
                    "baseline entry {} for {} in {} no longer matches a finding; rewrite the baseline to drop it",
                    entry.id, entry.resource, entry.file
                ),
            });
        }
    }
    Applied {
        suppressions,
        notices,
        missing_reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments() {
        assert_eq!(
            parse_comment("  publicly_accessible = true # rampart:ignore NET-001 bastion host"),
            Some((vec!["NET-001".into()], Some("bastion host".into()), None))
        );
        assert_eq!(
            parse_comment(
                r#"# rampart:ignore enc-001,ENC-002 reason="dev only, torn down nightly" until=2026-12-31"#
            ),
            Some((
                vec!["ENC-001".into(), "ENC-002".into()],
                Some("dev only, torn down nightly".into()),
                Some("2026-12-31".into())
            ))
        );
        assert_eq!(
            parse_comment("# rampart:ignore"),
            Some((vec![], None, None))
        );
        assert_eq!(parse_comment("name = \"rampart:ignore\""), None);
        assert_eq!(parse_comment("storage_encrypted = false"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_781), (2026, 11, 24));
        assert_eq!(parse_date("2026-12-31"), Some((2026, 12, 31)));
        assert_eq!(parse_date("2026-13-01"), None);
        assert!(parse_date("2025-01-01") < parse_date("2026-01-01"));
    }
}
