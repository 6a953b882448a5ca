//! Hostile inputs: every one yields a clear diagnostic and the right exit status in
//! bounded time and memory, with no panic, and every other file is still scanned. And the
//! guarantees: rampart never spawns a process, never opens a network connection and never
//! writes inside the scanned tree.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::root;

fn rampart_in(dir: &Path, args: &[&str]) -> Output {
    common::not_crashed(
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("binary runs"),
    )
}

fn json_in(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = rampart_in(dir, &all);
    let stderr = String::from_utf8_lossy(&output.stderr);
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}")),
    )
}

#[test]
fn bom_crlf_empty_invalid_utf8_and_binary_files() {
    let (code, report) = json_in(&root(), &["scan", "testdata/hostile"]);
    assert_eq!(code, Some(2), "undecodable files are errors");
    let errors: Vec<(String, Option<u64>)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["file"].as_str().unwrap().to_string(), e["line"].as_u64()))
        .collect();
    assert_eq!(
        errors,
        [
            ("testdata/hostile/binary.tf".to_string(), Some(1)),
            ("testdata/hostile/invalid-utf8.tf".to_string(), Some(2)),
        ]
    );
    // A BOM and CRLF line ends do not move the finding off its line and column.
    let encrypted: Vec<(u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "ENC-001")
        .map(|f| {
            (
                f["location"]["start"]["line"].as_u64().unwrap(),
                f["location"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(encrypted, [(4, 23)]);
}

#[test]
fn deep_nesting_in_hcl_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    std::fs::write(
        dir.path().join("deep.tf"),
        format!(
            "locals {{\n  x = {}{}\n}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("fine.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let (code, report) = json_in(dir.path(), &["scan", "."]);
    assert_eq!(code, Some(2));
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nesting")
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "ENC-001")
    );
}

#[test]
fn a_template_of_100000_resources_is_scanned_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "  Key{i}:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n"
        ));
    }
    text.push_str("  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: false\n");
    std::fs::write(dir.path().join("big.yaml"), text).unwrap();
    let (code, report) = json_in(dir.path(), &["scan", ".", "--select", "ENC-001"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn a_200_mb_json_file_is_read_once_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        file.write_all(b"[").unwrap();
        let chunk = "1234567890,".repeat(1000);
        for _ in 0..(200 * 1024 * 1024 / chunk.len()) {
            file.write_all(chunk.as_bytes()).unwrap();
        }
        file.write_all(b"0]").unwrap();
    }
    std::fs::write(
        dir.path().join("db.tf"),
        "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let (code, report) = json_in(dir.path(), &["scan", ".", "--select", "ENC-001"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        report["summary"]["files_scanned"], 1,
        "the JSON is not a template"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_root_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.tf"),
        "resource \"aws_db_instance\" \"outside\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.tf"),
        dir.path().join("linked.tf"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.tf"), "").unwrap();
    let (code, report) = json_in(dir.path(), &["scan", "."]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["summary"]["files_scanned"], 1, "only empty.tf");
    // With nothing but links there is nothing to scan: that is said, and is no pass.
    std::fs::remove_file(dir.path().join("empty.tf")).unwrap();
    let output = rampart_in(dir.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was scanned"));
}

/// FIFOs, devices and links to them are never opened: as a named path they are a usage
/// error, in the tree (a FIFO named `main.tf`, a module manifest linked to `/dev/zero`)
/// they are reported and every other file is scanned. Each case would block or read
/// forever if the file were opened.
#[cfg(unix)]
#[test]
fn fifos_devices_and_links_to_them_are_refused_without_being_read() {
    let mkfifo = |path: &Path| {
        let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path and touches nothing else.
        #[allow(unsafe_code)]
        let made = unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
        assert_eq!(made, 0);
    };
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("blocking.tf"));
    std::fs::create_dir_all(dir.path().join(".terraform/modules")).unwrap();
    std::os::unix::fs::symlink(
        "/dev/zero",
        dir.path().join(".terraform/modules/modules.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let (code, report) = json_in(dir.path(), &["scan", "."]);
    assert_eq!(code, Some(2), "{report}");
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, ".terraform/modules/modules.json");
    assert!(
        errors[0].1.contains("a device, not a regular file"),
        "{errors:?}"
    );
    assert_eq!(errors[1].0, "blocking.tf");
    assert!(
        errors[1].1.contains("a FIFO, not a regular file"),
        "{errors:?}"
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "ENC-001"),
        "main.tf is still scanned"
    );
    for named in [dir.path().join("blocking.tf"), "/dev/null".into()] {
        let output = rampart_in(dir.path(), &["scan", named.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("name a file or a directory"), "{stderr}");
    }
    let empty = tempfile::tempdir().unwrap();
    let output = rampart_in(empty.path(), &["scan", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was scanned"));
}

/// A file larger than `[limits] file_size` is refused by its size, without being read.
#[test]
fn files_over_the_size_limit_are_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[limits]\nfile_size = 1000\n",
    )
    .unwrap();
    let big = std::fs::File::create(dir.path().join("huge.tf")).unwrap();
    big.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: 2 GB that take no disk
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n",
    )
    .unwrap();
    let (code, report) = json_in(dir.path(), &["scan", "."]);
    assert_eq!(code, Some(2));
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["file"], "huge.tf");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("more than the limit of 1000 bytes")
    );
}

/// Files named on the command line that do not exist are a usage error.
#[test]
fn a_missing_path_is_exit_2_with_a_message() {
    let output = rampart_in(&root(), &["scan", "no/such/dir"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("path does not exist"));
}

/// Under strace: no process is spawned and no socket is opened, and the scanned tree is
/// byte-identical afterwards. Skipped where strace is not installed.
#[test]
fn never_spawns_connects_or_writes_into_the_tree() {
    let Ok(strace) = which("strace") else {
        eprintln!("strace not installed; skipping");
        return;
    };
    let tree = tempfile::tempdir().unwrap();
    copy_dir(&root().join("testdata/example"), tree.path());
    copy_dir(
        &root().join("testdata/cloudformation/cdk"),
        &tree.path().join("cdk"),
    );
    let before = snapshot(tree.path());
    let trace = tempfile::NamedTempFile::new().unwrap();
    let output = Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=process,network", "-o"])
        .arg(trace.path())
        .arg(env!("CARGO_BIN_EXE_rampart"))
        .args(["scan", ".", "--format", "sarif"])
        .current_dir(tree.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let log = std::fs::read_to_string(trace.path()).unwrap();
    let execs = log.lines().filter(|l| l.contains("execve(")).count();
    assert_eq!(execs, 1, "only rampart itself is executed:\n{log}");
    for forbidden in ["socket(", "connect(", "vfork(", "fork("] {
        assert!(
            !log.lines()
                .any(|l| l.contains(forbidden) && !l.contains("clone")),
            "{forbidden} in:\n{log}"
        );
    }
    assert_eq!(before, snapshot(tree.path()), "the scanned tree changed");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its contents and modification time.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else {
                let meta = entry.metadata().unwrap();
                out.push((
                    path.display().to_string(),
                    std::fs::read(&path).unwrap(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Inputs the fuzzers found crashing, kept as regressions: scanned without a panic.
#[test]
fn fuzzer_regressions_do_not_crash() {
    let (code, report) = json_in(&root(), &["scan", "testdata/fuzz-regressions"]);
    assert!(matches!(code, Some(0..=2)), "{report}");
    assert!(report["summary"]["files_scanned"].as_u64().unwrap() >= 1);
}

/// Control characters from scanned files (in a value, a resource name, a source line, a
/// file name) never reach the terminal raw: no cursor moves, clipboard writes (OSC 52),
/// title changes or bidirectional overrides, in human output with or without colour and in
/// GitHub annotations.
#[test]
fn control_characters_from_scanned_files_are_never_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let osc52 = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}";
    let erase = "\u{1b}[2K\u{1b}[1A";
    let csi = "\u{9b}31m";
    let bidi = "\u{202e}";
    std::fs::write(
        dir.path().join(format!("db{erase}.tf")),
        format!(
            "resource \"aws_db_instance\" \"x\" {{\n  identifier        = \"orders{osc52}\"\n  username          = \"admin{csi}{bidi}\" # {erase}\n  storage_encrypted = false # {osc52}\n}}\n"
        ),
    )
    .unwrap();
    for args in [
        &["scan", ".", "--color", "never"][..],
        &["scan", ".", "--color", "always"][..],
        &["scan", ".", "--format", "github"][..],
    ] {
        let output = rampart_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("ENC-001"), "{args:?}: {text}");
        for hostile in [osc52, erase, csi, bidi, "\u{7}", "\u{1b}]", "\u{1b}[2K"] {
            assert!(!text.contains(hostile), "{args:?} printed {hostile:?} raw");
        }
        if args.contains(&"always") {
            assert!(text.contains("\u{1b}["), "rampart's own colours stay");
        } else {
            assert!(!text.contains('\u{1b}'), "{args:?}: no escape at all");
        }
    }
}

/// File names that are not UTF-8, or that hold a newline, keep their own results: two
/// names never collapse into one lossy spelling, and no name breaks a report line.
#[cfg(unix)]
#[test]
fn undecodable_and_newline_file_names_keep_their_own_results() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let db = "resource \"aws_db_instance\" \"x\" {\n  storage_encrypted = false\n}\n";
    for name in [&b"a\xff.tf"[..], &b"a\xfe.tf"[..], &b"line\nbreak.tf"[..]] {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), db).unwrap();
    }
    let (code, report) = json_in(dir.path(), &["scan", "."]);
    assert_eq!(code, Some(1), "{report}");
    let mut files: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "ENC-001")
        .map(|f| f["location"]["file"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["a\\xFE.tf", "a\\xFF.tf", "line\\nbreak.tf"]);
}
