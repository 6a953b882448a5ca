//! Reporters: one file per output format. Reporters never evaluate; they render the
//! findings and file errors of one scan.

pub(crate) mod catalog;
pub mod codequality;
pub mod github;
pub mod gitlab_sast;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod short;

use std::io::{self, Write};

use crate::diagnostic::{FileError, Notice};
use crate::ir::SourceMap;
use crate::policy::{Finding, Policy, PolicySet, Severity};
use crate::suppress::Suppression;

/// Everything a reporter needs.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub policies: &'a PolicySet,
    pub findings: &'a [Finding],
    pub errors: &'a [FileError],
    /// Things worth knowing that are neither findings nor errors (modules not analysed).
    pub notices: &'a [Notice],
    pub files_scanned: usize,
    /// Per finding (same order), why it is suppressed; empty when nothing is.
    pub suppressions: &'a [Option<Suppression>],
    /// The configuration file in force, if any (reports say which one was used).
    pub config: Option<&'a str>,
    /// Whether what was not analysed fails the run (`--fail-on-unanalysed`): such notices
    /// are then errors in every format, not warnings.
    pub unanalysed_is_error: bool,
    /// `--format github` annotates findings at or above this (the fail-on level); `None`:
    /// every finding.
    pub annotate_from: Option<Severity>,
    /// Findings below `annotate_from` left out of this report (`rampart hook` shows what
    /// blocks the commit): the summary counts them.
    pub not_blocking: usize,
}

impl Report<'_> {
    pub fn suppression(&self, index: usize) -> Option<&Suppression> {
        self.suppressions.get(index).and_then(Option::as_ref)
    }

    /// The findings that are reported (not suppressed).
    pub fn visible(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .enumerate()
            .filter(|(i, _)| self.suppression(*i).is_none())
            .map(|(_, f)| f)
    }

    /// Notices that say part of the tree was not analysed.
    pub fn not_analysed(&self) -> usize {
        self.notices
            .iter()
            .filter(|n| n.kind == crate::diagnostic::NoticeKind::NotAnalysed)
            .count()
    }

    /// Whether a notice is shown as an error (not analysed, and that fails the run).
    pub fn is_error(&self, notice: &Notice) -> bool {
        self.unanalysed_is_error && notice.kind == crate::diagnostic::NoticeKind::NotAnalysed
    }

    pub fn policy(&self, finding: &Finding) -> &Policy {
        &self.policies.policies[finding.policy]
    }

    /// A fingerprint that survives unrelated edits: policy, file, resource and the text of
    /// the flagged line, never its number.
    pub fn fingerprint(&self, finding: &Finding) -> String {
        let file = self.sources.get(finding.span.file);
        let text = file.identifying_text(finding.span);
        let mut key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.policy(finding).id,
            file.repo_path,
            finding.address,
            text
        );
        // The first of its kind keeps the fingerprint it always had (baselines hold).
        if finding.occurrence > 0 {
            key.push_str(&format!("\u{0}{}", finding.occurrence));
        }
        format!("{:016x}", fnv1a(key.as_bytes()))
    }

    /// `3 findings (1 critical, 2 high) in 4 files`.
    pub fn summary(&self) -> String {
        let mut counts = Vec::new();
        for severity in [
            crate::policy::Severity::Critical,
            crate::policy::Severity::High,
            crate::policy::Severity::Medium,
            crate::policy::Severity::Low,
        ] {
            let n = self
                .visible()
                .filter(|f| self.policy(f).severity == severity)
                .count();
            if n > 0 {
                counts.push(format!("{n} {}", severity.as_str()));
            }
        }
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let visible = self.visible().count();
        let mut text = plural(visible, "finding");
        if !counts.is_empty() {
            text.push_str(&format!(" ({})", counts.join(", ")));
        }
        let suppressed = self.findings.len() - visible;
        if suppressed > 0 {
            text.push_str(&format!(", {suppressed} suppressed"));
        }
        text.push_str(&format!(" in {}", plural(self.files_scanned, "file")));
        if !self.errors.is_empty() {
            text.push_str(&format!(
                "; {} (not everything was analysed)",
                plural(self.errors.len(), "error")
            ));
        }
        let not_analysed = self.not_analysed();
        if not_analysed > 0 {
            text.push_str(&format!(
                "; {not_analysed} not analysed (modules or programs not on disk, see above)"
            ));
        }
        if self.not_blocking > 0
            && let Some(threshold) = self.annotate_from
        {
            text.push_str(&format!(
                "; {} below --fail-on {} not shown (they do not block; `rampart scan` lists them)",
                plural(self.not_blocking, "more finding"),
                threshold.as_str()
            ));
        }
        text
    }
}

/// The time a report records (GitLab's scan start and end): `SOURCE_DATE_EPOCH` when set,
/// as reproducible builds define it, else the clock.
pub fn report_time() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike std's hashers.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The whole output of a streaming reporter as a string (tests, snapshots, callers that
/// want the text).
fn render_to_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("reporters write UTF-8")
}

/// Findings rendered per chunk: enough to keep both cores busy, few enough that a large
/// report is never held in memory twice.
const CHUNK: usize = 2048;

/// Writes `render(0) .. render(count - 1)` in order, separated by `separator`, rendering
/// each chunk in parallel; the bytes never depend on the thread count.
pub(crate) fn write_rendered<W: Write + ?Sized>(
    out: &mut W,
    count: usize,
    separator: &str,
    render: impl Fn(usize) -> String + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    for chunk_start in (0..count).step_by(CHUNK) {
        let chunk_end = (chunk_start + CHUNK).min(count);
        let rendered: Vec<String> = (chunk_start..chunk_end)
            .into_par_iter()
            .map(&render)
            .collect();
        for (offset, text) in rendered.iter().enumerate() {
            if chunk_start + offset > 0 {
                out.write_all(separator.as_bytes())?;
            }
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Writes the pretty JSON of `document`, whose array under `key` was left empty, with
/// the array filled by `item(0) .. item(count - 1)`, serialised in parallel chunks and
/// indented to sit `depth` levels deep: the bytes are exactly those of
/// `serde_json::to_string_pretty` of the whole, which is never built in memory.
pub(crate) fn write_pretty_json_with_items<W, D, T>(
    out: &mut W,
    document: &D,
    key: &str,
    depth: usize,
    count: usize,
    item: impl Fn(usize) -> T + Sync,
) -> io::Result<()>
where
    W: Write + ?Sized,
    D: serde::Serialize,
    T: serde::Serialize,
{
    let text = serde_json::to_string_pretty(document).map_err(io::Error::other)?;
    let placeholder = format!("\"{key}\": []");
    // Strings in the document are escaped, so the first unescaped `"key": []` is the
    // array itself.
    let at = match text.find(&placeholder) {
        Some(at) if count > 0 => at,
        _ => {
            out.write_all(text.as_bytes())?;
            return out.write_all(b"\n");
        }
    };
    let inner = "  ".repeat(depth);
    out.write_all(&text.as_bytes()[..at])?;
    writeln!(out, "\"{key}\": [")?;
    write_rendered(out, count, ",\n", |index| {
        let one = serde_json::to_string_pretty(&item(index)).expect("serialisable");
        let mut indented = String::with_capacity(one.len() + one.len() / 4);
        indented.push_str(&inner);
        // Raw newlines occur only between tokens in JSON, never inside strings.
        for (line_index, line) in one.split('\n').enumerate() {
            if line_index > 0 {
                indented.push('\n');
                indented.push_str(&inner);
            }
            indented.push_str(line);
        }
        indented
    })?;
    write!(out, "\n{}]", "  ".repeat(depth - 1))?;
    out.write_all(&text.as_bytes()[at + placeholder.len()..])?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize, Clone)]
    struct Item {
        name: String,
        tags: Vec<&'static str>,
        empty: Vec<u8>,
    }

    #[derive(Serialize)]
    struct Document {
        title: &'static str,
        runs: Vec<Run>,
    }

    #[derive(Serialize)]
    struct Run {
        note: &'static str,
        results: Vec<Item>,
        after: &'static str,
    }

    fn item(index: usize) -> Item {
        Item {
            name: format!("item \"{index}\"\nwith \"results\": [] inside"),
            tags: vec!["a", "b"],
            empty: Vec::new(),
        }
    }

    /// The streamed, chunked and parallel output is byte for byte what serde_json writes
    /// for the whole document, for no item, one, and more than one chunk.
    #[test]
    fn streamed_items_match_whole_document() {
        for count in [0, 1, 7, super::CHUNK, super::CHUNK * 2 + 3] {
            let document = |results: Vec<Item>| Document {
                title: "\"results\": [] in a string",
                runs: vec![Run {
                    note: "x",
                    results,
                    after: "y",
                }],
            };
            let mut whole =
                serde_json::to_string_pretty(&document((0..count).map(item).collect())).unwrap();
            whole.push('\n');
            let mut streamed = Vec::new();
            super::write_pretty_json_with_items(
                &mut streamed,
                &document(Vec::new()),
                "results",
                4,
                count,
                item,
            )
            .unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), whole, "count {count}");
        }
    }

    #[test]
    fn rendered_pieces_keep_their_order() {
        let mut out = Vec::new();
        super::write_rendered(&mut out, super::CHUNK + 5, ",", |i| i.to_string()).unwrap();
        let expected: Vec<String> = (0..super::CHUNK + 5).map(|i| i.to_string()).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected.join(","));
    }
}

/// A character a terminal would obey rather than show: C0 controls other than tab and line
/// feed (ESC starts cursor moves, OSC 52 clipboard writes, title changes), DEL, C1 controls,
/// and the bidirectional overrides that reorder what a reader sees.
fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text from scanned files made safe to print: each control character becomes a visible
/// `\u{..}` escape.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_terminal_control(c) {
            safe.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            safe.push(c);
        }
    }
    std::borrow::Cow::Owned(safe)
}

/// Like [`terminal_safe`], but each control character becomes as many `?` as it has bytes
/// (a carriage return a space), so byte offsets into the text stay valid for code frames.
pub(crate) fn terminal_safe_same_length(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => safe.push(' '),
            c if is_terminal_control(c) => {
                safe.extend(std::iter::repeat_n('?', c.len_utf8()));
            }
            c => safe.push(c),
        }
    }
    std::borrow::Cow::Owned(safe)
}

#[cfg(test)]
mod terminal_tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_offsets_kept_in_frames() {
        let hostile = "a\u{1b}]52;c;SGVsbG8=\u{7}b\u{9b}c\u{202e}d\te\n";
        assert_eq!(
            terminal_safe(hostile),
            "a\\u{1b}]52;c;SGVsbG8=\\u{7}b\\u{9b}c\\u{202e}d\te\n"
        );
        let framed = terminal_safe_same_length(hostile);
        assert_eq!(framed.len(), hostile.len());
        assert_eq!(framed, "a?]52;c;SGVsbG8=?b??c???d\te\n");
        assert_eq!(terminal_safe_same_length("x\r\n"), "x \n");
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
