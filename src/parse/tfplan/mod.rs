//! Terraform plan and state JSON (`terraform show -json`): every variable, module and
//! `count` already resolved by Terraform. Values come from `resource_changes[].change.after`
//! (with `after_unknown` as unknown and `after_sensitive` as secret), else from
//! `planned_values` or a state's `values`. Links come from `configuration` references, so
//! an instance reaches its parameter group, security groups and key even when their ids
//! are unknown until apply. When the `.tf` sources are scanned too, values are placed on
//! the attribute in the `.tf` file, with the plan as a related location.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Data, FileId, Format, Hop, Link, Origin, Project, Resource, Span, Value};
use crate::parse::FileError;
use crate::parse::document::{self, Node, NodeKind};
use crate::parse::terraform::aliases;

/// A cheap look before parsing: could this file be a plan or state?
pub fn may_be_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"")
            || text.contains("\"resource_changes\"")
            || text.contains("\"values\""))
}

fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("values").is_some())
}

/// Parses a plan or state; `None` if the JSON is not one.
pub fn parse_file(file: FileId, path: &str, text: &str) -> Result<Option<Node>, FileError> {
    let root = document::parse_json(text).map_err(|e| FileError {
        path: path.to_string(),
        span: Some(Span::new(file, e.offset..e.offset)),
        message: e.message,
    })?;
    Ok(root.filter(is_plan))
}

/// One resource as the plan describes it.
struct Planned<'n> {
    address: String,
    resource_type: String,
    name: String,
    values: &'n Node,
    unknown: Option<&'n Node>,
    sensitive: Option<&'n Node>,
    header: &'n Node,
}

/// Lowers a plan, every resource at its place in the plan ([`place_on_sources`] moves
/// them onto the `.tf` files that declare them).
pub fn lower(name: String, file: FileId, root: &Node) -> Project {
    let mut planned = Vec::new();
    if let Some(changes) = root.get("resource_changes").and_then(Node::as_seq) {
        for change in changes {
            if change.get("mode").and_then(Node::as_str) != Some("managed") {
                continue;
            }
            let Some(details) = change.get("change") else {
                continue;
            };
            let actions: Vec<&str> = details
                .get("actions")
                .and_then(Node::as_seq)
                .map(|a| a.iter().filter_map(Node::as_str).collect())
                .unwrap_or_default();
            if actions == ["delete"] {
                continue;
            }
            let Some(after) = details.get("after").filter(|a| a.as_map().is_some()) else {
                continue;
            };
            if let Some(resource) = planned_resource(change, after, details) {
                planned.push(resource);
            }
        }
    } else {
        let module = root
            .get("planned_values")
            .or_else(|| root.get("values"))
            .and_then(|v| v.get("root_module"));
        if let Some(module) = module {
            collect_module(module, &mut planned);
        }
    }

    let config_resources = configuration_resources(root);
    let references = configuration_references(&config_resources);
    let configured = configured_arguments(root, &config_resources);
    let addresses: BTreeMap<String, String> = planned
        .iter()
        .map(|p| (strip_indexes(&p.address), p.address.clone()))
        .collect();
    let resources = planned
        .iter()
        .map(|p| {
            let header = Span::new(file, p.header.start..p.header.end);
            // With the configuration in the plan, an argument it does not set is unset:
            // "known after apply" then only means AWS picks its default (an unset
            // `parameter_group_name` is the engine's default group), which is known here.
            let written = configured.get(&strip_indexes(&p.address));
            let unset = |key: &str| written.is_some_and(|w| !w.contains_key(key));
            let mut attrs = BTreeMap::new();
            if let Some(entries) = p.values.as_map() {
                for (key, node) in entries {
                    let Some(key) = key.as_str() else { continue };
                    let unknown = p.unknown.and_then(|u| u.get(key));
                    if unset(key) && unknown.is_some_and(|u| matches!(u.kind, NodeKind::Bool(true)))
                    {
                        continue;
                    }
                    // A literal the configuration writes is no secret to its author, even
                    // when the provider marks the argument sensitive (a password).
                    let constant = written.and_then(|w| w.get(key)).copied().flatten();
                    let sensitive = p
                        .sensitive
                        .and_then(|s| s.get(key))
                        .filter(|_| constant.is_none());
                    let value = convert(node, unknown, sensitive, file);
                    if matches!(value.data, Data::Null) {
                        continue; // unset: the schema default applies
                    }
                    let (canonical, value) = aliases::canonical(&p.resource_type, key, value);
                    attrs.insert(canonical, value);
                }
            }
            // Unknown-until-apply values left unset in `after` but marked unknown.
            if let Some(entries) = p.unknown.and_then(Node::as_map) {
                for (key, flag) in entries {
                    let Some(key) = key.as_str() else { continue };
                    let canonical = aliases::rename(&p.resource_type, key).unwrap_or(key);
                    if matches!(flag.kind, NodeKind::Bool(true))
                        && !unset(key)
                        && !attrs.contains_key(canonical)
                    {
                        attrs.insert(
                            canonical.to_string(),
                            Value::unknown("known after apply", header),
                        );
                    }
                }
            }
            link_references(p, &references, &addresses, &mut attrs);
            let mut resource = Resource {
                kind: aliases::kind_of(&p.resource_type),
                name: p.name.clone(),
                address: p.address.clone(),
                attrs,
                span: header,
                origin: Origin {
                    program_position: None,
                    format: Format::Terraform,
                    native_type: p.resource_type.clone(),
                    note: None,
                    call_chain: Vec::new(),
                    ignores: Vec::new(),
                    unset: Default::default(),
                },
            };
            resource.apply_defaults();
            resource
        })
        .collect();
    Project { name, resources }
}

fn planned_resource<'n>(
    change: &'n Node,
    after: &'n Node,
    details: &'n Node,
) -> Option<Planned<'n>> {
    let address_node = change.get("address")?;
    Some(Planned {
        address: address_node.as_str()?.to_string(),
        resource_type: change.get("type")?.as_str()?.to_string(),
        name: change.get("name")?.as_str()?.to_string(),
        values: after,
        unknown: details.get("after_unknown"),
        sensitive: details.get("after_sensitive"),
        header: address_node,
    })
}

fn collect_module<'n>(module: &'n Node, out: &mut Vec<Planned<'n>>) {
    for resource in module
        .get("resources")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if resource.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let (Some(address_node), Some(resource_type), Some(name), Some(values)) = (
            resource.get("address"),
            resource.get("type").and_then(Node::as_str),
            resource.get("name").and_then(Node::as_str),
            resource.get("values"),
        ) else {
            continue;
        };
        let Some(address) = address_node.as_str() else {
            continue;
        };
        out.push(Planned {
            address: address.to_string(),
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            values,
            unknown: None,
            sensitive: resource.get("sensitive_values"),
            header: address_node,
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        collect_module(child, out);
    }
}

/// A plan value with its unknown and sensitive markers applied, every part spanned.
fn convert(node: &Node, unknown: Option<&Node>, sensitive: Option<&Node>, file: FileId) -> Value {
    let span = Span::new(file, node.start..node.end);
    if unknown.is_some_and(|u| matches!(u.kind, NodeKind::Bool(true))) {
        return Value::unknown("known after apply", span);
    }
    if sensitive.is_some_and(|s| matches!(s.kind, NodeKind::Bool(true))) {
        return Value::literal(Data::Secret("sensitive in the plan".into()), span);
    }
    match &node.kind {
        NodeKind::Seq(items) => {
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let child_unknown = unknown.and_then(|u| u.as_seq()).and_then(|s| s.get(i));
                    let child_sensitive = sensitive.and_then(|s| s.as_seq()).and_then(|s| s.get(i));
                    convert(item, child_unknown, child_sensitive, file)
                })
                .collect::<Vec<_>>()
                .into();
            Value::literal(Data::List(values), span)
        }
        NodeKind::Map(entries) => {
            let mut map: BTreeMap<String, Value> = entries
                .iter()
                .filter_map(|(k, v)| {
                    let key = k.as_str()?;
                    let value = convert(
                        v,
                        unknown.and_then(|u| u.get(key)),
                        sensitive.and_then(|s| s.get(key)),
                        file,
                    );
                    Some((key.to_string(), value))
                })
                .collect();
            // A nested value known only after apply (a route's `gateway_id`) is left out of
            // `after` and marked in `after_unknown`: unknown, never absent.
            for (key, flag) in unknown.and_then(Node::as_map).unwrap_or(&[]) {
                if let Some(key) = key.as_str()
                    && matches!(flag.kind, NodeKind::Bool(true))
                    && !map.contains_key(key)
                {
                    map.insert(key.to_string(), Value::unknown("known after apply", span));
                }
            }
            Value::literal(Data::Object(map.into()), span)
        }
        _ => document::to_value(node, file),
    }
}

/// `module.db.aws_db_instance.this[0]` -> `module.db.aws_db_instance.this`.
fn strip_indexes(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut in_string = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Resources an argument references: (address, attribute).
type Targets = Vec<(String, Option<String>)>;

/// (resource address without indexes, attribute) -> referenced resource addresses and
/// attributes, from `configuration` (root and module calls, recursively).
/// Keyed by resource, then attribute, both ordered: each planned resource looks up its own
/// references (not every reference of the plan), and attributes are linked in one order.
type References = HashMap<String, BTreeMap<String, Targets>>;

/// What the configuration wrote for each resource (by address without instance keys):
/// every argument it sets, and those set to a constant.
type Configured<'n> = HashMap<String, BTreeMap<String, Option<&'n Node>>>;

/// One resource block of the plan's `configuration`: the module it is written in and the
/// prefix of its address there (`module.db.`; empty in the root module).
struct ConfigResource<'n> {
    prefix: String,
    module: &'n Node,
    resource: &'n Node,
    address: &'n str,
}

/// Every resource block of `configuration`, through module calls, root module first.
fn configuration_resources(root: &Node) -> Vec<ConfigResource<'_>> {
    fn collect<'n>(module: &'n Node, prefix: String, out: &mut Vec<ConfigResource<'n>>) {
        for resource in module
            .get("resources")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(address) = resource.get("address").and_then(Node::as_str) {
                out.push(ConfigResource {
                    prefix: prefix.clone(),
                    module,
                    resource,
                    address,
                });
            }
        }
        for (name, call) in module
            .get("module_calls")
            .and_then(Node::as_map)
            .unwrap_or(&[])
        {
            if let (Some(name), Some(child)) = (name.as_str(), call.get("module")) {
                collect(child, format!("{prefix}module.{name}."), out);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(module) = root.get("configuration").and_then(|c| c.get("root_module")) {
        collect(module, String::new(), &mut out);
    }
    out
}

fn expressions(resource: &Node) -> &[(Node, Node)] {
    resource
        .get("expressions")
        .and_then(Node::as_map)
        .unwrap_or(&[])
}

/// The arguments each resource's configuration sets, with their constant when it is one.
fn configured_arguments<'n>(root: &'n Node, resources: &[ConfigResource<'n>]) -> Configured<'n> {
    resources
        .iter()
        .map(|r| {
            let arguments = expressions(r.resource)
                .iter()
                .filter_map(|(key, expression)| {
                    let constant = expression.get("constant_value").or_else(|| {
                        // `var.x` alone, in the root module, whose value is the default
                        // written in the code: as literal as a constant.
                        let [reference] = expression.get("references")?.as_seq()? else {
                            return None;
                        };
                        let name = reference.as_str()?.strip_prefix("var.")?;
                        r.prefix.is_empty().then_some(())?;
                        let default = r.module.get("variables")?.get(name)?.get("default")?;
                        let value = root.get("variables")?.get(name)?.get("value")?;
                        same_json(default, value).then_some(value)
                    });
                    Some((key.as_str()?.to_string(), constant))
                })
                .collect();
            (format!("{}{}", r.prefix, r.address), arguments)
        })
        .collect()
}

/// Two JSON values are equal, ignoring where they are written.
fn same_json(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka.kind == kb.kind && same_json(va, vb))
        }
        (x, y) => x == y,
    }
}

fn configuration_references(resources: &[ConfigResource]) -> References {
    let mut out: References = HashMap::new();
    for r in resources {
        let prefix = r.prefix.as_str();
        let targets_of = |expression: &Node| {
            let mut targets = Vec::new();
            for reference in expression
                .get("references")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::as_str)
            {
                if let Some(target) = resource_reference(reference, prefix)
                    && !targets
                        .iter()
                        .any(|(t, _): &(String, Option<String>)| *t == target.0)
                {
                    targets.push(target);
                }
            }
            targets
        };
        let mut found: Vec<(String, Targets)> = Vec::new();
        for (key, expression) in expressions(r.resource) {
            let Some(key) = key.as_str() else { continue };
            found.push((key.to_string(), targets_of(expression)));
            // A nested block (`route { gateway_id = aws_internet_gateway.main.id }`) is a
            // list of expression maps: its references are kept as `route[0].gateway_id`.
            for (index, block) in expression.as_seq().unwrap_or(&[]).iter().enumerate() {
                for (field, inner) in block.as_map().unwrap_or(&[]) {
                    if let Some(field) = field.as_str() {
                        found.push((format!("{key}[{index}].{field}"), targets_of(inner)));
                    }
                }
            }
        }
        for (key, targets) in found.into_iter().filter(|(_, t)| !t.is_empty()) {
            out.entry(format!("{prefix}{}", r.address))
                .or_default()
                .insert(key, targets);
        }
    }
    out
}

/// `aws_kms_key.k.arn` -> (`aws_kms_key.k`, `arn`); variables, locals, data sources and
/// module outputs are not resource links.
fn resource_reference(reference: &str, prefix: &str) -> Option<(String, Option<String>)> {
    let clean = strip_indexes(reference);
    let mut segments = clean.split('.');
    let resource_type = segments.next()?;
    if matches!(
        resource_type,
        "var" | "local" | "data" | "module" | "path" | "terraform" | "count" | "each" | "self"
    ) {
        return None;
    }
    let name = segments.next()?;
    let attribute = segments.next().map(str::to_string);
    Some((format!("{prefix}{resource_type}.{name}"), attribute))
}

/// Replaces reference-valued attributes with links to the resources the configuration
/// names, when those resources are in the plan.
/// Links a field of one element of a nested block (`rest` = `0].gateway_id`), when the
/// element holds that field (known, or known after apply).
fn link_nested(
    planned: &Planned,
    block: &str,
    rest: &str,
    targets: &[(String, Option<String>)],
    addresses: &BTreeMap<String, String>,
    attrs: &mut BTreeMap<String, Value>,
) {
    let Some((index, field)) = rest.split_once("].") else {
        return;
    };
    let (Ok(index), Some((target, attribute))) = (index.parse::<usize>(), targets.first()) else {
        return;
    };
    let Some(address) = addresses.get(target) else {
        return;
    };
    let canonical = aliases::rename(&planned.resource_type, block).unwrap_or(block);
    let Some(Value {
        data: Data::List(items),
        ..
    }) = attrs.get_mut(canonical)
    else {
        return;
    };
    if let Some(Value {
        data: Data::Object(fields),
        ..
    }) = std::sync::Arc::make_mut(items).get_mut(index)
        && let Some(current) = std::sync::Arc::make_mut(fields).get_mut(field)
    {
        *current = Value::literal(
            Data::Link(Link {
                target: address.clone(),
                attribute: attribute.clone(),
            }),
            current.span,
        );
    }
}

fn link_references(
    planned: &Planned,
    references: &References,
    addresses: &BTreeMap<String, String>,
    attrs: &mut BTreeMap<String, Value>,
) {
    let base = strip_indexes(&planned.address);
    let Some(by_key) = references.get(&base) else {
        return;
    };
    // Two keys may name one canonical attribute: the key spelled like it wins, else the
    // first in key order.
    let mut linked: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (key, targets) in by_key {
        if let Some((block, rest)) = key.split_once('[') {
            link_nested(planned, block, rest, targets, addresses, attrs);
            continue;
        }
        let canonical = aliases::rename(&planned.resource_type, key).unwrap_or(key);
        if linked.contains(canonical) && key != canonical {
            continue;
        }
        let links: Vec<Link> = targets
            .iter()
            .filter_map(|(target, attribute)| {
                addresses.get(target).map(|address| Link {
                    target: address.clone(),
                    attribute: attribute.clone(),
                })
            })
            .collect();
        if links.is_empty() {
            continue;
        }
        // Only values that are present (known or known after apply) become links.
        let Some(current) = attrs.get(canonical) else {
            continue;
        };
        let span = current.span;
        let as_link = |link: Link| Value::literal(Data::Link(link), span);
        // A list attribute stays a list when the plan knows nothing of it yet
        // (`vpc_security_group_ids` known after apply): its links are its elements.
        let is_list = matches!(current.data, Data::List(_))
            || (current.is_unknown() && is_list_attribute(canonical));
        let value = match current.data {
            _ if is_list => Value::literal(
                Data::List(links.into_iter().map(as_link).collect::<Vec<_>>().into()),
                span,
            ),
            _ => match links.into_iter().next() {
                Some(link) => as_link(link),
                None => continue,
            },
        };
        linked.insert(canonical.to_string());
        attrs.insert(canonical.to_string(), value);
    }
}

/// Whether an AWS provider attribute holds a list of references: the provider names them
/// in the plural (`vpc_security_group_ids`, `subnet_ids`, `security_groups`), references
/// to one resource in the singular (`kms_key_id`).
fn is_list_attribute(name: &str) -> bool {
    name.ends_with("_ids") || name.ends_with("_arns") || name == "security_groups"
}

/// Reports a plan's resources on the `.tf` source that declares them, where `sources` (the
/// Terraform projects of the same scan) have a resource of the same address.
pub fn place_on_sources(plan: &mut Project, sources: &[&Project]) {
    let source_index: HashMap<String, &Resource> = sources
        .iter()
        .flat_map(|p| &p.resources)
        .map(|r| (strip_indexes(&r.address), r))
        .collect();
    for resource in &mut plan.resources {
        if let Some(source) = source_index.get(&strip_indexes(&resource.address)) {
            place_on_source(resource, source);
        }
    }
}

/// Moves each value's span onto the `.tf` attribute (or the block, when the attribute is
/// not written there), keeping the plan's place as a related location. Nested blocks are
/// matched element by element when the source has the same shape. A provider default is
/// written nowhere: it stays a default, at the source block.
fn place_on_source(resource: &mut Resource, source: &Resource) {
    for (name, value) in resource.attrs.iter_mut() {
        if matches!(value.provenance, crate::ir::Provenance::Default) {
            value.span = source.span;
            continue;
        }
        let written = source
            .attrs
            .get(name)
            .filter(|w| !matches!(w.provenance, crate::ir::Provenance::Default));
        let hop = Hop {
            via: "the planned value".to_string(),
            span: value.span,
        };
        place(value, written, source.span);
        let chain = match std::mem::replace(&mut value.provenance, crate::ir::Provenance::Literal) {
            crate::ir::Provenance::Resolved { mut chain } => {
                chain.insert(0, hop);
                chain
            }
            _ => vec![hop],
        };
        value.provenance = crate::ir::Provenance::Resolved { chain };
    }
    resource.span = source.span;
    resource.origin.call_chain = source.origin.call_chain.clone();
}

fn place(value: &mut Value, source: Option<&Value>, fallback: Span) {
    let Some(source) = source else {
        value.span = fallback;
        return;
    };
    value.span = source.span;
    match (&mut value.data, &source.data) {
        (Data::List(items), Data::List(written)) if items.len() == written.len() => {
            for (item, written) in std::sync::Arc::make_mut(items)
                .iter_mut()
                .zip(written.iter())
            {
                place(item, Some(written), source.span);
            }
        }
        (Data::Object(fields), Data::Object(written)) => {
            for (key, field) in std::sync::Arc::make_mut(fields).iter_mut() {
                place(field, written.get(key), source.span);
            }
        }
        _ => {}
    }
}
