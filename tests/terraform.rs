//! Terraform in depth: modules, tfvars, count/for_each, dynamic blocks, notices.

mod common;

use std::collections::BTreeSet;

use common::{expected_marks, root, scan};

/// `(file, line, id, resource)` of the findings of `ids`.
fn findings(paths: &[&str], ids: &[&str]) -> BTreeSet<(String, usize, String, String)> {
    let run = scan(paths);
    run.findings
        .iter()
        .filter(|f| ids.contains(&run.policies.policies[f.policy].id.as_str()))
        .map(|f| {
            let file = run.scanned.sources.get(f.span.file);
            (
                file.display.clone(),
                file.position(f.span.start as usize).line,
                run.policies.policies[f.policy].id.clone(),
                f.address.clone(),
            )
        })
        .collect()
}

fn set(items: &[(&str, usize, &str, &str)]) -> BTreeSet<(String, usize, String, String)> {
    items
        .iter()
        .map(|(f, l, i, a)| (f.to_string(), *l, i.to_string(), a.to_string()))
        .collect()
}

#[test]
fn a_module_called_twice_is_flagged_at_the_insecure_callers_arguments() {
    let live = "testdata/terraform/modules/live";
    let actual = findings(&[live], &["ENC-001", "NET-001", "BAK-001", "KMS-001"]);
    assert_eq!(
        actual,
        set(&[
            (
                "testdata/terraform/modules/live/main.tf",
                22,
                "ENC-001",
                "module.reporting.aws_db_instance.this"
            ),
            // The value came from terraform.tfvars through the caller's argument.
            (
                "testdata/terraform/modules/live/terraform.tfvars",
                1,
                "NET-001",
                "module.reporting.aws_db_instance.this"
            ),
        ])
    );
    // The marks in the fixture say the same.
    for file in ["main.tf", "terraform.tfvars"] {
        let path = root().join(live).join(file);
        for (line, id) in expected_marks(&path) {
            assert!(
                actual
                    .iter()
                    .any(|(f, l, i, _)| f.ends_with(file) && *l == line && *i == id),
                "{file}:{line} {id}"
            );
        }
    }
}

#[test]
fn module_findings_carry_the_call_chain_and_value_hops() {
    let run = scan(&["testdata/terraform/modules/live"]);
    let finding = run
        .findings
        .iter()
        .find(|f| run.policies.policies[f.policy].id == "NET-001")
        .expect("NET-001");
    let calls: Vec<&str> = finding.call_chain.iter().map(|h| h.via.as_str()).collect();
    assert_eq!(calls, ["module.reporting"]);
    let call_line = run.scanned.sources.start(finding.call_chain[0].span).line;
    assert_eq!(call_line, 19, "points at the module block");
    let hops: Vec<&str> = finding.chain.iter().map(|h| h.via.as_str()).collect();
    assert_eq!(
        hops,
        [
            "var.publicly_accessible of module.reporting",
            "var.reporting_public of the root module"
        ]
    );
}

#[test]
fn a_called_module_is_not_a_root_but_scanned_alone_reports_its_defaults() {
    let both = findings(&["testdata/terraform/modules"], &["BAK-001"]);
    assert!(both.is_empty(), "callers set 35 days: {both:?}");
    let alone = findings(
        &["testdata/terraform/modules/modules/postgres"],
        &["BAK-001"],
    );
    assert_eq!(
        alone,
        set(&[(
            "testdata/terraform/modules/modules/postgres/main.tf",
            14,
            "BAK-001",
            "aws_db_instance.this"
        )])
    );
}

#[test]
fn remote_modules_are_never_fetched_and_get_a_note() {
    let run = scan(&["testdata/terraform/modules/live"]);
    assert_eq!(run.scanned.notices.len(), 1);
    let notice = &run.scanned.notices[0];
    assert!(notice.message.contains("module.vpc"), "{}", notice.message);
    assert!(notice.message.contains("not analysed"));
    assert_eq!(run.scanned.sources.start(notice.span.unwrap()).line, 30);
    assert!(run.scanned.errors.is_empty());
}

#[test]
fn count_and_for_each_make_one_resource_per_known_instance() {
    let actual = findings(&["testdata/terraform/multiplicity"], &["ENC-001"]);
    assert_eq!(
        actual,
        set(&[
            (
                "testdata/terraform/multiplicity/main.tf",
                15,
                "ENC-001",
                "aws_db_instance.counted[1]"
            ),
            (
                "testdata/terraform/multiplicity/main.tf",
                32,
                "ENC-001",
                "aws_db_instance.per_replica[\"legacy\"]"
            ),
        ])
    );
    let run = scan(&["testdata/terraform/multiplicity"]);
    let addresses: Vec<&str> = run.scanned.projects[0]
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_db_instance.counted[0]",
            "aws_db_instance.counted[1]",
            "aws_db_instance.per_replica[\"legacy\"]",
            "aws_db_instance.per_replica[\"primary\"]",
            "aws_db_instance.sharded[*]",
        ],
        "count = 0 makes none; an unknown count makes one with an unknown key"
    );
}

#[test]
fn dynamic_blocks_expand_over_known_collections() {
    let actual = findings(&["testdata/terraform/dynamic"], &["NET-004"]);
    assert_eq!(
        actual,
        set(&[(
            "testdata/terraform/dynamic/main.tf",
            17,
            "NET-004",
            "aws_db_instance.db"
        )])
    );
}

#[test]
fn tfvars_override_defaults_in_load_order() {
    let actual = findings(&["testdata/terraform/tfvars"], &["BAK-001", "ENC-001"]);
    assert_eq!(
        actual,
        set(&[
            (
                "testdata/terraform/tfvars/override.auto.tfvars",
                1,
                "BAK-001",
                "aws_db_instance.db"
            ),
            // terraform.tfvars.json overrides terraform.tfvars.
            (
                "testdata/terraform/tfvars/terraform.tfvars.json",
                2,
                "ENC-001",
                "aws_db_instance.db"
            ),
        ])
    );
}

#[test]
fn command_line_vars_and_var_files_apply_to_roots() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "scan",
            "testdata/terraform/tfvars",
            "--select",
            "ENC-001,BAK-001",
            "--format",
            "json",
            "--var",
            "encrypted=false",
            "--var",
            "retention=30",
        ])
        .current_dir(root())
        .output()
        .map(common::not_crashed)
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("ENC-001".to_string(), "(command line)".to_string())]
    );
}

#[test]
fn cycles_among_locals_are_notices_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted = local.a\n}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert!(
        run.scanned
            .notices
            .iter()
            .any(|n| n.message.contains("cycle")),
        "{:?}",
        run.scanned.notices
    );
    assert!(
        !run.hits().iter().any(|(_, _, id)| id == "ENC-001"),
        "a cyclic value is unknown"
    );
}

#[test]
fn a_module_that_calls_itself_is_reported_once_and_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"again\" {\n  source = \"./\"\n}\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert!(
        run.scanned
            .notices
            .iter()
            .any(|n| n.message.contains("calls itself")),
        "{:?}",
        run.scanned.notices
    );
    let enc: Vec<_> = run
        .hits()
        .into_iter()
        .filter(|(_, _, id)| id == "ENC-001")
        .collect();
    assert_eq!(enc.len(), 1);
}

#[test]
fn a_chain_of_seventy_modules_is_analysed_64_deep_and_the_rest_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for level in 0..70 {
        let module = dir.path().join(format!("m{level}"));
        std::fs::create_dir(&module).unwrap();
        std::fs::write(
            module.join("main.tf"),
            format!(
                "module \"next\" {{\n  source = \"../m{}\"\n}}\nresource \"aws_db_instance\" \"level{level}\" {{\n  storage_encrypted = false\n}}\n",
                level + 1
            ),
        )
        .unwrap();
    }
    let run = scan(&[dir.path().join("m0").to_str().unwrap()]);
    let deepest = run
        .scanned
        .projects
        .iter()
        .flat_map(|p| &p.resources)
        .filter_map(|r| r.name.strip_prefix("level"))
        .filter_map(|n| n.parse::<usize>().ok())
        .max();
    assert_eq!(deepest, Some(63), "64 levels of modules, the root included");
    let messages: Vec<&str> = run
        .scanned
        .notices
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("nested more than 64 modules deep")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("calls itself")),
        "{messages:?}"
    );
}

/// Terraform idioms that used to read as unknown: `"${x}"` alone is `x` (a link stays a
/// link), `join("", x[*].id)` over one resource is its id, `unknown && false` decides a
/// `count`, and `default = null` leaves the argument unset.
#[test]
fn interpolated_references_splat_joins_and_short_circuits_resolve() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "unknown" {}
variable "kms" {
  default = null
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_db_instance" "interpolated" {
  engine                 = "postgres"
  storage_encrypted      = true
  kms_key_id             = "${aws_kms_key.k.arn}"
  vpc_security_group_ids = [join("", aws_security_group.db[*].id)]
}
resource "aws_db_instance" "null_key" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = var.kms
}
resource "aws_db_instance" "never_created" {
  count             = var.unknown && false ? 1 : 0
  storage_encrypted = false
}
"#,
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    let hits: BTreeSet<(usize, String)> = run
        .hits()
        .into_iter()
        .filter(|(_, _, id)| ["ENC-001", "ENC-003", "NET-004"].contains(&id.as_str()))
        .map(|(_, line, id)| (line, id))
        .collect();
    assert_eq!(
        hits,
        BTreeSet::from([
            // The world-open rule reaches the database through join("", ...[*].id).
            (13, "NET-004".to_string()),
            // kms_key_id = var.kms (null): unset, so the AWS-managed key, on that line.
            (25, "ENC-003".to_string()),
        ]),
        "the interpolated key is the customer key; the count-0 database does not exist"
    );
    assert!(
        !run.scanned
            .projects
            .iter()
            .flat_map(|p| &p.resources)
            .any(|r| r.name == "never_created")
    );
}

/// `cd examples/complete && rampart scan .` resolves `source = "../../"`: a leading `..`
/// is kept, not cancelled by the next one.
#[test]
fn modules_above_the_scanned_directory_resolve_from_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"encrypted\" {\n  default = false\n}\nresource \"aws_db_instance\" \"this\" {\n  storage_encrypted = var.encrypted\n}\n",
    )
    .unwrap();
    let example = dir.path().join("examples/complete");
    std::fs::create_dir_all(&example).unwrap();
    std::fs::write(
        example.join("main.tf"),
        "module \"db\" {\n  source = \"../../\"\n}\n",
    )
    .unwrap();
    // Reached through a symlinked directory, `../../` is resolved from the real one.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&example, dir.path().join("link")).unwrap();
    std::fs::create_dir_all(dir.path().join("beside")).unwrap();
    let mut places = vec![
        // Inside the example, above it, beside it.
        (example.clone(), "."),
        (dir.path().join("examples"), "complete"),
        (dir.path().join("beside"), "../examples/complete"),
    ];
    if cfg!(unix) {
        places.push((dir.path().to_path_buf(), "link"));
        places.push((dir.path().join("link"), "."));
    }
    for (cwd, path) in places {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["scan", path, "--format", "json", "--select", "ENC-001"])
            .current_dir(&cwd)
            .output()
            .map(common::not_crashed)
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["summary"]["findings"], 1, "{cwd:?} {path}: {report}");
        assert!(
            report["notices"].as_array().unwrap().is_empty(),
            "{cwd:?} {path}: the module is analysed: {report}"
        );
    }
}

/// `module.db.db_instance_arn` is the resource inside the module that the output names:
/// cross-resource checks follow links out of a module and into another.
#[test]
fn links_through_module_outputs_reach_the_resources_inside() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "modules/network/main.tf",
        r#"resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
output "security_group_id" {
  value = aws_security_group.db.id
}
"#,
    );
    write(
        "modules/db/main.tf",
        r#"variable "security_group_ids" {
  type = list(string)
}
resource "aws_db_instance" "this" {
  engine                 = "postgres"
  vpc_security_group_ids = var.security_group_ids
}
output "db_instance_arn" {
  value = aws_db_instance.this.arn
}
"#,
    );
    write(
        "main.tf",
        r#"module "db" {
  source             = "./modules/db"
  security_group_ids = [module.network.security_group_id]
}
module "network" {
  source = "./modules/network"
}
module "unreplicated" {
  source             = "./modules/db"
  security_group_ids = []
}
resource "aws_db_instance_automated_backups_replication" "copy" {
  source_db_instance_arn = module.db.db_instance_arn
}
"#,
    );
    let run = scan(&[dir.path().to_str().unwrap()]);
    let hits: BTreeSet<(String, usize, String, String)> = run
        .findings
        .iter()
        .filter(|f| ["NET-004", "BAK-007"].contains(&run.policies.policies[f.policy].id.as_str()))
        .map(|f| {
            let file = run.scanned.sources.get(f.span.file);
            let display = file.display.clone();
            let file_name = display.rsplit(['/', '\\']).next().unwrap().to_string();
            let dir_name = display.rsplit(['/', '\\']).nth(1).unwrap().to_string();
            (
                format!("{dir_name}/{file_name}"),
                file.position(f.span.start as usize).line,
                run.policies.policies[f.policy].id.clone(),
                f.address.clone(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, usize, String, String)> = [
        // The open rule of the network module reaches the database of another module,
        // through the caller's `module.network.security_group_id`.
        (
            "network/main.tf",
            6,
            "NET-004",
            "module.db.aws_db_instance.this",
        ),
        // module.db is replicated through `module.db.db_instance_arn`; the other is not.
        (
            "db/main.tf",
            4,
            "BAK-007",
            "module.unreplicated.aws_db_instance.this",
        ),
    ]
    .iter()
    .map(|(f, l, i, a)| (f.to_string(), *l, i.to_string(), a.to_string()))
    .collect();
    assert_eq!(hits, expected);
}

/// `optional(type, default)` attributes of object-typed variables are filled in as
/// Terraform fills them, nested too, and the finding names the default's line.
#[test]
fn optional_attribute_defaults_are_filled_in_nested_and_named_as_hops() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "modules/db/main.tf",
        r#"variable "db" {
  type = object({
    engine = string
    storage = optional(object({
      encrypted  = optional(bool, false)
      kms_key_id = optional(string)
    }), {})
    backups = optional(list(object({
      retention = optional(number, 1)
    })), [{}])
  })
}
variable "network" {
  type = object({
    public = optional(bool, true)
  })
  default = {}
}
resource "aws_db_instance" "this" {
  engine                  = var.db.engine
  storage_encrypted       = var.db.storage.encrypted
  kms_key_id              = var.db.storage.kms_key_id
  backup_retention_period = var.db.backups[0].retention
  publicly_accessible     = var.network.public
}
"#,
    );
    write(
        "main.tf",
        r#"module "defaults" {
  source = "./modules/db"
  db     = { engine = "postgres" }
}
module "explicit" {
  source  = "./modules/db"
  network = { public = false }
  db = {
    engine  = "postgres"
    storage = { encrypted = true, kms_key_id = null }
    backups = [{ retention = 14 }]
  }
}
"#,
    );
    let run = scan(&[dir.path().to_str().unwrap()]);
    let ids = ["ENC-001", "BAK-001", "NET-001"];
    let mut hits: Vec<(String, usize, String, Vec<usize>)> = run
        .findings
        .iter()
        .filter(|f| ids.contains(&run.policies.policies[f.policy].id.as_str()))
        .map(|f| {
            let hop_lines = f
                .chain
                .iter()
                .filter(|hop| hop.via.starts_with("default of optional attribute"))
                .map(|hop| run.scanned.sources.start(hop.span).line)
                .collect();
            (
                f.address.clone(),
                run.scanned.sources.start(f.span).line,
                run.policies.policies[f.policy].id.clone(),
                hop_lines,
            )
        })
        .collect();
    hits.sort();
    let address = "module.defaults.aws_db_instance.this";
    let expected: Vec<(String, usize, String, Vec<usize>)> = [
        // Each at the argument that reads the attribute; the hops name the defaults, the
        // outer object's `{}` (or `[{}]`) first, then the nested attribute's.
        (21, "ENC-001", vec![7, 5]),
        (23, "BAK-001", vec![10, 9]),
        (24, "NET-001", vec![15]),
    ]
    .into_iter()
    .map(|(line, id, hops)| (address.to_string(), line, id.to_string(), hops))
    .collect();
    assert_eq!(
        hits, expected,
        "module.explicit sets every value and is clean"
    );
}

/// A registry module without `terraform init` is a warning in every format, named in the
/// summary; `--fail-on-unanalysed` or `unanalysed = "error"` makes it an error (exit 2).
#[test]
fn modules_not_analysed_warn_everywhere_and_can_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"db\" {\n  source  = \"acme-corp/database/aws\"\n  version = \"6.10.0\"\n}\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["scan", "."];
        all.extend_from_slice(args);
        let output = common::rampart_in(dir.path(), &all);
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };

    let (code, human) = run(&[]);
    assert_eq!(code, Some(0), "{human}");
    assert!(
        human.contains("module.db (acme-corp/database/aws) was not analysed"),
        "{human}"
    );
    assert!(
        human.contains("1 not analysed"),
        "the summary says so: {human}"
    );
    let (code, github) = run(&["--format", "github"]);
    assert_eq!(code, Some(0));
    assert!(
        github.starts_with("::warning file=main.tf,line=2,col=13,"),
        "{github}"
    );
    let (_, sarif) = run(&["--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let notification = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "warning", "{sarif}");
    let (_, json) = run(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["summary"]["not_analysed"], 1);
    assert_eq!(json["notices"][0]["level"], "warning");
    assert_eq!(json["notices"][0]["not_analysed"], true);

    for args in [&["--fail-on-unanalysed"][..], &[]] {
        if args.is_empty() {
            std::fs::write(dir.path().join("rampart.toml"), "unanalysed = \"error\"\n").unwrap();
        }
        let (code, human) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {human}");
        assert!(
            human.contains("× module.db"),
            "{args:?}: shown as an error: {human}"
        );
        let (code, github) = run(&[args, &["--format", "github"]].concat());
        assert_eq!(code, Some(2));
        assert!(
            github.starts_with("::error file=main.tf,line=2"),
            "{github}"
        );
        let (_, sarif) = run(&[args, &["--format", "sarif"]].concat());
        let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        assert_eq!(
            sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"],
            "error"
        );
        let (_, json) = run(&[args, &["--format", "json"]].concat());
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["notices"][0]["level"], "error");
    }
    std::fs::write(dir.path().join("rampart.toml"), "unanalysed = \"never\"\n").unwrap();
    let (code, _) = run(&[]);
    assert_eq!(code, Some(2), "an unknown value is a configuration error");
}

/// A module `terraform init` installed is read, but a finding from its own default lands
/// on the caller's `module` block (where an argument fixes it), never inside `.terraform/`.
#[test]
fn findings_from_installed_modules_land_on_the_callers_module_block() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "main.tf",
        r#"module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"
}
module "encrypted" {
  source            = "terraform-aws-modules/rds/aws"
  storage_encrypted = false
}
"#,
    );
    write(
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
{"Key":"db","Source":"registry.terraform.io/terraform-aws-modules/rds/aws","Dir":".terraform/modules/db"},
{"Key":"encrypted","Source":"registry.terraform.io/terraform-aws-modules/rds/aws","Dir":".terraform/modules/encrypted"}]}"#,
    );
    let module = r#"variable "storage_encrypted" {
  default = false
}
resource "aws_db_instance" "this" {
  engine            = "postgres"
  storage_encrypted = var.storage_encrypted
}
"#;
    write(".terraform/modules/db/main.tf", module);
    write(".terraform/modules/encrypted/main.tf", module);
    let output = common::rampart_in(
        dir.path(),
        &["scan", ".", "--format", "json", "--select", "ENC-001"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let places: Vec<(String, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            // The module's own default: on the module block that uses it.
            (
                "main.tf".to_string(),
                1,
                "module.db.aws_db_instance.this".to_string()
            ),
            // The caller's argument: on that argument, as for any module.
            (
                "main.tf".to_string(),
                7,
                "module.encrypted.aws_db_instance.this".to_string()
            ),
        ],
        "{report}"
    );
    let related = &findings[0]["value_from"][0];
    assert_eq!(
        related["via"],
        "inside module.db (installed by `terraform init`)"
    );
    assert_eq!(related["location"]["file"], ".terraform/modules/db/main.tf");
    assert_eq!(related["location"]["start"]["line"], 6);
    for finding in findings {
        assert!(
            !finding["location"]["file"]
                .as_str()
                .unwrap()
                .contains(".terraform")
        );
    }
}

/// Terraform's JSON syntax (`.tf.json`, as CDK for Terraform writes it) is read like `.tf`:
/// same findings, on the JSON file's own lines and columns, through modules too.
#[test]
fn terraform_json_syntax_is_read_like_native_syntax_with_exact_places() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "main.tf.json",
        r#"{
  "variable": {
    "encrypted": { "type": "bool", "default": false }
  },
  "resource": {
    "aws_db_instance": {
      "db": {
        "engine": "postgres",
        "storage_encrypted": "${var.encrypted}",
        "publicly_accessible": true
      }
    }
  },
  "module": {
    "replica": {
      "source": "./modules/db",
      "public": true
    }
  }
}
"#,
    );
    write(
        "modules/db/main.tf.json",
        r#"{
  "variable": { "public": { "type": "bool" } },
  "resource": {
    "aws_db_instance": {
      "this": { "engine": "postgres", "storage_encrypted": true, "publicly_accessible": "${var.public}" }
    }
  }
}
"#,
    );
    write(
        "broken.tf.json",
        "{\n  \"resource\": {\n    \"aws_db_instance\": [1,\n}\n",
    );
    let output = common::rampart_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--select",
            "ENC-001,NET-001,BAK-003",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let places: Vec<(String, u64, u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
                f["location"]["start"]["column"].as_u64().unwrap(),
                f["id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, String, String)> = [
        // An absent argument: on the resource's name.
        ("main.tf.json", 7, 7, "BAK-003", "aws_db_instance.db"),
        ("main.tf.json", 9, 30, "ENC-001", "aws_db_instance.db"),
        ("main.tf.json", 10, 32, "NET-001", "aws_db_instance.db"),
        // The caller's argument, through the module's `${var.public}`.
        (
            "main.tf.json",
            17,
            17,
            "NET-001",
            "module.replica.aws_db_instance.this",
        ),
        (
            "modules/db/main.tf.json",
            5,
            7,
            "BAK-003",
            "module.replica.aws_db_instance.this",
        ),
    ]
    .iter()
    .map(|(f, l, c, i, r)| (f.to_string(), *l, *c, i.to_string(), r.to_string()))
    .collect();
    assert_eq!(places, expected, "{report}");
    let hop = &report["findings"][1]["value_from"][0];
    assert_eq!(hop["via"], "var.encrypted");
    assert_eq!(hop["location"]["start"]["line"], 3);
    assert_eq!(hop["location"]["start"]["column"], 47);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["file"], "broken.tf.json");
    assert_eq!(errors[0]["line"], 4, "{report}");
    assert_eq!(output.status.code(), Some(2));
}

/// OpenTofu: `.tofu` and `.tofu.json` are read, and `x.tofu` replaces `x.tf` of the same
/// directory (as OpenTofu does), so only one of the two is checked.
#[test]
fn opentofu_files_are_read_and_replace_the_tf_file_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = |name: &str, encrypted: bool| {
        format!(
            "resource \"aws_db_instance\" \"{name}\" {{\n  engine            = \"postgres\"\n  storage_encrypted = {encrypted}\n}}\n"
        )
    };
    std::fs::write(dir.path().join("main.tf"), db("main", true)).unwrap();
    std::fs::write(dir.path().join("main.tofu"), db("main", false)).unwrap();
    std::fs::write(dir.path().join("other.tf"), db("other", false)).unwrap();
    std::fs::write(
        dir.path().join("json.tf.json"),
        r#"{"resource": {"aws_db_instance": {"json": {"storage_encrypted": true}}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("json.tofu.json"),
        r#"{"resource": {"aws_db_instance": {"json": {"storage_encrypted": false}}}}"#,
    )
    .unwrap();
    let output = common::rampart_in(
        dir.path(),
        &["scan", ".", "--format", "json", "--select", "ENC-001"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut places: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    places.sort();
    assert_eq!(
        places,
        [
            ("json.tofu.json".to_string(), 1),
            ("main.tofu".to_string(), 3),
            ("other.tf".to_string(), 3),
        ],
        "{report}"
    );
    assert_eq!(
        report["summary"]["files_scanned"], 3,
        "the replaced files are not read"
    );
}

/// One module called twice, once with instances not known (`[*]`) and once with known
/// ones: the same line inside the module yields a finding for each call, neither hiding
/// the other.
#[test]
fn unknown_and_known_instances_of_different_calls_are_both_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("db")).unwrap();
    std::fs::write(
        dir.path().join("db/main.tf"),
        "variable \"n\" {}\nresource \"aws_db_instance\" \"this\" {\n  count             = var.n\n  engine            = \"postgres\"\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"n\" {}\nmodule \"a\" {\n  source = \"./db\"\n  n      = var.n\n}\nmodule \"b\" {\n  source = \"./db\"\n  n      = 1\n}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    let mut addresses: Vec<&str> = run
        .findings
        .iter()
        .filter(|f| run.policies.policies[f.policy].id == "ENC-001")
        .map(|f| f.address.as_str())
        .collect();
    addresses.sort();
    assert_eq!(
        addresses,
        [
            "module.a.aws_db_instance.this[*]",
            "module.b.aws_db_instance.this[0]"
        ]
    );
}
