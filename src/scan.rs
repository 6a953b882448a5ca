//! The pipeline up to evaluation: discover the files, let each front end read and lower
//! the files it claims, merge what two formats say of one resource, link every project.
//! Reads each file once; never writes, spawns or connects.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::discover::{self, DiscoverError, Discovered};
use crate::frontend::{Context, FRONT_ENDS, Lowered, Merge};
use crate::graph;
use crate::ir::{FileId, Project, SourceFile, SourceMap};
use crate::parse::{FileError, FileKind, Notice, NoticeKind};

pub struct ScanInput<'a> {
    pub paths: &'a [PathBuf],
    /// Gitignore-style patterns to skip.
    pub exclude: &'a [String],
    /// Paths are shown relative to this directory.
    pub root: &'a Path,
    /// `--var-file` files, applied to every Terraform root module after its tfvars files.
    pub var_files: &'a [PathBuf],
    /// `--var NAME=VALUE`, applied last.
    pub vars: &'a [(String, String)],
    /// Work and size limits (`[limits]` in rampart.toml).
    pub limits: crate::parse::budget::Limits,
    /// Registry modules read without `terraform init`.
    pub signatures: &'a crate::signatures::Catalog,
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
    pub notices: Vec<Notice>,
    pub timings: Timings,
    pub bytes: usize,
    /// Work units the evaluators spent, summed over projects (see `parse::budget`).
    pub work: u64,
    /// Configuration files inside the scanned directories, sorted.
    pub configs: Vec<PathBuf>,
}

/// Scans the named paths into linked projects, with every error and notice.
pub fn scan(input: &ScanInput) -> Result<Scanned, DiscoverError> {
    let started = Instant::now();
    let Discovered {
        files,
        errors: walk_errors,
        notices: discovery_notices,
        configs,
    } = discover::discover(input.paths, input.exclude, input.root)?;
    let discovered = Instant::now();
    let context = Context {
        paths: input.paths,
        root: input.root,
        var_files: input.var_files,
        vars: input.vars,
        limits: input.limits,
        signatures: input.signatures,
    };

    // Ids follow the sorted file list, so they (and the output) never depend on scheduling.
    let mut next_id = files.len() as FileId;
    let mut claimed: Vec<Vec<(FileId, PathBuf, FileKind)>> = vec![Vec::new(); FRONT_ENDS.len()];
    for (index, (path, kind)) in files.into_iter().enumerate() {
        if let Some(front_end) = FRONT_ENDS.iter().position(|f| f.claims(kind)) {
            claimed[front_end].push((index as FileId, path, kind));
        }
    }
    let mut lowered = Lowered::default();
    for (front_end, files) in FRONT_ENDS.iter().zip(claimed) {
        lowered.absorb(front_end.read(files, &context, &mut next_id));
    }
    lowered.errors.extend(walk_errors);

    let mut sources = source_map(lowered.files);
    let bytes = sources
        .files()
        .iter()
        .filter(|file| file.embedded.is_none())
        .map(|file| file.text.len())
        .sum();
    let mut errors = lowered.errors;
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.span.cmp(&b.span)));
    errors.dedup();
    let mut notices = lowered.notices;
    notices.extend(discovery_notices);
    if sources.scanned_count() == 0 {
        notices.push(Notice {
            span: None,
            message: format!(
                "no Terraform, CloudFormation or Pulumi file was found in {}: nothing was analysed",
                input
                    .paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            kind: NoticeKind::Info,
        });
    }

    let mut projects = lowered.projects;
    notices.extend(crate::merge::merge(
        &context,
        &mut sources,
        &mut projects,
        &lowered.programs,
    ));
    notices.sort_by(|a, b| {
        let key = |n: &Notice| {
            (
                n.span.map(|s| sources.get(s.file).display.clone()),
                n.span,
                n.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    notices.dedup();

    // Pulumi states last: among projects of one name, the order of the reports is the one
    // they always had.
    let (states, others): (Vec<_>, Vec<_>) = projects
        .into_iter()
        .partition(|p| p.merge == Merge::OntoPulumiProgram);
    let mut projects: Vec<Project> = others
        .into_iter()
        .chain(states)
        .map(|p| p.project)
        .collect();
    let link: Duration = projects
        .par_iter_mut()
        .map(|project| {
            let linking = Instant::now();
            graph::link(project);
            linking.elapsed()
        })
        .sum();
    projects.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Scanned {
        sources,
        projects,
        errors,
        notices,
        configs,
        bytes,
        work: lowered.work,
        timings: Timings {
            discover: discovered - started,
            parse: lowered.parse,
            link,
            wall: started.elapsed(),
        },
    })
}

/// The files read, in id order (ids are dense: every id is some front end's file).
fn source_map(files: Vec<(FileId, SourceFile)>) -> SourceMap {
    let mut slots: Vec<Option<SourceFile>> = Vec::new();
    for (id, file) in files {
        let id = id as usize;
        if slots.len() <= id {
            slots.resize_with(id + 1, || None);
        }
        slots[id] = Some(file);
    }
    let mut sources = SourceMap::default();
    for file in slots.into_iter().flatten() {
        sources.add(file);
    }
    sources
}
