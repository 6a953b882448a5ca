//! Terminal output: a miette diagnostic per finding with its code frame, the policy id and
//! title, the remediation as help, and where an indirect value was set.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::ir::{SourceMap, Span};
use crate::policy::Severity;

use super::Report;

/// Lines longer than this are not framed (miette cannot render columns past 65,535, and a
/// minified line is unreadable anyway); the location is still printed.
const MAX_FRAMED_LINE: usize = 400;
/// Spans over more lines than this are framed on their first line only.
const MAX_FRAMED_LINES: usize = 12;

/// A few lines of one file, numbered as in the file, so rendering never rescans it.
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the excerpt's first line.
    first_line: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Cuts the lines around `span` (2 before, 2 after); `None` if a line is too long to frame.
fn excerpt(sources: &SourceMap, span: Span) -> Option<(Excerpt, SourceSpan)> {
    let file = sources.get(span.file);
    let start = file.position(span.start as usize);
    let mut end = file.position(span.end as usize);
    let mut span = span;
    if end.line > start.line + MAX_FRAMED_LINES {
        // A span over a whole document: frame its first line, not all of it.
        let line_end = file.line_start(start.line) + file.line_text(start.line).len();
        span.end = line_end as u32;
        end = file.position(line_end);
    }
    let first = start.line.saturating_sub(2).max(1);
    let last = (end.line + 2).min(file.line_count());
    if (start.line..=end.line).any(|l| file.line_text(l).len() > MAX_FRAMED_LINE) {
        return None;
    }
    let from = file.line_start(first);
    let to = if last < file.line_count() {
        file.line_start(last + 1)
    } else {
        file.text.len()
    };
    let text = file.text[from..to].to_string();
    let offset = span.start as usize - from;
    let len = (span.end.saturating_sub(span.start) as usize).min(text.len() - offset);
    Some((
        Excerpt {
            name: file.display.clone(),
            text,
            first_line: first - 1,
        },
        SourceSpan::from((offset, len)),
    ))
}

/// One rendered problem: a finding, a hop of its value, or a file error.
struct Problem {
    code: Option<String>,
    title: String,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    location: String,
    source: Option<(Excerpt, SourceSpan, String)>,
    related: Vec<Problem>,
}

impl Problem {
    /// The problem with every text that may come from a scanned file (paths, values,
    /// resource names, source lines) unable to steer the terminal.
    fn terminal_safe(&self) -> Problem {
        use super::{terminal_safe, terminal_safe_same_length};
        let safe = |text: &str| terminal_safe(text).into_owned();
        Problem {
            code: self.code.as_deref().map(safe),
            title: safe(&self.title),
            severity: self.severity,
            help: self.help.as_deref().map(safe),
            url: self.url.as_deref().map(safe),
            location: safe(&self.location),
            source: self.source.as_ref().map(|(excerpt, span, label)| {
                (
                    Excerpt {
                        name: safe(&excerpt.name),
                        text: terminal_safe_same_length(&excerpt.text).into_owned(),
                        first_line: excerpt.first_line,
                    },
                    *span,
                    safe(label),
                )
            }),
            related: self.related.iter().map(Problem::terminal_safe).collect(),
        }
    }
}

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_some() || self.location.is_empty() {
            f.write_str(&self.title)
        } else {
            write!(f, "{} ({})", self.title, self.location)
        }
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(e, _, _)| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span, label) = self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(label.clone()), *span),
        )))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|p| p as &dyn Diagnostic)))
    }
}

fn location(sources: &SourceMap, span: Span) -> String {
    let file = sources.get(span.file);
    let position = file.position(span.start as usize);
    format!("{}:{}:{}", file.display, position.line, position.column)
}

fn framed(sources: &SourceMap, span: Span, label: String) -> Option<(Excerpt, SourceSpan, String)> {
    excerpt(sources, span).map(|(excerpt, span)| (excerpt, span, label))
}

/// `[CRITICAL]`, `[high]`, `[medium]`, `[low]`: miette draws critical and high alike (as
/// errors, and it escapes colour codes in messages), so critical stands out in capitals.
fn severity_tag(severity: Severity) -> String {
    match severity {
        Severity::Critical => "[CRITICAL]".to_string(),
        other => format!("[{}]", other.as_str()),
    }
}

pub fn render(report: &Report, color: bool, width: usize) -> String {
    super::render_to_string(|out| write(out, report, color, width))
}

/// Streams the report to `out`: errors, notices, then findings framed in parallel chunks
/// (miette costs tens of microseconds each) and written in their sorted order.
pub fn write<W: std::io::Write + ?Sized>(
    out: &mut W,
    report: &Report,
    color: bool,
    width: usize,
) -> std::io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(2);
    let mut text = String::new();
    let sources = report.sources;

    for error in report.errors {
        let problem = Problem {
            code: Some("scan-error".into()),
            // Without a place in the file there is no frame to carry the message.
            title: match error.span {
                Some(_) => format!("could not scan {}", error.path),
                None => format!("could not scan {}: {}", error.path, error.message),
            },
            severity: miette::Severity::Error,
            // A syntax error, an unreadable file, a spent work budget: what was not analysed
            // fails the run, and the rest was still scanned.
            help: Some(
                "this was not fully analysed, so the run fails; everything else was scanned".into(),
            ),
            url: None,
            location: error
                .span
                .map(|s| location(sources, s))
                .unwrap_or_else(|| error.path.clone()),
            source: error
                .span
                .and_then(|s| framed(sources, s, error.message.clone())),
            related: Vec::new(),
        };
        render_one(&handler, &problem, &mut text);
    }

    for notice in report.notices {
        let problem = Problem {
            code: None,
            title: notice.message.clone(),
            severity: if report.is_error(notice) {
                miette::Severity::Error
            } else {
                miette::Severity::Advice
            },
            help: None,
            url: None,
            location: notice
                .span
                .map(|span| location(sources, span))
                .unwrap_or_default(),
            source: notice
                .span
                .and_then(|span| framed(sources, span, "note".to_string())),
            related: Vec::new(),
        };
        render_one(&handler, &problem, &mut text);
    }

    out.write_all(text.as_bytes())?;
    // Most severe first, so what blocks the run is what a person reads first; a stable
    // sort keeps file order within a severity.
    let mut visible: Vec<&crate::policy::Finding> = report.visible().collect();
    visible.sort_by_key(|finding| std::cmp::Reverse(report.policy(finding).severity));
    // One finding at one place for several resources (a security-group rule attached to
    // three clusters) is shown once, naming every resource.
    let mut groups: Vec<Vec<&crate::policy::Finding>> = Vec::new();
    let mut group_of: std::collections::HashMap<(usize, crate::ir::Span), usize> =
        std::collections::HashMap::new();
    for finding in visible {
        match group_of.entry((finding.policy, finding.span)) {
            std::collections::hash_map::Entry::Occupied(slot) => groups[*slot.get()].push(finding),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(groups.len());
                groups.push(vec![finding]);
            }
        }
    }
    super::write_rendered(out, groups.len(), "", |index| {
        let group = &groups[index];
        let finding = group[0];
        let policy = report.policy(finding);
        let remediation = policy.remediation.for_finding(finding);
        let calls = finding.call_chain.iter().map(|hop| Problem {
            code: None,
            title: format!("in {}, instantiated here", hop.via),
            severity: miette::Severity::Advice,
            help: None,
            url: None,
            location: location(sources, hop.span),
            source: framed(sources, hop.span, format!("{} is called here", hop.via)),
            related: Vec::new(),
        });
        let related = finding
            .chain
            .iter()
            .map(|hop| Problem {
                code: None,
                title: format!("value comes from {}", hop.via),
                severity: miette::Severity::Advice,
                help: None,
                url: None,
                location: location(sources, hop.span),
                source: framed(sources, hop.span, format!("{} is set here", hop.via)),
                related: Vec::new(),
            })
            .chain(calls)
            .collect();
        let mut title = format!("{} {}", severity_tag(policy.severity), policy.title);
        if let Some(note) = &finding.note {
            title.push_str(&format!(" ({note})"));
        }
        let problem = Problem {
            code: Some(policy.id.clone()),
            title,
            severity: match policy.severity {
                Severity::Critical | Severity::High => miette::Severity::Error,
                Severity::Medium => miette::Severity::Warning,
                Severity::Low => miette::Severity::Advice,
            },
            // The link alone on its line, so terminals make it clickable whole.
            help: Some(format!(
                "{remediation}\n`rampart explain {}`, or:\n{}",
                policy.id,
                policy.docs_url()
            )),
            url: None,
            location: location(sources, finding.span),
            source: framed(sources, finding.span, shared_label(group)),
            related,
        };
        let mut one = String::new();
        render_one(&handler, &problem, &mut one);
        one
    })?;
    match report.config {
        Some(config) => writeln!(
            out,
            "{} (configuration: {})",
            report.summary(),
            super::terminal_safe(config)
        ),
        None => writeln!(out, "{}", report.summary()),
    }
}

/// The message of a finding, and the other resources it holds for at the same place.
fn shared_label(group: &[&crate::policy::Finding]) -> String {
    let mut label = group[0].message.clone();
    if group.len() > 1 {
        let others: Vec<&str> = group[1..].iter().map(|f| f.address.as_str()).collect();
        label.push_str(&format!(
            "; the same for {} more: {}",
            others.len(),
            others.join(", ")
        ));
    }
    label
}

fn render_one(handler: &GraphicalReportHandler, problem: &Problem, out: &mut String) {
    let problem = problem.terminal_safe();
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &problem).is_err() {
        rendered = format!("{problem}\n");
    }
    out.push_str(&rendered);
    out.push('\n');
}
