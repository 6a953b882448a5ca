//! The policy language's two cross-resource forms, `follow` (evaluate a condition on the
//! resource an attribute links to) and `referenced_by` (some resource links here), in
//! three-valued logic, on a linked Terraform project.

mod common;

use common::linked;
use rampart::config::default_settings;
use rampart::ir::{Project, SourceFile, SourceMap};
use rampart::policy::{Decision, Graph, PolicySet};

fn policy_set(kinds: &str, assert: &str) -> PolicySet {
    let text = format!(
        "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = {kinds}\nmessage = \"{{address}}\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\n{assert}\n"
    );
    let settings = default_settings();
    let policy = rampart::policy::loader::parse_policy("p.toml", &text, &settings).unwrap();
    PolicySet::new(vec![policy], settings)
}

/// What the policy decides on each resource at `addresses`.
fn decisions(policies: &PolicySet, project: &Project, addresses: &[&str]) -> Vec<Decision> {
    let index = rampart::graph::Index::new(project);
    let graph = Graph {
        project,
        index: &index,
    };
    addresses
        .iter()
        .map(|address| {
            let resource = &project.resources[project.find(address).expect(address)];
            policies.decide(0, resource, Some(graph))
        })
        .collect()
}

const KEYS: &str = r#"
variable "key" {}
resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}
resource "aws_kms_key" "static" {
  enable_key_rotation = false
}
resource "aws_db_instance" "rotating" {
  kms_key_id = aws_kms_key.rotating.arn
}
resource "aws_db_instance" "static" {
  kms_key_id = aws_kms_key.static.arn
}
resource "aws_db_instance" "variable" {
  kms_key_id = var.key
}
resource "aws_db_instance" "elsewhere" {
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
resource "aws_db_instance" "none" {}
"#;

const FOLLOW: &str = "follow = \"kms_key_id\"\nto = [\"kms_key\"]\nthen = { path = \"enable_key_rotation\", truthy = true }";

#[test]
fn follow_decides_on_the_linked_resource_and_is_unknown_where_it_cannot_follow() {
    let project = linked(KEYS);
    let policies = policy_set("[\"db_instance\"]", FOLLOW);
    assert_eq!(
        decisions(
            &policies,
            &project,
            &[
                "aws_db_instance.rotating",
                "aws_db_instance.static",
                "aws_db_instance.variable",
                "aws_db_instance.elsewhere",
                "aws_db_instance.none",
            ]
        ),
        [
            Decision::Pass,
            Decision::Fail,
            // Not known, a key outside the project, no key: nothing to follow.
            Decision::Unknown,
            Decision::Unknown,
            Decision::Unknown,
        ]
    );
}

/// The finding of a followed condition lands in the linked resource, where the fix is.
#[test]
fn a_followed_finding_lands_on_the_linked_resource() {
    let project = linked(KEYS);
    let policies = policy_set("[\"db_instance\"]", FOLLOW);
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(
        "main.tf".into(),
        "main.tf".into(),
        KEYS.into(),
    ));
    let findings = policies.evaluate(std::slice::from_ref(&project), &sources);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].address, "aws_db_instance.static");
    let at = &KEYS[findings[0].span.start as usize..findings[0].span.end as usize];
    assert_eq!(at, "false", "the static key's enable_key_rotation");
}

#[test]
fn referenced_by_is_true_false_or_unknown_as_the_links_allow() {
    let replicated = r#"
resource "aws_db_instance" "copied" {}
resource "aws_db_instance" "plain" {}
resource "aws_db_instance_automated_backups_replication" "copy" {
  source_db_instance_arn = aws_db_instance.copied.arn
}
resource "aws_db_instance_automated_backups_replication" "elsewhere" {
  source_db_instance_arn = "arn:aws:rds:eu-west-1:123456789012:db:other"
}
"#;
    let policies = policy_set(
        "[\"db_instance\"]",
        "referenced_by = [\"db_backup_replication\"]\nthrough = \"source_db_instance_arn\"",
    );
    let project = linked(replicated);
    assert_eq!(
        decisions(
            &policies,
            &project,
            &["aws_db_instance.copied", "aws_db_instance.plain"]
        ),
        [Decision::Pass, Decision::Fail]
    );
    // A replication whose source is not known may copy any database.
    let project = linked(&format!(
        "{replicated}variable \"source\" {{}}\nresource \"aws_db_instance_automated_backups_replication\" \"unknown\" {{\n  source_db_instance_arn = var.source\n}}\n"
    ));
    assert_eq!(
        decisions(
            &policies,
            &project,
            &["aws_db_instance.copied", "aws_db_instance.plain"]
        ),
        [Decision::Pass, Decision::Unknown]
    );
}

#[test]
fn the_forms_are_checked_when_a_policy_loads() {
    let settings = default_settings();
    let load = |assert: &str| {
        let text = format!(
            "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = [\"db_instance\"]\nmessage = \"m\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\n{assert}\n"
        );
        rampart::policy::loader::parse_policy("p.toml", &text, &settings)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(load(FOLLOW), "");
    // `then` is checked against the kinds it follows to.
    assert!(
        load("follow = \"kms_key_id\"\nto = [\"kms_key\"]\nthen = { path = \"storage_encrypted\", truthy = true }")
            .contains("`storage_encrypted` is not an attribute of kind `kms_key`")
    );
    assert!(
        load("follow = \"kms_key_id\"\nthen = { path = \"policy\", exists = true }")
            .contains("needs `to`")
    );
    assert!(
        load(
            "follow = \"nothing\"\nto = [\"kms_key\"]\nthen = { path = \"policy\", exists = true }"
        )
        .contains("`nothing` is not an attribute")
    );
    assert!(
        load(
            "follow = \"kms_key_id\"\nto = [\"key\"]\nthen = { path = \"policy\", exists = true }"
        )
        .contains("unknown kind `key`")
    );
    assert!(load("referenced_by = [\"db_backup_replication\"]").contains("needs `through`"));
    assert!(
        load("referenced_by = [\"db_backup_replication\"]\nthrough = \"secret_id\"")
            .contains("`secret_id` is not an attribute")
    );
    assert!(
        load("path = \"storage_encrypted\"\ntruthy = true\nthrough = \"x\"")
            .contains("goes with `referenced_by`")
    );
}

/// `referenced_by` reads one reverse-link set per project, built once: every database
/// asking "does a replication name me" shares it, so the check is linear, not databases ×
/// replications.
#[test]
fn reverse_links_are_built_once_per_project() {
    let project = linked(
        "resource \"aws_db_instance\" \"a\" {}\nresource \"aws_db_instance_automated_backups_replication\" \"r\" {\n  source_db_instance_arn = aws_db_instance.a.arn\n}\n",
    );
    let index = rampart::graph::Index::new(&project);
    let from = [rampart::ir::Kind::DbBackupReplication];
    let through = ["source_db_instance_arn".to_string()];
    let build = || {
        index.referenced(
            &project,
            &from,
            &through,
            rampart::ir::Kind::DbInstance,
            |r| r.attr("source_db_instance_arn"),
        )
    };
    let first = build();
    assert!(std::sync::Arc::ptr_eq(&first, &build()));
    assert_eq!(first.targets.len(), 1);
    assert!(!first.any_unknown);
}
