//! Suppressions: inline comments with reasons and expiry, CloudFormation metadata, config
//! entries by address, unused and expired suppressions, required reasons, stale baselines.

mod common;

use std::process::{Command, Output};

use common::root;

fn rampart(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
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
