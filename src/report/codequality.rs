//! `--format gitlab-codequality`: a GitLab code quality report
//! (`artifacts:reports:codequality`), the Code Climate subset GitLab reads, so findings are
//! shown in the merge request's diff and widget. Checked against
//! `testdata/schemas/gitlab-codequality.schema.json`, which restates the fields the GitLab
//! documentation requires.
//!
//! Severities map to GitLab's scale one step up from its lowest (`info` is left to
//! nothing): critical is `blocker`, high `critical`, medium `major`, low `minor`. A file that
//! could not be parsed is a `blocker` issue too, at its place, since nothing in it was checked;
//! a notice (nothing scanned, not analysed) is an `info` issue.

use serde::Serialize;

use super::Report;
use crate::policy::{Finding, Severity};

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
    }
}

fn finding_issue(report: &Report, finding: &Finding) -> Issue {
    let policy = report.policy(finding);
    let sources = report.sources;
    Issue {
        kind: "issue",
        check_name: policy.id.clone(),
        description: format!("{} {}", policy.id, finding.message),
        content: Content {
            body: format!(
                "**{}**\n\n{}\n\n**Fix:** {}\n\n[{} documentation]({})",
                policy.title,
                policy.rationale.trim(),
                policy.remediation.for_finding(finding),
                policy.id,
                policy.docs_url()
            ),
        },
        categories: ["Security"],
        severity: severity(policy.severity),
        fingerprint: report.fingerprint(finding),
        location: Location {
            path: sources.get(finding.span.file).repo_path.clone(),
            lines: Lines {
                begin: sources.start(finding.span).line,
                end: sources.end(finding.span).line,
            },
        },
    }
}

/// An issue of rampart's own (an error, a notice) at `span`, else on `path` line 1; its
/// fingerprint is its check, place and message.
fn own_issue(
    report: &Report,
    check_name: &str,
    (span, path): (Option<crate::ir::Span>, &str),
    (description, body): (String, &str),
    severity: &'static str,
) -> Issue {
    let sources = report.sources;
    let (path, line) = match span {
        Some(span) => (
            sources.get(span.file).repo_path.clone(),
            sources.start(span).line,
        ),
        None => (path.to_string(), 1),
    };
    let key = format!("{check_name}\u{0}{path}\u{0}{description}");
    Issue {
        kind: "issue",
        check_name: check_name.to_string(),
        description,
        content: Content {
            body: body.to_string(),
        },
        categories: ["Security"],
        severity,
        fingerprint: format!("{:016x}", super::fnv1a(key.as_bytes())),
        location: Location {
            path,
            lines: Lines {
                begin: line,
                end: line,
            },
        },
    }
}

fn error_issue(report: &Report, error: &crate::diagnostic::FileError) -> Issue {
    own_issue(
        report,
        "rampart/error",
        (error.span, &error.path),
        (
            format!("could not be analysed: {}", error.message),
            "Nothing in this file was checked; fix the error so that rampart can read it.",
        ),
        "blocker",
    )
}

/// A notice (nothing scanned, a module or program not analysed) as an issue, so that the
/// merge request says it too: `info`, or `blocker` when it fails the run. One without a
/// place in a file is put on the repository (`.`).
fn notice_issue(report: &Report, notice: &crate::diagnostic::Notice) -> Issue {
    own_issue(
        report,
        "rampart/notice",
        (notice.span, "."),
        (
            notice.message.clone(),
            "Something rampart could not analyse, or nothing to analyse at all: what it says \
             was not checked.",
        ),
        if report.is_error(notice) {
            "blocker"
        } else {
            "info"
        },
    )
}

pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let errors: Vec<Issue> = report
        .errors
        .iter()
        .map(|error| error_issue(report, error))
        .chain(
            report
                .notices
                .iter()
                .map(|notice| notice_issue(report, notice)),
        )
        .collect();
    let visible: Vec<&Finding> = report.visible().collect();
    if errors.is_empty() && visible.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[\n")?;
    let total = errors.len() + visible.len();
    super::write_rendered(out, total, ",\n", |index| {
        let issue = match index.checked_sub(errors.len()) {
            None => serde_json::to_string(&errors[index]),
            Some(i) => serde_json::to_string(&finding_issue(report, visible[i])),
        };
        format!("  {}", issue.expect("serialisable"))
    })?;
    out.write_all(b"\n]\n")
}
