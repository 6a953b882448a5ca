//! CLI glue: flags (clap) -> library calls; every error reaches `main` here and exits 2.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use rampart::app::{self, EXIT_ERROR, ListFormat, OutputFormat, ScanRequest};
use rampart::policy::Severity;

/// A scan makes millions of small, short-lived allocations across threads (syntax trees,
/// values, findings); mimalloc handles them markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stops insecure databases before they are deployed: checks Terraform, CloudFormation and
/// Pulumi for database-hardening mistakes.
#[derive(Parser)]
#[command(name = "rampart", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files or directories (default: the current directory).
    Scan(Box<ScanArgs>),
    /// List the policies.
    Policies {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
    /// Explain one policy (rationale, remediation per format, references, the settings it
    /// reads), `modules` (the registry modules read without `terraform init`), or one
    /// module (which inputs reach which resources).
    Explain {
        /// A policy id (ENC-001), `modules`, or a module address (terraform-aws-modules/rds/aws).
        id: String,
    },
    /// Run the good, bad, unknown and exempt examples of the policies in DIR (each policy's
    /// `examples/` beside its policy.toml) with the rules the built-in policies are tested
    /// by; exit 1 on any failure.
    Test {
        /// A directory of policies, as given to `scan --policies`.
        dir: std::path::PathBuf,
    },
    /// Derive a module signature from a module's source directory and print it: the
    /// module's Terraform reduced to what reaches checked resources. Save it in a directory
    /// given to `scan --modules`, so calls of the registry module are checked without
    /// `terraform init`.
    ModuleSignature {
        /// The module's source directory (a checkout of its repository at a release).
        dir: std::path::PathBuf,
        /// The registry address, e.g. terraform-aws-modules/rds/aws.
        #[arg(long)]
        name: String,
        /// More addresses it is called by, e.g. github.com/terraform-aws-modules/terraform-aws-rds.
        #[arg(long = "source", value_name = "ADDRESS")]
        sources: Vec<String>,
        /// The versions it describes, as a Terraform constraint: ">= 7.0.0, < 8.0.0".
        #[arg(long)]
        versions: String,
        /// The release it was derived from, e.g. 7.2.0.
        #[arg(long)]
        release: String,
        /// The commit of that release.
        #[arg(long)]
        commit: String,
        /// The repository URL.
        #[arg(long, default_value = "")]
        repository: String,
        /// Keep only these `modules/*` directories (comma-separated; default: all).
        #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
        only_modules: Vec<String>,
        /// Leave out these module calls (comma-separated names): nested modules you have
        /// reviewed and found to create nothing rampart checks.
        #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
        omit_calls: Vec<String>,
    },
    /// `scan` as the pre-commit hook runs it: `hook [SCAN OPTIONS] FILE...`, where every
    /// argument that names an existing file is a path, even one that looks like an option
    /// (a committed file named `--write-baseline=x` is scanned, never obeyed).
    Hook {
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGS"
        )]
        args: Vec<std::ffi::OsString>,
    },
}

/// Options of `scan` that take a value as the next argument (`--format`, `-j`), read from
/// the flag definitions so that a new option cannot be forgotten here.
fn value_options() -> Vec<String> {
    use clap::Args;
    let command = ScanArgs::augment_args(clap::Command::new("scan"));
    command
        .get_arguments()
        .filter(|arg| !arg.is_positional() && arg.get_action().takes_values())
        .flat_map(|arg| {
            let long = arg
                .get_long_and_visible_aliases()
                .into_iter()
                .flatten()
                .map(|name| format!("--{name}"));
            let short = arg
                .get_short_and_visible_aliases()
                .into_iter()
                .flatten()
                .map(|c| format!("-{c}"));
            long.chain(short).collect::<Vec<_>>()
        })
        .collect()
}

/// `hook` arguments as a `scan` command line: options first, then `--`, then the paths.
/// pre-commit appends staged file names after the hook's own arguments; each one exists,
/// so whatever exists (and is not the value of the option before it) is a path.
fn hook_to_scan(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut options = Vec::new();
    let mut paths = Vec::new();
    let mut value_expected = false;
    let value_options = value_options();
    for arg in args {
        if value_expected {
            value_expected = false;
            options.push(arg);
        } else if arg == "--" {
            continue;
        } else if std::fs::symlink_metadata(&arg).is_ok() {
            paths.push(arg);
        } else {
            value_expected = arg
                .to_str()
                .is_some_and(|a| value_options.iter().any(|o| o == a));
            options.push(arg);
        }
    }
    let mut argv: Vec<std::ffi::OsString> =
        vec!["rampart".into(), "scan".into(), "--blocking-only".into()];
    argv.extend(options);
    argv.push("--".into());
    argv.extend(paths);
    argv
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, ignore_case = true)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Configuration file (default: rampart.toml found upward from the scanned paths).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Extra policy directory (repeatable).
    #[arg(long = "policies", value_name = "DIR")]
    policy_dirs: Vec<PathBuf>,
    /// Directory of your own module signatures, `*.toml` as written by `rampart
    /// module-signature` (repeatable; preferred over the built-in ones).
    #[arg(long = "modules", value_name = "DIR")]
    module_dirs: Vec<PathBuf>,
    /// Run only these policies (ids or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    select: Vec<String>,
    /// Skip these policies (ids or prefixes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    ignore: Vec<String>,
    /// Set by `rampart hook`: the findings that block the commit, then a count of the rest.
    #[arg(long, hide = true)]
    blocking_only: bool,
    /// `essential`: only the policies for weaknesses exploitable as deployed; `hardened`
    /// (the default): every policy.
    #[arg(long, value_enum, value_name = "PROFILE", ignore_case = true)]
    profile: Option<ProfileArg>,
    /// Exit 1 only for findings at or above this severity (`none`: never for findings).
    #[arg(long, value_enum, value_name = "SEVERITY", ignore_case = true)]
    fail_on: Option<FailOn>,
    /// Terraform variables file for root modules (repeatable; after tfvars files).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// Terraform variable for root modules, NAME=VALUE (repeatable; wins over files).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Do not report findings listed in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current finding to FILE as the new baseline (and report none as failing).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Colour in human output: auto, always or never (also honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = Color::Auto, ignore_case = true)]
    color: Color,
    /// Exit 2 when no Terraform, CloudFormation or Pulumi file was found (it is always
    /// reported as a warning).
    #[arg(long)]
    fail_on_empty: bool,
    /// Exit 2 when a module, program or resource was not analysed: a registry or git
    /// module without `terraform init`, a Pulumi program in TypeScript, a CDK app without
    /// cdk.out (same as `unanalysed = "error"` in rampart.toml).
    #[arg(long)]
    fail_on_unanalysed: bool,
    /// SARIF run category (`automationDetails.id`): give each scan uploaded for one commit
    /// its own, so code scanning keeps both.
    #[arg(long, value_name = "NAME", default_value = "rampart", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    category: String,
    /// Leave findings below this severity out of the report (and the exit status).
    #[arg(
        long,
        visible_alias = "severity",
        value_enum,
        value_name = "SEVERITY",
        ignore_case = true
    )]
    min_severity: Option<MinSeverity>,
    /// Only the findings, one line each (`--format short`), instead of framed diagnostics.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Essential,
    Hardened,
}

#[derive(Clone, Copy, ValueEnum)]
enum MinSeverity {
    Critical,
    High,
    Medium,
    Low,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
    /// One line per finding: `path:line:col: severity ID message`.
    Short,
    /// JUnit XML for test tabs (GitLab, Jenkins, Azure DevOps).
    Junit,
    /// GitLab security report (`artifacts:reports:sast`).
    GitlabSast,
    /// GitLab code quality report (`artifacts:reports:codequality`).
    GitlabCodequality,
}

#[derive(Clone, Copy, ValueEnum)]
enum CatalogFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    /// Never fail for findings (errors still exit 2).
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// A panic is a bug: say so, say how to report it, and exit 2 like any other failure to
/// complete the scan (never a silent success, never a core dump).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let scanning = rampart::panic_context::current_file()
            .map(|f| format!(" while scanning {f}"))
            .unwrap_or_else(|| " (not while scanning a file)".to_string());
        eprintln!(
            "rampart crashed{scanning}: {message}{location}\n\
             This is a bug in rampart, not in your files. Please open an issue with the message \
             above and, if you can, the file that triggered it."
        );
        std::process::exit(i32::from(EXIT_ERROR));
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let command = match Cli::parse().command {
        Command::Hook { args } => Cli::parse_from(hook_to_scan(args)).command,
        other => other,
    };
    let result = match command {
        Command::Scan(args) => app::run_scan(&scan_request(*args)),
        // `hook_to_scan` always names `scan`; a nested `hook` is a usage error.
        Command::Hook { .. } => {
            eprintln!("error: `rampart hook` runs a scan; it cannot run another hook");
            return ExitCode::from(EXIT_ERROR);
        }
        Command::Policies { format } => app::list_policies(match format {
            CatalogFormat::Table => ListFormat::Table,
            CatalogFormat::Json => ListFormat::Json,
            CatalogFormat::Markdown => ListFormat::Markdown,
        })
        .and_then(|text| app::write_output(None, &text).map(|_| app::EXIT_CLEAN)),
        Command::Test { dir } => app::test_policies(&dir),
        Command::ModuleSignature {
            dir,
            name,
            sources,
            versions,
            release,
            commit,
            repository,
            only_modules,
            omit_calls,
        } => {
            let header = rampart::signatures::derive::Header {
                sources: std::iter::once(name.clone()).chain(sources).collect(),
                name,
                versions,
                derived_from: rampart::signatures::DerivedFrom {
                    repository,
                    version: release,
                    commit,
                },
                only_modules,
                omit_calls,
            };
            app::module_signature(&dir, &header)
                .and_then(|text| app::write_output(None, &text).map(|_| app::EXIT_CLEAN))
        }
        Command::Explain { id } => app::explain(&id)
            .and_then(|text| app::write_output(None, &text).map(|_| app::EXIT_CLEAN)),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn scan_request(args: ScanArgs) -> ScanRequest {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = if to_terminal {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    ScanRequest {
        paths: args.paths,
        format: match args.format {
            // `--quiet` is the one-line form of the human report.
            Format::Human if args.quiet => OutputFormat::Short,
            Format::Human => OutputFormat::Human,
            Format::Json => OutputFormat::Json,
            Format::Sarif => OutputFormat::Sarif,
            Format::Github => OutputFormat::Github,
            Format::Markdown => OutputFormat::Markdown,
            Format::Short => OutputFormat::Short,
            Format::Junit => OutputFormat::Junit,
            Format::GitlabSast => OutputFormat::GitlabSast,
            Format::GitlabCodequality => OutputFormat::GitlabCodequality,
        },
        output: args.output,
        config: args.config,
        policy_dirs: args.policy_dirs,
        module_dirs: args.module_dirs,
        select: args.select,
        ignore: args.ignore,
        fail_on: args.fail_on.map(|f| match f {
            FailOn::Critical => app::FailOn::AtLeast(Severity::Critical),
            FailOn::High => app::FailOn::AtLeast(Severity::High),
            FailOn::Medium => app::FailOn::AtLeast(Severity::Medium),
            FailOn::Low => app::FailOn::AtLeast(Severity::Low),
            FailOn::None => app::FailOn::Never,
        }),
        jobs: args.jobs,
        baseline: args.baseline,
        var_files: args.var_files,
        vars: args.vars,
        write_baseline: args.write_baseline,
        color,
        width,
        fail_on_empty: args.fail_on_empty,
        blocking_only: args.blocking_only,
        fail_on_unanalysed: args.fail_on_unanalysed,
        category: args.category,
        profile: args.profile.map(|p| match p {
            ProfileArg::Essential => rampart::policy::Profile::Essential,
            ProfileArg::Hardened => rampart::policy::Profile::Hardened,
        }),
        min_severity: args.min_severity.map(|s| match s {
            MinSeverity::Critical => Severity::Critical,
            MinSeverity::High => Severity::High,
            MinSeverity::Medium => Severity::Medium,
            MinSeverity::Low => Severity::Low,
        }),
    }
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err("expected NAME=VALUE".to_string()),
    }
}

/// The terminal's real width (of standard output, else standard error); `$COLUMNS` when
/// neither is a terminal that says.
fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout())
        .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
        .map(|(width, _)| usize::from(width.0))
        .filter(|width| *width > 0)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
}
