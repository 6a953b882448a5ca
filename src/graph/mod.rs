//! Links resources of one project and derives the facts policies read as attributes:
//! engine family and major version, effective port, effective database parameters,
//! normalised security-group rules, and which keys and groups serve a database.
//! Every derived fact is registered in `src/ir/facts.rs` (from which
//! `docs/derived-facts.md` is generated); a test fails on one that is not.

mod credentials;
pub(crate) mod engine;
mod key_policy;
mod network;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::ir::{Data, Kind, Link, Project, Provenance, Resource, ResourceId, Span, Value};

/// Address and name lookups over one project.
pub struct Index {
    by_address: HashMap<String, ResourceId>,
    /// (kind, `name` or `identifier` attribute) -> resource, for references by name.
    by_name: HashMap<(Kind, String), ResourceId>,
    by_kind: HashMap<Kind, Vec<ResourceId>>,
    /// Reverse links, computed the first time a policy asks for them: every database
    /// asking "does a replication name me" reads one set, built in one pass.
    referenced: Mutex<HashMap<ReverseLink, Arc<Referenced>>>,
}

/// Links from resources of `from` through their attribute `through` to resources of `to`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ReverseLink {
    from: Vec<Kind>,
    through: Vec<String>,
    to: Kind,
}

/// The resources some link points at (each with the span of the first link to it), and
/// whether some link is not known, so that it may point at any of them.
#[derive(Default)]
pub struct Referenced {
    pub targets: HashMap<ResourceId, Span>,
    pub any_unknown: bool,
}

/// What a reference-valued attribute points at.
#[derive(Debug)]
pub enum Target {
    Resource(ResourceId),
    /// A literal id or name of something outside this project (e.g. `default.postgres15`).
    External(String),
    Unknown,
}

impl Index {
    pub fn new(project: &Project) -> Index {
        let mut by_address = HashMap::new();
        let mut by_name = HashMap::new();
        let mut by_kind: HashMap<Kind, Vec<ResourceId>> = HashMap::new();
        for (id, resource) in project.resources.iter().enumerate() {
            by_address.insert(resource.address.clone(), id);
            if let Some(kind) = resource.kind {
                by_kind.entry(kind).or_default().push(id);
            }
            // `aws_x.y` inside the instance names `aws_x.y[0]`, `aws_x.y["a"]`: link to the
            // first instance (instances share their configuration).
            if let Some(base) = resource.address.strip_suffix(']')
                && let Some(open) = base.rfind('[')
                && !base[open..].contains('.')
            {
                by_address.entry(base[..open].to_string()).or_insert(id);
            }
            if let Some(kind) = resource.kind {
                for key in ["name", "identifier"] {
                    if let Some(name) = resource.attr(key).and_then(Value::as_str) {
                        by_name.insert((kind, name.to_string()), id);
                    }
                }
            }
        }
        Index {
            by_address,
            by_name,
            by_kind,
            referenced: Mutex::default(),
        }
    }

    /// The resource at `address`.
    pub fn id_of(&self, address: &str) -> Option<ResourceId> {
        self.by_address.get(address).copied()
    }

    /// What resources of `from` link to through their attribute `through` (read by
    /// `link_of`; `None` when absent or not known), among resources of kind `to`. A link
    /// names its target whatever its kind; a name is looked up among resources of `to`.
    /// Computed once per (from, through, to) and project.
    pub fn referenced<'p>(
        &self,
        project: &'p Project,
        from: &[Kind],
        through: &[String],
        to: Kind,
        link_of: impl Fn(&'p Resource) -> Option<&'p Value>,
    ) -> Arc<Referenced> {
        let key = ReverseLink {
            from: from.to_vec(),
            through: through.to_vec(),
            to,
        };
        if let Some(found) = self.lock_referenced().get(&key) {
            return Arc::clone(found);
        }
        let mut referenced = Referenced::default();
        for &kind in from {
            for &id in self.of_kind(kind) {
                let Some(value) = link_of(&project.resources[id]) else {
                    referenced.any_unknown = true;
                    continue;
                };
                for link in value.items() {
                    let kinds: &[Kind] = match link.data {
                        Data::Link(_) => Kind::ALL,
                        _ => std::slice::from_ref(&to),
                    };
                    match self.resolve(project, link, kinds) {
                        Target::Resource(target) => {
                            referenced.targets.entry(target).or_insert(link.span);
                        }
                        Target::External(_) => {}
                        Target::Unknown => referenced.any_unknown = true,
                    }
                }
            }
        }
        // Another thread may have built the same set meanwhile; either is the same.
        Arc::clone(
            self.lock_referenced()
                .entry(key)
                .or_insert_with(|| Arc::new(referenced)),
        )
    }

    fn lock_referenced(&self) -> std::sync::MutexGuard<'_, HashMap<ReverseLink, Arc<Referenced>>> {
        // A panic elsewhere cannot leave the map half-written: entries are inserted whole.
        self.referenced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The resources of one kind, in project order: derived facts look across the project
    /// through this, never by scanning every resource per database (quadratic in a plan
    /// with 100,000 resources).
    pub fn of_kind(&self, kind: Kind) -> &[ResourceId] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Resolves a reference-valued attribute to a resource of one of `kinds`.
    pub fn resolve(&self, project: &Project, value: &Value, kinds: &[Kind]) -> Target {
        match &value.data {
            Data::Link(Link { target, .. }) => match self.by_address.get(target) {
                Some(&id)
                    if project.resources[id]
                        .kind
                        .is_some_and(|k| kinds.contains(&k)) =>
                {
                    Target::Resource(id)
                }
                _ => Target::Unknown,
            },
            Data::String(name) => kinds
                .iter()
                .find_map(|&kind| self.by_name.get(&(kind, name.clone())))
                .map(|&id| Target::Resource(id))
                .unwrap_or_else(|| Target::External(name.clone())),
            _ => Target::Unknown,
        }
    }
}

pub(crate) fn derived(data: Data, span: Span) -> Value {
    Value {
        data,
        span,
        provenance: Provenance::Derived,
    }
}

/// Adds derived facts to every resource of the project.
pub fn link(project: &mut Project) {
    let index = Index::new(project);
    let mut additions: Vec<(ResourceId, &'static str, Value)> = Vec::new();

    let database_kinds = [Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance];
    let mut serves_database: HashMap<ResourceId, Span> = HashMap::new();
    let mut group_rules = network::GroupRules::new(project, &index);
    let routes = network::Routes::new(project, &index);
    for (id, resource) in project.resources.iter().enumerate() {
        let Some(kind) = resource.kind else { continue };
        if !database_kinds.contains(&kind) {
            continue;
        }
        let cluster = cluster_of(project, &index, resource);
        let engine_source = cluster.unwrap_or(resource);
        let engine = engine::identify(engine_source);
        additions.push((id, "engine_family", engine.family_value(resource.span)));
        additions.push((
            id,
            "engine_major_version",
            engine.major_value(resource.span),
        ));

        let port_source = if kind == Kind::DbClusterInstance {
            cluster
        } else {
            Some(resource)
        };
        let port = match port_source {
            Some(source) => engine::effective_port(source, &engine),
            None => Value::unknown("cluster not in this project", resource.span),
        };
        additions.push((id, "effective_port", port));
        additions.push((
            id,
            "default_port",
            engine::default_port_value(&engine, resource.span),
        ));

        let parameters = engine::effective_parameters(project, &index, resource, &engine);
        additions.push((id, "effective_parameters", parameters.value));
        if let Some(group) = parameters.group {
            serves_database.insert(group, project.resources[group].span);
        }

        // A cluster instance's network, options and replication are its cluster's: these
        // facts are on instances and clusters only (src/ir/facts.rs).
        if kind != Kind::DbClusterInstance {
            let rules = network::rules(project, &index, &mut group_rules, resource);
            for group in &rules.groups {
                serves_database.insert(*group, project.resources[*group].span);
            }
            additions.push((id, "ingress_rules", rules.ingress));
            additions.push((id, "egress_rules", rules.egress));
            additions.push((id, "option_names", option_names(project, &index, resource)));
            additions.push((
                id,
                "subnet_routes_to_internet",
                network::subnet_routes_to_internet(project, &index, &routes, resource),
            ));
            additions.push((id, "is_read_replica", read_replica(resource)));
        }
        // Restored from a snapshot: the storage takes the snapshot's encryption and key
        // unless the source says otherwise, and the snapshot is not in the source.
        if let Some(snapshot) = resource
            .attr("snapshot_identifier")
            .filter(|v| !matches!(v.data, Data::Null))
        {
            for (attr, what) in [
                ("kms_key_id", "the key of the snapshot it is restored from"),
                (
                    "storage_encrypted",
                    "the encryption of the snapshot it is restored from",
                ),
            ] {
                let written = resource
                    .attr(attr)
                    .is_some_and(|v| !matches!(v.provenance, crate::ir::Provenance::Default));
                if !written {
                    additions.push((id, attr, Value::unknown(what, snapshot.span)));
                }
            }
        }

        for key_attr in [
            "kms_key_id",
            "performance_insights_kms_key_id",
            "master_user_secret_kms_key_id",
        ] {
            if let Some(value) = resource.attr(key_attr)
                && let Target::Resource(key) = index.resolve(project, value, &[Kind::KmsKey])
            {
                serves_database.insert(key, project.resources[key].span);
            }
        }
    }

    serves_database.extend(database_secrets(project, &index));
    let (rotated, rotation_of_unknown_secret) = rotated_secrets(project, &index);

    for (id, resource) in project.resources.iter().enumerate() {
        if resource.kind == Some(Kind::Secret) {
            let rotation = if rotated.contains(&id) {
                derived(Data::Bool(true), resource.span)
            } else if rotation_of_unknown_secret {
                Value::unknown("a rotation's secret is not known", resource.span)
            } else {
                derived(Data::Bool(false), resource.span)
            };
            additions.push((id, "rotation_enabled", rotation));
        }
        if matches!(resource.kind, Some(Kind::Function | Kind::TaskDefinition)) {
            additions.push((
                id,
                "environment_credentials",
                credentials::environment_credentials(resource),
            ));
        }
        if resource.kind == Some(Kind::DbBackupReplication) {
            additions.push((
                id,
                "shares_storage_key",
                shares_storage_key(project, &index, resource),
            ));
        }
        if resource.kind == Some(Kind::KmsKey) {
            additions.push((
                id,
                "policy_allows_anyone",
                key_policy::allows_anyone(resource),
            ));
        }
        // Resource types AWS has retired (EC2-Classic DB security groups).
        if resource.kind == Some(Kind::DbSecurityGroup) {
            additions.push((id, "retired", derived(Data::Bool(true), resource.span)));
        }
        if resource
            .kind
            .is_some_and(|k| k.has_attr("used_by_database"))
        {
            let used = serves_database.contains_key(&id);
            additions.push((
                id,
                "used_by_database",
                derived(Data::Bool(used), resource.span),
            ));
        }
    }

    for (id, name, value) in additions {
        project.resources[id].attrs.insert(name.to_string(), value);
    }
}

/// Names of the options in the database's option group: empty for the engine's default
/// group (which has none), unknown for a group defined elsewhere.
fn option_names(project: &Project, index: &Index, database: &Resource) -> Value {
    let Some(group) = database.attr("option_group_name") else {
        return derived(Data::List(Vec::new().into()), database.span);
    };
    match index.resolve(project, group, &[Kind::DbOptionGroup]) {
        Target::Resource(id) => {
            let group_resource = &project.resources[id];
            let names = group_resource
                .attr("options")
                .and_then(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .map(
                    |option| match option.as_object().and_then(|o| o.get("option_name")) {
                        Some(name) => name.clone(),
                        None => Value::unknown("option name not known", option.span),
                    },
                )
                .collect::<Vec<_>>()
                .into();
            derived(Data::List(names), group_resource.span)
        }
        Target::External(name) if name.starts_with("default:") => {
            derived(Data::List(Vec::new().into()), group.span)
        }
        _ => Value::unknown("option group not in this project", group.span),
    }
}

/// Whether a backup replication encrypts with the very key that encrypts its source
/// instance's storage (one key compromise would then expose both copies).
fn shares_storage_key(project: &Project, index: &Index, replication: &Resource) -> Value {
    let Some(backup_key) = replication.attr("kms_key_id") else {
        return derived(Data::Bool(false), replication.span);
    };
    let source = replication
        .attr("source_db_instance_arn")
        .map(|s| index.resolve(project, s, &[Kind::DbInstance]));
    let Some(Target::Resource(source)) = source else {
        return Value::unknown("source instance not in this project", replication.span);
    };
    let Some(storage_key) = project.resources[source].attr("kms_key_id") else {
        return derived(Data::Bool(false), backup_key.span);
    };
    let same = match (&backup_key.data, &storage_key.data) {
        (Data::Link(a), Data::Link(b)) => Some(a.target == b.target),
        (Data::String(a), Data::String(b)) => Some(a == b),
        (Data::Link(_), Data::String(_)) | (Data::String(_), Data::Link(_)) => Some(false),
        _ => None,
    };
    match same {
        Some(same) => derived(Data::Bool(same), backup_key.span),
        None => Value::unknown("keys not known", backup_key.span),
    }
}

/// The secret a reference reaches: the secret itself, or through a secret version or a
/// target attachment (CloudFormation's `Ref` to an attachment is the secret's ARN, and CDK
/// points rotation schedules at the attachment).
fn secret_behind(project: &Project, index: &Index, value: &Value) -> Option<ResourceId> {
    let kinds = [Kind::Secret, Kind::SecretVersion, Kind::SecretAttachment];
    let Target::Resource(id) = index.resolve(project, value, &kinds) else {
        return None;
    };
    if project.resources[id].kind == Some(Kind::Secret) {
        return Some(id);
    }
    match index.resolve(
        project,
        project.resources[id].attr("secret_id")?,
        &[Kind::Secret],
    ) {
        Target::Resource(secret) => Some(secret),
        _ => None,
    }
}

/// Secrets that hold a database's credentials: its master password reads them (directly
/// or through a secret version), or an attachment names the secret and the database.
fn database_secrets(project: &Project, index: &Index) -> HashMap<ResourceId, Span> {
    let databases = [Kind::DbInstance, Kind::DbCluster];
    let mut out = HashMap::new();
    for resource in &project.resources {
        let secret = match resource.kind {
            Some(kind) if databases.contains(&kind) => resource
                .attr("master_password")
                .and_then(|v| secret_behind(project, index, v)),
            Some(Kind::SecretAttachment) => {
                let target = resource
                    .attr("target_id")
                    .map(|t| index.resolve(project, t, &databases));
                if matches!(target, Some(Target::Resource(_))) {
                    resource
                        .attr("secret_id")
                        .and_then(|v| secret_behind(project, index, v))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(secret) = secret {
            out.insert(secret, project.resources[secret].span);
        }
    }
    out
}

/// Secrets that a rotation resource rotates.
/// Secrets a rotation resource rotates, and whether some rotation names a secret that is
/// not known (so any secret may be the one it rotates).
fn rotated_secrets(
    project: &Project,
    index: &Index,
) -> (std::collections::HashSet<ResourceId>, bool) {
    let mut rotated = std::collections::HashSet::new();
    let mut unknown = false;
    for &rotation in index.of_kind(Kind::SecretRotation) {
        let Some(secret) = project.resources[rotation].attr("secret_id") else {
            unknown = true;
            continue;
        };
        match secret_behind(project, index, secret) {
            Some(id) => {
                rotated.insert(id);
            }
            None => {
                let kinds = [Kind::Secret, Kind::SecretVersion, Kind::SecretAttachment];
                if !matches!(index.resolve(project, secret, &kinds), Target::External(_)) {
                    unknown = true;
                }
            }
        }
    }
    (rotated, unknown)
}

/// Whether a database is a read replica (instance `replicate_source_db`, cluster
/// `replication_source_identifier`): a replica inherits storage encryption, its key and
/// subnet group from its source, and keeps no backups or final snapshot of its own.
fn read_replica(resource: &Resource) -> Value {
    let source = resource
        .attr("replicate_source_db")
        .or_else(|| resource.attr("replication_source_identifier"));
    match source.map(|value| (&value.data, value.span)) {
        None | Some((Data::Null, _)) => derived(Data::Bool(false), resource.span),
        Some((Data::Unknown(_) | Data::OneOf(_), span)) => {
            Value::unknown("whether it replicates another database is not known", span)
        }
        Some((_, span)) => derived(Data::Bool(true), span),
    }
}

/// The cluster a cluster instance belongs to, when it is in the project.
pub(crate) fn cluster_of<'p>(
    project: &'p Project,
    index: &Index,
    resource: &Resource,
) -> Option<&'p Resource> {
    if resource.kind != Some(Kind::DbClusterInstance) {
        return None;
    }
    match index.resolve(
        project,
        resource.attr("cluster_identifier")?,
        &[Kind::DbCluster],
    ) {
        Target::Resource(id) => Some(&project.resources[id]),
        _ => None,
    }
}

/// Builds a derived object value from `(key, value)` pairs.
pub(crate) fn object(entries: BTreeMap<String, Value>, span: Span) -> Value {
    derived(Data::Object(entries.into()), span)
}
