//! Database credentials written into the environment of functions and containers: a
//! variable whose name says password/secret/token with a literal value, or any value that
//! is a connection string with a password in it.

use std::collections::BTreeMap;

use regex::Regex;

use crate::ir::{Data, Provenance, Resource, Value};

use super::derived;

/// `environment_credentials`: one `{name, value}` per offending variable, spanned at the
/// value; unknown when the environment cannot be read.
pub fn environment_credentials(resource: &Resource) -> Value {
    let mut variables: Vec<(Value, Value)> = Vec::new();
    let mut known = true;
    if let Some(environment) = resource.attr("environment") {
        collect_function_env(environment, &mut variables, &mut known);
    }
    if let Some(containers) = resource.attr("container_definitions") {
        collect_container_env(containers, &mut variables, &mut known);
    }
    let offending: Vec<Value> = variables
        .into_iter()
        .filter(|(name, value)| is_credential(name, value))
        .map(|(name, value)| {
            let span = value.span;
            let mut fields = BTreeMap::new();
            fields.insert("name".to_string(), name);
            fields.insert("value".to_string(), value);
            derived(Data::Object(fields), span)
        })
        .collect();
    if offending.is_empty() && !known {
        return Value::unknown("environment not known", resource.span);
    }
    derived(Data::List(offending), resource.span)
}

/// Lambda: `environment { variables = {...} }` (a list of blocks) or `Environment:
/// {Variables: {...}}` (an object).
fn collect_function_env(environment: &Value, out: &mut Vec<(Value, Value)>, known: &mut bool) {
    let blocks: Vec<&Value> = match &environment.data {
        Data::List(items) => items.iter().collect(),
        Data::Object(_) => vec![environment],
        _ => {
            *known = false;
            return;
        }
    };
    for block in blocks {
        let Some(variables) = block.as_object().and_then(|o| o.get("variables")) else {
            continue;
        };
        let Some(map) = variables.as_object() else {
            *known = false;
            continue;
        };
        for (name, value) in map {
            out.push((
                Value::literal(Data::String(name.clone()), value.span),
                value.clone(),
            ));
        }
    }
}

/// ECS: container definitions as a JSON string (Terraform, Pulumi) or a list of objects
/// (CloudFormation), each with `environment: [{name, value}]`.
fn collect_container_env(definitions: &Value, out: &mut Vec<(Value, Value)>, known: &mut bool) {
    let span = definitions.span;
    match &definitions.data {
        Data::String(text) => {
            let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
                *known = false;
                return;
            };
            for container in json.as_array().into_iter().flatten() {
                for variable in container["environment"].as_array().into_iter().flatten() {
                    if let (Some(name), Some(value)) =
                        (variable["name"].as_str(), variable["value"].as_str())
                    {
                        out.push((
                            Value::literal(Data::String(name.to_string()), span),
                            Value {
                                data: Data::String(value.to_string()),
                                span,
                                provenance: definitions.provenance.clone(),
                            },
                        ));
                    }
                }
            }
        }
        Data::List(containers) => {
            for container in containers {
                let environment = container
                    .as_object()
                    .and_then(|c| c.get("environment"))
                    .and_then(Value::as_list)
                    .unwrap_or(&[]);
                for variable in environment {
                    let fields = variable.as_object();
                    if let (Some(name), Some(value)) = (
                        fields.and_then(|f| f.get("name")),
                        fields.and_then(|f| f.get("value")),
                    ) {
                        out.push((name.clone(), value.clone()));
                    }
                }
            }
        }
        _ => *known = false,
    }
}

fn is_credential(name: &Value, value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let literal = matches!(
        value.provenance,
        Provenance::Literal | Provenance::Resolved { .. }
    );
    if !literal || text.is_empty() {
        return false;
    }
    let connection_string =
        Regex::new(r"(?i)^[a-z][a-z0-9+.\-]*://[^/:@\s]+:[^@\s]+@").expect("static regex");
    if connection_string.is_match(text) {
        return true;
    }
    let normalised: String = name
        .as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let sensitive = ["password", "passwd", "pwd", "secret", "credential", "token"]
        .iter()
        .any(|word| normalised.contains(word));
    // A reference to where the secret lives is not the secret.
    let pointer = text.starts_with("arn:") || text.starts_with("{{resolve:");
    sensitive && !pointer
}
