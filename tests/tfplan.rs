//! Terraform plan JSON: values Terraform resolved, reported on the `.tf` source when it is
//! scanned too, on the plan otherwise; unknown never fails, sensitive is never hard-coded.

mod common;

use std::collections::BTreeSet;

use common::scan;

/// Findings of the policies these fixtures are about (others fire on them too).
const IDS: &[&str] = &["KMS-001", "TLS-001", "ENC-001", "SEC-001"];

fn hits(path: &str) -> BTreeSet<(String, usize, String, String)> {
    findings(path)
        .into_iter()
        .filter(|(_, _, id, _)| IDS.contains(&id.as_str()))
        .collect()
}

/// Every finding of a scan: (file name, line, policy, address).
fn findings(path: &str) -> BTreeSet<(String, usize, String, String)> {
    let run = scan(&[path]);
    assert!(run.scanned.errors.is_empty(), "{:?}", run.scanned.errors);
    run.findings
        .iter()
        .map(|f| {
            let file = run.scanned.sources.get(f.span.file);
            (
                file.display.rsplit('/').next().unwrap().to_string(),
                file.position(f.span.start as usize).line,
                run.policies.policies[f.policy].id.clone(),
                f.address.clone(),
            )
        })
        .collect()
}

fn expect(items: &[(&str, usize, &str, &str)]) -> BTreeSet<(String, usize, String, String)> {
    items
        .iter()
        .map(|(f, l, i, a)| (f.to_string(), *l, i.to_string(), a.to_string()))
        .collect()
}

#[test]
fn with_the_sources_findings_land_on_the_tf_lines_once() {
    assert_eq!(
        hits("testdata/tfplan/with-source"),
        expect(&[
            ("main.tf", 20, "KMS-001", "aws_kms_key.db"),
            ("main.tf", 29, "TLS-001", "aws_db_instance.orders[0]"),
            ("main.tf", 29, "TLS-001", "aws_db_instance.orders[1]"),
            // Only the plan knows var.encrypted = false; reported on the attribute.
            ("main.tf", 39, "ENC-001", "aws_db_instance.orders[0]"),
            ("main.tf", 39, "ENC-001", "aws_db_instance.orders[1]"),
        ])
    );
}

#[test]
fn without_the_sources_findings_land_in_the_plan() {
    assert_eq!(
        hits("testdata/tfplan/plan-only"),
        expect(&[
            ("plan.json", 34, "KMS-001", "aws_kms_key.db"),
            ("plan.json", 66, "TLS-001", "aws_db_instance.orders[0]"),
            ("plan.json", 66, "TLS-001", "aws_db_instance.orders[1]"),
            ("plan.json", 115, "ENC-001", "aws_db_instance.orders[0]"),
            ("plan.json", 169, "ENC-001", "aws_db_instance.orders[1]"),
        ])
    );
}

#[test]
fn the_plan_location_is_a_related_location() {
    let run = scan(&["testdata/tfplan/with-source"]);
    let finding = run
        .findings
        .iter()
        .find(|f| run.policies.policies[f.policy].id == "ENC-001")
        .unwrap();
    let hop = &finding.chain[0];
    assert_eq!(hop.via, "the planned value");
    let file = run.scanned.sources.get(hop.span.file);
    assert!(file.display.ends_with("plan.json"));
}

#[test]
fn sensitive_unknown_and_deleted_values_never_fail() {
    let found = hits("testdata/tfplan/plan-only");
    assert!(
        !found.iter().any(|(_, _, id, _)| id == "SEC-001"),
        "the password is sensitive"
    );
    assert!(
        !found
            .iter()
            .any(|(_, _, _, address)| address.contains("retired")),
        "a resource being deleted is not checked"
    );
    let run = scan(&["testdata/tfplan/plan-only"]);
    let orders = run.scanned.projects[0]
        .resources
        .iter()
        .find(|r| r.address == "aws_db_instance.orders[0]")
        .unwrap();
    // kms_key_id is unknown until apply but linked through the configuration.
    assert_eq!(
        orders.attr("kms_key_id").unwrap().as_link().unwrap().target,
        "aws_kms_key.db"
    );
    assert!(matches!(
        orders.attr("master_password").unwrap().data,
        rampart::ir::Data::Secret(_)
    ));
}

#[test]
fn state_json_is_read_from_values() {
    let dir = tempfile::tempdir().unwrap();
    let state = serde_json::json!({
        "format_version": "1.0",
        "terraform_version": "1.9.5",
        "values": {"root_module": {"resources": [], "child_modules": [{
            "address": "module.db",
            "resources": [{
                "address": "module.db.aws_db_instance.this",
                "mode": "managed", "type": "aws_db_instance", "name": "this",
                "values": {"engine": "mysql", "engine_version": "8.0.35", "publicly_accessible": true},
                "sensitive_values": {}
            }]
        }]}}
    });
    std::fs::write(
        dir.path().join("state.json"),
        serde_json::to_string_pretty(&state).unwrap(),
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    let net: Vec<_> = run
        .findings
        .iter()
        .filter(|f| run.policies.policies[f.policy].id == "NET-001")
        .map(|f| f.address.clone())
        .collect();
    assert_eq!(net, ["module.db.aws_db_instance.this"]);
}

/// A provider default is written nowhere: with the source scanned, a finding on one (no
/// enhanced monitoring, `monitoring_interval` unset) lands on the `.tf` block that would
/// set it, like every other finding, and none stays in the plan.
#[test]
fn with_the_sources_findings_on_defaults_land_on_the_tf_block() {
    let places = findings("testdata/tfplan/with-source");
    assert!(
        places.iter().all(|(file, _, _, _)| file == "main.tf"),
        "{places:?}"
    );
    assert!(places.contains(&(
        "main.tf".to_string(),
        33,
        "MON-001".to_string(),
        "aws_db_instance.orders[0]".to_string()
    )));
}
