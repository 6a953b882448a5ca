//! Grammar-aware: libFuzzer's bytes drive the generator of `tests/generator` into Terraform
//! projects (with modules), CloudFormation templates and Pulumi YAML programs, which are
//! written to a temporary directory and scanned, evaluated and rendered as `rampart scan`
//! would. The first byte picks the front end (`RAMPART_FUZZ_FRONT` pins one).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/generator/mod.rs"]
mod generator;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let front = match std::env::var("RAMPART_FUZZ_FRONT").as_deref() {
        Ok("terraform") => generator::Front::Terraform,
        Ok("cloudformation") => generator::Front::CloudFormation,
        Ok("pulumi") => generator::Front::PulumiYaml,
        _ => match first % 3 {
            0 => generator::Front::Terraform,
            1 => generator::Front::CloudFormation,
            _ => generator::Front::PulumiYaml,
        },
    };
    let mut u = arbitrary::Unstructured::new(rest);
    let Ok(project) = generator::project(&mut u, front) else { return };
    let dir = tempfile::tempdir_in(std::env::var_os("RAMPART_FUZZ_TMP").unwrap_or("/tmp".into()))
        .expect("temporary directory");
    for (path, text) in &project.files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let paths = [dir.path().to_path_buf()];
    let scanned = rampart::scan::scan(&rampart::scan::ScanInput {
        paths: &paths,
        exclude: &[],
        var_files: &[],
        vars: &[],
        root: dir.path(),
        limits: Default::default(),
        signatures: rampart::signatures::Catalog::shared(),
    })
    .expect("a generated directory is scannable");
    static POLICIES: std::sync::OnceLock<rampart::policy::PolicySet> = std::sync::OnceLock::new();
    let policies = POLICIES.get_or_init(|| {
        rampart::app::load_policies(&rampart::config::Config::default(), &[], &[], &[])
            .expect("embedded policies")
    });
    let findings = policies.evaluate(&scanned.projects, &scanned.sources);
    let report = rampart::report::Report {
        sources: &scanned.sources,
        policies,
        findings: &findings,
        errors: &scanned.errors,
        notices: &scanned.notices,
        files_scanned: scanned.sources.scanned_count(),
        suppressions: &[],
        config: None,
        unanalysed_is_error: false,
        annotate_from: None,
        not_blocking: 0,
    };
    let _ = rampart::report::human::render(&report, false, 100);
    let _ = rampart::report::sarif::render(&report, None, "rampart");
    let _ = rampart::report::github::render(&report);
    let _ = rampart::report::json::render(&report);
    let _ = rampart::report::markdown::render(&report);
    let _ = rampart::report::short::render(&report);
    let _ = rampart::report::junit::render(&report);
    let mut sink = Vec::new();
    rampart::report::gitlab_sast::write(&mut sink, &report, rampart::report::report_time()).expect("in memory");
    rampart::report::codequality::write(&mut sink, &report).expect("in memory");
});
