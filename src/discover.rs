//! Discovery: which files a scan reads. Walks the named paths with the `ignore` crate,
//! honours `.gitignore` and `exclude`, skips tool caches, classifies each file by name, and
//! says how a path is shown in reports.

use std::path::{Path, PathBuf};

use crate::parse::terraform::modules;
use crate::parse::{FileError, FileKind, Notice};

/// Why the named paths could not be walked: the scan reads nothing.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DiscoverError {
    #[error("path does not exist: {0}")]
    #[diagnostic(code(rampart::scan::missing_path))]
    MissingPath(String),
    #[error("invalid exclude pattern `{pattern}`: {message}")]
    #[diagnostic(code(rampart::scan::exclude))]
    Exclude { pattern: String, message: String },
    #[error("{path} is {what}: name a file or a directory")]
    #[diagnostic(code(rampart::scan::not_a_file))]
    NotAFile { path: String, what: &'static str },
    #[error("{0} holds no Terraform, CloudFormation or Pulumi file: nothing was scanned")]
    #[diagnostic(
        code(rampart::scan::nothing_to_scan),
        help("check the path; files excluded by .gitignore or `exclude` are not scanned")
    )]
    NothingToScan(String),
}

/// A file name as reports show it, distinct for distinct names: bytes that are not UTF-8
/// become `\xNN` and control characters (a newline in a name) `\u{..}`, so two names never
/// collapse into one lossy spelling and no name can break a line of the report.
fn display_component(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || c == '\\' {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// `root`-relative path with `/` separators, or the path as given when outside `root`.
pub fn display_path(root: &Path, path: &Path) -> String {
    // `./a.tf`, `a.tf` and `/abs/root/a.tf` are one file, shown one way.
    let absolute = modules::normalise(&root.join(path));
    let Ok(relative) = absolute.strip_prefix(modules::normalise(root)) else {
        return path.display().to_string();
    };
    let text = relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| display_component(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// What the walk found: scannable files, unreadable entries, notices, and the
/// `rampart.toml` files inside the scanned tree (the run says which of them are not in force).
pub struct Discovered {
    pub files: Vec<(PathBuf, FileKind)>,
    pub errors: Vec<FileError>,
    pub notices: Vec<Notice>,
    pub configs: Vec<PathBuf>,
}

/// What the walk sends back for one entry.
enum Found {
    File(PathBuf, FileKind),
    Unreadable(FileError),
    Config(PathBuf),
}

/// Every scannable file under the given paths, sorted and without duplicates, and the
/// entries that could not be read (reported, never silently dropped).
/// Directories of tools, never of infrastructure: version control, caches, editors.
/// (`.terraform/modules` is read through `terraform init`'s manifest, not by walking.)
const TOOL_DIRECTORIES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".terraform",
    ".terragrunt-cache",
    ".pulumi",
    ".idea",
    ".vscode",
    ".venv",
    ".tox",
    ".cache",
    ".mypy_cache",
    ".pytest_cache",
    "node_modules",
];

pub fn discover(
    paths_named: &[PathBuf],
    exclude: &[String],
    root: &Path,
) -> Result<Discovered, DiscoverError> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut notices = Vec::new();
    let mut configs = Vec::new();
    let mut paths: Vec<PathBuf> = paths_named.to_vec();
    // A CDK project's templates are in `cdk.out`, which `.gitignore` hides: scan them.
    for path in paths_named {
        if path.join("cdk.json").is_file() {
            let out = path.join("cdk.out");
            if out.is_dir() {
                paths.push(out);
            } else {
                notices.push(Notice {
                    span: None,
                    message: format!(
                        "{} is an AWS CDK app without cdk.out: run `cdk synth`, then scan again to check the templates it writes",
                        path.display()
                    ),
                    kind: crate::parse::NoticeKind::NotAnalysed,
                });
            }
        }
    }
    for path in &paths {
        if !path.exists() {
            return Err(DiscoverError::MissingPath(path.display().to_string()));
        }
        if path.is_file() {
            if let Some(kind) = FileKind::sniff(path) {
                files.push((path.clone(), kind));
            }
            continue;
        }
        if !path.is_dir() {
            let what = std::fs::metadata(path)
                .map(|m| crate::fsread::describe(m.file_type()))
                .unwrap_or("not a regular file");
            return Err(DiscoverError::NotAFile {
                path: path.display().to_string(),
                what,
            });
        }
        let found_before = files.len() + errors.len();
        let overrides = exclude_overrides(path, exclude)?;
        // The walk runs on its own threads (as many as the scan's pool); the sort below
        // makes the order independent of them.
        let (sender, receiver) = std::sync::mpsc::channel();
        ignore::WalkBuilder::new(path)
            // Hidden directories are scanned (`.infra/`, `.aws-sam/build/`): only tool
            // caches and metadata are skipped, so no template hides behind a dot.
            .hidden(false)
            .filter_entry(|entry| {
                !(entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && TOOL_DIRECTORIES.contains(&entry.file_name().to_string_lossy().as_ref()))
            })
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .threads(rayon::current_num_threads())
            .build_parallel()
            .run(|| {
                let sender = sender.clone();
                Box::new(move |entry| {
                    let found = match entry {
                        Ok(entry) => match entry.file_type() {
                            Some(t)
                                if t.is_file()
                                    && crate::config::is_config_file_name(entry.file_name()) =>
                            {
                                Some(Found::Config(entry.into_path()))
                            }
                            Some(t) if t.is_file() => FileKind::sniff(entry.path())
                                .filter(|kind| {
                                    !kind.is_terraform_module_file()
                                        || !crate::parse::replaced_by_opentofu(entry.path())
                                })
                                .map(|kind| Found::File(entry.into_path(), kind)),
                            // A FIFO, device or socket with a scannable name is reported,
                            // never opened (it could block or never end).
                            Some(t) if !t.is_dir() && !t.is_symlink() => {
                                FileKind::sniff(entry.path()).map(|_| {
                                    Found::Unreadable(FileError {
                                        path: display_path(root, entry.path()),
                                        span: None,
                                        message: format!(
                                            "{}, not a regular file: not read",
                                            crate::fsread::describe(t)
                                        ),
                                    })
                                })
                            }
                            _ => None,
                        },
                        // Unreadable entries are reported; a malformed ignore file is not
                        // an error of the scanned code and only loses its own patterns.
                        Err(error) if error.io_error().is_some() => {
                            Some(Found::Unreadable(walk_error(root, path, &error)))
                        }
                        Err(_) => None,
                    };
                    if let Some(found) = found {
                        let _ = sender.send(found);
                    }
                    ignore::WalkState::Continue
                })
            });
        drop(sender);
        for found in receiver {
            match found {
                Found::File(path, kind) => files.push((path, kind)),
                Found::Unreadable(error) => errors.push(error),
                Found::Config(path) => configs.push(path),
            }
        }
        if files.len() + errors.len() == found_before {
            return Err(DiscoverError::NothingToScan(path.display().to_string()));
        }
    }
    files.sort();
    files.dedup();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    configs.sort();
    configs.dedup();
    Ok(Discovered {
        files,
        errors,
        notices,
        configs,
    })
}

/// `exclude` patterns as ignore rules relative to `base`.
fn exclude_overrides(
    base: &Path,
    exclude: &[String],
) -> Result<ignore::overrides::Override, DiscoverError> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(base);
    for pattern in exclude {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| DiscoverError::Exclude {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    overrides.build().map_err(|e| DiscoverError::Exclude {
        pattern: exclude.join(", "),
        message: e.to_string(),
    })
}

/// The named paths less the files that match an `exclude` pattern; patterns are relative
/// to `base` (the directory of the rampart.toml that holds them).
pub fn without_excluded_files(
    exclude: &[String],
    base: &Path,
    root: &Path,
    paths: &[PathBuf],
) -> Result<Vec<PathBuf>, DiscoverError> {
    if exclude.is_empty() {
        return Ok(paths.to_vec());
    }
    let overrides = exclude_overrides(&modules::normalise(&root.join(base)), exclude)?;
    Ok(paths
        .iter()
        .filter(|path| {
            !(path.is_file()
                && overrides
                    .matched(modules::normalise(&root.join(path)), false)
                    .is_ignore())
        })
        .cloned()
        .collect())
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
