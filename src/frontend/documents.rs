//! The document front end: each YAML or JSON file is offered to the document formats in
//! turn, and the first that recognises it reads it. The formats are a Terraform plan, a
//! Pulumi stack export or preview, a Pulumi YAML program and a CloudFormation template. A
//! file none of them recognises is skipped without a word.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{Context, FrontEnd, Lowered, LoweredProject, Merge, OtherProgram};
use crate::diagnostic::{FileError, Notice};
use crate::discover::display_path;
use crate::fsread::{ReadTextError, read_text};
use crate::ir::{FileId, Project, SourceFile, Span};
use crate::panic_context::Scanning;
use crate::parse::budget::Limits;
use crate::parse::{FileKind, cloudformation, document, pulumi, tfplan};

/// YAML and JSON files.
pub struct Documents;

impl FrontEnd for Documents {
    fn claims(&self, kind: FileKind) -> bool {
        matches!(kind, FileKind::Yaml | FileKind::Json)
    }

    fn read(
        &self,
        files: Vec<(FileId, PathBuf, FileKind)>,
        context: &Context,
        _next_id: &mut FileId,
    ) -> Lowered {
        let per_file: Vec<Lowered> = files
            .into_par_iter()
            .map(|(id, path, kind)| read_document(context, id, &path, kind))
            .collect();
        let mut lowered = Lowered::default();
        for one in per_file {
            lowered.absorb(one);
        }
        lowered
    }
}

/// One YAML or JSON file, offered to the formats in turn.
fn read_document(context: &Context, id: FileId, path: &Path, kind: FileKind) -> Lowered {
    let started = Instant::now();
    let mut out = Lowered::default();
    let display = display_path(context.root, path);
    let _scanning = Scanning::file(&display);
    let text = match read_text(path, context.limits.max_file_bytes()) {
        Ok(text) => text,
        Err(ReadTextError::Io(message)) => {
            out.files
                .push((id, SourceFile::skipped(path.to_path_buf(), display.clone())));
            out.errors.push(FileError {
                path: display,
                span: None,
                message,
            });
            return out;
        }
        // YAML or JSON that is not text is not a template: nothing to say.
        Err(ReadTextError::NotUtf8 { .. }) => {
            out.files
                .push((id, SourceFile::skipped(path.to_path_buf(), display)));
            return out;
        }
    };
    let document = Document {
        id,
        path,
        display: &display,
        text: &text,
        kind,
        limits: context.limits,
    };
    let mut read = BEFORE_TEMPLATES
        .iter()
        .find_map(|format| format.read(&document));
    if read.is_none() {
        if let Some(runtime) = pulumi::yaml::other_runtime(path, &text) {
            // The program is code rampart does not run; what it deploys is in the stack.
            // Said once the scan knows whether a stack export or preview beside it was read.
            out.programs.push(OtherProgram {
                path: path.to_path_buf(),
                display: display.clone(),
                runtime,
            });
        }
        read = CloudFormation.read(&document);
    }
    let read = read.unwrap_or_default();
    out.parse = started.elapsed();
    out.files.push((
        id,
        if read.keep_text {
            SourceFile::new(path.to_path_buf(), display, text.into())
        } else {
            SourceFile::skipped(path.to_path_buf(), display)
        },
    ));
    out.projects = read.projects;
    out.errors.extend(read.errors);
    out.notices = read.notices;
    out.work = read.work;
    out
}

/// One YAML or JSON file, read.
pub struct Document<'a> {
    pub id: FileId,
    pub path: &'a Path,
    /// The path as reports show it.
    pub display: &'a str,
    pub text: &'a str,
    pub kind: FileKind,
    pub limits: Limits,
}

/// What a front end made of a document it recognised.
#[derive(Default)]
pub struct Read {
    pub projects: Vec<LoweredProject>,
    pub errors: Vec<FileError>,
    pub notices: Vec<Notice>,
    /// Whether the text is kept for the report: the document is this format, or failed to
    /// parse as it.
    pub keep_text: bool,
    /// Work units the lowering used.
    pub work: u64,
}

/// One document format.
pub trait DocumentFormat: Sync {
    /// `None`: not this format, and the next front end may read it.
    fn read(&self, document: &Document) -> Option<Read>;
}

/// The formats tried before a Pulumi program in another language is looked for, in
/// order; [`CloudFormation`] comes after.
pub const BEFORE_TEMPLATES: &[&dyn DocumentFormat] =
    &[&TerraformPlan, &PulumiState, &PulumiYamlProgram];

/// `terraform show -json` of a plan or state.
pub struct TerraformPlan;

impl DocumentFormat for TerraformPlan {
    fn read(&self, document: &Document) -> Option<Read> {
        if document.kind != FileKind::Json || !tfplan::may_be_plan(document.text) {
            return None;
        }
        Some(json_document(
            tfplan::parse_file(document.id, document.display, document.text),
            |root| tfplan::lower(document.display.to_string(), document.id, &root),
            Merge::OntoTerraformSource,
        ))
    }
}

/// `pulumi stack export` or `pulumi preview --json`.
pub struct PulumiState;

impl DocumentFormat for PulumiState {
    fn read(&self, document: &Document) -> Option<Read> {
        if document.kind != FileKind::Json || !pulumi::may_be_pulumi_json(document.text) {
            return None;
        }
        Some(json_document(
            pulumi::parse_json(document.id, document.display, document.text),
            |parsed| pulumi::lower(document.display.to_string(), document.id, &parsed),
            Merge::OntoPulumiProgram,
        ))
    }
}

/// A JSON document claimed by its front end: one that turns out to be something else is
/// skipped; one that does not parse is an error, with its text kept for the report.
fn json_document<D>(
    parsed: Result<Option<D>, FileError>,
    lower: impl FnOnce(D) -> Project,
    merge: Merge,
) -> Read {
    let mut read = Read::default();
    match parsed {
        Ok(Some(parsed)) => {
            read.keep_text = true;
            read.projects.push(LoweredProject {
                project: lower(parsed),
                merge,
            });
        }
        Ok(None) => {}
        Err(error) => {
            read.keep_text = true;
            read.errors.push(error);
        }
    }
    read
}

/// A Pulumi YAML program (`Pulumi.yaml` with `runtime: yaml` and resources).
pub struct PulumiYamlProgram;

impl DocumentFormat for PulumiYamlProgram {
    fn read(&self, document: &Document) -> Option<Read> {
        if document.kind != FileKind::Yaml || !pulumi::yaml::may_be_program(document.text) {
            return None;
        }
        let mut read = Read::default();
        match document::parse_yaml(document.text) {
            // A program that does not parse is not "no IaC here": say so.
            Err(error) if pulumi::yaml::looks_like_program(document.path, document.text) => {
                read.keep_text = true;
                read.errors.push(FileError {
                    path: document.display.to_string(),
                    span: Some(Span::new(document.id, error.offset..error.offset)),
                    message: format!("{} (in a Pulumi YAML program)", error.message),
                });
                Some(read)
            }
            Ok(Some(root)) if pulumi::yaml::is_program(&root) => {
                let budget = document.limits.budget_for(document.text.len() as u64);
                let (project, notices) =
                    pulumi::yaml::lower(document.display.to_string(), document.id, &root, &budget);
                read.projects.push(LoweredProject::complete(project));
                read.notices = notices;
                read.work = budget.used();
                read.errors
                    .extend(budget.error(|_| document.display.to_string()));
                read.keep_text = true;
                Some(read)
            }
            _ => None,
        }
    }
}

/// A CloudFormation template, YAML or JSON (AWS CDK output included).
pub struct CloudFormation;

impl DocumentFormat for CloudFormation {
    fn read(&self, document: &Document) -> Option<Read> {
        if !cloudformation::may_be_template(document.text) {
            return None;
        }
        let mut read = Read::default();
        let parsed = cloudformation::parse_file(
            document.id,
            document.display,
            document.text,
            document.kind == FileKind::Json,
        );
        read.keep_text = !matches!(parsed, Ok(None));
        let budget = document.limits.budget_for(document.text.len() as u64);
        match parsed.and_then(|template| match template {
            Some(template) => cloudformation::lower(
                document.display.to_string(),
                document.display,
                &template,
                &budget,
            )
            .map(Some),
            None => Ok(None),
        }) {
            Ok(Some(lowered)) => {
                read.projects
                    .push(LoweredProject::complete(lowered.project));
                read.notices = lowered.notices;
                read.errors = lowered.errors;
            }
            Ok(None) => {}
            Err(error) => read.errors.push(error),
        }
        read.work = budget.used();
        Some(read)
    }
}
