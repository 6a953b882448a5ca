//! Pulumi: stack exports and previews, secrets and unknowns, links, program positions.

mod common;

use std::collections::BTreeSet;

use common::scan;

fn hits(path: &str) -> BTreeSet<(String, usize, String, String)> {
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
                f.address.rsplit("::").next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_seeds_hardened_instance_has_no_serious_finding() {
    let run = scan(&["testdata/pulumi/hardened"]);
    let serious: Vec<_> = run
        .findings
        .iter()
        .filter(|f| run.policies.policies[f.policy].severity >= rampart::policy::Severity::High)
        .map(|f| &run.policies.policies[f.policy].id)
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    // What the seed's program leaves out is still said, at lower severity.
    let ids: BTreeSet<String> = hits("testdata/pulumi/hardened")
        .into_iter()
        .map(|(_, _, id, _)| id)
        .collect();
    assert!(ids.contains("MON-001"), "{ids:?}");
    // It is really lowered and linked: key, parameter group and security group.
    let run = scan(&["testdata/pulumi/hardened"]);
    let db = run.scanned.projects[0]
        .resources
        .iter()
        .find(|r| r.address.ends_with("::hardened-postgres"))
        .unwrap();
    assert_eq!(
        db.attr("ca_cert_identifier").unwrap().as_str(),
        Some("rds-ca-rsa2048-g1")
    );
    assert!(db.attr("kms_key_id").unwrap().as_link().is_some());
    let key = run.scanned.projects[0]
        .resources
        .iter()
        .find(|r| r.address.ends_with("::db-encryption-key"))
        .unwrap();
    assert_eq!(
        key.attr("used_by_database").unwrap().as_truthy(),
        Some(true)
    );
}

#[test]
fn findings_land_on_the_program_line_when_the_program_exists() {
    let found = hits("testdata/pulumi/insecure");
    for expected in [
        ("index.ts", 4, "KMS-001", "db-encryption-key"),
        ("index.ts", 9, "ENC-001", "legacy-postgres"),
        ("index.ts", 9, "NET-001", "legacy-postgres"),
        ("index.ts", 9, "SEC-001", "legacy-postgres"),
        ("index.ts", 9, "IAM-003", "legacy-postgres"),
        ("index.ts", 9, "TLS-001", "legacy-postgres"),
        // Its program is in node_modules: reported at the JSON property.
        ("stack.json", 90, "NET-001", "vendored"),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1,
            expected.2.to_string(),
            expected.3.to_string(),
        );
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    // The JSON property is a related location.
    let run = scan(&["testdata/pulumi/insecure"]);
    let finding = run
        .findings
        .iter()
        .find(|f| {
            run.policies.policies[f.policy].id == "NET-001"
                && f.address.ends_with("legacy-postgres")
        })
        .unwrap();
    let hop = &finding.chain[0];
    assert_eq!(hop.via, "the property in the Pulumi state");
    assert_eq!(
        run.scanned.sources.start(hop.span).line,
        63,
        "\"publiclyAccessible\": true"
    );
}

#[test]
fn without_the_program_findings_stay_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("testdata/pulumi/insecure/stack.json"),
        dir.path().join("stack.json"),
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert!(run.findings.iter().all(|f| {
        run.scanned
            .sources
            .get(f.span.file)
            .display
            .ends_with("stack.json")
    }));
    assert!(!run.findings.is_empty());
}

#[test]
fn secrets_and_unknowns_never_fail() {
    let found = hits("testdata/pulumi/preview");
    let ids: BTreeSet<&str> = found.iter().map(|(_, _, id, _)| id.as_str()).collect();
    assert!(!ids.contains("SEC-001"), "[secret] is not hard-coded");
    assert!(!ids.contains("ENC-001"), "the unknown sentinel never fails");
    assert!(ids.contains("NET-001"));
    assert!(
        found.iter().all(|(_, _, _, resource)| resource != "old"),
        "a deleted resource is not checked"
    );
    // A Pulumi secret in state is a secret, not a password in the code.
    let good = hits("policies/SEC-001-master-password-not-literal/examples/pulumi/good.json");
    assert!(!good.iter().any(|(_, _, id, _)| id == "SEC-001"));
}

/// A `sourcePosition` can name any path; rampart reads program files only inside what was
/// scanned. `..`, absolute paths and links out of the tree are never opened or quoted.
#[cfg(unix)]
#[test]
fn program_files_outside_the_scanned_tree_are_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.ts"),
        "TOP SECRET LINE\n".repeat(20),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.ts"), project.join("linked.ts"))
        .unwrap();
    let state = std::fs::read_to_string(common::root().join("testdata/pulumi/insecure/stack.json"))
        .unwrap()
        .replace(
            "project:///index.ts#4,13",
            &format!(
                "project:///{}#4,1",
                outside.path().join("secret.ts").display()
            ),
        )
        .replace(
            "project:///index.ts#9,19",
            "project:///../../../../../../../../etc/passwd#1,1",
        )
        .replace(
            "project:///node_modules/@acme/db/index.js#10,5",
            "project:///linked.ts#3,1",
        );
    std::fs::write(project.join("stack.json"), state).unwrap();
    let run = scan(&[project.to_str().unwrap()]);
    assert!(!run.findings.is_empty());
    for file in run.scanned.sources.files() {
        assert!(
            file.display.ends_with("stack.json"),
            "{} was read",
            file.display
        );
        assert!(!file.text.contains("TOP SECRET") && !file.text.contains("root:"));
    }
}

/// A Pulumi YAML program that does not parse is an error, not a file silently skipped (a
/// green run over a program nobody analysed). Found by the grammar generator.
#[test]
fn a_pulumi_program_that_does_not_parse_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Pulumi.yaml"),
        "name: p\nruntime: yaml\nresources:\n  db:\n    type: aws:rds:Instance\n    properties:\n      storageEncrypted: {a: ${x}}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert_eq!(run.scanned.errors.len(), 1, "{:?}", run.scanned.errors);
    let error = &run.scanned.errors[0];
    assert!(
        error.message.contains("Pulumi YAML program"),
        "{}",
        error.message
    );
    assert_eq!(run.scanned.sources.start(error.span.unwrap()).line, 7);
}

/// A world-open rule lands on the security group's own program line (where the fix is),
/// not on the database's: stack exports are placed on their program before they are
/// linked, so the facts a database derives from its group keep the group's place.
#[test]
fn a_security_group_finding_lands_on_the_groups_program_line() {
    let found = hits("testdata/pulumi/security-group");
    for id in ["NET-004", "NET-005"] {
        let expected = (
            "index.ts".to_string(),
            3,
            id.to_string(),
            "orders".to_string(),
        );
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(
        !found
            .iter()
            .any(|(_, line, id, _)| *line == 7 && id == "NET-004"),
        "{found:?}"
    );
    // Its TypeScript program is analysed through the export beside it: nothing to warn of.
    let run = scan(&["testdata/pulumi/security-group"]);
    assert!(
        run.scanned
            .notices
            .iter()
            .all(|n| n.kind != rampart::parse::NoticeKind::NotAnalysed),
        "{:?}",
        run.scanned.notices
    );
}
