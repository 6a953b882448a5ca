//! Database credentials written into the environment of functions and containers: a
//! literal value under a name that says it is a database's password or secret, or a
//! database URL with a password in it. Other services' credentials are not this fact's.

use std::collections::BTreeMap;
use std::sync::LazyLock;

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
    // A generic name (`PASSWORD`) is a database credential only beside a variable that
    // names a database; `DB_PASSWORD`, `PGPASSWORD` or a database URL always are.
    let database_context = variables.iter().any(|(name, value)| {
        names_database(name) || value.as_str().is_some_and(is_database_endpoint)
    });
    let offending: Vec<Value> = variables
        .into_iter()
        .filter(|(name, value)| is_credential(name, value, database_context))
        .map(|(name, value)| {
            let span = value.span;
            let mut fields = BTreeMap::new();
            fields.insert("name".to_string(), name);
            fields.insert("value".to_string(), value);
            derived(Data::Object(fields.into()), span)
        })
        .collect();
    if offending.is_empty() && !known {
        return Value::unknown("environment not known", resource.span);
    }
    derived(Data::List(offending.into()), resource.span)
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
            for container in containers.iter() {
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

/// Words in a variable name that say which kind of secret it holds, and that it is a
/// database's. `secret` and `token` alone are not database credentials: an
/// `AWS_SECRET_ACCESS_KEY` or a `GITHUB_TOKEN` is a credential of something else.
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pwd"];
const DATABASE_WORDS: &[&str] = &[
    "db", "database", "pg", "postgres", "mysql", "maria", "rds", "sql", "mongo", "aurora",
    "oracle", "redshift", "master",
];

fn normalised_name(name: &Value) -> String {
    name.as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn names_database(name: &Value) -> bool {
    let name = normalised_name(name);
    DATABASE_WORDS.iter().any(|word| name.contains(word))
}

fn is_database_endpoint(text: &str) -> bool {
    text.contains(".rds.amazonaws.com") || database_url(text)
}

/// `postgres://`, `mysql://`, `jdbc:sqlserver://` and the other database URL schemes.
fn database_url(text: &str) -> bool {
    // Compiled once per process, not once per environment variable.
    static SCHEME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(jdbc:)?(postgres(ql)?|mysql|mariadb|sqlserver|mssql|oracle(:thin)?|mongodb(\+srv)?|redshift|aurora(-mysql|-postgresql)?)(\+[a-z0-9]+)?:",
        )
        .expect("static regex")
    });
    SCHEME.is_match(text)
}

fn is_credential(name: &Value, value: &Value, database_context: bool) -> bool {
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
    static WITH_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[a-z][a-z0-9+.:\-]*://[^/:@\s]+:[^@\s]+@").expect("static regex")
    });
    if database_url(text) && WITH_PASSWORD.is_match(text) {
        return true;
    }
    let normalised = normalised_name(name);
    let password = PASSWORD_WORDS.iter().any(|word| normalised.contains(word))
        || (normalised.contains("secret") || normalised.contains("credential"))
            && names_database(name);
    let database = names_database(name) || database_context;
    // A reference to where the secret lives is not the secret.
    let pointer = text.starts_with("arn:") || text.starts_with("{{resolve:");
    password && database && !pointer
}
