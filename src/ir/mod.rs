//! The format-neutral resource model every other module reads.
//!
//! Parsers lower their formats into [`Resource`]s whose attributes are [`Value`]s with a
//! span and a provenance; the graph adds derived facts; policies read only this model.

pub mod kinds;
pub mod schema;
pub mod source;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

pub use schema::Kind;
pub use source::{FileId, Position, SourceFile, SourceMap, Span, normalise};

/// The family of input a resource came from; used for remediation text and reporting only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Terraform,
    CloudFormation,
    Pulumi,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Terraform => "terraform",
            Format::CloudFormation => "cloudformation",
            Format::Pulumi => "pulumi",
        }
    }
}

/// One hop of a value's journey from its definition to the place it is used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    /// What the value passed through, as the user wrote it (`var.password`, `local.name`).
    pub via: String,
    /// Where that definition is.
    pub span: Span,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Written literally where it is used.
    Literal,
    /// Resolved through variables, locals or parameters; `chain` lists the hops, use-site first.
    Resolved { chain: Vec<Hop> },
    /// Absent from the source; the provider's documented default (span = resource header).
    Default,
    /// Computed by the graph from other facts.
    Derived,
}

/// Hops a provenance chain keeps. Values built from values that reuse each other would
/// otherwise carry chains that double at every level; a report shows a few hops anyway.
pub const MAX_HOPS: usize = 16;

impl Provenance {
    /// A resolved chain, cut to [`MAX_HOPS`] distinct hops (first ones kept).
    pub fn resolved(chain: Vec<Hop>) -> Provenance {
        let mut hops = Hops::default();
        for hop in &chain {
            if !hops.push(hop) {
                break;
            }
        }
        Provenance::Resolved { chain: hops.kept }
    }
}

/// The provenance of a value built from parts, gathered as the parts are made: their hops,
/// distinct, at most [`MAX_HOPS`], so building stays linear whatever the parts carry.
#[derive(Default)]
pub struct Hops {
    kept: Vec<Hop>,
}

impl Hops {
    /// Keeps `hop` unless already kept; `false` once full.
    pub fn push(&mut self, hop: &Hop) -> bool {
        if self.kept.len() == MAX_HOPS {
            return false;
        }
        if !self.kept.contains(hop) {
            self.kept.push(hop.clone());
        }
        true
    }

    /// Keeps the hops of a part.
    pub fn add(&mut self, part: &Value) {
        if let Provenance::Resolved { chain } = &part.provenance {
            for hop in chain {
                if !self.push(hop) {
                    return;
                }
            }
        }
    }

    /// The value built: literal when no part carried a hop.
    pub fn build(self, data: Data, span: Span) -> Value {
        Value {
            data,
            span,
            provenance: if self.kept.is_empty() {
                Provenance::Literal
            } else {
                Provenance::Resolved { chain: self.kept }
            },
        }
    }
}

/// A reference to another resource of the same project, by its address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub target: String,
    /// The attribute of the target that was referenced (`id`, `arn`, `name`), if any.
    pub attribute: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Data {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists and objects are shared, not copied: a value used in many places (a
    /// security group's rules in every database that has the group, a local read at every
    /// level) is one allocation. Work budgets count their logical size.
    List(Arc<Vec<Value>>),
    Object(Arc<BTreeMap<String, Value>>),
    Link(Link),
    /// Not knowable before deployment (unset variable, computed attribute, data source).
    Unknown(String),
    /// A value held in a secret store or marked secret; known to be not a literal.
    Secret(String),
    /// One of several values, not decidable before deployment (a CloudFormation `Fn::If`
    /// on an undecidable condition). A policy fails only if it fails for every alternative.
    OneOf(Vec<Value>),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    pub data: Data,
    pub span: Span,
    pub provenance: Provenance,
}

impl Value {
    pub fn literal(data: Data, span: Span) -> Value {
        Value {
            data,
            span,
            provenance: Provenance::Literal,
        }
    }

    pub fn unknown(reason: impl Into<String>, span: Span) -> Value {
        Value::literal(Data::Unknown(reason.into()), span)
    }

    /// A value built from parts (a list, a template, a function result): literal if all
    /// parts are, otherwise carrying every part's hops.
    pub fn combined(data: Data, parts: &[Value], span: Span) -> Value {
        let mut hops = Hops::default();
        for part in parts {
            hops.add(part);
        }
        hops.build(data, span)
    }

    /// A value defined at `definition` (a variable default, a parameter, a config entry),
    /// re-anchored where it is used, with the definition as the first hop. An unknown
    /// value is only moved: there is nothing to point back to.
    pub fn resolved_at(self, via: String, definition: Span, use_span: Span) -> Value {
        if self.is_unknown() {
            return Value {
                span: use_span,
                ..self
            };
        }
        let mut chain = vec![Hop {
            via,
            span: definition,
        }];
        if let Provenance::Resolved { chain: inner } = self.provenance {
            chain.extend(inner);
        }
        Value {
            data: self.data,
            span: use_span,
            provenance: Provenance::resolved(chain),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.data, Data::Unknown(_))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.data {
            Data::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.data {
            Data::List(items) => Some(items),
            _ => None,
        }
    }

    /// The items of a list, or the value itself as the one item of any other value (an
    /// attribute that holds one link or a list of links).
    pub fn items(&self) -> &[Value] {
        match &self.data {
            Data::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match &self.data {
            Data::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_link(&self) -> Option<&Link> {
        match &self.data {
            Data::Link(link) => Some(link),
            _ => None,
        }
    }

    /// Numeric view with Terraform's implicit conversion (`"7"` is 7).
    pub fn as_number(&self) -> Option<f64> {
        match &self.data {
            Data::Number(n) => Some(*n),
            Data::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Boolean view accepting the spellings databases and IaC use: true/1/on/yes.
    pub fn as_truthy(&self) -> Option<bool> {
        match &self.data {
            Data::Bool(b) => Some(*b),
            Data::Number(n) => Some(*n != 0.0),
            Data::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "on" | "yes" => Some(true),
                "false" | "0" | "off" | "no" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A short rendering for messages (`false`, `"admin"`, `[...]`).
    pub fn display(&self) -> String {
        match &self.data {
            Data::Null => "null".into(),
            Data::Bool(b) => b.to_string(),
            Data::Number(n) => format_number(*n),
            Data::String(s) => format!("\"{s}\""),
            Data::List(items) => {
                let inner: Vec<String> = items.iter().map(Value::display).collect();
                format!("[{}]", inner.join(", "))
            }
            Data::Object(_) => "{...}".into(),
            Data::Link(link) => link.target.clone(),
            Data::Unknown(_) => "(unknown)".into(),
            Data::Secret(_) => "(secret)".into(),
            Data::OneOf(options) => {
                let inner: Vec<String> = options.iter().map(Value::display).collect();
                format!("one of {}", inner.join(" | "))
            }
        }
    }

    /// Walks a path of object keys.
    pub fn get_path(&self, path: &[String]) -> Option<&Value> {
        let mut current = self;
        for key in path {
            current = current.as_object()?.get(key)?;
        }
        Some(current)
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Identifies a resource inside a [`Project`].
pub type ResourceId = usize;

#[derive(Clone, Debug, Serialize)]
pub struct Origin {
    pub format: Format,
    /// The type as the source spells it (`aws_db_instance`, `AWS::RDS::DBInstance`).
    pub native_type: String,
    /// A path the user recognises beyond the address (CDK construct path, Pulumi source position).
    pub note: Option<String>,
    /// Where in its program a Pulumi resource was declared (`sourcePosition`), read once
    /// when the state is lowered.
    pub program_position: Option<ProgramPosition>,
    /// The module calls that instantiated this resource, outermost first.
    pub call_chain: Vec<Hop>,
    /// Suppressions the resource declares itself (CloudFormation `Metadata.rampart.ignore`).
    pub ignores: Vec<DeclaredIgnore>,
    /// Arguments written but set to null (Terraform): absent, yet a finding about them
    /// belongs on the line that sets them, where the fix is.
    pub unset: BTreeMap<String, Span>,
}

/// A line and column in a program file, the path relative to the Pulumi project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgramPosition {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// A suppression written on a resource: policy ids (empty: all), reason, expiry date text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeclaredIgnore {
    pub ids: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Resource {
    /// Canonical kind; `None` for resource types rampart does not model (still linkable).
    pub kind: Option<Kind>,
    /// The resource's own name (`this`, a logical id).
    pub name: String,
    /// What the user recognises (`module.db.aws_db_instance.this`, a logical id, a URN).
    pub address: String,
    /// Canonical attributes; the graph adds derived facts here.
    pub attrs: BTreeMap<String, Value>,
    /// The resource header (block start, logical id key) — where absent attributes point.
    pub span: Span,
    pub origin: Origin,
}

impl Resource {
    pub fn attr(&self, name: &str) -> Option<&Value> {
        self.attrs.get(name)
    }

    /// Fills absent attributes with the schema's provider defaults, spanned at the header.
    pub fn apply_defaults(&mut self) {
        let Some(kind) = self.kind else { return };
        for attr in kind.schema().attrs {
            if let Some(default) = &attr.default
                && !self.attrs.contains_key(attr.name)
            {
                self.attrs.insert(
                    attr.name.to_string(),
                    Value {
                        data: default.to_data(),
                        span: self.span,
                        provenance: Provenance::Default,
                    },
                );
            }
        }
    }
}

/// The resources that can reference one another: a Terraform module directory, a template,
/// a Pulumi stack.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// Display name (directory or file).
    pub name: String,
    pub resources: Vec<Resource>,
}

impl Project {
    pub fn find(&self, address: &str) -> Option<ResourceId> {
        self.resources.iter().position(|r| r.address == address)
    }
}
