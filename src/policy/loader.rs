//! Loads policies strictly: unknown fields, unknown kinds, unknown attributes, malformed
//! conditions and duplicate ids are errors that point into the policy file.

use std::path::Path as FsPath;
use std::sync::LazyLock;

use miette::Diagnostic;
use rayon::prelude::*;
use regex::Regex;
use toml::Spanned;

use crate::ir::{Format, Kind};
use crate::located::LocatedError;

use super::model::{
    Bound, Condition, Literal, Op, Operand, Path, Policy, Quantifier, RawCondition, RawPolicy,
    Settings,
};

include!(concat!(env!("OUT_DIR"), "/embedded_policies.rs"));

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PolicyError {
    #[error("invalid policy {}", .0)]
    #[diagnostic(transparent)]
    Invalid(Box<LocatedError>),
    #[error("cannot read policy directory {path}: {message}")]
    #[diagnostic(code(rampart::policy::io))]
    Io { path: String, message: String },
    #[error("duplicate policy id {id}: defined in {first} and {second}")]
    #[diagnostic(code(rampart::policy::duplicate_id))]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
}

struct Context<'a> {
    path: &'a str,
    text: &'a str,
    settings: &'a Settings,
}

impl Context<'_> {
    fn error(
        &self,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
    ) -> PolicyError {
        PolicyError::Invalid(LocatedError::new(self.path, self.text, message, span))
    }
}

/// The policies compiled into the binary, in id order.
pub fn embedded(settings: &Settings) -> Result<Vec<Policy>, PolicyError> {
    // Parsed in parallel: start-up is most of a pre-commit run on one small file.
    EMBEDDED_POLICIES
        .par_iter()
        .map(|(path, text)| parse_policy(&format!("embedded:{path}"), text, settings))
        .collect()
}

/// An embedded Terraform example of an embedded policy (`bad.tf` or `good.tf`).
/// An embedded policy's example: `format` is the examples folder (`terraform`,
/// `cloudformation`, `pulumi`), `file` its name there.
pub fn example(policy: &Policy, format: &str, file: &str) -> Option<&'static str> {
    let dir = policy
        .source
        .strip_prefix("embedded:")?
        .strip_suffix("/policy.toml")?;
    let wanted = format!("{dir}/examples/{format}/{file}");
    EMBEDDED_EXAMPLES
        .iter()
        .find(|(path, _)| *path == wanted)
        .map(|(_, text)| *text)
}

/// Every `policy.toml` below `dir` (a user's `--policies DIR`), sorted by path.
pub fn from_dir(dir: &FsPath, settings: &Settings) -> Result<Vec<Policy>, PolicyError> {
    let io = |e: std::io::Error| PolicyError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(io)? {
            let entry = entry.map_err(io)?;
            let path = entry.path();
            let file_type = entry.file_type().map_err(io)?;
            if file_type.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = crate::fsread::read_string(path, crate::fsread::DEFAULT_MAX_FILE_BYTES)
                .map_err(|e| PolicyError::Io {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
            parse_policy(&path.display().to_string(), &text, settings)
        })
        .collect()
}

/// Rejects a second policy with an id already taken.
pub fn check_unique(policies: &[Policy]) -> Result<(), PolicyError> {
    let mut seen = std::collections::HashMap::new();
    for policy in policies {
        if let Some(first) = seen.insert(policy.id.clone(), policy.source.clone()) {
            return Err(PolicyError::DuplicateId {
                id: policy.id.clone(),
                first,
                second: policy.source.clone(),
            });
        }
    }
    Ok(())
}

pub fn parse_policy(path: &str, text: &str, settings: &Settings) -> Result<Policy, PolicyError> {
    let cx = Context {
        path,
        text,
        settings,
    };
    let raw: RawPolicy = toml::from_str(text).map_err(|e| cx.error(e.message(), e.span()))?;

    static ID_PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Z]{2,5}-[0-9]{3}$").expect("static regex"));
    static SLUG_PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").expect("static regex"));
    if !ID_PATTERN.is_match(raw.id.get_ref()) {
        return Err(cx.error(
            "id must look like AREA-NNN (e.g. ENC-001)",
            Some(raw.id.span()),
        ));
    }
    if !SLUG_PATTERN.is_match(raw.slug.get_ref()) {
        return Err(cx.error("slug must be kebab-case", Some(raw.slug.span())));
    }
    let mut kinds = Vec::new();
    for kind in raw.kinds.get_ref() {
        match Kind::parse(kind.get_ref()) {
            Some(k) => kinds.push(k),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(cx.error(
                    format!(
                        "unknown kind `{}`; known kinds: {}",
                        kind.get_ref(),
                        known.join(", ")
                    ),
                    Some(kind.span()),
                ));
            }
        }
    }
    if kinds.is_empty() {
        return Err(cx.error("kinds must name at least one kind", Some(raw.kinds.span())));
    }
    let formats = match &raw.formats {
        None => vec![Format::Terraform, Format::CloudFormation, Format::Pulumi],
        Some(list) => {
            let mut formats = Vec::new();
            for name in list.get_ref() {
                formats.push(match name.get_ref().as_str() {
                    "terraform" => Format::Terraform,
                    "cloudformation" => Format::CloudFormation,
                    "pulumi" => Format::Pulumi,
                    other => {
                        return Err(cx.error(
                            format!("unknown format `{other}`; formats: terraform, cloudformation, pulumi"),
                            Some(name.span()),
                        ));
                    }
                });
            }
            if formats.is_empty() {
                return Err(cx.error("formats must name at least one format", Some(list.span())));
            }
            formats
        }
    };
    let when = raw
        .when
        .as_ref()
        .map(|c| compile(&cx, c, Some(&kinds)))
        .transpose()?;
    let assert = match (&raw.assert, raw.forbidden) {
        (Some(assert), false) => compile(&cx, assert, Some(&kinds))?,
        // Holds for no resource: each one is a finding at its header (an empty `any`).
        (None, true) => Condition::Any(Vec::new()),
        (Some(assert), true) => {
            return Err(cx.error(
                "a `forbidden` policy has no `[assert]`: every resource of its kinds is a finding",
                Some(assert.span()),
            ));
        }
        (None, false) => {
            return Err(cx.error(
                "missing `[assert]`: say what must hold (or `forbidden = true` when no resource \
                 of the kinds should exist)",
                None,
            ));
        }
    };
    Ok(Policy {
        id: raw.id.into_inner(),
        slug: raw.slug.into_inner(),
        title: raw.title,
        severity: raw.severity,
        profile: raw.profile,
        kinds,
        formats,
        forbidden: raw.forbidden,
        message: raw.message,
        rationale: raw.rationale.trim().to_string(),
        references: raw.references,
        anchors: raw.anchors,
        remediation: raw.remediation,
        when,
        assert,
        source: path.to_string(),
    })
}

/// `a.b."c.d"` -> `["a", "b", "c.d"]`.
fn parse_path(text: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"')?;
            segments.push(quoted[..end].to_string());
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            let segment = &rest[..end];
            if segment.is_empty()
                || !segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return None;
            }
            segments.push(segment.to_string());
            rest = &rest[end..];
        }
        if let Some(after_dot) = rest.strip_prefix('.') {
            if after_dot.is_empty() {
                return None;
            }
            rest = after_dot;
        } else if !rest.is_empty() {
            return None;
        }
    }
    (!segments.is_empty()).then_some(segments)
}

/// `kinds` is `Some` at the top level, where path heads must be attributes of every kind.
fn compile(
    cx: &Context,
    raw: &Spanned<RawCondition>,
    kinds: Option<&[Kind]>,
) -> Result<Condition, PolicyError> {
    let span = raw.span();
    let c = raw.get_ref();
    let forms = [
        c.all.is_some(),
        c.any.is_some(),
        c.not.is_some(),
        c.path.is_some(),
        c.follow.is_some(),
        c.referenced_by.is_some(),
    ]
    .iter()
    .filter(|&&present| present)
    .count();
    if forms != 1 {
        return Err(cx.error(
            "a condition is exactly one of `all`, `any`, `not`, `path` with one operator, \
             `follow` with `to` and `then`, or `referenced_by` with `through`",
            Some(span),
        ));
    }
    if c.follow.is_none()
        && (c.to.is_some() || c.then.is_some() || c.absent_is_aws_default.is_some())
    {
        return Err(cx.error(
            "`to`, `then` and `absent_is_aws_default` go with `follow`",
            Some(span),
        ));
    }
    if c.referenced_by.is_none() && c.through.is_some() {
        return Err(cx.error("`through` goes with `referenced_by`", Some(span)));
    }
    if let Some(attribute) = &c.follow {
        let (Some(to), Some(then)) = (&c.to, &c.then) else {
            return Err(cx.error(
                "`follow` needs `to` (the kinds it links to) and `then` (what must hold there)",
                Some(span),
            ));
        };
        let path = attribute_path(cx, attribute, kinds.unwrap_or(&[]))?;
        let to = kind_list(cx, to)?;
        let then = compile(cx, then, Some(&to))?;
        let absent_is_aws_default = c
            .absent_is_aws_default
            .as_ref()
            .is_some_and(|flag| *flag.get_ref());
        if absent_is_aws_default && !to.iter().any(|kind| kind.aws_default_prefix().is_some()) {
            return Err(cx.error(
                "`absent_is_aws_default`: AWS provides no default resource of these kinds",
                c.absent_is_aws_default.as_ref().map(Spanned::span),
            ));
        }
        return Ok(Condition::Follow {
            path,
            to,
            then: Box::new(then),
            absent_is_aws_default,
        });
    }
    if let Some(referencing) = &c.referenced_by {
        let Some(through) = &c.through else {
            return Err(cx.error(
                "`referenced_by` needs `through` (the attribute of those kinds that links here)",
                Some(span),
            ));
        };
        let referencing = kind_list(cx, referencing)?;
        let through = attribute_path(cx, through, &referencing)?;
        return Ok(Condition::ReferencedBy {
            kinds: referencing,
            through,
        });
    }
    if let Some(children) = &c.all {
        return Ok(Condition::All(compile_all(cx, children, kinds)?));
    }
    if let Some(children) = &c.any {
        return Ok(Condition::Any(compile_all(cx, children, kinds)?));
    }
    if let Some(inner) = &c.not {
        return Ok(Condition::Not(Box::new(compile(cx, inner, kinds)?)));
    }
    let path_text = c.path.as_ref().expect("checked above");
    let path = attribute_path(cx, path_text, kinds.unwrap_or(&[]))?;
    let op = compile_op(cx, c, span)?;
    Ok(Condition::Test { path, op })
}

/// A path whose head must be an attribute of every one of `kinds`.
fn attribute_path(
    cx: &Context,
    text: &Spanned<String>,
    kinds: &[Kind],
) -> Result<Path, PolicyError> {
    let path = parse_path(text.get_ref()).ok_or_else(|| {
        cx.error(
            "malformed path: use names separated by `.`, quote keys with dots",
            Some(text.span()),
        )
    })?;
    for kind in kinds {
        if !kind.has_attr(&path[0]) {
            let derived = crate::graph::facts::FACTS
                .iter()
                .filter(|fact| fact.kinds.contains(kind))
                .flat_map(|fact| fact.names.iter().copied());
            let known: Vec<&str> = kind
                .schema()
                .attrs
                .iter()
                .map(|attr| attr.name)
                .chain(derived)
                .collect();
            return Err(cx.error(
                format!(
                    "`{}` is not an attribute of kind `{}`; its attributes are {}",
                    path[0],
                    kind.as_str(),
                    known.join(", ")
                ),
                Some(text.span()),
            ));
        }
    }
    Ok(path)
}

/// A non-empty list of kind names.
fn kind_list(cx: &Context, names: &Spanned<Vec<String>>) -> Result<Vec<Kind>, PolicyError> {
    if names.get_ref().is_empty() {
        return Err(cx.error("name at least one kind", Some(names.span())));
    }
    names
        .get_ref()
        .iter()
        .map(|name| {
            Kind::parse(name)
                .ok_or_else(|| cx.error(format!("unknown kind `{name}`"), Some(names.span())))
        })
        .collect()
}

fn compile_all(
    cx: &Context,
    children: &[Spanned<RawCondition>],
    kinds: Option<&[Kind]>,
) -> Result<Vec<Condition>, PolicyError> {
    children
        .iter()
        .map(|child| compile(cx, child, kinds))
        .collect()
}

fn compile_op(
    cx: &Context,
    c: &RawCondition,
    span: std::ops::Range<usize>,
) -> Result<Op, PolicyError> {
    let mut ops = Vec::new();
    let operand = |v: &Spanned<toml::Value>| compile_operand(cx, v);
    if let Some(v) = &c.equals {
        ops.push(Op::Equals(operand(v)?, true));
    }
    if let Some(v) = &c.not_equals {
        ops.push(Op::Equals(operand(v)?, false));
    }
    if let Some(v) = &c.one_of {
        ops.push(Op::OneOf(list_operand(cx, v)?, true));
    }
    if let Some(v) = &c.not_one_of {
        ops.push(Op::OneOf(list_operand(cx, v)?, false));
    }
    for (bound, value) in [
        (Bound::Gte, &c.gte),
        (Bound::Gt, &c.gt),
        (Bound::Lte, &c.lte),
        (Bound::Lt, &c.lt),
    ] {
        if let Some(v) = value {
            ops.push(Op::Bound(bound, operand(v)?));
        }
    }
    if let Some(b) = c.truthy {
        ops.push(Op::Truthy(b));
    }
    if let Some(b) = c.exists {
        ops.push(Op::Exists(b));
    }
    if let Some(pattern) = &c.matches {
        let regex = Regex::new(pattern.get_ref())
            .map_err(|e| cx.error(format!("invalid regex: {e}"), Some(pattern.span())))?;
        ops.push(Op::Matches(regex));
    }
    if let Some(v) = &c.contains {
        ops.push(Op::Contains(operand(v)?));
    }
    if let Some(v) = &c.contains_all {
        ops.push(Op::ContainsAll(list_operand(cx, v)?));
    }
    if let Some(b) = c.hardcoded {
        ops.push(Op::Hardcoded(b));
    }
    for (quantifier, inner) in [
        (Quantifier::Every, &c.every),
        (Quantifier::None, &c.none),
        (Quantifier::Some, &c.some),
    ] {
        if let Some(inner) = inner {
            ops.push(Op::Quantified(
                quantifier,
                Box::new(compile(cx, inner, None)?),
            ));
        }
    }
    match ops.len() {
        1 => Ok(ops.pop().expect("one op")),
        0 => Err(cx.error(
            "`path` needs an operator (equals, truthy, gte, ...)",
            Some(span),
        )),
        _ => Err(cx.error(
            "a test has exactly one operator; combine tests with `all`",
            Some(span),
        )),
    }
}

fn compile_operand(cx: &Context, value: &Spanned<toml::Value>) -> Result<Operand, PolicyError> {
    let span = value.span();
    if let toml::Value::Table(table) = value.get_ref() {
        let keys: Vec<&str> = table.keys().map(String::as_str).collect();
        return match keys.as_slice() {
            ["attr"] => {
                let text = table["attr"].as_str().unwrap_or_default();
                let path = parse_path(text)
                    .ok_or_else(|| cx.error("malformed `attr` path", Some(span.clone())))?;
                Ok(Operand::Attr(path))
            }
            ["config"] | ["config", "key"] | ["key", "config"] => {
                let name = table["config"].as_str().unwrap_or_default().to_string();
                if !cx.settings.contains_key(&name) {
                    let known: Vec<&str> = cx.settings.keys().map(String::as_str).collect();
                    return Err(cx.error(
                        format!("unknown setting `{name}`; settings: {}", known.join(", ")),
                        Some(span),
                    ));
                }
                // `key = "path"`, or a list of paths tried in order (`["engine",
                // "engine_family"]`: an entry for the exact engine, else its family's).
                let keys: Vec<&toml::Value> = match table.get("key") {
                    Some(toml::Value::Array(keys)) => keys.iter().collect(),
                    Some(key) => vec![key],
                    None => Vec::new(),
                };
                let key = keys
                    .into_iter()
                    .map(|key| {
                        key.as_str()
                            .and_then(parse_path)
                            .ok_or_else(|| cx.error("malformed `key` path", Some(span.clone())))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Operand::Config { name, key })
            }
            _ => Err(cx.error(
                "an operand table is `{ attr = \"path\" }` or `{ config = \"name\", key = \"path\" }`",
                Some(span),
            )),
        };
    }
    literal(value.get_ref())
        .map(Operand::Literal)
        .ok_or_else(|| {
            cx.error(
                "unsupported literal (use bool, number, string or list)",
                Some(span),
            )
        })
}

fn list_operand(cx: &Context, value: &Spanned<toml::Value>) -> Result<Operand, PolicyError> {
    let operand = compile_operand(cx, value)?;
    if let Operand::Literal(lit) = &operand
        && !matches!(lit, Literal::List(_))
    {
        return Err(cx.error("expected a list", Some(value.span())));
    }
    Ok(operand)
}

pub fn literal(value: &toml::Value) -> Option<Literal> {
    Some(match value {
        toml::Value::Boolean(b) => Literal::Bool(*b),
        toml::Value::Integer(i) => Literal::Number(*i as f64),
        toml::Value::Float(f) => Literal::Number(*f),
        toml::Value::String(s) => Literal::String(s.clone()),
        toml::Value::Array(items) => {
            Literal::List(items.iter().map(literal).collect::<Option<Vec<_>>>()?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"id = "TST-001"
slug = "storage-encrypted"
title = "t"
severity = "high"
kinds = ["db_instance"]
message = "{address}"
rationale = "r"
[remediation]
terraform = "t"
cloudformation = "c"
pulumi = "p"
[assert]
path = "storage_encrypted"
truthy = true
"#;

    /// The text the error's label points at.
    fn error_at(text: &str) -> (String, String) {
        let settings = crate::config::default_settings();
        match parse_policy("p.toml", text, &settings) {
            Err(PolicyError::Invalid(located)) => {
                let at = located.labelled_text().expect("located");
                (located.message.clone(), at)
            }
            other => panic!("expected an invalid policy, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_policy_loads() {
        let settings = crate::config::default_settings();
        let policy = parse_policy("p.toml", VALID, &settings).unwrap();
        assert_eq!(policy.id, "TST-001");
        assert_eq!(policy.kinds, [Kind::DbInstance]);
    }

    #[test]
    fn unknown_fields_point_into_the_file() {
        let (message, at) = error_at(&VALID.replace("title = \"t\"", "titel = \"t\""));
        assert!(message.contains("unknown field `titel`"), "{message}");
        assert!(at.contains("titel"), "{at}");
    }

    #[test]
    fn unknown_attributes_are_rejected_at_the_path() {
        let (message, at) =
            error_at(&VALID.replace("\"storage_encrypted\"", "\"storage_encryption\""));
        assert!(message.contains("`storage_encryption` is not an attribute of kind `db_instance`"));
        // The message names what the author may have meant, set and derived attributes.
        assert!(message.contains(", storage_encrypted,"), "{message}");
        assert!(message.contains(", engine_family,"), "{message}");
        assert!(!message.contains("src/"), "{message}");
        assert_eq!(at, "\"storage_encryption\"");
    }

    #[test]
    fn unknown_kinds_and_settings_are_rejected() {
        let (message, at) = error_at(&VALID.replace("[\"db_instance\"]", "[\"rds\"]"));
        assert!(message.contains("unknown kind `rds`"));
        assert_eq!(at, "\"rds\"");
        let text = VALID.replace("truthy = true", "gte = { config = \"nope\" }");
        let (message, _) = error_at(&text);
        assert!(message.contains("unknown setting `nope`"), "{message}");
    }

    /// `forbidden` replaces `[assert]`: with both, or with neither, the policy is refused.
    #[test]
    fn a_forbidden_policy_has_no_assert() {
        let settings = crate::config::default_settings();
        let forbidden = VALID
            .replace("kinds =", "forbidden = true\nkinds =")
            .replace(
                "[assert]\npath = \"storage_encrypted\"\ntruthy = true\n",
                "",
            );
        let policy = parse_policy("p.toml", &forbidden, &settings).unwrap();
        assert!(policy.forbidden);
        let (message, at) = error_at(&VALID.replace("kinds =", "forbidden = true\nkinds ="));
        assert!(message.contains("has no `[assert]`"), "{message}");
        assert_eq!(at, "[assert]");
        let neither = VALID.replace(
            "[assert]\npath = \"storage_encrypted\"\ntruthy = true\n",
            "",
        );
        match parse_policy("p.toml", &neither, &settings) {
            Err(PolicyError::Invalid(located)) => {
                assert!(
                    located.message.contains("missing `[assert]`"),
                    "{}",
                    located.message
                )
            }
            other => panic!("expected an invalid policy, got {other:?}"),
        }
    }

    #[test]
    fn a_test_needs_exactly_one_operator() {
        let (message, _) =
            error_at(&VALID.replace("truthy = true", "truthy = true\nexists = true"));
        assert!(message.contains("exactly one operator"), "{message}");
        let (message, _) = error_at(&VALID.replace("truthy = true", ""));
        assert!(message.contains("needs an operator"), "{message}");
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("a"), Some(vec!["a".to_string()]));
        assert_eq!(
            parse_path("effective_parameters.\"rds.force_ssl\""),
            Some(vec![
                "effective_parameters".to_string(),
                "rds.force_ssl".to_string()
            ])
        );
        assert_eq!(parse_path("a..b"), None);
        assert_eq!(parse_path("a."), None);
        assert_eq!(parse_path(""), None);
        assert_eq!(parse_path("a b"), None);
    }
}
