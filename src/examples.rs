//! The example harness: a policy's good and bad examples are its tests, for the built-in
//! policies (`cargo test`) and for users' own (`rampart test DIR`), under the same rules.
//!
//! - A bad example yields exactly its marks: the multiset of (line, column, id) of the
//!   policy's findings, so a duplicate finding or a wrong column fails.
//! - A good example yields no finding of the policy, and *proves* a pass: at least one
//!   resource of the policy's kinds is read from it, the policy decides `pass` on one, and on
//!   none does it decide `unknown` (a good example that is not understood proves nothing).
//! - An `unknown*` example shows that what cannot be known before deployment is never a
//!   finding: the policy decides `unknown` on at least one resource, and fails on none.
//! - An `exempt*` example shows where the policy does not apply (an engine without the
//!   feature, a read replica): every resource of its kinds decides `not applicable`.
//! - Every format the policy claims has a good and a bad example.
//!
//! Marks: a comment `# expect: ID@COLUMN ...` (or `//`) at the end of the line the finding
//! starts on; for JSON, a sidecar `FILE.expect` with rows `LINE:COLUMN ID ...`. Columns are
//! 1-based characters, as every report shows them.

use std::path::{Path, PathBuf};

use crate::ir::Format;
use crate::policy::{Decision, PolicySet};
use crate::scan::{self, ScanInput};

/// The concrete formats of examples: each has its own reader or lowering code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExampleFormat {
    Terraform,
    TerraformPlan,
    CloudFormationYaml,
    CloudFormationJson,
    PulumiStackExport,
    PulumiPreview,
    PulumiYaml,
}

impl ExampleFormat {
    /// Every format of a family a policy claims.
    pub fn of(family: Format) -> &'static [ExampleFormat] {
        match family {
            Format::Terraform => &[ExampleFormat::Terraform, ExampleFormat::TerraformPlan],
            Format::CloudFormation => &[
                ExampleFormat::CloudFormationYaml,
                ExampleFormat::CloudFormationJson,
            ],
            Format::Pulumi => &[
                ExampleFormat::PulumiStackExport,
                ExampleFormat::PulumiPreview,
                ExampleFormat::PulumiYaml,
            ],
        }
    }

    pub fn family(self) -> Format {
        match self {
            ExampleFormat::Terraform | ExampleFormat::TerraformPlan => Format::Terraform,
            ExampleFormat::CloudFormationYaml | ExampleFormat::CloudFormationJson => {
                Format::CloudFormation
            }
            _ => Format::Pulumi,
        }
    }

    /// The file an example of this format is: `examples/<family>/<good|bad>*<suffix>`.
    pub fn describe(self) -> &'static str {
        match self {
            ExampleFormat::Terraform => "Terraform (terraform/*.tf)",
            ExampleFormat::TerraformPlan => "Terraform plan JSON (terraform/*.tfplan.json)",
            ExampleFormat::CloudFormationYaml => "CloudFormation YAML (cloudformation/*.yaml)",
            ExampleFormat::CloudFormationJson => "CloudFormation JSON (cloudformation/*.json)",
            ExampleFormat::PulumiStackExport => "Pulumi stack export (pulumi/*.json)",
            ExampleFormat::PulumiPreview => "Pulumi preview (pulumi/*preview*.json)",
            ExampleFormat::PulumiYaml => "Pulumi YAML (pulumi/*.yaml)",
        }
    }

    fn classify(family_dir: &str, name: &str) -> Option<ExampleFormat> {
        let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        Some(match family_dir {
            "terraform" if name.ends_with(".tfplan.json") => ExampleFormat::TerraformPlan,
            "terraform" if name.ends_with(".tf") => ExampleFormat::Terraform,
            "cloudformation" if yaml => ExampleFormat::CloudFormationYaml,
            "cloudformation" if name.ends_with(".json") => ExampleFormat::CloudFormationJson,
            "pulumi" if name.ends_with(".json") && name.contains("preview") => {
                ExampleFormat::PulumiPreview
            }
            "pulumi" if name.ends_with(".json") => ExampleFormat::PulumiStackExport,
            "pulumi" if yaml => ExampleFormat::PulumiYaml,
            _ => return None,
        })
    }
}

/// What an example shows, by the start of its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `good*`: the policy decides pass (and nothing unknown).
    Good,
    /// `bad*`: exactly the marked findings.
    Bad,
    /// `unknown*`: undecidable values, never a finding.
    Unknown,
    /// `exempt*`: the policy does not apply.
    Exempt,
}

impl Role {
    fn of(name: &str) -> Option<Role> {
        [
            ("good", Role::Good),
            ("bad", Role::Bad),
            ("unknown", Role::Unknown),
            ("exempt", Role::Exempt),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, role)| role)
    }
}

/// One example file of one policy.
#[derive(Clone, Debug)]
pub struct Example {
    pub policy_id: String,
    pub path: PathBuf,
    pub role: Role,
    pub format: ExampleFormat,
}

/// Where a finding must land.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
    pub id: String,
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} {}", self.line, self.column, self.id)
    }
}

/// The examples under `policy_dir/examples/`, sorted; a file that is no example (not named
/// good*/bad*, or of no format) is a failure, never skipped in silence.
pub fn examples_of(policy_id: &str, policy_dir: &Path) -> (Vec<Example>, Vec<String>) {
    let mut examples = Vec::new();
    let mut failures = Vec::new();
    let Ok(families) = std::fs::read_dir(policy_dir.join("examples")) else {
        return (examples, failures);
    };
    let mut families: Vec<PathBuf> = families.flatten().map(|e| e.path()).collect();
    families.sort();
    for family in families.into_iter().filter(|p| p.is_dir()) {
        let family_name = family
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let Ok(files) = std::fs::read_dir(&family) else {
            continue;
        };
        let mut files: Vec<PathBuf> = files.flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if name.ends_with(".expect") {
                continue;
            }
            match (Role::of(&name), ExampleFormat::classify(&family_name, &name)) {
                (Some(role), Some(format)) => examples.push(Example {
                    policy_id: policy_id.to_string(),
                    path,
                    role,
                    format,
                }),
                _ => failures.push(format!(
                    "{}: not an example: name files good*, bad*, unknown* or exempt* in terraform/ (.tf, .tfplan.json), cloudformation/ (.yaml, .json) or pulumi/ (.json, *preview*.json, .yaml)",
                    path.display()
                )),
            }
        }
    }
    (examples, failures)
}

/// The marks of an example, or what is wrong with them.
pub fn marks(path: &Path) -> Result<Vec<Mark>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut marks = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find("expect:") else {
            continue;
        };
        let before = line[..at].trim_end();
        if !(before.ends_with('#') || before.ends_with("//")) {
            continue;
        }
        for token in line[at + "expect:".len()..].split_whitespace() {
            let (id, column) = token.split_once('@').ok_or_else(|| {
                format!(
                    "{}:{}: mark `{token}` has no column: write ID@COLUMN",
                    path.display(),
                    index + 1
                )
            })?;
            let column = column.parse().map_err(|_| {
                format!(
                    "{}:{}: column of `{token}` is not a number",
                    path.display(),
                    index + 1
                )
            })?;
            marks.push(Mark {
                line: index + 1,
                column,
                id: id.to_string(),
            });
        }
    }
    let sidecar = PathBuf::from(format!("{}.expect", path.display()));
    if let Ok(text) = std::fs::read_to_string(&sidecar) {
        for (index, row) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let wrong = || {
                format!(
                    "{}:{}: rows are `LINE:COLUMN ID ...`",
                    sidecar.display(),
                    index + 1
                )
            };
            let mut parts = row.split_whitespace();
            let place = parts.next().ok_or_else(wrong)?;
            let (line, column) = place.split_once(':').ok_or_else(wrong)?;
            let line: usize = line.parse().map_err(|_| wrong())?;
            let column: usize = column.parse().map_err(|_| wrong())?;
            let ids: Vec<&str> = parts.collect();
            if ids.is_empty() {
                return Err(wrong());
            }
            for id in ids {
                marks.push(Mark {
                    line,
                    column,
                    id: id.to_string(),
                });
            }
        }
    }
    marks.sort();
    Ok(marks)
}

/// Runs one example; returns its failures (empty: it holds).
pub fn check(example: &Example, policies: &PolicySet) -> Vec<String> {
    let shown = example.path.display().to_string();
    let Some(index) = policies
        .policies
        .iter()
        .position(|p| p.id == example.policy_id)
    else {
        return vec![format!(
            "{shown}: no policy {} is loaded",
            example.policy_id
        )];
    };
    let policy = &policies.policies[index];
    let marks = match marks(&example.path) {
        Ok(marks) => marks,
        Err(error) => return vec![error],
    };
    let root = example.path.parent().unwrap_or(Path::new("."));
    let scanned = match scan::scan(&ScanInput {
        paths: std::slice::from_ref(&example.path),
        exclude: &[],
        root,
        var_files: &[],
        vars: &[],
        limits: Default::default(),
        signatures: crate::signatures::Catalog::shared(),
    }) {
        Ok(scanned) => scanned,
        Err(error) => return vec![format!("{shown}: not scanned: {error}")],
    };
    let mut failures = Vec::new();
    for error in &scanned.errors {
        failures.push(format!("{shown}: does not parse: {}", error.message));
    }
    let indexes: Vec<crate::graph::Index> = scanned
        .projects
        .iter()
        .map(crate::graph::Index::new)
        .collect();
    let resources: Vec<(&crate::ir::Resource, crate::policy::Graph)> =
        crate::policy::Graph::resources(&scanned.projects, &indexes)
            .filter(|(r, _)| r.kind.is_some_and(|k| policy.kinds.contains(&k)))
            .collect();
    if policy.forbidden && example.role == Role::Good {
        // The pass is the replacement: something is read from the file, none of the kinds.
        let read = scanned.projects.iter().flat_map(|p| &p.resources).count();
        if read == 0 {
            failures.push(format!(
                "{shown}: nothing was read: the file is not recognised as {}",
                example.format.describe()
            ));
        }
        if let Some((resource, _)) = resources.first() {
            failures.push(format!(
                "{shown}: {} is of a kind {} forbids: a good example holds none",
                resource.address, policy.id
            ));
        }
        return failures;
    }
    if resources.is_empty() {
        failures.push(format!(
            "{shown}: no resource of the policy's kinds ({}) was read: the file is not recognised as {}, or the example lacks the resource",
            policy.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "),
            example.format.describe()
        ));
        return failures;
    }
    if let Some((other, _)) = resources
        .iter()
        .find(|(r, _)| r.origin.format != example.format.family())
    {
        failures.push(format!(
            "{shown}: {} was read as {}, not as {}",
            other.address,
            other.origin.format.as_str(),
            example.format.describe()
        ));
    }
    let findings = policies.evaluate(&scanned.projects, &scanned.sources);
    let mut actual: Vec<Mark> = findings
        .iter()
        .filter(|f| f.policy == index)
        .map(|f| {
            let start = scanned.sources.start(f.span);
            Mark {
                line: start.line,
                column: start.column,
                id: policy.id.clone(),
            }
        })
        .collect();
    actual.sort();
    let expected: Vec<Mark> = marks.into_iter().filter(|m| m.id == policy.id).collect();
    if example.role == Role::Bad {
        if expected.is_empty() {
            failures.push(format!(
                "{shown}: a bad example must mark at least one finding"
            ));
        }
    } else if !expected.is_empty() {
        failures.push(format!("{shown}: only a bad example marks findings"));
    }
    let decisions: Vec<(&str, Decision)> = resources
        .iter()
        .map(|(r, graph)| (r.address.as_str(), policies.decide(index, r, Some(*graph))))
        .collect();
    let any = |wanted: Decision| decisions.iter().any(|(_, d)| *d == wanted);
    let id = &policy.id;
    match example.role {
        Role::Bad => {}
        Role::Good => {
            for (address, decision) in &decisions {
                if *decision == Decision::Unknown {
                    failures.push(format!(
                        "{shown}: {id} decides unknown on {address}: a good example proves a pass, with every value the policy reads known (show undecidable values in an unknown* example)"
                    ));
                }
            }
            if !any(Decision::Pass) {
                failures.push(format!(
                    "{shown}: {id} decides pass on no resource: a good example must prove a pass (show where it does not apply in an exempt* example)"
                ));
            }
        }
        Role::Unknown => {
            if !any(Decision::Unknown) {
                failures.push(format!(
                    "{shown}: {id} decides unknown on no resource: an unknown* example shows a value that cannot be known"
                ));
            }
        }
        Role::Exempt => {
            if let Some((address, decision)) = decisions
                .iter()
                .find(|(_, d)| *d != Decision::NotApplicable)
            {
                failures.push(format!(
                    "{shown}: {id} decides {decision:?} on {address}: in an exempt* example the policy applies to no resource"
                ));
            }
        }
    }
    if actual != expected {
        let missing = difference(&expected, &actual);
        let unexpected = difference(&actual, &expected);
        failures.push(format!(
            "{shown}: missing [{}], unexpected [{}]",
            join(&missing),
            join(&unexpected)
        ));
    }
    failures
}

/// `a` minus `b`, as multisets (both sorted).
fn difference<'m>(a: &'m [Mark], b: &[Mark]) -> Vec<&'m Mark> {
    let mut rest: Vec<&Mark> = b.iter().collect();
    a.iter()
        .filter(|mark| match rest.iter().position(|other| other == mark) {
            Some(at) => {
                rest.remove(at);
                false
            }
            None => true,
        })
        .collect()
}

fn join(marks: &[&Mark]) -> String {
    marks
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The claimed formats that lack a good or a bad example.
pub fn coverage(policy: &crate::policy::Policy, examples: &[Example]) -> Vec<String> {
    let mut missing = Vec::new();
    for family in &policy.formats {
        for &format in ExampleFormat::of(*family) {
            for bad in [false, true] {
                let role = if bad { Role::Bad } else { Role::Good };
                if !examples
                    .iter()
                    .any(|e| e.policy_id == policy.id && e.format == format && e.role == role)
                {
                    missing.push(format!(
                        "{} has no {} example in {}",
                        policy.id,
                        if bad { "bad" } else { "good" },
                        format.describe()
                    ));
                }
            }
        }
    }
    missing
}

/// Every example of every policy in `policies` whose directory `dir_of` gives, checked;
/// returns the number of examples run and every failure.
pub fn check_all(
    policies: &PolicySet,
    dir_of: impl Fn(&crate::policy::Policy) -> Option<PathBuf>,
) -> (usize, Vec<String>) {
    use rayon::prelude::*;
    let mut failures = Vec::new();
    let mut all = Vec::new();
    for policy in &policies.policies {
        let Some(dir) = dir_of(policy) else {
            failures.push(format!("{}: its directory is not known", policy.id));
            continue;
        };
        let (examples, problems) = examples_of(&policy.id, &dir);
        failures.extend(problems);
        failures.extend(coverage(policy, &examples));
        all.extend(examples);
    }
    let results: Vec<Vec<String>> = all.par_iter().map(|e| check(e, policies)).collect();
    failures.extend(results.into_iter().flatten());
    (all.len(), failures)
}
