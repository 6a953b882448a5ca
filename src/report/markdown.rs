//! `--format markdown`: a summary for people: counts by severity and policy, then the
//! findings, most severe first. What the GitHub Action writes to the job's step summary,
//! and what a pull-request comment or a wiki page can hold.

use std::collections::BTreeMap;

use super::Report;
use crate::policy::Severity;

/// Findings listed one by one at most; the counts above always cover all of them (a step
/// summary holds 1 MiB).
pub const MAX_LISTED: usize = 500;

/// A table cell: no line breaks, pipes escaped, no terminal controls.
fn cell(text: &str) -> String {
    super::terminal_safe(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Inline code that survives backticks inside it.
fn code(text: &str) -> String {
    let text = cell(text);
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{text}{close}")
}

pub fn render(report: &Report) -> String {
    super::render_to_string(|out| write(out, report))
}

pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let mut text = format!("## rampart: {}\n\n", cell(&report.summary()));
    let mut visible: Vec<&crate::policy::Finding> = report.visible().collect();
    visible.sort_by_key(|finding| std::cmp::Reverse(report.policy(finding).severity));
    if !visible.is_empty() {
        // (severity, id) -> (title, count), most severe first.
        let mut by_policy: BTreeMap<(std::cmp::Reverse<Severity>, &str), (&str, usize)> =
            BTreeMap::new();
        for finding in &visible {
            let policy = report.policy(finding);
            by_policy
                .entry((std::cmp::Reverse(policy.severity), policy.id.as_str()))
                .or_insert((policy.title.as_str(), 0))
                .1 += 1;
        }
        text.push_str("| severity | policy | title | findings |\n|---|---|---|---:|\n");
        for ((severity, id), (title, count)) in &by_policy {
            text.push_str(&format!(
                "| {} | {} | {} | {count} |\n",
                severity.0.as_str(),
                code(id),
                cell(title)
            ));
        }
        text.push_str(
            "\n| severity | policy | resource | where | message |\n|---|---|---|---|---|\n",
        );
        for finding in visible.iter().take(MAX_LISTED) {
            let policy = report.policy(finding);
            let file = report.sources.get(finding.span.file);
            let start = report.sources.start(finding.span);
            text.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                policy.severity.as_str(),
                code(&policy.id),
                code(&finding.address),
                code(&format!(
                    "{}:{}:{}",
                    file.repo_path, start.line, start.column
                )),
                cell(&finding.message)
            ));
        }
        if visible.len() > MAX_LISTED {
            text.push_str(&format!(
                "\n{} more findings are not listed here; the SARIF and JSON reports have them all.\n",
                visible.len() - MAX_LISTED
            ));
        }
    }
    let problems: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("- error: {}: {}", code(&e.path), cell(&e.message)))
        .chain(report.notices.iter().map(|n| {
            let level = if report.is_error(n) {
                "error"
            } else {
                "warning"
            };
            format!("- {level}: {}", cell(&n.message))
        }))
        .collect();
    if !problems.is_empty() {
        text.push_str("\n### Not analysed, or not decided\n\n");
        text.push_str(&problems.join("\n"));
        text.push('\n');
    }
    out.write_all(text.as_bytes())
}
