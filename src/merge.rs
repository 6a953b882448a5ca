//! The merge stage, between lowering and linking: where two files of a scan describe one
//! resource, the finding lands where the fix is. A plan's resources move onto the `.tf`
//! source that declares them; a Pulumi export's onto the program lines its
//! `sourcePosition` names. After this stage nothing rewrites the model but `graph::link`,
//! which only adds derived facts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Notice, NoticeKind};
use crate::discover::display_path;
use crate::frontend::{Context, LoweredProject, Merge, OtherProgram};
use crate::fsread::read_text;
use crate::ir::{FileId, Format, ProgramPosition, Project, SourceFile, SourceMap, Span};
use crate::parse::{pulumi, tfplan};

/// Merges every project that needs it, adding the program files it reads to `sources`
/// (after every scanned file, in a fixed order). Returns the notices for Pulumi programs
/// in a language rampart does not read whose deployment no export or preview shows.
pub fn merge(
    context: &Context,
    sources: &mut SourceMap,
    projects: &mut [LoweredProject],
    programs: &[OtherProgram],
) -> Vec<Notice> {
    let unread = unread_programs(sources, projects, programs);
    let (plans, rest): (Vec<_>, Vec<_>) = projects
        .iter_mut()
        .partition(|p| p.merge == Merge::OntoTerraformSource);
    let terraform: Vec<&Project> = rest
        .iter()
        .filter(|p| p.merge == Merge::Nothing && is_terraform_source(&p.project))
        .map(|p| &p.project)
        .collect();
    for plan in plans {
        tfplan::place_on_sources(&mut plan.project, &terraform);
    }
    let mut states: Vec<&mut Project> = rest
        .into_iter()
        .filter(|p| p.merge == Merge::OntoPulumiProgram)
        .map(|p| &mut p.project)
        .collect();
    place_pulumi_programs(context, sources, &mut states);
    unread
}

fn is_terraform_source(project: &Project) -> bool {
    project
        .resources
        .first()
        .is_some_and(|r| r.origin.format == Format::Terraform)
}

/// A program in a language rampart does not read is analysed through a stack export or
/// preview in its directory (nothing to say); without one, it was not analysed at all.
fn unread_programs(
    sources: &SourceMap,
    projects: &[LoweredProject],
    programs: &[OtherProgram],
) -> Vec<Notice> {
    let exports: Vec<PathBuf> = projects
        .iter()
        .filter(|p| p.merge == Merge::OntoPulumiProgram)
        .filter_map(|p| p.project.resources.first())
        .map(|r| sources.get(r.span.file).path.clone())
        .collect();
    programs
        .iter()
        .filter(|program| {
            let dir = program.path.parent().unwrap_or(Path::new("."));
            !exports.iter().any(|export| export.starts_with(dir))
        })
        .map(|program| Notice {
            span: None,
            message: format!(
                "{}: a Pulumi program in {} is not read; scan what it deploys: `pulumi preview --json > preview.json` or `pulumi stack export > stack.json`, then `rampart scan preview.json`",
                program.display, program.runtime
            ),
            kind: NoticeKind::NotAnalysed,
        })
        .collect()
}

/// The directories program files may be read from: each scanned directory, and the
/// directory of each scanned file, links resolved.
fn scanned_roots(input: &Context) -> Vec<PathBuf> {
    input
        .paths
        .iter()
        .filter_map(|scanned| {
            let real = std::fs::canonicalize(scanned).ok()?;
            if real.is_dir() {
                Some(real)
            } else {
                real.parent().map(Path::to_path_buf)
            }
        })
        .collect()
}

/// Whether `path`, links resolved, lies inside one of `roots`: program files are never
/// read from outside what the user asked to scan.
fn within(roots: &[PathBuf], path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| roots.iter().any(|root| real.starts_with(root)))
}

/// Pulumi resources whose `sourcePosition` names a program file that exists beside the
/// state (in its directory or an ancestor, within the scan) are reported at the program
/// line. Program files are added to the source map in a fixed order, after every scanned
/// file, so ids stay deterministic.
fn place_pulumi_programs(input: &Context, sources: &mut SourceMap, projects: &mut [&mut Project]) {
    let mut loaded: BTreeMap<PathBuf, Option<FileId>> = BTreeMap::new();
    let roots = scanned_roots(input);
    for project in projects.iter_mut() {
        let Some(state) = project
            .resources
            .iter()
            .find(|r| r.origin.format == Format::Pulumi)
            .map(|r| sources.get(r.span.file).path.clone())
        else {
            continue;
        };
        for resource in project.resources.iter_mut() {
            let Some(ProgramPosition {
                path: program,
                line,
                column,
            }) = resource.origin.program_position.clone()
            else {
                continue;
            };
            let candidate = state
                .ancestors()
                .skip(1)
                .take(4)
                .map(|dir| dir.join(&program))
                .find(|path| path.is_file() && within(&roots, path));
            let Some(candidate) = candidate else { continue };
            let file_id = *loaded.entry(candidate.clone()).or_insert_with(|| {
                let text = read_text(&candidate, input.limits.max_file_bytes()).ok()?;
                let display = display_path(input.root, &candidate);
                Some(sources.add(SourceFile::new(candidate.clone(), display, text.into())))
            });
            let Some(file_id) = file_id else { continue };
            let file = sources.get(file_id);
            if line == 0 || line > file.line_count() {
                continue;
            }
            let line_text = file.line_text(line);
            let start = file.line_start(line)
                + line_text
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
            let end = file.line_start(line) + line_text.trim_end().len();
            pulumi::place_on_program(resource, Span::new(file_id, start..end.max(start)));
        }
    }
}
