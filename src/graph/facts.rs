//! The registry of derived facts: attributes the graph computes from other resources, with
//! the kinds that carry them, what they hold and the function that computes them.
//! `graph::link` adds every fact of this table to every resource of its kinds, and nothing
//! else; a policy may read them like any attribute (`Kind::has_attr` asks [`is_derived`]);
//! `docs/derived-facts.md` is generated from the table.

use crate::ir::{Data, Kind, ResourceId, Value};

use super::{Linking, credentials, derived, engine, key_policy, network};

/// One derived fact (or a pair computed together, as ingress and egress rules).
pub struct Fact {
    pub names: &'static [&'static str],
    pub kinds: &'static [Kind],
    /// What it holds, in the docs' words.
    pub value: &'static str,
    /// Where a finding that reads it points.
    pub span: &'static str,
    /// Its values, one per name in order, for a resource of one of `kinds`.
    pub(crate) compute: fn(&Linking<'_>, ResourceId) -> Vec<Value>,
}

pub const FACTS: &[Fact] = &[
    Fact {
        names: &["engine_family"],
        kinds: &[Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance],
        value: "`postgres`, `aurora-postgresql`, `mysql`, `aurora-mysql`, `mariadb`, `sqlserver`, `oracle`, `db2` (a cluster instance takes its cluster's)",
        span: "the `engine` value",
        compute: |linking, id| vec![linking.engine(id).family_value(linking.resource(id).span)],
    },
    Fact {
        names: &["engine_major_version"],
        kinds: &[Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance],
        value: "number that orders within a family: PostgreSQL 15, 9.6; MySQL 8.0, 5.7; MariaDB 10.11, 11.08 (= 11.8)",
        span: "the `engine_version` value; unknown when absent (AWS picks)",
        compute: |linking, id| vec![linking.engine(id).major_value(linking.resource(id).span)],
    },
    Fact {
        names: &["default_port"],
        kinds: &[Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance],
        value: "the engine's default port (5432, 3306, 1433, 1521, 50000)",
        span: "the header",
        compute: |linking, id| {
            vec![engine::default_port_value(
                linking.engine(id),
                linking.resource(id).span,
            )]
        },
    },
    Fact {
        names: &["effective_port"],
        kinds: &[Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance],
        value: "`port`, else the engine's default (5432, 3306, 1433, 1521, 50000); a cluster instance uses its cluster's",
        span: "`port`, else the header",
        compute: |linking, id| vec![engine::effective_port(linking, id)],
    },
    Fact {
        names: &["effective_parameters"],
        kinds: &[Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance],
        value: "object: every parameter the attached (cluster) parameter group sets, plus the engine default of `rds.force_ssl` (1 on RDS PostgreSQL 15+, 0 before, 0 on Aurora PostgreSQL and SQL Server), `require_secure_transport` (0 on MySQL, Aurora MySQL, MariaDB before 11.8), `log_connections`, `log_disconnections`, `log_statement`, `password_encryption` (scram-sha-256 from PostgreSQL 14), `shared_preload_libraries`, `pgaudit.log`, `ssl_min_protocol_version` (TLSv1.2), `server_audit_logging` (0 on Aurora MySQL)",
        span: "a set parameter: its `value`; a default: the parameter group header (add it there), or the `parameter_group_name` naming a `default.*` group, or the database header when no group is named. A group outside the project makes the whole object unknown",
        compute: |linking, id| vec![engine::effective_parameters(linking, id)],
    },
    Fact {
        names: &["ingress_rules", "egress_rules"],
        kinds: &[Kind::DbInstance, Kind::DbCluster],
        value: "list of `{source, cidr?, group?, prefix_list?, protocol, from_port, to_port}`, one per source, from every attached security group's inline rules and from rule resources that name the group; `source` is `cidr`, `security_group`, `prefix_list` or `self`; protocol `-1`/`all` becomes `all` over 0–65535",
        span: "the source value (the CIDR), so findings land on its line. No `vpc_security_group_ids`: unknown (the VPC default group)",
        compute: |linking, id| {
            let rules = network::rules(linking, linking.resource(id));
            vec![rules.ingress, rules.egress]
        },
    },
    Fact {
        names: &["used_by_database"],
        kinds: &[
            Kind::KmsKey,
            Kind::SecurityGroup,
            Kind::DbParameterGroup,
            Kind::DbClusterParameterGroup,
            Kind::Secret,
        ],
        value: "true when a database in the project references it (`kms_key_id`, `performance_insights_kms_key_id`, `master_user_secret_kms_key_id`, security groups, parameter group; a secret when the master password reads it, directly or through a secret version, or a secret target attachment names it and the database)",
        span: "the resource header",
        compute: |linking, id| {
            let used = linking.serves_database(id);
            vec![derived(Data::Bool(used), linking.resource(id).span)]
        },
    },
    Fact {
        names: &["policy_allows_anyone"],
        kinds: &[Kind::KmsKey],
        value: "true when an `Allow` statement has principal `*` (or `AWS: *`) and no `Condition`; false without a policy (the default trusts only the account); unknown when the policy is not known",
        span: "the policy value",
        compute: |linking, id| vec![key_policy::allows_anyone(linking.resource(id))],
    },
    Fact {
        names: &["rotation_enabled"],
        kinds: &[Kind::Secret],
        value: "true when a rotation resource (`aws_secretsmanager_secret_rotation`, `AWS::SecretsManager::RotationSchedule`) names the secret; unknown when some rotation names a secret that is not known",
        span: "the header",
        compute: |linking, id| vec![super::rotation_enabled(linking, id)],
    },
    Fact {
        names: &["is_read_replica"],
        kinds: &[Kind::DbInstance, Kind::DbCluster],
        value: "true when `replicate_source_db` (`SourceDBInstanceIdentifier`, `replicateSourceDb`) or a cluster's `replication_source_identifier` is set; false when absent or null; unknown when its value is not known or an undecidable `Fn::If`",
        span: "the source attribute, or the header",
        compute: |linking, id| vec![super::read_replica(linking.resource(id))],
    },
    Fact {
        names: &["subnet_routes_to_internet"],
        kinds: &[Kind::DbInstance, Kind::DbCluster],
        value: "true when a subnet of the subnet group is associated with a route table that sends 0.0.0.0/0 (or ::/0) to an internet gateway; false when every subnet's table is known and none does; unknown for the default subnet group, a group outside the project, or a subnet without an explicit association (it uses the VPC's main table)",
        span: "the route's gateway, or the subnet group attribute",
        compute: |linking, id| {
            vec![network::subnet_routes_to_internet(
                linking,
                linking.resource(id),
            )]
        },
    },
    Fact {
        names: &["environment_credentials"],
        kinds: &[Kind::Function, Kind::TaskDefinition],
        value: "one `{name, value}` per environment variable (Lambda `environment.variables`, ECS container `environment`) whose value is a literal database credential: a name that says password (`DB_PASSWORD`, `PGPASSWORD`, or a generic `PASSWORD` beside a variable naming a database or an RDS endpoint), a database secret (`DB_SECRET`), or a database URL with a password (`postgres://user:pw@…`); other services' credentials (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`), secret ARNs and dynamic references are not",
        span: "each value",
        compute: |linking, id| vec![credentials::environment_credentials(linking.resource(id))],
    },
    Fact {
        names: &["shares_storage_key"],
        kinds: &[Kind::DbBackupReplication],
        value: "true when the replication's `kms_key_id` is the source instance's storage key (same resource or same ARN); false without a replication key",
        span: "the replication's `kms_key_id`",
        compute: |linking, id| vec![super::shares_storage_key(linking, linking.resource(id))],
    },
];

/// Whether `name` is a fact derived for `kind`.
pub fn is_derived(kind: Kind, name: &str) -> bool {
    FACTS
        .iter()
        .any(|fact| fact.names.contains(&name) && fact.kinds.contains(&kind))
}

/// `docs/derived-facts.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Derived facts\n\n\
         Computed once per project by `src/graph/` and read by policies as attributes. Each is\n\
         `Derived` in provenance; an input that is unknown makes the fact unknown. Generated from\n\
         `src/graph/facts.rs`.\n\n\
         | attribute | on kinds | value | span |\n|---|---|---|---|\n",
    );
    for fact in FACTS {
        let names: Vec<String> = fact.names.iter().map(|name| format!("`{name}`")).collect();
        let kinds: Vec<&str> = fact.kinds.iter().map(|kind| kind.as_str()).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            names.join(", "),
            kinds.join(", "),
            fact.value,
            fact.span
        ));
    }
    out
}
