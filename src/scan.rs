//! The pipeline up to evaluation: discover files, read and parse them in parallel, lower
//! each project, link it. Reads each file once; never writes, spawns or connects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::graph;
use crate::ir::{FileId, Project, SourceFile, SourceMap};
use crate::parse::{terraform, FileError, FileKind};

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    #[error("path does not exist: {0}")]
    #[diagnostic(code(rampart::scan::missing_path))]
    MissingPath(String),
    #[error("invalid exclude pattern `{pattern}`: {message}")]
    #[diagnostic(code(rampart::scan::exclude))]
    Exclude { pattern: String, message: String },
}

pub struct ScanInput<'a> {
    pub paths: &'a [PathBuf],
    /// Gitignore-style patterns to skip.
    pub exclude: &'a [String],
    /// Paths are shown relative to this directory.
    pub root: &'a Path,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub discover: Duration,
    pub parse: Duration,
    pub link: Duration,
}

pub struct Scanned {
    pub sources: SourceMap,
    pub projects: Vec<Project>,
    pub errors: Vec<FileError>,
    pub timings: Timings,
    pub bytes: usize,
}

pub fn scan(input: &ScanInput) -> Result<Scanned, ScanError> {
    let started = Instant::now();
    let (files, walk_errors) = discover(input)?;
    let discovered = Instant::now();

    enum Parsed {
        Terraform(terraform::ParsedFile),
        Failed(FileError),
    }
    let results: Vec<(SourceFile, Parsed)> = files
        .par_iter()
        .enumerate()
        .map(|(index, (path, kind))| {
            let id = index as FileId;
            let display = display_path(input.root, path);
            let text: Arc<str> = match read_text(path) {
                Ok(text) => text.into(),
                Err(message) => {
                    let error = FileError {
                        path: display.clone(),
                        span: None,
                        message,
                    };
                    let file = SourceFile::new(path.clone(), display, Arc::from(""));
                    return (file, Parsed::Failed(error));
                }
            };
            let parsed = match kind {
                FileKind::Terraform => match terraform::parse_file(id, &display, &text) {
                    Ok(parsed) => Parsed::Terraform(parsed),
                    Err(error) => Parsed::Failed(error),
                },
            };
            (SourceFile::new(path.clone(), display, text), parsed)
        })
        .collect();

    let mut sources = SourceMap::default();
    let mut errors = walk_errors;
    let mut modules: BTreeMap<PathBuf, Vec<terraform::ParsedFile>> = BTreeMap::new();
    let mut bytes = 0;
    for (file, parsed) in results {
        bytes += file.text.len();
        let dir = file.path.parent().map(Path::to_path_buf).unwrap_or_default();
        sources.add(file);
        match parsed {
            Parsed::Terraform(parsed) => modules.entry(dir).or_default().push(parsed),
            Parsed::Failed(error) => errors.push(error),
        }
    }
    let parsed_at = Instant::now();

    let mut projects: Vec<Project> = modules
        .into_par_iter()
        .map(|(dir, files)| {
            let mut project = terraform::lower_module(display_path(input.root, &dir), &files);
            graph::link(&mut project);
            project
        })
        .collect();
    projects.sort_by(|a, b| a.name.cmp(&b.name));
    let linked = Instant::now();

    Ok(Scanned {
        sources,
        projects,
        errors,
        bytes,
        timings: Timings {
            discover: discovered - started,
            parse: parsed_at - discovered,
            link: linked - parsed_at,
        },
    })
}

/// Reads a file as UTF-8 text, dropping a byte-order mark.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(stripped) => stripped.to_string(),
        None => text,
    })
}

/// `root`-relative path with `/` separators, or the path as given when outside `root`.
pub fn display_path(root: &Path, path: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.display().to_string();
    };
    let text = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() { ".".to_string() } else { text }
}

type Discovered = (Vec<(PathBuf, FileKind)>, Vec<FileError>);

/// Every scannable file under the given paths, sorted and without duplicates, and the
/// entries that could not be read (reported, never silently dropped).
fn discover(input: &ScanInput) -> Result<Discovered, ScanError> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in input.paths {
        if !path.exists() {
            return Err(ScanError::MissingPath(path.display().to_string()));
        }
        if path.is_file() {
            if let Some(kind) = FileKind::sniff(path) {
                files.push((path.clone(), kind));
            }
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for pattern in input.exclude {
            overrides
                .add(&format!("!{pattern}"))
                .map_err(|e| ScanError::Exclude {
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
        }
        let overrides = overrides.build().map_err(|e| ScanError::Exclude {
            pattern: input.exclude.join(", "),
            message: e.to_string(),
        })?;
        let walker = ignore::WalkBuilder::new(path)
            .hidden(true)
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                // Unreadable entries are reported; a malformed ignore file is not an error
                // of the scanned code and only loses its own patterns.
                Err(error) if error.io_error().is_some() => {
                    errors.push(walk_error(input.root, path, &error));
                    continue;
                }
                Err(_) => continue,
            };
            if entry.file_type().is_some_and(|t| t.is_file())
                && let Some(kind) = FileKind::sniff(entry.path())
            {
                files.push((entry.into_path(), kind));
            }
        }
    }
    files.sort();
    files.dedup();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, errors))
}

fn walk_error(root: &Path, scanned: &Path, error: &ignore::Error) -> FileError {
    let path = match error {
        ignore::Error::WithPath { path, .. } => path.as_path(),
        ignore::Error::WithDepth { err, .. } => match err.as_ref() {
            ignore::Error::WithPath { path, .. } => path.as_path(),
            _ => scanned,
        },
        _ => scanned,
    };
    FileError {
        path: display_path(root, path),
        span: None,
        message: format!("cannot read: {error}"),
    }
}
