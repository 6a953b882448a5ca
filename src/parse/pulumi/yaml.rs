//! Pulumi YAML programs (`Pulumi.yaml` with `runtime: yaml`): resources with `${...}`
//! interpolations as links, `config` and `variables` as values, `fn::secret` as secrets.

use std::collections::BTreeMap;

use crate::ir::{Data, FileId, Format, Link, Origin, Project, Provenance, Resource, Span, Value};
use crate::parse::document::{Node, NodeKind};
use crate::parse::terraform::aliases;

use super::{snake_case, terraform_type};

/// A Pulumi YAML program: `runtime: yaml` (or `runtime: {name: yaml}`) with `resources`.
pub fn is_program(root: &Node) -> bool {
    let runtime = root.get("runtime");
    let yaml_runtime = runtime.and_then(Node::as_str) == Some("yaml")
        || runtime.and_then(|r| r.get("name")).and_then(Node::as_str) == Some("yaml");
    yaml_runtime && root.get("resources").and_then(Node::as_map).is_some()
}

pub fn may_be_program(text: &str) -> bool {
    text.contains("runtime") && text.contains("resources:")
}

struct Program<'n> {
    file: FileId,
    config: &'n [(Node, Node)],
    variables: &'n [(Node, Node)],
    resources: &'n [(Node, Node)],
}

pub fn lower(name: String, file: FileId, root: &Node) -> Project {
    let section = |key: &str| root.get(key).and_then(Node::as_map).unwrap_or(&[]);
    let program = Program {
        file,
        config: section("config"),
        variables: section("variables"),
        resources: section("resources"),
    };
    let resources = program
        .resources
        .iter()
        .filter_map(|(key, definition)| {
            let logical = key.as_str()?;
            let token = definition.get("type").and_then(Node::as_str)?;
            let terraform = terraform_type(token)?;
            let header = Span::new(file, key.start..key.end);
            let mut attrs = BTreeMap::new();
            for (property, node) in definition
                .get("properties")
                .and_then(Node::as_map)
                .unwrap_or(&[])
            {
                let Some(property) = property.as_str() else {
                    continue;
                };
                let value = program.eval(node, 0);
                let (canonical, value) =
                    aliases::canonical(terraform, &snake_case(property), value);
                attrs.insert(canonical, value);
            }
            let mut resource = Resource {
                kind: aliases::kind_of(terraform),
                name: logical.to_string(),
                address: logical.to_string(),
                attrs,
                span: header,
                origin: Origin {
                    format: Format::Pulumi,
                    native_type: token.to_string(),
                    note: None,
                    call_chain: Vec::new(),
                    ignores: Vec::new(),
                },
            };
            resource.apply_defaults();
            Some(resource)
        })
        .collect();
    Project { name, resources }
}

/// Variables may refer to variables; deeper than this is a cycle.
const MAX_DEPTH: usize = 32;

impl Program<'_> {
    fn span(&self, node: &Node) -> Span {
        Span::new(self.file, node.start..node.end)
    }

    fn eval(&self, node: &Node, depth: usize) -> Value {
        let span = self.span(node);
        match &node.kind {
            NodeKind::String(text) => self.interpolate(text, span, depth),
            NodeKind::Seq(items) => Value::literal(
                Data::List(items.iter().map(|i| self.eval(i, depth)).collect()),
                span,
            ),
            NodeKind::Map(entries) => {
                if let [(key, _)] = entries.as_slice()
                    && let Some(function) = key.as_str().and_then(|k| k.strip_prefix("fn::"))
                {
                    return if function == "secret" {
                        Value::literal(Data::Secret("fn::secret".into()), span)
                    } else {
                        Value::unknown(format!("fn::{function} is evaluated by Pulumi"), span)
                    };
                }
                Value::literal(
                    Data::Object(
                        entries
                            .iter()
                            .filter_map(|(k, v)| {
                                Some((snake_case(k.as_str()?), self.eval(v, depth)))
                            })
                            .collect(),
                    ),
                    span,
                )
            }
            _ => crate::parse::document::to_value(node, self.file),
        }
    }

    /// `${name}`, `${resource.property}`, `${config}` and text around them.
    fn interpolate(&self, text: &str, span: Span, depth: usize) -> Value {
        if !text.contains("${") {
            return Value::literal(Data::String(text.to_string()), span);
        }
        if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
            && !inner.contains("${")
        {
            return self.reference(inner, span, depth);
        }
        let mut out = String::new();
        let mut chain = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("${") {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                return Value::unknown("unterminated interpolation", span);
            };
            let value = self.reference(&rest[open + 2..open + close], span, depth);
            match &value.data {
                Data::String(s) => out.push_str(s),
                Data::Number(n) => out.push_str(&crate::ir::format_number(*n)),
                Data::Secret(_) => return value,
                _ => return Value::unknown("interpolation of a value not known", span),
            }
            if let Provenance::Resolved { chain: inner } = value.provenance {
                chain.extend(inner);
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Value {
            data: Data::String(out),
            span,
            provenance: if chain.is_empty() {
                Provenance::Literal
            } else {
                Provenance::Resolved { chain }
            },
        }
    }

    fn reference(&self, name: &str, span: Span, depth: usize) -> Value {
        let root = name.split(['.', '[']).next().unwrap_or(name);
        if self.resources.iter().any(|(k, _)| k.as_str() == Some(root)) {
            let attribute = name.strip_prefix(root).and_then(|r| r.strip_prefix('.'));
            return Value::literal(
                Data::Link(Link {
                    target: root.to_string(),
                    attribute: attribute.map(str::to_string),
                }),
                span,
            );
        }
        if depth < MAX_DEPTH
            && let Some((key, node)) = self
                .variables
                .iter()
                .find(|(k, _)| k.as_str() == Some(root))
        {
            let value = self.eval(node, depth + 1);
            return resolved(value, format!("variable {root}"), self.span(key), span);
        }
        let config_key = root.rsplit(':').next().unwrap_or(root);
        if let Some((key, node)) = self.config.iter().find(|(k, _)| {
            k.as_str()
                .is_some_and(|k| k == root || k.rsplit(':').next() == Some(config_key))
        }) {
            let secret = node
                .get("secret")
                .is_some_and(|s| matches!(s.kind, NodeKind::Bool(true)));
            let default = node.get("default").or_else(|| node.get("value"));
            return match (default, node.as_map()) {
                (Some(default), _) => {
                    let value = self.eval(default, depth + 1);
                    resolved(value, format!("config {root}"), self.span(key), span)
                }
                // `config: {name: literal}` sets the value directly.
                (None, None) => {
                    let value = self.eval(node, depth + 1);
                    resolved(value, format!("config {root}"), self.span(key), span)
                }
                (None, Some(_)) if secret => {
                    Value::literal(Data::Secret(format!("secret config {root}")), span)
                }
                (None, Some(_)) => Value::unknown(format!("config {root} is set per stack"), span),
            };
        }
        Value::unknown(format!("`{name}` is not known before the deployment"), span)
    }
}

fn resolved(value: Value, via: String, definition: Span, use_span: Span) -> Value {
    value.resolved_at(via, definition, use_span)
}
