//! `--format gitlab-sast`: a GitLab security report (`artifacts:reports:sast`), the format
//! GitLab's own infrastructure-as-code scanning writes, so findings appear in the merge
//! request's security widget and the vulnerability report. Version 15 of GitLab's security
//! report schemas; checked against `testdata/schemas/gitlab-sast.schema.json`, which
//! restates the requirements of the GitLab documentation.
//!
//! Suppressed findings are left out (GitLab has no suppressed state) and counted in a scan
//! message; files that could not be parsed are scan messages and make the scan's status
//! `failure`, so GitLab never shows an incomplete scan as a clean one.

use serde::Serialize;

use super::Report;
use crate::policy::{Finding, Severity};

/// The schema version the report follows.
pub const SCHEMA_VERSION: &str = "15.0.7";

#[derive(Serialize)]
struct Document<'a> {
    version: &'static str,
    scan: Scan,
    vulnerabilities: Vec<Vulnerability<'a>>,
}

#[derive(Serialize)]
struct Scan {
    analyzer: Tool,
    scanner: Tool,
    #[serde(rename = "type")]
    kind: &'static str,
    start_time: String,
    end_time: String,
    status: &'static str,
    messages: Vec<Message>,
}

#[derive(Serialize)]
struct Tool {
    id: &'static str,
    name: &'static str,
    url: &'static str,
    version: &'static str,
    vendor: Vendor,
}

#[derive(Serialize)]
struct Vendor {
    name: &'static str,
}

#[derive(Serialize)]
struct Message {
    level: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Vulnerability<'a> {
    id: String,
    name: String,
    description: String,
    severity: &'static str,
    solution: std::borrow::Cow<'a, str>,
    identifiers: Vec<Identifier<'a>>,
    links: Vec<Link<'a>>,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Identifier<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    value: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Link<'a> {
    url: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    start_line: usize,
    end_line: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// GitLab's `yyyy-mm-ddThh:mm:ss`, in UTC.
fn time(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// At most `limit` bytes, cut at a character boundary (the schema bounds some fields).
fn bounded(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

fn vulnerability<'a>(report: &'a Report, finding: &'a Finding) -> Vulnerability<'a> {
    let policy = report.policy(finding);
    let file = report.sources.get(finding.span.file);
    Vulnerability {
        id: report.fingerprint(finding),
        name: bounded(format!("{}: {}", policy.id, policy.title), 255),
        description: bounded(
            format!(
                "{}\n\n{}",
                finding.message,
                policy.rationale.trim().replace('\n', " ")
            ),
            1_048_576,
        ),
        severity: severity(policy.severity),
        solution: policy.remediation.for_finding(finding),
        identifiers: vec![Identifier {
            kind: "rampart",
            name: format!("rampart {}", policy.id),
            value: &policy.id,
            url: policy.docs_url(),
        }],
        links: policy
            .references
            .iter()
            .filter(|url| url.starts_with("https://"))
            .map(|url| Link { url })
            .collect(),
        location: Location {
            file: &file.repo_path,
            start_line: report.sources.start(finding.span).line,
            end_line: report.sources.end(finding.span).line,
        },
    }
}

/// `started` is when the scan began; the end is now (both `SOURCE_DATE_EPOCH` when set).
pub fn write<W: std::io::Write + ?Sized>(
    out: &mut W,
    report: &Report,
    started: jiff::Timestamp,
) -> std::io::Result<()> {
    let tool = || Tool {
        id: "rampart",
        name: "rampart",
        url: env!("CARGO_PKG_REPOSITORY"),
        version: env!("CARGO_PKG_VERSION"),
        vendor: Vendor { name: "rampart" },
    };
    let sources = report.sources;
    let mut messages = Vec::new();
    for error in report.errors {
        let place = match error.span {
            Some(span) => format!(
                "{}:{}",
                sources.get(span.file).repo_path,
                sources.start(span).line
            ),
            None => error.path.clone(),
        };
        messages.push(Message {
            level: "warn",
            value: format!("{place}: could not be analysed: {}", error.message),
        });
    }
    for notice in report.notices {
        messages.push(Message {
            level: if report.is_error(notice) {
                "warn"
            } else {
                "info"
            },
            value: notice.message.clone(),
        });
    }
    let suppressed = report.findings.len() - report.visible().count();
    if suppressed > 0 {
        messages.push(Message {
            level: "info",
            value: format!("{suppressed} suppressed findings are not listed"),
        });
    }
    messages.push(Message {
        level: "info",
        value: report.summary(),
    });
    let failed = !report.errors.is_empty() || report.notices.iter().any(|n| report.is_error(n));
    let document = Document {
        version: SCHEMA_VERSION,
        scan: Scan {
            analyzer: tool(),
            scanner: tool(),
            kind: "sast",
            start_time: time(started),
            end_time: time(super::report_time()),
            status: if failed { "failure" } else { "success" },
            messages,
        },
        vulnerabilities: Vec::new(),
    };
    let visible: Vec<&Finding> = report.visible().collect();
    super::write_pretty_json_with_items(
        out,
        &document,
        "vulnerabilities",
        2,
        visible.len(),
        |index| vulnerability(report, visible[index]),
    )
}
