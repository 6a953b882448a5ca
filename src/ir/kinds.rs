//! The one table of resource kinds: each kind's canonical name and its resource types in
//! Terraform, CloudFormation and Pulumi (Pulumi's `module:Member`, as in
//! `aws:rds/instance:Instance`). [`Kind`] and every front end's type lookup are generated
//! from it, so a new kind is one row here, plus its attributes in `schema.rs`.

use std::collections::HashMap;
use std::sync::LazyLock;

macro_rules! kinds {
    ($($variant:ident => $name:literal {
        terraform: [$($terraform:literal),*],
        cloudformation: [$($cloudformation:literal),*],
        pulumi: [$($pulumi:literal),*],
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
        }
    };
}

kinds! {
    DbInstance => "db_instance" {
        terraform: ["aws_db_instance"],
        cloudformation: ["AWS::RDS::DBInstance"],
        pulumi: ["rds:Instance"],
    },
    DbCluster => "db_cluster" {
        terraform: ["aws_rds_cluster"],
        cloudformation: ["AWS::RDS::DBCluster"],
        pulumi: ["rds:Cluster"],
    },
    DbClusterInstance => "db_cluster_instance" {
        terraform: ["aws_rds_cluster_instance"],
        cloudformation: [],
        pulumi: ["rds:ClusterInstance"],
    },
    DbParameterGroup => "db_parameter_group" {
        terraform: ["aws_db_parameter_group"],
        cloudformation: ["AWS::RDS::DBParameterGroup"],
        pulumi: ["rds:ParameterGroup"],
    },
    DbClusterParameterGroup => "db_cluster_parameter_group" {
        terraform: ["aws_rds_cluster_parameter_group"],
        cloudformation: ["AWS::RDS::DBClusterParameterGroup"],
        pulumi: ["rds:ClusterParameterGroup"],
    },
    DbOptionGroup => "db_option_group" {
        terraform: ["aws_db_option_group"],
        cloudformation: ["AWS::RDS::OptionGroup"],
        pulumi: ["rds:OptionGroup"],
    },
    DbSubnetGroup => "db_subnet_group" {
        terraform: ["aws_db_subnet_group"],
        cloudformation: ["AWS::RDS::DBSubnetGroup"],
        pulumi: ["rds:SubnetGroup"],
    },
    DbSnapshot => "db_snapshot" {
        terraform: ["aws_db_snapshot"],
        cloudformation: [],
        pulumi: ["rds:Snapshot"],
    },
    DbClusterSnapshot => "db_cluster_snapshot" {
        terraform: ["aws_db_cluster_snapshot"],
        cloudformation: [],
        pulumi: ["rds:ClusterSnapshot"],
    },
    DbSnapshotCopy => "db_snapshot_copy" {
        terraform: ["aws_db_snapshot_copy"],
        cloudformation: [],
        pulumi: ["rds:SnapshotCopy"],
    },
    DbProxy => "db_proxy" {
        terraform: ["aws_db_proxy"],
        cloudformation: ["AWS::RDS::DBProxy"],
        pulumi: ["rds:Proxy"],
    },
    DbSecurityGroup => "db_security_group" {
        terraform: ["aws_db_security_group"],
        cloudformation: ["AWS::RDS::DBSecurityGroup"],
        pulumi: ["rds:SecurityGroup"],
    },
    DbBackupReplication => "db_backup_replication" {
        terraform: ["aws_db_instance_automated_backups_replication"],
        cloudformation: [],
        pulumi: ["rds:InstanceAutomatedBackupsReplication"],
    },
    SecurityGroup => "security_group" {
        terraform: ["aws_security_group"],
        cloudformation: ["AWS::EC2::SecurityGroup"],
        pulumi: ["ec2:SecurityGroup"],
    },
    SecurityGroupRule => "security_group_rule" {
        terraform: ["aws_security_group_rule"],
        cloudformation: [],
        pulumi: ["ec2:SecurityGroupRule"],
    },
    SecurityGroupIngress => "security_group_ingress" {
        terraform: ["aws_vpc_security_group_ingress_rule"],
        cloudformation: ["AWS::EC2::SecurityGroupIngress"],
        pulumi: ["vpc:SecurityGroupIngressRule"],
    },
    SecurityGroupEgress => "security_group_egress" {
        terraform: ["aws_vpc_security_group_egress_rule"],
        cloudformation: ["AWS::EC2::SecurityGroupEgress"],
        pulumi: ["vpc:SecurityGroupEgressRule"],
    },
    KmsKey => "kms_key" {
        terraform: ["aws_kms_key"],
        cloudformation: ["AWS::KMS::Key"],
        pulumi: ["kms:Key"],
    },
    Secret => "secret" {
        terraform: ["aws_secretsmanager_secret"],
        cloudformation: ["AWS::SecretsManager::Secret"],
        pulumi: ["secretsmanager:Secret"],
    },
    SecretRotation => "secret_rotation" {
        terraform: ["aws_secretsmanager_secret_rotation"],
        cloudformation: ["AWS::SecretsManager::RotationSchedule"],
        pulumi: ["secretsmanager:SecretRotation"],
    },
    SecretVersion => "secret_version" {
        terraform: ["aws_secretsmanager_secret_version"],
        cloudformation: [],
        pulumi: ["secretsmanager:SecretVersion"],
    },
    SecretAttachment => "secret_attachment" {
        terraform: [],
        cloudformation: ["AWS::SecretsManager::SecretTargetAttachment"],
        pulumi: [],
    },
    LogGroup => "log_group" {
        terraform: ["aws_cloudwatch_log_group"],
        cloudformation: ["AWS::Logs::LogGroup"],
        pulumi: ["cloudwatch:LogGroup"],
    },
    Subnet => "subnet" {
        terraform: ["aws_subnet"],
        cloudformation: ["AWS::EC2::Subnet"],
        pulumi: ["ec2:Subnet"],
    },
    RouteTable => "route_table" {
        terraform: ["aws_route_table"],
        cloudformation: ["AWS::EC2::RouteTable"],
        pulumi: ["ec2:RouteTable"],
    },
    Route => "route" {
        terraform: ["aws_route"],
        cloudformation: ["AWS::EC2::Route"],
        pulumi: ["ec2:Route"],
    },
    RouteTableAssociation => "route_table_association" {
        terraform: ["aws_route_table_association"],
        cloudformation: ["AWS::EC2::SubnetRouteTableAssociation"],
        pulumi: ["ec2:RouteTableAssociation"],
    },
    InternetGateway => "internet_gateway" {
        terraform: ["aws_internet_gateway"],
        cloudformation: ["AWS::EC2::InternetGateway"],
        pulumi: ["ec2:InternetGateway"],
    },
    Function => "function" {
        terraform: ["aws_lambda_function"],
        cloudformation: ["AWS::Lambda::Function"],
        pulumi: ["lambda:Function"],
    },
    TaskDefinition => "task_definition" {
        terraform: ["aws_ecs_task_definition"],
        cloudformation: ["AWS::ECS::TaskDefinition"],
        pulumi: ["ecs:TaskDefinition"],
    },
    DbGlobalCluster => "db_global_cluster" {
        terraform: ["aws_rds_global_cluster"],
        cloudformation: ["AWS::RDS::GlobalCluster"],
        pulumi: ["rds:GlobalCluster"],
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
}
