//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and editors.
//!
//! A small typed model rather than serde-sarif: we emit a fixed subset, want field order
//! and optional fields under our control for byte-stable output, and serde-sarif leaves
//! some fields untyped and accepts invalid values (`startLine: 0`). Validity is checked
//! against the official schema in `tests/sarif_schema.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::ir::{SourceMap, Span};
use crate::policy::{Finding, Policy, Severity};
use crate::suppress::Suppression;

use super::Report;

const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: AutomationDetails,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    invocations: Vec<Invocation>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    /// The policy's page in the generated reference.
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
    problem_severity: &'static str,
    tags: Vec<String>,
    /// rampart's adoption profile: `essential` or `hardened`.
    profile: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<InvocationProperties>,
}

#[derive(Serialize)]
struct InvocationProperties {
    /// The rampart.toml in force.
    config: String,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's scale: critical 9.0+, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Percent-encodes what may not appear raw in a relative URI reference.
fn encode_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn artifact(sources: &SourceMap, span: Span) -> ArtifactLocation {
    let display = &sources.get(span.file).repo_path;
    if Path::new(display).is_absolute() {
        ArtifactLocation {
            uri: format!("file://{}", encode_uri(display)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_uri(display),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn region(sources: &SourceMap, span: Span) -> Region {
    let start = sources.start(span);
    let end = sources.end(span);
    Region {
        start_line: start.line,
        start_column: start.column_utf16,
        end_line: end.line,
        end_column: end.column_utf16.max(if end.line == start.line {
            start.column_utf16
        } else {
            1
        }),
    }
}

fn location(
    sources: &SourceMap,
    span: Span,
    logical: Option<&str>,
    message: Option<String>,
) -> Location {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: artifact(sources, span),
            region: Some(region(sources, span)),
        },
        logical_locations: logical
            .map(|name| {
                vec![LogicalLocation {
                    fully_qualified_name: name.to_string(),
                    kind: "resource",
                }]
            })
            .unwrap_or_default(),
        message: message.map(|text| Text { text }),
    }
}

fn pascal_case(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn rule(policy: &Policy) -> Rule {
    let anchors: Vec<&String> = policy.anchors.all().collect();
    let mut markdown = format!(
        "**{}** ({})\n\n{}\n\n**Remediation**\n\n- Terraform: {}\n- CloudFormation: {}\n- Pulumi: {}\n",
        policy.title,
        policy.severity.as_str(),
        policy.rationale,
        policy.remediation.terraform,
        policy.remediation.cloudformation,
        policy.remediation.pulumi
    );
    if let Some(cdk) = &policy.remediation.cdk {
        markdown.push_str(&format!("- AWS CDK: {cdk}\n"));
    }
    if !anchors.is_empty() {
        let list: Vec<&str> = anchors.iter().map(|s| s.as_str()).collect();
        markdown.push_str(&format!("\n**Also known as:** {}\n", list.join(", ")));
    }
    if !policy.references.is_empty() {
        markdown.push_str("\n**References**\n\n");
        for reference in &policy.references {
            markdown.push_str(&format!("- <{reference}>\n"));
        }
    }
    let mut tags = vec!["security".to_string(), "database".to_string()];
    tags.push(
        policy
            .id
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase(),
    );
    Rule {
        id: policy.id.clone(),
        name: pascal_case(&policy.slug),
        short_description: Text {
            text: policy.title.clone(),
        },
        full_description: Text {
            text: policy.rationale.clone(),
        },
        help_uri: policy.docs_url(),
        help: Help {
            text: format!(
                "{}\n\nTerraform: {}\nCloudFormation: {}\nPulumi: {}{}",
                policy.rationale,
                policy.remediation.terraform,
                policy.remediation.cloudformation,
                policy.remediation.pulumi,
                policy
                    .remediation
                    .cdk
                    .as_ref()
                    .map(|cdk| format!("\nAWS CDK: {cdk}"))
                    .unwrap_or_default()
            ),
            markdown,
        },
        default_configuration: Configuration {
            level: level(policy.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(policy.severity),
            precision: "high",
            problem_severity: match policy.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low => "recommendation",
            },
            tags,
            profile: policy.profile.as_str(),
        },
    }
}

fn result(report: &Report, index: usize, finding: &Finding) -> SarifResult {
    let sources = report.sources;
    let policy = report.policy(finding);
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("rampartFingerprint/v1", report.fingerprint(finding));
    SarifResult {
        rule_id: policy.id.clone(),
        rule_index: finding.policy,
        level: level(policy.severity),
        message: Text {
            text: finding.message.clone(),
        },
        locations: vec![location(
            sources,
            finding.span,
            Some(&finding.address),
            None,
        )],
        related_locations: finding
            .chain
            .iter()
            .map(|hop| (hop, format!("value comes from {}", hop.via)))
            .chain(
                finding
                    .call_chain
                    .iter()
                    .map(|hop| (hop, format!("{} is called here", hop.via))),
            )
            // Text shipped in rampart (a module signature) is not a file code scanning
            // can show.
            .filter(|(hop, _)| !sources.is_embedded(hop.span))
            .enumerate()
            .map(|(i, (hop, message))| Location {
                id: Some(i + 1),
                ..location(sources, hop.span, None, Some(message))
            })
            .collect(),
        partial_fingerprints: fingerprints,
        suppressions: match report.suppression(index) {
            None => Vec::new(),
            Some(Suppression::InSource { justification }) => vec![SarifSuppression {
                kind: "inSource",
                justification: (!justification.is_empty()).then(|| justification.clone()),
            }],
            Some(Suppression::Baseline) => vec![SarifSuppression {
                kind: "external",
                justification: Some("listed in the rampart baseline".into()),
            }],
        },
    }
}

/// `root_uri` is the `file://` URI of the scan root (with a trailing `/`), or `None` to
/// leave `originalUriBaseIds` out (tests, reproducible output across machines). The log
/// has no results: `write` streams them into it.
/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// Indices of the findings a log carries: all of them, or the `MAX_RESULTS` that matter
/// most (reported before suppressed, then by severity), in report order.
fn kept_results(report: &Report) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..report.findings.len()).collect();
    if indices.len() <= MAX_RESULTS {
        return indices;
    }
    indices.sort_by_key(|&i| {
        (
            report.suppression(i).is_some(),
            std::cmp::Reverse(report.policy(&report.findings[i]).severity),
            i,
        )
    });
    indices.truncate(MAX_RESULTS);
    indices.sort_unstable();
    indices
}

fn build(report: &Report, root_uri: Option<String>, category: &str, kept: usize) -> Log {
    let sources = report.sources;
    let rules = report.policies.policies.iter().map(rule).collect();
    let left_out = report.findings.len() - kept;

    let notifications = report
        .errors
        .iter()
        .map(|error| Notification {
            level: "error",
            message: Text {
                text: format!("{}: {}", error.path, error.message),
            },
            locations: error
                .span
                .map(|span| vec![location(sources, span, None, None)])
                .unwrap_or_default(),
        })
        .chain(report.notices.iter().map(|notice| {
            // Something not analysed (a module not on disk, a program not read) or not
            // decidable (a cycle): a warning, so no one takes the run for a full pass.
            Notification {
                level: if report.is_error(notice) {
                    "error"
                } else {
                    "warning"
                },
                message: Text {
                    text: notice.message.clone(),
                },
                locations: notice
                    .span
                    .map(|span| vec![location(sources, span, None, None)])
                    .unwrap_or_default(),
            }
        }))
        .chain((left_out > 0).then(|| Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{left_out} of {} results were left out: GitHub code scanning accepts at most {MAX_RESULTS} per run; the most severe are kept (the JSON and human reports have them all)",
                    report.findings.len()
                ),
            },
            locations: Vec::new(),
        }))
        .collect();
    let mut base_ids = BTreeMap::new();
    if let Some(uri) = root_uri {
        base_ids.insert(
            SRCROOT,
            ArtifactLocation {
                uri,
                uri_base_id: None,
            },
        );
    }
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "rampart",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: format!("{category}/"),
            },
            original_uri_base_ids: base_ids,
            column_kind: "utf16CodeUnits",
            // Filled in by `write`, which streams them in parallel chunks.
            results: Vec::new(),
            invocations: vec![Invocation {
                execution_successful: report.errors.is_empty()
                    && !report.notices.iter().any(|n| report.is_error(n)),
                tool_execution_notifications: notifications,
                properties: report.config.map(|config| InvocationProperties {
                    config: config.to_string(),
                }),
            }],
        }],
    }
}

pub fn render(report: &Report, root_uri: Option<String>, category: &str) -> String {
    super::render_to_string(|out| write(out, report, root_uri, category))
}

/// Streams the log to `out`; results are built and serialised in parallel chunks.
pub fn write<W: std::io::Write + ?Sized>(
    out: &mut W,
    report: &Report,
    root_uri: Option<String>,
    category: &str,
) -> std::io::Result<()> {
    let kept = kept_results(report);
    let log = build(report, root_uri, category, kept.len());
    // Results sit at runs[0].results, four levels deep.
    super::write_pretty_json_with_items(out, &log, "results", 4, kept.len(), |position| {
        let index = kept[position];
        result(report, index, &report.findings[index])
    })
}

/// `file:///abs/path/` for a directory.
pub fn root_uri(root: &Path) -> String {
    let mut text = encode_uri(&root.display().to_string());
    if !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{text}")
}
