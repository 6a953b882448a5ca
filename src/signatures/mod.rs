//! Module signatures: what rampart knows of well-known registry modules without downloading
//! them. A signature is the module's own Terraform, reduced by `rampart module-signature`
//! to what reaches resources rampart checks (variables with their defaults, locals,
//! resources, module calls, outputs), for one range of module versions. A `module` block
//! whose source and version select a signature is instantiated from it exactly as a local
//! module would be; findings land on the caller's arguments, or on the `module` block for
//! the module's own defaults.

pub mod derive;
pub(crate) mod version;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use version::Interval;

/// Where signature files appear in reports: never a path on disk.
pub const EMBEDDED_ROOT: &str = "(module signature)";

/// What the file says, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureFile {
    name: String,
    sources: Vec<String>,
    versions: String,
    derived_from: DerivedFrom,
    files: BTreeMap<String, String>,
}

/// The module release a signature was derived from.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DerivedFrom {
    pub repository: String,
    pub version: String,
    pub commit: String,
}

#[derive(Debug)]
pub struct Signature {
    /// The registry address users write, e.g. `terraform-aws-modules/rds/aws`.
    pub name: String,
    /// Addresses it matches, normalised (see [`normalise_address`]).
    pub sources: Vec<String>,
    pub versions: Interval,
    pub derived_from: DerivedFrom,
    /// Module-relative path (`modules/db_instance/main.tf`) -> text.
    pub files: BTreeMap<String, String>,
    /// `built in`, or the file a user's signature came from.
    pub origin: String,
}

impl Signature {
    /// `terraform-aws-modules/rds/aws 7.x`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.versions.label())
    }

    /// The directory its files appear under.
    pub fn base_dir(&self) -> PathBuf {
        PathBuf::from(format!(
            "{EMBEDDED_ROOT}/{}@{}",
            self.name,
            self.versions.label()
        ))
    }

    pub fn is_builtin(&self) -> bool {
        self.origin == BUILTIN
    }
}

const BUILTIN: &str = "built in";

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SignatureError {
    #[error("module signature {path}: {message}")]
    #[diagnostic(code(rampart::signature))]
    Invalid { path: String, message: String },
    #[error("module signatures in {path} could not be read: {source}")]
    #[diagnostic(code(rampart::signature))]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Every signature a scan may use: the built-in ones and those of `--modules DIR`.
#[derive(Debug, Default)]
pub struct Catalog {
    signatures: Vec<Signature>,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_signatures.rs"));
}

/// What a `module` block's source and version select.
#[derive(Debug)]
pub enum Selection<'a> {
    /// No signature has this source.
    NotKnown,
    /// `dir` is the signature directory to instantiate; `note` says which signature was
    /// chosen when the call does not constrain the version.
    Chosen {
        signature: &'a Signature,
        dir: PathBuf,
        note: Option<String>,
    },
    /// The source is known but no signature covers the versions the call allows.
    NoVersion { message: String },
}

impl Catalog {
    /// The signatures shipped in the binary (`modules/*.toml`).
    pub fn builtin() -> Catalog {
        let mut catalog = Catalog::default();
        for (path, text) in embedded::EMBEDDED_SIGNATURES {
            match parse(text, path, BUILTIN) {
                Ok(signature) => catalog.signatures.push(signature),
                // The meta test parses every built-in signature; a broken one is a build
                // defect, reported rather than hidden.
                Err(error) => eprintln!("rampart: {error}"),
            }
        }
        catalog
    }

    /// The built-in signatures, parsed once per process.
    pub fn shared() -> &'static Catalog {
        static SHARED: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        SHARED.get_or_init(Catalog::builtin)
    }

    /// Adds every `*.toml` of `dir` (a user's own signatures, same format as the built-in
    /// ones). They are preferred over built-in signatures for the same versions.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), SignatureError> {
        let io = |source| SignatureError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml") && path.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let display = path.display().to_string();
            let text = crate::fsread::read_string(&path, 16 * 1024 * 1024).map_err(|e| {
                SignatureError::Invalid {
                    path: display.clone(),
                    message: e.to_string(),
                }
            })?;
            let signature = parse(&text, &display, &display)?;
            self.signatures.insert(0, signature);
        }
        Ok(())
    }

    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// Signature directories a call of `source` may instantiate (every version: the
    /// version is chosen when the call is lowered).
    pub fn dirs_for(&self, source: &str) -> Vec<PathBuf> {
        let Some(address) = Address::parse(source) else {
            return Vec::new();
        };
        self.family(&address.module)
            .into_iter()
            .map(|signature| lexical_join(&signature.base_dir(), &address.subdir))
            .collect()
    }

    fn family(&self, module: &str) -> Vec<&Signature> {
        self.signatures
            .iter()
            .filter(|s| s.sources.iter().any(|known| known == module))
            .collect()
    }

    /// The signature a call with `source` and `version` (the `version` argument, when
    /// written) instantiates.
    pub fn select(&self, source: &str, version: Option<&str>) -> Selection<'_> {
        let Some(address) = Address::parse(source) else {
            return Selection::NotKnown;
        };
        let family = self.family(&address.module);
        if family.is_empty() {
            return Selection::NotKnown;
        }
        // A version in the source (`?ref=v6.1.0`) pins it as `version` does for registry
        // addresses.
        let constraint = version.map(str::to_string).or(address.pinned.clone());
        let wanted = match constraint.as_deref().map(Interval::parse) {
            None => Interval::any(),
            Some(Ok(interval)) => interval,
            Some(Err(error)) => {
                return Selection::NoVersion {
                    message: format!("{error}; {} was not analysed", family[0].name),
                };
            }
        };
        let newest = |a: &&Signature, b: &&Signature| {
            let version = |s: &Signature| version::parse_version(&s.derived_from.version);
            // User signatures first, then the newest release.
            (!a.is_builtin(), version(a)).cmp(&(!b.is_builtin(), version(b)))
        };
        let Some(signature) = family
            .iter()
            .copied()
            .filter(|s| s.versions.overlaps(&wanted))
            .max_by(newest)
        else {
            let mut known: Vec<String> = family.iter().map(|s| s.versions.label()).collect();
            known.sort();
            known.dedup();
            return Selection::NoVersion {
                message: format!(
                    "{} {} has no module signature (rampart knows {}); it was not analysed",
                    family[0].name,
                    constraint.as_deref().unwrap_or("any version"),
                    known.join(", ")
                ),
            };
        };
        let note = constraint.is_none().then(|| {
            format!(
                "{} has no version constraint; it was read as {} (the module signature \
                 derived from release {})",
                signature.name,
                signature.label(),
                signature.derived_from.version
            )
        });
        Selection::Chosen {
            signature,
            dir: lexical_join(&signature.base_dir(), &address.subdir),
            note,
        }
    }

    /// The files of a signature directory, as (path, text); `None` for a directory that
    /// is not a signature's.
    pub fn files_in(&self, dir: &Path) -> Option<Vec<(PathBuf, &str)>> {
        let signature = self.owner_of(dir)?;
        let base = signature.base_dir();
        let mut files: Vec<(PathBuf, &str)> = signature
            .files
            .iter()
            .map(|(relative, text)| (base.join(relative), text.as_str()))
            .filter(|(path, _)| path.parent() == Some(dir))
            .collect();
        files.sort();
        Some(files)
    }

    /// The signature whose directory `path` is, or is inside.
    pub fn owner_of(&self, path: &Path) -> Option<&Signature> {
        if !path.starts_with(EMBEDDED_ROOT) {
            return None;
        }
        self.signatures
            .iter()
            .find(|s| path.starts_with(s.base_dir()))
    }
}

fn lexical_join(base: &Path, subdir: &str) -> PathBuf {
    if subdir.is_empty() {
        base.to_path_buf()
    } else {
        crate::ir::normalise(&base.join(subdir))
    }
}

fn parse(text: &str, path: &str, origin: &str) -> Result<Signature, SignatureError> {
    let invalid = |message: String| SignatureError::Invalid {
        path: path.to_string(),
        message,
    };
    let file: SignatureFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let versions = Interval::parse(&file.versions).map_err(|e| invalid(e.to_string()))?;
    let mut sources = Vec::new();
    for source in &file.sources {
        let address = Address::parse(source)
            .ok_or_else(|| invalid(format!("`{source}` is not a module source address")))?;
        sources.push(address.module);
    }
    if sources.is_empty() {
        return Err(invalid("`sources` is empty".into()));
    }
    for relative in file.files.keys() {
        let clean = !relative.is_empty()
            && Path::new(relative)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !clean || !relative.ends_with(".tf") {
            return Err(invalid(format!(
                "file `{relative}` must be a relative `.tf` path without `..`"
            )));
        }
    }
    Ok(Signature {
        name: file.name,
        sources,
        versions,
        derived_from: file.derived_from,
        files: file.files,
        origin: origin.to_string(),
    })
}

/// A module source address, split the way Terraform reads it.
#[derive(Debug, PartialEq, Eq)]
pub struct Address {
    /// `terraform-aws-modules/rds/aws` for registry addresses, `github.com/org/repo` for
    /// GitHub sources; lower case.
    pub module: String,
    /// The part after `//`: a directory inside the module package.
    pub subdir: String,
    /// The version a git `?ref=` names, when it is one.
    pub pinned: Option<String>,
}

impl Address {
    /// `None` for local paths and for sources that are neither registry nor GitHub.
    pub fn parse(source: &str) -> Option<Address> {
        let source = source.trim();
        if source.starts_with("./") || source.starts_with("../") || source.starts_with('/') {
            return None;
        }
        let (source, query) = match source.split_once('?') {
            Some((source, query)) => (source, query),
            None => (source, ""),
        };
        let pinned = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("ref="))
            .filter(|r| version::parse_version(r).is_some())
            .map(|r| format!("= {}", r.trim_start_matches('v')));
        let source = source.strip_prefix("git::").unwrap_or(source);
        let source = ["https://", "http://", "ssh://", "git@"]
            .iter()
            .find_map(|scheme| source.strip_prefix(scheme))
            .unwrap_or(source);
        let source = source.strip_prefix("git@").unwrap_or(source);
        // `git@github.com:org/repo` is `github.com/org/repo`; `//` after the host part
        // separates the package from a directory inside it.
        let source = source.replacen("github.com:", "github.com/", 1);
        let (package, subdir) = match source.split_once("//") {
            Some((package, subdir)) => (package.to_string(), subdir.trim_matches('/').to_string()),
            None => (source.clone(), String::new()),
        };
        let package = package.trim_end_matches('/').to_lowercase();
        let package = package.strip_suffix(".git").unwrap_or(&package).to_string();
        let parts: Vec<&str> = package.split('/').collect();
        let module = match parts.as_slice() {
            ["github.com", org, repo] => format!("github.com/{org}/{repo}"),
            [namespace, name, provider] if !namespace.contains('.') => {
                format!("{namespace}/{name}/{provider}")
            }
            [
                "registry.terraform.io" | "registry.opentofu.org",
                namespace,
                name,
                provider,
            ] => {
                format!("{namespace}/{name}/{provider}")
            }
            // Private registries: keep the host, so that a user's signature can name it.
            [host, namespace, name, provider] if host.contains('.') => {
                format!("{host}/{namespace}/{name}/{provider}")
            }
            _ => return None,
        };
        if module.split('/').any(str::is_empty) {
            return None;
        }
        Some(Address {
            module,
            subdir,
            pinned,
        })
    }
}

/// Normalised address, for a signature's `sources`.
pub fn normalise_address(source: &str) -> Option<String> {
    Address::parse(source).map(|a| a.module)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(source: &str) -> (String, String, Option<String>) {
        let a = Address::parse(source).unwrap_or_else(|| panic!("{source}"));
        (a.module, a.subdir, a.pinned)
    }

    #[test]
    fn registry_and_github_addresses_normalise() {
        let rds = "terraform-aws-modules/rds/aws".to_string();
        assert_eq!(
            address("terraform-aws-modules/rds/aws"),
            (rds.clone(), "".into(), None)
        );
        assert_eq!(
            address("registry.terraform.io/terraform-aws-modules/rds/aws//modules/db_instance"),
            (rds.clone(), "modules/db_instance".into(), None)
        );
        assert_eq!(address("Terraform-AWS-Modules/RDS/AWS").0, rds);
        let github = "github.com/terraform-aws-modules/terraform-aws-rds".to_string();
        for source in [
            "github.com/terraform-aws-modules/terraform-aws-rds",
            "git::https://github.com/terraform-aws-modules/terraform-aws-rds.git",
            "git@github.com:terraform-aws-modules/terraform-aws-rds.git",
            "git::ssh://git@github.com/terraform-aws-modules/terraform-aws-rds.git",
        ] {
            assert_eq!(
                address(source),
                (github.clone(), "".into(), None),
                "{source}"
            );
        }
        assert_eq!(
            address(
                "git::https://github.com/terraform-aws-modules/terraform-aws-rds.git//modules/db_parameter_group?ref=v6.1.0"
            ),
            (
                github.clone(),
                "modules/db_parameter_group".into(),
                Some("= 6.1.0".into())
            )
        );
        assert_eq!(
            address("github.com/terraform-aws-modules/terraform-aws-rds?ref=main").2,
            None,
            "a branch is not a version"
        );
        assert_eq!(
            address("app.terraform.io/acme/db/aws").0,
            "app.terraform.io/acme/db/aws"
        );
    }

    #[test]
    fn local_and_unknown_sources_are_not_addresses() {
        for source in [
            "./db",
            "../db",
            "/abs/db",
            "s3::https://bucket/x.zip",
            "a/b",
            "",
        ] {
            assert_eq!(Address::parse(source), None, "{source}");
        }
    }

    fn signature(name: &str, versions: &str, release: &str, origin: &str) -> Signature {
        Signature {
            name: name.into(),
            sources: vec![name.into()],
            versions: Interval::parse(versions).unwrap(),
            derived_from: DerivedFrom {
                repository: "r".into(),
                version: release.into(),
                commit: "c".into(),
            },
            files: BTreeMap::from([
                ("main.tf".to_string(), String::new()),
                ("modules/x/main.tf".to_string(), String::new()),
            ]),
            origin: origin.into(),
        }
    }

    fn chosen(catalog: &Catalog, source: &str, version: Option<&str>) -> (String, bool) {
        match catalog.select(source, version) {
            Selection::Chosen {
                signature, note, ..
            } => (signature.derived_from.version.clone(), note.is_some()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_constraint_selects_the_newest_matching_signature() {
        let catalog = Catalog {
            signatures: vec![
                signature("a/rds/aws", ">= 6.0.0, < 7.0.0", "6.12.0", BUILTIN),
                signature("a/rds/aws", ">= 7.0.0, < 8.0.0", "7.2.0", BUILTIN),
            ],
        };
        assert_eq!(
            chosen(&catalog, "a/rds/aws", Some("~> 6.0")),
            ("6.12.0".into(), false)
        );
        assert_eq!(
            chosen(&catalog, "a/rds/aws", Some(">= 6.0")),
            ("7.2.0".into(), false)
        );
        assert_eq!(chosen(&catalog, "a/rds/aws", None), ("7.2.0".into(), true));
        assert!(matches!(
            catalog.select("a/rds/aws", Some("~> 5.0")),
            Selection::NoVersion { message } if message.contains("6.x, 7.x")
        ));
        assert!(matches!(
            catalog.select("a/rds/aws", Some("six")),
            Selection::NoVersion { .. }
        ));
        assert!(matches!(
            catalog.select("b/rds/aws", None),
            Selection::NotKnown
        ));
    }

    #[test]
    fn a_users_signature_wins_over_a_builtin_one() {
        let catalog = Catalog {
            signatures: vec![
                signature("a/rds/aws", ">= 7.0.0, < 8.0.0", "7.0.0", "mine.toml"),
                signature("a/rds/aws", ">= 7.0.0, < 8.0.0", "7.2.0", BUILTIN),
            ],
        };
        assert_eq!(chosen(&catalog, "a/rds/aws", Some("~> 7.0")).0, "7.0.0");
    }

    #[test]
    fn files_are_served_per_directory() {
        let catalog = Catalog {
            signatures: vec![signature(
                "a/rds/aws",
                ">= 7.0.0, < 8.0.0",
                "7.2.0",
                BUILTIN,
            )],
        };
        let dirs = catalog.dirs_for("a/rds/aws//modules/x");
        assert_eq!(
            dirs,
            vec![PathBuf::from("(module signature)/a/rds/aws@7.x/modules/x")]
        );
        let files = catalog.files_in(&dirs[0]).unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].0.ends_with("modules/x/main.tf"));
        let root = catalog
            .files_in(Path::new("(module signature)/a/rds/aws@7.x"))
            .unwrap();
        assert_eq!(root.len(), 1);
        assert!(catalog.files_in(Path::new("modules/x")).is_none());
    }
}
