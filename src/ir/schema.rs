//! The vocabulary of attribute schemas: an attribute and the provider's documented default
//! for it, and the attribute lists several kinds share. Each kind's own list is its row in
//! the table of kinds (`kinds.rs`).

use serde::Serialize;

use super::Data;

pub use super::kinds::Kind;

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A default value as the schema states it.
#[derive(Clone, Debug)]
pub enum Default {
    Bool(bool),
    Number(f64),
    EmptyList,
}

impl Default {
    pub fn to_data(&self) -> Data {
        match self {
            Default::Bool(b) => Data::Bool(*b),
            Default::Number(n) => Data::Number(*n),
            Default::EmptyList => Data::List(Vec::new().into()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AttrSchema {
    pub name: &'static str,
    pub default: Option<Default>,
}

/// The attributes of one kind a source sets, with defaults (those the graph derives are in
/// `facts.rs`).
pub struct KindSchema {
    pub attrs: &'static [AttrSchema],
}

pub(super) const fn a(name: &'static str) -> AttrSchema {
    AttrSchema {
        name,
        default: None,
    }
}
pub(super) const fn b(name: &'static str, value: bool) -> AttrSchema {
    AttrSchema {
        name,
        default: Some(Default::Bool(value)),
    }
}
pub(super) const fn n(name: &'static str, value: f64) -> AttrSchema {
    AttrSchema {
        name,
        default: Some(Default::Number(value)),
    }
}
pub(super) const fn l(name: &'static str) -> AttrSchema {
    AttrSchema {
        name,
        default: Some(Default::EmptyList),
    }
}

/// Attributes shared by instances and clusters. Defaults are the AWS API's (backup retention
/// 1 day, encryption off, IAM auth off, deletion protection off, minor upgrades on).
macro_rules! database_attrs {
    ($($extra:expr,)*) => {
        const { &[
            a("identifier"),
            a("engine"),
            a("engine_version"),
            b("storage_encrypted", false),
            a("kms_key_id"),
            b("iam_database_authentication_enabled", false),
            b("deletion_protection", false),
            n("backup_retention_period", 1.0),
            b("skip_final_snapshot", false),
            a("final_snapshot_identifier"),
            a("master_username"),
            a("master_password"),
            b("manage_master_user_password", false),
            a("master_user_secret_kms_key_id"),
            a("db_subnet_group_name"),
            a("vpc_security_group_ids"),
            a("port"),
            l("enabled_cloudwatch_logs_exports"),
            b("copy_tags_to_snapshot", false),
            a("snapshot_identifier"),
            a("tags"),
            $($extra,)*
        ] }
    };
}
pub(super) use database_attrs;

pub(super) const RULE_ATTRS: &[AttrSchema] = const {
    &[
        a("security_group_id"),
        a("type"),
        a("from_port"),
        a("to_port"),
        a("protocol"),
        a("cidr_blocks"),
        a("ipv6_cidr_blocks"),
        a("prefix_list_ids"),
        a("source_security_group_id"),
        a("self"),
        a("description"),
    ]
};

pub(super) const PARAMETER_GROUP_ATTRS: &[AttrSchema] =
    const { &[a("name"), a("family"), a("description"), l("parameters")] };

pub(super) const SNAPSHOT_ATTRS: &[AttrSchema] = const {
    &[
        a("identifier"),
        a("source_identifier"),
        a("encrypted"),
        a("kms_key_id"),
        l("shared_accounts"),
    ]
};

impl Kind {
    /// Whether `name` is an attribute (set or derived) of this kind.
    pub fn has_attr(self, name: &str) -> bool {
        let schema = self.schema();
        schema.attrs.iter().any(|attr| attr.name == name)
            || crate::graph::facts::is_derived(self, name)
    }
}
