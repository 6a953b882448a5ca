//! Terraform's built-in functions that database modules use, over known values. Any
//! argument that is not known makes the result unknown.

use std::collections::BTreeMap;

use crate::ir::{Data, Span, Value, format_number};

/// Calls `name` on evaluated arguments; `None` for a function rampart does not evaluate
/// or a call Terraform would reject.
pub fn call(name: &str, args: &[Value], span: Span) -> Option<Data> {
    // Every argument must be fully known, except where a function looks at only some, and
    // for functions that only rearrange lists: their elements may be links (references to
    // resources), which they keep, so `concat([aws_security_group.a.id], ...)` still links.
    let structural = matches!(
        name,
        "concat" | "flatten" | "tolist" | "toset" | "compact" | "element" | "one" | "join"
    );
    if structural {
        if args
            .iter()
            .any(|a| matches!(a.data, Data::Unknown(_) | Data::Secret(_) | Data::OneOf(_)))
        {
            return None;
        }
    } else if !matches!(name, "coalesce" | "lookup") && args.iter().any(|a| !is_known(a)) {
        return None;
    }
    Some(match (name, args) {
        ("lookup", [map, key]) | ("lookup", [map, key, _]) => {
            let key = string(key)?;
            match map.as_object() {
                Some(entries) => match entries.get(&key) {
                    Some(found) if is_known(found) => found.data.clone(),
                    Some(_) => return None,
                    None => match args.get(2) {
                        Some(default) if is_known(default) => default.data.clone(),
                        _ => return None,
                    },
                },
                None => return None,
            }
        }
        ("merge", maps) => {
            let mut merged = BTreeMap::new();
            for map in maps {
                if matches!(map.data, Data::Null) {
                    continue;
                }
                merged.extend(map.as_object()?.clone());
            }
            Data::Object(merged.into())
        }
        ("sort", [list]) => {
            let mut items: Vec<Value> = list.as_list()?.to_vec();
            if items.iter().any(|item| item.as_str().is_none()) {
                return None;
            }
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            Data::List(items.into())
        }
        ("concat", lists) => {
            let mut items = Vec::new();
            for list in lists {
                items.extend_from_slice(list.as_list()?);
            }
            Data::List(items.into())
        }
        ("coalesce", values) => {
            for value in values {
                match &value.data {
                    Data::Null => continue,
                    Data::String(s) if s.is_empty() => continue,
                    _ if !is_known(value) => return None,
                    data => return Some(data.clone()),
                }
            }
            return None;
        }
        ("format", [template, rest @ ..]) => Data::String(format(&string(template)?, rest)?),
        // `join("", x[*].id)` over one element is that element: a link stays a link.
        ("join", [_, list])
            if list.as_list().is_some_and(|items| {
                items.len() == 1 && matches!(items[0].data, Data::Link(_))
            }) =>
        {
            list.as_list()?[0].data.clone()
        }
        ("join", [separator, list]) => {
            let parts: Option<Vec<String>> = list.as_list()?.iter().map(string).collect();
            Data::String(parts?.join(&string(separator)?))
        }
        ("split", [separator, text]) => {
            let separator = string(separator)?;
            let text = string(text)?;
            // Each part is written in the split string: it keeps that place and provenance.
            let _ = span;
            Data::List(
                text.split(separator.as_str())
                    .map(|part| Value {
                        data: Data::String(part.to_string()),
                        ..args[1].clone()
                    })
                    .collect::<Vec<_>>()
                    .into(),
            )
        }
        ("element", [list, index]) => {
            let items = list.as_list()?;
            if items.is_empty() {
                return None;
            }
            let index = index.as_number()?;
            if index < 0.0 {
                return None;
            }
            items[index as usize % items.len()].data.clone()
        }
        ("length", [value]) => Data::Number(match &value.data {
            Data::List(items) => items.len() as f64,
            Data::Object(map) => map.len() as f64,
            Data::String(s) => s.chars().count() as f64,
            _ => return None,
        }),
        ("contains", [list, wanted]) => Data::Bool(
            list.as_list()?
                .iter()
                .any(|item| equal(&item.data, &wanted.data)),
        ),
        ("tostring", [value]) => Data::String(string(value)?),
        ("tonumber", [value]) => Data::Number(value.as_number()?),
        ("tobool", [value]) => match &value.data {
            Data::Bool(b) => Data::Bool(*b),
            Data::String(s) if s == "true" => Data::Bool(true),
            Data::String(s) if s == "false" => Data::Bool(false),
            _ => return None,
        },
        ("tolist", [value]) | ("toset", [value]) => {
            let mut items = value.as_list()?.to_vec();
            if name == "toset" {
                // Sets of strings iterate in lexical order; duplicates collapse.
                items.sort_by_key(Value::display);
                items.dedup_by(|a, b| equal(&a.data, &b.data));
            }
            Data::List(items.into())
        }
        ("tomap", [value]) => Data::Object((value.as_object()?.clone()).into()),
        ("flatten", [value]) => {
            let mut out = Vec::new();
            flatten_into(value, &mut out)?;
            Data::List(out.into())
        }
        ("keys", [map]) => Data::List(
            map.as_object()?
                .keys()
                .map(|k| Value::literal(Data::String(k.clone()), span))
                .collect::<Vec<_>>()
                .into(),
        ),
        ("values", [map]) => Data::List(
            map.as_object()?
                .values()
                .cloned()
                .collect::<Vec<_>>()
                .into(),
        ),
        ("max", numbers) | ("min", numbers) if !numbers.is_empty() => {
            let numbers: Option<Vec<f64>> = numbers.iter().map(Value::as_number).collect();
            let numbers = numbers?;
            let fold = if name == "max" { f64::max } else { f64::min };
            Data::Number(numbers.into_iter().reduce(fold)?)
        }
        ("lower", [text]) => Data::String(string(text)?.to_lowercase()),
        ("upper", [text]) => Data::String(string(text)?.to_uppercase()),
        ("trimspace", [text]) => Data::String(string(text)?.trim().to_string()),
        ("replace", [text, from, to]) => {
            let from = string(from)?;
            if from.starts_with('/') && from.ends_with('/') && from.len() > 1 {
                return None; // regular-expression form: not evaluated
            }
            Data::String(string(text)?.replace(&from, &string(to)?))
        }
        ("startswith", [text, prefix]) => Data::Bool(string(text)?.starts_with(&string(prefix)?)),
        ("endswith", [text, suffix]) => Data::Bool(string(text)?.ends_with(&string(suffix)?)),
        ("distinct", [list]) => {
            let mut out: Vec<Value> = Vec::new();
            for item in list.as_list()? {
                if !out.iter().any(|o| equal(&o.data, &item.data)) {
                    out.push(item.clone());
                }
            }
            Data::List(out.into())
        }
        ("compact", [list]) => Data::List(
            list.as_list()?
                .iter()
                .filter(|item| !matches!(&item.data, Data::Null) && item.as_str() != Some(""))
                .cloned()
                .collect::<Vec<_>>()
                .into(),
        ),
        ("one", [list]) => match list.as_list()? {
            [] => Data::Null,
            [only] => only.data.clone(),
            _ => return None,
        },
        ("abs", [n]) => Data::Number(n.as_number()?.abs()),
        ("ceil", [n]) => Data::Number(n.as_number()?.ceil()),
        ("floor", [n]) => Data::Number(n.as_number()?.floor()),
        ("jsonencode", [value]) => Data::String(serde_json::to_string(&to_json(value)?).ok()?),
        _ => return None,
    })
}

/// A value is known when it and everything inside it is.
pub fn is_known(value: &Value) -> bool {
    match &value.data {
        Data::Unknown(_) | Data::Secret(_) | Data::Link(_) | Data::OneOf(_) => false,
        Data::List(items) => items.iter().all(is_known),
        Data::Object(map) => map.values().all(is_known),
        _ => true,
    }
}

/// Terraform's conversion to string: numbers and bools convert, nothing else does.
pub fn string(value: &Value) -> Option<String> {
    match &value.data {
        Data::String(s) => Some(s.clone()),
        Data::Number(n) => Some(format_number(*n)),
        Data::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Terraform's `==`: same type and value (`"1" == 1` is false).
pub fn equal(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::List(x), Data::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(&p.data, &q.data))
        }
        (Data::Object(x), Data::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && equal(&v1.data, &v2.data))
        }
        _ => a == b,
    }
}

fn flatten_into(value: &Value, out: &mut Vec<Value>) -> Option<()> {
    for item in value.as_list()? {
        if item.as_list().is_some() {
            flatten_into(item, out)?;
        } else {
            out.push(item.clone());
        }
    }
    Some(())
}

/// `format` with the verbs modules use: `%s`, `%d`, `%v`, `%q`, `%%`.
fn format(template: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&string(args.next()?)?),
            'd' => out.push_str(&format_number(args.next()?.as_number()?.trunc())),
            'q' => out.push_str(&format!("{:?}", string(args.next()?)?)),
            _ => return None,
        }
    }
    Some(out)
}

fn to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match &value.data {
        Data::Null => serde_json::Value::Null,
        Data::Bool(b) => serde_json::Value::Bool(*b),
        Data::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => {
            serde_json::Value::Number((*n as i64).into())
        }
        Data::Number(n) => serde_json::Number::from_f64(*n).map(serde_json::Value::Number)?,
        Data::String(s) => serde_json::Value::String(s.clone()),
        Data::List(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?)
        }
        Data::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}
