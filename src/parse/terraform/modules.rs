//! Module instantiation: a root module and every local module it calls, each instance in
//! its own scope with the caller's arguments, addressed as Terraform prints it
//! (`module.db.aws_db_instance.this`, `module.db["a"]...`). Registry and git modules are
//! never downloaded; `terraform init`'s `.terraform/modules/modules.json` names their
//! directories when present.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
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
}

impl<'a> Library<'a> {
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

    /// Module directories the manifest of `root` names.
    pub fn manifest_dirs_of(&self, root: &Path) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .manifests
            .get(root)
            .map(|keys| keys.values().cloned().collect())
            .unwrap_or_default();
        dirs.sort();
        dirs
    }

    pub fn dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.modules.keys()
    }

    /// Directories that local module calls of `dir` point at (for choosing roots).
    pub fn local_calls(&self, dir: &Path) -> Vec<PathBuf> {
        let Some(files) = self.modules.get(dir) else {
            return Vec::new();
        };
        let blocks = collect_blocks(files);
        blocks
            .calls
            .iter()
            .filter_map(|(_, block)| {
                let source = block.body.get_attribute("source")?;
                let hcl_edit::expr::Expression::String(source) = &source.value else {
                    return None;
                };
                is_local(source.value()).then(|| normalise(&dir.join(source.value())))
            })
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
        (
            Project {
                name,
                resources: out.resources,
            },
            out.notices,
        )
    }

    fn instantiate(&self, root: &Path, instance: &Instance, out: &mut Output) {
        let Some(files) = self.modules.get(&instance.dir) else {
            return;
        };
        let mut blocks = collect_blocks(files);
        blocks.scope.inputs = instance.inputs.clone();
        blocks.scope.prefix = instance.prefix.clone();
        blocks.scope.instance_label = instance.label.clone();
        blocks.scope.budget = out.budget.clone();
        let scope = &blocks.scope;
        for (file, block) in &blocks.resources {
            out.resources.extend(lower_resource_instances(
                scope,
                *file,
                block,
                &instance.call_chain,
            ));
        }
        for (file, block) in &blocks.calls {
            if out.budget.is_spent() {
                break;
            }
            self.call(root, instance, scope, *file, block, out);
        }
        out.notices.extend(scope.take_notices());
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
        let dir = match &source {
            Some(source) if is_local(source) => Some(normalise(&caller.dir.join(source))),
            _ => self
                .manifests
                .get(root)
                .and_then(|keys| keys.get(&module_key))
                .cloned(),
        };
        let Some(dir) = dir.filter(|dir| self.modules.contains_key(dir)) else {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!(
                    "module.{call_name} ({}) was not analysed: only local modules and modules \
                     installed by `terraform init` are read, nothing is downloaded",
                    source.as_deref().unwrap_or("source not known")
                ),
            });
            return;
        };
        if caller.stack.contains(&dir) {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!("module.{call_name} calls itself (directly or through other modules); not followed"),
            });
            return;
        }
        if caller.stack.len() >= MAX_DEPTH {
            out.notices.push(Notice {
                span: Some(source_span),
                message: format!(
                    "module.{call_name} is nested more than {MAX_DEPTH} modules deep; it was not analysed"
                ),
            });
            return;
        }

        let expansions: Vec<(String, Option<(&'static str, Value)>)> =
            match instances(scope, file, &block.body, header) {
                Instances::Single => vec![(String::new(), None)],
                Instances::Keys(keys) => keys
                    .into_iter()
                    .map(|(key, name, binding)| (key, Some((name, binding))))
                    .collect(),
                Instances::UnknownKeys(name, binding) => {
                    vec![("[*]".to_string(), Some((name, binding)))]
                }
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
            self.instantiate(root, &instance, out);
        }
    }
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

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// `a/b/../c/.` -> `a/c`, without touching the file system (no symlink is followed).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels a named component, never another `..` (`../../x` stays so).
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(out.components().next_back(), Some(Component::RootDir)) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

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

/// Local module sources (`./`, `../`) named in a file, found without parsing it: enough to
/// choose root modules and load called directories before anything is parsed.
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
                && is_local(&quoted[..close])
            {
                sources.push(quoted[..close].to_string());
            }
        }
        rest = &body[end..];
    }
    sources
}
