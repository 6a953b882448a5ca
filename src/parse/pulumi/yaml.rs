//! Pulumi YAML programs (`Pulumi.yaml` with `runtime: yaml`): resources with `${...}`
//! interpolations as links, `config` and `variables` as values, `fn::secret` as secrets.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use crate::ir::{Data, FileId, Format, Hops, Link, Origin, Project, Resource, Span, Value};
use crate::parse::budget::{self, Budget};
use crate::parse::document::{Node, NodeKind};
use crate::parse::terraform::aliases;
use crate::parse::{Evaluating, Notice};

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

/// The runtime a Pulumi project file declares (`runtime: nodejs`, or `runtime:` followed
/// by `name: yaml`), read from its lines before parsing. `Main.yaml` is a YAML program's
/// main file beside `Pulumi.yaml`.
fn declared_runtime(path: &std::path::Path, text: &str, names: &[&str]) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if !names.contains(&name.as_str()) {
        return None;
    }
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix("runtime:") else {
            continue;
        };
        let value = value.trim();
        let runtime = if value.is_empty() {
            lines.next()?.strip_prefix("name:")?.trim()
        } else {
            value
        };
        return Some(runtime.trim_matches(['"', '\'']).to_string());
    }
    None
}

/// The runtime of a `Pulumi.yaml` whose program is not YAML (`nodejs`, `python`, `go`,
/// `dotnet`, `java`).
pub fn other_runtime(path: &std::path::Path, text: &str) -> Option<String> {
    declared_runtime(path, text, &["pulumi.yaml", "pulumi.yml"]).filter(|r| r != "yaml")
}

/// Before parsing: a `Pulumi.yaml` (or `Main.yaml`) that says `runtime: yaml`; one that does
/// not parse is then an error, not a skipped file.
pub fn looks_like_program(path: &std::path::Path, text: &str) -> bool {
    declared_runtime(
        path,
        text,
        &["pulumi.yaml", "pulumi.yml", "main.yaml", "main.yml"],
    )
    .is_some_and(|r| r == "yaml")
}

struct Program<'n> {
    file: FileId,
    /// Config entries by full key and by the key without its namespace (first one wins).
    config: HashMap<&'n str, &'n (Node, Node)>,
    variables: HashMap<&'n str, &'n (Node, Node)>,
    resources: &'n [(Node, Node)],
    resource_names: std::collections::HashSet<&'n str>,
    budget: &'n Budget,
    /// Values of variables and config entries, each evaluated once.
    cache: RefCell<HashMap<String, Value>>,
    /// Variables and config entries being evaluated (to report cycles).
    evaluating: Evaluating,
    notices: RefCell<Vec<Notice>>,
}

/// `name -> entry` of a section, the first entry of a name winning.
fn index(entries: &[(Node, Node)], also_short: bool) -> HashMap<&str, &(Node, Node)> {
    let mut by_name = HashMap::new();
    for entry in entries {
        if let Some(key) = entry.0.as_str() {
            by_name.entry(key).or_insert(entry);
        }
    }
    if also_short {
        for entry in entries {
            if let Some(short) = entry.0.as_str().and_then(|k| k.rsplit(':').next()) {
                by_name.entry(short).or_insert(entry);
            }
        }
    }
    by_name
}

/// Lowers a program within `budget`; notices report cycles among variables and config.
pub fn lower(name: String, file: FileId, root: &Node, budget: &Budget) -> (Project, Vec<Notice>) {
    let section = |key: &str| root.get(key).and_then(Node::as_map).unwrap_or(&[]);
    let resources = section("resources");
    let program = Program {
        file,
        config: index(section("config"), true),
        variables: index(section("variables"), false),
        resources,
        resource_names: resources.iter().filter_map(|(k, _)| k.as_str()).collect(),
        budget,
        cache: RefCell::new(HashMap::new()),
        evaluating: Evaluating::default(),
        notices: RefCell::new(Vec::new()),
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
                let value = program.eval(node);
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
                    program_position: None,
                    format: Format::Pulumi,
                    native_type: token.to_string(),
                    note: None,
                    call_chain: Vec::new(),
                    ignores: Vec::new(),
                    unset: Default::default(),
                },
            };
            resource.apply_defaults();
            Some(resource)
        })
        .collect();
    let mut notices = program.notices.into_inner();
    notices.sort_by(|a, b| a.span.cmp(&b.span).then(a.message.cmp(&b.message)));
    notices.dedup();
    (Project { name, resources }, notices)
}

impl Program<'_> {
    fn span(&self, node: &Node) -> Span {
        Span::new(self.file, node.start..node.end)
    }

    fn eval(&self, node: &Node) -> Value {
        let span = self.span(node);
        if !self.budget.charge(budget::VALUE_UNITS, span) {
            return Value::unknown(budget::SPENT, span);
        }
        budget::deeper(|| self.eval_node(node, span))
    }

    fn eval_node(&self, node: &Node, span: Span) -> Value {
        match &node.kind {
            NodeKind::String(text) => self.interpolate(text, span),
            NodeKind::Seq(items) => Value::literal(
                Data::List(
                    items
                        .iter()
                        .map(|i| self.eval(i))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                span,
            ),
            NodeKind::Map(entries) => {
                if let [(key, _)] = entries.as_slice()
                    && let Some(function) = key.as_str().and_then(|k| k.strip_prefix("fn::"))
                {
                    return if function == "secret" {
                        Value::literal(Data::Secret("fn::secret".into()), span)
                    } else if function == "toJSON"
                        && let [(_, argument)] = entries.as_slice()
                    {
                        // The JSON text of a value is that value, for every check rampart
                        // makes (a key policy is read as a document either way), placed
                        // on the `fn::toJSON` line.
                        Value {
                            span,
                            ..self.eval(argument)
                        }
                    } else if let [(_, argument)] = entries.as_slice()
                        && let Some(value) = self.builtin(function, argument, span)
                    {
                        value
                    } else {
                        Value::unknown(format!("fn::{function} is evaluated by Pulumi"), span)
                    };
                }
                Value::literal(
                    Data::Object(
                        entries
                            .iter()
                            .filter_map(|(k, v)| Some((snake_case(k.as_str()?), self.eval(v))))
                            .collect::<BTreeMap<_, _>>()
                            .into(),
                    ),
                    span,
                )
            }
            _ => crate::parse::document::to_value(node, self.file),
        }
    }

    /// The built-in functions that carry security-relevant values through a program:
    /// `fn::join`, `fn::select`, `fn::split`, `fn::toBase64`, `fn::fromBase64`. `None` for
    /// any other (`fn::invoke` and `fn::readFile` are Pulumi's to evaluate): unknown.
    fn builtin(&self, function: &str, argument: &Node, span: Span) -> Option<Value> {
        use base64::Engine as _;
        let arguments = || match &argument.kind {
            NodeKind::Seq(items) => Some(items.iter().map(|i| self.eval(i)).collect::<Vec<_>>()),
            _ => None,
        };
        let text = |value: &Value| value.as_str().map(str::to_string);
        Some(match function {
            "join" => {
                let [delimiter, items] = <[Value; 2]>::try_from(arguments()?).ok()?;
                let items = items.as_list()?.to_vec();
                if let Some(secret) = items.iter().find(|i| matches!(i.data, Data::Secret(_))) {
                    return Some(Value {
                        span,
                        ..secret.clone()
                    });
                }
                let parts: Option<Vec<String>> = items.iter().map(text).collect();
                match (text(&delimiter), parts) {
                    (Some(delimiter), Some(parts)) => {
                        let mut hops = Hops::default();
                        items.iter().for_each(|i| hops.add(i));
                        hops.build(Data::String(parts.join(&delimiter)), span)
                    }
                    _ => Value::unknown("fn::join of values not known", span),
                }
            }
            "select" => {
                let [index, items] = <[Value; 2]>::try_from(arguments()?).ok()?;
                let index = index
                    .as_number()
                    .filter(|n| *n >= 0.0 && n.fract() == 0.0)?;
                // The element keeps where it was written.
                items.as_list()?.get(index as usize)?.clone()
            }
            "split" => {
                let [delimiter, whole] = <[Value; 2]>::try_from(arguments()?).ok()?;
                let (delimiter, whole_text) = (text(&delimiter)?, text(&whole)?);
                let parts = whole_text
                    .split(delimiter.as_str())
                    .map(|part| Value {
                        data: Data::String(part.to_string()),
                        ..whole.clone()
                    })
                    .collect::<Vec<_>>()
                    .into();
                Value::literal(Data::List(parts), span)
            }
            "toBase64" | "fromBase64" => {
                let value = self.eval(argument);
                if matches!(value.data, Data::Secret(_)) {
                    return Some(value);
                }
                let input = text(&value)?;
                let output = if function == "toBase64" {
                    base64::engine::general_purpose::STANDARD.encode(input.as_bytes())
                } else {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(input.trim())
                        .ok()?;
                    String::from_utf8(bytes).ok()?
                };
                Value {
                    data: Data::String(output),
                    span,
                    ..value
                }
            }
            _ => return None,
        })
    }

    /// `${name}`, `${resource.property}`, `${config}` and text around them.
    fn interpolate(&self, text: &str, span: Span) -> Value {
        if !text.contains("${") {
            return Value::literal(Data::String(text.to_string()), span);
        }
        if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
            && !inner.contains("${")
        {
            return self.reference(inner, span);
        }
        let mut out = String::new();
        let mut hops = Hops::default();
        let mut rest = text;
        while let Some(open) = rest.find("${") {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                return Value::unknown("unterminated interpolation", span);
            };
            let value = self.reference(&rest[open + 2..open + close], span);
            match &value.data {
                Data::String(s) => out.push_str(s),
                Data::Number(n) => out.push_str(&crate::ir::format_number(*n)),
                Data::Secret(_) => return value,
                _ => return Value::unknown("interpolation of a value not known", span),
            }
            hops.add(&value);
            rest = &rest[open + close + 1..];
            if out.len() as u64 > self.budget.limit() {
                break;
            }
        }
        out.push_str(rest);
        if !self.budget.charge(out.len() as u64, span) {
            return Value::unknown(budget::SPENT, span);
        }
        hops.build(Data::String(out), span)
    }

    /// The value of a variable or config entry, evaluated once; `None` (with a notice) when
    /// it is part of a cycle.
    fn once(&self, key: String, use_span: Span, f: impl FnOnce() -> Value) -> Option<Value> {
        if let Some(cached) = self.cache.borrow().get(&key) {
            if !self.budget.charge_copy(cached, use_span) {
                return Some(Value::unknown(budget::SPENT, use_span));
            }
            return Some(cached.clone());
        }
        let value = match self.evaluating.run(&key, f) {
            Ok(value) => value,
            Err(cycle) => {
                self.notices.borrow_mut().push(Notice {
                    span: Some(use_span),
                    message: format!(
                        "values form a cycle ({cycle}); Pulumi rejects this program and its values are unknown here"
                    ),
                    kind: crate::parse::NoticeKind::Info,
                });
                return None;
            }
        };
        self.cache.borrow_mut().insert(key, value.clone());
        Some(value)
    }

    fn reference(&self, name: &str, span: Span) -> Value {
        let root = name.split(['.', '[']).next().unwrap_or(name);
        if self.resource_names.contains(root) {
            let attribute = name.strip_prefix(root).and_then(|r| r.strip_prefix('.'));
            return Value::literal(
                Data::Link(Link {
                    target: root.to_string(),
                    attribute: attribute.map(str::to_string),
                }),
                span,
            );
        }
        if let Some((key, node)) = self.variables.get(root).copied() {
            let Some(value) = self.once(format!("variable {root}"), span, || self.eval(node))
            else {
                return Value::unknown(format!("variable {root} refers to itself"), span);
            };
            return resolved(value, format!("variable {root}"), self.span(key), span);
        }
        let config_key = root.rsplit(':').next().unwrap_or(root);
        if let Some((key, node)) = self
            .config
            .get(root)
            .or_else(|| self.config.get(config_key))
            .copied()
        {
            let secret = node
                .get("secret")
                .is_some_and(|s| matches!(s.kind, NodeKind::Bool(true)));
            let default = node.get("default").or_else(|| node.get("value"));
            // `config: {name: literal}` sets the value directly.
            let entry = match (default, node.as_map()) {
                (Some(default), _) => default,
                (None, None) => node,
                (None, Some(_)) if secret => {
                    return Value::literal(Data::Secret(format!("secret config {root}")), span);
                }
                (None, Some(_)) => {
                    return Value::unknown(format!("config {root} is set per stack"), span);
                }
            };
            let Some(value) = self.once(format!("config {root}"), span, || self.eval(entry)) else {
                return Value::unknown(format!("config {root} refers to itself"), span);
            };
            return resolved(value, format!("config {root}"), self.span(key), span);
        }
        Value::unknown(format!("`{name}` is not known before the deployment"), span)
    }
}

fn resolved(value: Value, via: String, definition: Span, use_span: Span) -> Value {
    value.resolved_at(via, definition, use_span)
}
