//! CloudFormation front end: YAML and JSON templates (CDK output included) lowered into the
//! IR, with intrinsic functions, parameters, mappings and conditions resolved as
//! CloudFormation would resolve them with default parameter values.

pub(crate) mod aliases;

use crate::parse::document as node;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::ir::kinds::Shape;
use crate::ir::{
    Data, FileId, Format, Hop, Kind, Link, Origin, Project, Provenance, Resource, Span, Value,
};
use crate::parse::budget::{self, Budget};
use crate::parse::{Evaluating, FileError, Notice};

pub use node::{Node, NodeKind};

/// Parses a YAML document into a tree with byte spans (for tests and tools that read YAML
/// rampart ships, such as `action.yml`).
pub fn parse_yaml(text: &str) -> Result<Option<Node>, String> {
    node::parse_yaml(text).map_err(|e| format!("{} at byte {}", e.message, e.offset))
}

/// Unknown reason marking `AWS::NoValue`: the property is removed.
const NO_VALUE: &str = "AWS::NoValue";
/// Unknown reason marking the branch of an undecidable `Fn::If` that removes the property.
const REMOVED_IN_BRANCH: &str = "removed by AWS::NoValue in this branch";

/// Intrinsic functions CloudFormation defines, by long name.
const INTRINSICS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::If",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::GetAZs",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
    "Condition",
    // Rules-section functions: valid in templates, never known before deployment.
    "Fn::ValueOf",
    "Fn::ValueOfAll",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::Contains",
    "Fn::RefAll",
];

/// An intrinsic's argument. In the YAML short form (`!Base64 x`) the tag names the function
/// and the node's content is the argument; in the long form (`Fn::Base64: !Sub x`) the
/// key's whole value is, tag included.
#[derive(Clone, Copy)]
enum Argument<'a> {
    Content(&'a Node),
    Value(&'a Node),
}

impl<'a> Argument<'a> {
    fn node(self) -> &'a Node {
        match self {
            Argument::Content(node) | Argument::Value(node) => node,
        }
    }
}

/// `!Ref` -> `Ref`, `!GetAtt` -> `Fn::GetAtt`.
fn long_name(tag: &str) -> Option<&'static str> {
    let name = if tag == "Ref" || tag == "Condition" {
        tag.to_string()
    } else {
        format!("Fn::{tag}")
    };
    INTRINSICS.iter().copied().find(|i| *i == name)
}

/// A cheap look before parsing: could this file be a template at all?
pub fn may_be_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("Resources")
}

/// A parsed template, or `None` for YAML/JSON that is not a template (skipped silently).
pub struct Template {
    pub file: FileId,
    pub root: Node,
    /// Keys written twice in one map: where the second is, and what to say.
    duplicates: Vec<(Span, String)>,
    /// JSON, where every map and list is written on its key's line (`"Key": {`).
    json: bool,
}

pub fn parse_file(
    file: FileId,
    path: &str,
    text: &str,
    json: bool,
) -> Result<Option<Template>, FileError> {
    let error = |e: node::NodeError| FileError {
        path: path.to_string(),
        span: Some(Span::new(file, e.offset..e.offset)),
        message: e.message,
    };
    let parsed = if json {
        node::parse_json(text)
    } else {
        node::parse_yaml(text)
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        // A file that does not parse is reported only when it is clearly meant to be a
        // template; a broken Helm chart or workflow that happens to say `Resources` is not
        // ours to judge.
        Err(e) if looks_like_template(text) => return Err(error(e)),
        Err(_) => return Ok(None),
    };
    let Some(mut root) = parsed else {
        return Ok(None);
    };
    if !is_template(&root) {
        return Ok(None);
    }
    check_tags(&root).map_err(error)?;
    keep_number_text(&mut root, text);
    let duplicates = duplicate_keys(&root);
    // Line starts, found once: counting newlines per duplicate would be quadratic.
    let line_starts: Vec<usize> = if duplicates.is_empty() {
        Vec::new()
    } else {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let duplicates = duplicates
        .into_iter()
        .map(|(key, first)| {
            let line = line_starts.partition_point(|&start| start <= first);
            (
                Span::new(file, key.start..key.end),
                format!(
                    "duplicate key `{}` (first written on line {line}): which one applies is not defined; keep one",
                    key.as_str().unwrap_or_default()
                ),
            )
        })
        .collect();
    Ok(Some(Template {
        file,
        root,
        duplicates,
        json,
    }))
}

/// Strong signs of a template, for deciding whether a syntax error is worth reporting.
fn looks_like_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    // `Type: AWS::RDS::DBInstance` / `"Type": "AWS::RDS::DBInstance"`.
    text.match_indices("AWS::").any(|(at, _)| {
        let before = text[..at].trim_end_matches([' ', '\t', '"', '\'']);
        let before = before.strip_suffix(':').unwrap_or(before).trim_end();
        before.trim_end_matches(['"', '\'']).ends_with("Type")
    })
}

/// CloudFormation hands every parameter value to a template as a string (`Ref` to a
/// `Number` parameter is `"8.0"`), mapping values are strings or lists of strings, and some
/// properties are strings that look like numbers (`EngineVersion: 8.0`). YAML reads such
/// plain scalars as numbers and `8.0` would become `8`; keep the text as written.
fn keep_number_text(root: &mut Node, text: &str) {
    fn as_written(node: &mut Node, text: &str) {
        let written = match &node.kind {
            NodeKind::Number(n) => {
                let raw = text.get(node.start..node.end).unwrap_or_default().trim();
                if raw.parse::<f64>().ok() == Some(*n) {
                    raw.to_string()
                } else {
                    crate::ir::format_number(*n)
                }
            }
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Seq(_) => {
                if let NodeKind::Seq(items) = &mut node.kind {
                    items.iter_mut().for_each(|i| as_written(i, text));
                }
                return;
            }
            NodeKind::Map(_) => {
                if let NodeKind::Map(entries) = &mut node.kind {
                    entries.iter_mut().for_each(|(_, v)| as_written(v, text));
                }
                return;
            }
            _ => return,
        };
        if node.tag.is_none() {
            node.kind = NodeKind::String(written);
        }
    }
    let NodeKind::Map(sections) = &mut root.kind else {
        return;
    };
    for (key, section) in sections.iter_mut() {
        let NodeKind::Map(entries) = &mut section.kind else {
            continue;
        };
        match key.as_str() {
            Some("Parameters") => {
                for (_, parameter) in entries.iter_mut() {
                    if let NodeKind::Map(fields) = &mut parameter.kind {
                        for (name, value) in fields.iter_mut() {
                            if matches!(name.as_str(), Some("Default" | "AllowedValues")) {
                                as_written(value, text);
                            }
                        }
                    }
                }
            }
            Some("Mappings") => entries.iter_mut().for_each(|(_, m)| as_written(m, text)),
            Some("Resources") => {
                for (_, resource) in entries.iter_mut() {
                    let Some(properties) = resource_properties(resource) else {
                        continue;
                    };
                    for (name, value) in properties.iter_mut() {
                        if matches!(name.as_str(), Some("EngineVersion" | "MajorEngineVersion"))
                            && matches!(value.kind, NodeKind::Number(_))
                        {
                            as_written(value, text);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn resource_properties(resource: &mut Node) -> Option<&mut Vec<(Node, Node)>> {
    let NodeKind::Map(fields) = &mut resource.kind else {
        return None;
    };
    let (_, properties) = fields
        .iter_mut()
        .find(|(k, _)| k.as_str() == Some("Properties"))?;
    match &mut properties.kind {
        NodeKind::Map(entries) => Some(entries),
        _ => None,
    }
}

/// A template has `AWSTemplateFormatVersion`, or `Resources` whose entries have an
/// `AWS::` type. package.json, Kubernetes manifests and workflows have neither.
fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|resources| {
            resources.iter().any(|(_, resource)| {
                resource
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

/// Rejects tags that are not CloudFormation's short forms.
fn check_tags(node: &Node) -> Result<(), node::NodeError> {
    if let Some(tag) = &node.tag
        && long_name(tag).is_none()
    {
        let message = if tag.starts_with("Rain::") {
            // Rain source templates are not deployable until `rain pkg` expands them.
            format!(
                "`!{tag}` is a Rain packaging directive, not CloudFormation: scan the template that `rain pkg` writes"
            )
        } else {
            format!("unknown tag `!{tag}`")
        };
        return Err(node::NodeError {
            offset: node.start,
            message,
        });
    }
    match &node.kind {
        NodeKind::Seq(items) => items.iter().try_for_each(check_tags),
        NodeKind::Map(entries) => entries.iter().try_for_each(|(_, v)| check_tags(v)),
        _ => Ok(()),
    }
}

/// A lowered template: its project, what the user should know, and errors that did not stop
/// the rest of the template from being analysed (an exceeded work budget).
pub struct Lowered {
    pub project: Project,
    pub notices: Vec<Notice>,
    pub errors: Vec<FileError>,
}

/// Lowers a template into a project named after its file, within `budget`.
pub fn lower(
    name: String,
    path: &str,
    template: &Template,
    budget: &Budget,
) -> Result<Lowered, FileError> {
    let file = template.file;
    let span = |n: &Node| Span::new(file, n.start..n.end);
    let error = |node: &Node, message: String| FileError {
        path: path.to_string(),
        span: Some(span(node)),
        message,
    };
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        start: 0,
        end: 0,
        tag: None,
    };
    let section = |name: &str| template.root.get(name).unwrap_or(&empty);
    let resources = section("Resources");
    let Some(entries) = resources.as_map() else {
        return Err(error(
            resources,
            "`Resources` must be a map of logical ids to resources".into(),
        ));
    };
    let named = |section: &'_ Node| -> HashMap<String, usize> {
        let mut names = HashMap::new();
        for (index, (key, _)) in section.as_map().unwrap_or_default().iter().enumerate() {
            if let Some(name) = key.as_str() {
                names.entry(name.to_string()).or_insert(index);
            }
        }
        names
    };
    let mut context = Context {
        file,
        json: template.json,
        parameters: section("Parameters"),
        parameter_index: named(section("Parameters")),
        mappings: section("Mappings"),
        conditions: section("Conditions"),
        resource_ids: entries
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .filter(|k| !k.starts_with(FOR_EACH))
            .map(str::to_string)
            .collect(),
        evaluating: Evaluating::default(),
        decided: RefCell::new(HashMap::new()),
        budget,
        suppression_errors: RefCell::new(Vec::new()),
    };
    let mut notices = Vec::new();

    // `Fn::ForEach` loops (the AWS::LanguageExtensions transform) are expanded first, so
    // the resources they make can be referenced like any other.
    let is_loop = |key: &Node| key.as_str().is_some_and(|k| k.starts_with(FOR_EACH));
    let mut expansion_budget = MAX_EXPANDED_NODES;
    let mut expansions: Vec<Vec<(Node, Node)>> = Vec::new();
    for (key, value) in entries.iter().filter(|(k, _)| is_loop(k)) {
        let mut expanded = Vec::new();
        context
            .for_each(key, value, &mut expansion_budget, &mut expanded)
            .map_err(|(node, message)| error(&node, message))?;
        context.resource_ids.extend(
            expanded
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_string)),
        );
        expansions.push(expanded);
    }
    // Template order, each loop's resources where the loop is written.
    let mut loops = expansions.iter();
    let ordered: Vec<(&Node, &Node)> = entries
        .iter()
        .flat_map(|(key, value)| -> Vec<(&Node, &Node)> {
            if is_loop(key) {
                loops
                    .next()
                    .map(|expanded| expanded.iter().map(|(k, v)| (k, v)).collect())
                    .unwrap_or_default()
            } else {
                vec![(key, value)]
            }
        })
        .collect();

    let mut lowered = Vec::new();
    for (key, definition) in ordered {
        let Some(logical_id) = key.as_str() else {
            return Err(error(key, "a logical id must be a string".into()));
        };
        let header = span(key);
        let Some(type_node) = definition.get("Type") else {
            if let [(function, _)] = definition.as_map().unwrap_or_default()
                && function.as_str() == Some("Fn::Transform")
            {
                // AWS::Include: the resource's definition lives in a file in S3.
                notices.push(Notice {
                    span: Some(header),
                    message: format!(
                        "resource `{logical_id}` is given by `Fn::Transform` (AWS::Include) and was not analysed: its definition is not in this template"
                    ),
                    kind: crate::parse::NoticeKind::NotAnalysed,
                });
                continue;
            }
            return Err(error(key, format!("resource `{logical_id}` has no `Type`")));
        };
        let resource_type = match type_node.as_str() {
            Some(t) if type_node.tag.is_none() && !t.is_empty() => t,
            _ if type_node
                .as_map()
                .and_then(|m| m.first())
                .and_then(|(k, _)| k.as_str())
                .is_some_and(|k| k.starts_with("Rain::")) =>
            {
                return Err(error(
                    type_node,
                    format!(
                        "the `Type` of resource `{logical_id}` is a Rain packaging directive, not CloudFormation: scan the template that `rain pkg` writes"
                    ),
                ));
            }
            _ => {
                return Err(error(
                    type_node,
                    format!("the `Type` of resource `{logical_id}` must be a resource type name"),
                ));
            }
        };
        if let Some(condition) = definition.get("Condition").and_then(Node::as_str)
            && context.condition(condition) == Some(false)
        {
            continue; // not created with the default parameters
        }
        lowered.push(context.lower_resource(logical_id, resource_type, definition, header));
        if budget.is_spent() {
            break;
        }
    }
    let mut errors: Vec<FileError> = budget.error(|_| path.to_string()).into_iter().collect();
    for (span, message) in context.suppression_errors.take() {
        errors.push(FileError {
            path: path.to_string(),
            span: Some(span),
            message,
        });
    }
    for (span, message) in &template.duplicates {
        errors.push(FileError {
            path: path.to_string(),
            span: Some(*span),
            message: message.clone(),
        });
    }
    Ok(Lowered {
        project: Project {
            name,
            resources: lowered,
        },
        notices,
        errors,
    })
}

/// Keys written twice in one map, with the offset of the first: YAML forbids them and
/// parsers disagree on which one wins. Iterative, so no depth of nesting can overflow.
fn duplicate_keys(root: &Node) -> Vec<(&Node, usize)> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                let mut seen: HashMap<&str, usize> = HashMap::new();
                for (key, value) in entries {
                    if let Some(name) = key.as_str() {
                        match seen.get(name) {
                            Some(first) => found.push((key, *first)),
                            None => {
                                seen.insert(name, key.start);
                            }
                        }
                    }
                    stack.push(value);
                }
            }
            NodeKind::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    found.sort_by_key(|(key, _)| key.start);
    found
}

/// Prefix of a `Fn::ForEach::LoopName` key.
const FOR_EACH: &str = "Fn::ForEach::";
/// Nodes that `Fn::ForEach` expansion may create in one template.
const MAX_EXPANDED_NODES: usize = 200_000;

struct Context<'t> {
    file: FileId,
    /// The template is JSON (no block maps).
    json: bool,
    parameters: &'t Node,
    /// Parameter name -> index in `parameters`.
    parameter_index: HashMap<String, usize>,
    mappings: &'t Node,
    conditions: &'t Node,
    /// Logical ids of the template's resources (after `Fn::ForEach` expansion).
    resource_ids: HashSet<String>,
    /// Conditions being evaluated, to stop cycles.
    evaluating: Evaluating,
    /// Conditions already decided (each is evaluated once, however often it is named).
    decided: RefCell<HashMap<String, Option<bool>>>,
    budget: &'t Budget,
    /// Suppressions in `Metadata` that are malformed: where, and what is wrong.
    suppression_errors: RefCell<Vec<(Span, String)>>,
}

impl Context<'_> {
    fn span(&self, node: &Node) -> Span {
        Span::new(self.file, node.start..node.end)
    }

    fn is_resource(&self, name: &str) -> bool {
        self.resource_ids.contains(name)
    }

    fn parameter_node(&self, name: &str) -> Option<&Node> {
        let index = *self.parameter_index.get(name)?;
        self.parameters.as_map()?.get(index).map(|(_, v)| v)
    }

    /// Expands `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Fragment}]` into
    /// `(logical id, definition)` pairs; nested loops in the fragment expand too. A
    /// collection that is not known with default parameters makes nothing.
    fn for_each(
        &self,
        key: &Node,
        value: &Node,
        budget: &mut usize,
        out: &mut Vec<(Node, Node)>,
    ) -> Result<(), (Node, String)> {
        let malformed = || {
            (
                key.clone(),
                "`Fn::ForEach` takes [identifier, collection, {output key: fragment}]".to_string(),
            )
        };
        let [identifier, collection, fragment] = value.as_seq().ok_or_else(malformed)? else {
            return Err(malformed());
        };
        let identifier = identifier.as_str().ok_or_else(malformed)?;
        let fragment_entries = fragment.as_map().ok_or_else(malformed)?;
        let collection = self.eval(collection);
        let Some(items) = collection.as_list() else {
            return Ok(());
        };
        for item in items {
            let Some(item) = scalar_string(item) else {
                continue;
            };
            for (output_key, output_value) in fragment_entries {
                let cost = count_nodes(output_value) + 1;
                if cost > *budget {
                    return Err((
                        key.clone(),
                        format!(
                            "`Fn::ForEach` expands to more than {MAX_EXPANDED_NODES} nodes; refusing to expand"
                        ),
                    ));
                }
                *budget -= cost;
                let key = substitute(output_key, identifier, &item, true);
                let value = substitute(output_value, identifier, &item, false);
                if key.as_str().is_some_and(|k| k.starts_with(FOR_EACH)) {
                    self.for_each(&key, &value, budget, out)?;
                } else {
                    out.push((key, value));
                }
            }
        }
        Ok(())
    }

    fn lower_resource(
        &self,
        logical_id: &str,
        resource_type: &str,
        definition: &Node,
        header: Span,
    ) -> Resource {
        let properties = definition.get("Properties");
        let in_cluster = properties
            .and_then(|p| p.get("DBClusterIdentifier"))
            .is_some();
        let kind = match aliases::kind_of(resource_type) {
            Some(Kind::DbInstance) if in_cluster => Some(Kind::DbClusterInstance),
            other => other,
        };
        let mut attrs = BTreeMap::new();
        if let Some(entries) = properties.and_then(Node::as_map) {
            for (key, value) in entries {
                let Some(property) = key.as_str() else {
                    continue;
                };
                if property == "Tags" || property.starts_with(FOR_EACH) {
                    continue;
                }
                self.insert_property(resource_type, property, key.start, value, &mut attrs);
            }
        }
        // An undecidable `Fn::If` whose other branch is `AWS::NoValue`: that branch is the
        // property's default (or unknown when the schema has none).
        if let Some(kind) = kind {
            for (name, value) in attrs.iter_mut() {
                let Data::OneOf(branches) = &mut value.data else {
                    continue;
                };
                let default = kind
                    .schema()
                    .attrs
                    .iter()
                    .find(|a| a.name == name)
                    .and_then(|a| a.default.as_ref());
                for branch in branches.iter_mut() {
                    if let (true, Some(default)) = (is_removed_in_branch(branch), default) {
                        *branch = Value {
                            data: default.to_data(),
                            span: branch.span,
                            provenance: Provenance::Default,
                        };
                    }
                }
            }
        }
        // Without `SecurityGroupEgress`, EC2 adds an allow-all egress rule (Terraform and
        // Pulumi remove it; CloudFormation keeps it).
        if kind == Some(Kind::SecurityGroup) && !attrs.contains_key("egress") {
            let default = |data: Data| Value {
                data,
                span: header,
                provenance: Provenance::Default,
            };
            let mut rule = BTreeMap::new();
            rule.insert("protocol".to_string(), default(Data::String("-1".into())));
            rule.insert(
                "cidr_blocks".to_string(),
                default(Data::List(
                    (vec![default(Data::String("0.0.0.0/0".into()))]).into(),
                )),
            );
            attrs.insert(
                "egress".to_string(),
                default(Data::List(vec![default(Data::Object(rule.into()))].into())),
            );
        }
        // DeletionPolicy: Delete means no final snapshot. Absent, CloudFormation snapshots a
        // DB instance outside a cluster and a cluster (the schema default applies).
        if matches!(kind, Some(Kind::DbInstance | Kind::DbCluster))
            && let Some(policy) = definition.get("DeletionPolicy")
        {
            let value = self.eval(policy);
            let skips = |value: &Value| match &value.data {
                Data::String(p) => Some(Value {
                    data: Data::Bool(p == "Delete"),
                    ..value.clone()
                }),
                _ => None,
            };
            let skip = match &value.data {
                // `DeletionPolicy: !If [...]` on an undecidable condition.
                Data::OneOf(branches) => branches
                    .iter()
                    .map(skips)
                    .collect::<Option<Vec<_>>>()
                    .map(|branches| Value {
                        data: Data::OneOf(branches),
                        ..value.clone()
                    }),
                _ => skips(&value),
            };
            if let Some(skip) = skip {
                attrs.insert("skip_final_snapshot".to_string(), skip);
            }
        }
        let note = definition
            .get("Metadata")
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(Node::as_str)
            .map(str::to_string);
        let mut resource = Resource {
            kind,
            name: logical_id.to_string(),
            address: logical_id.to_string(),
            attrs,
            span: header,
            origin: Origin {
                program_position: None,
                format: Format::CloudFormation,
                native_type: resource_type.to_string(),
                note,
                call_chain: Vec::new(),
                ignores: self.declared_ignores(definition),
                unset: Default::default(),
            },
        };
        resource.apply_defaults();
        resource
    }

    /// `Metadata: {rampart: {ignore: [{id: ENC-001, reason: "...", until: 2026-12-31}]}}`.
    /// `Metadata: {rampart: {ignore: [{id, reason, until}, ...]}}`; an entry may also be a
    /// bare id (`- NET-001`), and `id: all` covers every policy. Any other form is an error
    /// at its place (recorded in `suppression_errors`), never a blanket suppression.
    fn declared_ignores(&self, definition: &Node) -> Vec<crate::ir::DeclaredIgnore> {
        let Some(rampart) = definition.get("Metadata").and_then(|m| m.get("rampart")) else {
            return Vec::new();
        };
        let fail = |node: &Node, message: String| {
            self.suppression_errors
                .borrow_mut()
                .push((self.span(node), message));
        };
        let Some(entries) = rampart.as_map() else {
            fail(
                rampart,
                "`Metadata.rampart` must be a map with an `ignore` list".into(),
            );
            return Vec::new();
        };
        let mut ignores = Vec::new();
        for (key, value) in entries {
            if key.as_str() != Some("ignore") {
                fail(
                    key,
                    format!(
                        "unknown key `{}` in `Metadata.rampart` (only `ignore` is read)",
                        key.as_str().unwrap_or("?")
                    ),
                );
                continue;
            }
            let Some(list) = value.as_seq() else {
                fail(
                    value,
                    "`Metadata.rampart.ignore` must be a list of suppressions".into(),
                );
                continue;
            };
            for entry in list {
                if let Some(ignore) = self.declared_ignore(entry, &fail) {
                    ignores.push(ignore);
                }
            }
        }
        ignores
    }

    fn declared_ignore(
        &self,
        entry: &Node,
        fail: &impl Fn(&Node, String),
    ) -> Option<crate::ir::DeclaredIgnore> {
        let id = |node: &Node| -> Option<Vec<String>> {
            let text = node.as_str().filter(|_| node.tag.is_none())?;
            if text.eq_ignore_ascii_case("all") {
                return Some(Vec::new());
            }
            crate::suppress::looks_like_id(text).then(|| vec![text.to_ascii_uppercase()])
        };
        if entry.as_map().is_none() {
            return match id(entry) {
                Some(ids) => Some(crate::ir::DeclaredIgnore {
                    ids,
                    reason: None,
                    until: None,
                    span: self.span(entry),
                }),
                None => {
                    fail(
                        entry,
                        "a suppression is a policy id (`- NET-001`), `all`, or a map with `id`, `reason` and `until`".into(),
                    );
                    None
                }
            };
        }
        let mut ids = None;
        let mut reason = None;
        let mut until = None;
        for (key, value) in entry.as_map().unwrap_or_default() {
            let scalar = || match &value.kind {
                NodeKind::String(s) if value.tag.is_none() => Some(s.clone()),
                _ => None,
            };
            match key.as_str() {
                Some("id") => match id(value) {
                    Some(found) => ids = Some(found),
                    None => {
                        fail(
                            value,
                            "`id` must be a policy id such as `NET-001`, or `all`".into(),
                        );
                        return None;
                    }
                },
                Some("reason") => match scalar() {
                    Some(text) => reason = Some(text),
                    None => {
                        fail(value, "`reason` must be text".into());
                        return None;
                    }
                },
                Some("until") => match scalar() {
                    Some(text) => until = Some(text),
                    None => {
                        fail(value, "`until` must be a date written YYYY-MM-DD".into());
                        return None;
                    }
                },
                other => {
                    fail(
                        key,
                        format!(
                            "unknown key `{}` in a suppression (use `id`, `reason`, `until`)",
                            other.unwrap_or("?")
                        ),
                    );
                    return None;
                }
            }
        }
        let Some(ids) = ids else {
            fail(
                entry,
                "a suppression without `id` names no policy: write `id: NET-001`, or `id: all` for every policy".into(),
            );
            return None;
        };
        Some(crate::ir::DeclaredIgnore {
            ids,
            reason,
            until,
            span: self.span(entry),
        })
    }

    /// Stores a property under its canonical name, normalising structure where
    /// CloudFormation's shape differs (parameter maps, security-group rules).
    fn insert_property(
        &self,
        resource_type: &str,
        property: &str,
        key_start: usize,
        node: &Node,
        attrs: &mut BTreeMap<String, Value>,
    ) {
        let rename = aliases::entry(resource_type, property);
        let name = rename.map_or_else(|| aliases::snake_case(property), |r| r.canonical.into());
        let shape = rename.map_or(Shape::AsWritten, |rename| rename.shape);
        if shape == Shape::NameValueList
            && node.tag.is_none()
            && let Some(entries) = node.as_map()
        {
            attrs.insert(name, self.parameters_list(node, entries));
            return;
        }
        let mut value = self.eval(node);
        if is_no_value(&value) {
            return;
        }
        // A YAML block map or list starts on the line after its key; the key's line is where
        // the property is, so that is where a finding about the whole value points. In JSON
        // the value's own `{` or `[` is on the key's line already.
        if !self.json
            && node.tag.is_none()
            && matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_))
        {
            value.span.start = value.span.start.min(key_start as u32);
        }
        match shape {
            Shape::ItemsNamedAs(kind) => {
                let items = match value.data {
                    Data::List(items) => Value {
                        data: Data::List(
                            std::sync::Arc::unwrap_or_clone(items)
                                .into_iter()
                                .map(|item| named_as(item, kind))
                                .collect::<Vec<_>>()
                                .into(),
                        ),
                        ..value
                    },
                    _ => value,
                };
                attrs.insert(name, items);
            }
            Shape::Field(field) => {
                let field = aliases::snake_case(field);
                if let Some(inner) = value.as_object().and_then(|o| o.get(&field)) {
                    attrs.insert(name, inner.clone());
                }
            }
            _ => {
                attrs.insert(name, shape.reshape(value));
            }
        }
    }

    /// `Parameters: {name: value}` -> `[{name, value}]`; the name keeps its key's span and
    /// the element the value's, so a finding lands on the parameter's line.
    fn parameters_list(&self, node: &Node, entries: &[(Node, Node)]) -> Value {
        let items = entries
            .iter()
            .filter_map(|(key, value)| {
                let name = key.as_str()?;
                let value = self.eval(value);
                if is_no_value(&value) {
                    return None;
                }
                let mut fields = BTreeMap::new();
                fields.insert(
                    "name".to_string(),
                    Value::literal(Data::String(name.to_string()), self.span(key)),
                );
                let span = value.span;
                fields.insert("value".to_string(), value);
                Some(Value::literal(Data::Object(fields.into()), span))
            })
            .collect::<Vec<_>>()
            .into();
        Value::literal(Data::List(items), self.span(node))
    }

    /// A literal node (a parameter default, a mapping value) as a value. CloudFormation
    /// evaluates no intrinsic function there; one that appears makes the value unknown.
    fn plain(&self, node: &Node, what: &str) -> Value {
        let span = self.span(node);
        if node.tag.is_some() || is_intrinsic_map(node) {
            return Value::unknown(format!("an intrinsic function in {what}"), span);
        }
        match &node.kind {
            NodeKind::Null => Value::literal(Data::Null, span),
            NodeKind::Bool(b) => Value::literal(Data::Bool(*b), span),
            NodeKind::Number(n) => Value::literal(Data::Number(*n), span),
            NodeKind::String(s) => string_value(s, span),
            NodeKind::Seq(items) => Value::literal(
                Data::List(
                    items
                        .iter()
                        .map(|i| self.plain(i, what))
                        .collect::<Vec<_>>()
                        .into(),
                ),
                span,
            ),
            NodeKind::Map(entries) => Value::literal(
                Data::Object(
                    entries
                        .iter()
                        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), self.plain(v, what))))
                        .collect::<BTreeMap<_, _>>()
                        .into(),
                ),
                span,
            ),
        }
    }

    /// Evaluates a node into a value, resolving intrinsics.
    fn eval(&self, node: &Node) -> Value {
        let span = self.span(node);
        if !self.budget.charge(budget::VALUE_UNITS, span) {
            return Value::unknown(budget::SPENT, span);
        }
        budget::deeper(|| self.eval_node(node, span))
    }

    fn eval_node(&self, node: &Node, span: Span) -> Value {
        if let Some(tag) = &node.tag
            && let Some(function) = long_name(tag)
        {
            return self.intrinsic(function, Argument::Content(node), span);
        }
        self.eval_content(node, span)
    }

    /// Evaluates a node's content, ignoring its tag (the short form's argument).
    fn eval_content(&self, node: &Node, span: Span) -> Value {
        match &node.kind {
            NodeKind::Null => Value::literal(Data::Null, span),
            NodeKind::Bool(b) => Value::literal(Data::Bool(*b), span),
            NodeKind::Number(n) => Value::literal(Data::Number(*n), span),
            NodeKind::String(s) => string_value(s, span),
            NodeKind::Seq(items) => {
                let values: Vec<Value> = items
                    .iter()
                    .map(|item| self.eval(item))
                    .filter(|v| !is_no_value(v))
                    .collect();
                combine(Data::List(values.clone().into()), &values, span)
            }
            NodeKind::Map(entries) => {
                if let [(key, argument)] = entries.as_slice()
                    && let Some(function) = key
                        .as_str()
                        .and_then(|k| INTRINSICS.iter().copied().find(|i| *i == k))
                {
                    return self.intrinsic(function, Argument::Value(argument), span);
                }
                let mut map = BTreeMap::new();
                let mut parts = Vec::new();
                for (key, value) in entries {
                    let Some(name) = key.as_str() else { continue };
                    let value = self.eval(value);
                    if is_no_value(&value) {
                        continue;
                    }
                    parts.push(value.clone());
                    map.insert(aliases::snake_case(name), value);
                }
                combine(Data::Object(map.into()), &parts, span)
            }
        }
    }

    fn eval_argument(&self, argument: Argument) -> Value {
        match argument {
            Argument::Content(node) => self.eval_content(node, self.span(node)),
            Argument::Value(node) => self.eval(node),
        }
    }

    fn intrinsic(&self, function: &str, whole: Argument, span: Span) -> Value {
        let argument = whole.node();
        match function {
            "Ref" => match argument.as_str() {
                Some(name) => self.reference(name, span),
                None => Value::unknown("Ref of a non-string", span),
            },
            "Fn::GetAtt" => {
                let (target, attribute) = match &argument.kind {
                    NodeKind::String(s) => match s.split_once('.') {
                        Some((t, a)) => (t.to_string(), Some(a.to_string())),
                        None => (s.clone(), None),
                    },
                    NodeKind::Seq(items) => (
                        items
                            .first()
                            .and_then(Node::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        items.get(1).and_then(Node::as_str).map(str::to_string),
                    ),
                    _ => return Value::unknown("malformed Fn::GetAtt", span),
                };
                if self.is_resource(&target) {
                    Value::literal(Data::Link(Link { target, attribute }), span)
                } else {
                    Value::unknown(format!("Fn::GetAtt of unknown resource {target}"), span)
                }
            }
            "Fn::Sub" => self.sub(argument, span),
            "Fn::Join" => {
                let Some([delimiter, list]) = argument
                    .as_seq()
                    .and_then(|s| <&[Node; 2]>::try_from(s).ok())
                else {
                    return Value::unknown("malformed Fn::Join", span);
                };
                let delimiter = self.eval(delimiter);
                let list_node = list;
                let list = self.eval(list_node);
                let parts = [delimiter.clone(), list.clone()];
                match (delimiter.as_str(), list.as_list()) {
                    (Some(d), Some(items)) => {
                        // Literal pieces join as written: a piece such as
                        // `{{resolve:secretsmanager:` is text here, not a secret yet.
                        let written: Vec<Option<&str>> = match &list_node.kind {
                            NodeKind::Seq(nodes) if nodes.len() == items.len() => nodes
                                .iter()
                                .map(|n| n.as_str().filter(|_| n.tag.is_none()))
                                .collect(),
                            _ => vec![None; items.len()],
                        };
                        let mut built = Built::default();
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                built.text.push_str(d);
                            }
                            match written[i] {
                                Some(text) => built.text.push_str(text),
                                None => built.push(item),
                            }
                        }
                        self.finish(built, &parts, span)
                    }
                    _ => Value::unknown("Fn::Join of values not known", span),
                }
            }
            "Fn::Select" => {
                let Some(items) = argument.as_seq().filter(|s| s.len() == 2) else {
                    return Value::unknown("malformed Fn::Select", span);
                };
                let index = self.eval(&items[0]);
                let list = self.eval(&items[1]);
                match (index.as_number(), list.as_list()) {
                    (Some(i), Some(values)) if i >= 0.0 => match values.get(i as usize) {
                        Some(v) => Value { span, ..v.clone() },
                        None => Value::unknown("Fn::Select index out of range", span),
                    },
                    _ => Value::unknown("Fn::Select of values not known", span),
                }
            }
            "Fn::Split" => {
                let Some(items) = argument.as_seq().filter(|s| s.len() == 2) else {
                    return Value::unknown("malformed Fn::Split", span);
                };
                let delimiter = self.eval(&items[0]);
                let text = self.eval(&items[1]);
                match (delimiter.as_str(), text.as_str()) {
                    (Some(d), Some(t)) if !d.is_empty() => {
                        if !self.budget.charge(t.len() as u64, span) {
                            return Value::unknown(budget::SPENT, span);
                        }
                        // Each part shares the text's provenance; the text itself is not
                        // copied per part.
                        let parts: Vec<Value> = t
                            .split(d)
                            .map(|p| Value {
                                data: Data::String(p.to_string()),
                                span: text.span,
                                provenance: text.provenance.clone(),
                            })
                            .collect();
                        combine(Data::List(parts.into()), std::slice::from_ref(&text), span)
                    }
                    _ => Value::unknown("Fn::Split of values not known", span),
                }
            }
            "Fn::FindInMap" => {
                let Some(items) = argument.as_seq().filter(|s| s.len() >= 3) else {
                    return Value::unknown("malformed Fn::FindInMap", span);
                };
                let keys: Vec<Value> = items[..3].iter().map(|k| self.eval(k)).collect();
                let names: Option<Vec<&str>> = keys.iter().map(Value::as_str).collect();
                let found = names.and_then(|n| self.mappings.get(n[0])?.get(n[1])?.get(n[2]));
                match found {
                    Some(node) => {
                        // Mapping values are literal strings and lists; no intrinsics.
                        let value = self.plain(node, "a mapping value");
                        if value.is_unknown() {
                            return Value { span, ..value };
                        }
                        let mut chain = vec![Hop {
                            via: "Mappings".into(),
                            span: value.span,
                        }];
                        if let Provenance::Resolved { chain: inner } = &value.provenance {
                            chain.extend(inner.iter().cloned());
                        }
                        for key in &keys {
                            if let Provenance::Resolved { chain: inner } = &key.provenance {
                                chain.extend(inner.iter().cloned());
                            }
                        }
                        Value {
                            data: value.data,
                            span,
                            provenance: Provenance::Resolved { chain },
                        }
                    }
                    None => Value::unknown("Fn::FindInMap keys not known", span),
                }
            }
            "Fn::If" => {
                let Some(items) = argument.as_seq().filter(|s| s.len() == 3) else {
                    return Value::unknown("malformed Fn::If", span);
                };
                let Some(name) = items[0].as_str() else {
                    return Value::unknown("malformed Fn::If", span);
                };
                match self.condition(name) {
                    Some(true) => self.eval(&items[1]),
                    Some(false) => self.eval(&items[2]),
                    None => {
                        // Undecidable: a policy fails only if it fails for every branch. A
                        // branch that removes the property keeps a marker, which becomes the
                        // schema default (or stays unknown) once the property's name is known.
                        let branches: Vec<Value> = [&items[1], &items[2]]
                            .into_iter()
                            .map(|n| {
                                let value = self.eval(n);
                                if is_no_value(&value) {
                                    Value::unknown(REMOVED_IN_BRANCH, value.span)
                                } else {
                                    value
                                }
                            })
                            .collect();
                        if branches.iter().all(is_removed_in_branch) {
                            return Value::unknown(NO_VALUE, span);
                        }
                        Value::literal(Data::OneOf(branches), span)
                    }
                }
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                match self.condition_value(function, argument) {
                    Some(b) => Value::literal(Data::Bool(b), span),
                    None => Value::unknown("condition not decidable", span),
                }
            }
            "Fn::Base64" => {
                let text = self.eval_argument(whole);
                match &text.data {
                    Data::String(s) => Value {
                        data: Data::String(base64(s.as_bytes())),
                        span,
                        provenance: text.provenance.clone(),
                    },
                    Data::Secret(_) => Value { span, ..text },
                    _ => Value::unknown("Fn::Base64 of a value not known", span),
                }
            }
            "Fn::Length" => {
                let list = self.eval_argument(whole);
                match list.as_list() {
                    Some(items) => combine(
                        Data::Number(items.len() as f64),
                        std::slice::from_ref(&list),
                        span,
                    ),
                    None => Value::unknown("Fn::Length of a list not known", span),
                }
            }
            // Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform, Fn::ToJsonString.
            other => Value::unknown(format!("{other} is not known before deployment"), span),
        }
    }

    /// `Ref` to a parameter (its default), a pseudo parameter (unknown) or a resource (a link).
    fn reference(&self, name: &str, span: Span) -> Value {
        if name == NO_VALUE {
            return Value::unknown(NO_VALUE, span);
        }
        if name.starts_with("AWS::") {
            return Value::unknown(format!("pseudo parameter {name}"), span);
        }
        if let Some(parameter) = self.parameter_node(name) {
            return self.parameter(name, parameter, span);
        }
        if self.is_resource(name) {
            return Value::literal(
                Data::Link(Link {
                    target: name.to_string(),
                    attribute: None,
                }),
                span,
            );
        }
        Value::unknown(format!("Ref to undefined {name}"), span)
    }

    fn parameter(&self, name: &str, parameter: &Node, span: Span) -> Value {
        let no_echo = parameter
            .get("NoEcho")
            .is_some_and(|n| matches!(&n.kind, NodeKind::Bool(true)) || n.as_str() == Some("true"));
        let parameter_type = parameter.get("Type").and_then(Node::as_str).unwrap_or("");
        if parameter_type.starts_with("AWS::SSM::Parameter::Value<") {
            // The default names a Systems Manager parameter; its value is read at deploy time.
            return Value::unknown(
                format!("parameter {name} is read from Systems Manager"),
                span,
            );
        }
        let Some(default) = parameter.get("Default") else {
            return if no_echo {
                Value::literal(Data::Secret(format!("NoEcho parameter {name}")), span)
            } else {
                Value::unknown(format!("parameter {name} has no default"), span)
            };
        };
        // A default is a literal: CloudFormation evaluates no intrinsic inside it.
        let mut value = self.plain(default, "a parameter default");
        if value.is_unknown() {
            return Value { span, ..value };
        }
        let list_type =
            parameter_type.starts_with("List<") || parameter_type == "CommaDelimitedList";
        if list_type && let Some(text) = value.as_str() {
            let items = text
                .split(',')
                .map(|p| Value::literal(Data::String(p.trim().to_string()), value.span))
                .collect::<Vec<_>>()
                .into();
            value.data = Data::List(items);
        }
        let hop = Hop {
            via: format!("parameter {name} (Default)"),
            span: value.span,
        };
        let mut chain = vec![hop];
        if let Provenance::Resolved { chain: inner } = value.provenance {
            chain.extend(inner);
        }
        Value {
            data: value.data,
            span,
            provenance: Provenance::Resolved { chain },
        }
    }

    fn sub(&self, argument: &Node, span: Span) -> Value {
        let (template, variables) = match &argument.kind {
            NodeKind::String(s) => (s.clone(), None),
            NodeKind::Seq(items) if !items.is_empty() => match items[0].as_str() {
                Some(s) => (s.to_string(), items.get(1)),
                None => return Value::unknown("malformed Fn::Sub", span),
            },
            _ => return Value::unknown("malformed Fn::Sub", span),
        };
        let mut built = Built::default();
        let mut parts = Vec::new();
        let mut rest = template.as_str();
        while let Some(open) = rest.find("${") {
            built.text.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find('}') else {
                built.text.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = after[..close].trim();
            rest = &after[close + 1..];
            if let Some(literal) = after[..close].strip_prefix('!') {
                built.text.push_str("${");
                built.text.push_str(literal);
                built.text.push('}');
                continue;
            }
            let value = match variables.and_then(|v| v.get(name)) {
                Some(node) => self.eval(node),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if self.is_resource(resource) => Value::literal(
                        Data::Link(Link {
                            target: resource.to_string(),
                            attribute: Some(attribute.to_string()),
                        }),
                        span,
                    ),
                    _ => self.reference(name, span),
                },
            };
            built.push(&value);
            parts.push(value);
        }
        built.text.push_str(rest);
        self.finish(built, &parts, span)
    }

    /// Evaluates a named condition with default parameters; `None` when undecidable.
    fn condition(&self, name: &str) -> Option<bool> {
        if let Some(known) = self.decided.borrow().get(name) {
            return *known;
        }
        let node = self.conditions.get(name)?;
        // A cycle: CloudFormation rejects it, we cannot decide it.
        let result = self
            .evaluating
            .run(name, || self.condition_node(node))
            .ok()?;
        self.decided.borrow_mut().insert(name.to_string(), result);
        result
    }

    /// A built string, charged to the budget byte for byte.
    fn finish(&self, built: Built, parts: &[Value], span: Span) -> Value {
        if !self.budget.charge(built.text.len() as u64, span) {
            return Value::unknown(budget::SPENT, span);
        }
        built.finish(parts, span)
    }

    fn condition_node(&self, node: &Node) -> Option<bool> {
        if !self.budget.charge(budget::VALUE_UNITS, self.span(node)) {
            return None;
        }
        budget::deeper(|| self.condition_node_inner(node))
    }

    fn condition_node_inner(&self, node: &Node) -> Option<bool> {
        if let Some(tag) = &node.tag {
            return self.condition_value(long_name(tag)?, node);
        }
        match &node.kind {
            NodeKind::Map(entries) if entries.len() == 1 => {
                let function = entries[0].0.as_str()?;
                self.condition_value(function, &entries[0].1)
            }
            NodeKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn condition_value(&self, function: &str, argument: &Node) -> Option<bool> {
        match function {
            "Condition" => self.condition(argument.as_str()?),
            "Fn::Equals" => {
                let items = argument.as_seq().filter(|s| s.len() == 2)?;
                let a = self.eval(&items[0]);
                let b = self.eval(&items[1]);
                Some(scalar_string(&a)? == scalar_string(&b)?)
            }
            "Fn::Not" => {
                let items = argument.as_seq()?;
                Some(!self.condition_node(items.first()?)?)
            }
            "Fn::And" | "Fn::Or" => {
                let items = argument.as_seq()?;
                let values: Vec<Option<bool>> =
                    items.iter().map(|i| self.condition_node(i)).collect();
                let and = function == "Fn::And";
                if values.contains(&Some(!and)) {
                    return Some(!and);
                }
                if values.iter().all(Option::is_some) {
                    Some(and)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// A string is a secret when it is a dynamic reference to a secret store.
fn string_value(text: &str, span: Span) -> Value {
    if is_secret_reference(text) {
        return Value::literal(Data::Secret("dynamic reference".into()), span);
    }
    if text.contains("{{resolve:") {
        return Value::unknown("dynamic reference", span);
    }
    Value::literal(Data::String(text.to_string()), span)
}

fn scalar_string(value: &Value) -> Option<String> {
    match &value.data {
        Data::String(s) => Some(s.clone()),
        Data::Number(n) => Some(crate::ir::format_number(*n)),
        Data::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string built from parts (`Fn::Sub`, `Fn::Join`): the known text with a stand-in for
/// every part that is not known, so a dynamic reference to a secret store is recognised
/// even when the secret's id is a reference (`{{resolve:secretsmanager:${Secret}:...}}`).
#[derive(Default)]
struct Built {
    text: String,
    unknown: bool,
    secret: bool,
    /// The first reference to a template resource among the parts (the secret a dynamic
    /// reference names through `${Secret}`).
    link: Option<Link>,
}

impl Built {
    fn push(&mut self, value: &Value) {
        match scalar_string(value) {
            Some(text) => self.text.push_str(&text),
            None => {
                match &value.data {
                    Data::Secret(_) => self.secret = true,
                    Data::Link(link) if self.link.is_none() => {
                        self.link = Some(link.clone());
                        self.unknown = true;
                    }
                    _ => self.unknown = true,
                }
                self.text.push('\u{1}');
            }
        }
    }

    fn finish(self, parts: &[Value], span: Span) -> Value {
        if is_secret_reference(&self.text) {
            // `{{resolve:secretsmanager:${Secret}:...}}` reads that secret of the template:
            // the database is linked to it (its rotation and key then apply); a link is
            // never a literal.
            if let Some(link) = self.link
                && self.text.contains("{{resolve:secretsmanager:\u{1}")
            {
                return Value::literal(
                    Data::Link(Link {
                        target: link.target,
                        attribute: None,
                    }),
                    span,
                );
            }
            return Value::literal(Data::Secret("dynamic reference".into()), span);
        }
        if self.secret {
            return Value::literal(Data::Secret("built from a secret".into()), span);
        }
        if self.unknown {
            return Value::unknown("built from values not known", span);
        }
        let value = string_value(&self.text, span);
        match value.data {
            Data::String(_) => combine(value.data, parts, span),
            _ => value,
        }
    }
}

/// Standard base64 with padding, as `Fn::Base64` encodes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn is_secret_reference(text: &str) -> bool {
    text.contains("{{resolve:secretsmanager:") || text.contains("{{resolve:ssm-secure:")
}

fn is_no_value(value: &Value) -> bool {
    matches!(&value.data, Data::Unknown(reason) if reason == NO_VALUE)
}

fn is_removed_in_branch(value: &Value) -> bool {
    matches!(&value.data, Data::Unknown(reason) if reason == REMOVED_IN_BRANCH)
}

/// `{"Ref": ...}`, `{"Fn::Sub": ...}`: a one-key map naming an intrinsic function.
fn is_intrinsic_map(node: &Node) -> bool {
    matches!(node.as_map(), Some([(key, _)]) if key.as_str().is_some_and(|k| INTRINSICS.contains(&k)))
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(count_nodes).sum(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| count_nodes(k) + count_nodes(v))
            .sum(),
        _ => 0,
    }
}

/// A copy of a `Fn::ForEach` fragment for one item: `${Identifier}` replaced in strings
/// (`&{Identifier}` too in keys, with the item's non-alphanumeric characters dropped) and
/// `Ref: Identifier` replaced by the item. Spans stay those of the fragment.
fn substitute(node: &Node, identifier: &str, item: &str, is_key: bool) -> Node {
    let placeholder = format!("${{{identifier}}}");
    let replace = |text: &str, is_key: bool| {
        let mut text = text.replace(&placeholder, item);
        if is_key {
            let alphanumeric: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
            text = text.replace(&format!("&{{{identifier}}}"), &alphanumeric);
        }
        text
    };
    let is_ref_to_identifier = match (&node.tag, &node.kind) {
        (Some(tag), NodeKind::String(s)) => tag == "Ref" && s == identifier,
        (None, NodeKind::Map(entries)) => matches!(
            entries.as_slice(),
            [(key, value)] if key.as_str() == Some("Ref") && value.as_str() == Some(identifier)
                && value.tag.is_none()
        ),
        _ => false,
    };
    let kind = if is_ref_to_identifier {
        return Node {
            kind: NodeKind::String(item.to_string()),
            tag: None,
            ..node.clone()
        };
    } else {
        match &node.kind {
            NodeKind::String(s) => NodeKind::String(replace(s, is_key)),
            NodeKind::Seq(items) => NodeKind::Seq(
                items
                    .iter()
                    .map(|i| substitute(i, identifier, item, false))
                    .collect(),
            ),
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            substitute(k, identifier, item, true),
                            substitute(v, identifier, item, false),
                        )
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    };
    Node {
        kind,
        start: node.start,
        end: node.end,
        tag: node.tag.clone(),
    }
}

fn combine(data: Data, parts: &[Value], span: Span) -> Value {
    Value::combined(data, parts, span)
}

/// An inline object (its keys already snake_case) with the field names and shapes of the
/// attributes of `kind`: a security group's inline rule `{IpProtocol, CidrIp, ...}` named as
/// a rule resource.
fn named_as(item: Value, kind: Kind) -> Value {
    let Data::Object(fields) = item.data else {
        return item;
    };
    let mut out = BTreeMap::new();
    for (name, value) in std::sync::Arc::unwrap_or_clone(fields) {
        match aliases::entry_of_field(kind, &name) {
            Some(rename) => {
                out.insert(rename.canonical.to_string(), rename.shape.reshape(value));
            }
            None => {
                out.insert(name, value);
            }
        }
    }
    Value {
        data: Data::Object(out.into()),
        ..item
    }
}
