//! What a scan says, typed in one place: findings, files that could not be scanned, and
//! notices. Front ends, policies, suppressions and reporters all depend on this module and
//! not on each other's types, so no reporter or suppression imports a front end.

use serde::Serialize;

use crate::ir::{Format, Hop, Kind, Span};

/// One violated policy at one place.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Index of the policy in the run's `PolicySet`.
    pub policy: usize,
    pub address: String,
    pub kind: Option<Kind>,
    pub span: Span,
    pub message: String,
    /// How the offending value got there (variable defaults, locals), use-site first.
    pub chain: Vec<Hop>,
    /// A path the user recognises beyond the address (CDK construct path, Pulumi position).
    pub note: Option<String>,
    pub format: Format,
    /// The resource's header, where a resource-wide suppression comment sits.
    pub resource_span: Span,
    /// The module calls that instantiated the resource, outermost first.
    pub call_chain: Vec<Hop>,
    /// How many findings before this one (in report order) have the same policy, file,
    /// resource and line text: two open CIDRs on one line, or two identical lines, are
    /// told apart by it, and it does not change when lines move.
    pub occurrence: u32,
}

impl Finding {
    /// Whether the resource is in a template AWS CDK synthesised (its `aws:cdk:path` is the
    /// note).
    pub fn from_cdk(&self) -> bool {
        self.format == Format::CloudFormation && self.note.is_some()
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

/// Something the user should know that is not a finding and not an error: a module that
/// was not analysed, a cycle among locals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Where it applies; `None` for notices about no file (a stale baseline entry).
    pub span: Option<Span>,
    pub message: String,
    pub kind: NoticeKind,
}

/// Whether a notice says that part of the scanned tree was not analysed, which
/// `--fail-on-unanalysed` (or `unanalysed = "error"`) turns into an error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeKind {
    #[default]
    Info,
    /// Something that may deploy resources was not read: a module not on disk, a Pulumi
    /// program in a language rampart does not read, a CDK app without `cdk.out`.
    NotAnalysed,
}
