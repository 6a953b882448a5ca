//! Registry modules read through module signatures, without `terraform init`: each fixture
//! under `testdata/terraform/signatures/` calls a well-known module; `# expect: ID ...`
//! marks every line a finding must land on (a multiset: an id written twice is expected
//! twice). Hardened twins (`*-good`) must be clean *and* decided: every database resource
//! the module creates is present and each policy decides pass or not applicable on it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use rampart::ir::Kind;
use rampart::policy::Decision;

const FIXTURES: &str = "testdata/terraform/signatures";

/// Fixtures where only the network policies are compared (their databases are written
/// in the fixture and are not the point).
fn compared(fixture: &str, id: &str) -> bool {
    !fixture.starts_with("security-group") || id.starts_with("NET-")
}

/// `(line, id) -> count` of the marks in `path`.
fn marks(path: &Path) -> BTreeMap<(usize, String), usize> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut marks = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if let Some((_, ids)) = line.split_once("# expect:") {
            for id in ids.split_whitespace() {
                *marks.entry((index + 1, id.to_string())).or_insert(0) += 1;
            }
        }
    }
    marks
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(common::root().join(FIXTURES))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("main.tf").is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn each_finding_lands_on_the_callers_argument_or_on_the_module_block() {
    let names = fixtures();
    assert!(names.len() >= 12, "fixtures: {names:?}");
    // Hardened twins are checked by `hardened_twins_are_decided_as_passing`, suppressions
    // included.
    for name in names.into_iter().filter(|n| !n.ends_with("-good")) {
        let dir = format!("{FIXTURES}/{name}");
        let run = common::scan(&[&dir]);
        assert!(
            run.scanned.errors.is_empty(),
            "{name}: {:?}",
            run.scanned.errors
        );
        let mut hits: BTreeMap<(usize, String), usize> = BTreeMap::new();
        for finding in &run.findings {
            let id = &run.policies.policies[finding.policy].id;
            if !compared(&name, id) {
                continue;
            }
            let file = run.scanned.sources.get(finding.span.file);
            assert!(
                file.embedded.is_none() && file.display.ends_with("main.tf"),
                "{name}: {id} lands in {}, not in the caller's file",
                file.display
            );
            let line = run.scanned.sources.start(finding.span).line;
            *hits.entry((line, id.clone())).or_insert(0) += 1;
        }
        let expected = marks(&common::root().join(&dir).join("main.tf"));
        assert_eq!(
            hits, expected,
            "{name}: findings (left) and marks (right) differ"
        );
    }
}

/// Every database resource of a hardened twin is decided: pass or not applicable, never
/// fail and never unknown, for every policy of its kind.
#[test]
fn hardened_twins_are_decided_as_passing() {
    let database = [Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance];
    for (name, expected_databases) in [
        ("rds-good", 1),
        ("aurora-good", 3),
        ("cloudposse-rds-good", 1),
        ("cloudposse-cluster-good", 3),
        ("security-group-good", 1),
    ] {
        let run = common::scan(&[&format!("{FIXTURES}/{name}")]);
        let indexes: Vec<_> = run
            .scanned
            .projects
            .iter()
            .map(rampart::graph::Index::new)
            .collect();
        let resources: Vec<_> = rampart::policy::Graph::resources(&run.scanned.projects, &indexes)
            .filter(|(r, _)| r.kind.is_some_and(|k| database.contains(&k)))
            .collect();
        assert_eq!(
            resources.len(),
            expected_databases,
            "{name}: {:?}",
            resources
                .iter()
                .map(|(r, _)| &r.address)
                .collect::<Vec<_>>()
        );
        let mut passes = 0;
        for (resource, graph) in resources {
            for (index, policy) in run.policies.policies.iter().enumerate() {
                if !compared(name, &policy.id) {
                    continue;
                }
                let decision = run.policies.decide(index, resource, Some(graph));
                match decision {
                    Decision::Pass => passes += 1,
                    Decision::NotApplicable => {}
                    _ if EXPECTED_UNDECIDED.contains(&(name, policy.id.as_str(), decision)) => {}
                    other => panic!(
                        "{name}: {} decides {other:?} on {}",
                        policy.id, resource.address
                    ),
                }
            }
        }
        assert!(passes >= 5, "{name}: only {passes} pass decisions");

        // What a user sees: nothing, exit 0 (suppressions on the module block honoured).
        let mut args = vec!["scan", ".", "--format", "short"];
        if name.starts_with("security-group") {
            args.extend(["--select", "NET"]);
        }
        let output = common::not_crashed(common::rampart_in(
            &common::root().join(FIXTURES).join(name),
            &args,
        ));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            (output.status.code(), stdout.as_str()),
            (Some(0), ""),
            "{name}"
        );
    }
}

/// Decisions a hardened twin cannot make from its own text, each for a reason outside the
/// module: the subnets and security groups it names by id are not in the project.
const EXPECTED_UNDECIDED: &[(&str, &str, Decision)] = &[
    ("rds-good", "NET-002", Decision::Unknown),
    ("rds-good", "NET-004", Decision::Unknown),
    ("rds-good", "NET-005", Decision::Unknown),
    ("rds-good", "NET-008", Decision::Unknown),
    ("aurora-good", "NET-002", Decision::Unknown),
    ("cloudposse-rds-good", "NET-002", Decision::Unknown),
    // The module always allows all egress; the fixture suppresses it on the module block.
    ("cloudposse-rds-good", "NET-008", Decision::Fail),
    ("cloudposse-cluster-good", "NET-002", Decision::Unknown),
    ("security-group-good", "NET-002", Decision::Unknown),
];

#[test]
fn versions_no_signature_covers_and_unknown_modules_are_not_analysed() {
    let run = common::scan(&[&format!("{FIXTURES}/unsupported")]);
    let not_analysed: Vec<&str> = run
        .scanned
        .notices
        .iter()
        .filter(|n| n.kind == rampart::parse::NoticeKind::NotAnalysed)
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(not_analysed.len(), 2, "{not_analysed:?}");
    assert!(
        not_analysed[0].contains(
            "terraform-aws-modules/rds/aws ~> 5.0 has no module signature (rampart knows 6.x, 7.x)"
        ),
        "{not_analysed:?}"
    );
    assert!(
        not_analysed[1].contains("acme-corp/database/aws"),
        "{not_analysed:?}"
    );
    assert!(run.findings.is_empty());
}

#[test]
fn a_call_without_version_reads_the_newest_signature_and_says_so() {
    let run = common::scan(&[&format!("{FIXTURES}/unknown-argument")]);
    let notes: Vec<&str> = run
        .scanned
        .notices
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "module.db: terraform-aws-modules/rds/aws has no version constraint; it was read as \
          terraform-aws-modules/rds/aws 7.x (the module signature derived from release 7.2.0)"
        ]
    );
}

/// A user's signature (`--modules DIR`) derived from a module's source: the derivation is
/// compared with the committed one, and a caller of the module is checked through it.
#[test]
fn a_signature_derived_from_a_module_source_matches_and_is_used() {
    let root = common::root();
    let fixture = root.join(FIXTURES).join("derive");
    let header = rampart::signatures::derive::Header {
        name: "acme-corp/database/aws".into(),
        sources: vec![
            "acme-corp/database/aws".into(),
            "github.com/acme-corp/terraform-aws-database".into(),
        ],
        versions: ">= 2.0.0, < 3.0.0".into(),
        derived_from: rampart::signatures::DerivedFrom {
            repository: "https://github.com/acme-corp/terraform-aws-database".into(),
            version: "2.3.1".into(),
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
        },
        only_modules: Vec::new(),
        omit_calls: vec!["dns".into()],
    };
    let derived = rampart::signatures::derive::derive(&fixture.join("module"), &header).unwrap();
    let committed =
        std::fs::read_to_string(fixture.join("signatures/acme-database-2.toml")).unwrap();
    assert_eq!(
        derived, committed,
        "the derivation changed: review it, then write it to derive/signatures/acme-database-2.toml"
    );

    // The command line writes the same bytes.
    let output = common::not_crashed(common::rampart_in(
        &fixture,
        &[
            "module-signature",
            "module",
            "--name",
            "acme-corp/database/aws",
            "--source",
            "github.com/acme-corp/terraform-aws-database",
            "--versions",
            ">= 2.0.0, < 3.0.0",
            "--release",
            "2.3.1",
            "--commit",
            "0123456789abcdef0123456789abcdef01234567",
            "--repository",
            "https://github.com/acme-corp/terraform-aws-database",
            "--omit-calls",
            "dns",
        ],
    ));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed);

    // Without --modules the caller's module is not analysed; with it, it is checked.
    let scan = |args: &[&str]| {
        let mut all = vec!["scan", "caller", "--format", "short"];
        all.extend_from_slice(args);
        let output = common::not_crashed(common::rampart_in(&fixture, &all));
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (code, without) = scan(&[]);
    assert_eq!(code, Some(0), "{without}");
    assert!(
        without.contains("module.db (acme-corp/database/aws) was not analysed"),
        "{without}"
    );
    let (code, with) = scan(&["--modules", "signatures"]);
    assert_eq!(code, Some(1), "{with}");
    let lines: Vec<&str> = with.lines().collect();
    assert_eq!(
        lines,
        [
            "caller/main.tf:1:1: medium BAK-003 module.db.module.instance.aws_db_instance.this: deletion_protection is false",
            "caller/main.tf:1:1: low BAK-007 module.db.module.instance.aws_db_instance.this: automated backups stay in one region",
            "caller/main.tf:1:1: low ENC-005 module.db.module.instance.aws_db_instance.this: Performance Insights data uses the AWS-managed key",
            "caller/main.tf:5:23: high ENC-001 module.db.module.instance.aws_db_instance.this: storage_encrypted is false",
        ],
        "{with}"
    );
}

/// Every built-in signature parses, names its release, and each of its files is Terraform
/// rampart reads.
#[test]
fn every_builtin_signature_is_well_formed() {
    let catalog = rampart::signatures::Catalog::builtin();
    let shipped = std::fs::read_dir(common::root().join("modules"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .count();
    assert_eq!(
        catalog.signatures().len(),
        shipped,
        "a signature failed to parse"
    );
    for signature in catalog.signatures() {
        assert_eq!(
            signature.derived_from.commit.len(),
            40,
            "{}",
            signature.label()
        );
        assert!(
            signature
                .derived_from
                .repository
                .starts_with("https://github.com/")
        );
        assert!(
            signature.files.contains_key("main.tf"),
            "{}: no root main.tf",
            signature.label()
        );
        for (path, text) in &signature.files {
            rampart::parse::terraform::parse_file(0, path, text)
                .unwrap_or_else(|e| panic!("{} {path}: {e:?}", signature.label()));
        }
    }
}

/// SARIF names only files of the tree (never a signature's text), and a baseline written
/// for findings from a signature silences exactly them.
#[test]
fn sarif_and_baselines_work_on_findings_from_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = common::root().join(FIXTURES).join("rds-bad/main.tf");
    std::fs::copy(&fixture, dir.path().join("main.tf")).unwrap();
    let output = common::not_crashed(common::rampart_in(
        dir.path(),
        &["scan", ".", "--format", "sarif"],
    ));
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 16);
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        !text.contains("module signature)/"),
        "a signature file is named in SARIF"
    );
    for result in results {
        for location in result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(result["relatedLocations"].as_array().into_iter().flatten())
        {
            assert_eq!(
                location["physicalLocation"]["artifactLocation"]["uri"], "main.tf",
                "{location}"
            );
        }
    }

    let written = common::not_crashed(common::rampart_in(
        dir.path(),
        &["scan", ".", "--write-baseline", "baseline.json"],
    ));
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    let quiet = common::not_crashed(common::rampart_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "short",
        ],
    ));
    assert_eq!(quiet.status.code(), Some(0));
    // A new insecure argument is a new finding.
    let text = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        text.replace(
            "  instance_class    = \"db.r6g.large\"\n",
            "  instance_class    = \"db.r6g.large\"\n  backup_retention_period = 0\n",
        ),
    )
    .unwrap();
    let new = common::not_crashed(common::rampart_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "short",
        ],
    ));
    let stdout = String::from_utf8(new.stdout).unwrap();
    assert_eq!(new.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("main.tf:13:29: medium BAK-001"), "{stdout}");
}

/// `rampart explain modules` lists every built-in signature; `rampart explain MODULE` shows
/// which input reaches which resource argument, with its default; an address rampart has no
/// signature for is an error that says so.
#[test]
fn explain_lists_signatures_and_what_each_input_reaches() {
    let run = |id: &str| {
        let output = common::not_crashed(common::rampart_in(&common::root(), &["explain", id]));
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, modules, _) = run("modules");
    assert_eq!(code, Some(0));
    for name in [
        "terraform-aws-modules/rds/aws",
        "terraform-aws-modules/rds-aurora/aws",
        "terraform-aws-modules/security-group/aws",
        "cloudposse/rds/aws",
        "cloudposse/rds-cluster/aws",
        "cloudposse/label/null",
    ] {
        assert!(modules.contains(name), "{name}: {modules}");
    }
    let (code, rds, _) = run("registry.terraform.io/terraform-aws-modules/rds/aws");
    assert_eq!(code, Some(0));
    assert!(
        rds.starts_with("terraform-aws-modules/rds/aws 6.x (derived from"),
        "{rds}"
    );
    assert!(
        rds.contains("terraform-aws-modules/rds/aws 7.x (derived from"),
        "{rds}"
    );
    assert!(
        rds.contains(
            "  var.storage_encrypted (default true) -> aws_db_instance.this.storage_encrypted\n"
        ),
        "{rds}"
    );
    let (code, _, stderr) = run("acme-corp/database/aws");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("no module signature for `acme-corp/database/aws`"),
        "{stderr}"
    );
}
