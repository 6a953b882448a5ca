//! The report formats CI systems read: JUnit XML, GitLab SAST and GitLab code quality.
//! Each is checked against its schema in `testdata/schemas` (CI runs the real validators,
//! `tests/integration/validators.sh`), and for what its reader needs: counts that add up,
//! every finding once, paths relative to the repository, unique fingerprints, errors and
//! suppressions visible, the same bytes from the same input.

mod common;

use common::{root, write_file};

/// A repository with a finding, a suppressed finding, a clean file, a file that does not
/// parse, and names that need escaping in XML.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    write_file(
        dir.path(),
        "infra/db.tf",
        "resource \"aws_db_instance\" \"a<&>\" {\n  engine              = \"postgres\"\n  publicly_accessible = true\n  storage_encrypted   = false\n}\n",
    );
    write_file(
        dir.path(),
        "infra/quiet.tf",
        "resource \"aws_db_instance\" \"q\" {\n  engine            = \"postgres\"\n  # rampart:ignore ENC-001 reason=\"test data only\"\n  storage_encrypted = false\n}\n",
    );
    write_file(
        dir.path(),
        "infra/clean.tf",
        "variable \"region\" {\n  default = \"eu-west-1\"\n}\n",
    );
    write_file(dir.path(), "infra/broken.tf", "resource \"x\" {\n");
    dir
}

/// Runs the binary in `dir` with a fixed report time and `jobs` threads.
fn run(dir: &std::path::Path, format: &str, jobs: &str, paths: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "scan",
            "--select",
            "NET-001,ENC-001",
            "--format",
            format,
            "--jobs",
            jobs,
        ])
        .args(paths)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .output()
        .expect("binary runs");
    assert!(!common::crashed(&output), "{output:?}");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

fn validate(schema: &str, document: &serde_json::Value) {
    let text = std::fs::read_to_string(root().join("testdata/schemas").join(schema)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid report:\n{}", errors.join("\n"));
}

fn attribute(node: roxmltree::Node, name: &str) -> usize {
    node.attribute(name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .parse()
        .unwrap()
}

#[test]
fn junit_counts_add_up_and_every_outcome_is_a_test() {
    let repo = repository();
    let (code, text) = run(repo.path(), "junit", "2", &["."]);
    assert_eq!(code, Some(2), "the unparseable file fails the run:\n{text}");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let top = document.root_element();
    assert_eq!(top.tag_name().name(), "testsuites");
    let suites: Vec<_> = top.children().filter(|n| n.is_element()).collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "infra/broken.tf",
            "infra/clean.tf",
            "infra/db.tf",
            "infra/quiet.tf"
        ]
    );
    let mut totals = [0usize; 4];
    for suite in &suites {
        let cases: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
        let count = |outcome: &str| {
            cases
                .iter()
                .filter(|c| c.children().any(|o| o.tag_name().name() == outcome))
                .count()
        };
        let counted = [
            cases.len(),
            count("failure"),
            count("error"),
            count("skipped"),
        ];
        for (key, value) in ["tests", "failures", "errors", "skipped"]
            .iter()
            .zip(counted)
        {
            assert_eq!(attribute(*suite, key), value, "{key} of {:?}", names);
        }
        for (total, value) in totals.iter_mut().zip(counted) {
            *total += value;
        }
    }
    for (key, total) in ["tests", "failures", "errors", "skipped"]
        .iter()
        .zip(totals)
    {
        assert_eq!(attribute(top, key), total, "{key}");
    }
    assert_eq!(totals, [5, 2, 1, 1], "{text}");
    // The resource name with markup characters survives escaping.
    let failure = document
        .descendants()
        .find(|n| n.tag_name().name() == "failure" && n.attribute("type") == Some("critical"))
        .expect("the public database fails");
    let case = failure.parent().unwrap();
    assert_eq!(case.attribute("name"), Some("NET-001 aws_db_instance.a<&>"));
    assert_eq!(case.attribute("file"), Some("infra/db.tf"));
    assert_eq!(case.attribute("line"), Some("3"));
    assert!(failure.text().unwrap().contains("docs/policies.md#net-001"));
    let skipped = document
        .descendants()
        .find(|n| n.tag_name().name() == "skipped")
        .unwrap();
    assert_eq!(
        skipped.attribute("message"),
        Some("suppressed: test data only")
    );
    let clean = suites[1].first_element_child().unwrap();
    assert_eq!(clean.attribute("name"), Some("no finding"));
    assert!(clean.first_element_child().is_none(), "a clean file passes");
}

#[test]
fn junit_says_when_nothing_was_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "notes.txt", "nothing here\n");
    let (_, text) = run(dir.path(), "junit", "1", &["notes.txt"]);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let notice = document
        .descendants()
        .find(|n| n.tag_name().name() == "skipped")
        .expect("the notice is a skipped test");
    assert!(
        notice
            .attribute("message")
            .unwrap()
            .contains("nothing was analysed"),
        "{text}"
    );
}

#[test]
fn gitlab_sast_report_is_valid_complete_and_reproducible() {
    let repo = repository();
    let (code, text) = run(repo.path(), "gitlab-sast", "2", &["."]);
    assert_eq!(code, Some(2));
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    validate("gitlab-sast.schema.json", &report);
    let scan = &report["scan"];
    assert_eq!(scan["status"], "failure", "a file was not analysed");
    assert_eq!(scan["start_time"], "2026-12-01T00:00:00");
    let messages: Vec<&str> = scan["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("infra/broken.tf:") && m.contains("could not be analysed")),
        "{messages:?}"
    );
    assert!(messages.contains(&"1 suppressed findings are not listed"));
    let vulnerabilities = report["vulnerabilities"].as_array().unwrap();
    let found: Vec<(&str, &str, u64)> = vulnerabilities
        .iter()
        .map(|v| {
            (
                v["identifiers"][0]["value"].as_str().unwrap(),
                v["location"]["file"].as_str().unwrap(),
                v["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("NET-001", "infra/db.tf", 3), ("ENC-001", "infra/db.tf", 4)]
    );
    assert_eq!(vulnerabilities[0]["severity"], "Critical");
    // Same input, same bytes: another thread count, and run from inside the tree.
    assert_eq!(run(repo.path(), "gitlab-sast", "1", &["."]).1, text);
    let inside = run(&repo.path().join("infra"), "gitlab-sast", "1", &["."]).1;
    assert_eq!(inside, text, "paths are relative to the repository root");
}

#[test]
fn gitlab_code_quality_report_is_valid_with_unique_fingerprints() {
    let repo = repository();
    let (code, text) = run(repo.path(), "gitlab-codequality", "2", &["."]);
    assert_eq!(code, Some(2));
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    validate("gitlab-codequality.schema.json", &report);
    let issues = report.as_array().unwrap();
    let summary: Vec<(&str, &str, &str, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
                i["location"]["path"].as_str().unwrap(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("rampart/error", "blocker", "infra/broken.tf", 1),
            ("NET-001", "blocker", "infra/db.tf", 3),
            ("ENC-001", "critical", "infra/db.tf", 4),
        ]
    );
    let fingerprints: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len());
    assert_eq!(run(repo.path(), "gitlab-codequality", "1", &["."]).1, text);
    // No finding: an empty array, which GitLab reads as "no issue".
    let clean = tempfile::tempdir().unwrap();
    write_file(clean.path(), "main.tf", "variable \"x\" {}\n");
    assert_eq!(
        run(clean.path(), "gitlab-codequality", "1", &["."]),
        (Some(0), "[]\n".to_string())
    );
}
