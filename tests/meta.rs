//! Conventions the catalog must keep: folder names match ids and slugs, the generated
//! reference is current, every policy is documented.

mod common;

use common::root;
use rampart::app::{self, ListFormat};

#[test]
fn policy_folders_are_named_id_dash_slug() {
    let run = common::scan(&[]);
    for policy in &run.policies.policies {
        let source = policy.source.trim_start_matches("embedded:");
        let expected = format!("policies/{}-{}/policy.toml", policy.id, policy.slug);
        assert_eq!(
            source, expected,
            "policy {} lives in the wrong folder",
            policy.id
        );
    }
}

#[test]
fn policies_are_fully_documented() {
    let run = common::scan(&[]);
    for policy in &run.policies.policies {
        assert!(
            policy.rationale.len() > 40,
            "{}: rationale too short",
            policy.id
        );
        assert!(
            !policy.references.is_empty(),
            "{}: no references",
            policy.id
        );
        for (format, text) in [
            ("terraform", &policy.remediation.terraform),
            ("cloudformation", &policy.remediation.cloudformation),
            ("pulumi", &policy.remediation.pulumi),
        ] {
            assert!(
                !text.trim().is_empty(),
                "{}: no {format} remediation",
                policy.id
            );
        }
        assert!(
            policy.message.contains("{address}"),
            "{}: message should name the resource",
            policy.id
        );
    }
}

/// Regenerate with `RAMPART_UPDATE_DOCS=1 cargo test --test meta`.
#[test]
fn generated_policy_reference_is_current() {
    let generated = app::list_policies(ListFormat::Markdown).unwrap();
    let path = root().join("docs/policies.md");
    if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/policies.md is stale: run RAMPART_UPDATE_DOCS=1 cargo test --test meta"
    );
}

#[test]
fn embedded_policy_ids_are_unique_and_well_formed() {
    let run = common::scan(&[]);
    let mut ids: Vec<&str> = run
        .policies
        .policies
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
    assert!(
        count >= 17,
        "expected the full first catalog, found {count}"
    );
}
