//! The composite GitHub Action: the file parses, declares the documented inputs, uploads
//! SARIF with codeql-action, and its scan step runs in a shell with GitHub's environment
//! variables set by hand.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::root;
use rampart::parse::cloudformation::{Node, parse_yaml};

fn action() -> Node {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    parse_yaml(&text).unwrap().expect("a document")
}

fn steps(action: &Node) -> Vec<Node> {
    action
        .get("runs")
        .and_then(|r| r.get("steps"))
        .and_then(Node::as_seq)
        .expect("runs.steps")
        .to_vec()
}

#[test]
fn action_declares_inputs_and_uploads_sarif() {
    let action = action();
    let inputs = action.get("inputs").and_then(Node::as_map).expect("inputs");
    let names: Vec<&str> = inputs.iter().filter_map(|(k, _)| k.as_str()).collect();
    for wanted in [
        "paths",
        "format",
        "fail-on",
        "config",
        "sarif-file",
        "upload",
    ] {
        assert!(
            names.contains(&wanted),
            "input {wanted} missing from {names:?}"
        );
    }
    assert_eq!(
        action
            .get("runs")
            .and_then(|r| r.get("using"))
            .and_then(Node::as_str),
        Some("composite")
    );
    let uses: Vec<String> = steps(&action)
        .iter()
        .filter_map(|s| s.get("uses").and_then(Node::as_str).map(str::to_string))
        .collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
}

/// Replaces `${{ inputs.x }}` with the test's inputs, as the runner would.
fn expand(text: &str, inputs: &BTreeMap<&str, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in inputs {
        out = out.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    out
}

/// What one run of the scan step left behind.
struct StepRun {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
    outputs: String,
    summary: String,
    sarif: std::path::PathBuf,
}

/// Runs the scan step exactly as a runner runs a `shell: bash` step: the script in a file,
/// `bash --noprofile --norc -eo pipefail FILE`, in `GITHUB_WORKSPACE` (a copy of the
/// bundled example, not the action's checkout), with `GITHUB_OUTPUT` and
/// `GITHUB_STEP_SUMMARY` files.
fn run_scan_step(workspace: &std::path::Path, paths: &str, fail_on: &str) -> StepRun {
    run_scan_step_with(workspace, paths, fail_on, &[])
}

fn run_scan_step_with(
    workspace: &std::path::Path,
    paths: &str,
    fail_on: &str,
    extra: &[(&'static str, &str)],
) -> StepRun {
    let action = action();
    let step = steps(&action)
        .into_iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some("scan"))
        .expect("a step with id scan");
    let script = step.get("run").and_then(Node::as_str).unwrap().to_string();
    let runner = tempfile::tempdir().unwrap();
    let script_file = runner.path().join("step.sh");
    std::fs::write(&script_file, &script).unwrap();
    let sarif = runner.path().join("out.sarif");
    let outputs = runner.path().join("github_output");
    let summary = runner.path().join("step_summary");
    // Every input at its declared default, as the runner fills them, then the test's.
    let mut inputs: BTreeMap<&str, String> = BTreeMap::new();
    for (name, spec) in action.get("inputs").and_then(Node::as_map).unwrap() {
        let default = spec.get("default").and_then(Node::as_str).unwrap_or("");
        inputs.insert(name.as_str().unwrap(), default.to_string());
    }
    for (name, value) in extra {
        inputs.insert(name, value.to_string());
    }
    inputs.insert("paths", paths.to_string());
    inputs.insert("fail-on", fail_on.to_string());
    inputs.insert("config", String::new());
    inputs.insert("sarif-file", sarif.to_str().unwrap().to_string());
    inputs.insert("format", "github".to_string());
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_rampart"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script_file)
        .current_dir(workspace)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_ACTION_PATH", root());
    for (key, value) in step.get("env").and_then(Node::as_map).unwrap() {
        command.env(
            key.as_str().unwrap(),
            expand(value.as_str().unwrap_or(""), &inputs),
        );
    }
    let output = command.output().unwrap();
    // Keep the SARIF beyond the runner's temporary directory.
    let kept = workspace.join("kept.sarif");
    let _ = std::fs::copy(&sarif, &kept);
    StepRun {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        sarif: kept,
    }
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["insecure", "hardened"] {
        let from = root().join("testdata/example").join(sub);
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// With findings the step still writes annotations and both outputs (GitHub's `-e` once
/// stopped it at rampart's exit 1), and the step itself succeeds so that the upload and
/// the final "fail on findings" step run.
#[test]
fn scan_step_with_findings_annotates_and_sets_outputs() {
    let workspace = workspace();
    let run = run_scan_step(workspace.path(), "insecure", "high");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("::error file=insecure/main.tf,line="),
        "{}",
        run.stdout
    );
    assert!(run.outputs.contains("exit-code=1"), "{}", run.outputs);
    assert!(run.outputs.contains("sarif-file="), "{}", run.outputs);
    // The job summary: a table by severity and policy, then the findings.
    assert!(run.summary.starts_with("## rampart: "), "{}", run.summary);
    assert!(
        run.summary.contains("| critical | `NET-001` |"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("`insecure/main.tf:"),
        "{}",
        run.summary
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&run.sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn scan_step_without_findings_reports_exit_code_0() {
    let workspace = workspace();
    let run = run_scan_step(workspace.path(), "hardened", "high");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(run.outputs.contains("exit-code=0"), "{}", run.outputs);
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
}

#[test]
fn scan_step_with_an_unparseable_file_reports_exit_code_2() {
    let workspace = workspace();
    std::fs::write(
        workspace.path().join("hardened/broken.tf"),
        "resource \"x\" {\n",
    )
    .unwrap();
    let run = run_scan_step(workspace.path(), "hardened", "high");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(run.outputs.contains("exit-code=2"), "{}", run.outputs);
    assert!(
        run.stdout
            .contains("::error title=rampart::rampart could not complete the scan"),
        "{}",
        run.stdout
    );
}

/// A workspace with no infrastructure-as-code file fails the scan (exit code 2) by default:
/// the check is green only when something was scanned; `fail-on-empty: false` turns it off.
#[test]
fn scan_step_fails_when_nothing_was_scanned_unless_told_otherwise() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(workspace.path().join("app")).unwrap();
    std::fs::write(
        workspace.path().join("app/package.json"),
        "{\"name\": \"x\"}\n",
    )
    .unwrap();
    let run = run_scan_step(workspace.path(), "app", "high");
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(run.outputs.contains("exit-code=2"), "{}", run.outputs);
    assert!(
        run.stdout.contains("nothing was analysed"),
        "{}",
        run.stdout
    );
    let run = run_scan_step_with(
        workspace.path(),
        "app",
        "high",
        &[("fail-on-empty", "false")],
    );
    assert!(run.outputs.contains("exit-code=0"), "{}", run.outputs);
}

/// The install step installs this project's package and nothing else: the `version` input
/// is a release number or the step fails before cargo runs (a fake `cargo` records what it
/// was asked).
#[test]
fn install_step_installs_only_this_package_at_a_release_number() {
    let action = action();
    let step = steps(&action)
        .into_iter()
        .find(|s| s.get("name").and_then(Node::as_str) == Some("Install rampart"))
        .expect("the install step");
    let script = step.get("run").and_then(Node::as_str).unwrap().to_string();
    let run = |version: &str| {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("cargo.log");
        let fake = dir.path().join("cargo");
        std::fs::write(
            &fake,
            format!("#!/bin/sh\necho \"$@\" >> {}\n", log.display()),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("rampart"),
            "#!/bin/sh\necho rampart 0.0.0\n",
        )
        .unwrap();
        for file in ["cargo", "rampart"] {
            let path = dir.path().join(file);
            let mut permissions = std::fs::metadata(&path).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
            std::fs::set_permissions(&path, permissions).unwrap();
        }
        let script_file = dir.path().join("step.sh");
        std::fs::write(&script_file, &script).unwrap();
        let status = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .env("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))
            .env("RAMPART_VERSION", version)
            .env("ACTION_PATH", root())
            .status()
            .unwrap();
        (
            status.code(),
            std::fs::read_to_string(&log).unwrap_or_default(),
        )
    };
    let (code, log) = run("0.2.0");
    assert_eq!(code, Some(0));
    assert_eq!(log.trim(), "install --locked rampart-iac --version =0.2.0");
    for hostile in [
        "0.2.0 --git https://example.com/x",
        "latest",
        "1.0; rm -rf /",
        "rampart",
    ] {
        let (code, log) = run(hostile);
        assert_eq!(code, Some(2), "{hostile}");
        assert!(log.is_empty(), "{hostile}: cargo ran: {log}");
    }
}

/// The inputs reach the scan: a working directory, a policy selection, a category for
/// code scanning and free extra options.
#[test]
fn scan_step_inputs_select_categorise_and_move_to_the_working_directory() {
    let workspace = workspace();
    let run = run_scan_step_with(
        workspace.path(),
        ".",
        "low",
        &[
            ("working-directory", "insecure"),
            ("select", "NET-001,NET-004"),
            ("ignore", "NET-004"),
            ("category", "insecure-db"),
            ("args", "--fail-on-unanalysed --jobs 1"),
        ],
    );
    assert!(run.status.success(), "{}\n{}", run.stdout, run.stderr);
    assert!(run.outputs.contains("exit-code=1"), "{}", run.outputs);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&run.sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "insecure-db/");
    let rules: std::collections::BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, std::collections::BTreeSet::from(["NET-001"]));
    // Annotations name files from the repository root (here the workspace has no .git,
    // so from the working directory).
    assert!(
        run.stdout.contains("::error file=main.tf,"),
        "{}",
        run.stdout
    );
}

/// Runs the step with `id` as the runner does, with the step's environment given by the
/// test (what `${{ github.* }}` and `${{ steps.* }}` expand to); returns (status, stdout,
/// GITHUB_OUTPUT).
fn run_step(id: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let action = action();
    let step = steps(&action)
        .into_iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some(id))
        .unwrap_or_else(|| panic!("a step with id {id}"));
    let declared: Vec<String> = step
        .get("env")
        .and_then(Node::as_map)
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str().unwrap().to_string())
        .collect();
    let runner = tempfile::tempdir().unwrap();
    let script = runner.path().join("step.sh");
    std::fs::write(&script, step.get("run").and_then(Node::as_str).unwrap()).unwrap();
    let outputs = runner.path().join("github_output");
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .env("GITHUB_OUTPUT", &outputs);
    for name in &declared {
        let value = env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
            .unwrap_or("");
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        std::fs::read_to_string(&outputs).unwrap_or_default(),
    )
}

/// SARIF is uploaded on pushes and same-repository pull requests; a pull request from a
/// fork (whose token cannot write security events) and a run without a report skip the
/// upload with a notice instead of failing; a failed upload says why without failing.
#[test]
fn upload_is_skipped_cleanly_for_forks_and_missing_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("rampart.sarif");
    std::fs::write(&sarif, "{}").unwrap();
    let sarif = sarif.to_str().unwrap();
    let gate = |event: &str, head: &str, report: &str| {
        run_step(
            "upload-gate",
            &[
                ("EVENT_NAME", event),
                ("HEAD_REPOSITORY", head),
                ("REPOSITORY", "acme/infra"),
                ("SARIF", report),
            ],
        )
    };
    let (code, stdout, outputs) = gate("push", "", sarif);
    assert_eq!(
        (code, outputs.as_str(), stdout.as_str()),
        (Some(0), "upload=true\n", "")
    );
    let (_, _, outputs) = gate("pull_request", "acme/infra", sarif);
    assert_eq!(outputs, "upload=true\n");
    let (code, stdout, outputs) = gate("pull_request_target", "someone/infra", sarif);
    assert_eq!((code, outputs.as_str()), (Some(0), "upload=false\n"));
    assert!(
        stdout.starts_with(
            "::notice title=rampart::SARIF not uploaded: a pull request from a fork (someone/infra)"
        ),
        "{stdout}"
    );
    let (code, stdout, outputs) = gate("push", "", "/nonexistent/rampart.sarif");
    assert_eq!((code, outputs.as_str()), (Some(0), "upload=false\n"));
    assert!(
        stdout.starts_with("::warning title=rampart::SARIF not uploaded"),
        "{stdout}"
    );

    // The upload itself may fail (code scanning off): it does not fail the job, a warning
    // says why, and the findings still decide the job's result.
    let action = action();
    let all = steps(&action);
    let upload = all
        .iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some("upload"))
        .unwrap();
    assert_eq!(
        upload.get("continue-on-error").map(|n| &n.kind),
        Some(&rampart::parse::document::NodeKind::Bool(true))
    );
    assert_eq!(
        upload.get("if").and_then(Node::as_str),
        Some("${{ always() && steps.upload-gate.outputs.upload == 'true' }}")
    );
    let explain = all
        .iter()
        .find(|s| {
            s.get("if").and_then(Node::as_str)
                == Some("${{ always() && steps.upload.outcome == 'failure' }}")
        })
        .expect("a step that explains a failed upload");
    assert!(
        explain
            .get("run")
            .and_then(Node::as_str)
            .unwrap()
            .contains("::warning title=rampart::SARIF upload failed")
    );
}

/// Serves the files under `dir` over HTTP on 127.0.0.1 (GET only; 404 for anything else),
/// for as long as the test runs: a stand-in for GitHub's release downloads.
fn serve(dir: std::path::PathBuf) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Read the headers to their end.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let file = dir.join(path);
            let mut stream = stream;
            match std::fs::read(&file) {
                Ok(body) if !path.contains("..") => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body);
                }
                _ => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        }
    });
    port
}

/// The download path: a release binary is fetched for the action's own version (its
/// `github.action_ref`), checked against its SHA-256 and put on the PATH; a checksum that
/// does not match stops the job; a missing asset falls back to building from source.
#[test]
fn download_step_fetches_and_verifies_the_release_binary() {
    let releases = tempfile::tempdir().unwrap();
    let version_dir = releases.path().join("v9.9.9");
    std::fs::create_dir_all(&version_dir).unwrap();
    let staging = tempfile::tempdir().unwrap();
    let binary = staging.path().join("rampart");
    std::fs::write(&binary, "#!/bin/sh\necho rampart 9.9.9\n").unwrap();
    let mut permissions = std::fs::metadata(&binary).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&binary, permissions).unwrap();
    let asset = "rampart-9.9.9-x86_64-unknown-linux-musl.tar.gz";
    let tar = Command::new("tar")
        .args(["-czf"])
        .arg(version_dir.join(asset))
        .arg("-C")
        .arg(staging.path())
        .arg("rampart")
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(asset)
        .current_dir(&version_dir)
        .output()
        .unwrap();
    std::fs::write(version_dir.join(format!("{asset}.sha256")), &sum.stdout).unwrap();
    let port = serve(releases.path().to_path_buf());

    let action = action();
    let step = steps(&action)
        .into_iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some("download"))
        .expect("the download step");
    let script = step.get("run").and_then(Node::as_str).unwrap().to_string();
    let run = |action_ref: &str, arch: &str| {
        let runner = tempfile::tempdir().unwrap();
        let script_file = runner.path().join("step.sh");
        std::fs::write(&script_file, &script).unwrap();
        let outputs = runner.path().join("github_output");
        let github_path = runner.path().join("github_path");
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .env("RAMPART_VERSION", "")
            .env("ACTION_REF", action_ref)
            .env("RAMPART_RELEASES", format!("http://127.0.0.1:{port}"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", runner.path())
            .env("GITHUB_OUTPUT", &outputs)
            .env("GITHUB_PATH", &github_path)
            .output()
            .unwrap();
        let path = std::fs::read_to_string(&github_path).unwrap_or_default();
        let installed = path
            .lines()
            .next()
            .map(|dir| std::path::Path::new(dir).join("rampart").is_file())
            .unwrap_or(false);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            std::fs::read_to_string(&outputs).unwrap_or_default(),
            installed,
            runner,
        )
    };

    let (code, stdout, outputs, installed, _runner) = run("v9.9.9", "X64");
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(outputs, "version=9.9.9\ndownloaded=true\n");
    assert!(installed);
    assert!(
        stdout.contains("rampart 9.9.9"),
        "the downloaded binary runs: {stdout}"
    );

    // A branch: no release to download; the next steps build from source.
    let (code, _, outputs, installed, _runner) = run("main", "X64");
    assert_eq!(
        (code, outputs.as_str(), installed),
        (Some(0), "version=\ndownloaded=false\n", false)
    );

    // No asset for this platform's release (404): built from source, said so.
    let (code, stdout, outputs, _, _runner) = run("v9.9.8", "X64");
    assert_eq!(
        (code, outputs.as_str()),
        (Some(0), "version=9.9.8\ndownloaded=false\n")
    );
    assert!(
        stdout.contains("::notice title=rampart::no release binary"),
        "{stdout}"
    );

    // A tampered archive: the job stops, nothing is installed.
    std::fs::write(version_dir.join(asset), b"not the release").unwrap();
    let (code, stdout, outputs, installed, _runner) = run("v9.9.9", "X64");
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stdout.contains("does not match its published SHA-256"),
        "{stdout}"
    );
    assert!(!installed && !outputs.contains("downloaded=true"));
}
