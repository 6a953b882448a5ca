//! Suppressions, applied after evaluation: inline `rampart:ignore` comments and a baseline
//! of known findings. Suppressed findings do not fail the run; SARIF still carries them,
//! marked suppressed, so code scanning closes them instead of losing them.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ir::SourceMap;
use crate::policy::{Finding, PolicySet};

/// Why a finding is not reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Suppression {
    /// A `rampart:ignore` comment in the source; `justification` is the text after the ids.
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
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
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

/// The ids an ignore comment on `line_text` names: `None` if there is no comment, an empty
/// list for a bare `rampart:ignore` (every policy), and the justification that follows.
fn parse_ignore(line_text: &str) -> Option<(Vec<String>, String)> {
    let at = line_text.find("rampart:ignore")?;
    let before = line_text[..at].trim_end();
    if !(before.ends_with('#') || before.ends_with("//") || before.ends_with("/*")) {
        return None;
    }
    let rest = &line_text[at + "rampart:ignore".len()..];
    let rest = rest.trim_start_matches(':').trim();
    let mut ids = Vec::new();
    let mut words = rest.split_whitespace().peekable();
    let mut consumed = 0;
    while let Some(word) = words.peek() {
        let candidates: Vec<&str> = word.split(',').filter(|w| !w.is_empty()).collect();
        if candidates.is_empty() || !candidates.iter().all(|c| looks_like_id(c)) {
            break;
        }
        ids.extend(candidates.iter().map(|c| c.to_ascii_uppercase()));
        consumed += 1;
        words.next();
    }
    let justification = rest
        .split_whitespace()
        .skip(consumed)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches(['-', ':'])
        .trim()
        .to_string();
    Some((ids, justification))
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

/// An ignore comment on the finding's line or the line above it, or on the resource's
/// header line or the line above that (resource-wide).
fn inline(finding: &Finding, policy_id: &str, sources: &SourceMap) -> Option<Suppression> {
    let mut places = Vec::new();
    for span in [finding.span, finding.resource_span] {
        let file = sources.get(span.file);
        let line = file.position(span.start as usize).line;
        places.push((span.file, line));
        if line > 1 {
            places.push((span.file, line - 1));
        }
    }
    places.dedup();
    for (file_id, line) in places {
        let file = sources.get(file_id);
        if let Some((ids, justification)) = parse_ignore(file.line_text(line))
            && (ids.is_empty() || ids.iter().any(|id| id == policy_id))
        {
            return Some(Suppression::InSource { justification });
        }
    }
    None
}

/// Marks each finding's suppression, if any (same order as `findings`).
pub fn apply(
    findings: &[Finding],
    policies: &PolicySet,
    sources: &SourceMap,
    baseline: Option<&Baseline>,
    fingerprint: impl Fn(&Finding) -> String,
) -> Vec<Option<Suppression>> {
    let known: BTreeSet<(&str, &str)> = baseline
        .map(|b| {
            b.findings
                .iter()
                .map(|e| (e.id.as_str(), e.fingerprint.as_str()))
                .collect()
        })
        .unwrap_or_default();
    findings
        .iter()
        .map(|finding| {
            let id = &policies.policies[finding.policy].id;
            inline(finding, id, sources).or_else(|| {
                known
                    .contains(&(id.as_str(), fingerprint(finding).as_str()))
                    .then_some(Suppression::Baseline)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments() {
        assert_eq!(
            parse_ignore("  publicly_accessible = true # rampart:ignore NET-001 bastion host"),
            Some((vec!["NET-001".into()], "bastion host".into()))
        );
        assert_eq!(
            parse_ignore("// rampart:ignore enc-001,ENC-002 -- dev only"),
            Some((vec!["ENC-001".into(), "ENC-002".into()], "dev only".into()))
        );
        assert_eq!(
            parse_ignore("# rampart:ignore"),
            Some((vec![], String::new()))
        );
        assert_eq!(parse_ignore("name = \"rampart:ignore\""), None);
        assert_eq!(parse_ignore("storage_encrypted = false"), None);
    }
}
