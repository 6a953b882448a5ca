//! Suppressions: inline comments with reasons and expiry, CloudFormation metadata, config
//! entries by address, unused and expired suppressions, required reasons, stale baselines.

mod common;

use std::process::Output;

use common::root;

fn rampart(dir: &std::path::Path, args: &[&str]) -> Output {
    common::rampart_in(dir, args)
}

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&rampart(dir, &all).stdout).expect("json")
}

fn ids_and_resources(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn notices(report: &serde_json::Value) -> Vec<String> {
    report["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn expired_and_unused_suppressions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_db_instance" "current" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false # rampart:ignore ENC-001 reason="volume encrypted by the platform" until=2999-01-01
}

resource "aws_db_instance" "expired" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false # rampart:ignore ENC-001 reason="migration window" until=2020-01-31
}

resource "aws_db_instance" "unused" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = true # rampart:ignore ENC-001 reason="left behind"
}
"#,
    )
    .unwrap();
    let report = json(dir.path(), &["scan", ".", "--select", "ENC-001"]);
    assert_eq!(
        ids_and_resources(&report),
        [("ENC-001".to_string(), "aws_db_instance.expired".to_string())]
    );
    let notices = notices(&report);
    assert!(
        notices.iter().any(|n| n.contains("expired on 2020-01-31")),
        "{notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("unused suppression of ENC-001")),
        "{notices:?}"
    );
    let sarif: serde_json::Value = serde_json::from_slice(
        &rampart(
            dir.path(),
            &["scan", ".", "--select", "ENC-001", "--format", "sarif"],
        )
        .stdout,
    )
    .unwrap();
    let justification = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["suppressions"][0]["justification"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(justification, "volume encrypted by the platform");
}

#[test]
fn cloudformation_metadata_and_config_entries_suppress_by_resource() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reporting:
    Type: AWS::RDS::DBInstance
    Metadata:
      rampart:
        ignore:
          - id: ENC-001
            reason: read replica of public data
    Properties:
      Engine: postgres
      EngineVersion: "16.3"
      StorageEncrypted: false
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EngineVersion: "16.3"
      StorageEncrypted: false
      PubliclyAccessible: true
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rampart.toml"),
        r#"[[suppress]]
id = "NET-001"
resource = "Orders"
reason = "behind a bastion until the VPC move"
until = "2999-12-31"
"#,
    )
    .unwrap();
    let report = json(dir.path(), &["scan", ".", "--select", "ENC-001,NET-001"]);
    assert_eq!(
        ids_and_resources(&report),
        [("ENC-001".to_string(), "Orders".to_string())]
    );
    assert!(
        report["summary"]["text"]
            .as_str()
            .unwrap()
            .contains("2 suppressed")
    );
}

#[test]
fn a_suppression_without_reason_is_an_error_when_required() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  storage_encrypted = false # rampart:ignore ENC-001\n}\n",
    )
    .unwrap();
    assert_eq!(
        rampart(dir.path(), &["scan", ".", "--select", "ENC-001"])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(
        dir.path().join("rampart.toml"),
        "require_suppression_reason = true\n",
    )
    .unwrap();
    let output = rampart(
        dir.path(),
        &["scan", ".", "--select", "ENC-001", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("without a reason")
    );
    assert_eq!(report["errors"][0]["line"], 3);
}

#[test]
fn stale_baseline_entries_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("main.tf");
    std::fs::write(
        &tf,
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let written = rampart(
        dir.path(),
        &[
            "scan",
            ".",
            "--select",
            "ENC-001",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(written.status.code(), Some(0));
    std::fs::write(
        &tf,
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  storage_encrypted = true\n}\n",
    )
    .unwrap();
    let report = json(
        dir.path(),
        &[
            "scan",
            ".",
            "--select",
            "ENC-001",
            "--baseline",
            "baseline.json",
        ],
    );
    let notices = notices(&report);
    assert!(
        notices.iter().any(|n| n.contains("no longer matches")),
        "{notices:?}"
    );
}

#[test]
fn severity_overrides_and_policy_directories_come_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  engine_version = \"16.3\"\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rampart.toml"),
        "fail_on = \"high\"\n[severity]\nENC-001 = \"low\"\n",
    )
    .unwrap();
    let output = rampart(dir.path(), &["scan", ".", "--select", "ENC-001"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "ENC-001 lowered below fail_on"
    );
    // Unknown keys point into the file.
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[severity]\nENC-001 = \"urgent\"\n",
    )
    .unwrap();
    let output = rampart(dir.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("rampart.toml"));
    let _ = root();
}

/// `(file, line, message)` of each error.
fn errors(report: &serde_json::Value) -> Vec<(String, u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap_or(0),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Only real comments suppress: `rampart:ignore` inside a Terraform string, a YAML scalar
/// or block scalar, or anywhere in JSON (which has no comments) is data.
#[test]
fn the_directive_inside_strings_and_json_suppresses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"tf\" {\n  identifier        = \"x # rampart:ignore all\"\n  storage_encrypted = false\n  username          = <<-EOT\n    # rampart:ignore all\n    EOT\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("template.json"),
        r##"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Json": {"Type": "AWS::RDS::DBInstance",
  "Properties": {"DBName": "# rampart:ignore all", "Engine": "postgres",
  "StorageEncrypted": false}}}}"##,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Yaml:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBName: \"# rampart:ignore all\"\n      Engine: postgres\n      StorageEncrypted: false\n      DBParameterGroupName: |\n        # rampart:ignore all\n        x\n",
    )
    .unwrap();
    let report = json(dir.path(), &["scan", ".", "--select", "ENC-001"]);
    assert!(errors(&report).is_empty(), "{report}");
    let mut found = ids_and_resources(&report);
    found.sort();
    assert_eq!(
        found,
        [
            ("ENC-001".to_string(), "Json".to_string()),
            ("ENC-001".to_string(), "Yaml".to_string()),
            ("ENC-001".to_string(), "aws_db_instance.tf".to_string()),
        ]
    );
}

/// A suppression that names no policy, a mistyped id or an impossible date is an error at
/// its place, never a blanket suppression; `rampart:ignore=ID` (Checkov's spelling) and an
/// explicit `all` work.
#[test]
fn malformed_suppressions_are_errors_and_blankets_need_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = |name: &str, comment: &str| {
        format!(
            "resource \"aws_db_instance\" \"{name}\" {{\n  storage_encrypted = false # {comment}\n}}\n"
        )
    };
    std::fs::write(
        dir.path().join("main.tf"),
        [
            db("bare", "rampart:ignore"),
            db("typo", "rampart:ignore ENC-0001 reason=\"x\""),
            db("unknown", "rampart:ignore ENC-999"),
            db("date", "rampart:ignore ENC-001 until=2026-02-30"),
            db("checkov", "rampart:ignore=ENC-001"),
            db("all", "rampart:ignore all reason=\"sandbox\""),
        ]
        .concat(),
    )
    .unwrap();
    let output = rampart(
        dir.path(),
        &["scan", ".", "--select", "ENC-001", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = errors(&report);
    let lines: Vec<u64> = errors.iter().map(|(_, line, _)| *line).collect();
    assert_eq!(lines, [2, 5, 8, 11], "{errors:?}");
    assert!(errors[0].2.contains("names no policy"), "{errors:?}");
    assert!(errors[1].2.contains("does not name a policy"), "{errors:?}");
    assert!(
        errors[2].2.contains("`ENC-999`, which is no policy"),
        "{errors:?}"
    );
    assert!(errors[3].2.contains("invalid date"), "{errors:?}");
    let mut reported: Vec<String> = ids_and_resources(&report)
        .into_iter()
        .map(|(_, resource)| resource)
        .collect();
    reported.sort();
    assert_eq!(
        reported,
        [
            "aws_db_instance.bare",
            "aws_db_instance.date",
            "aws_db_instance.typo",
            "aws_db_instance.unknown"
        ],
        "malformed suppressions suppress nothing"
    );
}

/// CloudFormation `Metadata` suppressions: a bare id and `id: all` are understood; any form
/// rampart does not understand is an error pointing into the template, never a blanket.
#[test]
fn cloudformation_metadata_forms_are_strict() {
    let dir = tempfile::tempdir().unwrap();
    let db = |name: &str, metadata: &str| {
        format!(
            "  {name}:\n    Type: AWS::RDS::DBInstance\n    Metadata:\n      rampart:\n{metadata}    Properties:\n      Engine: postgres\n      StorageEncrypted: false\n"
        )
    };
    let template = [
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n".to_string(),
        db("BareId", "        ignore: [ENC-001]\n"),
        db(
            "All",
            "        ignore:\n          - id: all\n            reason: sandbox\n",
        ),
        db(
            "NoId",
            "        ignore:\n          - reason: forgot the id\n",
        ),
        db("Typo", "        ignore:\n          - id: ENC001\n"),
        db("WrongKey", "        ignores:\n          - id: ENC-001\n"),
        db("NotAList", "        ignore: ENC-001\n"),
        db(
            "BadDate",
            "        ignore:\n          - id: ENC-001\n            until: 2026-02-30\n",
        ),
    ]
    .concat();
    std::fs::write(dir.path().join("t.yaml"), &template).unwrap();
    let output = rampart(
        dir.path(),
        &["scan", ".", "--select", "ENC-001", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = errors(&report);
    let messages: Vec<&str> = errors.iter().map(|(_, _, m)| m.as_str()).collect();
    assert_eq!(errors.len(), 5, "{messages:?}");
    for expected in [
        "without `id` names no policy",
        "`id` must be a policy id",
        "unknown key `ignores`",
        "must be a list of suppressions",
        "invalid date `until=2026-02-30`",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{expected} not in {messages:?}"
        );
    }
    let mut reported: Vec<String> = ids_and_resources(&report)
        .into_iter()
        .map(|(_, resource)| resource)
        .collect();
    reported.sort();
    assert_eq!(
        reported,
        ["BadDate", "NoId", "NotAList", "Typo", "WrongKey"]
    );
}
