//! Fingerprints are what baselines and GitHub code scanning track findings by: distinct
//! findings must never share one (a baseline entry would silence the other), and a finding
//! must keep its own across unrelated edits, line moves and however the path is spelled.

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;

/// A generated Terraform file: databases and security groups, with repeated lines and
/// several findings on one line (open CIDRs of one list).
#[derive(Clone, Debug)]
struct Config {
    databases: Vec<(bool, bool)>,
    /// Per group, per ingress block, the CIDRs of its one `cidr_blocks` line.
    groups: Vec<Vec<Vec<&'static str>>>,
}

const CIDRS: &[&str] = &["0.0.0.0/0", "10.0.0.0/8", "0.0.0.0/0", "192.168.0.0/16"];

fn configs() -> impl Strategy<Value = Config> {
    let database = (any::<bool>(), any::<bool>());
    let ingress = prop::collection::vec(prop::sample::select(CIDRS), 1..4);
    let group = prop::collection::vec(ingress, 1..4);
    (
        prop::collection::vec(database, 1..4),
        prop::collection::vec(group, 0..3),
    )
        .prop_map(|(databases, groups)| Config { databases, groups })
}

/// The file's blocks, in order; `filler[i]` is written before block `i` (unrelated
/// resources, comments, blank lines).
fn blocks(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let group_ids: Vec<String> = (0..config.groups.len())
        .map(|g| format!("aws_security_group.g{g}.id"))
        .collect();
    for (g, ingress) in config.groups.iter().enumerate() {
        let mut text = format!("resource \"aws_security_group\" \"g{g}\" {{\n");
        for cidrs in ingress {
            let list: Vec<String> = cidrs.iter().map(|c| format!("\"{c}\"")).collect();
            text.push_str(&format!(
                "  ingress {{\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [{}]\n  }}\n",
                list.join(", ")
            ));
        }
        text.push_str("}\n");
        out.push(text);
    }
    for (d, (encrypted, public)) in config.databases.iter().enumerate() {
        out.push(format!(
            "resource \"aws_db_instance\" \"d{d}\" {{\n  engine                 = \"postgres\"\n  storage_encrypted      = {encrypted}\n  publicly_accessible    = {public}\n  vpc_security_group_ids = [{}]\n}}\n",
            group_ids.join(", ")
        ));
    }
    out
}

fn write(dir: &std::path::Path, blocks: &[String], filler: &[String]) {
    let mut text = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Some(fill) = filler.get(i) {
            text.push_str(fill);
        }
        text.push_str(block);
    }
    std::fs::write(dir.join("main.tf"), text).unwrap();
}

/// (policy, resource) -> fingerprints, sorted: what must survive edits.
fn fingerprints(dir: &std::path::Path) -> (BTreeMap<(String, String), Vec<String>>, usize) {
    let run = common::scan(&[dir.to_str().unwrap()]);
    let report = run.report();
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for finding in &run.findings {
        out.entry((
            run.policies.policies[finding.policy].id.clone(),
            finding.address.clone(),
        ))
        .or_default()
        .push(report.fingerprint(finding));
    }
    for prints in out.values_mut() {
        prints.sort();
    }
    (out, run.findings.len())
}

fn filler() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        String::new(),
        "\n\n".to_string(),
        "# a comment\n".to_string(),
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n".to_string(),
        "locals {\n  name = \"x\"\n}\n\n".to_string(),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn distinct_findings_have_distinct_fingerprints_that_survive_unrelated_edits(
        config in configs(),
        filler in prop::collection::vec(filler(), 0..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let blocks = blocks(&config);
        write(dir.path(), &blocks, &[]);
        let (before, count) = fingerprints(dir.path());
        let mut all: Vec<&String> = before.values().flatten().collect();
        all.sort();
        all.dedup();
        prop_assert_eq!(all.len(), count, "two findings share a fingerprint: {:?}", before);

        // Unrelated resources, comments and blank lines move every line.
        write(dir.path(), &blocks, &filler);
        let (after, _) = fingerprints(dir.path());
        prop_assert_eq!(before, after);
    }
}

/// The same tree scanned as `dir`, `./dir`, `dir/`, `dir/.`, by its absolute path, or from
/// inside it gives the same fingerprints and the same SARIF URIs and GitHub annotation
/// paths: they are relative to the repository root, not to where rampart runs.
#[test]
fn fingerprints_do_not_depend_on_how_the_path_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let project = dir.path().join("infra");
    std::fs::create_dir(&project).unwrap();
    let config = Config {
        databases: vec![(false, true)],
        groups: vec![vec![vec!["0.0.0.0/0", "0.0.0.0/0"], vec!["0.0.0.0/0"]]],
    };
    write(&project, &blocks(&config), &[]);
    let prints = |cwd: &std::path::Path, path: &str| {
        let output = common::rampart_in(cwd, &["scan", path, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut prints: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect();
        prints.sort();
        let output = common::rampart_in(cwd, &["scan", path, "--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let run = &sarif["runs"][0];
        let mut uris: Vec<String> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
                format!("{} {}", location["uriBaseId"], location["uri"])
            })
            .collect();
        uris.sort();
        uris.dedup();
        let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .to_string();
        let output = common::rampart_in(cwd, &["scan", path, "--format", "github"]);
        let github = String::from_utf8(output.stdout).unwrap();
        let mut files: Vec<&str> = github
            .lines()
            .filter_map(|l| l.split("file=").nth(1))
            .filter_map(|rest| rest.split(',').next())
            .collect();
        files.sort();
        files.dedup();
        (prints, uris, base, files.join(" "))
    };
    let reference = prints(dir.path(), "infra");
    assert!(reference.0.len() > 3);
    assert_eq!(reference.1, ["\"%SRCROOT%\" \"infra/main.tf\""]);
    assert!(reference.2.ends_with('/'), "{}", reference.2);
    assert_eq!(reference.3, "infra/main.tf");
    let absolute = project.to_str().unwrap().to_string();
    for (cwd, path) in [
        (dir.path(), "./infra"),
        (dir.path(), "infra/"),
        (dir.path(), "infra/."),
        (dir.path(), absolute.as_str()),
        (project.as_path(), "."),
        (project.as_path(), absolute.as_str()),
    ] {
        assert_eq!(prints(cwd, path), reference, "{path} from {cwd:?}");
    }
}

/// Baselines written by earlier releases must keep matching: these fingerprints were
/// written by rampart 0.1.0 before findings were numbered, and every first occurrence keeps
/// its fingerprint. Changing one of them silently un-baselines users' findings.
#[test]
fn fingerprints_are_stable_across_releases() {
    let output = common::rampart_in(
        &common::root(),
        &["scan", "testdata/example", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let print = |id: &str, line: u64| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["id"] == id
                    && f["location"]["file"] == "testdata/example/insecure/main.tf"
                    && f["location"]["start"]["line"] == line
            })
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(print("SEC-001", 26), "b3e5acad49f03711");
    assert_eq!(print("NET-001", 29), "6dc11ae8ad5866fe");
    assert_eq!(print("SEC-001", 40), "f86ddb6d965836d9");
    assert_eq!(print("NET-001", 55), "b8c00b9174622d31");
}
