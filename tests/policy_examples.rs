//! Every policy's examples are its tests (the harness is `rampart::examples`, which
//! `rampart test DIR` runs on users' policies): a bad example yields exactly its marks
//! (line, column, multiplicity), a good example proves a pass, and every claimed format
//! has both.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use rampart::examples::{self, Example, ExampleFormat};

fn policy_dir(policy: &rampart::policy::Policy) -> Option<PathBuf> {
    let toml = policy.source.strip_prefix("embedded:")?;
    Some(root().join(toml).parent()?.to_path_buf())
}

#[test]
fn every_example_holds_and_every_claimed_format_has_good_and_bad_examples() {
    let run = common::scan(&[]);
    let (count, failures) = examples::check_all(&run.policies, policy_dir);
    assert!(count > 300, "only {count} examples found");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A policy of our own, written to a temporary directory, with one example.
fn one_example(file: &str, text: &str, sidecar: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let policy_dir = dir.path().join("TST-001-encrypted");
    let family = Path::new(file).parent().unwrap();
    std::fs::create_dir_all(policy_dir.join("examples").join(family)).unwrap();
    std::fs::write(
        policy_dir.join("policy.toml"),
        r#"id = "TST-001"
slug = "encrypted"
title = "Storage is encrypted"
severity = "high"
kinds = ["db_instance"]
formats = ["terraform", "pulumi"]
message = "{address}: not encrypted"
rationale = "Test policy."
references = ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"]
[remediation]
terraform = "Set storage_encrypted."
cloudformation = "Set StorageEncrypted."
pulumi = "Set storageEncrypted."
[assert]
path = "storage_encrypted"
truthy = true
"#,
    )
    .unwrap();
    let path = policy_dir.join("examples").join(file);
    std::fs::write(&path, text).unwrap();
    if let Some(sidecar) = sidecar {
        std::fs::write(format!("{}.expect", path.display()), sidecar).unwrap();
    }
    let policies =
        rampart::policy::loader::from_dir(dir.path(), &rampart::config::default_settings())
            .expect("test policy loads");
    let set = rampart::policy::PolicySet::new(policies, rampart::config::default_settings());
    let format = if file.ends_with(".json") {
        ExampleFormat::PulumiStackExport
    } else {
        ExampleFormat::Terraform
    };
    let example = Example {
        policy_id: "TST-001".into(),
        path,
        role: if file.contains("bad") {
            examples::Role::Bad
        } else {
            examples::Role::Good
        },
        format,
    };
    examples::check(&example, &set)
}

/// The harness itself fails where it must: these are the breakages a review found
/// passing, each now a failure with a message that says what is wrong.
#[test]
fn the_harness_fails_examples_that_prove_nothing_or_mark_the_wrong_place() {
    let good = "resource \"aws_db_instance\" \"a\" {\n  storage_encrypted = true\n}\n";
    assert_eq!(
        one_example("terraform/good.tf", good, None),
        Vec::<String>::new()
    );

    // A file that is not recognised at all.
    let failures = one_example("pulumi/good.json", r#"{"not": "a stack export"}"#, None);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("no resource of the policy's kinds")),
        "{failures:?}"
    );
    // A value that is unknown, not good.
    let unknown =
        "variable \"x\" {}\nresource \"aws_db_instance\" \"a\" {\n  storage_encrypted = var.x\n}\n";
    let failures = one_example("terraform/good.tf", unknown, None);
    assert!(
        failures.iter().any(|f| f.contains("decides unknown")),
        "{failures:?}"
    );
    // No resource of the kind.
    let failures = one_example(
        "terraform/good.tf",
        "resource \"aws_kms_key\" \"k\" {}\n",
        None,
    );
    assert!(
        failures
            .iter()
            .any(|f| f.contains("no resource of the policy's kinds")),
        "{failures:?}"
    );

    let bad = "resource \"aws_db_instance\" \"a\" {\n  storage_encrypted = false # expect: TST-001@23\n}\n";
    assert_eq!(
        one_example("terraform/bad.tf", bad, None),
        Vec::<String>::new()
    );
    // A wrong column.
    let failures = one_example("terraform/bad.tf", &bad.replace("@23", "@22"), None);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("missing [2:22 TST-001], unexpected [2:23 TST-001]")),
        "{failures:?}"
    );
    // A duplicate that is not there.
    let failures = one_example(
        "terraform/bad.tf",
        &bad.replace("@23", "@23 TST-001@23"),
        None,
    );
    assert!(
        failures
            .iter()
            .any(|f| f.contains("missing [2:23 TST-001], unexpected []")),
        "{failures:?}"
    );
    // A mark without a column.
    let failures = one_example("terraform/bad.tf", &bad.replace("@23", ""), None);
    assert!(
        failures.iter().any(|f| f.contains("has no column")),
        "{failures:?}"
    );
    // A bad example that marks nothing.
    let failures = one_example("terraform/bad.tf", good, None);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("must mark at least one")),
        "{failures:?}"
    );
    // Sidecar marks for JSON, checked the same way.
    let stack = r#"{"deployment": {"resources": [
  {"urn": "urn:pulumi:dev::p::aws:rds/instance:Instance::a", "type": "aws:rds/instance:Instance", "custom": true,
   "inputs": {"storageEncrypted": false}}
]}}
"#;
    let failures = one_example("pulumi/bad.json", stack, Some("3:35 TST-001\n"));
    assert_eq!(failures, Vec::<String>::new());
    let failures = one_example("pulumi/bad.json", stack, Some("3 TST-001\n"));
    assert!(
        failures
            .iter()
            .any(|f| f.contains("rows are `LINE:COLUMN ID")),
        "{failures:?}"
    );
}

#[test]
fn a_claimed_format_without_examples_is_reported() {
    let run = common::scan(&[]);
    let policy = &run.policies.policies[0];
    let missing = examples::coverage(policy, &[]);
    assert!(
        missing
            .iter()
            .any(|m| m.contains("no good example in Terraform plan JSON")),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .any(|m| m.contains("no bad example in Pulumi YAML")),
        "{missing:?}"
    );
}
