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

#[test]
fn scan_step_writes_sarif_annotations_and_outputs() {
    let action = action();
    let step = steps(&action)
        .into_iter()
        .find(|s| s.get("id").and_then(Node::as_str) == Some("scan"))
        .expect("a step with id scan");
    let script = step.get("run").and_then(Node::as_str).unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let outputs = dir.path().join("github_output");
    let mut inputs = BTreeMap::new();
    inputs.insert("paths", "testdata/example/insecure".to_string());
    inputs.insert("fail-on", "high".to_string());
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
        .arg("-c")
        .arg(&script)
        .current_dir(root())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", root());
    for (key, value) in step.get("env").and_then(Node::as_map).unwrap() {
        command.env(
            key.as_str().unwrap(),
            expand(value.as_str().unwrap_or(""), &inputs),
        );
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("::error file=testdata/example/insecure/main.tf,line="),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&outputs).unwrap();
    assert!(
        written.contains(&format!("sarif-file={}", sarif.display())),
        "{written}"
    );
    assert!(written.contains("exit-code=1"), "{written}");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
}
