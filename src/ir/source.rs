//! Source files and byte spans, with line/column conversion for reporters.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub type FileId = u32;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }
}

/// A 1-based position; `column` counts characters, `column_utf16` UTF-16 code units (SARIF).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path as given on disk.
    pub path: PathBuf,
    /// Path relative to the scan root with `/` separators: what reports show.
    pub display: String,
    /// Path relative to the repository root (the git top level) when the file is inside
    /// one, else `display`: what fingerprints, SARIF and GitHub annotations use, so they do
    /// not depend on the directory rampart ran in or how the path was spelled.
    pub repo_path: String,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// Character and UTF-16 counts from the start of the file at every
    /// [`CHECKPOINT_BYTES`] (on a character boundary); empty for ASCII text, whose columns
    /// are byte differences. Columns on very long lines cost a checkpoint's distance, not
    /// the line's length.
    checkpoints: Vec<Checkpoint>,
    /// Read but not a format rampart checks (a YAML file that is not a template): not
    /// counted as scanned, and its text is not kept.
    pub skipped: bool,
    /// Text shipped in rampart, not a file of the scanned tree: the module signature (its
    /// label, `terraform-aws-modules/rds/aws 7.x`) the file belongs to. Never counted as
    /// scanned, never a location in SARIF or annotations.
    pub embedded: Option<String>,
}

/// Distance between column checkpoints.
const CHECKPOINT_BYTES: usize = 4096;

#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    offset: usize,
    chars: usize,
    utf16: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<str>) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut checkpoints = vec![Checkpoint {
                offset: 0,
                chars: 0,
                utf16: 0,
            }];
            let (mut chars, mut utf16, mut next) = (0, 0, CHECKPOINT_BYTES);
            for (offset, c) in text.char_indices() {
                if offset >= next {
                    checkpoints.push(Checkpoint {
                        offset,
                        chars,
                        utf16,
                    });
                    next = offset + CHECKPOINT_BYTES;
                }
                chars += 1;
                utf16 += c.len_utf16();
            }
            checkpoints
        };
        SourceFile {
            path,
            text,
            line_starts,
            checkpoints,
            skipped: false,
            embedded: None,
            repo_path: display.clone(),
            display,
        }
    }

    /// Characters and UTF-16 units before `offset` (a character boundary).
    fn counts_before(&self, offset: usize) -> (usize, usize) {
        if self.checkpoints.is_empty() {
            return (offset, offset);
        }
        let at = match self.checkpoints.binary_search_by_key(&offset, |c| c.offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let checkpoint = self.checkpoints[at];
        let rest = &self.text[checkpoint.offset..offset];
        (
            checkpoint.chars + rest.chars().count(),
            checkpoint.utf16 + rest.encode_utf16().count(),
        )
    }

    /// A file that turned out not to be one rampart checks.
    pub fn skipped(path: PathBuf, display: String) -> SourceFile {
        SourceFile {
            skipped: true,
            ..SourceFile::new(path, display, Arc::from(""))
        }
    }

    /// A file of module signature `label`, shown as its own `path`.
    pub fn embedded(path: PathBuf, label: String, text: Arc<str>) -> SourceFile {
        let display = path.to_string_lossy().replace('\\', "/");
        SourceFile {
            embedded: Some(label),
            ..SourceFile::new(path, display, text)
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(&self.text, offset);
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let (chars, utf16) = self.counts_before(offset);
        let (line_chars, line_utf16) = self.counts_before(line_start);
        Position {
            line: line_index + 1,
            column: chars - line_chars + 1,
            column_utf16: utf16 - line_utf16 + 1,
        }
    }

    /// The text that identifies a finding at `span` across edits (fingerprints): its line,
    /// trimmed; on a minified line, whose own text would make every fingerprint cost the
    /// whole line, the span's text (cut to a character boundary) instead.
    pub fn identifying_text(&self, span: Span) -> &str {
        const MAX_LINE: usize = 512;
        let line = self.position(span.start as usize).line;
        let text = self.line_text(line).trim();
        if text.len() <= MAX_LINE {
            return text;
        }
        let start = (span.start as usize).min(self.text.len());
        let mut end = (span.end as usize)
            .min(start + MAX_LINE)
            .min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        self.text.get(start..end).unwrap_or("")
    }

    /// The text of the 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }
}

fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file read in one scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// `a/b/../c/.` -> `a/c`, without touching the file system (no symlink is followed).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels a named component, never another `..` (`../../x` stays so).
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(out.components().next_back(), Some(Component::RootDir)) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl SourceMap {
    /// Sets every file's `repo_path` relative to `repository` (an absolute directory);
    /// relative paths are taken from `cwd`.
    pub fn relative_to_repository(&mut self, cwd: &Path, repository: &Path) {
        for file in self.files.iter_mut().filter(|f| f.embedded.is_none()) {
            let absolute = normalise(&cwd.join(&file.path));
            if let Ok(inside) = absolute.strip_prefix(repository) {
                let parts: Vec<String> = inside
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if !parts.is_empty() {
                    file.repo_path = parts.join("/");
                }
            }
        }
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        (self.files.len() - 1) as FileId
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Files that were checked (not skipped as another format, not shipped in rampart).
    pub fn scanned_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.skipped && f.embedded.is_none())
            .count()
    }

    /// Whether `span` is in a file shipped in rampart (a module signature).
    pub fn is_embedded(&self, span: Span) -> bool {
        self.files
            .get(span.file as usize)
            .is_some_and(|f| f.embedded.is_some())
    }

    pub fn start(&self, span: Span) -> Position {
        self.get(span.file).position(span.start as usize)
    }

    pub fn end(&self, span: Span) -> Position {
        self.get(span.file).position(span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding is identified by its trimmed line; on a minified line by its span's text,
    /// at most 512 bytes, cut back to a character boundary.
    #[test]
    fn identifying_text_of_short_and_minified_lines() {
        let file = SourceFile::new("a".into(), "a".into(), "x = 1\n  y = \"two\"  \n".into());
        assert_eq!(file.identifying_text(Span::new(0, 10..15)), "y = \"two\"");
        let long = format!("{{\"a\": \"{}é{}\"}}", "b".repeat(600), "c".repeat(600));
        let file = SourceFile::new("m".into(), "m".into(), long.clone().into());
        // A short span inside the long line: exactly its text.
        assert_eq!(file.identifying_text(Span::new(0, 2..5)), "a\":");
        // A span longer than the bound: 512 bytes from its start...
        let text = file.identifying_text(Span::new(0, 0..long.len()));
        assert_eq!(text.len(), 512);
        assert!(long.starts_with(text));
        // ...cut back to a character boundary when 512 falls inside `é`.
        let start = 607 - 511;
        let text = file.identifying_text(Span::new(0, start..long.len()));
        assert_eq!(text.len(), 511, "{text}");
        assert!(text.ends_with('b'));
    }

    fn naive(text: &str, offset: usize) -> Position {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &text[line_start..offset];
        Position {
            line: text[..offset].matches('\n').count() + 1,
            column: prefix.chars().count() + 1,
            column_utf16: prefix.encode_utf16().count() + 1,
        }
    }

    #[test]
    fn columns_with_checkpoints_equal_counting_from_the_line_start() {
        // Long lines of mixed widths (1, 2, 3 and 4 bytes; 4 is two UTF-16 units).
        let mut text = String::new();
        for i in 0..5_000 {
            text.push(['a', 'é', '€', '𝄞'][i % 4]);
            if i % 1_777 == 0 {
                text.push('\n');
            }
        }
        let file = SourceFile::new("x".into(), "x".into(), text.clone().into());
        assert!(!file.checkpoints.is_empty());
        for (offset, _) in text.char_indices().step_by(7) {
            assert_eq!(file.position(offset), naive(&text, offset), "at {offset}");
        }
        let ascii = SourceFile::new("y".into(), "y".into(), "ab\ncd".into());
        assert!(ascii.checkpoints.is_empty());
        assert_eq!(ascii.position(4), naive("ab\ncd", 4));
    }
}
