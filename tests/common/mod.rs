//! Shared test helpers: scan through the library and read `expect:` marks from fixtures.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart::app;
use rampart::config::Config;
use rampart::policy::{Finding, PolicySet};
use rampart::report::Report;
use rampart::scan::{self, ScanInput, Scanned};

/// Runs the binary in `dir` with `args`, without colour.
/// One Terraform file (`main.tf`), lowered as a module and linked.
pub fn linked(text: &str) -> rampart::ir::Project {
    let parsed = rampart::parse::terraform::parse_file(0, "main.tf", text).expect("fixture parses");
    let mut project = rampart::parse::terraform::lower_module("main".into(), &[parsed]);
    rampart::graph::link(&mut project);
    project
}

pub fn rampart_in(dir: &Path, args: &[&str]) -> std::process::Output {
    not_crashed(
        std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("binary runs"),
    )
}

/// What rampart's panic hook prints first: a run that prints it crashed, whatever its exit
/// status (the hook exits 2, like an ordinary error).
pub const CRASH_MARKER: &str = "rampart crashed";

/// Whether a run of the binary crashed: the hook's marker, Rust's own panic message (a
/// panic before the hook is installed), a signal (a stack overflow aborts) or the default
/// panic exit status.
pub fn crashed(output: &std::process::Output) -> bool {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.contains(CRASH_MARKER)
        || stderr.contains("panicked")
        || output.status.code().is_none()
        || output.status.code() == Some(101)
}

/// `output`, after failing the test if the run crashed: every test that runs the binary
/// checks this, so no crash passes as "exit 2, an error was reported".
#[track_caller]
pub fn not_crashed(output: std::process::Output) -> std::process::Output {
    assert!(
        !crashed(&output),
        "rampart crashed (status {:?}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Writes `text` to `relative` under `dir`, creating the directories between.
pub fn write_file(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub scanned: Scanned,
    pub policies: PolicySet,
    pub findings: Vec<Finding>,
}

impl Run {
    pub fn report(&self) -> Report<'_> {
        Report {
            sources: &self.scanned.sources,
            policies: &self.policies,
            findings: &self.findings,
            errors: &self.scanned.errors,
            notices: &self.scanned.notices,
            files_scanned: self.scanned.sources.scanned_count(),
            suppressions: &[],
            config: None,
            unanalysed_is_error: false,
            annotate_from: None,
            not_blocking: 0,
        }
    }

    /// `(file name, line, message)` of every error; line 0 for one without a place.
    pub fn located_errors(&self) -> Vec<(String, usize, String)> {
        self.scanned
            .errors
            .iter()
            .map(|e| {
                let line = e
                    .span
                    .map(|span| self.scanned.sources.start(span).line)
                    .unwrap_or(0);
                let file = e.path.rsplit('/').next().unwrap_or_default().to_string();
                (file, line, e.message.clone())
            })
            .collect()
    }

    /// `(file, line, policy id)` of every finding, file relative to the crate root.
    pub fn hits(&self) -> BTreeSet<(String, usize, String)> {
        self.findings
            .iter()
            .map(|f| {
                let file = self.scanned.sources.get(f.span.file);
                let line = file.position(f.span.start as usize).line;
                (
                    file.display.clone(),
                    line,
                    self.policies.policies[f.policy].id.clone(),
                )
            })
            .collect()
    }
}

/// Scans `paths` (relative to the crate root) with the embedded policies.
pub fn scan(paths: &[&str]) -> Run {
    scan_with(paths, &Config::default())
}

pub fn scan_with(paths: &[&str], config: &Config) -> Run {
    let root = root();
    let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
    let policies = app::load_policies(config, &[], &[], &[]).expect("policies load");
    let scanned = scan::scan(&ScanInput {
        paths: &paths,
        exclude: &[],
        var_files: &[],
        vars: &[],
        root: &root,
        limits: config.limits,
        signatures: rampart::signatures::Catalog::shared(),
    })
    .expect("scan");
    let findings = policies.evaluate(&scanned.projects, &scanned.sources);
    Run {
        scanned,
        policies,
        findings,
    }
}

/// Marks in a fixture: a line ending in `# expect: ID ID` (or `// expect:`) must be flagged
/// by each id; a sidecar `<file>.expect` (for JSON) holds `LINE ID ID` rows.
pub fn expected_marks(path: &Path) -> BTreeSet<(usize, String)> {
    let mut marks = BTreeSet::new();
    let text = std::fs::read_to_string(path).expect("fixture readable");
    for (index, line) in text.lines().enumerate() {
        if let Some(at) = line.find("expect:") {
            let before = line[..at].trim_end();
            if before.ends_with('#') || before.ends_with("//") {
                for id in line[at + "expect:".len()..].split_whitespace() {
                    marks.insert((index + 1, id.to_string()));
                }
            }
        }
    }
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    if let Ok(text) = std::fs::read_to_string(&sidecar) {
        for row in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = row.split_whitespace();
            let line: usize = parts.next().unwrap().parse().expect("line number");
            for id in parts {
                marks.insert((line, id.to_string()));
            }
        }
    }
    marks
}

pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
