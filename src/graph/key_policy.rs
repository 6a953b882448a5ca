//! Whether a KMS key policy lets anyone use the key: an `Allow` statement whose principal
//! is `*` (or `{"AWS": "*"}`) with no `Condition` narrowing it.

use crate::ir::{Data, Resource, Value};

use super::derived;

/// `policy_allows_anyone`, spanned at the policy (or the key when it has none: the default
/// key policy trusts only the account).
pub fn allows_anyone(key: &Resource) -> Value {
    let Some(policy) = key.attr("policy") else {
        return derived(Data::Bool(false), key.span);
    };
    let document = match &policy.data {
        Data::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => json,
            Err(_) => return Value::unknown("key policy is not JSON", policy.span),
        },
        Data::Object(_) => match to_json(policy) {
            Some(json) => json,
            // Partly unknown (a `!Sub` of the account, `jsonencode` of a data source):
            // decided statement by statement, so one unknown cannot hide an open one.
            None => {
                return match document_allows_anyone(policy) {
                    Some(open) => derived(Data::Bool(open), policy.span),
                    None => Value::unknown("key policy not known", policy.span),
                };
            }
        },
        _ => return Value::unknown("key policy not known", policy.span),
    };
    let statements = match document.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.clone(),
        Some(single @ serde_json::Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    };
    let open = statements.iter().any(|statement| {
        statement.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
            && statement.get("Condition").is_none()
            && statement.get("Principal").is_some_and(is_everyone)
    });
    derived(Data::Bool(open), policy.span)
}

/// A field of a policy object, however its key was cased on lowering (`Statement`,
/// `statement`).
fn field<'v>(object: &'v Value, name: &str) -> Option<&'v Value> {
    match &object.data {
        Data::Object(fields) => fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value),
        _ => None,
    }
}

/// Three-valued `allows_anyone` over a policy document with unknown parts: `Some(true)`
/// when one statement is known to be open, `Some(false)` when every statement is known
/// not to be, `None` otherwise.
fn document_allows_anyone(policy: &Value) -> Option<bool> {
    let statements: Vec<&Value> = match field(policy, "Statement").map(|s| &s.data) {
        Some(Data::List(items)) => items.iter().collect(),
        Some(Data::Object(_)) => vec![field(policy, "Statement")?],
        None => Vec::new(),
        Some(_) => return None,
    };
    any_of(statements.into_iter().map(statement_allows_anyone))
}

/// Three-valued "any": true when one is, false when all are false, else not known.
fn any_of(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut undecided = false;
    for item in items {
        match item {
            Some(true) => return Some(true),
            Some(false) => {}
            None => undecided = true,
        }
    }
    (!undecided).then_some(false)
}

fn statement_allows_anyone(statement: &Value) -> Option<bool> {
    if !matches!(statement.data, Data::Object(_)) {
        return None;
    }
    if field(statement, "Condition").is_some() {
        return Some(false);
    }
    let effect = match field(statement, "Effect").map(|e| &e.data) {
        Some(Data::String(effect)) => Some(effect == "Allow"),
        None => Some(false),
        Some(_) => None,
    };
    let principal = match field(statement, "Principal") {
        Some(principal) => principal_is_everyone(principal),
        None => Some(false),
    };
    match (effect, principal) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn principal_is_everyone(principal: &Value) -> Option<bool> {
    match &principal.data {
        Data::String(s) => Some(s == "*"),
        // A reference to a role or account resource: an ARN, never `*`.
        Data::Link(_) => Some(false),
        Data::List(items) => any_of(items.iter().map(principal_is_everyone)),
        Data::Object(_) => match field(principal, "AWS") {
            Some(aws) => principal_is_everyone(aws),
            None => Some(false),
        },
        _ => None,
    }
}

fn is_everyone(principal: &serde_json::Value) -> bool {
    match principal {
        serde_json::Value::String(s) => s == "*",
        serde_json::Value::Array(items) => items.iter().any(is_everyone),
        serde_json::Value::Object(map) => map.get("AWS").is_some_and(is_everyone),
        _ => false,
    }
}

/// Policies written as maps (CloudFormation, Pulumi YAML) had their keys snake_cased on
/// lowering; the statement keys matter here, so they get IAM's spelling back.
fn to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match &value.data {
        Data::Null => serde_json::Value::Null,
        Data::Bool(b) => serde_json::Value::Bool(*b),
        Data::Number(n) => serde_json::json!(n),
        Data::String(s) => serde_json::Value::String(s.clone()),
        Data::List(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?)
        }
        Data::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| Some((iam_key(k), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
        Data::Link(_) | Data::Unknown(_) | Data::Secret(_) | Data::OneOf(_) => return None,
    })
}

fn iam_key(key: &str) -> String {
    match key {
        "statement" => "Statement",
        "effect" => "Effect",
        "principal" => "Principal",
        "condition" => "Condition",
        "aws" => "AWS",
        "action" => "Action",
        "resource" => "Resource",
        "version" => "Version",
        other => other,
    }
    .to_string()
}
