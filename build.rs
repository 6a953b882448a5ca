//! Embeds every `policies/*/policy.toml` into the binary, sorted by path.

use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut entries = Vec::new();
    if let Ok(dirs) = fs::read_dir(&policies) {
        for dir in dirs.flatten() {
            let file = dir.path().join("policy.toml");
            println!("cargo:rerun-if-changed={}", dir.path().display());
            if file.is_file() {
                let relative =
                    format!("policies/{}/policy.toml", dir.file_name().to_string_lossy());
                entries.push((relative, file));
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// (path, contents) of every embedded policy.\n");
    out.push_str("pub static EMBEDDED_POLICIES: &[(&str, &str)] = &[\n");
    for (relative, file) in &entries {
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("embedded_policies.rs"), out).expect("write");
}
