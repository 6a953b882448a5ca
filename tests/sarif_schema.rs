//! SARIF output validates against the official 2.1.0 schema and points at the marked lines.

mod common;

use std::collections::BTreeSet;

use common::{expected_marks, root, scan};
use rampart::report::sarif;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("testdata/schemas/sarif-schema-2.1.0.json"))
        .expect("bundled schema");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn assert_valid(log: &serde_json::Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_of_every_fixture_is_valid_and_located_at_marked_lines() {
    let run = scan(&["testdata"]);
    let text = sarif::render(&run.report(), Some(sarif::root_uri(&root())), "rampart");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&log);

    let run_json = &log["runs"][0];
    assert!(
        run_json["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .ends_with('/')
    );
    let rules = run_json["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.1..=10.0).contains(&severity));
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("Remediation")
        );
    }

    let mut located = BTreeSet::new();
    for result in run_json["results"].as_array().unwrap() {
        let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[rule_index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!uri.starts_with('/'), "{uri} is not relative");
        let line = location["region"]["startLine"].as_u64().unwrap() as usize;
        assert!(line >= 1);
        assert!(result["partialFingerprints"]["rampartFingerprint/v1"].is_string());
        located.insert((uri, line, result["ruleId"].as_str().unwrap().to_string()));
    }
    // Every mark in the insecure example is a SARIF result on that very line.
    for entry in std::fs::read_dir(root().join("testdata/example/insecure")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let uri = common::relative(&path);
            for (line, id) in expected_marks(&path) {
                assert!(
                    located.contains(&(uri.clone(), line, id.clone())),
                    "{uri}:{line} {id} not in SARIF"
                );
            }
        }
    }
}

#[test]
fn sarif_with_parse_errors_is_valid() {
    let run = scan(&["testdata/broken"]);
    let text = sarif::render(&run.report(), None, "rampart");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root().join("testdata/broken/valid.tf")).unwrap();
    let file = dir.path().join("main.tf");
    std::fs::write(&file, &original).unwrap();
    let fingerprint = |path: &std::path::Path| {
        let run = common::scan(&[path.to_str().unwrap()]);
        let report = run.report();
        run.findings
            .iter()
            .map(|f| report.fingerprint(f))
            .collect::<Vec<_>>()
    };
    let before = fingerprint(&file);
    std::fs::write(&file, format!("# a comment\n\n{original}")).unwrap();
    let after = fingerprint(&file);
    assert!(!before.is_empty());
    assert_eq!(before, after);
}

/// GitHub rejects a run of more than 25,000 results: the log keeps the most severe,
/// says how many were left out, and stays valid.
#[test]
fn sarif_keeps_at_most_25000_results_most_severe_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"many\" {\n  count               = 2500\n  engine              = \"postgres\"\n  publicly_accessible = true\n}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    let total = run.findings.len();
    assert!(total > sarif::MAX_RESULTS, "{total} findings");
    let log: serde_json::Value =
        serde_json::from_str(&sarif::render(&run.report(), None, "rampart")).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), sarif::MAX_RESULTS);
    // Every critical and high finding is among those kept.
    let serious = run
        .findings
        .iter()
        .filter(|f| {
            matches!(
                run.policies.policies[f.policy].severity,
                rampart::policy::Severity::Critical | rampart::policy::Severity::High
            )
        })
        .count();
    let kept_serious = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(kept_serious, serious);
    let notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(
        notifications.contains(&format!(
            "{} of {total} results were left out",
            total - sarif::MAX_RESULTS
        )),
        "{notifications}"
    );
    assert_valid(&log);
}
