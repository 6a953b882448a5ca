//! Three-valued evaluation of compiled conditions over a resource. A condition is true,
//! false or unknown; only a definitely false assertion is a finding, so unknown values
//! never produce one. Each outcome carries the value that decided it (its witness), which
//! is where the finding points.

use std::borrow::Cow;

use crate::ir::{Data, Hop, Kind, Provenance, Resource, Span, Value};

use super::model::{Bound, Condition, Literal, Op, Operand, Path, Quantifier, Settings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// The value that decided an outcome. It borrows the value: most outcomes are not
/// findings, so rendering and provenance are only materialised for those that are.
#[derive(Clone, Debug, Default)]
pub struct Witness<'v> {
    pub span: Span,
    /// The deciding value, if there was one.
    pub value: Option<&'v Value>,
    /// Extra explanation (`missing: upgrade`).
    pub detail: Option<String>,
}

impl Witness<'_> {
    /// A rendering of the value (`false`, `"admin"`, `7 (default)`).
    pub fn value_text(&self) -> Option<String> {
        self.value.map(|value| match value.provenance {
            Provenance::Default => format!("{} (default)", value.display()),
            _ => value.display(),
        })
    }

    /// How the value got there (variable defaults, locals), use-site first.
    pub fn chain(&self) -> Vec<Hop> {
        match self.value.map(|value| &value.provenance) {
            Some(Provenance::Resolved { chain }) => chain.clone(),
            _ => Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Outcome<'v> {
    pub truth: Truth,
    pub witness: Witness<'v>,
    /// Further places that fail the same way (every offending list element), each its own
    /// finding.
    pub more: Vec<Witness<'v>>,
}

impl Outcome<'_> {
    fn unknown<'v>(span: Span) -> Outcome<'v> {
        Outcome {
            truth: Truth::Unknown,
            witness: Witness {
                span,
                ..Witness::default()
            },
            more: Vec::new(),
        }
    }
}

pub struct Evaluator<'a> {
    pub resource: &'a Resource,
    pub settings: &'a Settings,
    /// The linked project the resource is in, for `follow` and `referenced_by`; without
    /// it, both are unknown.
    pub graph: Option<Graph<'a>>,
}

/// A linked project and its index of references.
#[derive(Clone, Copy)]
pub struct Graph<'a> {
    pub project: &'a crate::ir::Project,
    pub index: &'a crate::graph::Index,
}

impl<'a> Graph<'a> {
    /// Every resource of `projects` with the linked project it is in (`indexes[i]` is
    /// `projects[i]`'s), as [`super::PolicySet::decide`] takes them.
    pub fn resources(
        projects: &'a [crate::ir::Project],
        indexes: &'a [crate::graph::Index],
    ) -> impl Iterator<Item = (&'a Resource, Graph<'a>)> {
        projects.iter().zip(indexes).flat_map(|(project, index)| {
            project
                .resources
                .iter()
                .map(move |resource| (resource, Graph { project, index }))
        })
    }
}

/// What a path lookup found.
enum Lookup<'v> {
    Found(&'v Value),
    /// Absent at this segment; the span of the nearest enclosing value.
    Absent(Span),
    /// An enclosing value was unknown.
    Unknown(Span),
}

impl<'a> Evaluator<'a> {
    /// Evaluates `condition` at the resource (`scope = None`) or at a list element.
    pub fn eval(&self, condition: &Condition, scope: Option<&'a Value>) -> Outcome<'a> {
        match condition {
            Condition::All(children) => combine(
                children.iter().map(|c| self.eval(c, scope)),
                Truth::False,
                Truth::True,
                self.scope_span(scope),
            ),
            Condition::Any(children) => combine(
                children.iter().map(|c| self.eval(c, scope)),
                Truth::True,
                Truth::False,
                self.scope_span(scope),
            ),
            Condition::Not(inner) => {
                let mut outcome = self.eval(inner, scope);
                outcome.truth = match outcome.truth {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                };
                outcome.more.clear();
                outcome
            }
            Condition::Test { path, op } => self.test(path, op, scope),
            Condition::Follow {
                path,
                to,
                then,
                absent_is_aws_default,
            } => self.follow(path, to, then, *absent_is_aws_default, scope),
            Condition::ReferencedBy { kinds, through } => self.referenced_by(kinds, through),
        }
    }

    /// `then` on the resource the attribute at `path` links to; for a list of links, on
    /// each (false if any is false, unknown if any cannot be followed). A link that leaves
    /// the project, or a value that is not known, is unknown, but for a resource AWS
    /// provides (a kind's `aws_default_prefix`), and, with `absent_is_aws_default`, for an
    /// absent attribute: those are decided on the resource as AWS provides it.
    fn follow(
        &self,
        path: &[String],
        to: &[Kind],
        then: &Condition,
        absent_is_aws_default: bool,
        scope: Option<&'a Value>,
    ) -> Outcome<'a> {
        let value = match self.lookup(path, scope) {
            Lookup::Found(value) => value,
            Lookup::Absent(span) if absent_is_aws_default => {
                let kind = to
                    .iter()
                    .copied()
                    .find(|k| k.aws_default_prefix().is_some());
                return match kind {
                    Some(kind) => self.on_aws_default(kind, then, span),
                    None => Outcome::unknown(span),
                };
            }
            Lookup::Absent(span) | Lookup::Unknown(span) => return Outcome::unknown(span),
        };
        let Some(graph) = self.graph else {
            return Outcome::unknown(value.span);
        };
        let outcomes =
            value
                .items()
                .iter()
                .map(|link| match graph.index.resolve(graph.project, link, to) {
                    crate::graph::Target::Resource(id) => Evaluator {
                        resource: &graph.project.resources[id],
                        settings: self.settings,
                        graph: self.graph,
                    }
                    .eval(then, None),
                    crate::graph::Target::External(name) => {
                        let provided_by_aws = to
                            .iter()
                            .copied()
                            .find(|kind| kind.is_provided_by_aws(&name));
                        match provided_by_aws {
                            Some(kind) => self.on_aws_default(kind, then, link.span),
                            None => Outcome::unknown(link.span),
                        }
                    }
                    crate::graph::Target::Unknown => Outcome::unknown(link.span),
                });
        combine(outcomes, Truth::False, Truth::True, value.span)
    }

    /// `then` on a resource of `kind` as AWS provides it (an engine's default option
    /// group): the kind's defaults and nothing set, placed at `span`, where it is named
    /// (or the header of the resource that names none), which is where the fix goes.
    fn on_aws_default(&self, kind: Kind, then: &Condition, span: Span) -> Outcome<'a> {
        let mut provided = Resource {
            kind: Some(kind),
            name: String::new(),
            address: String::new(),
            attrs: std::collections::BTreeMap::new(),
            span,
            origin: crate::ir::Origin {
                unset: std::collections::BTreeMap::new(),
                ignores: Vec::new(),
                ..self.resource.origin.clone()
            },
        };
        provided.apply_defaults();
        let outcome = Evaluator {
            resource: &provided,
            settings: self.settings,
            graph: self.graph,
        }
        .eval(then, None);
        // The resource lives only for this evaluation: keep where and why, not the value.
        let detach = |witness: Witness<'_>| Witness {
            span: witness.span,
            value: None,
            detail: witness.detail,
        };
        Outcome {
            truth: outcome.truth,
            witness: detach(outcome.witness),
            more: outcome.more.into_iter().map(detach).collect(),
        }
    }

    /// Whether some resource of `kinds` links here through `through`: true if one does,
    /// unknown if none does but one's link is not known (it may be this resource), false
    /// otherwise. A link to something outside the project is not this resource.
    fn referenced_by(&self, kinds: &[Kind], through: &[String]) -> Outcome<'a> {
        let (Some(graph), Some(kind)) = (self.graph, self.resource.kind) else {
            return Outcome::unknown(self.resource.span);
        };
        let referenced = graph
            .index
            .referenced(graph.project, kinds, through, kind, |other| {
                let other = Evaluator {
                    resource: other,
                    settings: self.settings,
                    graph: self.graph,
                };
                match other.lookup(through, None) {
                    Lookup::Found(value) => Some(value),
                    Lookup::Absent(_) | Lookup::Unknown(_) => None,
                }
            });
        let this = graph
            .index
            .id_of(&self.resource.address)
            .filter(|&id| std::ptr::eq(&graph.project.resources[id], self.resource));
        if let Some(&span) = this.and_then(|id| referenced.targets.get(&id)) {
            return decided(
                true,
                Witness {
                    span,
                    ..Witness::default()
                },
            );
        }
        if referenced.any_unknown {
            return Outcome::unknown(self.resource.span);
        }
        decided(
            false,
            Witness {
                span: self.resource.span,
                ..Witness::default()
            },
        )
    }

    fn scope_span(&self, scope: Option<&Value>) -> Span {
        scope.map(|v| v.span).unwrap_or(self.resource.span)
    }

    fn lookup(&self, path: &[String], scope: Option<&'a Value>) -> Lookup<'a> {
        let (mut current, rest) = match scope {
            Some(value) => (value, path),
            None => match self.resource.attr(&path[0]) {
                Some(value) => (value, &path[1..]),
                None => {
                    let span = self.resource.origin.unset.get(&path[0]).copied();
                    return Lookup::Absent(span.unwrap_or(self.resource.span));
                }
            },
        };
        for key in rest {
            match &current.data {
                Data::Object(map) => match map.get(key) {
                    Some(next) => current = next,
                    None => return Lookup::Absent(current.span),
                },
                Data::Unknown(_) | Data::Secret(_) | Data::Link(_) | Data::OneOf(_) => {
                    return Lookup::Unknown(current.span);
                }
                _ => return Lookup::Absent(current.span),
            }
        }
        Lookup::Found(current)
    }

    /// The outcome of `op` that no value can change, when its operand decides it alone: no
    /// value reaches a bound of "none" (a version table's "no version has it"), and
    /// nothing is one of an empty list (a capability table's "no class lacks it").
    fn whatever_the_value(&self, op: &Op) -> Option<bool> {
        match op {
            Op::Bound(Bound::Gte | Bound::Gt, operand) => matches!(
                self.operand(operand).as_deref(),
                Some(Literal::Number(n)) if *n == f64::INFINITY
            )
            .then_some(false),
            Op::OneOf(operand, positive) => matches!(
                self.operand(operand).as_deref(),
                Some(Literal::List(items)) if items.is_empty()
            )
            .then_some(!*positive),
            _ => None,
        }
    }

    /// The outcome where there is no value to test (absent or not known): what the
    /// operand alone decides, else unknown.
    fn without_value(&self, op: &Op, span: Span) -> Outcome<'a> {
        match self.whatever_the_value(op) {
            Some(truth) => decided(
                truth,
                Witness {
                    span,
                    ..Witness::default()
                },
            ),
            None => Outcome::unknown(span),
        }
    }

    fn test(&self, path: &[String], op: &Op, scope: Option<&'a Value>) -> Outcome<'a> {
        if let Some(candidates) = self.candidate_ops(op) {
            return agreed(
                candidates
                    .iter()
                    .map(|candidate| self.test_known_operand(path, candidate, scope)),
            );
        }
        self.test_known_operand(path, op, scope)
    }

    fn test_known_operand(
        &self,
        path: &[String],
        op: &Op,
        scope: Option<&'a Value>,
    ) -> Outcome<'a> {
        let value = match self.lookup(path, scope) {
            Lookup::Found(value) => value,
            Lookup::Absent(span) => {
                return match op {
                    // An absent value is not there, and not written in the source either.
                    Op::Exists(expected) | Op::Hardcoded(expected) => decided(
                        !expected,
                        Witness {
                            span,
                            ..Witness::default()
                        },
                    ),
                    _ => self.without_value(op, span),
                };
            }
            Lookup::Unknown(span) => return self.without_value(op, span),
        };
        self.test_value(value, op)
    }

    /// Tests one value; alternatives (`OneOf`) fail only if every alternative fails.
    fn test_value(&self, value: &'a Value, op: &Op) -> Outcome<'a> {
        if let Data::OneOf(alternatives) = &value.data {
            let outcomes: Vec<Outcome> = alternatives
                .iter()
                .map(|alt| self.test_value(alt, op))
                .collect();
            let all = |truth| outcomes.iter().all(|o| o.truth == truth);
            if !outcomes.is_empty() && all(Truth::False) {
                let mut outcome = outcomes[0].clone();
                outcome.witness.span = value.span;
                return outcome;
            }
            if !outcomes.is_empty() && all(Truth::True) {
                return decided(true, witness_of(value));
            }
            return Outcome::unknown(value.span);
        }
        let witness = witness_of(value);
        if let Op::Exists(expected) = op {
            return decided(*expected, witness);
        }
        if let Op::Hardcoded(expected) = op {
            return match &value.data {
                Data::Unknown(_) => Outcome::unknown(value.span),
                data => decided(is_hardcoded(data, &value.provenance) == *expected, witness),
            };
        }
        if let Op::Quantified(quantifier, inner) = op {
            return self.quantified(*quantifier, inner, value);
        }
        if matches!(
            value.data,
            Data::Unknown(_) | Data::Secret(_) | Data::Link(_)
        ) {
            if let Some(truth) = self.whatever_the_value(op) {
                return decided(truth, witness);
            }
            return Outcome::unknown(value.span);
        }
        let truth = match op {
            Op::Equals(operand, positive) => match self.operand(operand).as_deref() {
                Some(expected) => compare_eq(value, expected).map(|eq| eq == *positive),
                None => None,
            },
            Op::OneOf(operand, positive) => match self.operand(operand).as_deref() {
                Some(Literal::List(items)) => {
                    if matches!(value.data, Data::Null) {
                        None
                    } else {
                        let results: Vec<Option<bool>> =
                            items.iter().map(|item| compare_eq(value, item)).collect();
                        if results.contains(&Some(true)) {
                            Some(*positive)
                        } else if results.iter().all(|r| *r == Some(false)) {
                            Some(!*positive)
                        } else {
                            None
                        }
                    }
                }
                _ => None,
            },
            Op::Bound(bound, operand) => {
                match (value.as_number(), self.operand(operand).as_deref()) {
                    (Some(actual), Some(Literal::Number(limit))) => Some(match bound {
                        Bound::Gte => actual >= *limit,
                        Bound::Gt => actual > *limit,
                        Bound::Lte => actual <= *limit,
                        Bound::Lt => actual < *limit,
                    }),
                    _ => None,
                }
            }
            Op::Truthy(expected) => value.as_truthy().map(|t| t == *expected),
            Op::Matches(regex) => value.as_str().map(|s| regex.is_match(s)),
            Op::Contains(operand) => match (value.as_list(), self.operand(operand).as_deref()) {
                (Some(items), Some(expected)) => list_contains(items, expected),
                _ => None,
            },
            Op::ContainsAll(operand) => {
                return match (value.as_list(), self.operand(operand).as_deref()) {
                    (Some(items), Some(Literal::List(expected))) => {
                        self.contains_all(value, items, expected, witness)
                    }
                    _ => Outcome::unknown(value.span),
                };
            }
            Op::Exists(_) | Op::Hardcoded(_) | Op::Quantified(..) => unreachable!("handled above"),
        };
        match truth {
            Some(t) => decided(t, witness),
            None => Outcome::unknown(value.span),
        }
    }

    fn contains_all(
        &self,
        list: &'a Value,
        items: &[Value],
        expected: &[Literal],
        mut witness: Witness<'a>,
    ) -> Outcome<'a> {
        let mut missing = Vec::new();
        for wanted in expected {
            match list_contains(items, wanted) {
                Some(true) => {}
                Some(false) => missing.push(literal_display(wanted)),
                None => return Outcome::unknown(list.span),
            }
        }
        if missing.is_empty() {
            return decided(true, witness);
        }
        witness.detail = Some(format!("missing {}", missing.join(", ")));
        decided(false, witness)
    }

    fn quantified(
        &self,
        quantifier: Quantifier,
        inner: &Condition,
        list: &'a Value,
    ) -> Outcome<'a> {
        let Some(items) = list.as_list() else {
            return Outcome::unknown(list.span);
        };
        let mut unknown = false;
        let mut failing: Vec<Witness<'a>> = Vec::new();
        for item in items {
            if item.is_unknown() {
                unknown = true;
                continue;
            }
            let outcome = self.eval(inner, Some(item));
            match (quantifier, outcome.truth) {
                (Quantifier::Every, Truth::False) | (Quantifier::None, Truth::True) => {
                    failing.push(outcome.witness);
                    failing.extend(outcome.more);
                }
                (Quantifier::Some, Truth::True) => return outcome,
                (_, Truth::Unknown) => unknown = true,
                _ => {}
            }
        }
        // Every offending element is reported, not only the first.
        if !failing.is_empty() {
            let witness = failing.remove(0);
            return Outcome {
                truth: Truth::False,
                witness,
                more: failing,
            };
        }
        let span = list.span;
        if unknown {
            return Outcome::unknown(span);
        }
        let truth = match quantifier {
            Quantifier::Every | Quantifier::None => Truth::True,
            Quantifier::Some => Truth::False,
        };
        Outcome {
            truth,
            witness: Witness {
                span,
                ..Witness::default()
            },
            more: Vec::new(),
        }
    }

    /// The entry of a setting table that the resource's `key` names: the first key whose
    /// value has an entry, else the table's `default` entry.
    fn table_entry<'t>(&self, table: &'t toml::Table, key: &[Path]) -> TableEntry<'t> {
        for path in key {
            match self.lookup(path, None) {
                Lookup::Found(value) => {
                    // A value that is not known leaves the entry not known: a later key
                    // would guess.
                    let Some(name) = value.as_str() else {
                        return TableEntry::NotKnown;
                    };
                    if let Some((entry, found)) = table.get_key_value(name) {
                        return TableEntry::Named(entry, found);
                    }
                }
                Lookup::Absent(_) => {}
                Lookup::Unknown(_) => return TableEntry::NotKnown,
            }
        }
        match table.get_key_value(TABLE_DEFAULT) {
            Some((entry, found)) => TableEntry::Named(entry, found),
            None => TableEntry::NotKnown,
        }
    }

    /// When `op` reads a setting table at a key whose value is not known (a replica's
    /// engine comes from its source), `op` once per entry the key could name, with that
    /// entry in place: where they all agree, the test is decided without the key.
    fn candidate_ops(&self, op: &Op) -> Option<Vec<Op>> {
        let operand = match op {
            Op::Equals(operand, _)
            | Op::OneOf(operand, _)
            | Op::Bound(_, operand)
            | Op::Contains(operand)
            | Op::ContainsAll(operand) => operand,
            _ => return None,
        };
        let Operand::Config { name, key } = operand else {
            return None;
        };
        if key.is_empty() {
            return None;
        }
        let table = self.settings.get(name)?.as_table()?;
        // Only a table with a `default` names an entry for every family the key could be;
        // without one, a family it does not list is not known either way.
        if !table.contains_key(TABLE_DEFAULT)
            || !matches!(self.table_entry(table, key), TableEntry::NotKnown)
        {
            return None;
        }
        let mut ops = Vec::with_capacity(table.len());
        for (entry, found) in table {
            // An entry that is not a value of this setting (e.g. `checked`, a date) is no
            // candidate; one that cannot be read leaves the test unknown.
            if matches!(found, toml::Value::Datetime(_)) {
                continue;
            }
            let literal = entry_literal(name, entry, found)?.into_owned();
            ops.push(op.with_operand(Operand::Literal(literal)));
        }
        Some(ops)
    }

    /// Resolves an operand to a literal; `None` when it cannot be known.
    fn operand<'p>(&self, operand: &'p Operand) -> Option<Cow<'p, Literal>> {
        match operand {
            Operand::Literal(lit) => Some(Cow::Borrowed(lit)),
            Operand::Config { name, key } => {
                let setting = self.settings.get(name)?;
                if key.is_empty() {
                    return super::loader::literal(setting).map(Cow::Owned);
                }
                match self.table_entry(setting.as_table()?, key) {
                    TableEntry::Named(entry, found) => entry_literal(name, entry, found),
                    TableEntry::NotKnown => None,
                }
            }
            Operand::Attr(path) => match self.lookup(path, None) {
                Lookup::Found(value) => value_literal(value).map(Cow::Owned),
                _ => None,
            },
        }
    }
}

/// The entry a setting table falls back to when the resource's key names none of its
/// entries (e.g. the engine families with no class restriction).
const TABLE_DEFAULT: &str = "default";

enum TableEntry<'t> {
    Named(&'t str, &'t toml::Value),
    /// The key's value is not known, or names no entry and there is no `default`.
    NotKnown,
}

/// One entry of a setting table as a literal. A version setting keyed by engine family
/// holds versions as users write them (`"10.5"` or 10.5 for MariaDB): each is that
/// family's major, ordered as the engine orders them; `"none"`: no version has it.
fn entry_literal<'p>(setting: &str, entry: &str, found: &toml::Value) -> Option<Cow<'p, Literal>> {
    if setting.contains("version") {
        let written = match found {
            toml::Value::String(text) if text == "none" => {
                return Some(Cow::Owned(Literal::Number(f64::INFINITY)));
            }
            toml::Value::String(text) => text.clone(),
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Float(n) => n.to_string(),
            _ => return None,
        };
        return crate::graph::engine::major_of(Some(entry), &written)
            .map(|major| Cow::Owned(Literal::Number(major)));
    }
    super::loader::literal(found).map(Cow::Owned)
}

/// All/any, evaluating children only up to the first `decisive` one; unknown if no child
/// decides and any is unknown.
fn combine<'v>(
    outcomes: impl Iterator<Item = Outcome<'v>>,
    decisive: Truth,
    otherwise: Truth,
    span: Span,
) -> Outcome<'v> {
    let mut first_unknown = None;
    let mut first = None;
    for outcome in outcomes {
        if outcome.truth == decisive {
            return outcome;
        }
        if outcome.truth == Truth::Unknown && first_unknown.is_none() {
            first_unknown = Some(outcome);
        } else if first.is_none() {
            first = Some(outcome);
        }
    }
    if let Some(unknown) = first_unknown {
        return unknown;
    }
    match first {
        Some(mut outcome) => {
            outcome.truth = otherwise;
            outcome
        }
        None => Outcome {
            truth: otherwise,
            witness: Witness {
                span,
                ..Witness::default()
            },
            more: Vec::new(),
        },
    }
}

/// The outcome every candidate agrees on, detail included (a message must not name one
/// candidate's missing items), else unknown.
fn agreed<'v>(mut outcomes: impl Iterator<Item = Outcome<'v>>) -> Outcome<'v> {
    let Some(first) = outcomes.next() else {
        return Outcome::unknown(Span::default());
    };
    for outcome in outcomes {
        if outcome.truth != first.truth || outcome.witness.detail != first.witness.detail {
            return Outcome::unknown(first.witness.span);
        }
    }
    first
}

fn decided(truth: bool, witness: Witness<'_>) -> Outcome<'_> {
    Outcome {
        truth: if truth { Truth::True } else { Truth::False },
        witness,
        more: Vec::new(),
    }
}

fn witness_of(value: &Value) -> Witness<'_> {
    Witness {
        span: value.span,
        value: Some(value),
        detail: None,
    }
}

/// A literal written in the source, directly or through variable defaults and locals.
fn is_hardcoded(data: &Data, provenance: &Provenance) -> bool {
    matches!(
        provenance,
        Provenance::Literal | Provenance::Resolved { .. }
    ) && match data {
        Data::String(s) => !s.is_empty(),
        Data::Number(_) => true,
        _ => false,
    }
}

fn value_literal(value: &Value) -> Option<Literal> {
    Some(match &value.data {
        Data::Bool(b) => Literal::Bool(*b),
        Data::Number(n) => Literal::Number(*n),
        Data::String(s) => Literal::String(s.clone()),
        _ => return None,
    })
}

fn literal_display(lit: &Literal) -> String {
    match lit {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => crate::ir::format_number(*n),
        Literal::String(s) => s.clone(),
        Literal::List(items) => items
            .iter()
            .map(literal_display)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Equality with Terraform's conversions: numbers numerically (`"7"` = 7), strings
/// case-insensitively, booleans with their spellings. `None` when the value is not comparable.
fn compare_eq(value: &Value, expected: &Literal) -> Option<bool> {
    match expected {
        Literal::Number(n) => value.as_number().map(|v| v == *n),
        Literal::Bool(b) => value.as_truthy().map(|v| v == *b),
        Literal::String(s) => match &value.data {
            Data::String(v) => Some(v.eq_ignore_ascii_case(s)),
            Data::Number(v) => Some(s.trim().parse::<f64>().ok() == Some(*v)),
            Data::Bool(v) => Some(s.eq_ignore_ascii_case(&v.to_string())),
            _ => None,
        },
        Literal::List(_) => None,
    }
}

fn list_contains(items: &[Value], wanted: &Literal) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match compare_eq(item, wanted) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown { None } else { Some(false) }
}

/// Renders a message template: `{address}`, `{kind}`, `{value}`, `{detail}`,
/// `{attr:NAME}`; other braces are kept as written.
pub fn render_message(template: &str, resource: &Resource, witness: &Witness) -> String {
    // Attribute names as the user's format spells them (`DeletionProtection` in a
    // template, `deletionProtection` in a Pulumi program).
    let template = crate::parse::names::in_user_words(
        template,
        resource.origin.format,
        &resource.origin.native_type,
        resource.kind,
    );
    let mut out = String::with_capacity(template.len() + resource.address.len() + 16);
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let placeholder = ["{address}", "{kind}", "{value}", "{detail}"]
            .into_iter()
            .find(|p| after.starts_with(p));
        match placeholder {
            Some("{address}") => out.push_str(&resource.address),
            Some("{kind}") => out.push_str(resource.kind.map(|k| k.as_str()).unwrap_or("resource")),
            Some("{value}") => match witness.value_text() {
                Some(text) => out.push_str(&text),
                None => out.push_str("absent"),
            },
            Some(_) => out.push_str(witness.detail.as_deref().unwrap_or_default()),
            // `{attr:NAME}`: an attribute of the resource as written (`engine_version`
            // `"10.4.34"` where the deciding value is its major).
            None if after.starts_with("{attr:") && after.contains('}') => {
                let end = after.find('}').expect("checked");
                let name = &after["{attr:".len()..end];
                match resource.attr(name) {
                    Some(value) => out.push_str(&value.display()),
                    None => out.push_str("absent"),
                }
                rest = &after[end + 1..];
                continue;
            }
            None => out.push('{'),
        }
        rest = &after[placeholder.map_or(1, str::len)..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    //! The three-valued logic, as a truth table: T (holds), F (fails), U (not known).

    use super::*;
    use crate::ir::{Data, Format, Kind, Origin, Resource, Span, Value};

    /// A database whose `storage_encrypted` is `a` and `multi_az` is `b` (None: unknown).
    fn database(a: Option<bool>, b: Option<bool>) -> Resource {
        let value = |v: Option<bool>| match v {
            Some(v) => Value::literal(Data::Bool(v), Span::new(0, 0..1)),
            None => Value::unknown("not known", Span::new(0, 0..1)),
        };
        let mut attrs = std::collections::BTreeMap::new();
        attrs.insert("storage_encrypted".to_string(), value(a));
        attrs.insert("multi_az".to_string(), value(b));
        Resource {
            kind: Some(Kind::DbInstance),
            name: "db".into(),
            address: "aws_db_instance.db".into(),
            attrs,
            span: Span::new(0, 0..1),
            origin: Origin {
                format: Format::Terraform,
                native_type: "aws_db_instance".into(),
                note: None,
                program_position: None,
                call_chain: Vec::new(),
                ignores: Vec::new(),
                unset: Default::default(),
            },
        }
    }

    fn truth(assert: &str, resource: &Resource) -> Truth {
        outcome_span(assert, resource).0
    }

    const VALUES: [(Option<bool>, Truth); 3] = [
        (Some(true), Truth::True),
        (Some(false), Truth::False),
        (None, Truth::Unknown),
    ];

    /// Kleene's strong three-valued logic: what Terraform's and CloudFormation's own
    /// short circuits give, and what keeps "unknown" from ever becoming a finding.
    fn and(a: Truth, b: Truth) -> Truth {
        match (a, b) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    fn not(a: Truth) -> Truth {
        match a {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    #[test]
    fn all_any_and_not_follow_the_truth_table() {
        let both = "{ path = \"storage_encrypted\", truthy = true }, { path = \"multi_az\", truthy = true }";
        for (a, ta) in VALUES {
            for (b, tb) in VALUES {
                let db = database(a, b);
                assert_eq!(
                    truth(&format!("all = [{both}]"), &db),
                    and(ta, tb),
                    "all {a:?} {b:?}"
                );
                assert_eq!(
                    truth(&format!("any = [{both}]"), &db),
                    not(and(not(ta), not(tb))),
                    "any {a:?} {b:?}"
                );
                assert_eq!(
                    truth("not = { path = \"storage_encrypted\", truthy = true }", &db),
                    not(ta),
                    "not {a:?}"
                );
            }
        }
    }

    fn outcome_span(assert: &str, resource: &Resource) -> (Truth, Span) {
        let text = format!(
            "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = [\"db_instance\"]\nmessage = \"m\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\n{assert}\n"
        );
        let settings = crate::config::default_settings();
        let policy = crate::policy::loader::parse_policy("p.toml", &text, &settings).unwrap();
        let outcome = Evaluator {
            resource,
            settings: &settings,
            graph: None,
        }
        .eval(&policy.assert, None);
        (outcome.truth, outcome.witness.span)
    }

    /// A setting table read at a key that is not known (a replica's engine family): decided
    /// where every entry agrees, including `default`; a table without `default` leaves the
    /// test unknown, since the key may name no entry at all.
    #[test]
    fn tables_at_an_unknown_key_decide_where_every_entry_agrees() {
        let settings: Settings = toml::from_str::<toml::Table>(
            "[classes]\ndefault = []\nmysql = [\"db.t3.micro\"]\n\
             [no_default]\nmysql = [\"db.t3.micro\"]\npostgres = [\"db.t3.micro\"]\n",
        )
        .unwrap()
        .into_iter()
        .collect();
        let truth = |class: &str, family: Option<&str>, table: &str| {
            let mut db = database(None, None);
            let span = Span::new(0, 0..1);
            db.attrs.insert(
                "instance_class".into(),
                Value::literal(Data::String(class.into()), span),
            );
            let family = match family {
                Some(family) => Value::literal(Data::String(family.into()), span),
                None => Value::unknown("from the source", span),
            };
            db.attrs.insert("engine_family".into(), family);
            let text = format!(
                "id = \"TST-001\"\nslug = \"s\"\ntitle = \"t\"\nseverity = \"high\"\nkinds = [\"db_instance\"]\nmessage = \"m\"\nrationale = \"r\"\n[remediation]\nterraform = \"t\"\ncloudformation = \"c\"\npulumi = \"p\"\n[assert]\npath = \"instance_class\"\none_of = {{ config = \"{table}\", key = \"engine_family\" }}\n"
            );
            let policy = crate::policy::loader::parse_policy("p.toml", &text, &settings).unwrap();
            Evaluator {
                resource: &db,
                settings: &settings,
                graph: None,
            }
            .eval(&policy.assert, None)
            .truth
        };
        // Known family: its entry; a family the table does not list: `default`.
        assert_eq!(truth("db.t3.micro", Some("mysql"), "classes"), Truth::True);
        assert_eq!(
            truth("db.t3.micro", Some("postgres"), "classes"),
            Truth::False
        );
        // Unknown family: in no entry is decided; in one entry but not `default` is not.
        assert_eq!(truth("db.r6g.large", None, "classes"), Truth::False);
        assert_eq!(truth("db.t3.micro", None, "classes"), Truth::Unknown);
        // Every entry agrees, but a family the table does not list would have no entry.
        assert_eq!(truth("db.t3.micro", None, "no_default"), Truth::Unknown);
        assert_eq!(truth("db.r6g.large", None, "no_default"), Truth::Unknown);
        assert_eq!(
            truth("db.t3.micro", Some("oracle"), "no_default"),
            Truth::Unknown
        );
    }

    /// Where an outcome points: the value that decided it, the unknown value that left it
    /// undecided, or the resource header when nothing decided it.
    #[test]
    fn outcomes_point_at_what_decided_them() {
        let mut db = database(Some(false), None);
        let unknown_at = Span::new(0, 40..45);
        db.attrs.get_mut("multi_az").unwrap().span = unknown_at;
        db.span = Span::new(0, 1..9);
        let (truth, span) = outcome_span("path = \"multi_az\"\ntruthy = true", &db);
        assert_eq!((truth, span), (Truth::Unknown, unknown_at));
        let (truth, span) = outcome_span("any = []", &db);
        assert_eq!(
            (truth, span),
            (Truth::False, db.span),
            "an empty `any` fails at the header"
        );
    }

    /// An undecidable `Fn::If` is a `OneOf`: it fails only when every alternative fails,
    /// holds only when every one holds, and is unknown otherwise, in either order.
    #[test]
    fn alternatives_fail_only_when_all_fail() {
        let span = Span::new(0, 0..1);
        let one_of = |values: &[bool]| Value {
            data: Data::OneOf(
                values
                    .iter()
                    .map(|v| Value::literal(Data::Bool(*v), span))
                    .collect(),
            ),
            span,
            provenance: crate::ir::Provenance::Literal,
        };
        let mut db = database(None, None);
        for (values, expected) in [
            (&[false, false][..], Truth::False),
            (&[true, true][..], Truth::True),
            (&[true, false][..], Truth::Unknown),
            (&[false, true][..], Truth::Unknown),
        ] {
            db.attrs.insert("storage_encrypted".into(), one_of(values));
            assert_eq!(
                truth("path = \"storage_encrypted\"\ntruthy = true", &db),
                expected,
                "{values:?}"
            );
        }
    }

    /// `some`, `every` and `none` over elements whose tested value is known or not.
    #[test]
    fn quantifiers_over_known_and_unknown_elements() {
        let span = Span::new(0, 0..1);
        let rule = |cidr: Option<&str>| {
            let mut fields = std::collections::BTreeMap::new();
            fields.insert(
                "cidr".to_string(),
                match cidr {
                    Some(c) => Value::literal(Data::String(c.into()), span),
                    None => Value::unknown("not known", span),
                },
            );
            Value::literal(Data::Object(fields.into()), span)
        };
        let open = Some("0.0.0.0/0");
        let private = Some("10.0.0.0/8");
        let mut db = database(None, None);
        let list_at = Span::new(0, 3..8);
        for (rules, some, every, none) in [
            (vec![private, open], Truth::True, Truth::False, Truth::False),
            (
                vec![private, private],
                Truth::False,
                Truth::False,
                Truth::True,
            ),
            (
                vec![private, None],
                Truth::Unknown,
                Truth::False,
                Truth::Unknown,
            ),
            (vec![None, open], Truth::True, Truth::Unknown, Truth::False),
            (vec![open, open], Truth::True, Truth::True, Truth::False),
            (vec![], Truth::False, Truth::True, Truth::True),
        ] {
            db.attrs.insert(
                "ingress_rules".into(),
                Value::literal(
                    Data::List(rules.iter().map(|c| rule(*c)).collect::<Vec<_>>().into()),
                    list_at,
                ),
            );
            for (quantifier, expected) in [("some", some), ("every", every), ("none", none)] {
                let (truth, witness) = outcome_span(
                    &format!(
                        "path = \"ingress_rules\"\n{quantifier} = {{ path = \"cidr\", equals = \"0.0.0.0/0\" }}"
                    ),
                    &db,
                );
                assert_eq!(truth, expected, "{quantifier} over {rules:?}");
                if rules.is_empty() {
                    assert_eq!(witness, list_at, "an empty list decides at the list");
                }
            }
        }
    }

    /// Equality converts as Terraform does: `"7"` is 7, `"TRUE"` is true, strings compare
    /// without case; an operand read from another attribute compares the same way.
    #[test]
    fn equality_converts_numbers_booleans_and_case() {
        let span = Span::new(0, 0..1);
        let mut db = database(Some(true), Some(false));
        let set = |db: &mut Resource, name: &str, data: Data| {
            db.attrs
                .insert(name.to_string(), Value::literal(data, span));
        };
        set(&mut db, "port", Data::Number(5432.0));
        set(&mut db, "engine", Data::String("Postgres".into()));
        for (test, expected) in [
            ("path = \"port\"\nequals = \"5432\"", Truth::True),
            ("path = \"port\"\nequals = \"5433\"", Truth::False),
            ("path = \"port\"\nequals = 5432", Truth::True),
            ("path = \"engine\"\nequals = \"postgres\"", Truth::True),
            ("path = \"engine\"\nequals = \"mysql\"", Truth::False),
            (
                "path = \"storage_encrypted\"\nequals = \"TRUE\"",
                Truth::True,
            ),
            ("path = \"multi_az\"\nequals = \"true\"", Truth::False),
            ("path = \"engine\"\nequals = 5432", Truth::Unknown),
        ] {
            assert_eq!(truth(test, &db), expected, "{test}");
        }
        set(&mut db, "port", Data::String("5432".into()));
        assert_eq!(truth("path = \"port\"\nequals = 5432", &db), Truth::True);

        // `{ attr = ... }` operands, from inside a quantifier: strings, booleans, numbers.
        let rule = |fields: &[(&str, Data)]| {
            Value::literal(
                Data::Object(
                    fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), Value::literal(v.clone(), span)))
                        .collect::<std::collections::BTreeMap<_, _>>()
                        .into(),
                ),
                span,
            )
        };
        db.attrs.insert(
            "ingress_rules".into(),
            Value::literal(
                Data::List(
                    (vec![rule(&[
                        ("cidr", Data::String("postgres".into())),
                        ("protocol", Data::Bool(true)),
                        ("from_port", Data::String("5432".into())),
                    ])])
                    .into(),
                ),
                span,
            ),
        );
        for (inner, expected) in [
            (
                "path = \"cidr\", equals = { attr = \"engine\" }",
                Truth::True,
            ),
            (
                "path = \"protocol\", equals = { attr = \"storage_encrypted\" }",
                Truth::True,
            ),
            (
                "path = \"protocol\", equals = { attr = \"multi_az\" }",
                Truth::False,
            ),
            (
                "path = \"from_port\", equals = { attr = \"port\" }",
                Truth::True,
            ),
        ] {
            assert_eq!(
                truth(
                    &format!("path = \"ingress_rules\"\nsome = {{ {inner} }}"),
                    &db
                ),
                expected,
                "{inner}"
            );
        }
    }

    /// A number written in the source is as hardcoded as a string; an empty string is not a
    /// password at all.
    #[test]
    fn hardcoded_literals() {
        let span = Span::new(0, 0..1);
        let mut db = database(None, None);
        for (data, expected) in [
            (Data::Number(12345678.0), Truth::False),
            (Data::String("hunter2".into()), Truth::False),
            (Data::String(String::new()), Truth::True),
            (Data::Secret("a secret store".into()), Truth::True),
        ] {
            db.attrs
                .insert("master_password".into(), Value::literal(data.clone(), span));
            assert_eq!(
                truth("path = \"master_password\"\nhardcoded = false", &db),
                expected,
                "{data:?}"
            );
        }
    }

    #[test]
    fn numeric_bounds_at_below_and_above_the_limit() {
        let mut db = database(None, None);
        for (actual, gte, gt, lte, lt) in [
            (6.0, false, false, true, true),
            (7.0, true, false, true, false),
            (8.0, true, true, false, false),
        ] {
            db.attrs.insert(
                "backup_retention_period".into(),
                Value::literal(Data::Number(actual), Span::new(0, 0..1)),
            );
            for (op, expected) in [("gte", gte), ("gt", gt), ("lte", lte), ("lt", lt)] {
                let expected = if expected { Truth::True } else { Truth::False };
                assert_eq!(
                    truth(
                        &format!("path = \"backup_retention_period\"\n{op} = 7"),
                        &db
                    ),
                    expected,
                    "{actual} {op} 7"
                );
            }
        }
    }

    /// A path through a value not known is not known (never "absent", which a default or
    /// `exists = false` would then decide).
    #[test]
    fn paths_through_unknown_values_are_unknown_not_absent() {
        let mut db = database(None, None);
        db.attrs.insert(
            "effective_parameters".into(),
            Value::unknown("group outside the project", Span::new(0, 0..1)),
        );
        assert_eq!(
            truth(
                "path = 'effective_parameters.\"rds.force_ssl\"'\nexists = false",
                &db
            ),
            Truth::Unknown
        );
    }

    #[test]
    fn comparisons_on_unknown_and_absent_values_are_unknown() {
        let db = database(None, Some(true));
        for test in [
            "path = \"storage_encrypted\"\nequals = true",
            "path = \"storage_encrypted\"\nnot_equals = true",
            "path = \"storage_encrypted\"\ntruthy = false",
            "path = \"storage_encrypted\"\none_of = [true]",
            // Absent, and the schema gives no default.
            "path = \"kms_key_id\"\nmatches = \"^arn:\"",
            "path = \"backup_retention_period\"\ngte = 7",
        ] {
            assert_eq!(truth(test, &db), Truth::Unknown, "{test}");
        }
        // Presence itself is known: absent is absent.
        assert_eq!(
            truth("path = \"kms_key_id\"\nexists = false", &db),
            Truth::True
        );
        assert_eq!(
            truth("path = \"multi_az\"\nequals = true", &db),
            Truth::True
        );
        assert_eq!(
            truth("path = \"multi_az\"\nnot_equals = true", &db),
            Truth::False
        );
    }

    #[test]
    fn list_quantifiers_over_unknown_elements() {
        let mut db = database(Some(true), Some(true));
        let span = Span::new(0, 0..1);
        let list = |items: Vec<Value>| Value::literal(Data::List(items.into()), span);
        let string = |s: &str| Value::literal(Data::String(s.into()), span);
        let unknown = || Value::unknown("not known", span);
        for (items, contains, expected) in [
            (vec![string("error"), string("audit")], "audit", Truth::True),
            (vec![string("error")], "audit", Truth::False),
            // An unknown element may be the one: not known.
            (vec![string("error"), unknown()], "audit", Truth::Unknown),
            // Found among known elements: known, whatever the others are.
            (vec![unknown(), string("audit")], "audit", Truth::True),
        ] {
            db.attrs.insert(
                "enabled_cloudwatch_logs_exports".into(),
                list(items.clone()),
            );
            assert_eq!(
                truth(
                    &format!(
                        "path = \"enabled_cloudwatch_logs_exports\"\ncontains = \"{contains}\""
                    ),
                    &db
                ),
                expected,
                "{items:?} contains {contains}"
            );
        }
    }
}
