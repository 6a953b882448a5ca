//! The attribute schema of each canonical resource kind: names, and the provider's
//! documented default for attributes a source may omit. Kinds and their resource types in
//! each format are in `kinds.rs`; attribute renames live in each parser's alias table.

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

const fn a(name: &'static str) -> AttrSchema {
    AttrSchema {
        name,
        default: None,
    }
}
const fn b(name: &'static str, value: bool) -> AttrSchema {
    AttrSchema {
        name,
        default: Some(Default::Bool(value)),
    }
}
const fn n(name: &'static str, value: f64) -> AttrSchema {
    AttrSchema {
        name,
        default: Some(Default::Number(value)),
    }
}
const fn l(name: &'static str) -> AttrSchema {
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

const RULE_ATTRS: &[AttrSchema] = const {
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

impl Kind {
    pub fn schema(self) -> KindSchema {
        match self {
            Kind::DbInstance => KindSchema {
                attrs: database_attrs![
                    a("instance_class"),
                    b("publicly_accessible", false),
                    a("parameter_group_name"),
                    a("option_group_name"),
                    a("cluster_identifier"),
                    a("ca_cert_identifier"),
                    b("multi_az", false),
                    b("auto_minor_version_upgrade", true),
                    n("monitoring_interval", 0.0),
                    a("monitoring_role_arn"),
                    b("performance_insights_enabled", false),
                    a("performance_insights_kms_key_id"),
                    a("replicate_source_db"),
                    a("storage_type"),
                    a("allocated_storage"),
                ],
            },
            Kind::DbCluster => KindSchema {
                attrs: database_attrs![
                    a("engine_mode"),
                    a("cluster_identifier"),
                    a("db_cluster_parameter_group_name"),
                    b("auto_minor_version_upgrade", true),
                    // Multi-AZ DB clusters only; Aurora sets it per instance. No default:
                    // no policy reads it on a cluster.
                    a("performance_insights_enabled"),
                ],
            },
            Kind::DbClusterInstance => KindSchema {
                attrs: const {
                    &[
                        a("identifier"),
                        a("cluster_identifier"),
                        a("engine"),
                        a("engine_version"),
                        a("instance_class"),
                        b("publicly_accessible", false),
                        a("parameter_group_name"),
                        a("ca_cert_identifier"),
                        b("auto_minor_version_upgrade", true),
                        n("monitoring_interval", 0.0),
                        a("monitoring_role_arn"),
                        b("performance_insights_enabled", false),
                        a("performance_insights_kms_key_id"),
                        b("copy_tags_to_snapshot", false),
                        a("db_subnet_group_name"),
                        a("tags"),
                    ]
                },
            },
            Kind::DbParameterGroup | Kind::DbClusterParameterGroup => KindSchema {
                attrs: const { &[a("name"), a("family"), a("description"), l("parameters")] },
            },
            Kind::DbOptionGroup => KindSchema {
                attrs: const {
                    &[
                        a("name"),
                        a("engine_name"),
                        a("major_engine_version"),
                        l("options"),
                    ]
                },
            },
            Kind::DbSubnetGroup => KindSchema {
                attrs: const { &[a("name"), a("subnet_ids")] },
            },
            Kind::DbSnapshot | Kind::DbClusterSnapshot | Kind::DbSnapshotCopy => KindSchema {
                attrs: const {
                    &[
                        a("identifier"),
                        a("source_identifier"),
                        a("encrypted"),
                        a("kms_key_id"),
                        l("shared_accounts"),
                    ]
                },
            },
            Kind::DbProxy => KindSchema {
                attrs: const {
                    &[
                        a("name"),
                        a("engine_family"),
                        b("require_tls", false),
                        l("auth"),
                        a("vpc_security_group_ids"),
                    ]
                },
            },
            Kind::DbSecurityGroup => KindSchema {
                attrs: const { &[a("name"), l("ingress")] },
            },
            // An Aurora global database: not encrypted unless asked, or as its source cluster.
            Kind::DbGlobalCluster => KindSchema {
                attrs: const {
                    &[
                        a("global_cluster_identifier"),
                        a("engine"),
                        a("engine_version"),
                        a("source_db_cluster_identifier"),
                        b("storage_encrypted", false),
                        b("deletion_protection", false),
                    ]
                },
            },
            Kind::DbBackupReplication => KindSchema {
                attrs: const {
                    &[
                        a("source_db_instance_arn"),
                        a("kms_key_id"),
                        a("retention_period"),
                    ]
                },
            },
            Kind::SecurityGroup => KindSchema {
                attrs: const {
                    &[
                        a("name"),
                        a("description"),
                        a("vpc_id"),
                        l("ingress"),
                        l("egress"),
                    ]
                },
            },
            Kind::SecurityGroupRule | Kind::SecurityGroupIngress | Kind::SecurityGroupEgress => {
                KindSchema { attrs: RULE_ATTRS }
            }
            Kind::KmsKey => KindSchema {
                attrs: const {
                    &[
                        a("description"),
                        b("enable_key_rotation", false),
                        a("policy"),
                        a("deletion_window_in_days"),
                        a("key_usage"),
                    ]
                },
            },
            Kind::Secret => KindSchema {
                attrs: const { &[a("name"), a("kms_key_id"), a("description")] },
            },
            Kind::SecretVersion => KindSchema {
                attrs: const { &[a("secret_id"), a("secret_string")] },
            },
            Kind::SecretAttachment => KindSchema {
                attrs: const { &[a("secret_id"), a("target_id"), a("target_type")] },
            },
            Kind::SecretRotation => KindSchema {
                attrs: const {
                    &[
                        a("secret_id"),
                        a("rotation_lambda_arn"),
                        a("rotation_rules"),
                    ]
                },
            },
            Kind::LogGroup => KindSchema {
                attrs: const { &[a("name"), a("retention_in_days"), a("kms_key_id")] },
            },
            Kind::Subnet => KindSchema {
                attrs: const {
                    &[
                        a("vpc_id"),
                        a("cidr_block"),
                        b("map_public_ip_on_launch", false),
                    ]
                },
            },
            Kind::RouteTable => KindSchema {
                attrs: const { &[a("vpc_id"), l("route")] },
            },
            Kind::Route => KindSchema {
                attrs: const {
                    &[
                        a("route_table_id"),
                        a("destination_cidr_block"),
                        a("gateway_id"),
                    ]
                },
            },
            Kind::RouteTableAssociation => KindSchema {
                attrs: const { &[a("route_table_id"), a("subnet_id")] },
            },
            Kind::InternetGateway => KindSchema {
                attrs: const { &[a("vpc_id")] },
            },
            Kind::Function => KindSchema {
                attrs: const { &[a("function_name"), a("environment")] },
            },
            Kind::TaskDefinition => KindSchema {
                attrs: const { &[a("family"), a("container_definitions")] },
            },
        }
    }

    /// Whether `name` is an attribute (set or derived) of this kind.
    pub fn has_attr(self, name: &str) -> bool {
        let schema = self.schema();
        schema.attrs.iter().any(|attr| attr.name == name) || super::facts::is_derived(self, name)
    }
}
