//! Every policy's examples are its tests: a bad example is flagged exactly on its marked
//! lines, a good example not at all, in every format the policy has examples for.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{expected_marks, relative, root, scan};

struct Example {
    policy_id: String,
    path: PathBuf,
    bad: bool,
}

fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("policies"))
        .expect("policies/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let policy_id = name.splitn(3, '-').take(2).collect::<Vec<_>>().join("-");
        let Ok(formats) = std::fs::read_dir(dir.join("examples")) else {
            continue;
        };
        let mut formats: Vec<PathBuf> = formats.map(|e| e.unwrap().path()).collect();
        formats.sort();
        for format in formats {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&format)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| !p.to_string_lossy().ends_with(".expect"))
                .collect();
            files.sort();
            for path in files {
                let stem = path.file_stem().unwrap().to_string_lossy().to_string();
                let bad = stem.starts_with("bad");
                assert!(
                    bad || stem.starts_with("good"),
                    "{}: example files are named good* or bad*",
                    relative(&path)
                );
                out.push(Example {
                    policy_id: policy_id.clone(),
                    path,
                    bad,
                });
            }
        }
    }
    out
}

#[test]
fn every_example_yields_exactly_its_marks() {
    let examples = examples();
    assert!(!examples.is_empty(), "no policy examples found");
    let mut failures = Vec::new();
    for example in &examples {
        let rel = relative(&example.path);
        let run = scan(&[&rel]);
        assert!(
            run.scanned.errors.is_empty(),
            "{rel} does not parse: {:?}",
            run.scanned.errors
        );
        let actual: BTreeSet<(usize, String)> = run
            .hits()
            .into_iter()
            .filter(|(_, _, id)| *id == example.policy_id)
            .map(|(_, line, id)| (line, id))
            .collect();
        let expected: BTreeSet<(usize, String)> = expected_marks(&example.path)
            .into_iter()
            .filter(|(_, id)| *id == example.policy_id)
            .collect();
        if example.bad && expected.is_empty() {
            failures.push(format!("{rel}: a bad example must mark at least one line"));
        }
        if !example.bad && !expected.is_empty() {
            failures.push(format!("{rel}: a good example must not mark lines"));
        }
        if actual != expected {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let unexpected: Vec<_> = actual.difference(&expected).collect();
            failures.push(format!(
                "{rel}: missing {missing:?}, unexpected {unexpected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every policy has good and bad examples for each format rampart reads.
#[test]
fn every_policy_has_good_and_bad_examples_in_every_format() {
    let examples = examples();
    let run = scan(&[]);
    let mut missing = Vec::new();
    for policy in &run.policies.policies {
        for (format, directory, extension) in [
            ("Terraform", "terraform", "tf"),
            ("CloudFormation YAML", "cloudformation", "yaml"),
            ("Pulumi stack export", "pulumi", "json"),
        ] {
            if !policy.formats.iter().any(|f| f.as_str() == directory) {
                continue;
            }
            for bad in [true, false] {
                let found = examples.iter().any(|e| {
                    e.policy_id == policy.id
                        && e.bad == bad
                        && e.path.extension().is_some_and(|x| x == extension)
                        && e.path.parent().is_some_and(|p| p.ends_with(directory))
                });
                if !found {
                    missing.push(format!(
                        "{} has no {} {format} example",
                        policy.id,
                        if bad { "bad" } else { "good" }
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn json_templates_are_among_the_examples() {
    let json = examples()
        .iter()
        .filter(|e| e.path.extension().is_some_and(|x| x == "json"))
        .count();
    assert!(json >= 10, "only {json} JSON examples");
}
