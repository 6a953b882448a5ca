//! The commands behind the CLI, as library calls: main parses flags and calls these; tests
//! call them too. Every user-facing error is a typed diagnostic that reaches main here.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::config::{self, Config, ConfigError};
use crate::discover::DiscoverError;
use crate::policy::loader::{self, PolicyError};
use crate::policy::{Policy, PolicySet, Severity};
use crate::report::{self, Report};
use crate::scan::{self, ScanInput};
use crate::suppress::{self, Baseline, BaselineEntry, Suppression};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(Box<PolicyError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scan(#[from] DiscoverError),
    #[error("no policy matches `{0}` (see `rampart policies`)")]
    #[diagnostic(code(rampart::usage::unknown_policy))]
    UnknownPolicy(String),
    #[error("rampart has no module signature for `{0}` (see `rampart explain modules`)")]
    #[diagnostic(code(rampart::usage::unknown_module))]
    UnknownModule(String),
    #[error("`--{0}` has an empty policy id (a trailing comma, or an unset variable?)")]
    #[diagnostic(
        code(rampart::usage::empty_policy_id),
        help("name ids or prefixes: `--{0} NET-001,ENC`")
    )]
    EmptyPolicyId(&'static str),
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(rampart::output))]
    Output { path: String, message: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::suppress::BaselineError),
    #[error("cannot start worker threads: {0}")]
    #[diagnostic(code(rampart::threads))]
    Threads(String),
    #[error("no policy.toml found in {0}")]
    #[diagnostic(code(rampart::usage::no_policies))]
    NoPolicies(String),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Signature(#[from] crate::signatures::SignatureError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Derive(#[from] crate::signatures::derive::DeriveError),
}

impl From<ConfigError> for AppError {
    fn from(error: ConfigError) -> AppError {
        AppError::Config(Box::new(error))
    }
}

impl From<PolicyError> for AppError {
    fn from(error: PolicyError) -> AppError {
        AppError::Policy(Box::new(error))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
    Short,
    Junit,
    GitlabSast,
    GitlabCodequality,
}

pub struct ScanRequest {
    pub paths: Vec<PathBuf>,
    pub format: OutputFormat,
    pub output: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub policy_dirs: Vec<PathBuf>,
    /// `--modules`: directories of the user's own module signatures.
    pub module_dirs: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--profile`: `essential` runs only the policies for exploitable weaknesses.
    pub profile: Option<crate::policy::Profile>,
    /// Findings at or above this fail the run (`None`: the configuration's, else low).
    pub fail_on: Option<FailOn>,
    pub jobs: Option<usize>,
    pub baseline: Option<PathBuf>,
    /// Terraform `--var-file` files and `--var NAME=VALUE` values for root modules.
    pub var_files: Vec<PathBuf>,
    pub vars: Vec<(String, String)>,
    pub write_baseline: Option<PathBuf>,
    pub color: bool,
    pub width: usize,
    /// Exit 2 when no infrastructure-as-code file was found at all.
    pub fail_on_empty: bool,
    /// Exit 2 when a module, program or resource was not analysed (not on disk, not read).
    pub fail_on_unanalysed: bool,
    /// SARIF `automationDetails.id` prefix: runs of different categories for one commit
    /// (one per directory or environment) do not replace each other in code scanning.
    pub category: String,
    /// Findings below this severity are left out of the report and the exit status.
    pub min_severity: Option<Severity>,
    /// `rampart hook`: show the findings that block the commit (at or above `fail_on`)
    /// and one line counting the others.
    pub blocking_only: bool,
}

/// When findings make the run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Findings at or above this severity.
    AtLeast(Severity),
    /// Never for findings (errors still exit 2): report-only runs.
    Never,
}

/// Exit statuses: the contract of DESIGN.md.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// The configuration in force: `--config`, else `rampart.toml` found upward from the
/// deepest directory the paths share, else defaults. One configuration governs a run.
pub fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, AppError> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => config::common_directory(paths).and_then(|dir| config::discover(&dir)),
    };
    Ok(match path {
        Some(path) => config::load(&path)?,
        None => Config::default(),
    })
}

/// A warning for each configuration file a user could expect to apply but that does not:
/// one nearer to a path than the configuration in force, or one inside a scanned directory.
/// Configurations do not nest, so a silent one would change nothing and say nothing.
fn configs_not_in_force(
    config: &Config,
    paths: &[PathBuf],
    inside: &[PathBuf],
    root: &Path,
) -> Vec<crate::diagnostic::Notice> {
    let canonical =
        |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let in_force = config.path.as_deref().map(canonical);
    let nearest = paths.iter().filter_map(|path| config::discover(path));
    let mut unused: Vec<PathBuf> = nearest
        .chain(inside.iter().cloned())
        .filter(|path| in_force.as_deref() != Some(canonical(path).as_path()))
        .collect();
    unused.sort_by_key(|path| canonical(path));
    unused.dedup_by_key(|path| canonical(path));
    let governing = match &config.path {
        Some(path) => format!(
            "{} governs the whole run",
            crate::discover::display_path(root, path)
        ),
        None => "the run uses the default configuration".to_string(),
    };
    unused
        .iter()
        .map(|path| {
            let dir = path.parent().unwrap_or(Path::new("."));
            crate::diagnostic::Notice {
                span: None,
                message: format!(
                    "{} is not in force: {governing} (one configuration per run, found upward \
                     from the directory all scanned paths share); to use it, scan {} on its \
                     own or pass `--config {}`",
                    crate::discover::display_path(root, path),
                    crate::discover::display_path(root, dir),
                    crate::discover::display_path(root, path),
                ),
                kind: crate::diagnostic::NoticeKind::Info,
            }
        })
        .collect()
}

/// Every policy, embedded and from the policy directories, whatever is selected.
fn every_policy(config: &Config, dirs: &[PathBuf]) -> Result<Vec<Policy>, AppError> {
    let mut policies = loader::embedded(&config.settings)?;
    for dir in dirs.iter().chain(&config.policy_dirs) {
        policies.extend(loader::from_dir(dir, &config.settings)?);
    }
    loader::check_unique(&policies)?;
    Ok(policies)
}

/// Embedded policies plus those of each `--policies DIR`, filtered by select/ignore.
pub fn load_policies(
    config: &Config,
    dirs: &[PathBuf],
    select: &[String],
    ignore: &[String],
) -> Result<PolicySet, AppError> {
    select_policies(config, every_policy(config, dirs)?, select, ignore, None)
}

/// The policies a scan runs: `policies` with the configuration's severities, narrowed by
/// the command line's and the configuration's select and ignore.
fn select_policies(
    config: &Config,
    mut policies: Vec<Policy>,
    select: &[String],
    ignore: &[String],
    profile: Option<crate::policy::Profile>,
) -> Result<PolicySet, AppError> {
    // The command line's profile, else the configuration's; every policy by default.
    let profile = profile.or(config.profile).unwrap_or_default();
    for (id, severity) in &config.severity {
        let policy = policies
            .iter_mut()
            .find(|p| p.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| AppError::UnknownPolicy(id.clone()))?;
        policy.severity = *severity;
    }
    let matches = |pattern: &str, policy: &Policy| {
        let pattern = pattern.trim().to_ascii_uppercase();
        policy.id == pattern
            || policy.id.starts_with(&format!("{pattern}-"))
            || policy.id.starts_with(&pattern)
    };
    // An empty pattern would match every policy: `--ignore ""` must never ignore all.
    for (flag, patterns) in [("select", select), ("ignore", ignore)] {
        if patterns.iter().any(|p| p.trim().is_empty()) {
            return Err(AppError::EmptyPolicyId(flag));
        }
        if let Some(unknown) = patterns
            .iter()
            .find(|pattern| !policies.iter().any(|p| matches(pattern, p)))
        {
            return Err(AppError::UnknownPolicy(unknown.clone()));
        }
    }
    for (list, patterns) in [("select", &config.select), ("ignore", &config.ignore)] {
        if let Some(index) = patterns
            .iter()
            .position(|pattern| !policies.iter().any(|p| matches(pattern, p)))
        {
            return Err(config
                .list_spans
                .error(
                    list,
                    index,
                    format!(
                        "no policy matches `{}` (see `rampart policies`)",
                        patterns[index]
                    ),
                )
                .into());
        }
    }
    // The command line narrows the configuration's selection; ignores add up.
    policies.retain(|policy| {
        profile.includes(policy.profile)
            && (select.is_empty() || select.iter().any(|s| matches(s, policy)))
            && (config.select.is_empty() || config.select.iter().any(|s| matches(s, policy)))
            && !ignore.iter().any(|s| matches(s, policy))
            && !config.ignore.iter().any(|s| matches(s, policy))
    });
    Ok(PolicySet::new(policies, config.settings.clone()))
}

/// Runs a scan and writes its report; returns the exit status.
pub fn run_scan(request: &ScanRequest) -> Result<u8, AppError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(request.jobs.unwrap_or(0))
        .build()
        .map_err(|e| AppError::Threads(e.to_string()))?;
    pool.install(|| scan_in_pool(request))
}

fn scan_in_pool(request: &ScanRequest) -> Result<u8, AppError> {
    let default_path = [PathBuf::from(".")];
    let paths: &[PathBuf] = if request.paths.is_empty() {
        &default_path
    } else {
        &request.paths
    };
    let started = report::report_time();
    let mut clock = PhaseClock::from_env();
    let config = load_config(request.config.as_deref(), paths)?;
    let every = every_policy(&config, &request.policy_dirs)?;
    // Suppression ids are checked against every policy, selected or not.
    let known_ids: std::collections::BTreeSet<String> =
        every.iter().map(|p| p.id.clone()).collect();
    let policies = select_policies(
        &config,
        every,
        &request.select,
        &request.ignore,
        request.profile,
    )?;
    clock.lap("config + policies");
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    // `exclude` holds for files named one by one too (pre-commit passes them so).
    let exclude_base = config
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.clone());
    let named =
        crate::discover::without_excluded_files(&config.exclude, &exclude_base, &root, paths)?;
    if named.is_empty() && !paths.is_empty() {
        // Every named file is excluded: nothing to scan, and that is not an error.
        eprintln!(
            "rampart: every file named is excluded by `exclude` in rampart.toml; nothing to scan"
        );
        return Ok(EXIT_CLEAN);
    }
    let (paths, focus) = focus_on_files(&named);
    let mut signatures = crate::signatures::Catalog::builtin();
    for dir in &request.module_dirs {
        signatures.load_dir(dir)?;
    }
    let mut scanned = scan::scan(&ScanInput {
        paths: &paths,
        exclude: &config.exclude,
        root: &root,
        var_files: &request.var_files,
        vars: &request.vars,
        limits: config.limits,
        signatures: &signatures,
    })?;
    clock.lap("scan");
    // Fingerprints, SARIF URIs and annotations are relative to the repository, whichever
    // directory inside it rampart runs in and however the paths were spelled.
    let repository = repository_root(&root);
    if let Some(repository) = &repository {
        scanned.sources.relative_to_repository(&root, repository);
    }
    clock.note(&format!(
        "scan: discover {:.1} ms, parse {:.1} ms CPU, lower + link {:.1} ms CPU",
        scanned.timings.discover.as_secs_f64() * 1000.0,
        scanned.timings.parse.as_secs_f64() * 1000.0,
        scanned.timings.link.as_secs_f64() * 1000.0
    ));
    let max_findings = config.limits.max_findings();
    let evaluation = policies.evaluate_within(&scanned.projects, &scanned.sources, max_findings);
    let mut findings = evaluation.findings;
    clock.lap("evaluate");
    if let Some(minimum) = request.min_severity {
        findings.retain(|finding| policies.policies[finding.policy].severity >= minimum);
    }
    if let Some(focus) = &focus {
        findings.retain(|finding| {
            let in_focus =
                |span: crate::ir::Span| focus.contains(&scanned.sources.get(span.file).path);
            in_focus(finding.span) || finding.chain.iter().any(|hop| in_focus(hop.span))
        });
    }
    let baseline = request
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()?;
    let comment_rules = suppress::comment_rules(&scanned.sources);
    let mut rules = comment_rules.rules;
    let mut notices = scanned.notices.clone();
    notices.extend(configs_not_in_force(
        &config,
        &paths,
        &scanned.configs,
        &root,
    ));
    for (id, table, checked) in policies.stale_tables(suppress::today()) {
        notices.push(crate::diagnostic::Notice {
            span: None,
            message: format!(
                "{id}'s `{table}` was last checked against the AWS release calendars on \
                 {checked}, more than a year ago: versions may have left standard support since \
                 (update rampart, or set `[settings.{table}]` in rampart.toml)"
            ),
            kind: crate::diagnostic::NoticeKind::Info,
        });
    }
    let mut errors = scanned.errors.clone();
    // A project with more findings than the limit was not reported: an error where it
    // starts, never a pass.
    for &project in &evaluation.over_limit {
        let project = &scanned.projects[project];
        let span = project.resources.first().map(|resource| resource.span);
        errors.push(crate::diagnostic::FileError {
            path: span.map_or_else(
                || project.name.clone(),
                |span| scanned.sources.get(span.file).display.clone(),
            ),
            span,
            message: format!(
                "the project in `{}` has more than {max_findings} findings (a database \
                 is one finding per rule that opens it, so many databases behind many open \
                 rules multiply), so none of its findings are reported: fix the shared rules \
                 first, or raise `[limits] findings` in rampart.toml",
                crate::report::terminal_safe(&project.name)
            ),
        });
    }
    // A file named on the command line that is no IaC rampart reads was not checked: an
    // error, never "0 findings". The hook is exempt: pre-commit passes every staged YAML
    // and JSON file, most of which are not templates.
    if !request.blocking_only {
        errors.extend(named_files_not_read(&named, &scanned.sources, &root));
    }
    if let Some(focus) = &focus {
        // A neighbour read only to resolve the named files (work in progress beside a
        // staged file) does not fail the run: it is said, and nothing of it is reported.
        let (named, neighbours): (Vec<_>, Vec<_>) = errors.into_iter().partition(|error| {
            let path = match error.span {
                Some(span) => scanned.sources.get(span.file).path.clone(),
                None => PathBuf::from(&error.path),
            };
            focus.contains(&path)
        });
        errors = named;
        notices.extend(
            neighbours
                .into_iter()
                .map(|error| crate::diagnostic::Notice {
                    span: error.span,
                    message: format!(
                        "{} (a file beside those named, read for context; it was not checked): {}",
                        error.path, error.message
                    ),
                    kind: crate::diagnostic::NoticeKind::Info,
                }),
        );
    }
    rules.extend(declared_rules(
        &scanned.projects,
        &config,
        &scanned.sources,
        &mut notices,
        &mut errors,
    ));
    let in_source = |span: crate::ir::Span, message: String| crate::diagnostic::FileError {
        path: scanned.sources.get(span.file).display.clone(),
        span: Some(span),
        message,
    };
    for (span, message) in comment_rules.errors {
        errors.push(in_source(span, message));
    }
    // A mistyped id would suppress nothing and hide that it does: say so.
    for rule in &rules {
        for id in &rule.ids {
            if !known_ids.contains(id.as_str()) {
                errors.push(in_source(
                    rule.span,
                    format!(
                        "suppression names `{id}`, which is no policy (see `rampart policies`)"
                    ),
                ));
            }
        }
    }
    let config_display = config
        .path
        .as_ref()
        .map(|path| crate::discover::display_path(&root, path));
    let fail_on = request
        .fail_on
        .or(config.fail_on.map(FailOn::AtLeast))
        .unwrap_or(FailOn::AtLeast(Severity::Low));
    let mut report = Report {
        sources: &scanned.sources,
        policies: &policies,
        findings: &findings,
        errors: &[],
        notices: &[],
        files_scanned: scanned.sources.scanned_count(),
        suppressions: &[],
        config: config_display.as_deref(),
        annotate_from: match fail_on {
            FailOn::AtLeast(threshold) => Some(threshold),
            FailOn::Never => None,
        },
        unanalysed_is_error: request.fail_on_unanalysed
            || config.unanalysed == crate::config::Unanalysed::Error,
        not_blocking: 0,
    };
    let applied = suppress::apply(
        &findings,
        &policies,
        &scanned.sources,
        &suppress::Inputs {
            rules: &rules,
            baseline: baseline.as_ref(),
            today: suppress::today(),
            require_reason: config.require_suppression_reason,
        },
        |f| report.fingerprint(f),
    );
    clock.lap("suppressions");
    let mut suppressions = applied.suppressions;
    notices.extend(applied.notices);
    for span in applied.missing_reasons {
        errors.push(crate::diagnostic::FileError {
            path: scanned.sources.get(span.file).display.clone(),
            span: Some(span),
            message: "suppression without a reason (require_suppression_reason is set): add reason=\"...\"".into(),
        });
    }
    if let Some(path) = &request.write_baseline {
        let mut written = Baseline {
            version: 1,
            findings: Vec::new(),
        };
        for (finding, suppression) in findings.iter().zip(suppressions.iter_mut()) {
            if matches!(suppression, Some(Suppression::InSource { .. })) {
                continue;
            }
            written.findings.push(BaselineEntry {
                id: policies.policies[finding.policy].id.clone(),
                fingerprint: report.fingerprint(finding),
                file: scanned.sources.get(finding.span.file).repo_path.clone(),
                resource: finding.address.clone(),
            });
            *suppression = Some(Suppression::Baseline);
        }
        written.findings.sort();
        written.findings.dedup();
        write_output(Some(path), &written.to_json())?;
        notices.retain(|n| !n.message.starts_with("baseline entry"));
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.span.cmp(&b.span)));
    errors.dedup();
    // The pre-commit hook shows what blocks the commit, then counts the rest in one line.
    let blocking = match fail_on {
        FailOn::AtLeast(threshold) if request.blocking_only => {
            let mut shown = (Vec::new(), Vec::new());
            let mut below = 0usize;
            for (finding, suppression) in findings.iter().zip(&suppressions) {
                if policies.policies[finding.policy].severity >= threshold {
                    shown.0.push(finding.clone());
                    shown.1.push(suppression.clone());
                } else if suppression.is_none() {
                    below += 1;
                }
            }
            report.not_blocking = below;
            Some(shown)
        }
        _ => None,
    };
    if let Some((shown, shown_suppressions)) = &blocking {
        report.findings = shown;
        report.suppressions = shown_suppressions;
    } else {
        report.suppressions = &suppressions;
    }
    report.errors = &errors;
    report.notices = &notices;
    let root_uri = report::sarif::root_uri(repository.as_deref().unwrap_or(&root));
    stream_output(request.output.as_deref(), |out| match request.format {
        OutputFormat::Human => report::human::write(out, &report, request.color, request.width),
        OutputFormat::Json => report::json::write(out, &report),
        OutputFormat::Sarif => {
            report::sarif::write(out, &report, Some(root_uri), &request.category)
        }
        OutputFormat::Github => report::github::write(out, &report),
        OutputFormat::Markdown => report::markdown::write(out, &report),
        OutputFormat::Short => report::short::write(out, &report),
        OutputFormat::Junit => report::junit::write(out, &report),
        OutputFormat::GitlabSast => report::gitlab_sast::write(out, &report, started),
        OutputFormat::GitlabCodequality => report::codequality::write(out, &report),
    })?;
    clock.lap("render + write");
    crate::panic_context::inject_panic("after-output", "report");
    // The report went to a file: the terminal still hears what it says.
    if let Some(path) = &request.output {
        eprintln!(
            "rampart: {} (report written to {})",
            report.summary(),
            path.display()
        );
    }

    let nothing_scanned = report.files_scanned == 0;
    let unanalysed_fails = report.notices.iter().any(|n| report.is_error(n));
    let code =
        if !errors.is_empty() || (nothing_scanned && request.fail_on_empty) || unanalysed_fails {
            EXIT_ERROR
        } else if let FailOn::AtLeast(threshold) = fail_on
            && report
                .visible()
                .any(|f| policies.policies[f.policy].severity >= threshold)
        {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        };
    // Freeing millions of small allocations took a tenth of a large run; the answer is
    // already written, so let a detached thread free them (or the process exit do it).
    std::thread::spawn(move || drop((scanned, findings, suppressions, notices, errors)));
    Ok(code)
}

/// The nearest directory at or above `cwd` that holds `.git` (the git top level), as an
/// absolute path without symlinks resolved away from what `cwd` says.
fn repository_root(cwd: &Path) -> Option<PathBuf> {
    let cwd = if cwd.is_absolute() {
        cwd.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(cwd)
    };
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Phase timings on standard error when RAMPART_TIMINGS is set: how the benchmark's
/// figures are checked against the whole binary.
struct PhaseClock {
    last: Option<std::time::Instant>,
}

impl PhaseClock {
    fn from_env() -> PhaseClock {
        PhaseClock {
            last: std::env::var_os("RAMPART_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    fn note(&self, text: &str) {
        if self.last.is_some() {
            eprintln!("rampart timings: {text}");
        }
    }

    fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|status| {
                    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
                    Some(format!(", RSS {}", line[6..].trim()))
                })
                .unwrap_or_default();
            eprintln!(
                "rampart timings: {phase}: {:.1} ms{rss}",
                (now - last).as_secs_f64() * 1000.0
            );
            self.last = Some(now);
        }
    }
}

/// Suppressions declared on resources (CloudFormation metadata) and in rampart.toml.
fn declared_rules(
    projects: &[crate::ir::Project],
    config: &Config,
    sources: &crate::ir::SourceMap,
    notices: &mut Vec<crate::diagnostic::Notice>,
    errors: &mut Vec<crate::diagnostic::FileError>,
) -> Vec<suppress::Rule> {
    let mut rules = Vec::new();
    // An impossible date is an error where it is written (a template, or rampart.toml).
    let date = |text: &Option<String>,
                span: Option<crate::ir::Span>,
                errors: &mut Vec<crate::diagnostic::FileError>| match text {
        None => Some(None),
        Some(text) => match suppress::parse_date(text) {
            Some(date) => Some(Some(date)),
            None => {
                errors.push(crate::diagnostic::FileError {
                    path: match span {
                        Some(span) => sources.get(span.file).display.clone(),
                        None => config
                            .path
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_else(|| crate::config::FILE_NAME.to_string()),
                    },
                    span,
                    message: format!(
                        "suppression has an invalid date `until={text}`: write a real day as YYYY-MM-DD"
                    ),
                });
                None
            }
        },
    };
    for resource in projects.iter().flat_map(|p| &p.resources) {
        for ignore in &resource.origin.ignores {
            let Some(until) = date(&ignore.until, Some(ignore.span), errors) else {
                continue;
            };
            rules.push(suppress::Rule {
                ids: ignore.ids.clone(),
                reason: ignore.reason.clone(),
                until,
                scope: suppress::Scope::Resource(resource.address.clone()),
                span: ignore.span,
            });
        }
    }
    for entry in &config.suppress {
        let Some(until) = date(&entry.until, None, errors) else {
            continue;
        };
        // Config entries have no span in a scanned file; they point at the resource.
        let Some(resource) = projects
            .iter()
            .flat_map(|p| &p.resources)
            .find(|r| r.address == entry.resource)
        else {
            notices.push(crate::diagnostic::Notice {
                span: None,
                message: format!(
                    "rampart.toml suppresses `{}`, which is not a resource of this scan",
                    entry.resource
                ),
                kind: crate::diagnostic::NoticeKind::Info,
            });
            continue;
        };
        rules.push(suppress::Rule {
            ids: entry.id.iter().map(|id| id.to_ascii_uppercase()).collect(),
            reason: entry.reason.clone(),
            until,
            scope: suppress::Scope::Resource(entry.resource.clone()),
            span: resource.span,
        });
    }
    rules
}

/// Terraform files named one by one (pre-commit passes the staged files) are scanned with
/// their whole module, so variables, locals and references resolve, and only findings in
/// the named files and directories (or whose value was set there) are reported. Returns
/// the paths to scan and, when a Terraform file widened the scan, what to report on.
fn focus_on_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Option<Focus>) {
    let mut scan_paths = Vec::new();
    let mut focus = Focus::default();
    let mut widened = false;
    for path in paths {
        let is_terraform = path.is_file()
            && crate::parse::FileKind::sniff(path)
                .is_some_and(crate::parse::FileKind::is_terraform);
        if is_terraform {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            scan_paths.push(parent);
            widened = true;
        } else {
            scan_paths.push(path.clone());
        }
        if path.is_dir() {
            focus.directories.push(normalise(path));
        } else {
            focus.files.insert(normalise(path));
        }
    }
    (scan_paths, widened.then_some(focus))
}

/// An error for each named file that was not read as Terraform, CloudFormation or Pulumi.
fn named_files_not_read(
    named: &[PathBuf],
    sources: &crate::ir::SourceMap,
    root: &Path,
) -> Vec<crate::diagnostic::FileError> {
    let read: std::collections::BTreeSet<PathBuf> = sources
        .files()
        .iter()
        .filter(|file| !file.skipped && file.embedded.is_none())
        .map(|file| normalise(&file.path))
        .collect();
    named
        .iter()
        .filter(|path| path.is_file() && !read.contains(&normalise(path)))
        .map(|path| crate::diagnostic::FileError {
            path: crate::discover::display_path(root, path),
            span: None,
            message: "not a Terraform, CloudFormation or Pulumi file rampart reads: nothing in \
                      it was checked"
                .to_string(),
        })
        .collect()
}

/// The files and directories whose findings are reported.
#[derive(Default)]
struct Focus {
    files: BTreeSet<PathBuf>,
    directories: Vec<PathBuf>,
}

impl Focus {
    fn contains(&self, path: &Path) -> bool {
        let path = normalise(path);
        self.files.contains(&path) || self.directories.iter().any(|d| path.starts_with(d))
    }
}

fn normalise(path: &Path) -> PathBuf {
    crate::parse::terraform::modules::normalise(path)
}

pub fn write_output(path: Option<&Path>, text: &str) -> Result<(), AppError> {
    stream_output(path, |out| out.write_all(text.as_bytes()))
}

/// Runs `write` on a buffered file or standard output, so a large report is written as
/// it is rendered rather than held in memory.
pub fn stream_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), AppError> {
    let error = |e: std::io::Error| AppError::Output {
        path: path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "standard output".into()),
        message: e.to_string(),
    };
    match path {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(error)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out).and_then(|_| out.flush()).map_err(error)
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`rampart scan | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(error),
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

pub fn list_policies(format: ListFormat) -> Result<String, AppError> {
    let config = Config::default();
    let policies = load_policies(&config, &[], &[], &[])?;
    Ok(match format {
        ListFormat::Table => crate::report::catalog::table(&policies),
        ListFormat::Json => crate::report::catalog::json(&policies),
        ListFormat::Markdown => crate::report::catalog::markdown(&policies),
    })
}

/// `rampart test DIR`: the example harness on users' own policies. Prints each failure
/// and a summary; exit 1 when any example fails.
pub fn test_policies(dir: &Path) -> Result<u8, AppError> {
    let config = Config::default();
    let policies = loader::from_dir(dir, &config.settings)?;
    loader::check_unique(&policies)?;
    if policies.is_empty() {
        return Err(AppError::NoPolicies(dir.display().to_string()));
    }
    let set = PolicySet::new(policies, config.settings.clone());
    let (count, failures) = crate::examples::check_all(&set, |policy| {
        Path::new(&policy.source).parent().map(Path::to_path_buf)
    });
    let mut text = String::new();
    for failure in &failures {
        text.push_str(&format!("FAIL {failure}\n"));
    }
    text.push_str(&format!(
        "{} policies, {count} examples: {}\n",
        set.policies.len(),
        if failures.is_empty() {
            "all hold".to_string()
        } else {
            format!("{} failures", failures.len())
        }
    ));
    write_output(None, &text)?;
    Ok(if failures.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

pub fn explain(id: &str) -> Result<String, AppError> {
    let catalog = crate::signatures::Catalog::builtin();
    if id == "modules" {
        return Ok(explain_modules(&catalog));
    }
    if let Some(text) = explain_module(&catalog, id) {
        return Ok(text);
    }
    if crate::signatures::normalise_address(id).is_some() {
        return Err(AppError::UnknownModule(id.to_string()));
    }
    let config = Config::default();
    let policies = load_policies(&config, &[], &[], &[])?;
    let policy = policies
        .get(id)
        .ok_or_else(|| AppError::UnknownPolicy(id.to_string()))?;
    let mut text = crate::report::catalog::explain(policy);
    for (name, value) in policies.settings_read(policy) {
        text.push_str(&format!(
            "\nSetting `{name}` (override with `[settings.{name}]` in rampart.toml):\n"
        ));
        match value.as_table() {
            Some(table) => {
                for (key, entry) in table {
                    text.push_str(&format!("  {key} = {entry}\n"));
                }
            }
            None => text.push_str(&format!("  {value}\n")),
        }
    }
    Ok(text)
}

/// `rampart explain modules`: the registry modules rampart reads without `terraform init`.
fn explain_modules(catalog: &crate::signatures::Catalog) -> String {
    let mut out = String::from(
        "Registry modules rampart reads without `terraform init` (module signatures):\n\n",
    );
    let mut rows: Vec<String> = catalog
        .signatures()
        .iter()
        .map(|s| {
            format!(
                "  {:<40} {:<8} derived from {} {} (commit {})\n",
                s.name,
                s.versions.label(),
                s.derived_from.repository,
                s.derived_from.version,
                &s.derived_from.commit[..s.derived_from.commit.len().min(12)]
            )
        })
        .collect();
    rows.sort();
    out.extend(rows);
    out.push_str(
        "\nA `module` block whose source and `version` select one of these is checked as if the \
         module were on disk. Modules installed by `terraform init` (.terraform/modules) are read \
         instead when present. Other registry modules are reported as not analysed.\n\
         Add your own with `rampart module-signature DIR --name NS/NAME/PROVIDER --versions \
         \">= 1.0.0, < 2.0.0\" --release 1.4.0 --commit SHA > sigs/NAME.toml` and \
         `rampart scan --modules sigs`.\n\
         `rampart explain NS/NAME/PROVIDER` shows which inputs reach which resources.\n",
    );
    out
}

/// `rampart explain terraform-aws-modules/rds/aws`: what each signature of a module reads.
fn explain_module(catalog: &crate::signatures::Catalog, name: &str) -> Option<String> {
    let module = crate::signatures::normalise_address(name)?;
    let mut out = String::new();
    for signature in catalog
        .signatures()
        .iter()
        .filter(|s| s.sources.contains(&module))
    {
        out.push_str(&format!(
            "{} (derived from {} release {}, commit {})\nsources: {}\n\n{}\n",
            signature.label(),
            signature.derived_from.repository,
            signature.derived_from.version,
            signature.derived_from.commit,
            signature.sources.join(", "),
            crate::signatures::derive::review(&signature.files)
        ));
    }
    (!out.is_empty()).then_some(out)
}

/// `rampart module-signature DIR`: a signature derived from a module's source, on stdout.
pub fn module_signature(
    dir: &Path,
    header: &crate::signatures::derive::Header,
) -> Result<String, AppError> {
    Ok(crate::signatures::derive::derive(dir, header)?)
}
