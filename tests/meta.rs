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

/// docs/derived-facts.md is generated from the registry in src/graph/facts.rs.
#[test]
fn generated_derived_facts_reference_is_current() {
    let generated = rampart::graph::facts::markdown();
    let path = root().join("docs/derived-facts.md");
    if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/derived-facts.md is stale: run RAMPART_UPDATE_DOCS=1 cargo test --test meta"
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

/// Every built-in policy says which profile it belongs to (a user's policy may leave it
/// out: it is then `hardened`), and the essential profile holds the exploitable weaknesses
/// of every kind of exposure: public access, world ingress, plaintext, unencrypted storage,
/// readable passwords, public snapshots and keys.
#[test]
fn every_builtin_policy_declares_its_profile() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut essential = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path().join("policy.toml")).unwrap();
        let profile = text
            .lines()
            .find_map(|line| line.strip_prefix("profile = "))
            .unwrap_or_else(|| panic!("{}: no `profile =`", entry.path().display()));
        assert!(
            profile == "\"essential\"" || profile == "\"hardened\"",
            "{}: profile {profile}",
            entry.path().display()
        );
        if profile == "\"essential\"" {
            let name = entry.file_name().to_string_lossy().to_string();
            essential.push(name[..7].to_string());
        }
    }
    essential.sort();
    assert_eq!(
        essential,
        [
            "ENC-001", "ENC-002", "ENC-007", "KMS-002", "NET-001", "NET-002", "NET-004", "PAT-003",
            "SEC-001", "SEC-005", "SNP-001", "TLS-001", "TLS-002", "TLS-003", "TLS-007"
        ]
    );
}

/// Users read titles, messages, rationales and remediations in every report and in
/// docs/policies.md; none of them may point at a document they cannot open (the internal
/// seeds, the design notes, the shared folder).
#[test]
fn user_facing_text_cites_no_internal_document() {
    let internal = regex::Regex::new(r"(?i)\bseeds?\b|DESIGN\.md|POLICIES\.md|shared/").unwrap();
    let run = common::scan(&[]);
    let mut offending = Vec::new();
    for policy in &run.policies.policies {
        for (field, text) in [
            ("title", &policy.title),
            ("message", &policy.message),
            ("rationale", &policy.rationale),
            ("remediation.terraform", &policy.remediation.terraform),
            (
                "remediation.cloudformation",
                &policy.remediation.cloudformation,
            ),
            ("remediation.pulumi", &policy.remediation.pulumi),
        ] {
            if let Some(found) = internal.find(text) {
                offending.push(format!("{} {field}: {:?}", policy.id, found.as_str()));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "user-facing text cites internal documents:\n{}",
        offending.join("\n")
    );
}
