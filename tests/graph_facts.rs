//! Unit tests of every derived fact `graph::link` adds (docs/derived-facts.md), each with a
//! case that holds, one that does not, and, where the fact can be undecidable, one that is
//! unknown. A meta-test keeps this file and the documented table in step.

mod common;

use rampart::ir::{Data, Project};

use common::linked;

/// The value of derived fact `fact` on the resource at `address`.
fn fact(project: &Project, address: &str, fact: &str) -> Data {
    let resource = project
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no resource {address}"));
    resource
        .attr(fact)
        .unwrap_or_else(|| panic!("{address} has no {fact}"))
        .data
        .clone()
}

fn is_unknown(data: &Data) -> bool {
    matches!(data, Data::Unknown(_))
}

const DB: &str = "aws_db_instance.db";

#[test]
fn engine_family_major_version_and_ports() {
    let project = linked(
        r#"variable "version" {}
resource "aws_db_instance" "db" {
  engine         = "postgres"
  engine_version = "15.4"
}
resource "aws_db_instance" "mysql" {
  engine         = "mysql"
  engine_version = var.version
  port           = 3307
}
resource "aws_db_instance" "maria" {
  engine         = "mariadb"
  engine_version = "10.11.6"
}
"#,
    );
    assert_eq!(
        fact(&project, DB, "engine_family"),
        Data::String("postgres".into())
    );
    assert_eq!(
        fact(&project, DB, "engine_major_version"),
        Data::Number(15.0)
    );
    assert_eq!(
        fact(&project, "aws_db_instance.maria", "engine_major_version"),
        Data::Number(10.11)
    );
    assert!(is_unknown(&fact(
        &project,
        "aws_db_instance.mysql",
        "engine_major_version"
    )));
    assert_eq!(fact(&project, DB, "default_port"), Data::Number(5432.0));
    assert_eq!(fact(&project, DB, "effective_port"), Data::Number(5432.0));
    assert_eq!(
        fact(&project, "aws_db_instance.mysql", "default_port"),
        Data::Number(3306.0)
    );
    assert_eq!(
        fact(&project, "aws_db_instance.mysql", "effective_port"),
        Data::Number(3307.0)
    );
}

#[test]
fn effective_parameters_merge_the_group_and_engine_defaults() {
    let project = linked(
        r#"variable "group" {}
resource "aws_db_parameter_group" "pg" {
  family = "postgres15"
  parameter {
    name  = "log_connections"
    value = "1"
  }
}
resource "aws_db_instance" "db" {
  engine               = "postgres"
  engine_version       = "15.4"
  parameter_group_name = aws_db_parameter_group.pg.name
}
resource "aws_db_instance" "old" {
  engine         = "postgres"
  engine_version = "14.9"
}
resource "aws_db_instance" "outside" {
  engine               = "postgres"
  engine_version       = "15.4"
  parameter_group_name = var.group
}
"#,
    );
    let Data::Object(params) = fact(&project, DB, "effective_parameters") else {
        panic!("an object");
    };
    assert_eq!(params["log_connections"].data, Data::String("1".into()));
    // RDS PostgreSQL 15 forces TLS by default; 14 does not.
    assert_eq!(params["rds.force_ssl"].data, Data::String("1".into()));
    let Data::Object(old) = fact(&project, "aws_db_instance.old", "effective_parameters") else {
        panic!("an object");
    };
    assert_eq!(old["rds.force_ssl"].data, Data::String("0".into()));
    assert!(is_unknown(&fact(
        &project,
        "aws_db_instance.outside",
        "effective_parameters"
    )));
    assert_eq!(
        fact(&project, "aws_db_parameter_group.pg", "used_by_database"),
        Data::Bool(true)
    );
}

#[test]
fn ingress_rules_normalise_every_source_and_used_by_database() {
    let project = linked(
        r#"resource "aws_security_group" "db" {
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    cidr_blocks     = ["10.0.0.0/8", "0.0.0.0/0"]
    security_groups = [aws_security_group.app.id]
  }
}
resource "aws_security_group" "app" {}
resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}
resource "aws_db_instance" "db" {
  engine                 = "postgres"
  vpc_security_group_ids = [aws_security_group.db.id]
}
resource "aws_db_instance" "default_group" {
  engine = "postgres"
}
"#,
    );
    let Data::List(rules) = fact(&project, DB, "ingress_rules") else {
        panic!("a list");
    };
    let described: Vec<String> = rules
        .iter()
        .map(|rule| {
            let Data::Object(rule) = &rule.data else {
                panic!("rule object")
            };
            let text = |k: &str| match rule.get(k).map(|v| &v.data) {
                Some(Data::String(s)) => s.clone(),
                Some(Data::Number(n)) => n.to_string(),
                Some(Data::Link(link)) => link.target.clone(),
                _ => "-".into(),
            };
            format!(
                "{} {} {} {}-{}",
                text("source"),
                if text("cidr") == "-" {
                    text("group")
                } else {
                    text("cidr")
                },
                text("protocol"),
                text("from_port"),
                text("to_port")
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            "cidr 10.0.0.0/8 tcp 5432-5432",
            "cidr 0.0.0.0/0 tcp 5432-5432",
            "security_group aws_security_group.app tcp 5432-5432",
            "cidr ::/0 all 0-65535",
        ]
    );
    // No security group named: the VPC's default group, not known here.
    assert!(is_unknown(&fact(
        &project,
        "aws_db_instance.default_group",
        "ingress_rules"
    )));
    assert_eq!(
        fact(&project, "aws_security_group.db", "used_by_database"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(&project, "aws_security_group.app", "used_by_database"),
        Data::Bool(false)
    );
}

#[test]
fn key_policies_rotation_options_and_replication() {
    let project = linked(
        r#"variable "policy" {}
resource "aws_kms_key" "open" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }]
  })
}
resource "aws_kms_key" "default" {}
resource "aws_kms_key" "unknown" {
  policy = var.policy
}
resource "aws_secretsmanager_secret" "rotated" {}
resource "aws_secretsmanager_secret" "static" {}
resource "aws_secretsmanager_secret_rotation" "r" {
  secret_id = aws_secretsmanager_secret.rotated.id
}
resource "aws_db_option_group" "audit" {
  engine_name = "mysql"
  option {
    option_name = "MARIADB_AUDIT_PLUGIN"
  }
}
resource "aws_db_instance" "db" {
  engine            = "mysql"
  kms_key_id        = aws_kms_key.open.arn
  option_group_name = aws_db_option_group.audit.name
}
resource "aws_db_instance" "plain" {
  engine = "mysql"
}
resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.db.identifier
}
resource "aws_db_instance_automated_backups_replication" "copy" {
  source_db_instance_arn = aws_db_instance.db.arn
  kms_key_id             = aws_kms_key.open.arn
}
"#,
    );
    assert_eq!(
        fact(&project, "aws_kms_key.open", "policy_allows_anyone"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(&project, "aws_kms_key.default", "policy_allows_anyone"),
        Data::Bool(false)
    );
    assert!(is_unknown(&fact(
        &project,
        "aws_kms_key.unknown",
        "policy_allows_anyone"
    )));
    assert_eq!(
        fact(&project, "aws_kms_key.open", "used_by_database"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(&project, "aws_kms_key.default", "used_by_database"),
        Data::Bool(false)
    );
    assert_eq!(
        fact(
            &project,
            "aws_secretsmanager_secret.rotated",
            "rotation_enabled"
        ),
        Data::Bool(true)
    );
    assert_eq!(
        fact(
            &project,
            "aws_secretsmanager_secret.static",
            "rotation_enabled"
        ),
        Data::Bool(false)
    );
    assert_eq!(
        fact(&project, "aws_db_instance.replica", "is_read_replica"),
        Data::Bool(true)
    );
    assert_eq!(fact(&project, DB, "is_read_replica"), Data::Bool(false));
    // The replication encrypts its copy with the source's own storage key.
    assert_eq!(
        fact(
            &project,
            "aws_db_instance_automated_backups_replication.copy",
            "shares_storage_key"
        ),
        Data::Bool(true)
    );
}

#[test]
fn subnets_routing_to_the_internet() {
    let project = linked(
        r#"resource "aws_internet_gateway" "igw" {}
resource "aws_route_table" "public" {
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table" "private" {
  # A gateway route for a private range is not a route to the internet.
  route {
    cidr_block = "10.1.0.0/16"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_subnet" "public" {}
resource "aws_subnet" "private" {}
resource "aws_subnet" "unassociated" {}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_db_subnet_group" "public" {
  subnet_ids = [aws_subnet.private.id, aws_subnet.public.id]
}
resource "aws_db_subnet_group" "private" {
  subnet_ids = [aws_subnet.private.id]
}
resource "aws_db_subnet_group" "main_table" {
  subnet_ids = [aws_subnet.unassociated.id]
}
resource "aws_db_instance" "db" {
  db_subnet_group_name = aws_db_subnet_group.public.name
}
resource "aws_db_instance" "private" {
  db_subnet_group_name = aws_db_subnet_group.private.name
}
resource "aws_db_instance" "main_table" {
  db_subnet_group_name = aws_db_subnet_group.main_table.name
}
"#,
    );
    assert_eq!(
        fact(&project, DB, "subnet_routes_to_internet"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(
            &project,
            "aws_db_instance.private",
            "subnet_routes_to_internet"
        ),
        Data::Bool(false)
    );
    // A subnet with no association uses the VPC's main table: not known here.
    assert!(is_unknown(&fact(
        &project,
        "aws_db_instance.main_table",
        "subnet_routes_to_internet"
    )));
}

#[test]
fn credentials_in_environments() {
    let project = linked(
        r#"resource "aws_lambda_function" "f" {
  environment {
    variables = {
      DB_PASSWORD  = "hunter2"
      DATABASE_URL = "postgres://app:s3cret@db:5432/app"
      SECRET_ARN   = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"
      LOG_LEVEL    = "debug"
      PG_PASSWORD  = ""
      DB_CREDENTIALS = "app:s3cret"
      RDS_SECRET   = "s3cret-value"
      API_TOKEN    = "tok_live_abcdef"
      WEBHOOK_URL  = "https://user:pass@hooks.example.com/x"
    }
  }
}
"#,
    );
    let Data::List(found) = fact(&project, "aws_lambda_function.f", "environment_credentials")
    else {
        panic!("a list");
    };
    let mut names: Vec<String> = found
        .iter()
        .map(|entry| match &entry.data {
            Data::Object(fields) => fields["name"].as_str().unwrap().to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    names.sort();
    // An empty password is no credential; an API token and a web hook URL are other
    // services' credentials.
    assert_eq!(
        names,
        [
            "DATABASE_URL",
            "DB_CREDENTIALS",
            "DB_PASSWORD",
            "RDS_SECRET"
        ]
    );
}

/// Key policies: one statement object instead of a list; statements that deny or are
/// conditioned are never open, even when some other part of the policy is not known.
#[test]
fn key_policies_single_statements_and_partly_unknown_documents() {
    let project = linked(
        r#"data "aws_caller_identity" "me" {}
resource "aws_kms_key" "single" {
  policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\"}}"
}
resource "aws_kms_key" "deny" {
  policy = jsonencode({
    Statement = [
      { Effect = "Deny", Principal = { AWS = "*" }, Action = "kms:*", Resource = data.aws_caller_identity.me.arn },
      { Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Condition = { Bool = { x = data.aws_caller_identity.me.id } } },
      { Effect = "Allow", Principal = { AWS = aws_kms_key.single.arn }, Action = "kms:*" },
    ]
  })
}
resource "aws_kms_key" "undecided" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.me.arn }, Action = "kms:*" }]
  })
}
"#,
    );
    assert_eq!(
        fact(&project, "aws_kms_key.single", "policy_allows_anyone"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(&project, "aws_kms_key.deny", "policy_allows_anyone"),
        Data::Bool(false)
    );
    assert!(is_unknown(&fact(
        &project,
        "aws_kms_key.undecided",
        "policy_allows_anyone"
    )));
}

/// Protocols as AWS accepts them (`6`, `"6"`, `"tcp"`, `-1`, `"all"`) normalise to one
/// spelling; a source list not known is one unknown rule, never none.
#[test]
fn ingress_rule_protocols_normalise_and_unknown_sources_stay_unknown() {
    let project = linked(
        r#"variable "cidrs" {}
resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = 6
    cidr_blocks = ["10.0.0.1/32"]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "6"
    cidr_blocks = ["10.0.0.2/32"]
  }
  ingress {
    from_port   = 53
    to_port     = 53
    protocol    = "17"
    cidr_blocks = ["10.0.0.3/32"]
  }
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = -1
    cidr_blocks = ["10.0.0.4/32"]
  }
  ingress {
    from_port   = 123
    to_port     = 123
    protocol    = 17
    cidr_blocks = ["10.0.0.5/32"]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
resource "aws_db_instance" "db" {
  engine                 = "postgres"
  vpc_security_group_ids = [aws_security_group.db.id]
}
"#,
    );
    let Data::List(rules) = fact(&project, DB, "ingress_rules") else {
        panic!("a list");
    };
    let described: Vec<String> = rules
        .iter()
        .map(|rule| match &rule.data {
            Data::Object(rule) => {
                let text = |k: &str| match rule.get(k).map(|v| &v.data) {
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Number(n)) => n.to_string(),
                    _ => "-".into(),
                };
                format!(
                    "{} {} {}-{}",
                    text("cidr"),
                    text("protocol"),
                    text("from_port"),
                    text("to_port")
                )
            }
            Data::Unknown(_) => "unknown".to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        described,
        [
            "10.0.0.1/32 tcp 5432-5432",
            "10.0.0.2/32 tcp 5432-5432",
            "10.0.0.3/32 udp 53-53",
            "10.0.0.4/32 all 0-65535",
            "10.0.0.5/32 17 123-123",
            "unknown",
        ]
    );
}

/// Principals as lists and references, in documents fully known (JSON text) or partly.
#[test]
fn key_policy_principals_as_lists_and_references() {
    let project = linked(
        r#"data "aws_caller_identity" "me" {}
resource "aws_iam_role" "admin" {}
resource "aws_kms_key" "listed" {
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\", \"*\"]}, \"Action\": \"kms:*\"}]}"
}
resource "aws_kms_key" "named" {
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\"]}, \"Action\": \"kms:*\"}]}"
}
resource "aws_kms_key" "partly_listed" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = [data.aws_caller_identity.me.arn, "*"] }, Action = "kms:*" }]
  })
}
resource "aws_kms_key" "partly_referenced" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { AWS = [aws_iam_role.admin.arn] }, Action = "kms:*" },
      { Effect = "Allow", Principal = { AWS = aws_iam_role.admin.arn }, Action = "kms:*", Resource = data.aws_caller_identity.me.arn },
    ]
  })
}
resource "aws_kms_key" "partly_unknown_list" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = [aws_iam_role.admin.arn, data.aws_caller_identity.me.arn] }, Action = "kms:*" }]
  })
}
"#,
    );
    let anyone = |key: &str| {
        fact(
            &project,
            &format!("aws_kms_key.{key}"),
            "policy_allows_anyone",
        )
    };
    assert_eq!(anyone("listed"), Data::Bool(true));
    assert_eq!(anyone("named"), Data::Bool(false));
    assert_eq!(anyone("partly_listed"), Data::Bool(true));
    assert_eq!(anyone("partly_referenced"), Data::Bool(false));
    assert!(is_unknown(&anyone("partly_unknown_list")));
}

/// Every fact the documentation lists is tested here, by name.
/// Mutation-testing survivors, each a case the facts above did not pin down: a reference
/// to a resource of the wrong kind is not followed; an external `default:` option group
/// has no options while another external group is unknown; a backup key that is a
/// resource and a storage key written as an ARN are different keys; a rotation of a
/// secret outside the project says nothing about the secrets inside it; a cluster member
/// reads its engine and port from its cluster.
#[test]
fn references_of_the_wrong_kind_external_groups_and_cluster_members() {
    let project = linked(
        r#"resource "aws_db_subnet_group" "private" {
  subnet_ids = ["subnet-a"]
}
resource "aws_db_instance" "db" {
  engine                 = "mysql"
  engine_version         = "8.0.35"
  vpc_security_group_ids = [aws_db_subnet_group.private.id]
  option_group_name      = "default:mysql-8-0"
  kms_key_id             = "arn:aws:kms:eu-west-1:123456789012:key/storage"
}
resource "aws_kms_key" "backup" {}
resource "aws_db_instance_automated_backups_replication" "copy" {
  source_db_instance_arn = aws_db_instance.db.arn
  kms_key_id             = aws_kms_key.backup.arn
}
resource "aws_secretsmanager_secret" "db" {}
resource "aws_secretsmanager_secret_rotation" "elsewhere" {
  secret_id           = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-AbCdEf"
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rotate"
}
resource "aws_rds_cluster" "c" {
  engine         = "aurora-postgresql"
  engine_version = "16.4"
  port           = 5532
}
resource "aws_rds_cluster_instance" "member" {
  cluster_identifier = aws_rds_cluster.c.id
  instance_class     = "db.r6g.large"
}
resource "aws_rds_cluster_instance" "orphan" {
  cluster_identifier = aws_db_instance.db.id
  instance_class     = "db.r6g.large"
}
"#,
    );
    // A subnet group is no security group: the rules of that "group" are not known.
    let Data::List(ingress) = fact(&project, DB, "ingress_rules") else {
        panic!("ingress_rules is a list");
    };
    assert_eq!(ingress.len(), 1);
    assert!(is_unknown(&ingress[0].data), "{ingress:?}");
    assert_eq!(
        fact(
            &project,
            "aws_db_instance_automated_backups_replication.copy",
            "shares_storage_key"
        ),
        Data::Bool(false)
    );
    assert_eq!(
        fact(&project, "aws_secretsmanager_secret.db", "rotation_enabled"),
        Data::Bool(false)
    );
    let member = "aws_rds_cluster_instance.member";
    assert_eq!(
        fact(&project, member, "engine_family"),
        Data::String("aurora-postgresql".into())
    );
    assert_eq!(
        fact(&project, member, "effective_port"),
        Data::Number(5532.0)
    );
    // A cluster identifier that names no cluster: the port is not known.
    assert!(is_unknown(&fact(
        &project,
        "aws_rds_cluster_instance.orphan",
        "effective_port"
    )));
    // Two keys written as ARNs are the same key exactly when the ARNs are equal.
    let arns = linked(
        r#"resource "aws_db_instance" "db" {
  engine     = "postgres"
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/storage"
}
resource "aws_db_instance_automated_backups_replication" "same" {
  source_db_instance_arn = aws_db_instance.db.arn
  kms_key_id             = "arn:aws:kms:eu-west-1:123456789012:key/storage"
}
resource "aws_db_instance_automated_backups_replication" "other" {
  source_db_instance_arn = aws_db_instance.db.arn
  kms_key_id             = "arn:aws:kms:us-east-1:123456789012:key/backup"
}
"#,
    );
    let replication = "aws_db_instance_automated_backups_replication";
    assert_eq!(
        fact(&arns, &format!("{replication}.same"), "shares_storage_key"),
        Data::Bool(true)
    );
    assert_eq!(
        fact(&arns, &format!("{replication}.other"), "shares_storage_key"),
        Data::Bool(false)
    );
    // A standalone instance is no cluster member: its own port counts.
    assert_eq!(fact(&project, DB, "effective_port"), Data::Number(3306.0));
}

/// The commercial engines: each edition names its family, majors are the first number,
/// and each listens on its own default port.
#[test]
fn commercial_engine_families_majors_and_ports() {
    let project = linked(
        r#"resource "aws_db_instance" "mssql" {
  engine         = "sqlserver-se"
  engine_version = "15.00.4316.3.v1"
}
resource "aws_db_instance" "oracle" {
  engine         = "oracle-ee"
  engine_version = "19.0.0.0.ru-2024-01.rur-2024-01.r1"
}
resource "aws_db_instance" "custom_oracle" {
  engine = "custom-oracle-ee"
}
resource "aws_db_instance" "db2" {
  engine         = "db2-se"
  engine_version = "11.5.9.0.sb00000000.r1"
}
resource "aws_db_instance" "other" {
  engine = "neptune"
}
"#,
    );
    for (name, family, major, port) in [
        ("mssql", "sqlserver", Some(15.0), 1433.0),
        ("oracle", "oracle", Some(19.0), 1521.0),
        ("custom_oracle", "oracle", None, 1521.0),
        ("db2", "db2", Some(11.0), 50000.0),
    ] {
        let address = format!("aws_db_instance.{name}");
        assert_eq!(
            fact(&project, &address, "engine_family"),
            Data::String(family.into()),
            "{name}"
        );
        if let Some(major) = major {
            assert_eq!(
                fact(&project, &address, "engine_major_version"),
                Data::Number(major),
                "{name}"
            );
        }
        assert_eq!(
            fact(&project, &address, "default_port"),
            Data::Number(port),
            "{name}"
        );
    }
    assert!(is_unknown(&fact(
        &project,
        "aws_db_instance.other",
        "engine_family"
    )));
}

/// The engine defaults of the parameters policies read, for a database with the engine's
/// default parameter group: PostgreSQL logs no connections and no statements and loads
/// no pgAudit; MariaDB requires TLS from 11.8 on only.
#[test]
fn engine_default_parameters() {
    let project = linked(
        r#"resource "aws_db_instance" "db" {
  engine         = "postgres"
  engine_version = "16.3"
}
resource "aws_db_instance" "maria_new" {
  engine         = "mariadb"
  engine_version = "11.8.2"
}
resource "aws_db_instance" "maria_old" {
  engine         = "mariadb"
  engine_version = "10.11.9"
}
"#,
    );
    let parameter =
        |address: &str, name: &str| match fact(&project, address, "effective_parameters") {
            Data::Object(map) => map.get(name).map(|v| v.data.clone()),
            other => panic!("{other:?}"),
        };
    for (name, value) in [
        ("log_connections", "0"),
        ("log_disconnections", "0"),
        ("log_statement", "none"),
        ("pgaudit.log", "none"),
        ("shared_preload_libraries", "pg_stat_statements"),
        ("rds.force_ssl", "1"),
        ("password_encryption", "scram-sha-256"),
    ] {
        assert_eq!(
            parameter(DB, name),
            Some(Data::String(value.into())),
            "{name}"
        );
    }
    assert_eq!(
        parameter("aws_db_instance.maria_new", "require_secure_transport"),
        Some(Data::String("1".into()))
    );
    assert_eq!(
        parameter("aws_db_instance.maria_old", "require_secure_transport"),
        Some(Data::String("0".into()))
    );
    // A parameter the engine does not have is absent; with the engine or its version not
    // known, the defaults are not known either.
    assert_eq!(
        parameter("aws_db_instance.maria_old", "log_statement"),
        None
    );
    let unknown = linked(
        r#"variable "engine" {}
variable "version" {}
resource "aws_db_instance" "engine" {
  engine = var.engine
}
resource "aws_db_instance" "version" {
  engine         = "postgres"
  engine_version = var.version
}
"#,
    );
    for address in ["aws_db_instance.engine", "aws_db_instance.version"] {
        let Data::Object(map) = fact(&unknown, address, "effective_parameters") else {
            panic!("an object");
        };
        assert!(
            map.get("rds.force_ssl")
                .is_some_and(|v| is_unknown(&v.data)),
            "{address}: {map:?}"
        );
    }
}

#[test]
fn every_documented_fact_is_tested() {
    let docs = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/derived-facts.md"
    ))
    .unwrap();
    let tests = std::fs::read_to_string(file!()).unwrap();
    let facts: Vec<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    // 13 since `backups_replicated` became a `referenced_by` in BAK-007, `retired` a
    // `forbidden` policy (NET-006) and `option_names` a `follow` (LOG-005).
    assert!(facts.len() >= 13, "{facts:?}");
    for fact in facts {
        assert!(
            tests.contains(&format!("\"{fact}\"")),
            "derived fact `{fact}` has no test in tests/graph_facts.rs"
        );
    }
}

/// Databases that name the same security groups share one list of their rules: linking is
/// linear in databases plus rules, not their product (the work counted is allocations:
/// one list per set of groups, whatever the number of databases).
#[test]
fn databases_behind_the_same_groups_share_one_rule_list() {
    let mut text = String::from(
        "resource \"aws_security_group\" \"db\" {}\nresource \"aws_security_group\" \"app\" {}\n",
    );
    for i in 0..50 {
        text.push_str(&format!(
            "resource \"aws_vpc_security_group_ingress_rule\" \"r{i}\" {{\n  security_group_id = aws_security_group.db.id\n  cidr_ipv4 = \"10.0.{i}.0/24\"\n  ip_protocol = \"-1\"\n}}\n"
        ));
    }
    for i in 0..20 {
        text.push_str(&format!(
            "resource \"aws_db_instance\" \"d{i}\" {{\n  vpc_security_group_ids = [aws_security_group.db.id]\n}}\n"
        ));
    }
    text.push_str(
        "resource \"aws_db_instance\" \"both\" {\n  vpc_security_group_ids = [aws_security_group.db.id, aws_security_group.app.id]\n}\n",
    );
    let project = linked(&text);
    let list = |address: &str| match &project.resources[project.find(address).unwrap()]
        .attr("ingress_rules")
        .unwrap()
        .data
    {
        Data::List(items) => items.clone(),
        other => panic!("{address}: {other:?}"),
    };
    assert_eq!(list("aws_db_instance.d0").len(), 50);
    for i in 1..20 {
        assert!(
            std::sync::Arc::ptr_eq(
                &list("aws_db_instance.d0"),
                &list(&format!("aws_db_instance.d{i}"))
            ),
            "d{i} holds a copy of the rules"
        );
    }
    // Another set of groups is another list, with the same rules in it.
    let both = list("aws_db_instance.both");
    assert!(!std::sync::Arc::ptr_eq(&list("aws_db_instance.d0"), &both));
    assert_eq!(*both, *list("aws_db_instance.d0"));
}

/// Every attribute the graph derives is in the registry (src/graph/facts.rs) for the kind it is
/// on, so policies can read it and the docs list it: linked on the bundled examples and the
/// CDK corpus, every derived value is a registered fact.
#[test]
fn every_derived_attribute_is_registered() {
    let run = common::scan(&["testdata", "../shared/corpus"]);
    let mut seen = std::collections::BTreeSet::new();
    for resource in run.scanned.projects.iter().flat_map(|p| &p.resources) {
        let Some(kind) = resource.kind else { continue };
        for (name, value) in &resource.attrs {
            if matches!(value.provenance, rampart::ir::Provenance::Derived) {
                assert!(
                    rampart::graph::facts::is_derived(kind, name),
                    "{} on {}: derived but not in src/graph/facts.rs",
                    name,
                    kind.as_str()
                );
                seen.insert(name.clone());
            }
        }
    }
    assert!(seen.len() >= 10, "{seen:?}");
}

/// The registry drives linking: every fact of src/graph/facts.rs is computed on every kind
/// it names, even on a resource that sets nothing, with one value per name.
#[test]
fn every_registered_fact_is_computed_on_each_of_its_kinds() {
    let mut text = String::new();
    let mut expected = Vec::new();
    for fact in rampart::graph::facts::FACTS {
        for &kind in fact.kinds {
            let resource_type = kind.terraform_types()[0];
            let address = format!("{resource_type}.bare");
            if !expected.iter().any(|(a, _)| a == &address) {
                text.push_str(&format!("resource \"{resource_type}\" \"bare\" {{}}\n"));
            }
            for &name in fact.names {
                expected.push((address.clone(), name));
            }
        }
    }
    let project = linked(&text);
    for (address, name) in &expected {
        let resource = project
            .resources
            .iter()
            .find(|r| &r.address == address)
            .unwrap_or_else(|| panic!("no resource {address}"));
        assert!(resource.attr(name).is_some(), "{address} has no {name}");
    }
    assert!(expected.len() >= 30, "{}", expected.len());
}
