//! Front ends: one module per input format. Each parses a file and lowers it into the IR;
//! nothing here knows a policy.

pub mod terraform;

use std::path::Path;

use crate::ir::Span;

/// What a discovered file is, judged by name (and later by content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Terraform,
}

impl FileKind {
    pub fn sniff(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".tf") {
            return Some(FileKind::Terraform);
        }
        None
    }
}

/// A file that could not be read or parsed. Reported with its location; the scan goes on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FileError {
    /// Path relative to the scan root, as reports show it.
    pub path: String,
    /// Where in the file, when known (a syntax error); `None` for an unreadable file.
    pub span: Option<Span>,
    pub message: String,
}
