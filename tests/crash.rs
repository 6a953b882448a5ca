//! Crash detection that can fail: a panic injected (debug builds only) before and after the
//! report is written is caught by the same check every test that runs the binary uses, and
//! the hook names the file being scanned at that moment, or says it was scanning none.

mod common;

use common::{CRASH_MARKER, crashed};

fn run_with_panic_at(injection: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(common::root())
        .env("RAMPART_INJECT_PANIC", injection)
        .output()
        .expect("binary runs")
}

#[test]
fn a_panic_while_scanning_a_file_is_caught_and_names_that_file() {
    let args = ["scan", "testdata/example", "--format", "json"];
    assert!(!crashed(&common::rampart_in(&common::root(), &args)));
    for name in ["insecure/main.tf", "hardened/main.tf"] {
        let output = run_with_panic_at(&format!("scanning:{name}"), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(crashed(&output), "the check sees the crash: {stderr}");
        assert!(stderr.contains(CRASH_MARKER), "{stderr}");
        assert!(
            stderr.contains(&format!("while scanning testdata/example/{name}")),
            "names the file being scanned, not the last one read: {stderr}"
        );
        assert_eq!(output.status.code(), Some(2));
    }
}

#[test]
fn a_panic_after_the_report_is_written_is_still_a_crash() {
    let output = run_with_panic_at(
        "after-output:report",
        &["scan", "testdata/example", "--format", "json"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("\"findings\""),
        "the report was written first: {stdout}"
    );
    assert!(
        crashed(&output),
        "a complete report does not hide the crash"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("(not while scanning a file)"), "{stderr}");
}

#[test]
#[should_panic(expected = "rampart crashed")]
fn the_common_check_fails_a_test_on_a_crash() {
    common::not_crashed(run_with_panic_at(
        "scanning:main.tf",
        &["scan", "testdata/example"],
    ));
}
