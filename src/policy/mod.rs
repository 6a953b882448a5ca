//! Policies: the file model, the loader (embedded + user directories) and the evaluator
//! that runs policies x resources in parallel.

pub(crate) mod eval;
pub mod loader;
pub mod model;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::ir::{Hop, Kind, Project, SourceMap, Span};

pub use eval::Graph;
pub use model::{Policy, Profile, Settings, Severity};

pub use crate::diagnostic::Finding;

/// A finding whose place is inside a module that `terraform init` installed (under
/// `.terraform/`, which the user does not edit) lands on the caller's `module` block that
/// brought it in, where an argument changes it; the place inside the module becomes the
/// first related location.
fn land_outside_installed_modules(findings: &mut [Finding], sources: &SourceMap) {
    // `None`: a file of the tree; `Some(how)`: a module the user did not write, read from
    // `.terraform/` or from one of rampart's module signatures.
    let origin: Vec<Option<String>> = sources
        .files()
        .iter()
        .map(|file| match &file.embedded {
            Some(label) => Some(format!("{label}, read from rampart's module signature")),
            None => file
                .display
                .split('/')
                .any(|part| part == ".terraform")
                .then(|| "installed by `terraform init`".to_string()),
        })
        .collect();
    let origin_of = |span: Span| origin.get(span.file as usize).cloned().flatten();
    for finding in findings.iter_mut() {
        let Some(how) = origin_of(finding.span) else {
            continue;
        };
        // Where the user wrote the value (an element of an argument, or the call of the
        // module a security group rule comes from), else the innermost call of the
        // resource written in the user's own files: the module's own default is changed
        // by an argument of that call.
        let user_hop = |hops: &[Hop]| {
            hops.iter()
                .rev()
                .find(|hop| origin_of(hop.span).is_none())
                .cloned()
        };
        let Some(target) = user_hop(&finding.chain).or_else(|| user_hop(&finding.call_chain))
        else {
            continue;
        };
        let module = finding
            .call_chain
            .iter()
            .rev()
            .find(|hop| origin_of(hop.span).is_none())
            .map(|hop| hop.via.as_str())
            .unwrap_or(target.via.as_str());
        let inside = Hop {
            via: format!("inside {module} ({how})"),
            span: finding.span,
        };
        finding.span = target.span;
        finding.chain.insert(0, inside);
    }
}

/// Sets [`Finding::occurrence`] on sorted findings.
fn number_occurrences(findings: &mut [Finding], sources: &SourceMap) {
    let mut seen: HashMap<(usize, u32, &str, &str), u32> = HashMap::new();
    let mut numbers = Vec::with_capacity(findings.len());
    for finding in findings.iter() {
        let key = (
            finding.policy,
            finding.span.file,
            finding.address.as_str(),
            sources
                .get(finding.span.file)
                .identifying_text(finding.span),
        );
        let count = seen.entry(key).or_insert(0);
        numbers.push(*count);
        *count += 1;
    }
    for (finding, number) in findings.iter_mut().zip(numbers) {
        finding.occurrence = number;
    }
}

/// What a policy decides on one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Not of the policy's kinds, or its `[when]` is false.
    NotApplicable,
    Pass,
    Fail,
    /// A value it needs is not known before deployment (never a finding).
    Unknown,
}

/// `module.a["x"].aws_b.c[0]` -> `module.a.aws_b.c`.
fn strip_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The policies in force for one scan, indexed by kind so evaluation costs nothing per
/// policy that cannot apply.
pub struct PolicySet {
    pub policies: Vec<Policy>,
    by_kind: HashMap<Kind, Vec<usize>>,
    pub settings: Settings,
}

impl PolicySet {
    pub fn new(mut policies: Vec<Policy>, settings: Settings) -> PolicySet {
        policies.sort_by(|a, b| a.id.cmp(&b.id));
        let mut by_kind: HashMap<Kind, Vec<usize>> = HashMap::new();
        for (index, policy) in policies.iter().enumerate() {
            for kind in &policy.kinds {
                by_kind.entry(*kind).or_default().push(index);
            }
        }
        PolicySet {
            policies,
            by_kind,
            settings,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// Evaluates every applicable policy on every resource, in parallel; findings are
    /// sorted by file, position, policy and address, so output is the same whatever the
    /// thread count.
    /// The settings a policy reads (`min_supported_major_version`), with their values.
    pub fn settings_read(&self, policy: &Policy) -> Vec<(&str, &toml::Value)> {
        let mut names = Vec::new();
        for condition in policy.when.iter().chain(std::iter::once(&policy.assert)) {
            config_names(condition, &mut names);
        }
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|name| self.settings.get_key_value(name))
            .map(|(name, value)| (name.as_str(), value))
            .collect()
    }

    /// Policies whose data table says when it was last checked (`checked = YYYY-MM-DD`)
    /// more than a year before `today`: (policy id, setting, checked date).
    pub fn stale_tables(&self, today: (i32, u32, u32)) -> Vec<(String, String, String)> {
        let mut stale = Vec::new();
        for policy in &self.policies {
            for (name, value) in self.settings_read(policy) {
                let Some(checked) = value.get("checked").and_then(toml::Value::as_datetime) else {
                    continue;
                };
                let Some(date) = checked.date else { continue };
                let year_later = (
                    i32::from(date.year) + 1,
                    u32::from(date.month),
                    u32::from(date.day),
                );
                if today > year_later {
                    stale.push((policy.id.clone(), name.to_string(), date.to_string()));
                }
            }
        }
        stale
    }

    /// What policy `index` decides on `resource`: how the example harness (and
    /// `rampart test`) proves that a good example passes rather than goes undecided.
    /// `graph` is the linked project the resource is in (`follow` and `referenced_by`
    /// read it).
    pub fn decide(
        &self,
        index: usize,
        resource: &crate::ir::Resource,
        graph: Option<eval::Graph<'_>>,
    ) -> Decision {
        let policy = &self.policies[index];
        if !resource
            .kind
            .is_some_and(|kind| policy.kinds.contains(&kind))
        {
            return Decision::NotApplicable;
        }
        let evaluator = eval::Evaluator {
            resource,
            settings: &self.settings,
            graph,
        };
        if let Some(when) = &policy.when {
            match evaluator.eval(when, None).truth {
                eval::Truth::True => {}
                eval::Truth::False => return Decision::NotApplicable,
                eval::Truth::Unknown => return Decision::Unknown,
            }
        }
        match evaluator.eval(&policy.assert, None).truth {
            eval::Truth::True => Decision::Pass,
            eval::Truth::False => Decision::Fail,
            eval::Truth::Unknown => Decision::Unknown,
        }
    }

    pub fn evaluate(&self, projects: &[Project], sources: &SourceMap) -> Vec<Finding> {
        self.evaluate_within(projects, sources, usize::MAX).findings
    }

    /// Evaluates every project, collecting at most `max_per_project` findings of each: a
    /// project with more is listed in `over_limit` and none of its findings are kept (which
    /// ones would be kept depends on thread timing; that it has too many does not).
    pub fn evaluate_within(
        &self,
        projects: &[Project],
        sources: &SourceMap,
        max_per_project: usize,
    ) -> Evaluation {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let counts: Vec<AtomicUsize> = projects.iter().map(|_| AtomicUsize::new(0)).collect();
        // Each project's references indexed once, for `follow` and `referenced_by`.
        let indexes: Vec<crate::graph::Index> =
            projects.par_iter().map(crate::graph::Index::new).collect();
        let over = |project: usize| counts[project].load(Ordering::Relaxed) > max_per_project;
        let tagged: Vec<(usize, Finding)> = projects
            .par_iter()
            .enumerate()
            .flat_map_iter(|(project, resources)| {
                resources
                    .resources
                    .iter()
                    .map(move |resource| (project, resource))
            })
            .flat_map_iter(|(project, resource)| {
                if over(project) {
                    return Vec::new();
                }
                let graph = eval::Graph {
                    project: &projects[project],
                    index: &indexes[project],
                };
                let found = self.evaluate_resource(resource, graph);
                counts[project].fetch_add(found.len(), Ordering::Relaxed);
                found
                    .into_iter()
                    .map(|finding| (project, finding))
                    .collect()
            })
            .collect();
        let over_limit: Vec<usize> = (0..projects.len()).filter(|&p| over(p)).collect();
        let mut findings: Vec<Finding> = tagged
            .into_iter()
            .filter(|(project, _)| !over_limit.contains(project))
            .map(|(_, finding)| finding)
            .collect();
        self.order(&mut findings, sources);
        Evaluation {
            findings,
            over_limit,
        }
    }

    /// The findings of every applicable policy on one resource.
    fn evaluate_resource(
        &self,
        resource: &crate::ir::Resource,
        graph: eval::Graph<'_>,
    ) -> Vec<Finding> {
        let applicable = resource
            .kind
            .and_then(|kind| self.by_kind.get(&kind))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        applicable
            .iter()
            .flat_map(|&index| {
                let policy = &self.policies[index];
                let evaluator = eval::Evaluator {
                    resource,
                    settings: &self.settings,
                    graph: Some(graph),
                };
                if let Some(when) = &policy.when
                    && evaluator.eval(when, None).truth != eval::Truth::True
                {
                    return Vec::new();
                }
                let outcome = evaluator.eval(&policy.assert, None);
                if outcome.truth != eval::Truth::False {
                    return Vec::new();
                }
                std::iter::once(outcome.witness)
                    .chain(outcome.more)
                    .map(|witness| Finding {
                        policy: index,
                        address: resource.address.clone(),
                        kind: resource.kind,
                        span: witness.span,
                        message: eval::render_message(&policy.message, resource, &witness),
                        chain: witness.chain(),
                        note: resource.origin.note.clone(),
                        format: resource.origin.format,
                        resource_span: resource.span,
                        call_chain: resource.origin.call_chain.clone(),
                        occurrence: 0,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Lands, orders and deduplicates findings, and numbers their occurrences.
    fn order(&self, findings: &mut Vec<Finding>, sources: &SourceMap) {
        land_outside_installed_modules(findings, sources);
        // Files ranked by displayed path once; policies are already sorted by id, so their
        // indices order like their ids.
        let files = sources.files();
        let mut by_path: Vec<usize> = (0..files.len()).collect();
        by_path.sort_by(|a, b| files[*a].display.cmp(&files[*b].display));
        let mut rank = vec![0usize; by_path.len()];
        for (position, file) in by_path.into_iter().enumerate() {
            rank[file] = position;
        }
        findings.par_sort_by(|a, b| {
            (
                rank[a.span.file as usize],
                a.span.start,
                a.span.end,
                a.policy,
                &a.address,
            )
                .cmp(&(
                    rank[b.span.file as usize],
                    b.span.start,
                    b.span.end,
                    b.policy,
                    &b.address,
                ))
        });
        findings
            .dedup_by(|a, b| a.policy == b.policy && a.span == b.span && a.address == b.address);
        // A resource whose instances were unknown in the source (`x[*]`) and known in a plan
        // scanned with it (`x[0]`, `x[1]`) is one finding per instance, not one more.
        let known_instances: std::collections::HashSet<(usize, Span, String)> = findings
            .iter()
            .filter(|f| !f.address.contains("[*]") && f.address.ends_with(']'))
            .map(|f| (f.policy, f.span, strip_instance_keys(&f.address)))
            .collect();
        findings.retain(|f| {
            !(f.address.contains("[*]")
                && known_instances.contains(&(f.policy, f.span, strip_instance_keys(&f.address))))
        });
        number_occurrences(findings, sources);
    }
}

/// What [`PolicySet::evaluate_within`] found.
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// Indices of the projects that had more findings than the limit.
    pub over_limit: Vec<usize>,
}

fn config_names<'c>(condition: &'c model::Condition, out: &mut Vec<&'c str>) {
    use model::{Condition, Op, Operand};
    match condition {
        Condition::All(items) | Condition::Any(items) => {
            items.iter().for_each(|c| config_names(c, out));
        }
        Condition::Not(inner) => config_names(inner, out),
        Condition::Follow { then, .. } => config_names(then, out),
        Condition::ReferencedBy { .. } => {}
        Condition::Test { op, .. } => match op {
            Op::Equals(operand, _)
            | Op::OneOf(operand, _)
            | Op::Bound(_, operand)
            | Op::Contains(operand)
            | Op::ContainsAll(operand) => {
                if let Operand::Config { name, .. } = operand {
                    out.push(name);
                }
            }
            Op::Quantified(_, inner) => config_names(inner, out),
            Op::Truthy(_) | Op::Exists(_) | Op::Matches(_) | Op::Hardcoded(_) => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_are_stripped_wherever_they_are() {
        assert_eq!(
            strip_instance_keys(r#"module.a["x"].aws_b.c[0]"#),
            "module.a.aws_b.c"
        );
        assert_eq!(strip_instance_keys("aws_b.c[*]"), "aws_b.c");
        assert_eq!(
            strip_instance_keys(r#"m.a["[k]"].b"#),
            "m.a.b",
            "brackets in keys nest"
        );
        assert_eq!(strip_instance_keys("aws_b.c"), "aws_b.c");
    }
}
