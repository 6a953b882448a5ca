//! CloudFormation's names for canonical kinds and attributes.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::ir::Kind;
use crate::ir::kinds::Rename;

/// CloudFormation resource type -> canonical kind (the table of kinds in `ir/kinds.rs`; a
/// DB instance inside a cluster is decided by the caller, which sees
/// `DBClusterIdentifier`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Kind::of_cloudformation(resource_type)
}

pub use crate::parse::snake_case;

/// The table of kinds' entry for a property whose snake_case is not its canonical name,
/// or whose value takes another shape.
pub fn entry(resource_type: &str, property: &str) -> Option<&'static Rename> {
    kind_of(resource_type)?
        .cloudformation_names()
        .iter()
        .find(|rename| rename.native == property)
}

/// The canonical name of a property where the snake_case of its CloudFormation name is not
/// (listed in the table of kinds, `ir/kinds.rs`).
pub fn rename(resource_type: &str, property: &str) -> Option<&'static str> {
    entry(resource_type, property).map(|rename| rename.canonical)
}

/// The entry of `kind` for a field already in snake_case (the fields of nested objects
/// are), as the fields of a security group's inline rules.
pub fn entry_of_field(kind: Kind, field: &str) -> Option<&'static Rename> {
    // Every kind's entries by the snake_case of their property, built once: inline rules
    // are looked up field by field.
    static BY_FIELD: LazyLock<HashMap<Kind, HashMap<String, &'static Rename>>> =
        LazyLock::new(|| {
            let mut index: HashMap<Kind, HashMap<String, &'static Rename>> = HashMap::new();
            for &kind in Kind::ALL {
                for rename in kind.cloudformation_names() {
                    // The first entry for a property wins, as in `entry`.
                    index
                        .entry(kind)
                        .or_default()
                        .entry(snake_case(rename.native))
                        .or_insert(rename);
                }
            }
            index
        });
    BY_FIELD.get(&kind)?.get(field).copied()
}

/// The CloudFormation property of a canonical attribute, for messages in the user's own
/// words: a listed rename, else the PascalCase whose snake_case is the canonical name
/// (`multi_az` is `MultiAZ`, `db_subnet_group_name` is `DBSubnetGroupName`); `None` when
/// neither is known.
pub fn property_name(resource_type: &str, canonical: &str) -> Option<String> {
    if let Some(rename) = kind_of(resource_type).and_then(|kind| {
        kind.cloudformation_names()
            .iter()
            .find(|rename| rename.canonical == canonical)
    }) {
        return Some(rename.native.to_string());
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
