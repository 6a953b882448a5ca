//! Terraform `.tf` front end: parse with hcl-edit (spans on everything), then lower one
//! module directory at a time into IR resources.

mod aliases;
mod eval;
mod functions;

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
}

/// Parses one file. A syntax error becomes a [`FileError`] at its byte offset.
pub fn parse_file(file: FileId, path: &str, text: &str) -> Result<ParsedFile, FileError> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(ParsedFile { file, body }),
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

pub(crate) fn span_of(file: FileId, node: &impl hcl_edit::Span, fallback: Span) -> Span {
    node.span()
        .map(|range| Span::new(file, range))
        .unwrap_or(fallback)
}

/// Lowers the files of one module directory into a project.
pub fn lower_module(name: String, files: &[ParsedFile]) -> Project {
    let mut scope = Scope::default();
    let mut resource_blocks: Vec<(FileId, &Block)> = Vec::new();

    for parsed in files {
        for structure in parsed.body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            match (block.ident.as_str(), block.labels.as_slice()) {
                ("resource", [resource_type, resource_name]) => {
                    scope.resources.insert(format!(
                        "{}.{}",
                        resource_type.as_str(),
                        resource_name.as_str()
                    ));
                    resource_blocks.push((parsed.file, block));
                }
                ("variable", [variable_name]) => {
                    let default = block.body.get_attribute("default").map(|attr| &attr.value);
                    scope.variables.insert(
                        variable_name.as_str().to_string(),
                        Definition {
                            file: parsed.file,
                            expr: default,
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
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    let resources = resource_blocks
        .into_iter()
        .map(|(file, block)| lower_resource(&scope, file, block))
        .collect();
    Project { name, resources }
}

fn lower_resource(scope: &Scope, file: FileId, block: &Block) -> Resource {
    let resource_type = block.labels[0].as_str();
    let resource_name = block.labels[1].as_str();
    let header = header_span(file, block);
    let kind = aliases::kind_of(resource_type);
    let attrs = lower_body(scope, file, resource_type, &block.body, header);
    let mut resource = Resource {
        kind,
        name: resource_name.to_string(),
        address: format!("{resource_type}.{resource_name}"),
        attrs,
        span: header,
        origin: Origin {
            format: Format::Terraform,
            native_type: resource_type.to_string(),
            note: None,
        },
    };
    resource.apply_defaults();
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
                let name = attr.key.as_str();
                let canonical = aliases::rename(resource_type, name).unwrap_or(name);
                let mut value = scope.eval(file, &attr.value);
                if aliases::scalar_to_list(resource_type, name) {
                    let span = value.span;
                    let provenance = value.provenance.clone();
                    value = Value {
                        data: Data::List(vec![value]),
                        span,
                        provenance,
                    };
                }
                attrs.insert(canonical.to_string(), value);
            }
            Structure::Block(block) => {
                let block_span = span_of(file, block, fallback);
                let (name, element) = if block.ident.as_str() == "dynamic" {
                    // Expanding `dynamic` blocks needs for_each evaluation; until then the
                    // element is unknown, which can never produce a finding.
                    let name = block
                        .labels
                        .first()
                        .map(|label| label.as_str().to_string())
                        .unwrap_or_default();
                    (name, Value::unknown("dynamic block", block_span))
                } else {
                    let inner = lower_body(scope, file, resource_type, &block.body, block_span);
                    (
                        block.ident.as_str().to_string(),
                        Value::literal(Data::Object(inner), block_span),
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
        attrs.insert(name, Value::literal(Data::List(items), span));
    }
    attrs
}

#[cfg(test)]
mod tests;
