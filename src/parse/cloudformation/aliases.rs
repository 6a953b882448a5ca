//! CloudFormation's names for canonical kinds and attributes.

use crate::ir::Kind;

/// CloudFormation resource type -> canonical kind (the table of kinds in `ir/kinds.rs`; a
/// DB instance inside a cluster is decided by the caller, which sees
/// `DBClusterIdentifier`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Kind::of_cloudformation(resource_type)
}

pub use crate::parse::snake_case;

/// The canonical name of a property where the snake_case of its CloudFormation name is not
/// (listed in the table of kinds, `ir/kinds.rs`).
pub fn rename(resource_type: &str, property: &str) -> Option<&'static str> {
    kind_of(resource_type)?
        .cloudformation_names()
        .iter()
        .find(|(native, _)| *native == property)
        .map(|(_, canonical)| *canonical)
}

/// The CloudFormation property of a canonical attribute, for messages in the user's own
/// words: a listed rename, else the PascalCase whose snake_case is the canonical name
/// (`multi_az` is `MultiAZ`, `db_subnet_group_name` is `DBSubnetGroupName`); `None` when
/// neither is known.
pub fn property_name(resource_type: &str, canonical: &str) -> Option<String> {
    if let Some((native, _)) = kind_of(resource_type).and_then(|kind| {
        kind.cloudformation_names()
            .iter()
            .find(|(_, to)| *to == canonical)
    }) {
        return Some(native.to_string());
    }
    // CloudFormation writes these short words in capitals (DBInstanceClass, MultiAZ).
    let word = |w: &str| match w {
        "db" | "az" | "iam" | "ca" => w.to_ascii_uppercase(),
        _ => {
            let mut chars = w.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        }
    };
    let candidate: String = canonical.split('_').map(word).collect();
    (snake_case(&candidate) == canonical && rename(resource_type, &candidate).is_none())
        .then_some(candidate)
}

/// Fields of security-group rules (inline or rule resources), by their snake_case
/// CloudFormation name, where the canonical shape differs: CIDRs become one-item lists.
pub fn rule_field(name: &str) -> Option<(&'static str, bool)> {
    Some(match name {
        "ip_protocol" => ("protocol", false),
        "cidr_ip" => ("cidr_blocks", true),
        "cidr_ipv6" => ("ipv6_cidr_blocks", true),
        "source_prefix_list_id" | "destination_prefix_list_id" => ("prefix_list_ids", true),
        "source_security_group_id" | "destination_security_group_id" => {
            ("source_security_group_id", false)
        }
        "group_id" => ("security_group_id", false),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn snake_case_handles_acronyms() {
        assert_eq!(snake_case("DBInstanceClass"), "db_instance_class");
        assert_eq!(
            snake_case("EnableIAMDatabaseAuthentication"),
            "enable_iam_database_authentication"
        );
        assert_eq!(snake_case("MultiAZ"), "multi_az");
        assert_eq!(snake_case("KmsKeyId"), "kms_key_id");
        assert_eq!(snake_case("StorageEncrypted"), "storage_encrypted");
        assert_eq!(
            snake_case("BackupRetentionPeriod"),
            "backup_retention_period"
        );
    }
}
