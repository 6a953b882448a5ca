//! Terraform's names for canonical kinds and attributes.

use crate::ir::kinds::Rename;
use crate::ir::{Kind, Value};

/// Terraform resource type -> canonical kind (the table of kinds in `ir/kinds.rs`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Kind::of_terraform(resource_type)
}

/// The table of kinds' entry for a Terraform attribute or nested-block name, where its
/// name or shape is not the canonical one.
fn entry(resource_type: &str, name: &str) -> Option<&'static Rename> {
    kind_of(resource_type)?
        .terraform_names()
        .iter()
        .find(|rename| rename.native == name)
}

/// Terraform attribute or nested-block name -> canonical attribute name, where they differ.
/// Names the table of kinds (`ir/kinds.rs`) does not list are already canonical.
pub fn rename(resource_type: &str, name: &str) -> Option<&'static str> {
    entry(resource_type, name).map(|rename| rename.canonical)
}

/// The Terraform name of a canonical attribute (the first where several map onto it, as
/// `password` and `password_wo` do), for messages in the user's own words.
pub fn native_name<'a>(resource_type: &str, canonical: &'a str) -> &'a str {
    kind_of(resource_type)
        .and_then(|kind| {
            kind.terraform_names()
                .iter()
                .find(|rename| rename.canonical == canonical)
        })
        .map_or(canonical, |rename| rename.native)
}

/// A Terraform-named attribute in canonical form: renamed, and in the canonical shape (a
/// rule's single CIDR becomes a one-item list). Shared by every front end that speaks the
/// Terraform provider's names (`.tf`, plans, Pulumi).
pub fn canonical(resource_type: &str, name: &str, value: Value) -> (String, Value) {
    match entry(resource_type, name) {
        Some(rename) => (rename.canonical.to_string(), rename.shape.reshape(value)),
        None => (name.to_string(), value),
    }
}
