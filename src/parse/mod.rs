//! Front ends: one module per input format. Each parses a file and lowers it into the IR;
//! nothing here knows a policy.

pub mod budget;
pub mod cloudformation;
pub mod document;
pub(crate) mod names;
pub mod pulumi;
pub mod terraform;
pub mod tfplan;

use std::path::Path;

/// What a discovered file is, judged by name (and later by content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `.tf`, and OpenTofu's `.tofu`.
    Terraform,
    /// Terraform's JSON syntax: `.tf.json` (CDK for Terraform writes it), `.tofu.json`.
    TerraformJson,
    /// `terraform.tfvars` and `*.auto.tfvars`, which Terraform loads in the root module.
    TerraformVars,
    /// `terraform.tfvars.json` and `*.auto.tfvars.json`.
    TerraformVarsJson,
    /// YAML that may be a CloudFormation template (decided by content).
    Yaml,
    /// JSON that may be a CloudFormation template (decided by content).
    Json,
}

impl FileKind {
    pub fn sniff(path: &Path) -> Option<FileKind> {
        // Lossy: a name that is not UTF-8 is still a `.tf` file if it ends like one.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        if name.ends_with(".tf") || name.ends_with(".tofu") {
            return Some(FileKind::Terraform);
        }
        if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
            return Some(FileKind::TerraformJson);
        }
        if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
            return Some(FileKind::TerraformVars);
        }
        if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
            return Some(FileKind::TerraformVarsJson);
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template") {
            return Some(FileKind::Yaml);
        }
        if lower.ends_with(".json") {
            return Some(FileKind::Json);
        }
        None
    }

    /// A file of a Terraform module (not a variables file).
    pub fn is_terraform_module_file(self) -> bool {
        matches!(self, FileKind::Terraform | FileKind::TerraformJson)
    }

    pub fn is_terraform(self) -> bool {
        matches!(
            self,
            FileKind::Terraform
                | FileKind::TerraformJson
                | FileKind::TerraformVars
                | FileKind::TerraformVarsJson
        )
    }
}

/// OpenTofu reads `x.tofu` instead of `x.tf` (and `x.tofu.json` instead of `x.tf.json`) in
/// the same directory, so a module can carry both: the `.tf` file is left out here too.
pub fn replaced_by_opentofu(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let replacement = if let Some(stem) = name.strip_suffix(".tf.json") {
        format!("{stem}.tofu.json")
    } else if let Some(stem) = name.strip_suffix(".tf") {
        format!("{stem}.tofu")
    } else {
        return false;
    };
    path.with_file_name(replacement).is_file()
}

/// `DBInstanceClass` -> `db_instance_class`, `EnableIAMDatabaseAuthentication` ->
/// `enable_iam_database_authentication`, `MultiAZ` -> `multi_az`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Definitions being evaluated, outermost first: one reached again while it is being
/// evaluated closes a cycle (Terraform variables and locals, CloudFormation conditions,
/// Pulumi YAML variables and config).
#[derive(Debug, Default)]
pub(crate) struct Evaluating(std::cell::RefCell<Vec<String>>);

impl Evaluating {
    /// Runs `f` as the evaluation of `key`, or returns the cycle (`a -> b -> a`) that
    /// reaching `key` again closes.
    pub(crate) fn run<T>(&self, key: &str, f: impl FnOnce() -> T) -> Result<T, String> {
        {
            let stack = self.0.borrow();
            if let Some(start) = stack.iter().position(|n| n == key) {
                return Err(format!("{} -> {key}", stack[start..].join(" -> ")));
            }
        }
        self.0.borrow_mut().push(key.to_string());
        let value = f();
        self.0.borrow_mut().pop();
        Ok(value)
    }
}

pub use crate::diagnostic::{FileError, Notice, NoticeKind};
