//! Terraform `.tf` front end: parse with hcl-edit (spans on everything), then lower one
//! module directory at a time into IR resources.

pub(crate) mod aliases;
mod eval;
mod functions;
pub(crate) mod json_syntax;
pub(crate) mod modules;
mod types;

use std::collections::{BTreeMap, HashMap};

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body, Structure};

use crate::ir::{Data, FileId, Format, Origin, Project, Resource, Span, Value};
use crate::parse::FileError;

use eval::{Definition, Scope};

/// One parsed `.tf` file.
pub struct ParsedFile {
    pub file: FileId,
    pub body: Body,
    /// For a `.tf.json` file, parsed from its native-syntax transcription: where each
    /// offset of the transcription is in the JSON text.
    pub offsets: Option<json_syntax::OffsetMap>,
}

/// Parses one file. A syntax error becomes a [`FileError`] at its byte offset.
pub fn parse_file(file: FileId, path: &str, text: &str) -> Result<ParsedFile, FileError> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(ParsedFile {
            file,
            body,
            offsets: None,
        }),
        Err(err) => {
            let offset = err.location().offset().min(text.len());
            Err(FileError {
                path: path.to_string(),
                span: Some(Span::new(file, offset..offset)),
                message: format!("invalid Terraform syntax: {}", err.message()),
            })
        }
    }
}

/// Parses one file in Terraform's JSON syntax (`.tf.json`, `.tofu.json`).
pub fn parse_json_file(file: FileId, path: &str, text: &str) -> Result<ParsedFile, FileError> {
    let (shadow, offsets) = json_syntax::transcribe(text).map_err(|e| FileError {
        path: path.to_string(),
        span: Some(Span::new(file, e.offset..e.offset)),
        message: format!("invalid Terraform JSON syntax: {}", e.message),
    })?;
    let mut parsed = parse_file(file, path, &shadow).map_err(|mut error| {
        if let Some(span) = &mut error.span {
            let at = offsets.original(span.start as usize);
            *span = Span::new(file, at..at);
        }
        error.message = error
            .message
            .replace("Terraform syntax", "Terraform JSON syntax");
        error
    })?;
    parsed.offsets = Some(offsets);
    Ok(parsed)
}

pub(crate) fn span_of(file: FileId, node: &impl hcl_edit::Span, fallback: Span) -> Span {
    node.span()
        .map(|range| Span::new(file, range))
        .unwrap_or(fallback)
}

/// Lowers the files of one module directory, on its own, into a project.
pub fn lower_module(name: String, files: &[ParsedFile]) -> Project {
    let mut library = modules::Library::default();
    let dir = std::path::PathBuf::from(&name);
    library.add_module(dir.clone(), files.iter().collect());
    let (project, _notices) = library.lower_root(&dir, name, HashMap::new(), Default::default());
    project
}

/// Collects a module's blocks into a scope and the lists of resource and module blocks.
pub(crate) struct ModuleBlocks<'a> {
    pub scope: Scope<'a>,
    pub resources: Vec<(FileId, &'a Block)>,
    /// `output` blocks: what `module.NAME.OUTPUT` reads in the caller.
    pub outputs: Vec<(FileId, &'a Block)>,
    pub calls: Vec<(FileId, &'a Block)>,
}

pub(crate) fn collect_blocks<'a>(files: &[&'a ParsedFile]) -> ModuleBlocks<'a> {
    let mut scope = Scope::default();
    let mut resources = Vec::new();
    let mut calls = Vec::new();
    let mut outputs = Vec::new();
    for parsed in files {
        for structure in parsed.body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            match (block.ident.as_str(), block.labels.as_slice()) {
                ("resource", [resource_type, resource_name]) => {
                    let address = format!("{}.{}", resource_type.as_str(), resource_name.as_str());
                    let repetition = ["count", "for_each"].iter().find_map(|meta| {
                        block
                            .body
                            .get_attribute(meta)
                            .map(|attr| (parsed.file, &attr.value))
                    });
                    if let Some(repetition) = repetition {
                        scope.repetitions.insert(address.clone(), repetition);
                    }
                    scope.resources.insert(address);
                    resources.push((parsed.file, block));
                }
                ("module", [_]) => calls.push((parsed.file, block)),
                ("output", [_]) => outputs.push((parsed.file, block)),
                ("variable", [variable_name]) => {
                    let default = block.body.get_attribute("default").map(|attr| &attr.value);
                    scope.variables.insert(
                        variable_name.as_str().to_string(),
                        Definition {
                            file: parsed.file,
                            expr: default,
                            ty: block.body.get_attribute("type").map(|attr| &attr.value),
                        },
                    );
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        scope.locals.insert(
                            attr.key.as_str().to_string(),
                            Definition {
                                file: parsed.file,
                                expr: Some(&attr.value),
                                ty: None,
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }
    ModuleBlocks {
        scope,
        resources,
        outputs,
        calls,
    }
}

/// More `count` instances than this are treated as an unknown count.
const MAX_INSTANCES: usize = 10_000;

/// How many instances a `count` or `for_each` block makes: `None` without either.
pub(crate) enum Instances {
    Single,
    /// Known instance keys with their `count` / `each` binding.
    Keys(Vec<(String, &'static str, Value)>),
    /// Multiplied by a value not known before apply.
    UnknownKeys(&'static str, Value),
}

pub(crate) fn instances(scope: &Scope, file: FileId, body: &Body, header: Span) -> Instances {
    if let Some(count) = body.get_attribute("count") {
        let value = scope.eval(file, &count.value);
        return match value.as_number() {
            Some(n)
                if (0.0..=MAX_INSTANCES as f64).contains(&n)
                    && n.fract() == 0.0
                    && !value.is_unknown() =>
            {
                Instances::Keys(
                    (0..n as usize)
                        .map(|i| {
                            let mut fields = BTreeMap::new();
                            fields.insert(
                                "index".to_string(),
                                Value::literal(Data::Number(i as f64), value.span),
                            );
                            (
                                format!("[{i}]"),
                                "count",
                                Value::literal(Data::Object(fields.into()), value.span),
                            )
                        })
                        .collect(),
                )
            }
            // Unknown, negative, fractional, or more instances than any real configuration
            // has (the fuzzer found `count = 1e57`): one resource with an unknown key.
            _ => Instances::UnknownKeys("count", unknown_binding(&["index"], header)),
        };
    }
    if let Some(for_each) = body.get_attribute("for_each") {
        let value = scope.eval(file, &for_each.value);
        let pairs: Option<Vec<(String, Value)>> = match &value.data {
            Data::Object(map) if !value.is_unknown() => {
                Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            Data::List(items) => items
                .iter()
                .map(|item| item.as_str().map(|k| (k.to_string(), item.clone())))
                .collect(),
            _ => None,
        };
        return match pairs {
            // As many instances as `count` allows, or the keys are treated as not known.
            Some(pairs) if pairs.len() <= MAX_INSTANCES => Instances::Keys(
                pairs
                    .into_iter()
                    .map(|(key, item)| {
                        let mut fields = BTreeMap::new();
                        fields.insert(
                            "key".to_string(),
                            Value::literal(Data::String(key.clone()), item.span),
                        );
                        fields.insert("value".to_string(), item);
                        (
                            format!("[{key:?}]"),
                            "each",
                            Value::literal(Data::Object(fields.into()), value.span),
                        )
                    })
                    .collect(),
            ),
            _ => Instances::UnknownKeys("each", unknown_binding(&["key", "value"], header)),
        };
    }
    Instances::Single
}

fn unknown_binding(fields: &[&str], span: Span) -> Value {
    let map = fields
        .iter()
        .map(|f| {
            (
                f.to_string(),
                Value::unknown("instance key not known before apply", span),
            )
        })
        .collect::<BTreeMap<_, _>>()
        .into();
    Value::literal(Data::Object(map), span)
}

/// Lowers one resource block into one IR resource per instance.
pub(crate) fn lower_resource_instances(
    scope: &Scope,
    file: FileId,
    block: &Block,
    call_chain: &[crate::ir::Hop],
) -> Vec<Resource> {
    let header = header_span(file, block);
    match instances(scope, file, &block.body, header) {
        Instances::Single => vec![lower_resource(scope, file, block, "", call_chain)],
        Instances::Keys(keys) => keys
            .into_iter()
            .map(|(key, name, binding)| {
                scope.with_binding(name, binding, || {
                    lower_resource(scope, file, block, &key, call_chain)
                })
            })
            .collect(),
        Instances::UnknownKeys(name, binding) => vec![scope.with_binding(name, binding, || {
            lower_resource(scope, file, block, "[*]", call_chain)
        })],
    }
}

fn lower_resource(
    scope: &Scope,
    file: FileId,
    block: &Block,
    key: &str,
    call_chain: &[crate::ir::Hop],
) -> Resource {
    let resource_type = block.labels[0].as_str();
    let resource_name = block.labels[1].as_str();
    let header = header_span(file, block);
    let kind = aliases::kind_of(resource_type);
    let mut attrs = lower_body(scope, file, resource_type, &block.body, header);
    // An argument that is null is unset: the provider default applies, shown where the
    // argument is written (that is where it is changed).
    let nulls: Vec<(String, Span)> = attrs
        .iter()
        .filter(|(_, value)| matches!(value.data, Data::Null))
        .map(|(name, value)| (name.clone(), value.span))
        .collect();
    for (name, _) in &nulls {
        attrs.remove(name);
    }
    let mut resource = Resource {
        kind,
        name: resource_name.to_string(),
        address: format!("{}{resource_type}.{resource_name}{key}", scope.prefix),
        attrs,
        span: header,
        origin: Origin {
            program_position: None,
            format: Format::Terraform,
            native_type: resource_type.to_string(),
            note: None,
            call_chain: call_chain.to_vec(),
            ignores: Vec::new(),
            unset: nulls.iter().cloned().collect(),
        },
    };
    resource.apply_defaults();
    for (name, span) in &nulls {
        if let Some(value) = resource.attrs.get_mut(name) {
            value.span = *span;
        }
    }
    resource
}

/// The span of a block's header line (`resource "aws_db_instance" "this" {`), which is where
/// findings about absent attributes point.
fn header_span(file: FileId, block: &Block) -> Span {
    let start = block.ident.span().map(|r| r.start).unwrap_or(0);
    let end = block
        .labels
        .last()
        .and_then(|label| label.span())
        .map(|r| r.end)
        .or_else(|| block.ident.span().map(|r| r.end))
        .unwrap_or(start);
    Span::new(file, start..end)
}

/// Lowers a block body: attributes by canonical name, nested blocks as lists of objects.
fn lower_body(
    scope: &Scope,
    file: FileId,
    resource_type: &str,
    body: &Body,
    fallback: Span,
) -> BTreeMap<String, Value> {
    let mut attrs = BTreeMap::new();
    let mut blocks: HashMap<String, Vec<Value>> = HashMap::new();
    let mut block_order: Vec<String> = Vec::new();

    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let value = scope.eval(file, &attr.value);
                let (canonical, value) =
                    aliases::canonical(resource_type, attr.key.as_str(), value);
                attrs.insert(canonical, value);
            }
            Structure::Block(block) => {
                let block_span = span_of(file, block, fallback);
                if block.ident.as_str() == "dynamic" {
                    let name = block
                        .labels
                        .first()
                        .map(|label| label.as_str().to_string())
                        .unwrap_or_default();
                    let canonical = aliases::rename(resource_type, &name)
                        .map(str::to_string)
                        .unwrap_or(name);
                    let elements = expand_dynamic(scope, file, resource_type, block, block_span);
                    if !blocks.contains_key(&canonical) {
                        block_order.push(canonical.clone());
                    }
                    blocks.entry(canonical).or_default().extend(elements);
                    continue;
                }
                let (name, element) = {
                    let inner = lower_body(scope, file, resource_type, &block.body, block_span);
                    (
                        block.ident.as_str().to_string(),
                        Value::literal(Data::Object(inner.into()), block_span),
                    )
                };
                let canonical = aliases::rename(resource_type, &name)
                    .map(str::to_string)
                    .unwrap_or(name);
                if !blocks.contains_key(&canonical) {
                    block_order.push(canonical.clone());
                }
                blocks.entry(canonical).or_default().push(element);
            }
        }
    }

    for name in block_order {
        let items = blocks.remove(&name).unwrap_or_default();
        let span = items.first().map(|v| v.span).unwrap_or(fallback);
        attrs.insert(name, Value::literal(Data::List(items.into()), span));
    }
    attrs
}

/// Expands a `dynamic` block over a known collection, binding its iterator (the block's
/// label unless `iterator` names another); an unknown collection yields one unknown element.
fn expand_dynamic(
    scope: &Scope,
    file: FileId,
    resource_type: &str,
    block: &Block,
    block_span: Span,
) -> Vec<Value> {
    let label = block
        .labels
        .first()
        .map(|label| label.as_str().to_string())
        .unwrap_or_default();
    let iterator = block
        .body
        .get_attribute("iterator")
        .and_then(|attr| match &attr.value {
            hcl_edit::expr::Expression::Variable(name) => Some(name.as_str().to_string()),
            _ => None,
        })
        .unwrap_or(label);
    let Some(content) = block.body.get_blocks("content").next() else {
        return Vec::new();
    };
    let Some(for_each) = block.body.get_attribute("for_each") else {
        return vec![Value::unknown("dynamic block without for_each", block_span)];
    };
    let collection = scope.eval(file, &for_each.value);
    let Some(pairs) = eval::key_value_pairs(&collection) else {
        return vec![Value::unknown(
            "dynamic block over a value not known",
            block_span,
        )];
    };
    let content_span = span_of(file, content, block_span);
    pairs
        .into_iter()
        .map(|(key, value)| {
            let mut fields = BTreeMap::new();
            fields.insert("key".to_string(), key);
            fields.insert("value".to_string(), value);
            let binding = Value::literal(Data::Object(fields.into()), collection.span);
            scope.with_binding(&iterator, binding, || {
                let inner = lower_body(scope, file, resource_type, &content.body, content_span);
                Value::literal(Data::Object(inner.into()), content_span)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
