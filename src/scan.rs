//! The pipeline up to evaluation: discover files, read and parse them in parallel, lower
//! each project, link it. Reads each file once; never writes, spawns or connects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::graph;
use crate::ir::{FileId, Project, SourceFile, SourceMap};
use crate::parse::{FileError, FileKind, terraform};

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

/// Where the time went. `parse` and `link` are summed over workers (CPU time), `wall` is
/// the elapsed time of the whole scan.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub discover: Duration,
    pub parse: Duration,
    pub link: Duration,
    pub wall: Duration,
}

pub struct Scanned {
    pub sources: SourceMap,
    pub projects: Vec<Project>,
    pub errors: Vec<FileError>,
    pub timings: Timings,
    pub bytes: usize,
}

/// Files that lower together into one project: a Terraform module directory, or one file.
enum Unit {
    TerraformModule(PathBuf, Vec<(FileId, PathBuf)>),
}

/// What one unit produced.
#[derive(Default)]
struct UnitOutput {
    files: Vec<(FileId, SourceFile)>,
    errors: Vec<FileError>,
    project: Option<Project>,
    parse: Duration,
    link: Duration,
}

pub fn scan(input: &ScanInput) -> Result<Scanned, ScanError> {
    let started = Instant::now();
    let (files, walk_errors) = discover(input)?;
    let units = group(files);
    let discovered = Instant::now();

    // Each unit is read, parsed, lowered and linked on one worker, and its syntax trees are
    // dropped before the next, so memory follows the largest project, not the whole tree.
    let outputs: Vec<UnitOutput> = units
        .into_par_iter()
        .map(|unit| run_unit(input, unit))
        .collect();

    let mut slots: Vec<Option<SourceFile>> = Vec::new();
    let mut errors = walk_errors;
    let mut projects = Vec::new();
    let mut timings = Timings {
        discover: discovered - started,
        ..Timings::default()
    };
    for output in outputs {
        for (id, file) in output.files {
            let id = id as usize;
            if slots.len() <= id {
                slots.resize_with(id + 1, || None);
            }
            slots[id] = Some(file);
        }
        errors.extend(output.errors);
        projects.extend(output.project);
        timings.parse += output.parse;
        timings.link += output.link;
    }
    let mut sources = SourceMap::default();
    let mut bytes = 0;
    for file in slots.into_iter().flatten() {
        bytes += file.text.len();
        sources.add(file);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.span.cmp(&b.span)));
    projects.sort_by(|a, b| a.name.cmp(&b.name));
    timings.wall = started.elapsed();
    Ok(Scanned {
        sources,
        projects,
        errors,
        bytes,
        timings,
    })
}

/// Numbers files in sorted order (so ids, and output, never depend on scheduling) and
/// groups them into units.
fn group(files: Vec<(PathBuf, FileKind)>) -> Vec<Unit> {
    let mut modules: BTreeMap<PathBuf, Vec<(FileId, PathBuf)>> = BTreeMap::new();
    for (index, (path, kind)) in files.into_iter().enumerate() {
        let id = index as FileId;
        match kind {
            FileKind::Terraform => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                modules.entry(dir).or_default().push((id, path));
            }
        }
    }
    modules
        .into_iter()
        .map(|(dir, files)| Unit::TerraformModule(dir, files))
        .collect()
}

fn run_unit(input: &ScanInput, unit: Unit) -> UnitOutput {
    let mut output = UnitOutput::default();
    match unit {
        Unit::TerraformModule(dir, files) => {
            let started = Instant::now();
            let mut parsed = Vec::new();
            for (id, path) in files {
                let Some(text) = read_into(input, id, &path, &mut output) else {
                    continue;
                };
                let display = display_path(input.root, &path);
                match terraform::parse_file(id, &display, &text) {
                    Ok(file) => parsed.push(file),
                    Err(error) => output.errors.push(error),
                }
            }
            let lowered = Instant::now();
            output.parse = lowered - started;
            if !parsed.is_empty() {
                let mut project = terraform::lower_module(display_path(input.root, &dir), &parsed);
                drop(parsed);
                graph::link(&mut project);
                output.project = Some(project);
            }
            output.link = lowered.elapsed();
        }
    }
    output
}

/// Reads one file into the unit's output; on failure records the error and returns `None`.
fn read_into(
    input: &ScanInput,
    id: FileId,
    path: &Path,
    output: &mut UnitOutput,
) -> Option<Arc<str>> {
    let display = display_path(input.root, path);
    match read_text(path) {
        Ok(text) => {
            let text: Arc<str> = text.into();
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display, text.clone()),
            ));
            Some(text)
        }
        Err(message) => {
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display.clone(), Arc::from("")),
            ));
            output.errors.push(FileError {
                path: display,
                span: None,
                message,
            });
            None
        }
    }
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
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
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
