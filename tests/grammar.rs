//! Grammar-generated projects for every front end (see `generator/`): each one is scanned,
//! evaluated and rendered in every format without a panic, and the evaluators' work stays
//! within the budget the input's size allows. Seeds are fixed, so a failure reproduces;
//! `RAMPART_GRAMMAR_CASES` runs more of them. The cargo-fuzz target `grammar` drives the
//! same generator with libFuzzer.

mod common;
mod generator;

use generator::Front;
use rampart::parse::budget::Limits;
use rampart::report;

/// splitmix64: a seeded byte stream for the generator.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn cases() -> u64 {
    std::env::var("RAMPART_GRAMMAR_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
}

fn run_generated(front: Front) {
    let mut errors_seen = 0;
    let mut findings_seen = 0;
    for seed in 0..cases() {
        let data = bytes(seed ^ (front as u64) << 32, 8192);
        let mut u = arbitrary::Unstructured::new(&data);
        let project = generator::project(&mut u, front).expect("enough bytes");
        let dir = tempfile::tempdir().unwrap();
        let mut size = 0;
        for (path, text) in &project.files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            size += text.len() as u64;
        }
        let run = common::scan(&[dir.path().to_str().unwrap()]);
        // Every project of the scan has its own budget of at most the whole input's.
        let projects = run.scanned.projects.len().max(1) as u64;
        let limit = Limits::default().budget_for(size).limit();
        assert!(
            run.scanned.work <= projects * (limit + 64 * 1024 * 1024),
            "seed {seed}: work {} beyond {projects} budgets of {limit}",
            run.scanned.work
        );
        let report = run.report();
        let _ = report::human::render(&report, false, 100);
        let _ = report::json::render(&report);
        let _ = report::sarif::render(&report, None, "rampart");
        let _ = report::github::render(&report);
        if std::env::var_os("RAMPART_GRAMMAR_SHOW_ERRORS").is_some() {
            for error in &run.scanned.errors {
                eprintln!("{front:?} seed {seed}: {}", error.message);
            }
        }
        errors_seen += run.scanned.errors.len();
        findings_seen += run.findings.len();
    }
    // The generator must reach the evaluators, not stop at the parsers.
    assert!(
        findings_seen > 0,
        "{front:?}: no generated case produced a finding"
    );
    eprintln!(
        "{front:?}: {} cases, {findings_seen} findings, {errors_seen} errors",
        cases()
    );
}

#[test]
fn generated_terraform_projects() {
    run_generated(Front::Terraform);
}

#[test]
fn generated_cloudformation_templates() {
    run_generated(Front::CloudFormation);
}

#[test]
fn generated_pulumi_yaml_programs() {
    run_generated(Front::PulumiYaml);
}

#[test]
#[ignore = "prints one generated project: RAMPART_GRAMMAR_FRONT and RAMPART_GRAMMAR_SEED"]
fn print_one_generated_project() {
    let front = match std::env::var("RAMPART_GRAMMAR_FRONT").as_deref() {
        Ok("cloudformation") => Front::CloudFormation,
        Ok("pulumi") => Front::PulumiYaml,
        _ => Front::Terraform,
    };
    let seed: u64 = std::env::var("RAMPART_GRAMMAR_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // A fuzzer input (its first byte picks the front end there) or a seed.
    let data = match std::env::var_os("RAMPART_GRAMMAR_INPUT") {
        Some(file) => std::fs::read(file).unwrap()[1..].to_vec(),
        None => bytes(seed ^ (front as u64) << 32, 8192),
    };
    let project = generator::project(&mut arbitrary::Unstructured::new(&data), front).unwrap();
    for (path, text) in project.files {
        println!("== {path}\n{text}");
    }
}
