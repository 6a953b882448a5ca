//! The pipeline up to evaluation: discover files, read and parse them in parallel, lower
//! each project, link it. Reads each file once; never writes, spawns or connects.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::graph;
use crate::ir::{FileId, Project, SourceFile, SourceMap, Span, Value};
use crate::parse::terraform::modules;
use crate::parse::{FileError, FileKind, Notice, document, pulumi, terraform};

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    #[error("path does not exist: {0}")]
    #[diagnostic(code(rampart::scan::missing_path))]
    MissingPath(String),
    #[error("invalid exclude pattern `{pattern}`: {message}")]
    #[diagnostic(code(rampart::scan::exclude))]
    Exclude { pattern: String, message: String },
    #[error("{path} is {what}: name a file or a directory")]
    #[diagnostic(code(rampart::scan::not_a_file))]
    NotAFile { path: String, what: &'static str },
    #[error("{0} holds no Terraform, CloudFormation or Pulumi file: nothing was scanned")]
    #[diagnostic(
        code(rampart::scan::nothing_to_scan),
        help("check the path; files excluded by .gitignore or `exclude` are not scanned")
    )]
    NothingToScan(String),
}

pub struct ScanInput<'a> {
    pub paths: &'a [PathBuf],
    /// Gitignore-style patterns to skip.
    pub exclude: &'a [String],
    /// Paths are shown relative to this directory.
    pub root: &'a Path,
    /// `--var-file` files, applied to every Terraform root module after its tfvars files.
    pub var_files: &'a [PathBuf],
    /// `--var NAME=VALUE`, applied last.
    pub vars: &'a [(String, String)],
    /// Work and size limits (`[limits]` in rampart.toml).
    pub limits: crate::parse::budget::Limits,
    /// Registry modules read without `terraform init`.
    pub signatures: &'a crate::signatures::Catalog,
}

/// Where the time went. `parse` and `link` are summed over workers (CPU time), `wall` is
/// the elapsed time of the whole scan.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub discover: Duration,
    pub parse: Duration,
    pub link: Duration,
    pub wall: Duration,
}

pub struct Scanned {
    pub sources: SourceMap,
    pub projects: Vec<Project>,
    pub errors: Vec<FileError>,
    pub notices: Vec<Notice>,
    pub timings: Timings,
    pub bytes: usize,
    /// Work units the evaluators spent, summed over projects (see `parse::budget`).
    pub work: u64,
    /// Configuration files inside the scanned directories, sorted.
    pub configs: Vec<PathBuf>,
}

/// A `Pulumi.yaml` whose program rampart does not read (TypeScript, Python, Go, ...).
struct OtherProgram {
    path: PathBuf,
    display: String,
    runtime: String,
}

/// Collects files (by id), errors and notices from parallel stages.
#[derive(Default)]
struct Collected {
    files: Vec<(FileId, SourceFile)>,
    errors: Vec<FileError>,
    notices: Vec<Notice>,
    projects: Vec<Project>,
    /// Pulumi stack exports and previews: linked only once their resources are placed on
    /// the program lines `sourcePosition` names, so that every derived fact (a database's
    /// world-open rule) carries the place of the resource it came from.
    unlinked: Vec<Project>,
    /// Pulumi projects whose program is in a general-purpose language.
    programs: Vec<OtherProgram>,
    parse: Duration,
    link: Duration,
    work: u64,
}

impl Collected {
    fn absorb(&mut self, other: Collected) {
        self.work += other.work;
        self.unlinked.extend(other.unlinked);
        self.programs.extend(other.programs);
        self.files.extend(other.files);
        self.errors.extend(other.errors);
        self.notices.extend(other.notices);
        self.projects.extend(other.projects);
        self.parse += other.parse;
        self.link += other.link;
    }
}

pub fn scan(input: &ScanInput) -> Result<Scanned, ScanError> {
    let started = Instant::now();
    let Discovered {
        files,
        errors: walk_errors,
        notices: discovery_notices,
        configs,
    } = discover(input)?;
    let discovered = Instant::now();

    // Ids follow the sorted file list, so they (and the output) never depend on scheduling.
    let mut terraform_files = Vec::new();
    let mut documents = Vec::new();
    let next_id = files.len() as FileId;
    for (index, (path, kind)) in files.into_iter().enumerate() {
        match kind {
            FileKind::Yaml | FileKind::Json => documents.push((index as FileId, path, kind)),
            FileKind::Terraform
            | FileKind::TerraformJson
            | FileKind::TerraformVars
            | FileKind::TerraformVarsJson => terraform_files.push((index as FileId, path, kind)),
        }
    }
    let mut collected = scan_terraform(input, terraform_files, next_id);
    let terraform_projects = &collected.projects;
    let per_document: Vec<Collected> = documents
        .into_par_iter()
        .map(|(id, path, kind)| scan_document(input, id, &path, kind, terraform_projects))
        .collect();
    for out in per_document {
        collected.absorb(out);
    }
    collected.errors.extend(walk_errors);

    let mut slots: Vec<Option<SourceFile>> = Vec::new();
    for (id, file) in collected.files {
        let id = id as usize;
        if slots.len() <= id {
            slots.resize_with(id + 1, || None);
        }
        slots[id] = Some(file);
    }
    let mut sources = SourceMap::default();
    let mut bytes = 0;
    for file in slots.into_iter().flatten() {
        if file.embedded.is_none() {
            bytes += file.text.len();
        }
        sources.add(file);
    }
    let mut errors = collected.errors;
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.span.cmp(&b.span)));
    errors.dedup();
    let mut notices = collected.notices;
    notices.extend(discovery_notices);
    if sources.scanned_count() == 0 {
        notices.push(Notice {
            span: None,
            message: format!(
                "no Terraform, CloudFormation or Pulumi file was found in {}: nothing was analysed",
                input
                    .paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            kind: crate::parse::NoticeKind::Info,
        });
    }
    let mut projects = collected.projects;
    let mut placed = collected.unlinked;
    // A program in a language rampart does not read is analysed through a stack export or
    // preview in its directory (nothing to say); without one, it was not analysed at all.
    let exports: Vec<PathBuf> = placed
        .iter()
        .filter_map(|p| p.resources.first())
        .map(|r| sources.get(r.span.file).path.clone())
        .collect();
    for program in &collected.programs {
        let dir = program.path.parent().unwrap_or(Path::new("."));
        if exports.iter().any(|export| export.starts_with(dir)) {
            continue;
        }
        notices.push(Notice {
            span: None,
            message: format!(
                "{}: a Pulumi program in {} is not read; scan what it deploys: `pulumi preview --json > preview.json` or `pulumi stack export > stack.json`, then `rampart scan preview.json`",
                program.display, program.runtime
            ),
            kind: crate::parse::NoticeKind::NotAnalysed,
        });
    }
    notices.sort_by(|a, b| {
        let key = |n: &Notice| {
            (
                n.span.map(|s| sources.get(s.file).display.clone()),
                n.span,
                n.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    notices.dedup();
    place_pulumi_programs(input, &mut sources, &mut placed);
    let linked = Instant::now();
    placed.par_iter_mut().for_each(graph::link);
    let link = collected.link + linked.elapsed();
    projects.extend(placed);
    projects.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Scanned {
        sources,
        projects,
        errors,
        notices,
        configs,
        bytes,
        work: collected.work,
        timings: Timings {
            discover: discovered - started,
            parse: collected.parse,
            link,
            wall: started.elapsed(),
        },
    })
}

/// One YAML or JSON file, offered to the document front ends in turn (`frontend.rs`);
/// a file none of them recognises is skipped without a word.
fn scan_document(
    input: &ScanInput,
    id: FileId,
    path: &Path,
    kind: FileKind,
    terraform_projects: &[Project],
) -> Collected {
    use crate::frontend::{CloudFormation, DocumentFrontEnd};
    let started = Instant::now();
    let mut out = Collected::default();
    let display = display_path(input.root, path);
    let _scanning = Scanning::file(&display);
    let text = match read_text(path, input.limits.max_file_bytes()) {
        Ok(text) => text,
        Err(ReadError::Io(message)) => {
            out.files
                .push((id, SourceFile::skipped(path.to_path_buf(), display.clone())));
            out.errors.push(FileError {
                path: display,
                span: None,
                message,
            });
            return out;
        }
        // YAML or JSON that is not text is not a template: nothing to say.
        Err(ReadError::NotUtf8 { .. }) => {
            out.files
                .push((id, SourceFile::skipped(path.to_path_buf(), display)));
            return out;
        }
    };
    let document = crate::frontend::Document {
        id,
        path,
        display: &display,
        text: &text,
        kind,
        limits: input.limits,
        terraform: terraform_projects,
    };
    let mut read = crate::frontend::BEFORE_TEMPLATES
        .iter()
        .find_map(|front_end| front_end.read(&document));
    if read.is_none() {
        if let Some(runtime) = pulumi::yaml::other_runtime(path, &text) {
            // The program is code rampart does not run; what it deploys is in the stack.
            // Said once the scan knows whether a stack export or preview beside it was read.
            out.programs.push(OtherProgram {
                path: path.to_path_buf(),
                display: display.clone(),
                runtime,
            });
        }
        read = CloudFormation.read(&document);
    }
    let read = read.unwrap_or_default();
    out.parse = started.elapsed();
    out.files.push((
        id,
        if read.keep_text {
            SourceFile::new(path.to_path_buf(), display, text.into())
        } else {
            SourceFile::skipped(path.to_path_buf(), display)
        },
    ));
    out.projects = read.projects;
    out.unlinked = read.unlinked;
    out.errors.extend(read.errors);
    out.notices = read.notices;
    out.work = read.work;
    out
}

/// The directories program files may be read from: each scanned directory, and the
/// directory of each scanned file, links resolved.
fn scanned_roots(input: &ScanInput) -> Vec<PathBuf> {
    input
        .paths
        .iter()
        .filter_map(|scanned| {
            let real = std::fs::canonicalize(scanned).ok()?;
            if real.is_dir() {
                Some(real)
            } else {
                real.parent().map(Path::to_path_buf)
            }
        })
        .collect()
}

/// Whether `path`, links resolved, lies inside one of `roots`: program files are never
/// read from outside what the user asked to scan.
fn within(roots: &[PathBuf], path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| roots.iter().any(|root| real.starts_with(root)))
}

/// Pulumi resources whose `sourcePosition` names a program file that exists beside the
/// state (in its directory or an ancestor, within the scan) are reported at the program
/// line. Program files are added to the source map in a fixed order, after every scanned
/// file, so ids stay deterministic.
fn place_pulumi_programs(input: &ScanInput, sources: &mut SourceMap, projects: &mut [Project]) {
    let mut loaded: BTreeMap<PathBuf, Option<FileId>> = BTreeMap::new();
    let roots = scanned_roots(input);
    for project in projects.iter_mut() {
        let Some(state) = project
            .resources
            .iter()
            .find(|r| r.origin.format == crate::ir::Format::Pulumi)
            .map(|r| sources.get(r.span.file).path.clone())
        else {
            continue;
        };
        for resource in project.resources.iter_mut() {
            let Some(crate::ir::ProgramPosition {
                path: program,
                line,
                column,
            }) = resource.origin.program_position.clone()
            else {
                continue;
            };
            let candidate = state
                .ancestors()
                .skip(1)
                .take(4)
                .map(|dir| dir.join(&program))
                .find(|path| path.is_file() && within(&roots, path));
            let Some(candidate) = candidate else { continue };
            let file_id = *loaded.entry(candidate.clone()).or_insert_with(|| {
                let text = read_text(&candidate, input.limits.max_file_bytes()).ok()?;
                let display = display_path(input.root, &candidate);
                Some(sources.add(SourceFile::new(candidate.clone(), display, text.into())))
            });
            let Some(file_id) = file_id else { continue };
            let file = sources.get(file_id);
            if line == 0 || line > file.line_count() {
                continue;
            }
            let line_text = file.line_text(line);
            let start = file.line_start(line)
                + line_text
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
            let end = file.line_start(line) + line_text.trim_end().len();
            pulumi::place_on_program(resource, Span::new(file_id, start..end.max(start)));
        }
    }
}

/// A parsed Terraform or tfvars file.
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
    input: &ScanInput,
    files: Vec<(FileId, PathBuf, FileKind)>,
) -> (Vec<TerraformText>, Collected) {
    let results: Vec<(Option<TerraformText>, Collected)> = files
        .into_par_iter()
        .map(|(id, path, kind)| {
            let mut out = Collected::default();
            let Some(text) = read_into(input, id, &path, &mut out) else {
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
    let mut collected = Collected::default();
    for (text, out) in results {
        texts.extend(text);
        collected.absorb(out);
    }
    (texts, collected)
}

/// The files of a module signature directory, as texts of the scan.
fn signature_texts(
    input: &ScanInput,
    files: Vec<(PathBuf, &str)>,
    next_id: &mut FileId,
    collected: &mut Collected,
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
fn parse_texts(texts: &[&TerraformText], out: &mut Collected) -> Vec<ParsedTerraform> {
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

/// Terraform: read every file, load the local modules they call (also outside the scanned
/// paths) and the manifests `terraform init` wrote; then, for each root module in parallel,
/// parse it with the modules it instantiates, lower, link and drop the syntax trees, so
/// memory follows the largest root rather than the whole tree.
fn scan_terraform(
    input: &ScanInput,
    files: Vec<(FileId, PathBuf, FileKind)>,
    mut next_id: FileId,
) -> Collected {
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
        extra.push((next_id, path.clone(), kind));
        next_id += 1;
    }
    let (mut texts, mut collected) = read_terraform_files(input, files);
    let (var_texts, more) = read_terraform_files(input, extra);
    collected.absorb(more);
    let mut var_files = parse_texts(&var_texts.iter().collect::<Vec<_>>(), &mut collected);
    if let Some((file, command_line)) = command_line_vars(input.vars, next_id) {
        next_id += 1;
        collected.files.push((next_id - 1, file));
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
                texts.extend(signature_texts(input, files, &mut next_id, &mut collected));
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
                new_files.push((next_id, path, kind));
                next_id += 1;
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
    let lowered: Vec<Collected> = roots
        .into_par_iter()
        .map(|root| lower_root(input, &root, &edges, &by_dir, &manifests, &var_files))
        .collect();
    for out in lowered {
        collected.absorb(out);
    }
    collected
}

/// Parses a root module with every module it reaches, lowers and links it.
fn lower_root(
    input: &ScanInput,
    root: &PathBuf,
    edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    by_dir: &BTreeMap<PathBuf, Vec<&TerraformText>>,
    manifests: &BTreeMap<PathBuf, String>,
    var_files: &[ParsedTerraform],
) -> Collected {
    let mut out = Collected::default();
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
    let (mut project, notices) =
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
    graph::link(&mut project);
    out.projects.push(project);
    out.notices.extend(notices);
    out.link += started.elapsed();
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

thread_local! {
    /// The file this worker is reading or parsing, for the panic report.
    static CURRENT_FILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The file being scanned on this thread when a panic happens, if any.
pub fn current_file() -> Option<String> {
    CURRENT_FILE.with(|f| f.borrow().clone())
}

/// Marks what this thread is scanning until dropped (then what it scanned before, or
/// nothing): a panic report names the file being scanned, never the last one finished.
#[must_use]
struct Scanning(Option<String>);

impl Scanning {
    fn file(what: &str) -> Scanning {
        let scanning = Scanning(CURRENT_FILE.with(|f| f.replace(Some(what.to_string()))));
        inject_panic("scanning", what);
        scanning
    }
}

impl Drop for Scanning {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT_FILE.with(|f| *f.borrow_mut() = previous);
    }
}

/// Debug builds only: `RAMPART_INJECT_PANIC=scanning:NAME` panics when a file whose name
/// contains NAME starts being scanned, so tests prove that a crash is caught and reported
/// (and that the tests would notice one). Release builds never read it.
pub fn inject_panic(stage: &str, what: &str) {
    if cfg!(debug_assertions)
        && let Ok(wanted) = std::env::var("RAMPART_INJECT_PANIC")
        && let Some((wanted_stage, name)) = wanted.split_once(':')
        && wanted_stage == stage
        && what.contains(name)
    {
        panic!("panic injected by RAMPART_INJECT_PANIC ({wanted})");
    }
}

/// Reads one file, recording it (or the error) in `output`.
fn read_into(
    input: &ScanInput,
    id: FileId,
    path: &Path,
    output: &mut Collected,
) -> Option<Arc<str>> {
    let display = display_path(input.root, path);
    let _scanning = Scanning::file(&display);
    match read_text(path, input.limits.max_file_bytes()) {
        Ok(text) => {
            let text: Arc<str> = text.into();
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display, text.clone()),
            ));
            Some(text)
        }
        Err(ReadError::Io(message)) => {
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display.clone(), Arc::from("")),
            ));
            output.errors.push(FileError {
                path: display,
                span: None,
                message,
            });
            None
        }
        Err(ReadError::NotUtf8 { lossy, offset }) => {
            // Keep a readable copy so the error can show where the bad byte is.
            output.files.push((
                id,
                SourceFile::new(path.to_path_buf(), display.clone(), lossy.into()),
            ));
            output.errors.push(FileError {
                path: display,
                span: Some(Span::new(id, offset..offset)),
                message: "not UTF-8 text: a binary file, or text in another encoding".into(),
            });
            None
        }
    }
}

enum ReadError {
    Io(String),
    NotUtf8 { lossy: String, offset: usize },
}

/// Reads a file as UTF-8 text, dropping a byte-order mark.
fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = crate::fsread::read_bytes(path, limit).map_err(|e| ReadError::Io(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        ReadError::NotUtf8 {
            lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            offset,
        }
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(stripped) => stripped.to_string(),
        None => text,
    })
}

/// A file name as reports show it, distinct for distinct names: bytes that are not UTF-8
/// become `\xNN` and control characters (a newline in a name) `\u{..}`, so two names never
/// collapse into one lossy spelling and no name can break a line of the report.
fn display_component(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || c == '\\' {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// `root`-relative path with `/` separators, or the path as given when outside `root`.
pub fn display_path(root: &Path, path: &Path) -> String {
    // `./a.tf`, `a.tf` and `/abs/root/a.tf` are one file, shown one way.
    let absolute = modules::normalise(&root.join(path));
    let Ok(relative) = absolute.strip_prefix(modules::normalise(root)) else {
        return path.display().to_string();
    };
    let text = relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| display_component(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// What the walk found: scannable files, unreadable entries, notices, and the
/// `rampart.toml` files inside the scanned tree (the run says which of them are not in force).
struct Discovered {
    files: Vec<(PathBuf, FileKind)>,
    errors: Vec<FileError>,
    notices: Vec<Notice>,
    configs: Vec<PathBuf>,
}

/// What the walk sends back for one entry.
enum Found {
    File(PathBuf, FileKind),
    Unreadable(FileError),
    Config(PathBuf),
}

/// Every scannable file under the given paths, sorted and without duplicates, and the
/// entries that could not be read (reported, never silently dropped).
/// Directories of tools, never of infrastructure: version control, caches, editors.
/// (`.terraform/modules` is read through `terraform init`'s manifest, not by walking.)
const TOOL_DIRECTORIES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".terraform",
    ".terragrunt-cache",
    ".pulumi",
    ".idea",
    ".vscode",
    ".venv",
    ".tox",
    ".cache",
    ".mypy_cache",
    ".pytest_cache",
    "node_modules",
];

fn discover(input: &ScanInput) -> Result<Discovered, ScanError> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut notices = Vec::new();
    let mut configs = Vec::new();
    let mut paths: Vec<PathBuf> = input.paths.to_vec();
    // A CDK project's templates are in `cdk.out`, which `.gitignore` hides: scan them.
    for path in input.paths {
        if path.join("cdk.json").is_file() {
            let out = path.join("cdk.out");
            if out.is_dir() {
                paths.push(out);
            } else {
                notices.push(Notice {
                    span: None,
                    message: format!(
                        "{} is an AWS CDK app without cdk.out: run `cdk synth`, then scan again to check the templates it writes",
                        path.display()
                    ),
                    kind: crate::parse::NoticeKind::NotAnalysed,
                });
            }
        }
    }
    for path in &paths {
        if !path.exists() {
            return Err(ScanError::MissingPath(path.display().to_string()));
        }
        if path.is_file() {
            if let Some(kind) = FileKind::sniff(path) {
                files.push((path.clone(), kind));
            }
            continue;
        }
        if !path.is_dir() {
            let what = std::fs::metadata(path)
                .map(|m| crate::fsread::describe(m.file_type()))
                .unwrap_or("not a regular file");
            return Err(ScanError::NotAFile {
                path: path.display().to_string(),
                what,
            });
        }
        let found_before = files.len() + errors.len();
        let overrides = exclude_overrides(path, input.exclude)?;
        // The walk runs on its own threads (as many as the scan's pool); the sort below
        // makes the order independent of them.
        let (sender, receiver) = std::sync::mpsc::channel();
        ignore::WalkBuilder::new(path)
            // Hidden directories are scanned (`.infra/`, `.aws-sam/build/`): only tool
            // caches and metadata are skipped, so no template hides behind a dot.
            .hidden(false)
            .filter_entry(|entry| {
                !(entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && TOOL_DIRECTORIES.contains(&entry.file_name().to_string_lossy().as_ref()))
            })
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .threads(rayon::current_num_threads())
            .build_parallel()
            .run(|| {
                let sender = sender.clone();
                Box::new(move |entry| {
                    let found = match entry {
                        Ok(entry) => match entry.file_type() {
                            Some(t)
                                if t.is_file()
                                    && crate::config::is_config_file_name(entry.file_name()) =>
                            {
                                Some(Found::Config(entry.into_path()))
                            }
                            Some(t) if t.is_file() => FileKind::sniff(entry.path())
                                .filter(|kind| {
                                    !kind.is_terraform_module_file()
                                        || !crate::parse::replaced_by_opentofu(entry.path())
                                })
                                .map(|kind| Found::File(entry.into_path(), kind)),
                            // A FIFO, device or socket with a scannable name is reported,
                            // never opened (it could block or never end).
                            Some(t) if !t.is_dir() && !t.is_symlink() => {
                                FileKind::sniff(entry.path()).map(|_| {
                                    Found::Unreadable(FileError {
                                        path: display_path(input.root, entry.path()),
                                        span: None,
                                        message: format!(
                                            "{}, not a regular file: not read",
                                            crate::fsread::describe(t)
                                        ),
                                    })
                                })
                            }
                            _ => None,
                        },
                        // Unreadable entries are reported; a malformed ignore file is not
                        // an error of the scanned code and only loses its own patterns.
                        Err(error) if error.io_error().is_some() => {
                            Some(Found::Unreadable(walk_error(input.root, path, &error)))
                        }
                        Err(_) => None,
                    };
                    if let Some(found) = found {
                        let _ = sender.send(found);
                    }
                    ignore::WalkState::Continue
                })
            });
        drop(sender);
        for found in receiver {
            match found {
                Found::File(path, kind) => files.push((path, kind)),
                Found::Unreadable(error) => errors.push(error),
                Found::Config(path) => configs.push(path),
            }
        }
        if files.len() + errors.len() == found_before {
            return Err(ScanError::NothingToScan(path.display().to_string()));
        }
    }
    files.sort();
    files.dedup();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    configs.sort();
    configs.dedup();
    Ok(Discovered {
        files,
        errors,
        notices,
        configs,
    })
}

/// `exclude` patterns as ignore rules relative to `base`.
fn exclude_overrides(
    base: &Path,
    exclude: &[String],
) -> Result<ignore::overrides::Override, ScanError> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(base);
    for pattern in exclude {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| ScanError::Exclude {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    overrides.build().map_err(|e| ScanError::Exclude {
        pattern: exclude.join(", "),
        message: e.to_string(),
    })
}

/// The named paths less the files that match an `exclude` pattern; patterns are relative
/// to `base` (the directory of the rampart.toml that holds them).
pub fn without_excluded_files(
    exclude: &[String],
    base: &Path,
    root: &Path,
    paths: &[PathBuf],
) -> Result<Vec<PathBuf>, ScanError> {
    if exclude.is_empty() {
        return Ok(paths.to_vec());
    }
    let overrides = exclude_overrides(&modules::normalise(&root.join(base)), exclude)?;
    Ok(paths
        .iter()
        .filter(|path| {
            !(path.is_file()
                && overrides
                    .matched(modules::normalise(&root.join(path)), false)
                    .is_ignore())
        })
        .cloned()
        .collect())
}

fn walk_error(root: &Path, scanned: &Path, error: &ignore::Error) -> FileError {
    let path = match error {
        ignore::Error::WithPath { path, .. } => path.as_path(),
        ignore::Error::WithDepth { err, .. } => match err.as_ref() {
            ignore::Error::WithPath { path, .. } => path.as_path(),
            _ => scanned,
        },
        _ => scanned,
    };
    FileError {
        path: display_path(root, path),
        span: None,
        message: format!("cannot read: {error}"),
    }
}
