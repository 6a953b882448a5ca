//! Front ends for documents. Each YAML or JSON file is offered to them in turn, and the
//! first that recognises it reads it into projects and diagnostics. The formats are a
//! Terraform plan, a Pulumi stack export or preview, a Pulumi YAML program and a
//! CloudFormation template. Terraform source, read by directory, is lowered in `scan.rs`.

use std::path::Path;

use crate::diagnostic::{FileError, Notice};
use crate::graph;
use crate::ir::{FileId, Project, Span};
use crate::parse::budget::Limits;
use crate::parse::{FileKind, cloudformation, document, pulumi, tfplan};

/// One YAML or JSON file, read.
pub struct Document<'a> {
    pub id: FileId,
    pub path: &'a Path,
    /// The path as reports show it.
    pub display: &'a str,
    pub text: &'a str,
    pub kind: FileKind,
    pub limits: Limits,
    /// The scan's Terraform projects: a plan's resources land on their `.tf` source.
    pub terraform: &'a [Project],
}

/// What a front end made of a document it recognised.
#[derive(Default)]
pub struct Read {
    /// Linked projects.
    pub projects: Vec<Project>,
    /// Projects linked only after their resources are placed on their program lines
    /// (Pulumi `sourcePosition`), so that derived facts carry those places.
    pub unlinked: Vec<Project>,
    pub errors: Vec<FileError>,
    pub notices: Vec<Notice>,
    /// Whether the text is kept for the report: the document is this format, or failed to
    /// parse as it.
    pub keep_text: bool,
    /// Work units the lowering used.
    pub work: u64,
}

pub trait DocumentFrontEnd: Sync {
    /// `None`: not this format, and the next front end may read it.
    fn read(&self, document: &Document) -> Option<Read>;
}

/// The front ends tried before a Pulumi program in another language is looked for, in
/// order; [`CloudFormation`] comes after.
pub const BEFORE_TEMPLATES: &[&dyn DocumentFrontEnd] =
    &[&TerraformPlan, &PulumiState, &PulumiYamlProgram];

/// `terraform show -json` of a plan or state.
pub struct TerraformPlan;

impl DocumentFrontEnd for TerraformPlan {
    fn read(&self, document: &Document) -> Option<Read> {
        if document.kind != FileKind::Json || !tfplan::may_be_plan(document.text) {
            return None;
        }
        Some(json_document(
            tfplan::parse_file(document.id, document.display, document.text),
            |root| {
                tfplan::lower(
                    document.display.to_string(),
                    document.id,
                    &root,
                    document.terraform,
                )
            },
            true,
        ))
    }
}

/// `pulumi stack export` or `pulumi preview --json`.
pub struct PulumiState;

impl DocumentFrontEnd for PulumiState {
    fn read(&self, document: &Document) -> Option<Read> {
        if document.kind != FileKind::Json || !pulumi::may_be_pulumi_json(document.text) {
            return None;
        }
        Some(json_document(
            pulumi::parse_json(document.id, document.display, document.text),
            |parsed| pulumi::lower(document.display.to_string(), document.id, &parsed),
            false,
        ))
    }
}

/// A JSON document claimed by its front end: one that turns out to be something else is
/// skipped; one that does not parse is an error, with its text kept for the report.
fn json_document<D>(
    parsed: Result<Option<D>, FileError>,
    lower: impl FnOnce(D) -> Project,
    link_now: bool,
) -> Read {
    let mut read = Read::default();
    match parsed {
        Ok(Some(parsed)) => {
            read.keep_text = true;
            let mut project = lower(parsed);
            if link_now {
                graph::link(&mut project);
                read.projects.push(project);
            } else {
                read.unlinked.push(project);
            }
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

impl DocumentFrontEnd for PulumiYamlProgram {
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
                let (mut project, notices) =
                    pulumi::yaml::lower(document.display.to_string(), document.id, &root, &budget);
                graph::link(&mut project);
                read.projects.push(project);
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

impl DocumentFrontEnd for CloudFormation {
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
                let mut project = lowered.project;
                graph::link(&mut project);
                read.projects.push(project);
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
