//! Type constraints of variables, as far as they change values: `optional(type, default)`
//! attributes of `object(...)` types, nested through `list`, `set`, `map`, `tuple` and other
//! objects, are filled in the way Terraform (1.3 and later) fills them when it converts a
//! value to the variable's type.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};

use crate::ir::{Data, FileId, Value};

use super::eval::Scope;

/// `value` converted to the type written in `ty`: absent or null optional attributes take
/// their default (or null), with a hop naming the default where it is written. Anything
/// the conversion would change otherwise (numbers to strings, ...) is left as it is.
pub fn conform(scope: &Scope, file: FileId, value: Value, ty: &Expression, path: &str) -> Value {
    crate::parse::budget::deeper(|| conform_inner(scope, file, value, ty, path))
}

fn conform_inner(scope: &Scope, file: FileId, value: Value, ty: &Expression, path: &str) -> Value {
    let Expression::FuncCall(call) = ty else {
        return value;
    };
    let args: Vec<&Expression> = call.args.iter().collect();
    match (call.name.name.as_str(), args.as_slice()) {
        ("object", [Expression::Object(fields)]) => {
            let Data::Object(map) = &value.data else {
                return value;
            };
            let mut map = (**map).clone();
            for (key, field) in fields.iter() {
                let ObjectKey::Ident(name) = key else {
                    continue;
                };
                let name = name.as_str();
                let field_path = format!("{path}.{name}");
                let (field_type, default) = match field.expr() {
                    Expression::FuncCall(optional) if optional.name.name.as_str() == "optional" => {
                        let mut parts = optional.args.iter();
                        (parts.next(), Some(parts.next()))
                    }
                    other => (Some(other), None),
                };
                let present = map.get(name).filter(|v| !matches!(v.data, Data::Null));
                let filled = match (present, default) {
                    (Some(present), _) => present.clone(),
                    // An optional attribute left out or null takes its default...
                    (None, Some(Some(default))) => {
                        let written = scope.eval(file, default);
                        let span = written.span;
                        written.resolved_at(
                            format!("default of optional attribute {field_path}"),
                            span,
                            span,
                        )
                    }
                    // ...or is null without one.
                    (None, Some(None)) => {
                        Value::literal(Data::Null, map.get(name).map_or(value.span, |v| v.span))
                    }
                    // A required attribute left out: Terraform rejects the value.
                    (None, None) => continue,
                };
                let filled = match field_type {
                    Some(field_type) => conform(scope, file, filled, field_type, &field_path),
                    None => filled,
                };
                map.insert(name.to_string(), filled);
            }
            Value {
                data: Data::Object(map.into()),
                ..value
            }
        }
        ("list" | "set", [element]) => match &value.data {
            Data::List(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        conform(scope, file, item.clone(), element, &format!("{path}[{i}]"))
                    })
                    .collect::<Vec<_>>()
                    .into();
                Value {
                    data: Data::List(items),
                    ..value
                }
            }
            _ => value,
        },
        ("map", [element]) => match &value.data {
            Data::Object(map) => {
                let map: BTreeMap<String, Value> = map
                    .iter()
                    .map(|(k, item)| {
                        let item = conform(
                            scope,
                            file,
                            item.clone(),
                            element,
                            &format!("{path}[{k:?}]"),
                        );
                        (k.clone(), item)
                    })
                    .collect();
                Value {
                    data: Data::Object(map.into()),
                    ..value
                }
            }
            _ => value,
        },
        ("tuple", [Expression::Array(elements)]) => match &value.data {
            Data::List(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match elements.get(i) {
                        Some(element) => {
                            conform(scope, file, item.clone(), element, &format!("{path}[{i}]"))
                        }
                        None => item.clone(),
                    })
                    .collect::<Vec<_>>()
                    .into();
                Value {
                    data: Data::List(items),
                    ..value
                }
            }
            _ => value,
        },
        _ => value,
    }
}
