//! Embeds every `policies/*/policy.toml`, and the good and bad examples beside it (shown by
//! `rampart explain`), and every `modules/*.toml` module signature into the binary, sorted
//! by path.

use std::fs;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it is compiled: a script built for another
    // checkout that shares the target directory must not embed that checkout's policies.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut entries = Vec::new();
    let mut examples = Vec::new();
    if let Ok(dirs) = fs::read_dir(&policies) {
        for dir in dirs.flatten() {
            let file = dir.path().join("policy.toml");
            println!("cargo:rerun-if-changed={}", dir.path().display());
            let name = dir.file_name().to_string_lossy().to_string();
            if file.is_file() {
                entries.push((format!("policies/{name}/policy.toml"), file));
            }
            // The first good and bad example of each format, as `rampart explain` shows.
            for (format, files) in [
                ("terraform", ["bad.tf", "good.tf"]),
                ("cloudformation", ["bad.yaml", "good.yaml"]),
                ("pulumi", ["bad.yaml", "good.yaml"]),
            ] {
                let folder = dir.path().join("examples").join(format);
                println!("cargo:rerun-if-changed={}", folder.display());
                for example in files {
                    let path = folder.join(example);
                    if path.is_file() {
                        examples
                            .push((format!("policies/{name}/examples/{format}/{example}"), path));
                    }
                }
            }
        }
    }
    entries.sort();
    examples.sort();
    let mut out = String::from("/// (path, contents) of every embedded policy.\n");
    out.push_str("pub static EMBEDDED_POLICIES: &[(&str, &str)] = &[\n");
    for (relative, file) in &entries {
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    out.push_str("/// (path, contents) of every policy's first good and bad example per format.\n");
    out.push_str("pub static EMBEDDED_EXAMPLES: &[(&str, &str)] = &[\n");
    for (relative, file) in &examples {
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("embedded_policies.rs"), out).expect("write");

    // Module signatures: every `modules/*.toml`.
    let signatures = root.join("modules");
    println!("cargo:rerun-if-changed=modules");
    let mut files: Vec<(String, std::path::PathBuf)> = fs::read_dir(&signatures)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            (format!("modules/{name}"), p)
        })
        .collect();
    files.sort();
    let mut out = String::from("/// (path, contents) of every embedded module signature.\n");
    out.push_str("pub static EMBEDDED_SIGNATURES: &[(&str, &str)] = &[\n");
    for (relative, file) in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(Path::new(&out_dir).join("embedded_signatures.rs"), out).expect("write");
}
