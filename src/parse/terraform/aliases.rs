//! Terraform's names for canonical kinds and attributes.

use crate::ir::Kind;

/// Terraform resource type -> canonical kind (the table of kinds in `ir/kinds.rs`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Kind::of_terraform(resource_type)
}

/// Terraform attribute or nested-block name -> canonical attribute name, where they differ.
/// Names the table of kinds (`ir/kinds.rs`) does not list are already canonical.
pub fn rename(resource_type: &str, name: &str) -> Option<&'static str> {
    kind_of(resource_type)?
        .terraform_names()
        .iter()
        .find(|(native, _)| *native == name)
        .map(|(_, canonical)| *canonical)
}

/// The Terraform name of a canonical attribute (the first where several map onto it, as
/// `password` and `password_wo` do), for messages in the user's own words.
pub fn native_name<'a>(resource_type: &str, canonical: &'a str) -> &'a str {
    kind_of(resource_type)
        .and_then(|kind| {
            kind.terraform_names()
                .iter()
                .find(|(_, to)| *to == canonical)
        })
        .map_or(canonical, |(native, _)| *native)
}

/// Attributes whose Terraform form is a scalar but whose canonical form is a list.
pub fn scalar_to_list(resource_type: &str, name: &str) -> bool {
    matches!(
        (resource_type, name),
        (
            "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule",
            "cidr_ipv4" | "cidr_ipv6" | "prefix_list_id"
        )
    )
}

/// A Terraform-named attribute in canonical form: renamed, and a scalar wrapped in a list
/// where the canonical shape is a list. Shared by every front end that speaks the Terraform
/// provider's names (plans, Pulumi).
pub fn canonical(
    resource_type: &str,
    name: &str,
    value: crate::ir::Value,
) -> (String, crate::ir::Value) {
    let value = if scalar_to_list(resource_type, name) {
        crate::ir::Value {
            data: crate::ir::Data::List(vec![value.clone()].into()),
            ..value
        }
    } else {
        value
    };
    let canonical = rename(resource_type, name).unwrap_or(name).to_string();
    (canonical, value)
}
