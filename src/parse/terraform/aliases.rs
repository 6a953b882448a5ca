//! Terraform's names for canonical kinds and attributes.

use crate::ir::Kind;

/// Terraform resource type -> canonical kind (the table of kinds in `ir/kinds.rs`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Kind::of_terraform(resource_type)
}

/// (Terraform resource types, Terraform attribute or nested-block name, canonical name),
/// where the two differ. Names not listed are already canonical.
const RENAMES: &[(&[&str], &str, &str)] = &[
    (&["aws_db_instance"], "username", "master_username"),
    (&["aws_db_instance"], "password", "master_password"),
    (&["aws_db_instance"], "password_wo", "master_password"),
    (
        &["aws_rds_cluster"],
        "master_password_wo",
        "master_password",
    ),
    (
        &["aws_rds_cluster_instance"],
        "db_parameter_group_name",
        "parameter_group_name",
    ),
    (
        &["aws_db_parameter_group", "aws_rds_cluster_parameter_group"],
        "parameter",
        "parameters",
    ),
    (&["aws_db_option_group"], "option", "options"),
    (&["aws_db_proxy"], "auths", "auth"),
    (&["aws_route_table"], "routes", "route"),
    (
        &["aws_db_snapshot", "aws_db_snapshot_copy"],
        "db_snapshot_identifier",
        "identifier",
    ),
    (
        &["aws_db_snapshot"],
        "db_instance_identifier",
        "source_identifier",
    ),
    (
        &["aws_db_snapshot_copy"],
        "source_db_snapshot_identifier",
        "source_identifier",
    ),
    (
        &["aws_db_snapshot_copy"],
        "target_db_snapshot_identifier",
        "identifier",
    ),
    (RULES, "ip_protocol", "protocol"),
    (RULES, "cidr_ipv4", "cidr_blocks"),
    (RULES, "cidr_ipv6", "ipv6_cidr_blocks"),
    (RULES, "prefix_list_id", "prefix_list_ids"),
    (
        RULES,
        "referenced_security_group_id",
        "source_security_group_id",
    ),
];

const RULES: &[&str] = &[
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

/// Terraform attribute or nested-block name -> canonical attribute name, where they differ.
/// Names not listed are already canonical.
pub fn rename(resource_type: &str, name: &str) -> Option<&'static str> {
    RENAMES
        .iter()
        .find(|(types, native, _)| *native == name && types.contains(&resource_type))
        .map(|(_, _, canonical)| *canonical)
}

/// The Terraform name of a canonical attribute (the first where several map onto it, as
/// `password` and `password_wo` do), for messages in the user's own words.
pub fn native_name<'a>(resource_type: &str, canonical: &'a str) -> &'a str {
    RENAMES
        .iter()
        .find(|(types, _, to)| *to == canonical && types.contains(&resource_type))
        .map_or(canonical, |(_, native, _)| *native)
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
