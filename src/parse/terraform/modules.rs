//! Module instantiation: a root module and every local module it calls, each instance in
//! its own scope with the caller's arguments, addressed as Terraform prints it
//! (`module.db.aws_db_instance.this`, `module.db["a"]...`). Registry and git modules are
//! never downloaded; `terraform init`'s `.terraform/modules/modules.json` names their
//! directories when present.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::structure::Block;

use crate::ir::{Data, FileId, Hop, Project, Resource, Value};
use crate::parse::Notice;
use crate::parse::budget::Budget;

use super::{
    Instances, ParsedFile, collect_blocks, header_span, instances, lower_resource_instances,
    span_of,
};

/// Module nesting deeper than this is reported, not followed. Real configurations nest a
/// handful of levels; cycles are found separately, so this bounds only honest depth.
pub(crate) const MAX_DEPTH: usize = 64;

/// Arguments of a `module` block that are not inputs of the module.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Every parsed module directory of a scan.
#[derive(Default)]
pub struct Library<'a> {
    modules: BTreeMap<PathBuf, Vec<&'a ParsedFile>>,
    /// `terraform init` manifests: root directory -> module key -> directory.
    manifests: HashMap<PathBuf, HashMap<String, PathBuf>>,
    /// Registry modules known without `terraform init`.
    signatures: Option<&'a crate::signatures::Catalog>,
}

impl<'a> Library<'a> {
    pub fn with_signatures(signatures: &'a crate::signatures::Catalog) -> Library<'a> {
        Library {
            signatures: Some(signatures),
            ..Library::default()
        }
    }

    pub fn add_module(&mut self, dir: PathBuf, files: Vec<&'a ParsedFile>) {
        self.modules
            .entry(normalise(&dir))
            .or_default()
            .extend(files);
    }

    /// Reads `.terraform/modules/modules.json` of `root`, if `terraform init` wrote one.
    /// Only the manifest is read; nothing is fetched.
    pub fn add_manifest(&mut self, root: &Path, text: &str) {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            return;
        };
        let mut keys = HashMap::new();
        for module in json["Modules"].as_array().into_iter().flatten() {
            if let (Some(key), Some(dir)) = (module["Key"].as_str(), module["Dir"].as_str())
                && !key.is_empty()
            {
                keys.insert(key.to_string(), normalise(&root.join(dir)));
            }
        }
        self.manifests.insert(normalise(root), keys);
    }

    /// Every module directory the manifests name.
    pub fn manifest_dirs(&self) -> Vec<PathBuf> {
        self.manifests
            .values()
            .flat_map(|keys| keys.values().cloned())
            .collect()
    }

    /// Lowers `root` and every module it calls into one project. `inputs` are the root's
    /// variable values from tfvars files, spanned where they were written. Every instance
    /// evaluates against the one `budget`.
    pub fn lower_root(
        &self,
        root: &Path,
        name: String,
        inputs: HashMap<String, Value>,
        budget: Rc<Budget>,
    ) -> (Project, Vec<Notice>) {
        let mut out = Output {
            budget,
            ..Output::default()
        };
        let root = normalise(root);
        let instance = Instance {
            dir: root.clone(),
            prefix: String::new(),
            key_prefix: String::new(),
            label: "the root module".to_string(),
            inputs,
            call_chain: Vec::new(),
            stack: vec![root.clone()],
        };
        self.instantiate(&root, &instance, &mut out);
        let maps = self
            .modules
            .values()
            .flatten()
            .filter_map(|file| Some((file.file, file.offsets.as_ref()?)));
        if let Some(remap) = super::json_syntax::Remap::new(maps) {
            out.resources.iter_mut().for_each(|r| remap.resource(r));
            for notice in &mut out.notices {
                if let Some(span) = &mut notice.span {
                    remap.span(span);
                }
            }
        }
        (
            Project {
                name,
                resources: out.resources,
            },
            out.notices,
        )
    }

    /// Lowers one module instance and returns its outputs (an object, as the caller reads
    /// `module.NAME`); `None` when the module has no files.
    fn instantiate(&self, root: &Path, instance: &Instance, out: &mut Output) -> Option<Value> {
        let files = self.modules.get(&instance.dir)?;
        let mut blocks = collect_blocks(files);
        blocks.scope.inputs = instance.inputs.clone();
        blocks.scope.prefix = instance.prefix.clone();
        blocks.scope.instance_label = instance.label.clone();
        blocks.scope.budget = out.budget.clone();
        blocks.scope.conform_inputs();
        let scope = &blocks.scope;
        // Calls first, each after the calls its arguments read, so that resources, outputs
        // and later calls can read `module.NAME.OUTPUT`.
        for (file, block) in calls_in_dependency_order(&blocks.calls) {
            if out.budget.is_spent() {
                break;
            }
            self.call(root, instance, scope, file, block, out);
        }
        for (file, block) in &blocks.resources {
            out.resources.extend(lower_resource_instances(
                scope,
                *file,
                block,
                &instance.call_chain,
            ));
        }
        let outputs: BTreeMap<String, Value> = blocks
            .outputs
            .iter()
            .filter_map(|(file, block)| scope.output(*file, block))
            .collect();
        out.notices.extend(scope.take_notices());
        let span = crate::ir::Span::new(files.first()?.file, 0..0);
        Some(Value::literal(Data::Object(outputs.into()), span))
    }

    fn call(
        &self,
        root: &Path,
        caller: &Instance,
        scope: &super::eval::Scope,
        file: FileId,
        block: &Block,
        out: &mut Output,
    ) {
        let call_name = block.labels[0].as_str();
        let header = header_span(file, block);
        let source_attr = block.body.get_attribute("source");
        let source = source_attr.and_then(|attr| match &attr.value {
            hcl_edit::expr::Expression::String(s) => Some(s.value().clone()),
            _ => None,
        });
        let source_span = source_attr
            .map(|attr| span_of(file, &attr.value, header))
            .unwrap_or(header);
        let module_key = format!("{}{call_name}", caller.key_prefix);
        let installed = self
            .manifests
            .get(root)
            .and_then(|keys| keys.get(&module_key))
            .filter(|dir| self.modules.contains_key(*dir))
            .cloned();
        let dir = match &source {
            Some(source) if is_local(source) => Some(module_dir(&caller.dir, source)),
            // What `terraform init` installed wins over a signature.
            _ if installed.is_some() => installed,
            Some(source) => {
                match self.select_signature(source, block, call_name, source_span, out) {
                    Ok(dir) => dir,
                    Err(()) => return,
                }
            }
            None => None,
        };
        let Some(dir) = dir.filter(|dir| self.modules.contains_key(dir)) else {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!(
                    "module.{call_name} ({}) was not analysed: only local modules and modules \
                     installed by `terraform init` are read, nothing is downloaded",
                    source.as_deref().unwrap_or("source not known")
                ),
                kind: crate::parse::NoticeKind::NotAnalysed,
            });
            return;
        };
        if caller.stack.contains(&dir) {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!("module.{call_name} calls itself (directly or through other modules); not followed"),
                kind: crate::parse::NoticeKind::NotAnalysed,
            });
            return;
        }
        if caller.stack.len() >= MAX_DEPTH {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!(
                    "module.{call_name} is nested more than {MAX_DEPTH} modules deep; it was not analysed"
                ),
                kind: crate::parse::NoticeKind::NotAnalysed,
            });
            return;
        }

        let mut outputs: Vec<(String, Value)> = Vec::new();
        let (instances_kind, expansions): (InstancesKind, Vec<Expansion>) =
            match instances(scope, file, &block.body, header) {
                Instances::Single => (InstancesKind::Single, vec![(String::new(), None)]),
                Instances::Keys(keys) => (
                    if keys.first().is_some_and(|(_, name, _)| *name == "count") {
                        InstancesKind::Count
                    } else {
                        InstancesKind::ForEach
                    },
                    keys.into_iter()
                        .map(|(key, name, binding)| (key, Some((name, binding))))
                        .collect(),
                ),
                Instances::UnknownKeys(name, binding) => (
                    InstancesKind::Unknown,
                    vec![("[*]".to_string(), Some((name, binding)))],
                ),
            };
        for (key, binding) in expansions {
            // Each instance re-lowers the whole module: module `count` x `count` across
            // levels multiplies, so every instance is charged before it is made.
            if !out
                .budget
                .charge(crate::parse::budget::MODULE_INSTANCE_UNITS, header)
            {
                break;
            }
            let evaluate_inputs = || {
                block
                    .body
                    .attributes()
                    .filter(|attr| !META_ARGUMENTS.contains(&attr.key.as_str()))
                    .map(|attr| (attr.key.as_str().to_string(), scope.eval(file, &attr.value)))
                    .collect::<HashMap<String, Value>>()
            };
            // The `for_each` key the caller indexes `module.NAME` with.
            let each_key = match binding.as_ref().map(|(_, b)| &b.data) {
                Some(Data::Object(fields)) => fields
                    .get("key")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                _ => None,
            };
            let inputs = match binding {
                Some((name, value)) => scope.with_binding(name, value, evaluate_inputs),
                None => evaluate_inputs(),
            };
            let address = format!("{}module.{call_name}{key}", caller.prefix);
            let mut call_chain = caller.call_chain.clone();
            call_chain.push(Hop {
                via: address.clone(),
                span: header,
            });
            let mut stack = caller.stack.clone();
            stack.push(dir.clone());
            let instance = Instance {
                dir: dir.clone(),
                prefix: format!("{address}."),
                key_prefix: format!("{module_key}."),
                label: address,
                inputs,
                call_chain,
                stack,
            };
            match self.instantiate(root, &instance, out) {
                Some(value) => outputs.push((each_key.unwrap_or_default(), value)),
                None => return,
            }
        }
        // `module.db` is the outputs object; with `count` a list of them, with `for_each` a
        // map; with keys not known, it stays unknown.
        let value = match instances_kind {
            InstancesKind::Single => outputs.pop().map(|(_, value)| value),
            InstancesKind::Count => Some(Value::literal(
                Data::List(
                    outputs
                        .into_iter()
                        .map(|(_, v)| v)
                        .collect::<Vec<_>>()
                        .into(),
                ),
                header,
            )),
            InstancesKind::ForEach => Some(Value::literal(
                Data::Object(outputs.into_iter().collect::<BTreeMap<_, _>>().into()),
                header,
            )),
            InstancesKind::Unknown => None,
        };
        if let Some(value) = value {
            scope.set_module_outputs(call_name, value);
        }
    }
}

impl Library<'_> {
    /// The signature directory a registry call instantiates: `Ok(None)` when no signature
    /// knows the source, `Err` when one does but not the version asked for (reported).
    fn select_signature(
        &self,
        source: &str,
        block: &Block,
        call_name: &str,
        source_span: crate::ir::Span,
        out: &mut Output,
    ) -> Result<Option<PathBuf>, ()> {
        let Some(catalog) = self.signatures else {
            return Ok(None);
        };
        let version = block
            .body
            .get_attribute("version")
            .and_then(|attr| match &attr.value {
                hcl_edit::expr::Expression::String(s) => Some(s.value().to_string()),
                _ => None,
            });
        match catalog.select(source, version.as_deref()) {
            crate::signatures::Selection::NotKnown => Ok(None),
            crate::signatures::Selection::Chosen { dir, note, .. } => {
                if let Some(note) = note {
                    out.notices.push(Notice {
                        span: Some(source_span),
                        message: format!("module.{call_name}: {note}"),
                        kind: crate::parse::NoticeKind::Info,
                    });
                }
                Ok(Some(dir))
            }
            crate::signatures::Selection::NoVersion { message } => {
                out.notices.push(Notice {
                    span: Some(source_span),
                    message: format!("module.{call_name}: {message}"),
                    kind: crate::parse::NoticeKind::NotAnalysed,
                });
                Err(())
            }
        }
    }
}

/// One instance of a module call: its key and its `count` / `each` binding.
type Expansion = (String, Option<(&'static str, Value)>);

enum InstancesKind {
    Single,
    Count,
    ForEach,
    Unknown,
}

struct Instance {
    dir: PathBuf,
    /// Address prefix of resources (`module.db[0].`).
    prefix: String,
    /// Prefix of module keys in the `terraform init` manifest (`db.`).
    key_prefix: String,
    label: String,
    inputs: HashMap<String, Value>,
    call_chain: Vec<Hop>,
    stack: Vec<PathBuf>,
}

#[derive(Default)]
struct Output {
    resources: Vec<Resource>,
    notices: Vec<Notice>,
    budget: Rc<Budget>,
}

/// Module calls ordered so that a call comes after the calls whose outputs its arguments
/// name (`module.NAME`); calls in a cycle, which Terraform rejects, keep file order.
/// Linear in the calls' text: a depth-first walk over the names each call reads.
fn calls_in_dependency_order<'b>(calls: &[(FileId, &'b Block)]) -> Vec<(FileId, &'b Block)> {
    let index: HashMap<&str, usize> = calls
        .iter()
        .enumerate()
        .map(|(i, (_, b))| (b.labels[0].as_str(), i))
        .collect();
    let reads: Vec<Vec<usize>> = calls
        .iter()
        .map(|(_, block)| {
            module_names(&block.body.to_string())
                .filter_map(|name| index.get(name).copied())
                .collect()
        })
        .collect();
    // 0: not visited, 1: on the walk, 2: placed.
    let mut state = vec![0u8; calls.len()];
    let mut order = Vec::with_capacity(calls.len());
    for start in 0..calls.len() {
        let mut stack = vec![(start, 0usize)];
        while let Some((i, next)) = stack.pop() {
            if next == 0 {
                if state[i] != 0 {
                    continue;
                }
                state[i] = 1;
            }
            match reads[i].get(next) {
                Some(&j) => {
                    stack.push((i, next + 1));
                    if state[j] == 0 {
                        stack.push((j, 0));
                    }
                }
                None => {
                    state[i] = 2;
                    order.push(calls[i]);
                }
            }
        }
    }
    order
}

/// The names `NAME` of every `module.NAME` in `text`.
fn module_names(text: &str) -> impl Iterator<Item = &str> {
    names_after(text, "module.")
}

/// The names `NAME` of every `PREFIX.NAME` reference in `text` (`var.`, `module.`), read
/// as text: enough to order calls or list what an expression reads.
pub fn names_after<'t>(text: &'t str, prefix: &'t str) -> impl Iterator<Item = &'t str> {
    text.match_indices(prefix).filter_map(move |(at, needle)| {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        let rest = &text[at + needle.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

pub fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// The directory a local `source` names, from the caller's directory. Terraform leaves
/// `..` to the operating system, which resolves it from the caller's *real* directory: when
/// the caller was reached through a symlinked directory, its real path is used.
pub fn module_dir(caller: &Path, source: &str) -> PathBuf {
    let lexical = normalise(&caller.join(source));
    if !source.starts_with("../") {
        return lexical;
    }
    let on_disk = if caller.as_os_str().is_empty() {
        Path::new(".")
    } else {
        caller
    };
    let (Ok(real), Ok(cwd)) = (std::fs::canonicalize(on_disk), std::env::current_dir()) else {
        return lexical;
    };
    if real == normalise(&cwd.join(caller)) {
        lexical
    } else {
        normalise(&real.join(source))
    }
}

pub use crate::ir::normalise;

/// Values of a tfvars file (`NAME = value` lines), spanned where written.
pub fn tfvars_values(parsed: &ParsedFile) -> Vec<(String, Value)> {
    let scope = super::eval::Scope::default();
    parsed
        .body
        .attributes()
        .map(|attr| {
            let value = scope.eval(parsed.file, &attr.value);
            (attr.key.as_str().to_string(), value)
        })
        .filter(|(_, value)| !matches!(value.data, Data::Null))
        .collect()
}

/// Module sources named in a file, found without parsing it: enough to choose root modules
/// and load called directories (local ones, and module signatures) before anything is
/// parsed.
pub fn module_sources(text: &str) -> Vec<String> {
    let mut sources = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("module") {
        let before_ok = at == 0 || rest[..at].ends_with(['\n', ' ', '\t', '\r']);
        let after = &rest[at + "module".len()..];
        rest = after;
        if !before_ok || !after.trim_start().starts_with('"') {
            continue;
        }
        let Some(open) = after.find('{') else { break };
        let body = &after[open + 1..];
        let mut depth = 1usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        for line in body[..end].lines() {
            let line = line.trim();
            if let Some(value) = line.strip_prefix("source")
                && let Some(value) = value.trim_start().strip_prefix('=')
                && let Some(quoted) = value.trim().strip_prefix('"')
                && let Some(close) = quoted.find('"')
            {
                sources.push(quoted[..close].to_string());
            }
        }
        rest = &body[end..];
    }
    sources
}
