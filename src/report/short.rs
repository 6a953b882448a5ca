//! `--format short` (and `--quiet`): one line per finding, `path:line:col: severity ID
//! message`, as editors' problem matchers and quickfix lists read them (Vim's `%f:%l:%c:
//! %m`, VS Code's `$gcc`-like matchers); errors and warnings in the same shape.

use super::Report;

fn line(out: &mut String, place: &str, level: &str, text: &str) {
    out.push_str(place);
    out.push_str(": ");
    out.push_str(level);
    out.push(' ');
    // One finding, one line: no message may break it.
    out.push_str(&super::terminal_safe(text).replace(['\n', '\r'], " "));
    out.push('\n');
}

pub fn render(report: &Report) -> String {
    super::render_to_string(|out| write(out, report))
}

pub fn write<W: std::io::Write + ?Sized>(out: &mut W, report: &Report) -> std::io::Result<()> {
    let sources = report.sources;
    let place = |span: crate::ir::Span| {
        let start = sources.start(span);
        format!(
            "{}:{}:{}",
            super::terminal_safe(&sources.get(span.file).display),
            start.line,
            start.column
        )
    };
    let mut text = String::new();
    for error in report.errors {
        let at = error
            .span
            .map(place)
            .unwrap_or_else(|| format!("{}:1:1", super::terminal_safe(&error.path)));
        line(&mut text, &at, "error", &error.message);
    }
    for notice in report.notices {
        let at = notice
            .span
            .map(place)
            .unwrap_or_else(|| "rampart".to_string());
        let level = if report.is_error(notice) {
            "error"
        } else {
            "warning"
        };
        line(&mut text, &at, level, &notice.message);
    }
    for finding in report.visible() {
        let policy = report.policy(finding);
        line(
            &mut text,
            &place(finding.span),
            policy.severity.as_str(),
            &format!("{} {}", policy.id, finding.message),
        );
    }
    out.write_all(text.as_bytes())
}
