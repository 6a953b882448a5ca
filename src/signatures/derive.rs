//! `rampart module-signature`: derives a signature from a module's source directory. The
//! signature keeps the module's own Terraform for what can reach a checked resource and
//! drops the rest (descriptions, validations, providers, data sources, bodies of resources
//! rampart does not check), so it stays small enough to review by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};

use super::DerivedFrom;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DeriveError {
    #[error("{path}: {message}")]
    #[diagnostic(code(rampart::module_signature))]
    Source { path: String, message: String },
}

/// What the signature says about itself.
pub struct Header {
    pub name: String,
    pub sources: Vec<String>,
    pub versions: String,
    pub derived_from: DerivedFrom,
    /// Names of the `modules/*` directories to keep; empty keeps all.
    pub only_modules: Vec<String>,
    /// Module calls left out, by name: a reviewer's judgement that they create nothing
    /// rampart checks (a DNS record module), so they are not reported as not analysed.
    pub omit_calls: Vec<String>,
}

/// The signature file for the module in `dir`: its root, every `modules/*` directory (or
/// those `header.only_modules` names), and every local module they call inside `dir`.
pub fn derive(dir: &Path, header: &Header) -> Result<String, DeriveError> {
    let error = |path: &Path, message: String| DeriveError::Source {
        path: path.display().to_string(),
        message,
    };
    let mut pending: Vec<PathBuf> = vec![PathBuf::new()];
    if let Ok(entries) = std::fs::read_dir(dir.join("modules")) {
        let mut subdirs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter(|e| {
                header.only_modules.is_empty()
                    || header
                        .only_modules
                        .iter()
                        .any(|name| e.file_name().to_string_lossy() == name.as_str())
            })
            .map(|e| Path::new("modules").join(e.file_name()))
            .collect();
        subdirs.sort();
        pending.extend(subdirs);
    }
    let mut seen = BTreeSet::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    while let Some(relative) = pending.pop() {
        if !seen.insert(relative.clone()) {
            continue;
        }
        let on_disk = dir.join(&relative);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&on_disk)
            .map_err(|e| error(&on_disk, e.to_string()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| error(&path, e.to_string()))?;
            let body =
                hcl_edit::parser::parse_body(&text).map_err(|e| error(&path, e.to_string()))?;
            for source in local_calls(&body) {
                let target = crate::ir::normalise(&relative.join(&source));
                if target.starts_with("..") {
                    return Err(error(
                        &path,
                        format!("module source `{source}` leaves the module's directory"),
                    ));
                }
                pending.push(target);
            }
            let reduced = reduce(&body, &header.omit_calls);
            if reduced.is_empty() {
                continue;
            }
            let name = relative.join(path.file_name().unwrap_or_default());
            let name = name.to_string_lossy().replace('\\', "/");
            files.insert(name, reduced);
        }
    }
    Ok(render(header, &files))
}

fn local_calls(body: &Body) -> Vec<String> {
    body.blocks()
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| match &b.body.get_attribute("source")?.value {
            Expression::String(s) if crate::parse::terraform::modules::is_local(s) => {
                Some(s.value().clone())
            }
            _ => None,
        })
        .collect()
}

/// The blocks of one file that can reach a checked resource, as Terraform text.
fn reduce(body: &Body, omit_calls: &[String]) -> String {
    let mut kept: Vec<String> = Vec::new();
    for structure in body.iter() {
        let Structure::Block(block) = structure else {
            continue;
        };
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let block = match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [_]) => without(block, &["description", "sensitive"], &["validation"]),
            ("output", [_]) => without(block, &["description", "sensitive", "depends_on"], &[]),
            ("module", [name]) if omit_calls.iter().any(|omit| omit == name) => continue,
            ("locals", []) | ("module", [_]) => block.clone(),
            ("resource", [kind, _]) => {
                if crate::parse::terraform::aliases::kind_of(kind).is_some() {
                    block.clone()
                } else {
                    // Kept so that references to it stay references; its body cannot reach
                    // a finding, only whether it exists.
                    let mut stub = block.clone();
                    let keep: Vec<Attribute> = ["count", "for_each"]
                        .iter()
                        .filter_map(|name| block.body.get_attribute(name).cloned())
                        .collect();
                    stub.body = Body::builder().attributes(keep).build();
                    stub
                }
            }
            _ => continue,
        };
        kept.push(
            Body::builder()
                .block(block)
                .build()
                .to_string()
                .trim()
                .to_string(),
        );
    }
    if kept.is_empty() {
        String::new()
    } else {
        kept.join("\n\n") + "\n"
    }
}

fn without(block: &Block, attributes: &[&str], blocks: &[&str]) -> Block {
    let mut block = block.clone();
    for name in attributes {
        block.body.remove_attribute(name);
    }
    for name in blocks {
        block.body.remove_blocks(name);
    }
    block
}

fn render(header: &Header, files: &BTreeMap<String, String>) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Module signature of {} {}, derived by `rampart module-signature` from\n\
         # {} release {} (commit {}) and reviewed by hand.\n\
         # The files are the module's own Terraform, reduced to what can reach a checked resource.",
        header.name,
        header.versions,
        header.derived_from.repository,
        header.derived_from.version,
        header.derived_from.commit
    );
    if !header.omit_calls.is_empty() {
        let _ = writeln!(
            out,
            "# Left out after review (they create no resource rampart checks): {}.",
            header
                .omit_calls
                .iter()
                .map(|name| format!("module.{name}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(out, "name = {}", quote(&header.name));
    let sources: Vec<String> = header.sources.iter().map(|s| quote(s)).collect();
    let _ = writeln!(out, "sources = [{}]", sources.join(", "));
    let _ = writeln!(out, "versions = {}", quote(&header.versions));
    let _ = writeln!(out, "\n[derived_from]");
    let _ = writeln!(
        out,
        "repository = {}",
        quote(&header.derived_from.repository)
    );
    let _ = writeln!(out, "version = {}", quote(&header.derived_from.version));
    let _ = writeln!(out, "commit = {}", quote(&header.derived_from.commit));
    let _ = writeln!(out, "\n[files]");
    for (name, text) in files {
        // A literal string keeps the Terraform exactly as written; the rare text that
        // cannot be one is written as an escaped string.
        let literal = !text.contains("'''")
            && !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t');
        if literal {
            let _ = writeln!(out, "{} = '''\n{text}'''", quote(name));
        } else {
            let _ = writeln!(out, "{} = {}", quote(name), quote(text));
        }
    }
    out
}

/// For review and `rampart explain`: each variable a checked resource's argument reads,
/// with its default, per directory of the signature.
pub fn review(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut by_dir: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, text) in files {
        let dir = Path::new(name)
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        by_dir.entry(dir).or_default().push(text);
    }
    for (dir, texts) in by_dir {
        let bodies: Vec<Body> = texts
            .iter()
            .filter_map(|t| hcl_edit::parser::parse_body(t).ok())
            .collect();
        let mut defaults: BTreeMap<String, String> = BTreeMap::new();
        let mut reaches: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut created: Vec<String> = Vec::new();
        for body in &bodies {
            for block in body.blocks() {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        let default = block
                            .body
                            .get_attribute("default")
                            .map(|a| a.value.to_string().trim().to_string())
                            .unwrap_or_else(|| "required".into());
                        defaults.insert(name.to_string(), default);
                    }
                    ("resource", [kind, name])
                        if crate::parse::terraform::aliases::kind_of(kind).is_some() =>
                    {
                        created.push(format!("{kind}.{name}"));
                        for attr in block.body.attributes() {
                            for var in variables_read(&attr.value.to_string()) {
                                reaches
                                    .entry(var)
                                    .or_default()
                                    .insert(format!("{kind}.{name}.{}", attr.key.as_str()));
                            }
                        }
                    }
                    ("module", [name]) => {
                        for attr in block.body.attributes() {
                            for var in variables_read(&attr.value.to_string()) {
                                reaches
                                    .entry(var)
                                    .or_default()
                                    .insert(format!("module.{name}.{}", attr.key.as_str()));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let _ = writeln!(
            out,
            "{}: creates {}",
            if dir.is_empty() { "(root)" } else { &dir },
            if created.is_empty() {
                "no checked resource itself".to_string()
            } else {
                created.join(", ")
            }
        );
        for (var, targets) in reaches {
            let default = defaults
                .get(&var)
                .map(String::as_str)
                .unwrap_or("not declared");
            let default: String = default.split_whitespace().collect::<Vec<_>>().join(" ");
            let default = if default.len() > 60 {
                let cut = (0..=60)
                    .rev()
                    .find(|i| default.is_char_boundary(*i))
                    .unwrap_or(0);
                format!("{}…", &default[..cut])
            } else {
                default
            };
            let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "  var.{var} (default {default}) -> {}",
                targets.join(", ")
            );
        }
    }
    out
}

/// Names `NAME` of every `var.NAME` in an expression's text.
fn variables_read(text: &str) -> BTreeSet<String> {
    crate::parse::terraform::modules::names_after(text, "var.")
        .map(str::to_string)
        .collect()
}
