//! `cargo bench`: generates a realistic Terraform tree (default 10 MB; set
//! RAMPART_BENCH_MB) in a temporary directory and reports files/s, MB/s, the split between
//! discovery, parsing, lowering + linking, evaluation and reporting, and peak RSS.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use rampart::app;
use rampart::config::Config;
use rampart::report::{Report, sarif};
use rampart::scan::{ScanInput, scan};

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
        index += 1;
    }
    (dir, files, bytes)
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

fn main() {
    let megabytes: usize = std::env::var("RAMPART_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let (dir, files, bytes) = generate(megabytes * 1024 * 1024);
    let config = Config::default();
    let policies = app::load_policies(&config, &[], &[], &[]).expect("policies");

    let started = Instant::now();
    let paths = [dir.path().to_path_buf()];
    let scanned = scan(&ScanInput {
        paths: &paths,
        exclude: &[],
        var_files: &[],
        vars: &[],
        root: dir.path(),
    })
    .expect("scan");
    let scanned_at = Instant::now();
    let findings = policies.evaluate(&scanned.projects, &scanned.sources);
    let evaluated_at = Instant::now();
    let report = Report {
        sources: &scanned.sources,
        policies: &policies,
        findings: &findings,
        errors: &scanned.errors,
        notices: &scanned.notices,
        files_scanned: scanned.sources.scanned_count(),
        suppressions: &[],
    };
    let sarif_text = sarif::render(&report, None, "rampart");
    let reported_at = Instant::now();

    let total = reported_at - started;
    let evaluate = evaluated_at - scanned_at;
    let report_time = reported_at - evaluated_at;
    let mb = bytes as f64 / 1024.0 / 1024.0;
    let resources: usize = scanned.projects.iter().map(|p| p.resources.len()).sum();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {files} files, {mb:.1} MB, {resources} resources, {} modules",
        scanned.projects.len()
    );
    println!("threads: {}", rayon::current_num_threads());
    println!(
        "findings: {} ({} bytes of SARIF)",
        findings.len(),
        sarif_text.len()
    );
    println!("| phase | ms | share |");
    println!("|---|---:|---:|");
    // Parsing and linking run interleaved on all workers: split their wall time by the
    // CPU time each took.
    let pipeline = scanned.timings.wall - scanned.timings.discover;
    let cpu = (scanned.timings.parse + scanned.timings.link)
        .as_secs_f64()
        .max(1e-9);
    let parse_share = scanned.timings.parse.as_secs_f64() / cpu;
    for (name, duration) in [
        ("discover", scanned.timings.discover),
        ("read + parse", pipeline.mul_f64(parse_share)),
        ("lower + link", pipeline.mul_f64(1.0 - parse_share)),
        ("evaluate", evaluate),
        ("report (SARIF)", report_time),
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
