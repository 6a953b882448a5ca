//! The one table of resource kinds: each kind's canonical name and its resource types in
//! Terraform, CloudFormation and Pulumi (Pulumi's `module:Member`, as in
//! `aws:rds/instance:Instance`), the attribute names of each format where they are not the
//! canonical ones or their values take another shape ([`Shape`]: the structure
//! normalisations), and its canonical attributes with the provider's defaults. [`Kind`],
//! every front end's type lookup, its attribute renames and the schema are generated from
//! it, so a kind that needs no new derived fact is one row here.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::schema::{
    KindSchema, PARAMETER_GROUP_ATTRS, RULE_ATTRS, SNAPSHOT_ATTRS, a, b, database_attrs, l, n,
};
use super::{Data, Value};

/// A format's name for a canonical attribute, and how its value becomes canonical.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rename {
    pub native: &'static str,
    pub canonical: &'static str,
    pub shape: Shape,
}

/// How a value as a format writes it becomes the canonical attribute's value (the
/// structure normalisations every front end applies through the table of kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// As written.
    AsWritten,
    /// One value where the canonical attribute is a list (a rule resource's single CIDR
    /// among a group rule's `cidr_blocks`): a one-item list. A list stays a list and null
    /// stays null (unset, not a list holding null).
    OneItemList,
    /// The canonical attribute is one field, by its native name, of the object written
    /// (CloudFormation's `MasterUserSecret` holds `KmsKeyId`).
    Field(&'static str),
    /// A map of parameter names to values becomes a list of `{name, value}`, as Terraform
    /// writes `parameter` blocks.
    NameValueList,
    /// A list of objects whose fields are named as the attributes of another kind (a
    /// security group's inline rules, named as the rule resources are).
    ItemsNamedAs(Kind),
}

impl Shape {
    /// A value in this shape, where the value alone decides it: `OneItemList` wraps it,
    /// `AsWritten` keeps it; the other shapes need the syntax, and the front end applies
    /// them before (a value reaching here in those is kept as it is).
    pub fn reshape(self, value: Value) -> Value {
        if self != Shape::OneItemList || matches!(value.data, Data::List(_) | Data::Null) {
            return value;
        }
        Value {
            data: Data::List(vec![value.clone()].into()),
            ..value
        }
    }
}

macro_rules! shape {
    () => {
        Shape::AsWritten
    };
    ($shape:ident $(($($arg:tt)*))?) => {
        Shape::$shape $(($($arg)*))?
    };
}

macro_rules! kinds {
    ($($variant:ident => $name:literal {
        terraform: [$($terraform:literal),*],
        cloudformation: [$($cloudformation:literal),*],
        pulumi: [$($pulumi:literal),*],
        $(terraform_names: {
            $($terraform_native:literal => $terraform_canonical:literal
                $(as $terraform_shape:ident $(($($terraform_arg:tt)*))?)?,)*
        },)?
        $(cloudformation_names: {
            $($cloudformation_native:literal => $cloudformation_canonical:literal
                $(as $cloudformation_shape:ident $(($($cloudformation_arg:tt)*))?)?,)*
        },)?
        $(aws_default: $aws_default:literal,)?
        attributes: $attributes:expr,
    },)*) => {
        /// A canonical, format-neutral resource kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }

            pub fn parse(name: &str) -> Option<Kind> {
                match name { $($name => Some(Kind::$variant),)* _ => None }
            }

            /// Its Terraform resource types (the AWS provider's).
            pub fn terraform_types(self) -> &'static [&'static str] {
                match self { $(Kind::$variant => &[$($terraform),*],)* }
            }

            /// Its CloudFormation resource types. A DB instance inside a cluster is a
            /// `db_cluster_instance`, decided by the front end, which sees the cluster.
            pub fn cloudformation_types(self) -> &'static [&'static str] {
                match self { $(Kind::$variant => &[$($cloudformation),*],)* }
            }

            /// Its Pulumi AWS types, as `module:Member`.
            pub fn pulumi_types(self) -> &'static [&'static str] {
                match self { $(Kind::$variant => &[$($pulumi),*],)* }
            }

            /// The name prefix of the resources of this kind that AWS itself provides and
            /// attaches where none is named (an engine's default option group,
            /// `default:mysql-8-0`; its default parameter group, `default.postgres16`).
            pub fn aws_default_prefix(self) -> Option<&'static str> {
                match self { $(Kind::$variant => None $(.or(Some($aws_default)))?,)* }
            }

            /// Its canonical attributes, with the provider's documented default for those a
            /// source may omit (the attributes the graph derives are in `facts.rs`).
            pub fn schema(self) -> KindSchema {
                match self { $(Kind::$variant => KindSchema { attrs: $attributes },)* }
            }

            /// Terraform attribute or nested-block names that are not the canonical ones,
            /// or whose value takes another shape, in order: the first entry for a name
            /// wins. Pulumi's AWS provider is bridged from Terraform's and uses these names
            /// in camelCase.
            pub fn terraform_names(self) -> &'static [Rename] {
                match self {
                    $(Kind::$variant => &[$($(Rename {
                        native: $terraform_native,
                        canonical: $terraform_canonical,
                        shape: shape!($($terraform_shape $(($($terraform_arg)*))?)?),
                    },)*)?],)*
                }
            }

            /// CloudFormation properties whose snake_case is not the canonical name, or
            /// whose value takes another shape, in order: the first entry for a property
            /// wins.
            pub fn cloudformation_names(self) -> &'static [Rename] {
                match self {
                    $(Kind::$variant => &[$($(Rename {
                        native: $cloudformation_native,
                        canonical: $cloudformation_canonical,
                        shape: shape!($($cloudformation_shape $(($($cloudformation_arg)*))?)?),
                    },)*)?],)*
                }
            }
        }
    };
}

kinds! {
    DbInstance => "db_instance" {
        terraform: ["aws_db_instance"],
        cloudformation: ["AWS::RDS::DBInstance"],
        pulumi: ["rds:Instance"],
        terraform_names: {
            "username" => "master_username",
            "password" => "master_password",
            "password_wo" => "master_password",
        },
        cloudformation_names: {
            "DBInstanceIdentifier" => "identifier",
            "DBInstanceClass" => "instance_class",
            "DBClusterIdentifier" => "cluster_identifier",
            "DBParameterGroupName" => "parameter_group_name",
            "VPCSecurityGroups" => "vpc_security_group_ids",
            "SourceDBInstanceIdentifier" => "replicate_source_db",
            "DBSnapshotIdentifier" => "snapshot_identifier",
            "CACertificateIdentifier" => "ca_cert_identifier",
            "EnablePerformanceInsights" => "performance_insights_enabled",
            "PerformanceInsightsKMSKeyId" => "performance_insights_kms_key_id",
            "MasterUserPassword" => "master_password",
            "MasterUserSecret" => "master_user_secret_kms_key_id" as Field("KmsKeyId"),
            "EnableIAMDatabaseAuthentication" => "iam_database_authentication_enabled",
            "EnableCloudwatchLogsExports" => "enabled_cloudwatch_logs_exports",
            "VpcSecurityGroupIds" => "vpc_security_group_ids",
        },
        attributes: database_attrs![
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
    DbCluster => "db_cluster" {
        terraform: ["aws_rds_cluster"],
        cloudformation: ["AWS::RDS::DBCluster"],
        pulumi: ["rds:Cluster"],
        terraform_names: {
            "master_password_wo" => "master_password",
        },
        cloudformation_names: {
            "DBClusterIdentifier" => "cluster_identifier",
            "DBClusterParameterGroupName" => "db_cluster_parameter_group_name",
            "SnapshotIdentifier" => "snapshot_identifier",
            "EnablePerformanceInsights" => "performance_insights_enabled",
            "MasterUserPassword" => "master_password",
            "MasterUserSecret" => "master_user_secret_kms_key_id" as Field("KmsKeyId"),
            "EnableIAMDatabaseAuthentication" => "iam_database_authentication_enabled",
            "EnableCloudwatchLogsExports" => "enabled_cloudwatch_logs_exports",
            "VpcSecurityGroupIds" => "vpc_security_group_ids",
        },
        attributes: database_attrs![
            a("engine_mode"),
            a("cluster_identifier"),
            a("db_cluster_parameter_group_name"),
            b("auto_minor_version_upgrade", true),
            // Multi-AZ DB clusters only; Aurora sets it per instance. No default:
            // no policy reads it on a cluster.
            a("performance_insights_enabled"),
        ],
    },
    DbClusterInstance => "db_cluster_instance" {
        terraform: ["aws_rds_cluster_instance"],
        cloudformation: [],
        pulumi: ["rds:ClusterInstance"],
        terraform_names: {
            "db_parameter_group_name" => "parameter_group_name",
        },
        attributes: const {
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
    DbParameterGroup => "db_parameter_group" {
        terraform: ["aws_db_parameter_group"],
        cloudformation: ["AWS::RDS::DBParameterGroup"],
        pulumi: ["rds:ParameterGroup"],
        terraform_names: {
            "parameter" => "parameters",
        },
        cloudformation_names: {
            "DBParameterGroupName" => "name",
            "Parameters" => "parameters" as NameValueList,
        },
        aws_default: "default.",
        attributes: PARAMETER_GROUP_ATTRS,
    },
    DbClusterParameterGroup => "db_cluster_parameter_group" {
        terraform: ["aws_rds_cluster_parameter_group"],
        cloudformation: ["AWS::RDS::DBClusterParameterGroup"],
        pulumi: ["rds:ClusterParameterGroup"],
        terraform_names: {
            "parameter" => "parameters",
        },
        cloudformation_names: {
            "DBClusterParameterGroupName" => "name",
            "Parameters" => "parameters" as NameValueList,
        },
        aws_default: "default.",
        attributes: PARAMETER_GROUP_ATTRS,
    },
    DbOptionGroup => "db_option_group" {
        terraform: ["aws_db_option_group"],
        cloudformation: ["AWS::RDS::OptionGroup"],
        pulumi: ["rds:OptionGroup"],
        terraform_names: {
            "option" => "options",
        },
        cloudformation_names: {
            "OptionConfigurations" => "options",
        },
        // An engine's default option group has no options.
        aws_default: "default:",
        attributes: const {
            &[
                a("name"),
                a("engine_name"),
                a("major_engine_version"),
                l("options"),
            ]
        },
    },
    DbSubnetGroup => "db_subnet_group" {
        terraform: ["aws_db_subnet_group"],
        cloudformation: ["AWS::RDS::DBSubnetGroup"],
        pulumi: ["rds:SubnetGroup"],
        cloudformation_names: {
            "DBSubnetGroupName" => "name",
        },
        attributes: const { &[a("name"), a("subnet_ids")] },
    },
    DbSnapshot => "db_snapshot" {
        terraform: ["aws_db_snapshot"],
        cloudformation: [],
        pulumi: ["rds:Snapshot"],
        terraform_names: {
            "db_snapshot_identifier" => "identifier",
            "db_instance_identifier" => "source_identifier",
        },
        attributes: SNAPSHOT_ATTRS,
    },
    DbClusterSnapshot => "db_cluster_snapshot" {
        terraform: ["aws_db_cluster_snapshot"],
        cloudformation: [],
        pulumi: ["rds:ClusterSnapshot"],
        attributes: SNAPSHOT_ATTRS,
    },
    DbSnapshotCopy => "db_snapshot_copy" {
        terraform: ["aws_db_snapshot_copy"],
        cloudformation: [],
        pulumi: ["rds:SnapshotCopy"],
        terraform_names: {
            "db_snapshot_identifier" => "identifier",
            "source_db_snapshot_identifier" => "source_identifier",
            "target_db_snapshot_identifier" => "identifier",
        },
        attributes: SNAPSHOT_ATTRS,
    },
    DbProxy => "db_proxy" {
        terraform: ["aws_db_proxy"],
        cloudformation: ["AWS::RDS::DBProxy"],
        pulumi: ["rds:Proxy"],
        terraform_names: {
            "auths" => "auth",
        },
        cloudformation_names: {
            "DBProxyName" => "name",
            "RequireTLS" => "require_tls",
            "VpcSecurityGroupIds" => "vpc_security_group_ids",
        },
        attributes: const {
            &[
                a("name"),
                a("engine_family"),
                b("require_tls", false),
                l("auth"),
                a("vpc_security_group_ids"),
            ]
        },
    },
    DbSecurityGroup => "db_security_group" {
        terraform: ["aws_db_security_group"],
        cloudformation: ["AWS::RDS::DBSecurityGroup"],
        pulumi: ["rds:SecurityGroup"],
        attributes: const { &[a("name"), l("ingress")] },
    },
    DbBackupReplication => "db_backup_replication" {
        terraform: ["aws_db_instance_automated_backups_replication"],
        cloudformation: [],
        pulumi: ["rds:InstanceAutomatedBackupsReplication"],
        attributes: const {
            &[
                a("source_db_instance_arn"),
                a("kms_key_id"),
                a("retention_period"),
            ]
        },
    },
    SecurityGroup => "security_group" {
        terraform: ["aws_security_group"],
        cloudformation: ["AWS::EC2::SecurityGroup"],
        pulumi: ["ec2:SecurityGroup"],
        cloudformation_names: {
            "GroupName" => "name",
            "GroupDescription" => "description",
            "SecurityGroupIngress" => "ingress" as ItemsNamedAs(Kind::SecurityGroupIngress),
            "SecurityGroupEgress" => "egress" as ItemsNamedAs(Kind::SecurityGroupEgress),
        },
        attributes: const {
            &[
                a("name"),
                a("description"),
                a("vpc_id"),
                l("ingress"),
                l("egress"),
            ]
        },
    },
    SecurityGroupRule => "security_group_rule" {
        terraform: ["aws_security_group_rule"],
        cloudformation: [],
        pulumi: ["ec2:SecurityGroupRule"],
        attributes: RULE_ATTRS,
    },
    SecurityGroupIngress => "security_group_ingress" {
        terraform: ["aws_vpc_security_group_ingress_rule"],
        cloudformation: ["AWS::EC2::SecurityGroupIngress"],
        pulumi: ["vpc:SecurityGroupIngressRule"],
        terraform_names: {
            "ip_protocol" => "protocol",
            "cidr_ipv4" => "cidr_blocks" as OneItemList,
            "cidr_ipv6" => "ipv6_cidr_blocks" as OneItemList,
            "prefix_list_id" => "prefix_list_ids" as OneItemList,
            "referenced_security_group_id" => "source_security_group_id",
        },
        cloudformation_names: {
            "IpProtocol" => "protocol",
            "CidrIp" => "cidr_blocks" as OneItemList,
            "CidrIpv6" => "ipv6_cidr_blocks" as OneItemList,
            "SourcePrefixListId" => "prefix_list_ids" as OneItemList,
            "SourceSecurityGroupId" => "source_security_group_id",
            "GroupId" => "security_group_id",
        },
        attributes: RULE_ATTRS,
    },
    SecurityGroupEgress => "security_group_egress" {
        terraform: ["aws_vpc_security_group_egress_rule"],
        cloudformation: ["AWS::EC2::SecurityGroupEgress"],
        pulumi: ["vpc:SecurityGroupEgressRule"],
        terraform_names: {
            "ip_protocol" => "protocol",
            "cidr_ipv4" => "cidr_blocks" as OneItemList,
            "cidr_ipv6" => "ipv6_cidr_blocks" as OneItemList,
            "prefix_list_id" => "prefix_list_ids" as OneItemList,
            "referenced_security_group_id" => "source_security_group_id",
        },
        cloudformation_names: {
            "IpProtocol" => "protocol",
            "CidrIp" => "cidr_blocks" as OneItemList,
            "CidrIpv6" => "ipv6_cidr_blocks" as OneItemList,
            "DestinationPrefixListId" => "prefix_list_ids" as OneItemList,
            "DestinationSecurityGroupId" => "source_security_group_id",
            "GroupId" => "security_group_id",
        },
        attributes: RULE_ATTRS,
    },
    KmsKey => "kms_key" {
        terraform: ["aws_kms_key"],
        cloudformation: ["AWS::KMS::Key"],
        pulumi: ["kms:Key"],
        cloudformation_names: {
            "KeyPolicy" => "policy",
            "PendingWindowInDays" => "deletion_window_in_days",
        },
        attributes: const {
            &[
                a("description"),
                b("enable_key_rotation", false),
                a("policy"),
                a("deletion_window_in_days"),
                a("key_usage"),
            ]
        },
    },
    Secret => "secret" {
        terraform: ["aws_secretsmanager_secret"],
        cloudformation: ["AWS::SecretsManager::Secret"],
        pulumi: ["secretsmanager:Secret"],
        attributes: const { &[a("name"), a("kms_key_id"), a("description")] },
    },
    SecretRotation => "secret_rotation" {
        terraform: ["aws_secretsmanager_secret_rotation"],
        cloudformation: ["AWS::SecretsManager::RotationSchedule"],
        pulumi: ["secretsmanager:SecretRotation"],
        cloudformation_names: {
            "RotationLambdaARN" => "rotation_lambda_arn",
        },
        attributes: const {
            &[
                a("secret_id"),
                a("rotation_lambda_arn"),
                a("rotation_rules"),
            ]
        },
    },
    SecretVersion => "secret_version" {
        terraform: ["aws_secretsmanager_secret_version"],
        cloudformation: [],
        pulumi: ["secretsmanager:SecretVersion"],
        attributes: const { &[a("secret_id"), a("secret_string")] },
    },
    SecretAttachment => "secret_attachment" {
        terraform: [],
        cloudformation: ["AWS::SecretsManager::SecretTargetAttachment"],
        pulumi: [],
        attributes: const { &[a("secret_id"), a("target_id"), a("target_type")] },
    },
    LogGroup => "log_group" {
        terraform: ["aws_cloudwatch_log_group"],
        cloudformation: ["AWS::Logs::LogGroup"],
        pulumi: ["cloudwatch:LogGroup"],
        cloudformation_names: {
            "LogGroupName" => "name",
        },
        attributes: const { &[a("name"), a("retention_in_days"), a("kms_key_id")] },
    },
    Subnet => "subnet" {
        terraform: ["aws_subnet"],
        cloudformation: ["AWS::EC2::Subnet"],
        pulumi: ["ec2:Subnet"],
        attributes: const {
            &[
                a("vpc_id"),
                a("cidr_block"),
                b("map_public_ip_on_launch", false),
            ]
        },
    },
    RouteTable => "route_table" {
        terraform: ["aws_route_table"],
        cloudformation: ["AWS::EC2::RouteTable"],
        pulumi: ["ec2:RouteTable"],
        terraform_names: {
            "routes" => "route",
        },
        attributes: const { &[a("vpc_id"), l("route")] },
    },
    Route => "route" {
        terraform: ["aws_route"],
        cloudformation: ["AWS::EC2::Route"],
        pulumi: ["ec2:Route"],
        attributes: const {
            &[
                a("route_table_id"),
                a("destination_cidr_block"),
                a("gateway_id"),
            ]
        },
    },
    RouteTableAssociation => "route_table_association" {
        terraform: ["aws_route_table_association"],
        cloudformation: ["AWS::EC2::SubnetRouteTableAssociation"],
        pulumi: ["ec2:RouteTableAssociation"],
        attributes: const { &[a("route_table_id"), a("subnet_id")] },
    },
    InternetGateway => "internet_gateway" {
        terraform: ["aws_internet_gateway"],
        cloudformation: ["AWS::EC2::InternetGateway"],
        pulumi: ["ec2:InternetGateway"],
        attributes: const { &[a("vpc_id")] },
    },
    Function => "function" {
        terraform: ["aws_lambda_function"],
        cloudformation: ["AWS::Lambda::Function"],
        pulumi: ["lambda:Function"],
        cloudformation_names: {
            "FunctionName" => "function_name",
        },
        attributes: const { &[a("function_name"), a("environment")] },
    },
    TaskDefinition => "task_definition" {
        terraform: ["aws_ecs_task_definition"],
        cloudformation: ["AWS::ECS::TaskDefinition"],
        pulumi: ["ecs:TaskDefinition"],
        attributes: const { &[a("family"), a("container_definitions")] },
    },
    DbGlobalCluster => "db_global_cluster" {
        terraform: ["aws_rds_global_cluster"],
        cloudformation: ["AWS::RDS::GlobalCluster"],
        pulumi: ["rds:GlobalCluster"],
        // An Aurora global database: not encrypted unless asked, or as its source cluster.
        attributes: const {
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
}

/// `names(kind)` of every kind, as one lookup built once.
fn index(names: fn(Kind) -> &'static [&'static str]) -> HashMap<&'static str, Kind> {
    Kind::ALL
        .iter()
        .flat_map(|&kind| names(kind).iter().map(move |&name| (name, kind)))
        .collect()
}

impl Kind {
    /// Whether `name` names a resource of this kind that AWS provides (`default:mysql-8-0`
    /// for an option group).
    pub fn is_provided_by_aws(self, name: &str) -> bool {
        self.aws_default_prefix()
            .is_some_and(|prefix| name.starts_with(prefix))
    }

    /// The kind of a Terraform resource type.
    pub fn of_terraform(resource_type: &str) -> Option<Kind> {
        static INDEX: LazyLock<HashMap<&str, Kind>> =
            LazyLock::new(|| index(Kind::terraform_types));
        INDEX.get(resource_type).copied()
    }

    /// The kind of a CloudFormation resource type.
    pub fn of_cloudformation(resource_type: &str) -> Option<Kind> {
        static INDEX: LazyLock<HashMap<&str, Kind>> =
            LazyLock::new(|| index(Kind::cloudformation_types));
        INDEX.get(resource_type).copied()
    }

    /// The kind of a Pulumi AWS type, given as its module and member (`rds`, `Instance`).
    pub fn of_pulumi(module: &str, member: &str) -> Option<Kind> {
        static INDEX: LazyLock<HashMap<&str, Kind>> = LazyLock::new(|| index(Kind::pulumi_types));
        INDEX.get(format!("{module}:{member}").as_str()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table is consistent: names are unique within a format, every kind is read from
    /// some format, and every Pulumi type has the Terraform type it is bridged from (the
    /// Pulumi front end reads attributes by Terraform's names).
    #[test]
    fn every_kind_is_named_once_per_format_and_pulumi_types_have_terraform_ones() {
        for names in [
            Kind::terraform_types as fn(Kind) -> &'static [&'static str],
            Kind::cloudformation_types,
            Kind::pulumi_types,
        ] {
            let total: usize = Kind::ALL.iter().map(|&kind| names(kind).len()).sum();
            assert_eq!(index(names).len(), total, "a type is named twice");
        }
        for &kind in Kind::ALL {
            assert!(
                !(kind.terraform_types().is_empty()
                    && kind.cloudformation_types().is_empty()
                    && kind.pulumi_types().is_empty()),
                "{kind:?} is read from no format"
            );
            if !kind.pulumi_types().is_empty() {
                assert!(!kind.terraform_types().is_empty(), "{kind:?}");
            }
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            Kind::of_terraform("aws_db_instance"),
            Some(Kind::DbInstance)
        );
        assert_eq!(
            Kind::of_cloudformation("AWS::EC2::SubnetRouteTableAssociation"),
            Some(Kind::RouteTableAssociation)
        );
        assert_eq!(
            Kind::of_pulumi("vpc", "SecurityGroupIngressRule"),
            Some(Kind::SecurityGroupIngress)
        );
        assert_eq!(Kind::of_pulumi("rds", "Nothing"), None);
    }

    /// Every rename lands on an attribute the kind's schema knows, and no format name is
    /// listed twice for one kind (the second entry could never apply).
    #[test]
    fn renames_land_on_attributes_of_the_kind() {
        for &kind in Kind::ALL {
            let schema = kind.schema();
            for names in [kind.terraform_names(), kind.cloudformation_names()] {
                for (i, rename) in names.iter().enumerate() {
                    let (native, canonical) = (rename.native, rename.canonical);
                    assert!(
                        schema.attrs.iter().any(|a| a.name == canonical),
                        "{kind:?}: {native} -> {canonical}, not an attribute of the kind"
                    );
                    assert!(
                        !names[..i].iter().any(|earlier| earlier.native == native),
                        "{kind:?}: {native} listed twice"
                    );
                    // Inline items named as another kind are named by that kind's rows.
                    if let Shape::ItemsNamedAs(items) = rename.shape {
                        assert!(
                            !items.cloudformation_names().is_empty(),
                            "{kind:?}: {native} items named as {items:?}, which renames nothing"
                        );
                    }
                }
            }
        }
        assert_eq!(
            crate::parse::terraform::aliases::rename("aws_db_instance", "password_wo"),
            Some("master_password")
        );
        assert_eq!(
            crate::parse::terraform::aliases::native_name("aws_db_instance", "master_password"),
            "password"
        );
        assert_eq!(
            crate::parse::cloudformation::aliases::rename("AWS::RDS::DBCluster", "Port"),
            None
        );
    }
}
