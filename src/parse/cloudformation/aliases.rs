//! CloudFormation's names for canonical kinds and attributes.

use crate::ir::Kind;

/// CloudFormation resource type -> canonical kind (a DB instance inside a cluster is
/// decided by the caller, which sees `DBClusterIdentifier`).
pub fn kind_of(resource_type: &str) -> Option<Kind> {
    Some(match resource_type {
        "AWS::RDS::DBInstance" => Kind::DbInstance,
        "AWS::RDS::DBCluster" => Kind::DbCluster,
        "AWS::RDS::DBParameterGroup" => Kind::DbParameterGroup,
        "AWS::RDS::DBClusterParameterGroup" => Kind::DbClusterParameterGroup,
        "AWS::RDS::OptionGroup" => Kind::DbOptionGroup,
        "AWS::RDS::DBSubnetGroup" => Kind::DbSubnetGroup,
        "AWS::RDS::DBProxy" => Kind::DbProxy,
        "AWS::RDS::DBSecurityGroup" => Kind::DbSecurityGroup,
        "AWS::EC2::SecurityGroup" => Kind::SecurityGroup,
        "AWS::EC2::SecurityGroupIngress" => Kind::SecurityGroupIngress,
        "AWS::EC2::SecurityGroupEgress" => Kind::SecurityGroupEgress,
        "AWS::KMS::Key" => Kind::KmsKey,
        "AWS::SecretsManager::Secret" => Kind::Secret,
        "AWS::SecretsManager::RotationSchedule" => Kind::SecretRotation,
        "AWS::SecretsManager::SecretTargetAttachment" => Kind::SecretAttachment,
        "AWS::Logs::LogGroup" => Kind::LogGroup,
        "AWS::EC2::Subnet" => Kind::Subnet,
        "AWS::EC2::RouteTable" => Kind::RouteTable,
        "AWS::EC2::Route" => Kind::Route,
        "AWS::EC2::SubnetRouteTableAssociation" => Kind::RouteTableAssociation,
        "AWS::EC2::InternetGateway" => Kind::InternetGateway,
        "AWS::Lambda::Function" => Kind::Function,
        "AWS::ECS::TaskDefinition" => Kind::TaskDefinition,
        _ => return None,
    })
}

pub use crate::parse::snake_case;

/// The canonical name of a property where the snake_case of its CloudFormation name is not.
pub fn rename(resource_type: &str, property: &str) -> Option<&'static str> {
    Some(match (resource_type, property) {
        ("AWS::RDS::DBInstance", "DBInstanceIdentifier") => "identifier",
        ("AWS::RDS::DBInstance", "DBInstanceClass") => "instance_class",
        ("AWS::RDS::DBInstance", "DBClusterIdentifier") => "cluster_identifier",
        ("AWS::RDS::DBInstance", "DBParameterGroupName") => "parameter_group_name",
        ("AWS::RDS::DBInstance", "VPCSecurityGroups") => "vpc_security_group_ids",
        ("AWS::RDS::DBInstance", "SourceDBInstanceIdentifier") => "replicate_source_db",
        ("AWS::RDS::DBInstance", "DBSnapshotIdentifier") => "snapshot_identifier",
        ("AWS::RDS::DBInstance", "CACertificateIdentifier") => "ca_cert_identifier",
        ("AWS::RDS::DBInstance", "EnablePerformanceInsights") => "performance_insights_enabled",
        ("AWS::RDS::DBInstance", "PerformanceInsightsKMSKeyId") => {
            "performance_insights_kms_key_id"
        }
        ("AWS::RDS::DBCluster", "DBClusterIdentifier") => "cluster_identifier",
        ("AWS::RDS::DBCluster", "DBClusterParameterGroupName") => "db_cluster_parameter_group_name",
        ("AWS::RDS::DBCluster", "SnapshotIdentifier") => "snapshot_identifier",
        ("AWS::RDS::DBCluster", "EnablePerformanceInsights") => "performance_insights_enabled",
        ("AWS::RDS::DBInstance" | "AWS::RDS::DBCluster", p) => match p {
            "MasterUserPassword" => "master_password",
            "EnableIAMDatabaseAuthentication" => "iam_database_authentication_enabled",
            "EnableCloudwatchLogsExports" => "enabled_cloudwatch_logs_exports",
            "VpcSecurityGroupIds" => "vpc_security_group_ids",
            _ => return None,
        },
        ("AWS::RDS::DBParameterGroup", "DBParameterGroupName") => "name",
        ("AWS::RDS::DBClusterParameterGroup", "DBClusterParameterGroupName") => "name",
        ("AWS::RDS::DBSubnetGroup", "DBSubnetGroupName") => "name",
        ("AWS::RDS::DBProxy", "DBProxyName") => "name",
        ("AWS::RDS::DBProxy", "RequireTLS") => "require_tls",
        ("AWS::RDS::DBProxy", "VpcSecurityGroupIds") => "vpc_security_group_ids",
        ("AWS::RDS::OptionGroup", "OptionConfigurations") => "options",
        ("AWS::EC2::SecurityGroup", "GroupName") => "name",
        ("AWS::EC2::SecurityGroup", "GroupDescription") => "description",
        ("AWS::EC2::SecurityGroup", "SecurityGroupIngress") => "ingress",
        ("AWS::EC2::SecurityGroup", "SecurityGroupEgress") => "egress",
        ("AWS::KMS::Key", "KeyPolicy") => "policy",
        ("AWS::KMS::Key", "PendingWindowInDays") => "deletion_window_in_days",
        ("AWS::Logs::LogGroup", "LogGroupName") => "name",
        ("AWS::Lambda::Function", "FunctionName") => "function_name",
        ("AWS::SecretsManager::RotationSchedule", "RotationLambdaARN") => "rotation_lambda_arn",
        _ => return None,
    })
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
