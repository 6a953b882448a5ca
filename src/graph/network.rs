//! Normalised security-group rules of a database, whichever way they were written: inline
//! `ingress`/`egress` blocks, rule resources naming the group, or per-rule resources.
//!
//! Each rule becomes one object per source: `{source, cidr?, group?, protocol, from_port,
//! to_port}` where `source` is `cidr`, `security_group`, `prefix_list` or `self`, protocol
//! `-1`/`all` becomes `all` over ports 0–65535, and the object's span is the source value
//! (the CIDR the user wrote), so a finding lands on that line.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::ir::{Data, Kind, Project, Resource, ResourceId, Span, Value};

use super::{Index, Linking, Target, derived, object};

pub struct Rules {
    pub ingress: Value,
    pub egress: Value,
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Ingress,
    Egress,
}

/// The normalised rules of every security group, computed once per project: databases
/// that share a group share its work, and rule resources are matched to their group in one
/// pass (not once per database).
pub struct GroupRules {
    by_group: HashMap<ResourceId, [Vec<Value>; 2]>,
    /// The ingress and egress lists of each set of groups a database names, built once and
    /// shared by every database that names the same groups: thousands of databases behind
    /// one group with thousands of rules hold one list, not a copy each.
    by_groups: HashMap<Vec<ResourceId>, [Arc<Vec<Value>>; 2]>,
}

impl GroupRules {
    pub fn new(project: &Project, index: &Index) -> GroupRules {
        let mut by_group: HashMap<ResourceId, [Vec<Value>; 2]> = HashMap::new();
        for &group in index.of_kind(Kind::SecurityGroup) {
            let resource = &project.resources[group];
            let entry = by_group.entry(group).or_default();
            for (slot, inline) in ["ingress", "egress"].into_iter().enumerate() {
                if let Some(list) = resource.attr(inline).and_then(Value::as_list) {
                    for rule in list {
                        normalise(rule, &resource.origin.call_chain, &mut entry[slot]);
                    }
                }
            }
        }
        // Separate rule resources in project order, as they are written.
        let mut rule_ids: Vec<ResourceId> = [
            Kind::SecurityGroupIngress,
            Kind::SecurityGroupEgress,
            Kind::SecurityGroupRule,
        ]
        .into_iter()
        .flat_map(|kind| index.of_kind(kind).iter().copied())
        .collect();
        rule_ids.sort_unstable();
        for id in rule_ids {
            let resource = &project.resources[id];
            let direction = match resource.kind {
                Some(Kind::SecurityGroupIngress) => Direction::Ingress,
                Some(Kind::SecurityGroupEgress) => Direction::Egress,
                Some(Kind::SecurityGroupRule) => {
                    match resource.attr("type").and_then(Value::as_str) {
                        Some("ingress") => Direction::Ingress,
                        Some("egress") => Direction::Egress,
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let Some(owner) = resource.attr("security_group_id") else {
                continue;
            };
            if let Target::Resource(group) = index.resolve(project, owner, &[Kind::SecurityGroup]) {
                let rule = Value {
                    data: Data::Object(resource.attrs.clone().into()),
                    span: resource.span,
                    provenance: crate::ir::Provenance::Literal,
                };
                let slot = match direction {
                    Direction::Ingress => 0,
                    Direction::Egress => 1,
                };
                normalise(
                    &rule,
                    &resource.origin.call_chain,
                    &mut by_group.entry(group).or_default()[slot],
                );
            }
        }
        GroupRules {
            by_group,
            by_groups: HashMap::new(),
        }
    }

    /// The rules of `groups`, in order, ingress then egress.
    fn of_all(&mut self, groups: &[ResourceId]) -> [Arc<Vec<Value>>; 2] {
        if let Some(lists) = self.by_groups.get(groups) {
            return lists.clone();
        }
        let collect = |direction| {
            Arc::new(
                groups
                    .iter()
                    .flat_map(|&group| self.of(group, direction).iter().cloned())
                    .collect::<Vec<Value>>(),
            )
        };
        let lists = [collect(Direction::Ingress), collect(Direction::Egress)];
        self.by_groups.insert(groups.to_vec(), lists.clone());
        lists
    }

    fn of(&self, group: ResourceId, direction: Direction) -> &[Value] {
        let slot = match direction {
            Direction::Ingress => 0,
            Direction::Egress => 1,
        };
        self.by_group
            .get(&group)
            .map(|rules| rules[slot].as_slice())
            .unwrap_or(&[])
    }
}

/// The project's security groups a database names.
pub(crate) fn attached_groups(linking: &Linking<'_>, database: &Resource) -> Vec<ResourceId> {
    let items = database
        .attr("vpc_security_group_ids")
        .and_then(Value::as_list)
        .unwrap_or(&[]);
    in_project(&group_targets(linking, items))
}

/// What each entry of a database's `vpc_security_group_ids` names.
fn group_targets(linking: &Linking<'_>, items: &[Value]) -> Vec<Target> {
    items
        .iter()
        .map(|item| {
            linking
                .index
                .resolve(linking.project, item, &[Kind::SecurityGroup])
        })
        .collect()
}

/// The groups of the project among `targets`, in order.
fn in_project(targets: &[Target]) -> Vec<ResourceId> {
    targets
        .iter()
        .filter_map(|target| match target {
            Target::Resource(id) => Some(*id),
            _ => None,
        })
        .collect()
}

pub(crate) fn rules(linking: &Linking<'_>, database: &Resource) -> Rules {
    let Some(attached) = database.attr("vpc_security_group_ids") else {
        // No groups named: AWS attaches the VPC's default group, which is not in the source.
        let unknown = Value::unknown("default security group", database.span);
        return Rules {
            ingress: unknown.clone(),
            egress: unknown,
        };
    };
    let Some(items) = attached.as_list() else {
        let unknown = Value::unknown("security groups not known", attached.span);
        return Rules {
            ingress: unknown.clone(),
            egress: unknown,
        };
    };

    let targets = group_targets(linking, items);
    let groups = in_project(&targets);
    let mut group_rules = linking.group_rules();
    let [ingress, egress] = if groups.len() == items.len() {
        group_rules.of_all(&groups)
    } else {
        // A group not in this project is one unknown rule where it is named.
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        for (item, target) in items.iter().zip(&targets) {
            match target {
                Target::Resource(id) => {
                    ingress.extend(group_rules.of(*id, Direction::Ingress).iter().cloned());
                    egress.extend(group_rules.of(*id, Direction::Egress).iter().cloned());
                }
                Target::External(_) | Target::Unknown => {
                    let unknown = Value::unknown("security group not in this project", item.span);
                    ingress.push(unknown.clone());
                    egress.push(unknown);
                }
            }
        }
        [Arc::new(ingress), Arc::new(egress)]
    };
    Rules {
        ingress: derived(Data::List(ingress), attached.span),
        egress: derived(Data::List(egress), attached.span),
    }
}

/// Splits one written rule into one normalised object per source. A rule made inside a
/// module names the module calls as hops of its sources, so that a finding about it can
/// land on the call when the module is not the user's own.
fn normalise(rule: &Value, calls: &[crate::ir::Hop], out: &mut Vec<Value>) {
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
                continue;
            }
            _ => vec![value],
        };
        for item in values {
            let mut entry = base(source, item.span);
            let item = if calls.is_empty() {
                item.clone()
            } else {
                let own = match &item.provenance {
                    crate::ir::Provenance::Resolved { chain } => chain.clone(),
                    _ => Vec::new(),
                };
                Value {
                    provenance: crate::ir::Provenance::resolved(
                        calls.iter().cloned().chain(own).collect(),
                    ),
                    ..item.clone()
                }
            };
            let span = item.span;
            entry.insert(key.to_string(), item);
            out.push(object(entry, span));
        }
    }
    if fields.get("self").and_then(Value::as_truthy) == Some(true) {
        let span = fields["self"].span;
        out.push(object(base("self", span), span));
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

/// Whether a subnet of the database's subnet group routes 0.0.0.0/0 to an internet
/// gateway: true (spanned at that subnet in the group's list, the route as its first hop),
/// false when every subnet's route table is known
/// and none does, unknown otherwise (a subnet without an explicit route table uses the
/// VPC's main table, which the configuration may not show).
pub(crate) fn subnet_routes_to_internet(linking: &Linking<'_>, database: &Resource) -> Value {
    let (project, index, routes) = (linking.project, &linking.index, linking.routes());
    let Some(group_name) = database.attr("db_subnet_group_name") else {
        return Value::unknown("default subnet group", database.span);
    };
    let Target::Resource(group) = index.resolve(project, group_name, &[Kind::DbSubnetGroup]) else {
        return Value::unknown("subnet group not in this project", group_name.span);
    };
    let Some(subnets) = project.resources[group]
        .attr("subnet_ids")
        .and_then(Value::as_list)
    else {
        return Value::unknown("subnets not known", group_name.span);
    };
    let mut all_known = true;
    for subnet in subnets {
        let Target::Resource(subnet_id) = index.resolve(project, subnet, &[Kind::Subnet]) else {
            all_known = false;
            continue;
        };
        let tables = routes.tables_of(subnet_id);
        if tables.is_empty() {
            all_known = false;
            continue;
        }
        for &table in tables {
            if let Some(route) = routes.internet_route(table) {
                // The fix is in the subnet list (put the database in private subnets); the
                // route is why, a related location.
                return Value {
                    data: Data::Bool(true),
                    span: subnet.span,
                    provenance: crate::ir::Provenance::resolved(vec![crate::ir::Hop {
                        via: format!(
                            "the route of {} to an internet gateway",
                            project.resources[table].address
                        ),
                        span: route,
                    }]),
                };
            }
        }
    }
    if all_known {
        derived(Data::Bool(false), group_name.span)
    } else {
        Value::unknown("a subnet's route table is not known", group_name.span)
    }
}

/// The project's route tables, indexed once: the tables associated with each subnet, and
/// each table's route to an internet gateway. Looking them up per database is constant
/// time, so linking stays linear in the number of databases.
pub struct Routes {
    tables_of_subnet: HashMap<ResourceId, Vec<ResourceId>>,
    internet_route: HashMap<ResourceId, Span>,
}

impl Routes {
    pub fn new(project: &Project, index: &Index) -> Routes {
        let resolve = |value: Option<&Value>, kind: Kind| match value
            .map(|value| index.resolve(project, value, &[kind]))
        {
            Some(Target::Resource(id)) => Some(id),
            _ => None,
        };
        let mut tables_of_subnet: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
        for &association in index.of_kind(Kind::RouteTableAssociation) {
            let association = &project.resources[association];
            if let Some(subnet) = resolve(association.attr("subnet_id"), Kind::Subnet)
                && let Some(table) = resolve(association.attr("route_table_id"), Kind::RouteTable)
            {
                tables_of_subnet.entry(subnet).or_default().push(table);
            }
        }
        // Route resources by table, in project order: the first internet route is shown.
        let mut routes_of_table: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
        for &route in index.of_kind(Kind::Route) {
            if let Some(table) = resolve(
                project.resources[route].attr("route_table_id"),
                Kind::RouteTable,
            ) {
                routes_of_table.entry(table).or_default().push(route);
            }
        }
        let internet_route = index
            .of_kind(Kind::RouteTable)
            .iter()
            .filter_map(|&table| {
                let routes = routes_of_table.get(&table).map_or(&[][..], Vec::as_slice);
                internet_route(project, index, table, routes).map(|span| (table, span))
            })
            .collect();
        Routes {
            tables_of_subnet,
            internet_route,
        }
    }

    fn tables_of(&self, subnet: ResourceId) -> &[ResourceId] {
        self.tables_of_subnet
            .get(&subnet)
            .map_or(&[], Vec::as_slice)
    }

    fn internet_route(&self, table: ResourceId) -> Option<Span> {
        self.internet_route.get(&table).copied()
    }
}

/// The span of a route to an internet gateway in `table` (inline or one of `routes`, the
/// route resources of that table).
fn internet_route(
    project: &Project,
    index: &Index,
    table: ResourceId,
    routes: &[ResourceId],
) -> Option<Span> {
    let is_internet = |destination: Option<&Value>, gateway: Option<&Value>| -> bool {
        let open = destination
            .and_then(Value::as_str)
            .is_some_and(|d| d == "0.0.0.0/0" || d == "::/0");
        let to_gateway = gateway.is_some_and(|g| {
            matches!(
                index.resolve(project, g, &[Kind::InternetGateway]),
                Target::Resource(_)
            ) || g.as_str().is_some_and(|id| id.starts_with("igw-"))
        });
        open && to_gateway
    };
    let inline = project.resources[table]
        .attr("route")
        .and_then(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|route| {
            let fields = route.as_object();
            is_internet(
                fields.and_then(|f| f.get("cidr_block").or(f.get("ipv6_cidr_block"))),
                fields.and_then(|f| f.get("gateway_id")),
            )
        })
        .map(|route| {
            route
                .as_object()
                .and_then(|f| f.get("gateway_id"))
                .map(|g| g.span)
                .unwrap_or(route.span)
        });
    inline.or_else(|| {
        routes
            .iter()
            .map(|&r| &project.resources[r])
            .find(|r| {
                is_internet(
                    r.attr("destination_cidr_block")
                        .or(r.attr("destination_ipv6_cidr_block")),
                    r.attr("gateway_id"),
                )
            })
            .map(|r| r.attr("gateway_id").map(|g| g.span).unwrap_or(r.span))
    })
}
