//! Engine facts: family, major version, default port and the parameter defaults that
//! decide TLS and logging when no parameter group says otherwise.

use std::collections::BTreeMap;

use crate::ir::{Data, Kind, Resource, ResourceId, Span, Value};

use super::{Linking, Target, derived, object};

/// What is known of a database's engine.
pub struct Engine {
    /// Canonical family (`postgres`, `aurora-postgresql`, `mysql`, `aurora-mysql`, `mariadb`,
    /// `sqlserver`, `oracle`, `db2`), or `None` when unknown.
    pub family: Option<&'static str>,
    /// Major version; `None` when unknown, `Some(None)` when absent (AWS picks its default,
    /// the newest major).
    pub major: Option<Option<f64>>,
    pub span: Option<Span>,
    pub version_span: Option<Span>,
}

pub fn identify(resource: &Resource) -> Engine {
    let engine = resource.attr("engine");
    let family = engine.and_then(Value::as_str).and_then(family_of);
    let version = resource.attr("engine_version");
    let major = match version {
        None => Some(None),
        Some(value) => value.as_str().and_then(|v| major_of(family, v)).map(Some),
    };
    Engine {
        family,
        major,
        span: engine.map(|v| v.span),
        version_span: version.map(|v| v.span),
    }
}

fn family_of(engine: &str) -> Option<&'static str> {
    let engine = engine.to_ascii_lowercase();
    Some(match engine.as_str() {
        "postgres" | "postgresql" => "postgres",
        "aurora-postgresql" => "aurora-postgresql",
        "mysql" => "mysql",
        "aurora" | "aurora-mysql" => "aurora-mysql",
        "mariadb" => "mariadb",
        e if e.starts_with("sqlserver") => "sqlserver",
        e if e.starts_with("oracle") || e.starts_with("custom-oracle") => "oracle",
        e if e.starts_with("db2") => "db2",
        _ => return None,
    })
}

/// The major version as a number that orders correctly within a family:
/// PostgreSQL `15.4` -> 15 (`9.6.22` -> 9.6), MySQL `8.0.35` -> 8.0,
/// MariaDB `10.11.6` -> 10.11 and `11.8` -> 11.08, SQL Server `15.00.4316` -> 15.
pub(crate) fn major_of(family: Option<&str>, version: &str) -> Option<f64> {
    let mut parts = version.split('.');
    let first: f64 = parts.next()?.trim().parse().ok()?;
    let second: Option<f64> = parts.next().and_then(|p| p.trim().parse().ok());
    Some(match family {
        Some("postgres" | "aurora-postgresql") if first >= 10.0 => first,
        Some("mariadb") => first + second.unwrap_or(0.0) / 100.0,
        Some("sqlserver" | "oracle" | "db2") => first,
        _ => first + second.unwrap_or(0.0) / 10.0,
    })
}

impl Engine {
    pub fn family_value(&self, fallback: Span) -> Value {
        match self.family {
            Some(family) => derived(Data::String(family.into()), self.span.unwrap_or(fallback)),
            None => Value::unknown("engine not known", self.span.unwrap_or(fallback)),
        }
    }

    pub fn major_value(&self, fallback: Span) -> Value {
        let span = self.version_span.unwrap_or(fallback);
        match self.major {
            Some(Some(major)) => derived(Data::Number(major), span),
            Some(None) => Value::unknown("engine version chosen by AWS", span),
            None => Value::unknown("engine version not known", span),
        }
    }

    fn default_port(&self) -> Option<f64> {
        crate::config::aws_default_port(self.family?)
    }

    /// The engine's default for a parameter, where it matters to a policy.
    fn default_parameter(&self, name: &str) -> Option<&'static str> {
        let family = self.family?;
        // An absent version means AWS's default, which is the newest major.
        let major = self.major?.unwrap_or(f64::INFINITY);
        Some(match (family, name) {
            ("postgres", "rds.force_ssl") => {
                if major >= 15.0 {
                    "1"
                } else {
                    "0"
                }
            }
            ("aurora-postgresql" | "sqlserver", "rds.force_ssl") => "0",
            ("mysql" | "aurora-mysql", "require_secure_transport") => "0",
            ("mariadb", "require_secure_transport") => {
                if major >= 11.08 {
                    "1"
                } else {
                    "0"
                }
            }
            ("postgres" | "aurora-postgresql", "log_connections") => "0",
            ("postgres" | "aurora-postgresql", "log_disconnections") => "0",
            ("postgres" | "aurora-postgresql", "log_statement") => "none",
            ("postgres" | "aurora-postgresql", "shared_preload_libraries") => "pg_stat_statements",
            ("postgres" | "aurora-postgresql", "pgaudit.log") => "none",
            ("postgres" | "aurora-postgresql", "ssl_min_protocol_version") => "TLSv1.2",
            ("aurora-mysql", "server_audit_logging") => "0",
            ("postgres" | "aurora-postgresql", "password_encryption") => {
                if major >= 14.0 {
                    "scram-sha-256"
                } else {
                    "md5"
                }
            }
            _ => return None,
        })
    }
}

/// The engine's default port, for policies that want a non-default one.
pub fn default_port_value(engine: &Engine, span: Span) -> Value {
    match engine.default_port() {
        Some(port) => derived(Data::Number(port), span),
        None => Value::unknown("engine not known", span),
    }
}

/// `port`, else the engine's default; a cluster instance's is its cluster's.
pub(crate) fn effective_port(linking: &Linking<'_>, id: ResourceId) -> Value {
    let resource = linking.resource(id);
    let source = if resource.kind == Some(Kind::DbClusterInstance) {
        match linking.cluster(id) {
            Some(cluster) => linking.resource(cluster),
            None => return Value::unknown("cluster not in this project", resource.span),
        }
    } else {
        resource
    };
    if let Some(port) = source.attr("port") {
        return port.clone();
    }
    match linking.engine(id).default_port() {
        Some(port) => derived(Data::Number(port), source.span),
        None => Value::unknown("engine not known", source.span),
    }
}

/// Parameters that rampart knows defaults for; the effective map always states them.
const KNOWN_PARAMETERS: &[&str] = &[
    "rds.force_ssl",
    "require_secure_transport",
    "log_connections",
    "log_disconnections",
    "log_statement",
    "password_encryption",
    "shared_preload_libraries",
    "pgaudit.log",
    "ssl_min_protocol_version",
    "server_audit_logging",
];

/// The parameter-group attribute of a database and the kind of group it names.
fn group_attribute(database: &Resource) -> (&'static str, &'static [Kind]) {
    match database.kind {
        Some(Kind::DbCluster) => (
            "db_cluster_parameter_group_name",
            &[Kind::DbClusterParameterGroup],
        ),
        _ => ("parameter_group_name", &[Kind::DbParameterGroup]),
    }
}

/// The project's parameter group a database names, if any.
pub(crate) fn parameter_group(linking: &Linking<'_>, database: &Resource) -> Option<ResourceId> {
    let (attr, kinds) = group_attribute(database);
    match linking
        .index
        .resolve(linking.project, database.attr(attr)?, kinds)
    {
        Target::Resource(id) => Some(id),
        _ => None,
    }
}

/// Parameters in force for a database: those its parameter group sets, then the engine's
/// defaults. A value the group sets points at the parameter; a default points at the
/// group (add the parameter there) or, without a group, at the attribute or resource header.
pub(crate) fn effective_parameters(linking: &Linking<'_>, id: ResourceId) -> Value {
    let (project, index) = (linking.project, &linking.index);
    let resource = linking.resource(id);
    let engine = linking.engine(id);
    let (group_attr, group_kinds) = group_attribute(resource);
    let mut entries = BTreeMap::new();
    let defaults_span = match resource.attr(group_attr) {
        None => resource.span,
        Some(value) => match index.resolve(project, value, group_kinds) {
            Target::Resource(id) => {
                let group_resource = &project.resources[id];
                collect_parameters(group_resource, &mut entries);
                group_resource.span
            }
            Target::External(name)
                if group_kinds
                    .iter()
                    .any(|kind| kind.is_provided_by_aws(&name)) =>
            {
                value.span
            }
            Target::External(_) | Target::Unknown => {
                // A group defined elsewhere: its parameters are not knowable here.
                return Value::unknown("parameter group not in this project", value.span);
            }
        },
    };
    if resource.kind == Some(Kind::DbCluster) {
        members_parameters(linking, id, &mut entries);
    }
    for name in KNOWN_PARAMETERS {
        if entries.contains_key(*name) {
            continue;
        }
        let value = match engine.default_parameter(name) {
            Some(default) => derived(Data::String(default.into()), defaults_span),
            None if engine.family.is_none() || engine.major.is_none() => {
                Value::unknown("engine or version not known", defaults_span)
            }
            None => continue,
        };
        entries.insert(name.to_string(), value);
    }
    object(entries, resource.span)
}

/// Aurora PostgreSQL parameters that a member's DB parameter group can set for that
/// instance, over the cluster parameter group's value.
const INSTANCE_LEVEL: &[&str] = &["log_connections", "log_disconnections", "log_statement"];

/// A cluster's instance-level parameters as its members run them: when every member's
/// own parameter group sets one to the same value, that value is in force on the whole
/// cluster; a member that does not set it runs the cluster's, which stays; members that
/// disagree leave it not known at the cluster (each member is then what it is).
fn members_parameters(
    linking: &Linking<'_>,
    cluster: ResourceId,
    entries: &mut BTreeMap<String, Value>,
) {
    let (project, index) = (linking.project, &linking.index);
    let members: Vec<&Resource> = linking
        .members(cluster)
        .iter()
        .map(|&id| &project.resources[id])
        .collect();
    if members.is_empty() {
        return;
    }
    let mut sets: Vec<BTreeMap<String, Value>> = Vec::new();
    for member in &members {
        let mut own = BTreeMap::new();
        if let Some(value) = member.attr("parameter_group_name")
            && let Target::Resource(id) = index.resolve(project, value, &[Kind::DbParameterGroup])
        {
            collect_parameters(&project.resources[id], &mut own);
        }
        sets.push(own);
    }
    for name in INSTANCE_LEVEL {
        let values: Vec<&Value> = sets.iter().filter_map(|own| own.get(*name)).collect();
        if values.len() < members.len() {
            continue;
        }
        let first = values[0];
        let value = if values.iter().all(|v| v.display() == first.display()) {
            first.clone()
        } else {
            Value::unknown("cluster members set different values", first.span)
        };
        entries.insert(name.to_string(), value);
    }
}

fn collect_parameters(group: &Resource, entries: &mut BTreeMap<String, Value>) {
    let Some(parameters) = group.attr("parameters") else {
        return;
    };
    let Some(items) = parameters.as_list() else {
        return;
    };
    for item in items {
        let Some(fields) = item.as_object() else {
            continue;
        };
        let Some(name) = fields.get("name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(value) = fields.get("value") {
            entries.insert(name.to_string(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::major_of;

    #[test]
    fn major_versions() {
        let pg = Some("postgres");
        assert_eq!(major_of(pg, "15.4"), Some(15.0));
        assert_eq!(major_of(pg, "14"), Some(14.0));
        assert_eq!(major_of(pg, "9.6.22"), Some(9.6));
        assert_eq!(major_of(Some("mysql"), "8.0.35"), Some(8.0));
        assert_eq!(
            major_of(Some("aurora-mysql"), "5.7.mysql_aurora.2.11.2"),
            Some(5.7)
        );
        assert_eq!(major_of(Some("mariadb"), "10.11"), Some(10.11));
        assert_eq!(major_of(Some("mariadb"), "11.8"), Some(11.08));
        assert_eq!(major_of(Some("mariadb"), "11.4.5"), Some(11.04));
        assert_eq!(major_of(Some("sqlserver"), "15.00.4316.3.v1"), Some(15.0));
        assert_eq!(major_of(pg, "latest"), None);
    }
}
