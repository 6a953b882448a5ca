//! The policy file format (`policy.toml`) as deserialised, and the compiled form the
//! evaluator runs. See `docs/policy-format.md`.

use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::ir::Kind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Which adoption profile a policy belongs to. `essential` policies find weaknesses an
/// attacker can use as deployed (public access, plaintext, a readable password); the
/// `hardened` profile (the default) runs every policy, hardening included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Essential,
    #[default]
    Hardened,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Essential => "essential",
            Profile::Hardened => "hardened",
        }
    }

    /// Whether a policy of profile `policy` runs when this profile is chosen.
    pub fn includes(self, policy: Profile) -> bool {
        match self {
            Profile::Essential => policy == Profile::Essential,
            Profile::Hardened => true,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub id: Spanned<String>,
    pub slug: Spanned<String>,
    pub title: String,
    pub severity: Severity,
    /// `essential` or `hardened` (the default for a policy that does not say).
    #[serde(default)]
    pub profile: Profile,
    pub kinds: Spanned<Vec<Spanned<String>>>,
    /// Formats that can express the kinds (default: all); examples are required for each.
    pub formats: Option<Spanned<Vec<Spanned<String>>>>,
    /// No resource of the kinds should exist (a retired resource type): every one `when`
    /// selects is a finding, at its header, and the policy has no `[assert]`. A good
    /// example proves the pass by replacing it, with none of the kinds left.
    #[serde(default)]
    pub forbidden: bool,
    pub message: String,
    pub rationale: String,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub anchors: Anchors,
    pub remediation: Remediation,
    pub when: Option<Spanned<RawCondition>>,
    /// What must hold; absent exactly when the policy is `forbidden`.
    pub assert: Option<Spanned<RawCondition>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Anchors {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_hub: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkov: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trivy: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
}

impl Anchors {
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.security_hub
            .iter()
            .chain(&self.checkov)
            .chain(&self.trivy)
            .chain(&self.other)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub terraform: String,
    pub cloudformation: String,
    pub pulumi: String,
    /// The construct property to set in an AWS CDK app, where one is known: added to the
    /// CloudFormation fix for templates CDK synthesised (`aws:cdk:path` metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cdk: Option<String>,
}

impl Remediation {
    /// The fix as written for the format the finding is in.
    pub fn for_format(&self, format: crate::ir::Format) -> &str {
        match format {
            crate::ir::Format::Terraform => &self.terraform,
            crate::ir::Format::CloudFormation => &self.cloudformation,
            crate::ir::Format::Pulumi => &self.pulumi,
        }
    }

    /// The fix for one finding: in a template AWS CDK synthesised, the construct property
    /// too, since the template is not what its author edits.
    pub fn for_finding(&self, finding: &super::Finding) -> std::borrow::Cow<'_, str> {
        match (&self.cdk, finding.from_cdk()) {
            (Some(cdk), true) => std::borrow::Cow::Owned(format!(
                "In the CDK app: {cdk} (in the synthesised template: {})",
                self.cloudformation
            )),
            _ => std::borrow::Cow::Borrowed(self.for_format(finding.format)),
        }
    }
}

/// A condition as written: exactly one form must be present (checked by the loader).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub all: Option<Vec<Spanned<RawCondition>>>,
    pub any: Option<Vec<Spanned<RawCondition>>>,
    pub not: Option<Box<Spanned<RawCondition>>>,
    pub path: Option<Spanned<String>>,
    pub equals: Option<Spanned<toml::Value>>,
    pub not_equals: Option<Spanned<toml::Value>>,
    pub one_of: Option<Spanned<toml::Value>>,
    pub not_one_of: Option<Spanned<toml::Value>>,
    pub gte: Option<Spanned<toml::Value>>,
    pub gt: Option<Spanned<toml::Value>>,
    pub lte: Option<Spanned<toml::Value>>,
    pub lt: Option<Spanned<toml::Value>>,
    pub truthy: Option<bool>,
    pub exists: Option<bool>,
    pub matches: Option<Spanned<String>>,
    pub contains: Option<Spanned<toml::Value>>,
    pub contains_all: Option<Spanned<toml::Value>>,
    pub hardcoded: Option<bool>,
    pub every: Option<Box<Spanned<RawCondition>>>,
    pub none: Option<Box<Spanned<RawCondition>>>,
    pub some: Option<Box<Spanned<RawCondition>>>,
    /// `follow = "attr"`, `to = [kinds]`, `then = condition`.
    pub follow: Option<Spanned<String>>,
    pub to: Option<Spanned<Vec<String>>>,
    pub then: Option<Box<Spanned<RawCondition>>>,
    /// With `follow`: when the attribute is absent, AWS attaches its default resource of
    /// the kind (an engine's default option group), where `then` is decided.
    pub absent_is_aws_default: Option<Spanned<bool>>,
    /// `referenced_by = [kinds]`, `through = "attr"`.
    pub referenced_by: Option<Spanned<Vec<String>>>,
    pub through: Option<Spanned<String>>,
}

/// A literal in a policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Literal>),
}

/// A path of object keys (`effective_parameters."rds.force_ssl"`).
pub type Path = Vec<String>;

#[derive(Clone, Debug)]
pub enum Operand {
    Literal(Literal),
    /// A setting, optionally a table indexed by the value at `key` of the resource (the
    /// first of several keys whose value names an entry).
    Config {
        name: String,
        key: Vec<Path>,
    },
    /// An attribute of the resource under evaluation.
    Attr(Path),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Gte,
    Gt,
    Lte,
    Lt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    Every,
    None,
    Some,
}

#[derive(Clone, Debug)]
pub enum Op {
    Equals(Operand, bool),
    OneOf(Operand, bool),
    Bound(Bound, Operand),
    Truthy(bool),
    Exists(bool),
    Matches(Regex),
    Contains(Operand),
    ContainsAll(Operand),
    Hardcoded(bool),
    Quantified(Quantifier, Box<Condition>),
}

impl Op {
    /// The same test against another operand (one candidate entry of a setting table).
    pub fn with_operand(&self, operand: Operand) -> Op {
        match self {
            Op::Equals(_, positive) => Op::Equals(operand, *positive),
            Op::OneOf(_, positive) => Op::OneOf(operand, *positive),
            Op::Bound(bound, _) => Op::Bound(*bound, operand),
            Op::Contains(_) => Op::Contains(operand),
            Op::ContainsAll(_) => Op::ContainsAll(operand),
            other => other.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test {
        path: Path,
        op: Op,
    },
    /// The attribute at `path` links to a resource of one of `to` (every one, for a list of
    /// links) for which `then` holds: the finding lands in that resource, where the fix is.
    ///
    /// A link to a resource AWS provides (`default:mysql-8-0`, a kind's
    /// `aws_default_prefix`), or an absent attribute with `absent_is_aws_default`, is
    /// decided on that resource as AWS provides it: the kind's defaults, nothing set.
    Follow {
        path: Path,
        to: Vec<Kind>,
        then: Box<Condition>,
        absent_is_aws_default: bool,
    },
    /// Some resource of `kinds` links to this one through its attribute `through` (a
    /// rotation naming the secret, a replication naming the database).
    ReferencedBy {
        kinds: Vec<Kind>,
        through: Path,
    },
}

/// A loaded, validated policy.
#[derive(Debug)]
pub struct Policy {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub severity: Severity,
    pub profile: Profile,
    pub kinds: Vec<Kind>,
    pub formats: Vec<crate::ir::Format>,
    /// Every resource of the kinds is a finding.
    pub forbidden: bool,
    pub message: String,
    pub rationale: String,
    pub references: Vec<String>,
    pub anchors: Anchors,
    pub remediation: Remediation,
    pub when: Option<Condition>,
    pub assert: Condition,
    /// Where it was loaded from (`embedded:policies/...` or a user path).
    pub source: String,
}

impl Policy {
    /// Where the generated reference documents this policy, relative to the repository.
    pub fn docs_path(&self) -> String {
        format!("docs/policies.md#{}", self.id.to_ascii_lowercase())
    }

    /// The same page on the project's site: a link that works outside this repository.
    pub fn docs_url(&self) -> String {
        format!(
            "{}/blob/main/{}",
            env!("CARGO_PKG_REPOSITORY"),
            self.docs_path()
        )
    }
}

/// Settings policies read through `{ config = ... }` operands.
pub type Settings = BTreeMap<String, toml::Value>;
