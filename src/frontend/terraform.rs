//! The Terraform front end: `.tf` and `.tf.json` files by directory, tfvars, `--var-file`
//! and `--var`. It loads the local modules the scanned files call (also outside the
//! scanned paths), the modules `terraform init` installed (its manifest) and the registry
//! modules rampart knows by signature; chooses the root modules (scanned directories no
//! other scanned directory calls); and lowers each root with the modules it instantiates,
//! its tfvars in Terraform's order of precedence, and the command line's variables.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::{Context, FrontEnd, Lowered, LoweredProject, read_source};
use crate::discover::display_path;
use crate::ir::{FileId, SourceFile, Span, Value};
use crate::panic_context::Scanning;
use crate::parse::terraform::modules;
use crate::parse::{FileError, FileKind, document, terraform};

/// `.tf`, `.tf.json`, `.tfvars` and `.tfvars.json` files.
pub struct Terraform;

impl FrontEnd for Terraform {
    fn claims(&self, kind: FileKind) -> bool {
        matches!(
            kind,
            FileKind::Terraform
                | FileKind::TerraformJson
                | FileKind::TerraformVars
                | FileKind::TerraformVarsJson
        )
    }

    fn read(
        &self,
        files: Vec<(FileId, PathBuf, FileKind)>,
        context: &Context,
        next_id: &mut FileId,
    ) -> Lowered {
        read_terraform(context, files, next_id)
    }
}

struct ParsedTerraform {
    kind: FileKind,
    path: PathBuf,
    /// The syntax tree of a `.tf` (or HCL tfvars) file.
    parsed: Option<terraform::ParsedFile>,
    /// The values a tfvars file sets.
    values: Vec<(String, Value)>,
}

impl ParsedTerraform {
    fn module_file(&self) -> Option<&terraform::ParsedFile> {
        self.parsed
            .as_ref()
            .filter(|_| self.kind.is_terraform_module_file())
    }
}

/// Parses one Terraform, tfvars or tfvars.json file.
fn parse_terraform(
    id: FileId,
    path: PathBuf,
    kind: FileKind,
    display: &str,
    text: &str,
) -> Result<ParsedTerraform, FileError> {
    if kind == FileKind::TerraformVarsJson {
        let root = document::parse_json(text)
            .map_err(|e| FileError {
                path: display.to_string(),
                span: Some(Span::new(id, e.offset..e.offset)),
                message: e.message,
            })?
            .unwrap_or(document::Node {
                kind: document::NodeKind::Map(Vec::new()),
                start: 0,
                end: 0,
                tag: None,
            });
        let values = root
            .as_map()
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), document::to_value(v, id))))
            .collect();
        return Ok(ParsedTerraform {
            kind,
            path,
            parsed: None,
            values,
        });
    }
    let parsed = if kind == FileKind::TerraformJson {
        terraform::parse_json_file(id, display, text)?
    } else {
        terraform::parse_file(id, display, text)?
    };
    let values = if kind == FileKind::TerraformVars {
        modules::tfvars_values(&parsed)
    } else {
        Vec::new()
    };
    Ok(ParsedTerraform {
        kind,
        path,
        parsed: Some(parsed),
        values,
    })
}

/// A Terraform file read but not yet parsed, with the module sources it calls.
struct TerraformText {
    id: FileId,
    path: PathBuf,
    kind: FileKind,
    display: String,
    text: Arc<str>,
    calls: Vec<String>,
}

/// Reads files in parallel, keeping their text (reports need it) and the module sources
/// they name; parsing waits until a root module needs them.
fn read_terraform_files(
    input: &Context,
    files: Vec<(FileId, PathBuf, FileKind)>,
) -> (Vec<TerraformText>, Lowered) {
    let results: Vec<(Option<TerraformText>, Lowered)> = files
        .into_par_iter()
        .map(|(id, path, kind)| {
            let mut out = Lowered::default();
            let Some(text) = read_source(input, id, &path, &mut out) else {
                return (None, out);
            };
            let calls = if kind == FileKind::Terraform {
                modules::module_sources(&text)
            } else if kind == FileKind::TerraformJson {
                terraform::json_syntax::module_sources(&text)
            } else {
                Vec::new()
            };
            let display = display_path(input.root, &path);
            let file = TerraformText {
                id,
                path,
                kind,
                display,
                text,
                calls,
            };
            (Some(file), out)
        })
        .collect();
    let mut texts = Vec::new();
    let mut collected = Lowered::default();
    for (text, out) in results {
        texts.extend(text);
        collected.absorb(out);
    }
    (texts, collected)
}

/// The files of a module signature directory, as texts of the scan.
fn signature_texts(
    input: &Context,
    files: Vec<(PathBuf, &str)>,
    next_id: &mut FileId,
    collected: &mut Lowered,
) -> Vec<TerraformText> {
    let mut texts = Vec::new();
    for (path, text) in files {
        let label = input
            .signatures
            .owner_of(&path)
            .map(|s| s.label())
            .unwrap_or_default();
        let text: Arc<str> = Arc::from(text);
        let file = SourceFile::embedded(path.clone(), label, text.clone());
        let id = *next_id;
        *next_id += 1;
        texts.push(TerraformText {
            id,
            display: file.display.clone(),
            path,
            kind: FileKind::Terraform,
            calls: modules::module_sources(&text),
            text,
        });
        collected.files.push((id, file));
    }
    texts
}

/// Parses files in the calling worker, recording syntax errors.
fn parse_texts(texts: &[&TerraformText], out: &mut Lowered) -> Vec<ParsedTerraform> {
    let started = Instant::now();
    let parsed = texts
        .iter()
        .filter_map(|t| {
            let _scanning = Scanning::file(&t.display);
            match parse_terraform(t.id, t.path.clone(), t.kind, &t.display, &t.text) {
                Ok(parsed) => Some(parsed),
                Err(error) => {
                    out.errors.push(error);
                    None
                }
            }
        })
        .collect();
    out.parse += started.elapsed();
    parsed
}

/// Reads every file, loads the local modules they call (also outside the scanned
/// paths) and the manifests `terraform init` wrote; then, for each root module in parallel,
/// parses it with the modules it instantiates, lowers it and drops the syntax trees, so
/// memory follows the largest root rather than the whole tree.
fn read_terraform(
    input: &Context,
    files: Vec<(FileId, PathBuf, FileKind)>,
    next_id: &mut FileId,
) -> Lowered {
    let scanned_dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter(|(_, _, kind)| kind.is_terraform_module_file())
        .map(|(_, path, _)| parent(path))
        .collect();
    let mut extra: Vec<(FileId, PathBuf, FileKind)> = Vec::new();
    for path in input.var_files {
        let kind = if path.extension().is_some_and(|e| e == "json") {
            FileKind::TerraformVarsJson
        } else {
            FileKind::TerraformVars
        };
        extra.push((*next_id, path.clone(), kind));
        *next_id += 1;
    }
    let (mut texts, mut collected) = read_terraform_files(input, files);
    let (var_texts, more) = read_terraform_files(input, extra);
    collected.absorb(more);
    let mut var_files = parse_texts(&var_texts.iter().collect::<Vec<_>>(), &mut collected);
    if let Some((file, command_line)) = command_line_vars(input.vars, *next_id) {
        collected.files.push((*next_id, file));
        *next_id += 1;
        var_files.push(command_line);
    }

    // Module directories that calls or manifests name, loaded until none is missing.
    let mut manifests: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut loaded: BTreeSet<PathBuf> = scanned_dirs.clone();
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut examined = 0;
    for _round in 0..MAX_MODULE_ROUNDS {
        let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
        for text in &texts[examined..] {
            if !text.kind.is_terraform_module_file() {
                continue;
            }
            let dir = parent(&text.path);
            for source in &text.calls {
                let targets = if modules::is_local(source) {
                    vec![modules::module_dir(&dir, source)]
                } else {
                    input.signatures.dirs_for(source)
                };
                for target in targets {
                    edges.entry(dir.clone()).or_default().insert(target.clone());
                    wanted.insert(target);
                }
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = manifests.entry(dir.clone()) {
                let manifest = dir.join(".terraform/modules/modules.json");
                let manifest_text = match crate::fsread::read_string(
                    &manifest,
                    input.limits.max_file_bytes(),
                ) {
                    Ok(text) => text,
                    Err(crate::fsread::ReadFileError::Io(e))
                        if e.kind() == std::io::ErrorKind::NotFound =>
                    {
                        String::new()
                    }
                    Err(error) => {
                        collected.errors.push(FileError {
                            path: display_path(input.root, &manifest),
                            span: None,
                            message: format!(
                                "module manifest not read ({error}); modules installed by `terraform init` were not analysed"
                            ),
                        });
                        String::new()
                    }
                };
                if !manifest_text.is_empty() {
                    let mut library = modules::Library::default();
                    library.add_manifest(&dir, &manifest_text);
                    let dirs = library.manifest_dirs();
                    edges
                        .entry(dir.clone())
                        .or_default()
                        .extend(dirs.iter().cloned());
                    wanted.extend(dirs);
                }
                slot.insert(manifest_text);
            }
        }
        examined = texts.len();
        let missing: Vec<PathBuf> = wanted.difference(&loaded).cloned().collect();
        if missing.is_empty() {
            break;
        }
        let mut new_files = Vec::new();
        for dir in missing {
            loaded.insert(dir.clone());
            if let Some(files) = input.signatures.files_in(&dir) {
                texts.extend(signature_texts(input, files, next_id, &mut collected));
                continue;
            }
            // The normalised form of the current directory is the empty path.
            let on_disk = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir.as_path()
            };
            let Ok(entries) = std::fs::read_dir(on_disk) else {
                continue;
            };
            let mut paths: Vec<(PathBuf, FileKind)> = entries
                .flatten()
                .map(|e| e.path())
                .filter_map(|p| {
                    let kind = FileKind::sniff(&p).filter(|k| k.is_terraform_module_file())?;
                    (p.is_file() && !crate::parse::replaced_by_opentofu(&p)).then_some((p, kind))
                })
                .collect();
            paths.sort();
            for (path, kind) in paths {
                new_files.push((*next_id, path, kind));
                *next_id += 1;
            }
        }
        let (more_texts, more) = read_terraform_files(input, new_files);
        texts.extend(more_texts);
        collected.absorb(more);
    }

    let mut by_dir: BTreeMap<PathBuf, Vec<&TerraformText>> = BTreeMap::new();
    for text in &texts {
        by_dir.entry(parent(&text.path)).or_default().push(text);
    }
    let roots = choose_roots(&edges, &scanned_dirs);
    let lowered: Vec<Lowered> = roots
        .into_par_iter()
        .map(|root| lower_root(input, &root, &edges, &by_dir, &manifests, &var_files))
        .collect();
    for out in lowered {
        collected.absorb(out);
    }
    collected
}

/// Parses a root module with every module it reaches and lowers it.
fn lower_root(
    input: &Context,
    root: &PathBuf,
    edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    by_dir: &BTreeMap<PathBuf, Vec<&TerraformText>>,
    manifests: &BTreeMap<PathBuf, String>,
    var_files: &[ParsedTerraform],
) -> Lowered {
    let mut out = Lowered::default();
    let _scanning = Scanning::file(&format!(
        "the Terraform module in {}",
        display_path(input.root, root)
    ));
    let mut needed = BTreeSet::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        if needed.insert(dir.clone()) {
            pending.extend(edges.get(&dir).into_iter().flatten().cloned());
        }
    }
    // Module files of every needed directory; tfvars only of the root.
    let wanted: Vec<&TerraformText> = needed
        .iter()
        .flat_map(|dir| by_dir.get(dir).into_iter().flatten().copied())
        .filter(|text| text.kind.is_terraform_module_file() || parent(&text.path) == *root)
        .collect();
    let parsed = parse_texts(&wanted, &mut out);
    let started = Instant::now();
    let mut library = modules::Library::with_signatures(input.signatures);
    for file in &parsed {
        if let Some(module_file) = file.module_file() {
            library.add_module(parent(&file.path), vec![module_file]);
        }
    }
    for dir in &needed {
        if let Some(text) = manifests.get(dir).filter(|t| !t.is_empty()) {
            library.add_manifest(dir, text);
        }
    }
    let mut tfvars: Vec<&ParsedTerraform> = parsed
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FileKind::TerraformVars | FileKind::TerraformVarsJson
            )
        })
        .collect();
    // terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order,
    // as Terraform loads them (later files win), then --var-file and --var.
    tfvars.sort_by_key(|f| {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let rank = match name.as_str() {
            "terraform.tfvars" => 0,
            "terraform.tfvars.json" => 1,
            _ => 2,
        };
        (rank, f.path.clone())
    });
    let mut inputs = HashMap::new();
    for file in tfvars.into_iter().chain(var_files) {
        inputs.extend(file.values.iter().cloned());
    }
    let bytes: u64 = wanted.iter().map(|text| text.text.len() as u64).sum();
    let budget = std::rc::Rc::new(input.limits.budget_for(bytes));
    let (project, notices) =
        library.lower_root(root, display_path(input.root, root), inputs, budget.clone());
    out.work += budget.used();
    out.errors.extend(budget.error(|span| {
        wanted
            .iter()
            .find(|text| text.id == span.file)
            .map(|text| text.display.clone())
            .unwrap_or_else(|| display_path(input.root, root))
    }));
    drop(library);
    drop(parsed);
    out.projects.push(LoweredProject::complete(project));
    out.notices.extend(notices);
    out.parse += started.elapsed();
    out
}

/// `--var NAME=VALUE` flags as a tfvars file of their own, shown as `(command line)`, so a
/// value given there is reported where it was written. A value that is not an HCL
/// expression is a string, as Terraform treats it.
fn command_line_vars(
    vars: &[(String, String)],
    id: FileId,
) -> Option<(SourceFile, ParsedTerraform)> {
    if vars.is_empty() {
        return None;
    }
    let mut text = String::new();
    for (name, value) in vars {
        let line = format!("{name} = {value}\n");
        if terraform::parse_file(id, COMMAND_LINE, &line).is_ok() {
            text.push_str(&line);
        } else {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            text.push_str(&format!("{name} = {quoted}\n"));
        }
    }
    let path = PathBuf::from(COMMAND_LINE);
    let parsed = parse_terraform(
        id,
        path.clone(),
        FileKind::TerraformVars,
        COMMAND_LINE,
        &text,
    )
    .ok()?;
    Some((
        SourceFile::new(path, COMMAND_LINE.to_string(), text.into()),
        parsed,
    ))
}

const COMMAND_LINE: &str = "(command line)";

/// How many times module loading may add directories (a chain of calls deeper than this is
/// reported by the module instantiation itself).
const MAX_MODULE_ROUNDS: usize = modules::MAX_DEPTH;

fn parent(path: &Path) -> PathBuf {
    modules::normalise(path.parent().unwrap_or(Path::new("")))
}

/// Root modules: scanned directories that no other scanned directory calls, plus any that
/// are only reachable through a cycle (so nothing scanned is ever left out).
fn choose_roots(
    edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    scanned: &BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    let targets = |dir: &PathBuf| -> Vec<PathBuf> {
        edges
            .get(dir)
            .into_iter()
            .flatten()
            .filter(|t| *t != dir)
            .cloned()
            .collect()
    };
    let called: BTreeSet<PathBuf> = scanned
        .iter()
        .flat_map(&targets)
        .filter(|t| scanned.contains(t))
        .collect();
    let mut roots: Vec<PathBuf> = scanned.difference(&called).cloned().collect();
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    let visit = |start: PathBuf, reached: &mut BTreeSet<PathBuf>| {
        let mut pending = vec![start];
        while let Some(dir) = pending.pop() {
            if reached.insert(dir.clone()) {
                pending.extend(targets(&dir));
            }
        }
    };
    for root in roots.clone() {
        visit(root, &mut reached);
    }
    for dir in scanned {
        if !reached.contains(dir) {
            roots.push(dir.clone());
            visit(dir.clone(), &mut reached);
        }
    }
    roots.sort();
    roots
}
