//! Suppressions, applied after evaluation: inline `rampart:ignore` comments, CloudFormation
//! `Metadata: {rampart: {ignore: [...]}}`, `[[suppress]]` entries of rampart.toml (by
//! resource address or URN, for formats without comments) and a baseline of known
//! findings. Suppressed findings do not fail the run; SARIF still carries them, marked, so
//! code scanning closes them instead of losing them. An expired suppression stops
//! suppressing and says so; one that suppresses nothing is reported as unused.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

mod comments;

use crate::diagnostic::Notice;
use crate::ir::{FileId, SourceMap, Span};
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

impl Suppression {
    /// Why the finding is not reported, in words.
    pub fn describe(&self) -> String {
        match self {
            Suppression::InSource { justification } if justification.is_empty() => {
                "suppressed in the source".to_string()
            }
            Suppression::InSource { justification } => justification.clone(),
            Suppression::Baseline => "listed in the rampart baseline".to_string(),
        }
    }
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

/// `YYYY-MM-DD`, a real calendar day (2026-02-30 is not one).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    Some(from_civil(date))
}

/// Today in UTC, from the system clock.
pub fn today() -> Date {
    from_civil(
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date(),
    )
}

fn from_civil(date: jiff::civil::Date) -> Date {
    (
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
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

/// What a `rampart:ignore` comment says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Policy ids (upper case); empty for `all`.
    pub ids: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// The words after `rampart:ignore` in a comment: `ENC-001,ENC-002 reason="..."
/// until=2026-12-31`, or `=ENC-001` (as Checkov users write it), or `all` for every
/// policy; free text after the ids is the reason. A comment that names no policy is an
/// error, never a blanket suppression.
pub fn parse_directive(after: &str) -> Result<Directive, String> {
    let mut rest = after
        .strip_prefix(['=', ':'])
        .unwrap_or(after)
        .trim_end_matches("*/")
        .trim();
    let mut ids = Vec::new();
    let mut all = false;
    if let Some(after_all) = rest.strip_prefix("all")
        && (after_all.is_empty() || after_all.starts_with(char::is_whitespace))
    {
        all = true;
        rest = after_all.trim_start();
    } else {
        while let Some(word) = rest.split_whitespace().next() {
            let candidates: Vec<&str> = word.split(',').filter(|w| !w.is_empty()).collect();
            if candidates.is_empty() || !candidates.iter().all(|c| looks_like_id(c)) {
                break;
            }
            ids.extend(candidates.iter().map(|c| c.to_ascii_uppercase()));
            rest = rest[word.len()..].trim_start();
            if !word.ends_with(',') {
                break;
            }
        }
    }
    if ids.is_empty() && !all {
        let first = rest.split_whitespace().next().unwrap_or("");
        return Err(if first.is_empty() {
            "`rampart:ignore` names no policy: write the ids (`rampart:ignore NET-001`) or \
             `rampart:ignore all` for every policy"
                .to_string()
        } else {
            format!(
                "`rampart:ignore {first}` does not name a policy: ids look like `NET-001`; \
                 write `rampart:ignore all` for every policy"
            )
        });
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
        if !text.is_empty() {
            reason = Some(text.to_string());
        }
    }
    Ok(Directive { ids, reason, until })
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

/// `NET-001`, `enc-003`: an area of letters and a three-digit number.
pub fn looks_like_id(word: &str) -> bool {
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

/// Suppressions written in comments, and the malformed ones (errors, with their place).
#[derive(Default)]
pub struct CommentRules {
    pub rules: Vec<Rule>,
    pub errors: Vec<(Span, String)>,
}

const DIRECTIVE: &str = "rampart:ignore";

/// Every `rampart:ignore` in a real comment of the scanned files (by each file's comment
/// syntax: nothing in JSON, nothing inside strings).
pub fn comment_rules(sources: &SourceMap) -> CommentRules {
    let mut out = CommentRules::default();
    for (index, file) in sources.files().iter().enumerate() {
        // Text shipped in rampart (a module signature) suppresses nothing.
        if file.skipped || file.embedded.is_some() || !file.text.contains(DIRECTIVE) {
            continue;
        }
        let syntax = comments::Syntax::of(&file.path);
        for range in comments::comments(&file.text, syntax) {
            let comment = &file.text[range.clone()];
            for (at, _) in comment.match_indices(DIRECTIVE) {
                let start = range.start + at;
                let after = &file.text[start + DIRECTIVE.len()..range.end];
                let after = after.split('\n').next().unwrap_or("");
                let span = Span::new(index as u32, start..start + DIRECTIVE.len());
                let line = file.position(start).line;
                let directive = match parse_directive(after) {
                    Ok(directive) => directive,
                    Err(message) => {
                        out.errors.push((span, message));
                        continue;
                    }
                };
                let until = match directive.until.as_deref().map(|u| (u, parse_date(u))) {
                    Some((_, Some(date))) => Some(date),
                    Some((text, None)) => {
                        out.errors.push((
                            span,
                            format!(
                                "suppression has an invalid date `until={text}`: write a real day as YYYY-MM-DD"
                            ),
                        ));
                        continue;
                    }
                    None => None,
                };
                out.rules.push(Rule {
                    ids: directive.ids,
                    reason: directive.reason,
                    until,
                    scope: Scope::Line {
                        file: index as u32,
                        line,
                    },
                    span,
                });
            }
        }
    }
    out
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
                kind: crate::diagnostic::NoticeKind::Info,
            });
        } else if !used[index] && !expired_used[index] {
            notices.push(Notice {
                span: Some(rule.span),
                message: format!("unused suppression of {ids}: it matches no finding"),
                kind: crate::diagnostic::NoticeKind::Info,
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
                kind: crate::diagnostic::NoticeKind::Info,
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
    fn ignore_directives() {
        let ok = |text: &str| parse_directive(text).unwrap();
        assert_eq!(
            ok(" NET-001 bastion host"),
            Directive {
                ids: vec!["NET-001".into()],
                reason: Some("bastion host".into()),
                until: None
            }
        );
        assert_eq!(
            ok(r#" enc-001,ENC-002 reason="dev only, torn down nightly" until=2026-12-31"#),
            Directive {
                ids: vec!["ENC-001".into(), "ENC-002".into()],
                reason: Some("dev only, torn down nightly".into()),
                until: Some("2026-12-31".into())
            }
        );
        assert_eq!(ok("=NET-001").ids, ["NET-001"], "Checkov's spelling");
        // What follows a quoted reason is read from just after its closing quote.
        let quoted = ok(r#" NET-001 reason="ab" until=2026-12-31"#);
        assert_eq!(quoted.reason.as_deref(), Some("ab"));
        assert_eq!(quoted.until.as_deref(), Some("2026-12-31"));
        let tight = ok(r#" NET-001 reason="bastion"until=2026-12-31"#);
        assert_eq!(tight.reason.as_deref(), Some("bastion"));
        assert_eq!(tight.until.as_deref(), Some("2026-12-31"));
        assert_eq!(ok(" NET-001, ENC-001 why").ids, ["NET-001", "ENC-001"]);
        assert_eq!(ok(" all reason=\"sandbox\"").ids, Vec::<String>::new());
        assert_eq!(ok(" NET-001 */").reason, None, "block comment end");
        for blanket in ["", " ", "=", " NET001", " because", " allow"] {
            assert!(
                parse_directive(blanket).is_err(),
                "{blanket:?} is no blanket"
            );
        }
    }

    /// A directive rampart cannot read is an error at the directive itself (the span
    /// covers `rampart:ignore`); text shipped in rampart (a module signature) is never read
    /// for directives.
    #[test]
    fn comment_directives_are_located_and_signature_text_is_not_read() {
        use crate::ir::{SourceFile, SourceMap};
        let text = "# rampart:ignore NET001\nresource \"aws_db_instance\" \"db\" {}\n";
        let mut sources = SourceMap::default();
        sources.add(SourceFile::new(
            "main.tf".into(),
            "main.tf".into(),
            text.into(),
        ));
        sources.add(SourceFile::embedded(
            "(module signature)/x/main.tf".into(),
            "x 1.x".into(),
            "# rampart:ignore all reason=\"shipped\"\n".into(),
        ));
        let rules = comment_rules(&sources);
        assert_eq!(rules.errors.len(), 1, "{:?}", rules.errors);
        let (span, _) = &rules.errors[0];
        assert_eq!(
            (span.file, span.start, span.end),
            (0, 2, 2 + DIRECTIVE.len() as u32)
        );
        assert!(rules.rules.is_empty(), "{:?}", rules.rules.len());
    }

    #[test]
    fn dates() {
        assert!(
            today() > (2026, 1, 1) && today() < (2100, 1, 1),
            "{:?}",
            today()
        );
        assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(parse_date("1900-02-29"), None);
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-02-28"), Some((2026, 2, 28)));
        assert_eq!(parse_date("2026-06-30"), Some((2026, 6, 30)));
        assert_eq!(parse_date("2026-06-31"), None);
        assert_eq!(parse_date(" 2026-12-31 "), Some((2026, 12, 31)));
        for malformed in [
            "2026/12/31",
            "+2026-12-31",
            "20261231",
            "2026-12-3x",
            "2026-12-311",
        ] {
            assert_eq!(parse_date(malformed), None, "{malformed}");
        }
        assert_eq!(parse_date("2026-12-31"), Some((2026, 12, 31)));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-04-31"), None);
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2100-02-29"), None);
        assert_eq!(parse_date("2026-1-1"), None);
        assert!(parse_date("2025-01-01") < parse_date("2026-01-01"));
    }

    /// `apply` on hand-made findings: which rule matches which finding, and what is said
    /// about the rules that match nothing.
    mod matching {
        use super::super::*;
        use crate::ir::{SourceFile, SourceMap};
        use crate::policy::PolicySet;

        const TEXT: &str = "resource \"aws_db_instance\" \"a\" {\n  storage_encrypted = false\n  publicly_accessible = true\n\n  multi_az = false\n}\n";

        fn sources() -> SourceMap {
            let mut sources = SourceMap::default();
            sources.add(SourceFile::new(
                "main.tf".into(),
                "main.tf".into(),
                TEXT.into(),
            ));
            sources
        }

        fn policies() -> PolicySet {
            let settings = crate::config::default_settings();
            PolicySet::new(
                crate::policy::loader::embedded(&settings).unwrap(),
                settings,
            )
        }

        /// A finding of policy `id` on `line` (1-based) of resource `address`.
        fn finding(policies: &PolicySet, id: &str, line: usize, address: &str) -> Finding {
            let start = TEXT
                .lines()
                .take(line - 1)
                .map(|l| l.len() + 1)
                .sum::<usize>();
            Finding {
                policy: policies.policies.iter().position(|p| p.id == id).unwrap(),
                address: address.into(),
                kind: None,
                span: Span::new(0, start..start + 1),
                message: String::new(),
                chain: Vec::new(),
                note: None,
                format: crate::ir::Format::Terraform,
                resource_span: Span::new(0, 0..1),
                call_chain: Vec::new(),
                occurrence: 0,
            }
        }

        fn rule(ids: &[&str], scope: Scope, until: Option<Date>, reason: Option<&str>) -> Rule {
            Rule {
                ids: ids.iter().map(|s| s.to_string()).collect(),
                reason: reason.map(str::to_string),
                until,
                scope,
                span: Span::new(0, 0..1),
            }
        }

        fn line(line: usize) -> Scope {
            Scope::Line { file: 0, line }
        }

        fn run(findings: &[Finding], rules: &[Rule], baseline: Option<&Baseline>) -> Applied {
            apply(
                findings,
                &policies(),
                &sources(),
                &Inputs {
                    rules,
                    baseline,
                    today: (2026, 12, 1),
                    require_reason: true,
                },
                |f| format!("print-{}", f.policy),
            )
        }

        fn suppressed(applied: &Applied) -> Vec<bool> {
            applied.suppressions.iter().map(Option::is_some).collect()
        }

        #[test]
        fn a_comment_covers_its_line_and_the_next_for_its_ids_only() {
            let p = policies();
            let findings = [
                finding(&p, "ENC-001", 2, "aws_db_instance.a"),
                finding(&p, "NET-001", 3, "aws_db_instance.a"),
                finding(&p, "BAK-006", 5, "aws_db_instance.a"),
            ];
            // On line 2: covers 2 and 3, but only ENC-001 is named.
            let applied = run(
                &findings,
                &[rule(&["ENC-001"], line(2), None, Some("r"))],
                None,
            );
            assert_eq!(suppressed(&applied), [true, false, false]);
            // Written above line 3 (on 2) for NET-001: the next line is covered.
            let applied = run(
                &findings,
                &[rule(&["NET-001"], line(2), None, Some("r"))],
                None,
            );
            assert_eq!(suppressed(&applied), [false, true, false]);
            // `all` (no ids) on line 4 covers line 5 only.
            let applied = run(&findings, &[rule(&[], line(4), None, Some("r"))], None);
            assert_eq!(suppressed(&applied), [false, false, true]);
        }

        #[test]
        fn a_comment_on_the_resource_header_covers_the_whole_resource() {
            let p = policies();
            let findings = [
                finding(&p, "ENC-001", 2, "aws_db_instance.a"),
                finding(&p, "BAK-006", 5, "aws_db_instance.a"),
            ];
            let applied = run(
                &findings,
                &[rule(&["BAK-006"], line(1), None, Some("r"))],
                None,
            );
            assert_eq!(suppressed(&applied), [false, true]);
        }

        #[test]
        fn resource_rules_match_by_address_only() {
            let p = policies();
            let findings = [
                finding(&p, "ENC-001", 2, "aws_db_instance.a"),
                finding(&p, "ENC-001", 2, "aws_db_instance.b"),
            ];
            let rules = [rule(
                &["ENC-001"],
                Scope::Resource("aws_db_instance.b".into()),
                None,
                Some("r"),
            )];
            assert_eq!(suppressed(&run(&findings, &rules, None)), [false, true]);
        }

        #[test]
        fn expired_unused_and_reasonless_rules_are_said() {
            let p = policies();
            let findings = [finding(&p, "ENC-001", 2, "aws_db_instance.a")];
            let rules = [
                rule(&["ENC-001"], line(2), Some((2026, 11, 30)), Some("r")),
                rule(&["NET-001"], line(2), None, None),
                // The last day still suppresses.
                rule(&["ENC-001"], line(1), Some((2026, 12, 1)), Some("r")),
            ];
            let applied = run(&findings, &rules, None);
            assert_eq!(
                suppressed(&applied),
                [true],
                "the unexpired rule suppresses"
            );
            let said: Vec<&str> = applied.notices.iter().map(|n| n.message.as_str()).collect();
            assert_eq!(
                said,
                [
                    "suppression of ENC-001 expired on 2026-11-30; the findings are reported again",
                    "unused suppression of NET-001: it matches no finding",
                ]
            );
            assert_eq!(applied.missing_reasons.len(), 1);
            // Alone, the expired rule suppresses nothing.
            let applied = run(&findings, &rules[..1], None);
            assert_eq!(suppressed(&applied), [false]);
        }

        #[test]
        fn baseline_entries_match_by_id_and_fingerprint_and_stale_ones_are_said() {
            let p = policies();
            let findings = [
                finding(&p, "ENC-001", 2, "aws_db_instance.a"),
                finding(&p, "NET-001", 3, "aws_db_instance.a"),
            ];
            let entry = |id: &str, print: String| BaselineEntry {
                id: id.into(),
                fingerprint: print,
                file: "main.tf".into(),
                resource: "aws_db_instance.a".into(),
            };
            let enc = p.policies.iter().position(|x| x.id == "ENC-001").unwrap();
            let baseline = Baseline {
                version: 1,
                findings: vec![
                    entry("ENC-001", format!("print-{enc}")),
                    // Right fingerprint, wrong id: no match.
                    entry("NET-001", format!("print-{enc}")),
                ],
            };
            let applied = run(&findings, &[], Some(&baseline));
            assert!(matches!(
                applied.suppressions[0],
                Some(Suppression::Baseline)
            ));
            assert!(applied.suppressions[1].is_none());
            assert_eq!(applied.notices.len(), 1);
            assert!(
                applied.notices[0]
                    .message
                    .starts_with("baseline entry NET-001")
            );
        }
    }
}
