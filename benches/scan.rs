//! `cargo bench`: generates a realistic tree (Terraform modules calling a shared module,
//! CloudFormation YAML and JSON, Pulumi exports; default 10 MB, set RAMPART_BENCH_MB;
//! RAMPART_BENCH_LARGE=1 adds a plan of about 80 MB and a 20 MB template) in a temporary directory and reports files/s, MB/s, the split between
//! discovery, parsing, lowering + linking, evaluation and reporting, and peak RSS.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use rampart::app;
use rampart::config::Config;
use rampart::report::{Report, sarif};
use rampart::scan::{ScanInput, scan};

/// The allocator the binary uses, so the figures match `rampart scan`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One module: variables, locals, a KMS key, parameter group, security group with rules,
/// an instance, a cluster and its instances, in the shapes real modules use.
fn module(index: usize) -> String {
    let mut text = String::new();
    let engine = ["postgres", "mysql", "mariadb"][index % 3];
    let port = if engine == "postgres" { 5432 } else { 3306 };
    let _ = write!(
        text,
        r#"variable "name" {{
  type    = string
  default = "svc-{index}"
}}

variable "password" {{
  type      = string
  sensitive = true
}}

variable "retention" {{
  default = {retention}
}}

locals {{
  identifier = "${{var.name}}-db"
  tags = {{
    Service = var.name
    Index   = "{index}"
  }}
  encrypted = {encrypted}
}}

resource "aws_kms_key" "db" {{
  description         = "key for ${{var.name}}"
  enable_key_rotation = {rotation}
}}

resource "aws_db_parameter_group" "db" {{
  name   = "${{local.identifier}}-params"
  family = "{engine}14"

  parameter {{
    name  = "{tls_param}"
    value = "{tls_value}"
  }}

  parameter {{
    name         = "log_connections"
    value        = "1"
    apply_method = "pending-reboot"
  }}
}}

resource "aws_security_group" "db" {{
  name        = "${{local.identifier}}-sg"
  description = "database access"
  vpc_id      = "vpc-123456"

  ingress {{
    description     = "from the application"
    from_port       = {port}
    to_port         = {port}
    protocol        = "tcp"
    security_groups = ["sg-0123456789abcdef0"]
  }}

  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}

resource "aws_security_group_rule" "extra" {{
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  from_port         = 0
  to_port           = 65535
  protocol          = "-1"
  cidr_blocks       = ["10.{octet}.0.0/16"]
}}

resource "aws_db_instance" "db" {{
  identifier                          = local.identifier
  engine                              = "{engine}"
  engine_version                      = "{version}"
  instance_class                      = "db.t3.medium"
  allocated_storage                   = 20
  storage_encrypted                   = local.encrypted
  kms_key_id                          = aws_kms_key.db.arn
  username                            = "{user}"
  password                            = var.password
  parameter_group_name                = aws_db_parameter_group.db.name
  vpc_security_group_ids              = [aws_security_group.db.id]
  backup_retention_period             = var.retention
  deletion_protection                 = {deletion}
  iam_database_authentication_enabled = true
  skip_final_snapshot                 = false
  publicly_accessible                 = false
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  tags                                = local.tags
}}

resource "aws_rds_cluster" "db" {{
  cluster_identifier      = "${{local.identifier}}-cluster"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  master_username         = "app_admin_{index}"
  manage_master_user_password = true
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.db.arn
  backup_retention_period = 14
  deletion_protection     = true
  vpc_security_group_ids  = [aws_security_group.db.id]
}}

resource "aws_rds_cluster_instance" "db" {{
  identifier          = "${{local.identifier}}-1"
  cluster_identifier  = aws_rds_cluster.db.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = false
}}

output "endpoint" {{
  value = aws_db_instance.db.endpoint
}}

module "replica" {{
  source               = "../../shared/db"
  name                 = "${{local.identifier}}-replica"
  encrypted            = local.encrypted
  security_group_ids   = [aws_security_group.db.id]
  retention            = var.retention
}}
"#,
        retention = [1, 7, 35][index % 3],
        encrypted = index.is_multiple_of(2),
        rotation = !index.is_multiple_of(4),
        tls_param = if engine == "postgres" {
            "rds.force_ssl"
        } else {
            "require_secure_transport"
        },
        tls_value = index % 2,
        cidr = if index.is_multiple_of(5) {
            "0.0.0.0/0"
        } else {
            "10.0.0.0/8"
        },
        octet = index % 256,
        version = if engine == "postgres" {
            "14.9"
        } else {
            "8.0.35"
        },
        user = ["admin", "app_owner", "root"][index % 3],
        deletion = index % 2 == 1,
    );
    text
}

/// Writes the corpus into a temporary directory, or into RAMPART_BENCH_DIR (kept, for
/// timing the whole binary with `hyperfine 'rampart scan DIR'`).
fn generate(target_bytes: usize) -> (Corpus, usize, usize) {
    let dir = match std::env::var_os("RAMPART_BENCH_DIR") {
        Some(path) => {
            std::fs::create_dir_all(&path).unwrap();
            Corpus::Kept(PathBuf::from(path))
        }
        None => Corpus::Temporary(tempfile::tempdir().expect("temp dir")),
    };
    let shared = dir.path().join("shared/db");
    std::fs::create_dir_all(&shared).unwrap();
    let shared_text = r#"variable "name" {}
variable "encrypted" { default = true }
variable "security_group_ids" { default = [] }
variable "retention" { default = 7 }

resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  engine_version          = "16.3"
  storage_encrypted       = var.encrypted
  vpc_security_group_ids  = var.security_group_ids
  backup_retention_period = var.retention
}
"#;
    std::fs::write(shared.join("main.tf"), shared_text).unwrap();
    let mut bytes = shared_text.len();
    let mut files = 1;
    let mut index = 0;
    while bytes < target_bytes {
        let module_dir: PathBuf = dir.path().join(format!("team-{}/svc-{index}", index % 50));
        std::fs::create_dir_all(&module_dir).unwrap();
        let text = module(index);
        // Split like real modules: variables, main, outputs.
        let split = text.find("resource \"aws_kms_key\"").unwrap();
        std::fs::write(module_dir.join("variables.tf"), &text[..split]).unwrap();
        std::fs::write(module_dir.join("main.tf"), &text[split..]).unwrap();
        bytes += text.len();
        files += 2;
        // Every tenth service also ships CloudFormation (YAML and JSON) and a Pulumi export.
        if index.is_multiple_of(10) {
            for (name, text) in [
                ("template.yaml", cloudformation_yaml(index)),
                ("template.json", cloudformation_json(index)),
                ("stack.json", pulumi_export(index)),
            ] {
                std::fs::write(module_dir.join(name), &text).unwrap();
                bytes += text.len();
                files += 1;
            }
        }
        index += 1;
    }
    // RAMPART_BENCH_LARGE=1 adds the very large files a monorepo also has.
    if std::env::var_os("RAMPART_BENCH_LARGE").is_some() {
        let large = dir.path().join("large");
        std::fs::create_dir_all(&large).unwrap();
        for (name, text) in [
            ("plan.json", large_plan(50 * 1024 * 1024)),
            ("big.template.yaml", large_template(20 * 1024 * 1024)),
        ] {
            std::fs::write(large.join(name), &text).unwrap();
            bytes += text.len();
            files += 1;
        }
    }
    (dir, files, bytes)
}

fn cloudformation_yaml(index: usize) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Password:
    Type: String
    NoEcho: true
Conditions:
  IsProd: !Equals [!Ref "AWS::StackName", prod]
Resources:
  Params:
    Type: AWS::RDS::DBParameterGroup
    Properties:
      Family: postgres14
      Description: service {index}
      Parameters:
        rds.force_ssl: {tls}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.{octet}.0.0/16
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      DBInstanceIdentifier: !Sub "${{AWS::StackName}}-db-{index}"
      Engine: postgres
      EngineVersion: "14.10"
      DBInstanceClass: !If [IsProd, db.r6g.large, db.t3.medium]
      StorageEncrypted: {encrypted}
      MasterUsername: svc_{index}
      MasterUserPassword: !Ref Password
      DBParameterGroupName: !Ref Params
      VPCSecurityGroups: [!GetAtt Sg.GroupId]
      BackupRetentionPeriod: 7
"#,
        tls = index % 2,
        octet = index % 256,
        encrypted = !index.is_multiple_of(3),
    )
}

fn cloudformation_json(index: usize) -> String {
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Cluster": {"Type": "AWS::RDS::DBCluster", "Properties": {
                "Engine": "aurora-mysql", "StorageEncrypted": !index.is_multiple_of(4),
                "MasterUsername": "admin", "ManageMasterUserPassword": true,
                "BackupRetentionPeriod": index % 30, "DeletionProtection": true}},
            "Writer": {"Type": "AWS::RDS::DBInstance", "Properties": {
                "DBClusterIdentifier": {"Ref": "Cluster"}, "Engine": "aurora-mysql",
                "DBInstanceClass": "db.r6g.large", "PubliclyAccessible": index.is_multiple_of(7)}}
        }
    });
    serde_json::to_string_pretty(&template).unwrap()
}

fn pulumi_export(index: usize) -> String {
    let stack = "urn:pulumi:prod::svc::pulumi:pulumi:Stack::svc-prod";
    let export = serde_json::json!({"version": 3, "deployment": {"manifest": {"version": "v3.137.0"}, "resources": [
        {"urn": stack, "custom": false, "type": "pulumi:pulumi:Stack"},
        {"urn": format!("urn:pulumi:prod::svc::aws:rds/instance:Instance::db-{index}"), "custom": true,
         "id": format!("db-{index}"), "type": "aws:rds/instance:Instance", "parent": stack,
         "inputs": {"engine": "mysql", "engineVersion": "8.0.35", "instanceClass": "db.t3.medium",
                    "storageEncrypted": index.is_multiple_of(2), "publiclyAccessible": false,
                    "password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:x"}},
         "outputs": {"id": format!("db-{index}")}, "propertyDependencies": {}}
    ]}});
    serde_json::to_string_pretty(&export).unwrap()
}

/// A `terraform show -json` plan of about `target` bytes.
fn large_plan(target: usize) -> String {
    let mut changes = Vec::new();
    let mut size = 0;
    let mut i: usize = 0;
    while size < target {
        let change = serde_json::json!({
            "address": format!("module.svc[{i}].aws_db_instance.this"), "mode": "managed",
            "type": "aws_db_instance", "name": "this", "index": i,
            "change": {"actions": ["create"], "before": null,
                // Hardened, but one in a thousand unencrypted: large files are mostly fine.
                "after": {"engine": "postgres", "engine_version": "16.3",
                          "storage_encrypted": !i.is_multiple_of(1000), "kms_key_id": "arn:aws:kms:eu-west-1:1:key/k",
                          "publicly_accessible": false, "backup_retention_period": 35, "identifier": format!("svc-{i}"),
                          "iam_database_authentication_enabled": true, "deletion_protection": true, "multi_az": true,
                          "copy_tags_to_snapshot": true, "monitoring_interval": 60, "performance_insights_enabled": true,
                          "performance_insights_kms_key_id": "arn:aws:kms:eu-west-1:1:key/k", "port": 5433,
                          "db_subnet_group_name": "private", "parameter_group_name": "default.postgres16",
                          "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"], "username": "svc_owner",
                          "manage_master_user_password": true},
                "after_unknown": {"id": true, "arn": true, "endpoint": true},
                "after_sensitive": {"password": true}}
        });
        size += change.to_string().len() + 8;
        changes.push(change);
        i += 1;
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {}}, "resource_changes": changes,
    }))
    .unwrap()
}

/// A CloudFormation template of about `target` bytes.
fn large_template(target: usize) -> String {
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    let mut i: usize = 0;
    while text.len() < target {
        text.push_str(&format!(
            "  Db{i}:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      EngineVersion: \"8.0.35\"\n      StorageEncrypted: {}\n      KmsKeyId: arn:aws:kms:eu-west-1:1:key/k\n      PubliclyAccessible: false\n      EnableIAMDatabaseAuthentication: true\n      DeletionProtection: true\n      BackupRetentionPeriod: 35\n      MultiAZ: true\n      CopyTagsToSnapshot: true\n      MonitoringInterval: 60\n      Port: 3307\n      DBSubnetGroupName: private\n      ManageMasterUserPassword: true\n      MasterUsername: svc_owner\n      EnableCloudwatchLogsExports: [audit, error, general, slowquery]\n",
            !i.is_multiple_of(1000)
        ));
        i += 1;
    }
    text
}

enum Corpus {
    Temporary(tempfile::TempDir),
    Kept(PathBuf),
}

impl Corpus {
    fn path(&self) -> &std::path::Path {
        match self {
            Corpus::Temporary(dir) => dir.path(),
            Corpus::Kept(path) => path,
        }
    }
}

/// A writer that only counts.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// One timed scan: the phases as `rampart scan --format sarif` runs them.
struct Run {
    timings: rampart::scan::Timings,
    evaluate: std::time::Duration,
    report: std::time::Duration,
    total: std::time::Duration,
    findings: usize,
    sarif_bytes: usize,
    resources: usize,
    projects: usize,
    work: u64,
    errors: usize,
}

fn run(dir: &std::path::Path, policies: &rampart::policy::PolicySet) -> Run {
    let started = Instant::now();
    let paths = [dir.to_path_buf()];
    let scanned = scan(&ScanInput {
        paths: &paths,
        exclude: &[],
        var_files: &[],
        vars: &[],
        root: dir,
        limits: Default::default(),
        signatures: rampart::signatures::Catalog::shared(),
    })
    .expect("scan");
    let scanned_at = Instant::now();
    // Bounded as `rampart scan` bounds it: a project over the findings limit is an error.
    let evaluation = policies.evaluate_within(
        &scanned.projects,
        &scanned.sources,
        rampart::parse::budget::Limits::default().max_findings(),
    );
    let findings = evaluation.findings;
    let evaluated_at = Instant::now();
    let report = Report {
        sources: &scanned.sources,
        policies,
        findings: &findings,
        errors: &scanned.errors,
        notices: &scanned.notices,
        files_scanned: scanned.sources.scanned_count(),
        suppressions: &[],
        config: None,
        unanalysed_is_error: false,
        annotate_from: None,
        not_blocking: 0,
    };
    // Streamed like `rampart scan --format sarif`, counting the bytes instead of keeping them.
    let mut sarif_out = ByteCount(0);
    sarif::write(&mut sarif_out, &report, None, "rampart").expect("sarif");
    let reported_at = Instant::now();
    let resources = scanned.projects.iter().map(|p| p.resources.len()).sum();
    let measured = Run {
        timings: scanned.timings,
        evaluate: evaluated_at - scanned_at,
        report: reported_at - evaluated_at,
        total: reported_at - started,
        findings: findings.len(),
        sarif_bytes: sarif_out.0,
        resources,
        projects: scanned.projects.len(),
        work: scanned.work,
        errors: scanned.errors.len() + evaluation.over_limit.len(),
    };
    // Freed off the clock (the binary frees on a detached thread), before the next run.
    drop((scanned, findings));
    measured
}

/// Inputs whose work once grew faster than their size (issue: hostile input, round two).
/// Each is scanned on its own; the row shows its size, time, findings and evaluator work.
fn hostile_shapes() -> Vec<(&'static str, String, String)> {
    let mut shapes = Vec::new();
    // A minified template (one line, non-ASCII) with thousands of findings.
    let resources: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "\"Db{i}\":{{\"Type\":\"AWS::RDS::DBInstance\",\"Properties\":{{\"Engine\":\"postgres\",\"DBName\":\"é€db\",\"StorageEncrypted\":false}}}}"
            )
        })
        .collect();
    shapes.push((
        "minified template, 3,000 databases",
        "min.json".to_string(),
        format!(
            "{{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{{{}}}}}",
            resources.join(",")
        ),
    ));
    // Many databases sharing one group with many rule resources.
    let mut shared = String::from("resource \"aws_security_group\" \"shared\" {}\n");
    for i in 0..300 {
        shared.push_str(&format!(
            "resource \"aws_security_group_rule\" \"r{i}\" {{\n  type = \"ingress\"\n  security_group_id = aws_security_group.shared.id\n  from_port = 5432\n  to_port = 5432\n  protocol = \"tcp\"\n  cidr_blocks = [\"10.0.{}.0/24\"]\n}}\n",
            i % 250
        ));
        shared.push_str(&format!(
            "resource \"aws_db_instance\" \"d{i}\" {{\n  vpc_security_group_ids = [aws_security_group.shared.id]\n}}\n"
        ));
    }
    shapes.push((
        "300 databases x 300 shared rules",
        "main.tf".to_string(),
        shared,
    ));
    // The same at 1,000 x 1,000, every rule open to the world on all ports: a million true
    // (database, rule) findings of NET-004 and NET-005 each.
    let mut world = String::from("resource \"aws_security_group\" \"shared\" {}\n");
    for i in 0..1000 {
        world.push_str(&format!(
            "resource \"aws_vpc_security_group_ingress_rule\" \"r{i}\" {{\n  security_group_id = aws_security_group.shared.id\n  cidr_ipv4 = \"0.0.0.0/0\"\n  ip_protocol = \"-1\"\n}}\n"
        ));
        world.push_str(&format!(
            "resource \"aws_db_instance\" \"d{i}\" {{\n  engine = \"postgres\"\n  vpc_security_group_ids = [aws_security_group.shared.id]\n}}\n"
        ));
    }
    shapes.push((
        "1,000 databases x 1,000 shared world-open rules",
        "main.tf".to_string(),
        world,
    ));
    // Locals that double at every level (stops at the work budget).
    let mut doubling = String::from("locals {\n  l0 = \"xx\"\n");
    for i in 0..40 {
        doubling.push_str(&format!(
            "  l{} = \"${{local.l{i}}}${{local.l{i}}}\"\n",
            i + 1
        ));
    }
    doubling.push_str("}\nresource \"aws_db_instance\" \"x\" {\n  identifier = local.l40\n}\n");
    shapes.push(("locals doubling 40 times", "main.tf".to_string(), doubling));
    // A chain of 10,000 locals.
    let mut chain = String::from("locals {\n");
    for i in 0..10_000 {
        chain.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    chain.push_str("  l10000 = false\n}\nresource \"aws_db_instance\" \"x\" {\n  storage_encrypted = local.l0\n}\n");
    shapes.push(("chain of 10,000 locals", "main.tf".to_string(), chain));
    // 10,000 chained CloudFormation conditions.
    let mut conditions = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nConditions:\n");
    for i in 0..10_000 {
        conditions.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i + 1));
    }
    conditions.push_str("  C10000: !Equals [a, a]\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Condition: C0\n    Properties:\n      StorageEncrypted: false\n");
    shapes.push((
        "10,000 chained conditions",
        "t.yaml".to_string(),
        conditions,
    ));
    shapes
}

/// One project of `databases` databases, each with its own security group and rules,
/// parameter group, subnet group, subnets and route, as a monorepo's root
/// module would hold them.
fn linking_project(databases: usize) -> String {
    let mut text = String::from(
        "resource \"aws_internet_gateway\" \"igw\" {}\nresource \"aws_route_table\" \"public\" {}\n\
         resource \"aws_route\" \"out\" {\n  route_table_id = aws_route_table.public.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  gateway_id = aws_internet_gateway.igw.id\n}\n",
    );
    for i in 0..databases {
        let _ = write!(
            text,
            r#"resource "aws_security_group" "sg{i}" {{}}
resource "aws_vpc_security_group_ingress_rule" "app{i}" {{
  security_group_id            = aws_security_group.sg{i}.id
  referenced_security_group_id = aws_security_group.sg{i}.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}}
resource "aws_vpc_security_group_egress_rule" "out{i}" {{
  security_group_id = aws_security_group.sg{i}.id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "-1"
}}
resource "aws_db_parameter_group" "pg{i}" {{
  family = "postgres16"
  parameter {{
    name  = "rds.force_ssl"
    value = "1"
  }}
}}
resource "aws_subnet" "a{i}" {{}}
resource "aws_subnet" "b{i}" {{}}
resource "aws_route_table_association" "a{i}" {{
  subnet_id      = aws_subnet.a{i}.id
  route_table_id = aws_route_table.public.id
}}
resource "aws_db_subnet_group" "sn{i}" {{
  subnet_ids = [aws_subnet.a{i}.id, aws_subnet.b{i}.id]
}}
resource "aws_db_instance" "db{i}" {{
  engine                 = "postgres"
  engine_version         = "16.3"
  parameter_group_name   = aws_db_parameter_group.pg{i}.name
  db_subnet_group_name   = aws_db_subnet_group.sn{i}.name
  vpc_security_group_ids = [aws_security_group.sg{i}.id]
}}
"#
        );
    }
    text
}

/// Link time (`graph::link` alone) of one project as it grows: linear linking keeps the
/// time per database flat.
fn bench_linking() {
    println!("| databases in one project | resources | link ms | µs per database |");
    println!("|---:|---:|---:|---:|");
    for databases in [1000, 4000] {
        let text = linking_project(databases);
        let parsed = rampart::parse::terraform::parse_file(0, "main.tf", &text)
            .expect("generated project parses");
        let lowered = rampart::parse::terraform::lower_module("link".into(), &[parsed]);
        let best = (0..3)
            .map(|_| {
                let mut project = lowered.clone();
                let start = Instant::now();
                rampart::graph::link(&mut project);
                (start.elapsed(), project.resources.len())
            })
            .min()
            .expect("three runs");
        println!(
            "| {databases} | {} | {:.1} | {:.1} |",
            best.1,
            best.0.as_secs_f64() * 1000.0,
            best.0.as_secs_f64() * 1e6 / databases as f64
        );
    }
}

fn bench_hostile_shapes(policies: &rampart::policy::PolicySet) {
    println!("| hostile shape | input KB | ms | findings | errors | work units |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, file, text) in hostile_shapes() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join(file), &text).expect("shape written");
        let measured = run(dir.path(), policies);
        println!(
            "| {name} | {:.0} | {:.1} | {} | {} | {} |",
            text.len() as f64 / 1024.0,
            measured.total.as_secs_f64() * 1000.0,
            measured.findings,
            measured.errors,
            measured.work
        );
    }
}

fn main() {
    let megabytes: usize = std::env::var("RAMPART_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let runs: usize = std::env::var("RAMPART_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let (dir, files, bytes) = generate(megabytes * 1024 * 1024);
    let config = Config::default();
    let policies = app::load_policies(&config, &[], &[], &[]).expect("policies");
    bench_hostile_shapes(&policies);
    bench_linking();

    // The fastest of a few runs: the first also pays for the freshly written corpus.
    let best = (0..runs)
        .map(|_| run(dir.path(), &policies))
        .min_by_key(|r| r.total)
        .expect("at least one run");
    let total = best.total;
    let mb = bytes as f64 / 1024.0 / 1024.0;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {files} files, {mb:.1} MB, {} resources, {} modules",
        best.resources, best.projects
    );
    println!(
        "threads: {}; best of {runs} runs",
        rayon::current_num_threads()
    );
    println!(
        "findings: {} ({} bytes of SARIF)",
        best.findings, best.sarif_bytes
    );
    println!("| phase | ms | share |");
    println!("|---|---:|---:|");
    // Front ends and linking each run on all workers: split their wall time by the CPU
    // time each took (lowering is the front ends'; merging is too short to show).
    let timings = best.timings;
    let pipeline = timings.wall - timings.discover;
    let cpu = (timings.parse + timings.link).as_secs_f64().max(1e-9);
    let parse_share = timings.parse.as_secs_f64() / cpu;
    for (name, duration) in [
        ("discover", timings.discover),
        ("read + parse + lower", pipeline.mul_f64(parse_share)),
        ("link", pipeline.mul_f64(1.0 - parse_share)),
        ("evaluate", best.evaluate),
        ("report (SARIF)", best.report),
    ] {
        println!(
            "| {name} | {:.1} | {:.1} % |",
            ms(duration),
            100.0 * duration.as_secs_f64() / total.as_secs_f64()
        );
    }
    println!("| total | {:.1} | |", ms(total));
    println!(
        "throughput: {:.1} MB/s, {:.0} files/s; peak RSS {:.0} MB",
        mb / total.as_secs_f64(),
        files as f64 / total.as_secs_f64(),
        peak_rss_mb()
    );
}
