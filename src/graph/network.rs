//! Normalised security-group rules of a database, whichever way they were written: inline
//! `ingress`/`egress` blocks, rule resources naming the group, or per-rule resources.
//!
//! Each rule becomes one object per source: `{source, cidr?, group?, protocol, from_port,
//! to_port}` where `source` is `cidr`, `security_group`, `prefix_list` or `self`, protocol
//! `-1`/`all` becomes `all` over ports 0–65535, and the object's span is the source value
//! (the CIDR the user wrote), so a finding lands on that line.

use std::collections::BTreeMap;

use crate::ir::{Data, Kind, Project, Resource, ResourceId, Span, Value};

use super::{Index, Target, derived, object};

pub struct Rules {
    pub ingress: Value,
    pub egress: Value,
    /// The project's security groups attached to the database.
    pub groups: Vec<ResourceId>,
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Ingress,
    Egress,
}

pub fn rules(project: &Project, index: &Index, database: &Resource) -> Rules {
    let Some(attached) = database.attr("vpc_security_group_ids") else {
        // No groups named: AWS attaches the VPC's default group, which is not in the source.
        let unknown = Value::unknown("default security group", database.span);
        return Rules {
            ingress: unknown.clone(),
            egress: unknown,
            groups: Vec::new(),
        };
    };
    let Some(items) = attached.as_list() else {
        let unknown = Value::unknown("security groups not known", attached.span);
        return Rules {
            ingress: unknown.clone(),
            egress: unknown,
            groups: Vec::new(),
        };
    };

    let mut ingress = Vec::new();
    let mut egress = Vec::new();
    let mut groups = Vec::new();
    for item in items {
        match index.resolve(project, item, &[Kind::SecurityGroup]) {
            Target::Resource(id) => {
                groups.push(id);
                collect(project, index, id, Direction::Ingress, &mut ingress);
                collect(project, index, id, Direction::Egress, &mut egress);
            }
            Target::External(_) | Target::Unknown => {
                let unknown = Value::unknown("security group not in this project", item.span);
                ingress.push(unknown.clone());
                egress.push(unknown);
            }
        }
    }
    Rules {
        ingress: derived(Data::List(ingress), attached.span),
        egress: derived(Data::List(egress), attached.span),
        groups,
    }
}

fn collect(
    project: &Project,
    index: &Index,
    group: ResourceId,
    direction: Direction,
    out: &mut Vec<Value>,
) {
    let group_resource = &project.resources[group];
    let inline = match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    };
    if let Some(list) = group_resource.attr(inline).and_then(Value::as_list) {
        for rule in list {
            normalise(rule, out);
        }
    }
    for resource in &project.resources {
        let rule_direction = match resource.kind {
            Some(Kind::SecurityGroupIngress) => Direction::Ingress,
            Some(Kind::SecurityGroupEgress) => Direction::Egress,
            Some(Kind::SecurityGroupRule) => match resource.attr("type").and_then(Value::as_str) {
                Some("ingress") => Direction::Ingress,
                Some("egress") => Direction::Egress,
                _ => continue,
            },
            _ => continue,
        };
        if rule_direction != direction {
            continue;
        }
        let Some(owner) = resource.attr("security_group_id") else {
            continue;
        };
        if let Target::Resource(id) = index.resolve(project, owner, &[Kind::SecurityGroup])
            && id == group
        {
            let rule = Value {
                data: Data::Object(resource.attrs.clone()),
                span: resource.span,
                provenance: crate::ir::Provenance::Literal,
            };
            normalise(&rule, out);
        }
    }
}

/// Splits one written rule into one normalised object per source.
fn normalise(rule: &Value, out: &mut Vec<Value>) {
    let Some(fields) = rule.as_object() else {
        out.push(Value::unknown("rule not known", rule.span));
        return;
    };
    let (protocol, from_port, to_port) = ports(fields, rule.span);
    let base = |source: &str, span: Span| {
        let mut entry = BTreeMap::new();
        entry.insert(
            "source".to_string(),
            derived(Data::String(source.into()), span),
        );
        entry.insert("protocol".to_string(), protocol.clone());
        entry.insert("from_port".to_string(), from_port.clone());
        entry.insert("to_port".to_string(), to_port.clone());
        entry
    };
    let mut sources = 0;
    for (attr, source, key) in [
        ("cidr_blocks", "cidr", "cidr"),
        ("ipv6_cidr_blocks", "cidr", "cidr"),
        ("prefix_list_ids", "prefix_list", "prefix_list"),
        ("security_groups", "security_group", "group"),
        ("source_security_group_id", "security_group", "group"),
    ] {
        let Some(value) = fields.get(attr) else {
            continue;
        };
        let values: Vec<&Value> = match &value.data {
            Data::List(items) => items.iter().collect(),
            Data::Unknown(_) => {
                out.push(Value::unknown("rule source not known", value.span));
                sources += 1;
                continue;
            }
            _ => vec![value],
        };
        for item in values {
            sources += 1;
            let mut entry = base(source, item.span);
            entry.insert(key.to_string(), item.clone());
            out.push(object(entry, item.span));
        }
    }
    if fields.get("self").and_then(Value::as_truthy) == Some(true) {
        let span = fields["self"].span;
        out.push(object(base("self", span), span));
        sources += 1;
    }
    if sources == 0 {
        // A rule with no source admits nothing; keep nothing.
    }
}

/// Protocol and port range with `-1`/`all` meaning every port.
fn ports(fields: &BTreeMap<String, Value>, span: Span) -> (Value, Value, Value) {
    let protocol = fields
        .get("protocol")
        .cloned()
        .unwrap_or_else(|| Value::unknown("protocol not set", span));
    let is_all = match &protocol.data {
        Data::String(p) => matches!(p.to_ascii_lowercase().as_str(), "-1" | "all"),
        Data::Number(n) => *n == -1.0,
        _ => false,
    };
    if is_all {
        let s = protocol.span;
        return (
            derived(Data::String("all".into()), s),
            derived(Data::Number(0.0), s),
            derived(Data::Number(65535.0), s),
        );
    }
    let protocol = match &protocol.data {
        Data::String(p) => {
            let name = match p.to_ascii_lowercase().as_str() {
                "6" | "tcp" => "tcp".to_string(),
                "17" | "udp" => "udp".to_string(),
                "1" | "icmp" => "icmp".to_string(),
                other => other.to_string(),
            };
            Value {
                data: Data::String(name),
                ..protocol
            }
        }
        Data::Number(n) if *n == 6.0 => Value {
            data: Data::String("tcp".into()),
            ..protocol
        },
        _ => protocol,
    };
    let from = fields
        .get("from_port")
        .cloned()
        .unwrap_or_else(|| Value::unknown("from_port not set", span));
    let to = fields
        .get("to_port")
        .cloned()
        .unwrap_or_else(|| Value::unknown("to_port not set", span));
    (protocol, from, to)
}
