//! Links resources of one project and derives the facts policies read as attributes:
//! engine family and major version, effective port, effective database parameters,
//! normalised security-group rules, and which keys and groups serve a database.
//! Every derived fact is a row of the registry in `src/graph/facts.rs`: its names, kinds,
//! docs (`docs/derived-facts.md` is generated from them) and compute function.

mod credentials;
pub(crate) mod engine;
pub mod facts;
mod key_policy;
mod network;

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// What computing the derived facts of one project shares: the indexes, each database's
/// engine and cluster, and the project-wide tables built once (security-group rules, route
/// tables, the resources that serve a database, rotated secrets).
pub(crate) struct Linking<'p> {
    pub(crate) project: &'p Project,
    pub(crate) index: Index,
    /// Engine and cluster of every instance, cluster and cluster instance.
    databases: HashMap<ResourceId, Database>,
    /// The members of each cluster, in project order.
    members: HashMap<ResourceId, Vec<ResourceId>>,
    group_rules: RefCell<network::GroupRules>,
    routes: network::Routes,
    served: OnceCell<HashSet<ResourceId>>,
    rotations: OnceCell<Rotations>,
}

struct Database {
    /// A cluster instance runs its cluster's engine.
    engine: engine::Engine,
    /// The cluster of a cluster instance, when it is in the project.
    cluster: Option<ResourceId>,
}

/// Secrets a rotation resource rotates, and whether some rotation names a secret that is
/// not known (so any secret may be the one it rotates).
struct Rotations {
    rotated: HashSet<ResourceId>,
    any_unknown: bool,
}

const DATABASE_KINDS: [Kind; 3] = [Kind::DbInstance, Kind::DbCluster, Kind::DbClusterInstance];

impl<'p> Linking<'p> {
    fn new(project: &'p Project) -> Linking<'p> {
        let index = Index::new(project);
        let mut databases = HashMap::new();
        let mut members: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
        for kind in DATABASE_KINDS {
            for &id in index.of_kind(kind) {
                let cluster = cluster_of(project, &index, &project.resources[id]);
                if let Some(cluster) = cluster {
                    members.entry(cluster).or_default().push(id);
                }
                let engine_source = &project.resources[cluster.unwrap_or(id)];
                let engine = engine::identify(engine_source);
                databases.insert(id, Database { engine, cluster });
            }
        }
        let group_rules = RefCell::new(network::GroupRules::new(project, &index));
        let routes = network::Routes::new(project, &index);
        Linking {
            project,
            index,
            databases,
            members,
            group_rules,
            routes,
            served: OnceCell::new(),
            rotations: OnceCell::new(),
        }
    }

    pub(crate) fn resource(&self, id: ResourceId) -> &'p Resource {
        &self.project.resources[id]
    }

    /// The engine of a database (an instance, cluster or cluster instance: the registry
    /// gives engine facts to these kinds only).
    pub(crate) fn engine(&self, id: ResourceId) -> &engine::Engine {
        &self.databases[&id].engine
    }

    /// The cluster of a cluster instance, when it is in the project.
    pub(crate) fn cluster(&self, id: ResourceId) -> Option<ResourceId> {
        self.databases
            .get(&id)
            .and_then(|database| database.cluster)
    }

    /// The cluster instances of a cluster, in project order.
    pub(crate) fn members(&self, cluster: ResourceId) -> &[ResourceId] {
        self.members.get(&cluster).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn group_rules(&self) -> std::cell::RefMut<'_, network::GroupRules> {
        self.group_rules.borrow_mut()
    }

    pub(crate) fn routes(&self) -> &network::Routes {
        &self.routes
    }

    /// Whether a database of the project uses the resource: as its parameter group, a
    /// security group, a key, or the secret of its credentials.
    fn serves_database(&self, id: ResourceId) -> bool {
        self.served
            .get_or_init(|| self.resources_serving_databases())
            .contains(&id)
    }

    fn resources_serving_databases(&self) -> HashSet<ResourceId> {
        let (project, index) = (self.project, &self.index);
        let mut served = HashSet::new();
        for kind in DATABASE_KINDS {
            for &id in index.of_kind(kind) {
                let database = &project.resources[id];
                served.extend(engine::parameter_group(self, database));
                // A cluster instance's network is its cluster's.
                if kind != Kind::DbClusterInstance {
                    served.extend(network::attached_groups(self, database));
                }
                for key_attr in [
                    "kms_key_id",
                    "performance_insights_kms_key_id",
                    "master_user_secret_kms_key_id",
                ] {
                    if let Some(value) = database.attr(key_attr)
                        && let Target::Resource(key) =
                            index.resolve(project, value, &[Kind::KmsKey])
                    {
                        served.insert(key);
                    }
                }
            }
        }
        served.extend(database_secrets(project, index));
        served
    }

    fn rotations(&self) -> &Rotations {
        self.rotations
            .get_or_init(|| rotated_secrets(self.project, &self.index))
    }
}

/// Adds to every resource of the project the derived facts the registry
/// (`src/graph/facts.rs`) gives its kind.
pub fn link(project: &mut Project) {
    let mut additions: Vec<(ResourceId, &'static str, Value)> = Vec::new();
    {
        let linking = Linking::new(project);
        let mut facts_of_kind: HashMap<Kind, Vec<&facts::Fact>> = HashMap::new();
        for fact in facts::FACTS {
            for &kind in fact.kinds {
                facts_of_kind.entry(kind).or_default().push(fact);
            }
        }
        for (id, resource) in project.resources.iter().enumerate() {
            let Some(kind) = resource.kind else { continue };
            for fact in facts_of_kind.get(&kind).map_or(&[][..], Vec::as_slice) {
                let values = (fact.compute)(&linking, id);
                debug_assert_eq!(values.len(), fact.names.len(), "{:?}", fact.names);
                additions.extend(
                    fact.names
                        .iter()
                        .zip(values)
                        .map(|(&name, v)| (id, name, v)),
                );
            }
            if DATABASE_KINDS.contains(&kind) {
                additions.extend(restored_from_snapshot(resource).map(|(name, v)| (id, name, v)));
            }
        }
    }
    for (id, name, value) in additions {
        project.resources[id].attrs.insert(name.to_string(), value);
    }
}

/// A database restored from a snapshot takes the snapshot's storage encryption and key
/// unless the source says otherwise, and the snapshot is not in the source: those
/// attributes, when only defaults, become unknown.
fn restored_from_snapshot(database: &Resource) -> impl Iterator<Item = (&'static str, Value)> + '_ {
    let snapshot = database
        .attr("snapshot_identifier")
        .filter(|v| !matches!(v.data, Data::Null));
    [
        ("kms_key_id", "the key of the snapshot it is restored from"),
        (
            "storage_encrypted",
            "the encryption of the snapshot it is restored from",
        ),
    ]
    .into_iter()
    .filter_map(move |(attr, what)| {
        let snapshot = snapshot?;
        let written = database
            .attr(attr)
            .is_some_and(|v| !matches!(v.provenance, Provenance::Default));
        (!written).then(|| (attr, Value::unknown(what, snapshot.span)))
    })
}

fn rotation_enabled(linking: &Linking<'_>, secret: ResourceId) -> Value {
    let span = linking.resource(secret).span;
    let rotations = linking.rotations();
    if rotations.rotated.contains(&secret) {
        derived(Data::Bool(true), span)
    } else if rotations.any_unknown {
        Value::unknown("a rotation's secret is not known", span)
    } else {
        derived(Data::Bool(false), span)
    }
}

/// Whether a backup replication encrypts with the very key that encrypts its source
/// instance's storage (one key compromise would then expose both copies).
fn shares_storage_key(linking: &Linking<'_>, replication: &Resource) -> Value {
    let (project, index) = (linking.project, &linking.index);
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
fn database_secrets(project: &Project, index: &Index) -> HashSet<ResourceId> {
    let databases = [Kind::DbInstance, Kind::DbCluster];
    let mut out = HashSet::new();
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
            out.insert(secret);
        }
    }
    out
}

fn rotated_secrets(project: &Project, index: &Index) -> Rotations {
    let mut rotated = HashSet::new();
    let mut any_unknown = false;
    for &rotation in index.of_kind(Kind::SecretRotation) {
        let Some(secret) = project.resources[rotation].attr("secret_id") else {
            any_unknown = true;
            continue;
        };
        match secret_behind(project, index, secret) {
            Some(id) => {
                rotated.insert(id);
            }
            None => {
                let kinds = [Kind::Secret, Kind::SecretVersion, Kind::SecretAttachment];
                if !matches!(index.resolve(project, secret, &kinds), Target::External(_)) {
                    any_unknown = true;
                }
            }
        }
    }
    Rotations {
        rotated,
        any_unknown,
    }
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
fn cluster_of(project: &Project, index: &Index, resource: &Resource) -> Option<ResourceId> {
    if resource.kind != Some(Kind::DbClusterInstance) {
        return None;
    }
    match index.resolve(
        project,
        resource.attr("cluster_identifier")?,
        &[Kind::DbCluster],
    ) {
        Target::Resource(id) => Some(id),
        _ => None,
    }
}

/// Builds a derived object value from `(key, value)` pairs.
pub(crate) fn object(entries: BTreeMap<String, Value>, span: Span) -> Value {
    derived(Data::Object(entries.into()), span)
}
