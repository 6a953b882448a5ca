//! Pulumi: what the engine deploys, whatever language wrote the program. Reads stack
//! exports (`pulumi stack export`), `pulumi preview --json` and Pulumi YAML programs.
//! Type tokens map to Terraform provider types (Pulumi AWS is generated from it) and
//! camelCase properties to the Terraform names, so the Terraform alias table is shared.

pub(crate) mod yaml;

use std::collections::{BTreeMap, HashMap};

use crate::ir::{
    Data, FileId, Format, Hop, Link, Origin, Project, Provenance, Resource, Span, Value,
};
use crate::parse::FileError;
use crate::parse::document::{self, Node, NodeKind};
use crate::parse::terraform::aliases;

/// Pulumi's marker of a secret value in state.
const SECRET_SIGNATURE: &str = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE: &str = "1b47061264138c4ac30d75fd1eb44270";
/// Pulumi's marker of a value not known until the deployment.
const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// What kind of Pulumi document a JSON file is.
pub enum Document {
    StackExport(Node),
    Preview(Node),
}

pub fn may_be_pulumi_json(text: &str) -> bool {
    (text.contains("\"deployment\"") && text.contains("\"resources\""))
        || (text.contains("\"steps\"") && text.contains("\"urn\""))
}

pub fn parse_json(file: FileId, path: &str, text: &str) -> Result<Option<Document>, FileError> {
    let root = document::parse_json(text).map_err(|e| FileError {
        path: path.to_string(),
        span: Some(Span::new(file, e.offset..e.offset)),
        message: e.message,
    })?;
    let Some(root) = root else { return Ok(None) };
    if root
        .get("deployment")
        .and_then(|d| d.get("resources"))
        .is_some()
    {
        return Ok(Some(Document::StackExport(root)));
    }
    if root
        .get("steps")
        .and_then(Node::as_seq)
        .is_some_and(|steps| steps.iter().all(|s| s.get("urn").is_some()))
    {
        return Ok(Some(Document::Preview(root)));
    }
    Ok(None)
}

/// `aws:rds/instance:Instance` or `aws:rds:Instance` -> the Terraform type it wraps.
pub fn terraform_type(token: &str) -> Option<&'static str> {
    let mut parts = token.split(':');
    let (provider, module, member) = (parts.next()?, parts.next()?, parts.next()?);
    if provider != "aws" {
        return None;
    }
    let module = module.split('/').next()?;
    // The table of kinds (`ir/kinds.rs`) names each Pulumi type's Terraform type.
    crate::ir::Kind::of_pulumi(module, member)?
        .terraform_types()
        .first()
        .copied()
}

pub use crate::parse::snake_case;

/// A resource as the engine describes it.
struct Engine<'n> {
    urn: &'n Node,
    resource_type: &'n str,
    inputs: Option<&'n Node>,
    outputs: Option<&'n Node>,
    property_dependencies: Option<&'n Node>,
    source_position: Option<&'n str>,
}

pub fn lower(name: String, file: FileId, document: &Document) -> Project {
    let mut engine = Vec::new();
    match document {
        Document::StackExport(root) => {
            for resource in root
                .get("deployment")
                .and_then(|d| d.get("resources"))
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                if let Some(r) = engine_resource(resource) {
                    engine.push(r);
                }
            }
        }
        Document::Preview(root) => {
            for step in root.get("steps").and_then(Node::as_seq).unwrap_or(&[]) {
                let op = step.get("op").and_then(Node::as_str).unwrap_or("");
                if matches!(
                    op,
                    "delete" | "discard" | "read-discard" | "remove-pending-replace"
                ) {
                    continue;
                }
                if let Some(r) = step.get("newState").and_then(engine_resource) {
                    engine.push(r);
                }
            }
        }
    }

    // Ids, ARNs and names in outputs, for links written as plain strings.
    let mut identities: HashMap<String, String> = HashMap::new();
    for r in &engine {
        let urn = r.urn.as_str().unwrap_or_default().to_string();
        for key in ["id", "arn", "name"] {
            if let Some(value) = r.outputs.and_then(|o| o.get(key)).and_then(Node::as_str)
                && value != UNKNOWN
                && !value.is_empty()
            {
                identities
                    .entry(value.to_string())
                    .or_insert_with(|| urn.clone());
            }
        }
    }

    let resources = engine
        .iter()
        .filter_map(|r| {
            let terraform = terraform_type(r.resource_type)?;
            let header = Span::new(file, r.urn.start..r.urn.end);
            let urn = r.urn.as_str().unwrap_or_default().to_string();
            let mut attrs = BTreeMap::new();
            let defaults: Vec<&str> = r
                .inputs
                .and_then(|i| i.get("__defaults"))
                .and_then(Node::as_seq)
                .map(|d| d.iter().filter_map(Node::as_str).collect())
                .unwrap_or_default();
            // Outputs first, inputs over them: what the program asked for wins.
            for (source, is_input) in [(r.outputs, false), (r.inputs, true)] {
                for (key, node) in source.and_then(Node::as_map).unwrap_or(&[]) {
                    let Some(key) = key.as_str() else { continue };
                    if key.starts_with("__") {
                        continue;
                    }
                    let mut value = convert(node, file);
                    if matches!(value.data, Data::Null) {
                        continue;
                    }
                    if !is_input || defaults.contains(&key) {
                        value.provenance = Provenance::Default;
                    }
                    let (canonical, value) = aliases::canonical(terraform, &snake_case(key), value);
                    attrs.insert(canonical, value);
                }
            }
            link_dependencies(r, terraform, &identities, &mut attrs);
            let name = urn.rsplit("::").next().unwrap_or_default().to_string();
            let mut resource = Resource {
                kind: aliases::kind_of(terraform),
                name,
                address: urn,
                attrs,
                span: header,
                origin: Origin {
                    format: Format::Pulumi,
                    native_type: r.resource_type.to_string(),
                    note: r.source_position.map(str::to_string),
                    program_position: r.source_position.and_then(source_position),
                    call_chain: Vec::new(),
                    ignores: Vec::new(),
                    unset: Default::default(),
                },
            };
            resource.apply_defaults();
            Some(resource)
        })
        .collect();
    Project { name, resources }
}

fn engine_resource(resource: &Node) -> Option<Engine<'_>> {
    Some(Engine {
        urn: resource.get("urn")?,
        resource_type: resource.get("type")?.as_str()?,
        inputs: resource.get("inputs"),
        outputs: resource.get("outputs"),
        property_dependencies: resource.get("propertyDependencies"),
        source_position: resource.get("sourcePosition").and_then(Node::as_str),
    })
}

/// Engine JSON into a value: secrets and the unknown sentinel recognised, keys of nested
/// objects converted to Terraform names.
fn convert(node: &Node, file: FileId) -> Value {
    let span = Span::new(file, node.start..node.end);
    match &node.kind {
        NodeKind::String(s) if s == UNKNOWN => Value::unknown("known after the deployment", span),
        NodeKind::String(s) if s == "[secret]" => {
            Value::literal(Data::Secret("Pulumi secret".into()), span)
        }
        NodeKind::Map(_)
            if node.get(SECRET_SIGNATURE).and_then(Node::as_str) == Some(SECRET_VALUE) =>
        {
            Value::literal(Data::Secret("Pulumi secret".into()), span)
        }
        NodeKind::Seq(items) => Value::literal(
            Data::List(
                items
                    .iter()
                    .map(|i| convert(i, file))
                    .collect::<Vec<_>>()
                    .into(),
            ),
            span,
        ),
        NodeKind::Map(entries) => Value::literal(
            Data::Object(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((snake_case(k.as_str()?), convert(v, file))))
                    .collect::<BTreeMap<_, _>>()
                    .into(),
            ),
            span,
        ),
        _ => document::to_value(node, file),
    }
}

/// `propertyDependencies` name the resources a property came from; plain strings that are
/// another resource's id, ARN or name are links too.
fn link_dependencies(
    r: &Engine,
    terraform: &str,
    identities: &HashMap<String, String>,
    attrs: &mut BTreeMap<String, Value>,
) {
    let mut linked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, urns) in r
        .property_dependencies
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        let Some(key) = key.as_str() else { continue };
        let urns: Vec<String> = urns
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect();
        let snake = snake_case(key);
        let canonical = aliases::rename(terraform, &snake)
            .map(str::to_string)
            .unwrap_or(snake);
        linked.insert(canonical, urns);
    }
    for (name, value) in attrs.iter_mut() {
        // Only attributes that hold references; an engine name equal to some id is not one.
        let is_reference = ["_id", "_ids", "_arn", "_group_name"]
            .iter()
            .any(|suffix| name.ends_with(suffix));
        if !is_reference && !linked.contains_key(name) {
            continue;
        }
        let to_link = |v: &Value, fallback: Option<&String>| -> Option<Value> {
            let target = match &v.data {
                Data::String(s) => identities.get(s).cloned(),
                Data::Unknown(_) => fallback.cloned(),
                _ => None,
            }?;
            Some(Value {
                data: Data::Link(Link {
                    target,
                    attribute: None,
                }),
                span: v.span,
                provenance: v.provenance.clone(),
            })
        };
        let dependencies = linked.get(name);
        match &mut value.data {
            Data::List(items) => {
                for (i, item) in std::sync::Arc::make_mut(items).iter_mut().enumerate() {
                    if let Some(link) = to_link(item, dependencies.and_then(|d| d.get(i))) {
                        *item = link;
                    }
                }
            }
            _ => {
                if let Some(link) = to_link(value, dependencies.and_then(|d| d.first())) {
                    *value = link;
                }
            }
        }
    }
}

/// `project:///index.ts#41,12` -> (`index.ts`, 41, 12), for programs inside the project.
pub fn source_position(text: &str) -> Option<crate::ir::ProgramPosition> {
    let rest = text.strip_prefix("project:///")?;
    let (path, position) = rest.rsplit_once('#')?;
    if path.contains("node_modules/") {
        return None;
    }
    // A program file is inside the project: never an absolute path, `..` or a drive.
    let inside = std::path::Path::new(path)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside || path.contains('\\') || path.contains(':') {
        return None;
    }
    let (line, column) = position.split_once(',')?;
    Some(crate::ir::ProgramPosition {
        path: path.to_string(),
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// Re-points findings' resources at the program line when the program file is scanned:
/// every attribute's span moves there, and the JSON property becomes a related location.
pub fn place_on_program(resource: &mut Resource, program: Span) {
    for value in resource.attrs.values_mut() {
        let hop = Hop {
            via: "the property in the Pulumi state".to_string(),
            span: value.span,
        };
        value.provenance = match std::mem::replace(&mut value.provenance, Provenance::Literal) {
            Provenance::Resolved { mut chain } => {
                chain.insert(0, hop);
                Provenance::Resolved { chain }
            }
            Provenance::Default => Provenance::Default,
            _ => Provenance::Resolved { chain: vec![hop] },
        };
        respan(value, program);
    }
    resource.span = program;
}

fn respan(value: &mut Value, span: Span) {
    value.span = span;
    match &mut value.data {
        Data::List(items) => std::sync::Arc::make_mut(items)
            .iter_mut()
            .for_each(|i| respan(i, span)),
        Data::OneOf(items) => items.iter_mut().for_each(|i| respan(i, span)),
        Data::Object(fields) => std::sync::Arc::make_mut(fields)
            .values_mut()
            .for_each(|f| respan(f, span)),
        _ => {}
    }
}
