//! The policy language's two cross-resource forms, `follow` (evaluate a condition on the
//! resource an attribute links to) and `referenced_by` (some resource links here), in
//! three-valued logic, on a linked Terraform project.

mod common;

use common::linked;
use rampart::config::default_settings;
use rampart::ir::{Project, SourceFile, SourceMap};
use rampart::policy::{Decision, Finding, Graph, PolicySet};

fn policy_set(kinds: &str, assert: &str) -> PolicySet {
    let text = format!(
        "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = {kinds}\nmessage = \"{{address}}\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\n{assert}\n"
    );
    let settings = default_settings();
    let policy = rampart::policy::loader::parse_policy("p.toml", &text, &settings).unwrap();
    PolicySet::new(vec![policy], settings)
}

/// The error of loading a `db_instance` policy with this `[assert]`; empty when it loads.
fn load(assert: &str) -> String {
    let text = format!(
        "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = [\"db_instance\"]\nmessage = \"m\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\n{assert}\n"
    );
    rampart::policy::loader::parse_policy("p.toml", &text, &default_settings())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// The findings of `policies` on `project`, linked from `text` as `main.tf`.
fn findings(policies: &PolicySet, project: &Project, text: &str) -> Vec<Finding> {
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(
        "main.tf".into(),
        "main.tf".into(),
        text.into(),
    ));
    policies.evaluate(std::slice::from_ref(project), &sources)
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
    let findings = findings(&policies, &project, KEYS);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].address, "aws_db_instance.static");
    let at = &KEYS[findings[0].span.start as usize..findings[0].span.end as usize];
    assert_eq!(at, "false", "the static key's enable_key_rotation");
}

const OPTIONS: &str = r#"
variable "group" {}
resource "aws_db_option_group" "audit" {
  option {
    option_name = "MARIADB_AUDIT_PLUGIN"
  }
}
resource "aws_db_option_group" "other" {
  option {
    option_name = "MEMCACHED"
  }
}
resource "aws_db_option_group" "empty" {}
resource "aws_db_instance" "audited" {
  option_group_name = aws_db_option_group.audit.name
}
resource "aws_db_instance" "other" {
  option_group_name = aws_db_option_group.other.name
}
resource "aws_db_instance" "empty" {
  option_group_name = aws_db_option_group.empty.name
}
resource "aws_db_instance" "engine_default" {
  option_group_name = "default:mysql-8-0"
}
resource "aws_db_instance" "none" {}
resource "aws_db_instance" "elsewhere" {
  option_group_name = "audit-options"
}
resource "aws_db_instance" "variable" {
  option_group_name = var.group
}
"#;

const AUDIT_PLUGIN: &str = "follow = \"option_group_name\"\nto = [\"db_option_group\"]\nthen = { path = \"options\", some = { path = \"option_name\", equals = \"MARIADB_AUDIT_PLUGIN\" } }";

/// A group AWS provides (`default:…`, an engine's default option group, which has no
/// options) is decided as AWS provides it; with `absent_is_aws_default`, so is naming no
/// group, as AWS then attaches the engine's default. A group outside the project, or not
/// known, stays unknown.
#[test]
fn follow_decides_groups_aws_provides_as_aws_provides_them() {
    let project = linked(OPTIONS);
    let all = [
        "aws_db_instance.audited",
        "aws_db_instance.other",
        "aws_db_instance.empty",
        "aws_db_instance.engine_default",
        "aws_db_instance.none",
        "aws_db_instance.elsewhere",
        "aws_db_instance.variable",
    ];
    let absent_is_default = policy_set(
        "[\"db_instance\"]",
        &format!("{AUDIT_PLUGIN}\nabsent_is_aws_default = true"),
    );
    use Decision::{Fail, Pass, Unknown};
    assert_eq!(
        decisions(&absent_is_default, &project, &all),
        [Pass, Fail, Fail, Fail, Fail, Unknown, Unknown]
    );
    // Without it, naming no group is not known: the attribute may mean something else.
    let plain = policy_set("[\"db_instance\"]", AUDIT_PLUGIN);
    assert_eq!(
        decisions(&plain, &project, &all),
        [Pass, Fail, Fail, Fail, Unknown, Unknown, Unknown]
    );
    // The findings land where the fix is: the group's options, the `default:` name, or
    // the header of the database that names no group.
    let findings = findings(&absent_is_default, &project, OPTIONS);
    let landed: Vec<(&str, &str)> = findings
        .iter()
        .map(|finding| {
            let at = &OPTIONS[finding.span.start as usize..finding.span.end as usize];
            (finding.address.as_str(), at.lines().next().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        landed,
        [
            ("aws_db_instance.other", "option {"),
            (
                "aws_db_instance.empty",
                "resource \"aws_db_option_group\" \"empty\""
            ),
            ("aws_db_instance.engine_default", "\"default:mysql-8-0\""),
            (
                "aws_db_instance.none",
                "resource \"aws_db_instance\" \"none\""
            ),
        ]
    );
}

/// `absent_is_aws_default` needs a kind AWS provides defaults of, and `follow`.
#[test]
fn absent_is_aws_default_is_checked_when_a_policy_loads() {
    assert_eq!(
        load(&format!("{AUDIT_PLUGIN}\nabsent_is_aws_default = true")),
        ""
    );
    assert!(
        load(&format!("{FOLLOW}\nabsent_is_aws_default = true"))
            .contains("AWS provides no default resource of these kinds")
    );
    assert!(
        load("path = \"storage_encrypted\"\ntruthy = true\nabsent_is_aws_default = true")
            .contains("go with `follow`")
    );
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
