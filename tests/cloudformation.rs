//! CloudFormation: intrinsics, recognition, malformed templates and real CDK output.

mod common;

use std::collections::BTreeSet;

use common::scan;
use rampart::ir::{Data, Kind, Provenance};

#[test]
fn intrinsics_resolve_as_cloudformation_would_with_default_parameters() {
    let run = scan(&["testdata/cloudformation/intrinsics"]);
    assert!(run.scanned.errors.is_empty(), "{:?}", run.scanned.errors);
    let project = &run.scanned.projects[0];
    let names: Vec<&str> = project
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        names,
        ["Key", "Db"],
        "OnlyInProd's condition is false by default"
    );
    let db = &project.resources[1];
    let text = |name: &str| db.attr(name).and_then(|v| v.as_str()).map(str::to_string);
    assert_eq!(
        text("identifier").as_deref(),
        Some("dev-postgres-db"),
        "Fn::Sub"
    );
    assert_eq!(
        text("engine").as_deref(),
        Some("postgres"),
        "Ref to a parameter"
    );
    assert_eq!(
        text("engine_version").as_deref(),
        Some("14.10"),
        "Fn::Select over a list parameter"
    );
    assert_eq!(
        text("instance_class").as_deref(),
        Some("db.t3.medium"),
        "Fn::Join with Fn::If"
    );
    assert_eq!(text("storage_type").as_deref(), Some("gp3"), "Fn::Split");
    assert_eq!(
        db.attr("backup_retention_period").unwrap().as_number(),
        Some(2.0),
        "Fn::FindInMap"
    );
    assert_eq!(
        db.attr("multi_az").unwrap().data,
        Data::Bool(false),
        "Fn::And/Not/Condition"
    );
    let key = db
        .attr("kms_key_id")
        .unwrap()
        .as_link()
        .expect("Fn::GetAtt is a link");
    assert_eq!(
        (key.target.as_str(), key.attribute.as_deref()),
        ("Key", Some("Arn"))
    );
    // AWS::NoValue removes the property: the schema default applies.
    let monitoring = db.attr("monitoring_interval").unwrap();
    assert_eq!(monitoring.provenance, Provenance::Default);
    // An undecidable condition keeps both branches.
    assert!(
        matches!(db.attr("publicly_accessible").unwrap().data, Data::OneOf(ref v) if v.len() == 2)
    );
    assert!(
        db.attr("availability_zone").unwrap().is_unknown(),
        "Fn::GetAZs"
    );
    assert!(
        db.attr("db_subnet_group_name").unwrap().is_unknown(),
        "Fn::ImportValue"
    );
    // A value from a parameter default carries the parameter as a hop.
    let Provenance::Resolved { chain } = &db.attr("engine").unwrap().provenance else {
        panic!("engine should be resolved through a parameter");
    };
    assert_eq!(chain[0].via, "parameter Engine (Default)");
}

#[test]
fn yaml_and_json_that_are_not_templates_are_skipped_silently() {
    let run = scan(&["testdata/cloudformation/not-templates"]);
    assert!(run.scanned.errors.is_empty());
    assert!(run.scanned.projects.is_empty());
    assert_eq!(run.scanned.sources.scanned_count(), 0);
}

#[test]
fn malformed_templates_are_located_and_the_rest_is_scanned() {
    let run = scan(&["testdata/cloudformation/malformed"]);
    let errors: BTreeSet<(String, usize, String)> = run.located_errors().into_iter().collect();
    let summary: Vec<(&str, usize)> = errors.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        summary,
        [
            ("alias-bomb.yaml", 6),
            ("bad-yaml.yaml", 7),
            ("no-type.yaml", 3),
            ("unknown-tag.yaml", 6)
        ]
    );
    assert!(
        errors
            .iter()
            .any(|(_, _, m)| m.contains("unknown tag `!Reff`"))
    );
    assert!(
        errors
            .iter()
            .any(|(_, _, m)| m.contains("refusing to expand"))
    );
    assert!(
        run.hits()
            .iter()
            .any(|(f, l, id)| f.ends_with("valid.yaml") && *l == 8 && id == "ENC-001"),
        "the valid template beside the broken ones is still checked"
    );
    let status = common::not_crashed(
        std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["scan", "testdata/cloudformation/malformed"])
            .current_dir(common::root())
            .output()
            .unwrap(),
    )
    .status;
    assert_eq!(status.code(), Some(2));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.path().join("deep.json"), json).unwrap();
    let yaml = format!(
        "AWSTemplateFormatVersion: x\nResources: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.path().join("deep.yaml"), yaml).unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert_eq!(run.scanned.errors.len(), 2, "{:?}", run.scanned.errors);
    assert!(
        run.scanned
            .errors
            .iter()
            .all(|e| e.message.contains("nesting deeper") || e.message.contains("recursion limit")),
        "{:?}",
        run.scanned.errors
    );
}

/// `(line, id)` of the findings on one resource of a CDK template.
fn cdk_findings(template: &str, resource: &str) -> BTreeSet<(usize, String)> {
    let path = format!("testdata/cloudformation/cdk/{template}");
    let run = scan(&[&path]);
    assert!(run.scanned.errors.is_empty(), "{:?}", run.scanned.errors);
    run.findings
        .iter()
        .filter(|f| f.address == resource)
        .map(|f| {
            (
                run.scanned.sources.start(f.span).line,
                run.policies.policies[f.policy].id.clone(),
            )
        })
        .collect()
}

#[test]
fn cdk_insecure_stack_is_flagged_on_the_lines_of_its_weak_properties() {
    let mysql = cdk_findings("InsecureDbStack.template.json", "LegacyMysqlD317BC59");
    // Lines verified against the template: property values, or the logical id for defaults.
    for expected in [
        (216, "NET-004"), // "CidrIp": "0.0.0.0/0" on 3306
        (255, "IAM-001"), // no EnableIAMDatabaseAuthentication
        (255, "TLS-002"), // no parameter group: MySQL leaves TLS optional
        (260, "BAK-001"), // "BackupRetentionPeriod": 1
        (266, "BAK-003"), // "DeletionProtection": false
        (269, "SEC-001"), // "MasterUserPassword": "SuperSecret123!"
        (270, "IAM-003"), // "MasterUsername": "admin"
        (271, "NET-001"), // "PubliclyAccessible": true
        (272, "ENC-001"), // "StorageEncrypted": false
        (284, "BAK-005"), // "DeletionPolicy": "Delete"
    ] {
        assert!(
            mysql.contains(&(expected.0, expected.1.to_string())),
            "missing {expected:?} in {mysql:?}"
        );
    }
    let aurora = cdk_findings("InsecureDbStack.template.json", "AuroraPg9038C119");
    assert!(aurora.contains(&(402, "ENC-002".to_string())), "{aurora:?}");
    let writer = cdk_findings("InsecureDbStack.template.json", "AuroraPgwriterEC63C1C8");
    assert!(writer.contains(&(427, "NET-001".to_string())), "{writer:?}");
    // The cluster's generated secret, reached through its SecretTargetAttachment.
    let run = scan(&["testdata/cloudformation/cdk/InsecureDbStack.template.json"]);
    let secret: BTreeSet<(usize, String)> = run
        .findings
        .iter()
        .filter(|f| f.note.as_deref() == Some("InsecureDbStack/AuroraPg/Secret/Resource"))
        .map(|f| {
            (
                run.scanned.sources.start(f.span).line,
                run.policies.policies[f.policy].id.clone(),
            )
        })
        .collect();
    assert!(secret.contains(&(325, "SEC-003".to_string())), "{secret:?}");
    assert!(secret.contains(&(325, "SEC-004".to_string())), "{secret:?}");
}

#[test]
fn cdk_secure_stack_has_no_serious_finding_and_shows_construct_paths() {
    let run = scan(&["testdata/cloudformation/cdk/SecureDbStack.template.json"]);
    assert!(run.scanned.errors.is_empty());
    let serious: Vec<_> = run
        .findings
        .iter()
        .filter(|f| run.policies.policies[f.policy].severity >= rampart::policy::Severity::High)
        .map(|f| (&f.address, &run.policies.policies[f.policy].id))
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    let databases: Vec<_> = run.scanned.projects[0]
        .resources
        .iter()
        .filter(|r| matches!(r.kind, Some(Kind::DbInstance | Kind::DbCluster)))
        .collect();
    assert!(
        !databases.is_empty(),
        "the secure stack's database was lowered"
    );
    assert!(databases.iter().all(|r| {
        r.origin
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("SecureDbStack/"))
    }));
}

#[test]
fn short_form_functions_in_properties_and_rules_are_evaluated() {
    // `!Base64` and `!Length` once passed their own tagged node back to the evaluator and
    // overflowed the stack, losing every result of the run.
    let run = scan(&["testdata/cloudformation/short-forms"]);
    assert!(run.scanned.errors.is_empty(), "{:?}", run.scanned.errors);
    let project = &run.scanned.projects[0];
    let db = project
        .resources
        .iter()
        .find(|r| r.address == "Db")
        .expect("Db lowered");
    assert_eq!(
        db.attr("master_password").and_then(|v| v.as_str()),
        Some("aHVudGVyMg=="),
        "!Base64 encodes its content"
    );
    assert_eq!(
        db.attr("allocated_storage").and_then(|v| v.as_number()),
        Some(20.0),
        "!Length counts its list"
    );
    let hits: BTreeSet<(usize, String)> = run
        .hits()
        .into_iter()
        .filter(|(_, _, id)| id == "SEC-001" || id == "ENC-001")
        .map(|(_, line, id)| (line, id))
        .collect();
    assert_eq!(
        hits,
        common::expected_marks(
            &common::root().join("testdata/cloudformation/short-forms/template.yaml")
        )
    );
}

#[test]
fn duplicate_keys_are_errors_and_the_rest_of_the_template_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n      Engine: postgres\n      StorageEncrypted: false\n  Other:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      PubliclyAccessible: true\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.json"),
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n \"Resources\": {\"Db\": {\"Type\": \"AWS::RDS::DBInstance\",\n  \"Type\": \"AWS::S3::Bucket\"}}}\n",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    let errors = run.located_errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].0.as_str(), errors[0].1), ("t.json", 3));
    assert!(
        errors[0]
            .2
            .contains("duplicate key `Type` (first written on line 2)")
    );
    assert_eq!((errors[1].0.as_str(), errors[1].1), ("t.yaml", 8));
    assert!(
        errors[1]
            .2
            .contains("duplicate key `StorageEncrypted` (first written on line 6)")
    );
    assert!(
        run.hits()
            .iter()
            .any(|(f, l, id)| f.ends_with("t.yaml") && *l == 13 && id == "NET-001"),
        "the other resource is still checked"
    );
}

#[test]
fn rain_source_templates_are_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: !Rain::Embed handler.py\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.json"),
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"Storage\": {\"Type\": {\"Rain::Module\": \"bucket.yml\"}}}}",
    )
    .unwrap();
    let run = scan(&[dir.path().to_str().unwrap()]);
    assert_eq!(run.scanned.errors.len(), 2, "{:?}", run.scanned.errors);
    assert!(
        run.scanned
            .errors
            .iter()
            .all(|e| e.message.contains("Rain packaging directive")
                && e.message.contains("rain pkg")),
        "{:?}",
        run.scanned.errors
    );
}
