//! Work is bounded by the input: cycles are reported, long chains are followed, values that
//! double at every level stop at the work budget with an error at the expression, and every
//! other project is still reported. Shapes are generated here; bounds are checked by counting
//! work (the budget's own counter), never by the clock.

mod common;

use std::path::Path;

use rampart::config::Config;
use rampart::parse::budget::Limits;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scan_dir(dir: &Path) -> common::Run {
    common::scan(&[dir.to_str().unwrap()])
}

fn has_hit(run: &common::Run, file_suffix: &str, id: &str) -> bool {
    run.hits()
        .iter()
        .any(|(f, _, i)| f.ends_with(file_suffix) && i == id)
}

const UNENCRYPTED_DB: &str =
    "resource \"aws_db_instance\" \"fine\" {\n  storage_encrypted = false\n}\n";

#[test]
fn terraform_cycles_among_variables_and_locals_are_reported_where_they_close() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "self/main.tf",
        "variable \"a\" {\n  default = var.a\n}\nresource \"aws_db_instance\" \"x\" {\n  storage_encrypted = var.a\n}\n",
    );
    write(
        dir.path(),
        "mutual/main.tf",
        "variable \"a\" {\n  default = var.b\n}\nvariable \"b\" {\n  default = var.a\n}\nresource \"aws_db_instance\" \"x\" {\n  storage_encrypted = var.a\n}\n",
    );
    write(
        dir.path(),
        "mixed/main.tf",
        "variable \"a\" {\n  default = local.b\n}\nlocals {\n  b = var.a\n}\nresource \"aws_db_instance\" \"x\" {\n  storage_encrypted = local.b\n}\n",
    );
    let run = scan_dir(dir.path());
    let cycles: Vec<(String, usize)> = run
        .scanned
        .notices
        .iter()
        .filter(|n| n.message.contains("cycle"))
        .map(|n| {
            let span = n.span.expect("located");
            (
                run.scanned.sources.get(span.file).display.clone(),
                run.scanned.sources.start(span).line,
            )
        })
        .map(|(f, l)| (f.rsplit('/').nth(1).unwrap().to_string(), l))
        .collect();
    assert_eq!(
        cycles,
        [
            ("mixed".to_string(), 2),
            ("mutual".to_string(), 5),
            ("self".to_string(), 2)
        ],
        "{:?}",
        run.scanned.notices
    );
    assert!(
        !run.hits().iter().any(|(_, _, id)| id == "ENC-001"),
        "a value in a cycle is unknown, never a finding"
    );
}

/// `local.l0 = local.l1`, ..., `local.l{n} = false`, used by one database.
fn chain_of_locals(n: usize) -> String {
    let mut text = String::from("locals {\n");
    for i in 0..n {
        text.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    text.push_str(&format!("  l{n} = false\n}}\n"));
    text.push_str("resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = local.l0\n}\n");
    text
}

#[test]
fn a_chain_of_ten_thousand_locals_is_followed_in_linear_work() {
    let work = |n: usize| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.tf", &chain_of_locals(n));
        let run = scan_dir(dir.path());
        assert!(run.scanned.errors.is_empty(), "{:?}", run.scanned.errors);
        assert!(has_hit(&run, "main.tf", "ENC-001"), "the chain is resolved");
        run.scanned.work
    };
    let (small, large) = (work(5_000), work(10_000));
    assert!(
        large <= small * 21 / 10,
        "work for 2N ({large}) is more than about twice the work for N ({small})"
    );
}

#[test]
fn terraform_values_that_double_at_every_level_stop_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("locals {\n  l0 = \"xx\"\n");
    for i in 0..40 {
        text.push_str(&format!(
            "  l{} = \"${{local.l{i}}}${{local.l{i}}}\"\n",
            i + 1
        ));
    }
    text.push_str("}\nresource \"aws_db_instance\" \"x\" {\n  identifier = local.l40\n}\n");
    write(dir.path(), "bomb/main.tf", &text);
    // Lists double too: each level holds two copies of the one below.
    let mut lists = String::from("locals {\n  m0 = [1, 2]\n");
    for i in 0..40 {
        lists.push_str(&format!("  m{} = [local.m{i}, local.m{i}]\n", i + 1));
    }
    lists.push_str("}\nresource \"aws_db_instance\" \"y\" {\n  tags = { t = local.m40 }\n}\n");
    write(dir.path(), "lists/main.tf", &lists);
    write(dir.path(), "fine/main.tf", UNENCRYPTED_DB);
    let run = scan_dir(dir.path());
    let errors = run.located_errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (file, line, message) in &errors {
        assert_eq!(file, "main.tf");
        assert!(message.contains("work budget exceeded"), "{message}");
        assert!(
            (2..=42).contains(line),
            "at the expression that blew it: {line}"
        );
    }
    assert!(
        has_hit(&run, "fine/main.tf", "ENC-001"),
        "every other project is still analysed"
    );
    // Both budgets were spent and nothing ran much past them.
    let limit = Limits::default().budget_for(text.len() as u64).limit();
    assert!(
        run.scanned.work <= 3 * limit,
        "{} > 3 × {limit}",
        run.scanned.work
    );
}

#[test]
fn cloudformation_sub_that_doubles_stops_at_the_budget_and_condition_chains_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let mut sub = String::from("seed");
    for _ in 0..40 {
        sub = format!("{{\"Fn::Sub\": [\"${{A}}${{A}}\", {{\"A\": {sub}}}]}}");
    }
    write(
        dir.path(),
        "bomb.json",
        &format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"Db\": {{\"Type\": \"AWS::RDS::DBInstance\", \"Properties\": {{\"DBName\": {sub}}}}}}}}}"
        )
        .replace("seed", "\"xx\""),
    );
    let mut chain = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nConditions:\n");
    for i in 0..10_000 {
        chain.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i + 1));
    }
    chain.push_str("  C10000: !Equals [a, a]\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Condition: C0\n    Properties:\n      Engine: postgres\n      StorageEncrypted: false\n");
    write(dir.path(), "chain.yaml", &chain);
    let run = scan_dir(dir.path());
    let errors = run.located_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "bomb.json");
    assert!(errors[0].2.contains("work budget exceeded"));
    assert!(
        has_hit(&run, "chain.yaml", "ENC-001"),
        "10,000 conditions decide that the database is created (an even number of `!Not`)"
    );
}

#[test]
fn pulumi_yaml_variables_cycles_and_doubling_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cycle/Pulumi.yaml",
        "name: p\nruntime: yaml\nconfig:\n  c:\n    default: ${c}\nvariables:\n  a: ${b}\n  b: ${a}\nresources:\n  db:\n    type: aws:rds:Instance\n    properties:\n      storageEncrypted: ${a}\n      engine: ${c}\n",
    );
    let mut doubling = String::from("name: p\nruntime: yaml\nvariables:\n  v0: xx\n");
    for i in 0..40 {
        doubling.push_str(&format!("  v{}: ${{v{i}}}${{v{i}}}\n", i + 1));
    }
    doubling.push_str(
        "resources:\n  db:\n    type: aws:rds:Instance\n    properties:\n      dbName: ${v40}\n",
    );
    write(dir.path(), "bomb/Pulumi.yaml", &doubling);
    let run = scan_dir(dir.path());
    let cycles: Vec<&str> = run
        .scanned
        .notices
        .iter()
        .filter(|n| n.message.contains("cycle"))
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(cycles.len(), 2, "{cycles:?}");
    let errors = run.located_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].2.contains("work budget exceeded"));
    assert!(
        !has_hit(&run, "cycle/Pulumi.yaml", "ENC-001"),
        "a value in a cycle is unknown, never a finding"
    );
}

#[test]
fn the_work_budget_is_configurable() {
    let config = Config {
        limits: Limits {
            work: Some(50),
            ..Limits::default()
        },
        ..Config::default()
    };
    let run = common::scan_with(&["testdata/example/insecure"], &config);
    assert!(
        run.scanned
            .errors
            .iter()
            .any(|e| e.message.contains("work budget exceeded")),
        "{:?}",
        run.scanned.errors
    );
    let roomy = common::scan_with(&["testdata/example/insecure"], &Config::default());
    assert!(roomy.scanned.errors.is_empty());
    assert!(roomy.scanned.work > 50);
}

#[test]
fn module_fan_out_across_levels_stops_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    // 10,000 x 10,000 x 10,000 instances of the innermost module if nothing stopped it.
    for level in 0..3 {
        write(
            dir.path(),
            &format!("m{level}/main.tf"),
            &format!(
                "module \"next\" {{\n  source = \"../m{}\"\n  count  = 10000\n}}\nresource \"aws_db_instance\" \"x\" {{\n  storage_encrypted = false\n}}\n",
                level + 1
            ),
        );
    }
    write(dir.path(), "m3/main.tf", UNENCRYPTED_DB);
    let run = common::scan(&[dir.path().join("m0").to_str().unwrap()]);
    let errors = run.located_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].2.contains("work budget exceeded"), "{errors:?}");
    let limit = Limits::default().budget_for(1024).limit();
    assert!(
        run.scanned.work <= limit + 64 * 1024,
        "{}",
        run.scanned.work
    );
}

#[test]
fn a_large_yaml_string_aliased_many_times_is_refused_by_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(1024 * 1024);
    let mut text = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nMappings:\n  M:\n    a: {{k: &big \"{big}\"}}\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Tags:\n"
    );
    for _ in 0..200 {
        text.push_str("        - *big\n");
    }
    write(dir.path(), "t.yaml", &text);
    write(dir.path(), "fine/main.tf", UNENCRYPTED_DB);
    let run = scan_dir(dir.path());
    let errors = run.located_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].2.contains("bytes of text; refusing to expand"),
        "{errors:?}"
    );
    assert!(has_hit(&run, "fine/main.tf", "ENC-001"));
}
