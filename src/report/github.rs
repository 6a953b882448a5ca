//! `--format github`: workflow commands that GitHub Actions turns into annotations.

use super::Report;
use crate::policy::Severity;

/// Escapes a workflow-command message (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    super::terminal_safe(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    super::render_to_string(|out| write(out, report))
}

/// Streams the annotations to `out`; findings are rendered in parallel chunks.
pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let mut text = String::new();
    for error in report.errors {
        let mut props = format!("file={}", escape_property(&error.path));
        if let Some(span) = error.span {
            let start = report.sources.start(span);
            props.push_str(&format!(",line={},col={}", start.line, start.column));
        }
        text.push_str(&format!(
            "::error {props},title={}::{}\n",
            escape_property("rampart: not fully analysed"),
            escape_data(&error.message)
        ));
    }
    for notice in report.notices {
        let place = match notice.span {
            Some(span) => {
                let file = report.sources.get(span.file);
                let start = report.sources.start(span);
                format!(
                    "file={},line={},col={},",
                    escape_property(&file.repo_path),
                    start.line,
                    start.column
                )
            }
            None => String::new(),
        };
        let level = if report.is_error(notice) {
            "error"
        } else {
            "warning"
        };
        text.push_str(&format!(
            "::{level} {place}title={}::{}\n",
            escape_property("rampart"),
            escape_data(&notice.message)
        ));
    }
    out.write_all(text.as_bytes())?;
    // GitHub shows only the first ten annotations of each level in a step: the most
    // severe come first (a stable sort keeps the report's order within a severity).
    let mut visible: Vec<&crate::policy::Finding> = report.visible().collect();
    visible.sort_by_key(|finding| std::cmp::Reverse(report.policy(finding).severity));
    // Only what fails the run is annotated (the rest is in SARIF and the job summary), and
    // one annotation says how much more there is.
    let below = match report.annotate_from {
        Some(threshold) => {
            let kept = visible
                .iter()
                .take_while(|f| report.policy(f).severity >= threshold)
                .count();
            let rest = visible.len() - kept;
            visible.truncate(kept);
            (rest > 0).then_some((rest, threshold))
        }
        None => None,
    };
    super::write_rendered(out, visible.len(), "", |index| {
        let finding = visible[index];
        let policy = report.policy(finding);
        let level = match policy.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "notice",
        };
        let file = report.sources.get(finding.span.file);
        let start = report.sources.start(finding.span);
        let end = report.sources.end(finding.span);
        let mut props = format!(
            "file={},line={},endLine={}",
            escape_property(&file.repo_path),
            start.line,
            end.line
        );
        if start.line == end.line {
            props.push_str(&format!(",col={},endColumn={}", start.column, end.column));
        }
        let title = format!("{} {}", policy.id, policy.title);
        format!(
            "::{level} {props},title={}::{}\n",
            escape_property(&title),
            escape_data(&format!(
                "{} ({})",
                finding.message,
                policy.severity.as_str()
            ))
        )
    })?;
    if let Some((count, threshold)) = below {
        writeln!(
            out,
            "::notice title={}::{}",
            escape_property("rampart"),
            escape_data(&format!(
                "{count} more finding{} below {} (the fail-on level) are not annotated: see the SARIF report or the job summary",
                if count == 1 { "" } else { "s" },
                threshold.as_str()
            ))
        )?;
    }
    writeln!(out, "rampart: {}", report.summary())
}
