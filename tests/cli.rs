//! End to end through the binary: the bundled example, exit codes, formats, determinism.

mod common;

use std::collections::BTreeSet;
use std::process::{Command, Output};

use common::{expected_marks, rampart_in, root};

fn rampart(args: &[&str]) -> Output {
    common::not_crashed(
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(args)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .expect("binary runs"),
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(&rampart(&all))).expect("json output")
}

/// `(file, line, id)` from json output.
fn hits(report: &serde_json::Value) -> BTreeSet<(String, usize, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap() as usize,
                f["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn marks_under(dir: &str) -> BTreeSet<(String, usize, String)> {
    let mut marks = BTreeSet::new();
    for entry in std::fs::read_dir(root().join(dir)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let rel = common::relative(&path);
            for (line, id) in expected_marks(&path) {
                marks.insert((rel.clone(), line, id));
            }
        }
    }
    marks
}

#[test]
fn insecure_example_is_flagged_exactly_where_marked() {
    let dir = "testdata/example/insecure";
    let report = json(&["scan", dir]);
    let actual = hits(&report);
    let expected = marks_under(dir);
    assert!(!expected.is_empty());
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing {missing:#?}\nunexpected {unexpected:#?}"
    );
    let ids: BTreeSet<&str> = actual.iter().map(|(_, _, id)| id.as_str()).collect();
    for id in [
        "ENC-001", "ENC-002", "NET-001", "IAM-001", "IAM-002", "BAK-001", "BAK-002", "BAK-003",
        "BAK-004", "BAK-005", "SEC-001", "IAM-003", "TLS-001", "NET-004", "KMS-001", "LOG-001",
    ] {
        assert!(ids.contains(id), "the insecure example never shows {id}");
    }
}

#[test]
fn hardened_example_has_no_high_or_critical_finding() {
    let report = json(&["scan", "testdata/example/hardened"]);
    let serious: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("high" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    let status = rampart(&["scan", "testdata/example/hardened", "--fail-on", "high"]).status;
    assert_eq!(status.code(), Some(0));
}

#[test]
fn unknown_values_never_produce_findings() {
    let report = json(&["scan", "testdata/unknown"]);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    // Every attribute set from a variable without default, a data source or a function of
    // them is written on a line holding `var.`, `data.` or a call: no finding may land there.
    let text = std::fs::read_to_string(root().join("testdata/unknown/main.tf")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let leaked: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let line = f["location"]["start"]["line"].as_u64().unwrap() as usize;
            let source = lines[line - 1];
            let from_unknown = source.contains("var.")
                || source.contains("data.")
                || (source.contains('(') && !source.trim_start().starts_with('#'));
            from_unknown.then(|| format!("{} at line {line}: {source}", f["id"]))
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "findings from unknown values: {leaked:#?}"
    );
    assert!(
        !report["findings"].as_array().unwrap().is_empty(),
        "literal facts (like the defaults of absent attributes) are still reported"
    );
}

#[test]
fn exit_codes_follow_the_contract() {
    assert_eq!(
        rampart(&["scan", "testdata/example/insecure"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        rampart(&["scan", "testdata/example/insecure", "--select", "NO-SUCH"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        rampart(&["scan", "testdata/does-not-exist"]).status.code(),
        Some(2)
    );
    assert_eq!(rampart(&["scan", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(
        rampart(&["scan", "testdata/example/insecure", "--select", "TLS-002"])
            .status
            .code(),
        Some(0),
        "no MySQL instance in the insecure example"
    );
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_rest_is_scanned() {
    let output = rampart(&["scan", "testdata/broken", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "testdata/broken/broken.tf");
    assert_eq!(errors[0]["line"], 4);
    assert!(
        hits(&report)
            .iter()
            .any(|(file, _, id)| file == "testdata/broken/valid.tf" && id == "ENC-001"),
        "the valid file next to the broken one was not scanned"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["json", "sarif", "human", "github"] {
        let one = rampart(&["scan", "testdata", "--format", format, "--jobs", "1"]);
        let many = rampart(&["scan", "testdata", "--format", format, "--jobs", "4"]);
        assert_eq!(
            one.stdout, many.stdout,
            "{format} output differs by thread count"
        );
        assert!(!one.stdout.is_empty());
    }
}

#[test]
fn select_and_ignore_filter_policies() {
    let only_tls = json(&["scan", "testdata/example/insecure", "--select", "TLS"]);
    assert!(
        hits(&only_tls)
            .iter()
            .all(|(_, _, id)| id.starts_with("TLS-"))
    );
    assert!(!hits(&only_tls).is_empty());
    let no_tls = json(&["scan", "testdata/example/insecure", "--ignore", "TLS-001"]);
    assert!(hits(&no_tls).iter().all(|(_, _, id)| id != "TLS-001"));
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.sarif");
    let output = rampart(&[
        "scan",
        "testdata/example/insecure",
        "--format",
        "sarif",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"version\": \"2.1.0\""));
}

#[test]
fn human_output_snapshot() {
    let output = rampart(&[
        "scan",
        "testdata/example/insecure",
        "--select",
        "SEC-001,NET-004,TLS-001",
    ]);
    insta::assert_snapshot!("human_insecure", stdout(&output));
}

#[test]
fn github_output_snapshot() {
    let output = rampart(&["scan", "testdata/example/insecure", "--format", "github"]);
    insta::assert_snapshot!("github_insecure", stdout(&output));
}

#[test]
fn policies_and_explain() {
    let table = rampart(&["policies"]);
    assert_eq!(table.status.code(), Some(0));
    assert!(stdout(&table).contains("ENC-001"));
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&rampart(&["policies", "--format", "json"]))).unwrap();
    assert!(listed.as_array().unwrap().len() >= 17);
    let explain = rampart(&["explain", "tls-001"]);
    assert_eq!(explain.status.code(), Some(0));
    let text = stdout(&explain);
    assert!(text.contains("rds.force_ssl"), "{text}");
    assert!(
        text.contains("Flagged (Terraform)") && text.contains("# expect: TLS-001"),
        "{text}"
    );
    assert_eq!(rampart(&["explain", "XYZ-999"]).status.code(), Some(2));
}

#[test]
fn config_threshold_changes_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rampart.toml");
    std::fs::write(&config, "[settings]\nmin_backup_retention_days = 1\n").unwrap();
    let report = json(&[
        "scan",
        "testdata/example/insecure",
        "--config",
        config.to_str().unwrap(),
        "--select",
        "BAK-001,BAK-002",
    ]);
    let strict = json(&[
        "scan",
        "testdata/example/insecure",
        "--select",
        "BAK-001,BAK-002",
    ]);
    assert!(hits(&report).len() < hits(&strict).len());

    std::fs::write(&config, "[settings]\nmin_backup_retention = 1\n").unwrap();
    let bad = rampart(&[
        "scan",
        "testdata/example/insecure",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("unknown setting `min_backup_retention`"),
        "{stderr}"
    );
}

#[test]
fn inline_ignores_and_baselines_suppress_findings() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("main.tf");
    std::fs::write(
        &tf,
        r#"resource "aws_db_instance" "ignored_line" {
  engine            = "postgres"
  engine_version    = "16.3"
  # rampart:ignore ENC-001 encrypted at the volume layer by the platform team
  storage_encrypted = false
}

# rampart:ignore all
resource "aws_db_instance" "ignored_resource" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false
}

resource "aws_db_instance" "reported" {
  engine            = "postgres"
  engine_version    = "16.3"
  storage_encrypted = false # rampart:ignore IAM-001 wrong id, still reported
}
"#,
    )
    .unwrap();
    let path = tf.to_str().unwrap();
    let report = json(&["scan", path, "--select", "ENC-001"]);
    let resources: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(resources, ["aws_db_instance.reported"]);
    assert!(
        report["summary"]["text"]
            .as_str()
            .unwrap()
            .contains("2 suppressed")
    );

    let sarif: serde_json::Value = serde_json::from_str(&stdout(&rampart(&[
        "scan", path, "--select", "ENC-001", "--format", "sarif",
    ])))
    .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "suppressed results stay in SARIF, marked");
    let justified = results
        .iter()
        .find(|r| r["suppressions"][0]["justification"].is_string())
        .expect("a justified suppression");
    assert_eq!(justified["suppressions"][0]["kind"], "inSource");

    let baseline = dir.path().join("baseline.json");
    let baseline_path = baseline.to_str().unwrap();
    let written = rampart(&["scan", path, "--write-baseline", baseline_path]);
    assert_eq!(written.status.code(), Some(0));
    let accepted = rampart(&["scan", path, "--baseline", baseline_path]);
    assert_eq!(accepted.status.code(), Some(0), "{}", stdout(&accepted));
    // A new problem is still reported against the baseline.
    let text = std::fs::read_to_string(&tf).unwrap();
    std::fs::write(
        &tf,
        text.replace(
            "\"16.3\"\n  storage_encrypted = false # rampart",
            "\"16.3\"\n  publicly_accessible = true\n  storage_encrypted = false # rampart",
        ),
    )
    .unwrap();
    let after = json(&["scan", path, "--baseline", baseline_path]);
    let ids: Vec<&str> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["NET-001"]);
    std::fs::write(&baseline, "not json").unwrap();
    assert_eq!(
        rampart(&["scan", path, "--baseline", baseline_path])
            .status
            .code(),
        Some(2)
    );
}

/// A typo never turns the gate green: an empty id (a trailing comma, `--ignore ""`, an
/// unset shell variable) or an id that is no policy is a usage error, on the command line
/// and in rampart.toml (located there); the command line narrows the configuration's
/// selection instead of widening it.
#[test]
fn empty_and_unknown_policy_ids_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted   = false\n  publicly_accessible = true\n}\n",
    )
    .unwrap();
    for args in [
        &["scan", ".", "--ignore", "NET-001,"][..],
        &["scan", ".", "--ignore", ""][..],
        &["scan", ".", "--ignore="][..],
        &["scan", ".", "--select", "ENC-001,,NET-001"][..],
    ] {
        let output = rampart_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("empty policy id"), "{args:?}: {stderr}");
    }
    let output = rampart_in(dir.path(), &["scan", ".", "--ignore", "NET-01"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no policy matches `NET-01`"));

    std::fs::write(
        dir.path().join("rampart.toml"),
        "ignore = [\"NET-001\", \"\"]\n",
    )
    .unwrap();
    let output = rampart_in(dir.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rampart.toml:1:22"), "{stderr}");
    assert!(stderr.contains("empty policy id"), "{stderr}");

    std::fs::write(
        dir.path().join("rampart.toml"),
        "select = [\"ENC\"]\nignore = [\"NET-0001\"]\n",
    )
    .unwrap();
    let output = rampart_in(dir.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rampart.toml:2:11"), "{stderr}");
    assert!(stderr.contains("no policy matches `NET-0001`"), "{stderr}");

    // The configuration selects ENC and NET-001; `--select NET` keeps only what both
    // select, so ENC-001 (the unencrypted storage) is not reported.
    std::fs::write(
        dir.path().join("rampart.toml"),
        "select = [\"ENC\", \"NET-001\"]\n",
    )
    .unwrap();
    let output = rampart_in(
        dir.path(),
        &["scan", ".", "--select", "NET", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["NET-001"]),
        "NET narrows ENC + NET-001 to NET-001"
    );
}

/// Nothing scanned is said in every format, and `--fail-on-empty` makes it fail; a CDK
/// app's git-ignored `cdk.out` is scanned; a Pulumi program in a general-purpose language
/// gets the exact commands that make it scannable.
#[test]
fn nothing_scanned_is_loud_and_cdk_and_pulumi_projects_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"app\"}\n").unwrap();
    std::fs::write(dir.path().join("workflow.yaml"), "on: push\n").unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&rampart_in(dir.path(), &["scan", ".", "--format", "json"]).stdout)
            .unwrap();
    let notices = report["notices"].to_string();
    assert!(notices.contains("nothing was analysed"), "{notices}");
    for format in every_format() {
        let text = stdout(&rampart_in(dir.path(), &["scan", ".", "--format", &format]));
        assert!(text.contains("nothing was analysed"), "{format}: {text}");
    }
    assert_eq!(
        rampart_in(dir.path(), &["scan", "."]).status.code(),
        Some(0)
    );
    assert_eq!(
        rampart_in(dir.path(), &["scan", ".", "--fail-on-empty"])
            .status
            .code(),
        Some(2)
    );

    let cdk = tempfile::tempdir().unwrap();
    std::fs::write(cdk.path().join(".gitignore"), "cdk.out\n").unwrap();
    std::fs::write(
        cdk.path().join("cdk.json"),
        "{\"app\": \"npx ts-node bin/app.ts\"}\n",
    )
    .unwrap();
    std::fs::create_dir(cdk.path().join("cdk.out")).unwrap();
    std::fs::copy(
        root().join("testdata/cloudformation/cdk/InsecureDbStack.template.json"),
        cdk.path().join("cdk.out/InsecureDbStack.template.json"),
    )
    .unwrap();
    std::fs::create_dir(cdk.path().join(".git")).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&rampart_in(cdk.path(), &["scan", ".", "--format", "json"]).stdout)
            .unwrap();
    assert!(
        report["summary"]["findings"].as_u64().unwrap() > 0,
        "cdk.out is scanned although .gitignore hides it: {report}"
    );

    let pulumi = tempfile::tempdir().unwrap();
    std::fs::write(
        pulumi.path().join("Pulumi.yaml"),
        "name: app\nruntime: nodejs\n",
    )
    .unwrap();
    let report: serde_json::Value = serde_json::from_slice(
        &rampart_in(pulumi.path(), &["scan", ".", "--format", "json"]).stdout,
    )
    .unwrap();
    let notices = report["notices"].to_string();
    assert!(
        notices.contains("a Pulumi program in nodejs is not read"),
        "{notices}"
    );
    assert!(notices.contains("pulumi preview --json"), "{notices}");
    for format in every_format() {
        let text = stdout(&rampart_in(
            pulumi.path(),
            &["scan", ".", "--format", &format],
        ));
        assert!(
            text.contains("a Pulumi program in nodejs is not read"),
            "{format}: {text}"
        );
    }
}

/// Every `--format` value, from the binary's own help: a new format joins the tests that
/// loop over this by itself.
fn every_format() -> Vec<String> {
    let help = String::from_utf8(rampart(&["scan", "--help"]).stdout).unwrap();
    let formats = possible_values(&help, "--format <FORMAT>");
    assert!(formats.len() >= 9, "{formats:?}");
    formats
}

/// The values clap lists for one option in `--help`: its `Possible values:` list (values
/// with a description) or its `[possible values: a, b]` line, never another option's.
fn possible_values(help: &str, option: &str) -> Vec<String> {
    let section = help
        .split(option)
        .nth(1)
        .and_then(|rest| rest.split("\n\n      -").next())
        .unwrap_or_else(|| panic!("{option} in the help"));
    let listed: Vec<String> = section
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .map(|value| value.split(':').next().unwrap().trim().to_string())
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    section
        .split("[possible values: ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .map(|values| values.split(", ").map(str::to_string).collect())
        .unwrap_or_else(|| panic!("no possible values for {option}"))
}

/// `--fail-on none` reports without failing for findings (errors still exit 2), and
/// values are case-insensitive.
#[test]
fn fail_on_none_and_case_insensitive_values() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let code = |args: &[&str]| rampart_in(dir.path(), args).status.code();
    assert_eq!(code(&["scan", ".", "--fail-on", "none"]), Some(0));
    assert_eq!(
        code(&["scan", ".", "--fail-on", "HIGH", "--format", "JSON"]),
        Some(1)
    );
    assert_eq!(code(&["scan", ".", "--fail-on", "Critical"]), Some(0));
    std::fs::write(dir.path().join("broken.tf"), "resource \"x\" {\n").unwrap();
    assert_eq!(code(&["scan", ".", "--fail-on", "none"]), Some(2));
}

/// Configuration discovery stops at the repository root (a rampart.toml above it is
/// someone else's), finds `.rampart.toml` too, and every report says which file was used.
#[test]
fn configuration_is_found_within_the_repository_and_named_in_reports() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("rampart.toml"), "ignore = [\"ENC\"]\n").unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(
        repo.join("main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let report = |dir: &std::path::Path| -> serde_json::Value {
        serde_json::from_slice(
            &rampart_in(
                dir,
                &["scan", ".", "--format", "json", "--select", "ENC-001"],
            )
            .stdout,
        )
        .unwrap()
    };
    let found = report(&repo);
    assert_eq!(
        found["summary"]["findings"], 1,
        "the outer ignore does not apply: {found}"
    );
    assert!(found["summary"].get("config").is_none());

    std::fs::write(repo.join(".rampart.toml"), "ignore = [\"ENC-001\"]\n").unwrap();
    let found = report(&repo);
    assert_eq!(found["summary"]["findings"], 0);
    assert_eq!(found["summary"]["config"], ".rampart.toml");
    let human = stdout(&rampart_in(&repo, &["scan", ".", "--select", "ENC-001"]));
    assert!(human.contains("(configuration: .rampart.toml)"), "{human}");
    let sarif: serde_json::Value =
        serde_json::from_slice(&rampart_in(&repo, &["scan", ".", "--format", "sarif"]).stdout)
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["properties"]["config"],
        ".rampart.toml"
    );
}

/// With several paths, one configuration governs the run whatever their order (found from
/// the directory they share), and every configuration that is not in force, nearer to a
/// path or inside a scanned directory, is named with a warning instead of being ignored.
#[test]
fn one_configuration_per_run_whatever_the_order_and_unused_ones_are_named() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    let database = "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n";
    for dir in ["a", "b"] {
        std::fs::create_dir_all(repo.path().join(dir)).unwrap();
        std::fs::write(repo.path().join(dir).join("main.tf"), database).unwrap();
    }
    std::fs::write(
        repo.path().join("b/rampart.toml"),
        "ignore = [\"ENC-001\"]\n",
    )
    .unwrap();
    let report = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["scan", "--format", "json", "--select", "ENC-001"];
        all.extend(args);
        serde_json::from_slice(&rampart_in(repo.path(), &all).stdout).unwrap()
    };
    let warnings = |found: &serde_json::Value| -> Vec<String> {
        found["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["message"].as_str().unwrap().to_string())
            .filter(|m| m.contains("is not in force"))
            .collect()
    };
    let forward = report(&["a/main.tf", "b/main.tf"]);
    let backward = report(&["b/main.tf", "a/main.tf"]);
    assert_eq!(forward["summary"]["findings"], 2, "{forward}");
    assert_eq!(
        forward, backward,
        "the order of the paths changed the result"
    );
    assert_eq!(
        warnings(&forward),
        [
            "b/rampart.toml is not in force: the run uses the default configuration (one \
          configuration per run, found upward from the directory all scanned paths share); \
          to use it, scan b on its own or pass `--config b/rampart.toml`"
        ]
    );
    // Scanning the directory above finds it inside the tree: said too.
    let whole = report(&["."]);
    assert_eq!(whole["summary"]["findings"], 2);
    assert_eq!(warnings(&whole).len(), 1, "{whole}");
    // On its own, the directory's configuration is in force and nothing is said.
    let alone = report(&["b"]);
    assert_eq!(alone["summary"]["findings"], 0, "{alone}");
    assert_eq!(alone["summary"]["config"], "b/rampart.toml");
    assert!(warnings(&alone).is_empty(), "{alone}");
    // A configuration at the top governs both, and the nested one is named.
    std::fs::write(repo.path().join("rampart.toml"), "fail_on = \"high\"\n").unwrap();
    let top = report(&["b/main.tf", "a/main.tf"]);
    assert_eq!(top["summary"]["config"], "rampart.toml");
    assert!(
        warnings(&top)[0].contains("rampart.toml governs the whole run"),
        "{top}"
    );
}

/// `--format markdown`: counts by severity and policy, then each finding, with table
/// cells that a resource name or message cannot break.
#[test]
fn markdown_output_counts_and_lists_findings_in_cells_that_hold() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with a pipe in it must not split its table cell.
    std::fs::write(
        dir.path().join("a|b.tf"),
        "resource \"aws_db_instance\" \"a\" {\n  engine              = \"postgres\"\n  publicly_accessible = true\n  storage_encrypted   = false\n}\n",
    )
    .unwrap();
    let output = common::rampart_in(dir.path(), &["scan", ".", "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("## rampart: "), "{text}");
    let summary = text
        .lines()
        .position(|l| l == "| severity | policy | title | findings |");
    let listing = text
        .lines()
        .position(|l| l.starts_with("| severity | policy | resource |"));
    assert!(summary.is_some() && listing > summary, "{text}");
    // Most severe first, in both tables.
    let first = text.lines().find(|l| l.starts_with("| critical ")).unwrap();
    assert!(first.contains("`NET-001`"), "{text}");
    assert!(
        text.contains("| critical | `NET-001` | `aws_db_instance.a` | `a\\|b.tf:3:"),
        "{text}"
    );
    // Every row has exactly its columns: no unescaped pipe inside a cell.
    for row in text.lines().filter(|l| l.starts_with('|')) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert!(cells == 5 || cells == 6, "{row}");
    }
}

/// `--format short` / `--quiet`: one `path:line:col: severity ID message` line per finding
/// (what problem matchers read); `--min-severity` leaves lower findings out of the report
/// and the exit status.
#[test]
fn one_line_format_quiet_and_minimum_severity() {
    let short = rampart(&["scan", "testdata/example/insecure", "--format", "short"]);
    let text = String::from_utf8(short.stdout).unwrap();
    let pattern =
        regex::Regex::new(r"^[^:]+:\d+:\d+: (critical|high|medium|low) [A-Z]{3}-\d{3} .+$")
            .unwrap();
    assert!(text.lines().count() > 10);
    for line in text.lines() {
        assert!(pattern.is_match(line), "{line}");
    }
    assert!(
        text.contains("testdata/example/insecure/main.tf:29:37: critical NET-001 aws_db_instance.orders: publicly_accessible is true"),
        "{text}"
    );
    let quiet = rampart(&["scan", "testdata/example/insecure", "--quiet"]);
    assert_eq!(
        String::from_utf8(quiet.stdout).unwrap(),
        text,
        "--quiet is the one-line form"
    );

    let critical = rampart(&[
        "scan",
        "testdata/example/insecure",
        "-q",
        "--min-severity",
        "CRITICAL",
    ]);
    let kept = String::from_utf8(critical.stdout).unwrap();
    assert!(
        !kept.is_empty() && kept.lines().all(|l| l.contains(": critical ")),
        "{kept}"
    );
    assert_eq!(critical.status.code(), Some(1));
    // Nothing at or above the minimum: nothing reported, and the run passes.
    let hardened = rampart(&[
        "scan",
        "testdata/example/hardened",
        "-q",
        "--severity",
        "medium",
    ]);
    assert_eq!(String::from_utf8(hardened.stdout).unwrap(), "");
    assert_eq!(hardened.status.code(), Some(0));
}

/// The README's usage lists every flag and format of `rampart scan` and every subcommand,
/// read from the binary's own help (generated from the flag definitions): it cannot go
/// stale without this test failing.
#[test]
fn readme_usage_lists_every_flag_format_and_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let usage = readme
        .split("## Usage")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .expect("a usage block");
    let help = String::from_utf8(rampart(&["scan", "--help"]).stdout).unwrap();
    let flags: std::collections::BTreeSet<&str> = help
        .split(|c: char| c.is_whitespace() || ",=[]<>()".contains(c))
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .filter(|word| *word != "--help" && *word != "--version")
        .collect();
    assert!(flags.len() > 15, "{flags:?}");
    for flag in &flags {
        assert!(usage.contains(flag), "README usage lacks {flag}");
    }
    let formats = possible_values(&help, "--format <FORMAT>");
    assert!(formats.iter().any(|f| f == "sarif"), "{formats:?}");
    for format in &formats {
        assert!(
            usage.contains(format.as_str()),
            "README usage lacks the format {format}"
        );
    }
    let top = String::from_utf8(rampart(&["--help"]).stdout).unwrap();
    let commands = top
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap();
    for command in commands.lines().filter_map(|l| l.split_whitespace().next()) {
        if command != "help" {
            assert!(
                usage.contains(&format!("rampart {command}")),
                "README usage lacks `rampart {command}`"
            );
        }
    }
}

/// The README's sample is the real output of the bundled example: its first diagnostic
/// and its summary line, byte for byte.
#[test]
fn readme_sample_output_is_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sample = readme
        .split("The start and the end of\nits output:\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the sample block");
    let (start, end) = sample.split_once("\n…\n").expect("start … end");
    let output = String::from_utf8(rampart(&["scan", "testdata/example"]).stdout).unwrap();
    assert!(
        output.starts_with(start),
        "README sample start differs:\n{start}\n---\n{output}"
    );
    assert!(
        output.trim_end().ends_with(end.trim_end()),
        "README summary differs: {end}"
    );
}

/// With `--output FILE` the terminal still gets the summary line, on standard error.
#[test]
fn the_summary_reaches_stderr_when_the_report_goes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.sarif");
    let output = rampart(&[
        "scan",
        "testdata/example",
        "--format",
        "sarif",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("rampart: 55 findings (8 critical, 6 high, 24 medium, 17 low) in 7 files (report written to "),
        "{stderr}"
    );
}

/// GitHub shows ten annotations of each level: only findings at or above `--fail-on` are
/// annotated, most severe first, then one notice counts the rest.
#[test]
fn github_annotations_stop_at_fail_on_and_count_the_rest() {
    let output = rampart(&[
        "scan",
        "testdata/example",
        "--format",
        "github",
        "--fail-on",
        "critical",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    let findings: Vec<&str> = text.lines().filter(|l| l.contains(",title=")).collect();
    let annotated = findings.iter().filter(|l| l.contains("(critical)")).count();
    assert_eq!(annotated, 8, "{text}");
    assert!(
        findings
            .iter()
            .all(|l| l.contains("(critical)") || l.starts_with("::notice title=rampart::")),
        "{text}"
    );
    assert!(
        text.contains("::notice title=rampart::47 more findings below critical (the fail-on level) are not annotated"),
        "{text}"
    );
    // `--fail-on none` annotates everything.
    let all = rampart(&[
        "scan",
        "testdata/example",
        "--format",
        "github",
        "--fail-on",
        "none",
    ]);
    let all = String::from_utf8(all.stdout).unwrap();
    assert_eq!(all.lines().filter(|l| l.contains(",title=")).count(), 55);
}

/// Hidden directories hold infrastructure too (`.infra/`, `.aws-sam/build/`): they are
/// scanned; tool caches and metadata (`.git`, `.terraform`, `node_modules`) are not.
#[test]
fn hidden_directories_are_scanned_but_tool_caches_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = "resource \"aws_db_instance\" \"a\" {\n  storage_encrypted = false\n}\n";
    for sub in [
        ".infra",
        ".terraform/modules/x",
        "node_modules/y",
        ".git/z",
        "plain",
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("main.tf"), db).unwrap();
    }
    let output = common::rampart_in(
        dir.path(),
        &["scan", ".", "--format", "json", "--select", "ENC-001"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, [".infra/main.tf", "plain/main.tf"], "{report}");
}

/// `--profile essential` (or `profile = "essential"` in rampart.toml) runs only the policies
/// for exploitable weaknesses; the command line wins over the file; the default runs all.
#[test]
fn profiles_select_policies_from_the_command_line_and_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  publicly_accessible = true\n}\n",
    )
    .unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", ".", "--format", "json"];
        all.extend_from_slice(args);
        let output = common::not_crashed(common::rampart_in(dir.path(), &all));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut ids: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    let every = ids(&[]);
    assert!(
        every.len() > 5 && every.contains(&"BAK-003".to_string()),
        "{every:?}"
    );
    assert_eq!(ids(&["--profile", "essential"]), ["ENC-001", "NET-001"]);
    assert_eq!(ids(&["--profile", "hardened"]), every);

    std::fs::write(dir.path().join("rampart.toml"), "profile = \"essential\"\n").unwrap();
    assert_eq!(ids(&[]), ["ENC-001", "NET-001"]);
    assert_eq!(
        ids(&["--profile", "hardened"]),
        every,
        "the command line wins"
    );

    std::fs::write(dir.path().join("rampart.toml"), "profile = \"paranoid\"\n").unwrap();
    let output = common::not_crashed(common::rampart_in(dir.path(), &["scan", "."]));
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown profile is an error"
    );

    // Shown in the catalog and in SARIF rule properties.
    let table = String::from_utf8(rampart(&["policies"]).stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("NET-001") && l.contains(" essential ")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("BAK-007") && l.contains(" hardened ")),
        "{table}"
    );
    let explain = String::from_utf8(rampart(&["explain", "NET-005"]).stdout).unwrap();
    assert!(explain.contains("profile:  hardened"), "{explain}");
    std::fs::remove_file(dir.path().join("rampart.toml")).unwrap();
    let sarif = common::not_crashed(common::rampart_in(
        dir.path(),
        &["scan", ".", "--format", "sarif"],
    ));
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let net001 = rules.iter().find(|r| r["id"] == "NET-001").unwrap();
    assert_eq!(net001["properties"]["profile"], "essential");
}

/// A data table that says when it was checked against AWS's calendars (PAT-003's support
/// table) is shown by `explain`, and a scan more than a year after that date says the
/// table may be stale.
#[test]
fn a_stale_support_table_is_reported() {
    let explain = String::from_utf8(rampart(&["explain", "PAT-003"]).stdout).unwrap();
    assert!(explain.contains("  checked = 2026-12-01\n"), "{explain}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  engine_version = \"16.3\"\n}\n",
    )
    .unwrap();
    let notices = |toml: &str| -> String {
        std::fs::write(dir.path().join("rampart.toml"), toml).unwrap();
        let output = common::not_crashed(common::rampart_in(
            dir.path(),
            &["scan", ".", "--format", "json"],
        ));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["notices"].to_string()
    };
    let stale = notices("[settings.min_supported_major_version]\nchecked = 2024-06-30\n");
    assert!(
        stale.contains("PAT-003's `min_supported_major_version` was last checked against the AWS release calendars on 2024-06-30"),
        "{stale}"
    );
    let fresh = notices("");
    assert!(!fresh.contains("last checked"), "{fresh}");
}

/// `rampart hook` (pre-commit) shows the findings that block the commit, most severe
/// first, then one line counting the others; `rampart scan` still lists every finding.
#[test]
fn the_hook_shows_blocking_findings_then_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  engine_version = \"16.3\"\n  publicly_accessible = true\n}\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = common::not_crashed(common::rampart_in(dir.path(), args));
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (code, hook) = run(&["hook", "--fail-on", "high", "--color", "never", "main.tf"]);
    assert_eq!(code, Some(1), "{hook}");
    let summary = hook.lines().last().unwrap();
    assert!(
        summary.starts_with("2 findings (1 critical, 1 high) in 1 file; ")
            && summary.contains("more findings below --fail-on high not shown"),
        "{summary}"
    );
    assert!(
        hook.find("NET-001").unwrap() < hook.find("ENC-001").unwrap(),
        "most severe first"
    );
    assert!(!hook.contains("BAK-001"), "{hook}");
    let (_, scan) = run(&["scan", "main.tf", "--format", "short"]);
    assert!(
        scan.contains("BAK-001") && scan.contains("NET-001"),
        "{scan}"
    );
}

/// One finding at one place for several resources (a world-open rule on a group three
/// clusters share) is shown once in the human report, naming each resource; the machine
/// formats keep one result per resource.
#[test]
fn a_finding_shared_by_several_resources_is_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "resource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    for name in ["a", "b", "c"] {
        text.push_str(&format!(
            "resource \"aws_rds_cluster\" \"{name}\" {{\n  engine = \"aurora-postgresql\"\n  vpc_security_group_ids = [aws_security_group.db.id]\n}}\n"
        ));
    }
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let run = |format: &str| {
        let output = common::not_crashed(common::rampart_in(
            dir.path(),
            &[
                "scan", ".", "--select", "NET-004", "--format", format, "--color", "never",
            ],
        ));
        String::from_utf8(output.stdout).unwrap()
    };
    let human = run("human");
    assert_eq!(human.matches("NET-004\n").count(), 1, "{human}");
    assert!(
        human.contains("the same for 2 more: aws_rds_cluster.b, aws_rds_cluster.c"),
        "{human}"
    );
    assert!(human.contains("3 findings (3 critical)"), "{human}");
    assert_eq!(run("short").lines().count(), 3);
}

/// The README's pre-commit `rev:` resolves: it names a commit of this repository whose
/// `.pre-commit-hooks.yaml` defines every hook id the README's samples use (pre-commit
/// clones the repository at that rev and looks the ids up there).
#[test]
fn readme_pre_commit_rev_names_a_commit_with_every_hook_shown() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Before commit: pre-commit")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a pre-commit section");
    let rev = section
        .lines()
        .find_map(|line| line.trim().strip_prefix("rev: "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a rev");
    let ids: Vec<&str> = section
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- id: "))
        .map(str::trim)
        .collect();
    assert!(
        ids.contains(&"rampart") && ids.contains(&"rampart-system"),
        "{ids:?}"
    );
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .expect("git runs")
    };
    let hooks = git(&["show", &format!("{rev}:.pre-commit-hooks.yaml")]);
    assert!(
        hooks.status.success(),
        "README rev {rev} does not resolve in this repository: {}",
        String::from_utf8_lossy(&hooks.stderr)
    );
    let hooks = String::from_utf8(hooks.stdout).unwrap();
    for id in ids {
        assert!(
            hooks
                .lines()
                .any(|line| line.trim() == format!("- id: {id}")),
            "hook {id} is not defined at {rev}"
        );
    }
    // Today's hook definitions still have every id too.
    let current = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(current.contains("- id: rampart\n") && current.contains("- id: rampart-system\n"));
}

/// A file named on the command line that rampart cannot read as IaC is an error with its
/// reason in every format, never "0 findings"; the hook, which pre-commit hands every
/// staged YAML and JSON file, skips it.
#[test]
fn a_named_file_that_is_not_iac_is_an_error_except_in_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello\n").unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"x\"}\n").unwrap();
    for name in ["notes.txt", "package.json"] {
        let output = rampart_in(dir.path(), &["scan", name]);
        assert_eq!(output.status.code(), Some(2), "{name}: {output:?}");
        let human = stdout(&output);
        assert!(
            human.contains(&format!(
                "could not scan {name}: not a Terraform, CloudFormation"
            )),
            "{human}"
        );
        let short = stdout(&rampart_in(
            dir.path(),
            &["scan", "--format", "short", name],
        ));
        assert!(
            short.starts_with(&format!("{name}:1:1: error not a Terraform")),
            "{short}"
        );
        let hook = rampart_in(dir.path(), &["hook", name]);
        assert_eq!(hook.status.code(), Some(0), "{name}: {hook:?}");
    }
    // Named beside a real template, the template is still scanned and reported.
    std::fs::write(
        dir.path().join("db.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  publicly_accessible = true\n}\n",
    )
    .unwrap();
    let both = stdout(&rampart_in(
        dir.path(),
        &[
            "scan",
            "--format",
            "short",
            "--select",
            "NET-001",
            "db.tf",
            "notes.txt",
        ],
    ));
    assert!(both.contains("db.tf:2:25: critical NET-001"), "{both}");
    assert!(both.contains("notes.txt:1:1: error"), "{both}");
}

/// `rampart explain` shows a flagged and a passing example in every format the policy
/// has examples for, and findings name attributes as the user's format spells them.
#[test]
fn explain_shows_examples_of_every_format_and_messages_use_the_formats_names() {
    let explain = stdout(&rampart(&["explain", "BAK-003"]));
    for title in [
        "Flagged (Terraform)",
        "Passes (Terraform)",
        "Flagged (CloudFormation)",
        "Passes (CloudFormation)",
        "Flagged (Pulumi YAML)",
        "Passes (Pulumi YAML)",
    ] {
        assert!(explain.contains(title), "{title}:\n{explain}");
    }
    assert!(explain.contains("AWS::RDS::DBInstance"), "{explain}");
    let message = |path: &str| {
        let report = json(&["scan", path, "--select", "BAK-003"]);
        report["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let examples = "policies/BAK-003-instance-deletion-protection/examples";
    assert!(
        message(&format!("{examples}/terraform/bad.tf")).contains("deletion_protection"),
        "Terraform"
    );
    assert!(
        message(&format!("{examples}/cloudformation/bad.yaml")).contains("DeletionProtection"),
        "CloudFormation"
    );
    assert!(
        message(&format!("{examples}/pulumi/bad.yaml")).contains("deletionProtection"),
        "Pulumi"
    );
}

/// A finding in a template AWS CDK synthesised names the construct property to set (the
/// template is not what its author edits); a hand-written template gets the template fix.
#[test]
fn cdk_findings_name_the_construct_property() {
    let cdk = json(&[
        "scan",
        "testdata/cloudformation/cdk/InsecureDbStack.template.json",
        "--select",
        "IAM-001",
    ]);
    let remediation = cdk["findings"][0]["remediation"].as_str().unwrap();
    assert!(
        remediation.starts_with("In the CDK app: Set `iamAuthentication: true`"),
        "{remediation}"
    );
    assert!(
        remediation.contains("EnableIAMDatabaseAuthentication"),
        "{remediation}"
    );
    let plain = json(&[
        "scan",
        "policies/IAM-001-instance-iam-authentication/examples/cloudformation/bad.yaml",
        "--select",
        "IAM-001",
    ]);
    let remediation = plain["findings"][0]["remediation"].as_str().unwrap();
    assert!(!remediation.contains("CDK"), "{remediation}");
}

/// Class capabilities are data too: MON-002 does not ask MySQL on db.t3.micro for
/// Performance Insights, and a rampart.toml that lists no class for MySQL (or one for
/// PostgreSQL) is followed, entry by entry.
#[test]
fn class_capabilities_come_from_the_settings_and_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"my\" {\n  engine         = \"mysql\"\n  instance_class = \"db.t3.micro\"\n}\n\
         resource \"aws_db_instance\" \"pg\" {\n  engine         = \"postgres\"\n  instance_class = \"db.t3.micro\"\n}\n",
    )
    .unwrap();
    let flagged = |dir: &std::path::Path| -> Vec<String> {
        let output = rampart_in(
            dir,
            &["scan", ".", "--format", "json", "--select", "MON-002"],
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["resource"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(flagged(dir.path()), ["aws_db_instance.pg"]);
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[settings.performance_insights_unavailable_classes]\nmysql = []\npostgres = [\"db.t3.micro\"]\n",
    )
    .unwrap();
    assert_eq!(flagged(dir.path()), ["aws_db_instance.my"]);
}

/// Engine capabilities are data: IAM-001 does not ask MariaDB 10.6 for IAM authentication
/// (AWS offers it from 10.11), and a rampart.toml that says otherwise is followed.
#[test]
fn engine_capabilities_come_from_the_settings_and_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"m\" {\n  engine         = \"mariadb\"\n  engine_version = \"10.6.19\"\n}\n",
    )
    .unwrap();
    let found = |dir: &std::path::Path| -> serde_json::Value {
        let output = rampart_in(
            dir,
            &["scan", ".", "--format", "json", "--select", "IAM-001"],
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    assert_eq!(found(dir.path())["summary"]["findings"], 0);
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[settings.iam_authentication_min_version]\nmariadb = \"10.6\"\n",
    )
    .unwrap();
    assert_eq!(found(dir.path())["summary"]["findings"], 1);
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[settings.iam_authentication_min_version]\nmariadb = \"ten\"\n",
    )
    .unwrap();
    let output = rampart_in(dir.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2), "a word is no version");
}

/// Findings grow with (database, rule) pairs: a project over `[limits] findings` is an
/// error (exit 2), with none of its findings, never a partial list that passes.
#[test]
fn a_project_over_the_findings_limit_is_an_error_not_a_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    let mut text = String::from("resource \"aws_security_group\" \"db\" {}\n");
    for i in 0..3 {
        text.push_str(&format!(
            "resource \"aws_vpc_security_group_ingress_rule\" \"r{i}\" {{\n  security_group_id = aws_security_group.db.id\n  cidr_ipv4 = \"0.0.0.0/0\"\n  ip_protocol = \"-1\"\n}}\n\
             resource \"aws_db_instance\" \"d{i}\" {{\n  engine = \"postgres\"\n  vpc_security_group_ids = [aws_security_group.db.id]\n}}\n"
        ));
    }
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let scan = |limit: u64| {
        std::fs::write(
            dir.path().join("rampart.toml"),
            format!("[limits]\nfindings = {limit}\n"),
        )
        .unwrap();
        let output = rampart_in(
            dir.path(),
            &["scan", ".", "--format", "json", "--select", "NET-004"],
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (output.status.code(), report)
    };
    // Three databases, each opened by three rules.
    let (code, report) = scan(9);
    assert_eq!(code, Some(1));
    assert_eq!(report["summary"]["findings"], 9);
    let (code, report) = scan(8);
    assert_eq!(code, Some(2), "{report}");
    assert_eq!(report["summary"]["findings"], 0);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("more than 8 findings"), "{message}");
    assert!(message.contains("[limits] findings"), "{message}");
    // Said as what it is: not analysed, not "could not be parsed".
    let summary = report["summary"]["text"].as_str().unwrap();
    assert!(
        summary.ends_with("; 1 error (not everything was analysed)"),
        "{summary}"
    );
}
