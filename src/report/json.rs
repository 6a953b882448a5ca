//! `--format json`: a stable, documented finding list (docs/json-format.md).

use serde::Serialize;

use crate::ir::{Position, SourceMap, Span};
use crate::policy::Finding;

use super::Report;

#[derive(Serialize)]
struct Output<'a> {
    /// Bumped on any incompatible change to this document.
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    notices: Vec<JsonNotice<'a>>,
}

#[derive(Serialize)]
struct JsonNotice<'a> {
    location: Option<Location>,
    message: &'a str,
    /// "warning", or "error" when it fails the run (`--fail-on-unanalysed`).
    level: &'static str,
    /// Whether it says that part of the tree was not analysed.
    not_analysed: bool,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    errors: usize,
    /// Notices that say part of the tree was not analysed.
    not_analysed: usize,
    text: String,
    /// The rampart.toml in force; absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<String>,
}

#[derive(Serialize)]
struct Location {
    file: String,
    start: Point,
    end: Point,
}

#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
}

impl From<Position> for Point {
    fn from(p: Position) -> Point {
        Point {
            line: p.line,
            column: p.column,
        }
    }
}

fn location(sources: &SourceMap, span: Span) -> Location {
    Location {
        file: sources.get(span.file).display.clone(),
        start: sources.start(span).into(),
        end: sources.end(span).into(),
    }
}

#[derive(Serialize)]
struct Hop {
    via: String,
    location: Location,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    id: &'a str,
    slug: &'a str,
    title: &'a str,
    severity: &'static str,
    message: &'a str,
    resource: &'a str,
    kind: Option<&'static str>,
    format: &'static str,
    location: Location,
    /// Where an indirect value was set (variable defaults, locals), use-site first.
    value_from: Vec<Hop>,
    /// The module calls that instantiated the resource, outermost first.
    module_calls: Vec<Hop>,
    note: Option<&'a str>,
    remediation: std::borrow::Cow<'a, str>,
    fingerprint: String,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

pub fn render(report: &Report) -> String {
    super::render_to_string(|out| write(out, report))
}

fn json_finding<'a>(report: &'a Report, finding: &'a Finding) -> JsonFinding<'a> {
    let sources = report.sources;
    let policy = report.policy(finding);
    JsonFinding {
        id: &policy.id,
        slug: &policy.slug,
        title: &policy.title,
        severity: policy.severity.as_str(),
        message: &finding.message,
        resource: &finding.address,
        kind: finding.kind.map(|k| k.as_str()),
        format: finding.format.as_str(),
        location: location(sources, finding.span),
        value_from: finding
            .chain
            .iter()
            .map(|hop| Hop {
                via: hop.via.clone(),
                location: location(sources, hop.span),
            })
            .collect(),
        module_calls: finding
            .call_chain
            .iter()
            .map(|hop| Hop {
                via: hop.via.clone(),
                location: location(sources, hop.span),
            })
            .collect(),
        note: finding.note.as_deref(),
        remediation: policy.remediation.for_finding(finding),
        fingerprint: report.fingerprint(finding),
    }
}

/// Streams the document to `out`; findings are serialised in parallel chunks.
pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let sources = report.sources;
    let visible: Vec<&Finding> = report.visible().collect();
    let errors = report
        .errors
        .iter()
        .map(|error| {
            let position = error.span.map(|s| sources.start(s));
            JsonError {
                file: &error.path,
                line: position.map(|p| p.line),
                column: position.map(|p| p.column),
                message: &error.message,
            }
        })
        .collect();
    let output = Output {
        schema_version: 1,
        tool: Tool {
            name: "rampart",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_scanned: report.files_scanned,
            findings: visible.len(),
            errors: report.errors.len(),
            not_analysed: report.not_analysed(),
            text: report.summary(),
            config: report.config.map(str::to_string),
        },
        findings: Vec::new(),
        errors,
        notices: report
            .notices
            .iter()
            .map(|notice| JsonNotice {
                location: notice.span.map(|span| location(sources, span)),
                message: &notice.message,
                level: if report.is_error(notice) {
                    "error"
                } else {
                    "warning"
                },
                not_analysed: notice.kind == crate::diagnostic::NoticeKind::NotAnalysed,
            })
            .collect(),
    };
    // Findings sit at .findings, two levels deep.
    super::write_pretty_json_with_items(out, &output, "findings", 2, visible.len(), |index| {
        json_finding(report, visible[index])
    })
}
