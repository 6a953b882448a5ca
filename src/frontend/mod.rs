//! Front ends: each claims the files of its formats, reads them, and lowers them into
//! projects of the format-neutral model with their diagnostics. No front end links: the
//! pipeline (`scan.rs`) merges what two formats say of one resource (`merge.rs`), then
//! links every project once.
//!
//! [`terraform::Terraform`] reads `.tf` and tfvars files by directory (a module is a
//! directory); [`documents::Documents`] offers each YAML or JSON file to the document
//! formats in turn (plan, Pulumi state, Pulumi YAML program, CloudFormation).

pub mod documents;
pub mod terraform;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::{FileError, Notice};
use crate::discover::display_path;
use crate::fsread::{ReadTextError, read_text};
use crate::ir::{FileId, Project, SourceFile, Span};
use crate::panic_context::Scanning;
use crate::parse::FileKind;
use crate::parse::budget::Limits;

/// What every front end may read of the scan's settings.
pub struct Context<'a> {
    /// The paths named to scan.
    pub paths: &'a [PathBuf],
    /// Paths are shown relative to this directory.
    pub root: &'a Path,
    /// `--var-file` files, applied to every Terraform root module after its tfvars files.
    pub var_files: &'a [PathBuf],
    /// `--var NAME=VALUE`, applied last.
    pub vars: &'a [(String, String)],
    pub limits: Limits,
    /// Registry modules read without `terraform init`.
    pub signatures: &'a crate::signatures::Catalog,
}

/// A format family's reader.
pub trait FrontEnd: Sync {
    /// Whether this front end reads files of this kind (each kind has one front end).
    fn claims(&self, kind: FileKind) -> bool;

    /// Reads the claimed files, whose ids the pipeline gave in the sorted order of the
    /// scan. A file read beyond them (a module outside the scanned paths) takes the next
    /// id from `next_id`, so ids never depend on scheduling.
    fn read(
        &self,
        files: Vec<(FileId, PathBuf, FileKind)>,
        context: &Context,
        next_id: &mut FileId,
    ) -> Lowered;
}

/// Every front end, in the order they take their ids for extra files.
pub const FRONT_ENDS: &[&dyn FrontEnd] = &[&terraform::Terraform, &documents::Documents];

/// What a front end made of its files.
#[derive(Default)]
pub struct Lowered {
    /// Every file read, by id (its text kept for reports where it is one of ours).
    pub files: Vec<(FileId, SourceFile)>,
    pub projects: Vec<LoweredProject>,
    pub errors: Vec<FileError>,
    pub notices: Vec<Notice>,
    /// Pulumi projects whose program is in a general-purpose language.
    pub programs: Vec<OtherProgram>,
    /// Reading, parsing and lowering, summed over workers.
    pub parse: Duration,
    /// Work units the evaluators spent (see `parse::budget`).
    pub work: u64,
}

impl Lowered {
    pub fn absorb(&mut self, other: Lowered) {
        self.files.extend(other.files);
        self.projects.extend(other.projects);
        self.errors.extend(other.errors);
        self.notices.extend(other.notices);
        self.programs.extend(other.programs);
        self.parse += other.parse;
        self.work += other.work;
    }
}

/// A project as its front end lowered it, and what the merge stage still does to it.
pub struct LoweredProject {
    pub project: Project,
    pub merge: Merge,
}

impl LoweredProject {
    pub fn complete(project: Project) -> LoweredProject {
        LoweredProject {
            project,
            merge: Merge::Nothing,
        }
    }
}

/// What another file of the scan adds to a project before it is linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    Nothing,
    /// A Terraform plan: its resources are reported on the `.tf` source of this scan that
    /// declares them, with the plan as a related location.
    OntoTerraformSource,
    /// A Pulumi stack export or preview: its resources are reported on the program lines
    /// their `sourcePosition` names.
    OntoPulumiProgram,
}

/// A `Pulumi.yaml` whose program rampart does not read (TypeScript, Python, Go, ...).
pub struct OtherProgram {
    pub path: PathBuf,
    pub display: String,
    pub runtime: String,
}

/// Reads one source file, recording it (or the error) in `output`.
pub(crate) fn read_source(
    context: &Context,
    id: FileId,
    path: &Path,
    output: &mut Lowered,
) -> Option<Arc<str>> {
    let display = display_path(context.root, path);
    let _scanning = Scanning::file(&display);
    match read_text(path, context.limits.max_file_bytes()) {
        Ok(text) => {
            let text: Arc<str> = text.into();
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display, text.clone()),
            ));
            Some(text)
        }
        Err(ReadTextError::Io(message)) => {
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
        Err(ReadTextError::NotUtf8 { lossy, offset }) => {
            // Keep a readable copy so the error can show where the bad byte is.
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display.clone(), lossy.into()),
            ));
            output.errors.push(FileError {
                path: display,
                span: Some(Span::new(id, offset..offset)),
                message: "not UTF-8 text: a binary file, or text in another encoding".into(),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A discovered file no front end claims would be dropped without a word: every kind
    /// of file has exactly one reader.
    #[test]
    fn every_kind_of_file_has_exactly_one_front_end() {
        let all = [
            FileKind::Terraform,
            FileKind::TerraformJson,
            FileKind::TerraformVars,
            FileKind::TerraformVarsJson,
            FileKind::Yaml,
            FileKind::Json,
        ];
        for kind in all {
            // Exhaustive: a new kind of file does not compile until it is listed above.
            match kind {
                FileKind::Terraform
                | FileKind::TerraformJson
                | FileKind::TerraformVars
                | FileKind::TerraformVarsJson
                | FileKind::Yaml
                | FileKind::Json => {}
            }
            let readers = FRONT_ENDS.iter().filter(|f| f.claims(kind)).count();
            assert_eq!(readers, 1, "{kind:?} is claimed by {readers} front ends");
        }
    }
}
