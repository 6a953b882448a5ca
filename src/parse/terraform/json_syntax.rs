//! Terraform's JSON configuration syntax (`*.tf.json`, as CDK for Terraform writes it, and
//! OpenTofu's `*.tofu.json`), read by transcribing it into native syntax that the `.tf`
//! front end parses and lowers unchanged. Every value is copied byte for byte (JSON strings
//! are HCL templates, JSON arrays and objects are HCL tuples and objects), and an
//! [`OffsetMap`] takes every span of the transcription back to the JSON text, so findings
//! land on the user's own line and column.
//!
//! Blocks rampart does not read (`terraform`, `provider`, `lifecycle`, `provisioner`, ...)
//! are left out. In a resource body an object or an array of objects is a nested block,
//! as the provider schema would decide for the blocks rampart reads, except for the map
//! arguments in [`MAP_ARGUMENTS`].

use std::ops::Range;

use crate::ir::{Data, FileId, Hop, Provenance, Resource, Span, Value};
use crate::parse::document::{self, Node, NodeKind};

/// Arguments whose value is a map, never a nested block.
const MAP_ARGUMENTS: &[&str] = &["tags", "tags_all", "variables", "triggers", "labels"];

/// Meta-arguments of resources that are not read, or blocks that change no attribute.
const SKIPPED_IN_RESOURCES: &[&str] = &[
    "//",
    "depends_on",
    "provider",
    "lifecycle",
    "connection",
    "provisioner",
    "precondition",
    "postcondition",
];

/// Where each piece of a transcription came from.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    /// Sorted by `shadow`; contiguous.
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug)]
struct Segment {
    shadow: usize,
    original: usize,
    len: usize,
    /// Copied byte for byte (offsets inside map one to one), or written by the
    /// transcription (every offset inside maps to `original`).
    copied: bool,
}

impl OffsetMap {
    /// The offset in the JSON text of offset `shadow` of the transcription.
    pub fn original(&self, shadow: usize) -> usize {
        let at = self.segments.partition_point(|s| s.shadow <= shadow);
        let Some(segment) = at.checked_sub(1).map(|i| self.segments[i]) else {
            return 0;
        };
        if segment.copied {
            segment.original + (shadow - segment.shadow).min(segment.len)
        } else {
            segment.original
        }
    }

    /// A range of the transcription as a range of the JSON text (never reversed).
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.original(range.start);
        let end = if range.end > range.start {
            // The last byte's place, plus one: an end at a segment boundary stays in the
            // piece it ends.
            self.original(range.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }
}

/// Takes spans of transcriptions back to their JSON files, after lowering: the lowering
/// code stays the one for `.tf`, and nothing downstream sees a transcription offset.
pub struct Remap<'m> {
    maps: std::collections::HashMap<FileId, &'m OffsetMap>,
}

impl<'m> Remap<'m> {
    /// `None` when no file has a map (no JSON-syntax file): nothing to walk.
    pub fn new(maps: impl Iterator<Item = (FileId, &'m OffsetMap)>) -> Option<Remap<'m>> {
        let maps: std::collections::HashMap<FileId, &OffsetMap> = maps.collect();
        (!maps.is_empty()).then_some(Remap { maps })
    }

    pub fn span(&self, span: &mut Span) {
        if let Some(map) = self.maps.get(&span.file) {
            *span = Span::new(
                span.file,
                map.original_range(span.start as usize..span.end as usize),
            );
        }
    }

    fn hops(&self, hops: &mut [Hop]) {
        for hop in hops {
            self.span(&mut hop.span);
        }
    }

    pub fn value(&self, value: &mut Value) {
        crate::parse::budget::deeper(|| {
            self.span(&mut value.span);
            if let Provenance::Resolved { chain } = &mut value.provenance {
                self.hops(chain);
            }
            match &mut value.data {
                Data::List(items) => std::sync::Arc::make_mut(items)
                    .iter_mut()
                    .for_each(|item| self.value(item)),
                Data::OneOf(items) => items.iter_mut().for_each(|item| self.value(item)),
                Data::Object(fields) => std::sync::Arc::make_mut(fields)
                    .values_mut()
                    .for_each(|item| self.value(item)),
                _ => {}
            }
        })
    }

    pub fn resource(&self, resource: &mut Resource) {
        self.span(&mut resource.span);
        resource
            .attrs
            .values_mut()
            .for_each(|value| self.value(value));
        self.hops(&mut resource.origin.call_chain);
        resource
            .origin
            .unset
            .values_mut()
            .for_each(|span| self.span(span));
        for ignore in &mut resource.origin.ignores {
            self.span(&mut ignore.span);
        }
    }
}

/// A JSON configuration file that is not Terraform's JSON syntax.
#[derive(Debug)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Native-syntax text for a `.tf.json` file, and the map back to it.
pub fn transcribe(text: &str) -> Result<(String, OffsetMap), SyntaxError> {
    let root = document::parse_json(text).map_err(|e| SyntaxError {
        offset: e.offset,
        message: e.message,
    })?;
    let mut writer = Writer {
        text,
        out: String::with_capacity(text.len() * 2),
        map: OffsetMap::default(),
    };
    let Some(root) = root else {
        return Ok((writer.out, writer.map));
    };
    let NodeKind::Map(blocks) = &root.kind else {
        return Err(SyntaxError {
            offset: root.start,
            message:
                "a Terraform JSON file is an object of block types (`resource`, `variable`, ...)"
                    .into(),
        });
    };
    for (key, value) in blocks {
        let Some(block_type) = key.as_str() else {
            continue;
        };
        match block_type {
            "resource" | "data" => {
                for (type_key, names) in entries(value) {
                    for (name_key, body) in entries(names) {
                        for body in bodies(body) {
                            writer.block(block_type, &[type_key, name_key], body, Body::Resource);
                        }
                    }
                }
            }
            "module" | "output" | "variable" => {
                let kind = match block_type {
                    "variable" => Body::Variable,
                    _ => Body::Attributes,
                };
                for (name_key, body) in entries(value) {
                    for body in bodies(body) {
                        writer.block(block_type, &[name_key], body, kind);
                    }
                }
            }
            "locals" => {
                for body in bodies(value) {
                    writer.block("locals", &[], body, Body::Attributes);
                }
            }
            _ => {}
        }
    }
    Ok((writer.out, writer.map))
}

/// Module sources a `.tf.json` file names, read before parsing to choose root modules and
/// load called directories (as `modules::module_sources` does for `.tf`).
pub fn module_sources(text: &str) -> Vec<String> {
    let Ok(Some(root)) = document::parse_json(text) else {
        return Vec::new();
    };
    let mut sources = Vec::new();
    for (key, value) in entries(&root) {
        if key.as_str() != Some("module") {
            continue;
        }
        for (_, call) in entries(value) {
            for body in bodies(call) {
                for (name, source) in entries(body) {
                    if name.as_str() == Some("source")
                        && let Some(source) = source.as_str()
                    {
                        sources.push(source.to_string());
                    }
                }
            }
        }
    }
    sources
}

/// What a block body holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Arguments and nested blocks (a resource, a data source, a nested block).
    Resource,
    /// A variable: `type` is an expression written as a string.
    Variable,
    /// Arguments only (module calls, outputs, locals).
    Attributes,
}

fn entries(node: &Node) -> impl Iterator<Item = (&Node, &Node)> {
    let pairs: &[(Node, Node)] = match &node.kind {
        NodeKind::Map(pairs) => pairs,
        _ => &[],
    };
    pairs
        .iter()
        .filter(|(key, _)| key.as_str().is_some_and(|k| k != "//"))
        .map(|(k, v)| (k, v))
}

/// A block's body, or each of an array of bodies.
fn bodies(node: &Node) -> Vec<&Node> {
    match &node.kind {
        NodeKind::Map(_) => vec![node],
        NodeKind::Seq(items) => items
            .iter()
            .filter(|item| matches!(item.kind, NodeKind::Map(_)))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

struct Writer<'t> {
    text: &'t str,
    out: String,
    map: OffsetMap,
}

impl Writer<'_> {
    /// Writes `piece`, made up here; its offsets map to `anchor`.
    fn synth(&mut self, piece: &str, anchor: usize) {
        self.push(piece.len(), anchor, false);
        self.out.push_str(piece);
    }

    /// Copies `range` of the JSON text.
    fn copy(&mut self, range: Range<usize>) {
        let piece = &self.text[range.clone()];
        self.push(piece.len(), range.start, true);
        self.out.push_str(piece);
    }

    fn push(&mut self, len: usize, original: usize, copied: bool) {
        if len > 0 {
            self.map.segments.push(Segment {
                shadow: self.out.len(),
                original,
                len,
                copied,
            });
        }
    }

    /// The text inside a JSON string's quotes, when it has no escapes (names do not).
    fn inner(&self, key: &Node) -> Option<Range<usize>> {
        let range = key.start + 1..key.end.checked_sub(1)?;
        let raw = self.text.get(range.clone())?;
        (!raw.contains('\\') && Some(raw) == key.as_str()).then_some(range)
    }

    /// `ident "label" ... { body }`; the made-up keyword maps to the last label, the
    /// resource's own name (or the body's brace), where findings about the block land.
    fn block(&mut self, ident: &str, labels: &[&Node], body: &Node, kind: Body) {
        let name = labels.last().map_or(body.start, |l| l.start);
        self.synth(ident, name);
        for label in labels {
            self.synth(" ", label.start);
            self.copy(label.start..label.end);
        }
        self.braced(body, kind);
    }

    /// ` {` body `}` with the braces copied from the JSON object's own.
    fn braced(&mut self, body: &Node, kind: Body) {
        self.synth(" ", body.start);
        self.copy(body.start..body.start + 1);
        self.synth("\n", body.start);
        self.body(body, kind);
        self.copy(body.end - 1..body.end);
        self.synth("\n", body.end - 1);
    }

    fn body(&mut self, body: &Node, kind: Body) {
        for (key, value) in entries(body) {
            let Some(name) = key.as_str() else { continue };
            let Some(name_range) = self.inner(key).filter(|_| is_identifier(name)) else {
                continue;
            };
            match kind {
                Body::Variable => match name {
                    // `"type": "list(string)"`: the string holds the type expression.
                    "type" => {
                        if let Some(inner) = self.inner(value) {
                            self.attribute(name_range, inner);
                        }
                    }
                    "validation" => {}
                    _ => self.attribute(name_range, value.start..value.end),
                },
                Body::Attributes => {
                    if name != "depends_on" && name != "precondition" {
                        self.attribute(name_range, value.start..value.end);
                    }
                }
                Body::Resource => {
                    if SKIPPED_IN_RESOURCES.contains(&name) {
                        continue;
                    }
                    if name == "dynamic" {
                        self.dynamic(value);
                        continue;
                    }
                    let nested = !MAP_ARGUMENTS.contains(&name)
                        && match &value.kind {
                            NodeKind::Map(_) => true,
                            NodeKind::Seq(items) => {
                                !items.is_empty()
                                    && items.iter().all(|i| matches!(i.kind, NodeKind::Map(_)))
                            }
                            _ => false,
                        };
                    if nested {
                        for element in bodies(value) {
                            self.copy(name_range.clone());
                            self.braced(element, Body::Resource);
                        }
                    } else {
                        self.attribute(name_range, value.start..value.end);
                    }
                }
            }
        }
    }

    /// `"dynamic": {"ingress": {"for_each": ..., "content": {...}}}`.
    fn dynamic(&mut self, value: &Node) {
        for (label, spec) in entries(value) {
            for spec in bodies(spec) {
                self.synth("dynamic ", label.start);
                self.copy(label.start..label.end);
                self.synth(" {\n", spec.start);
                for (key, part) in entries(spec) {
                    let Some(name_range) = self.inner(key) else {
                        continue;
                    };
                    match key.as_str() {
                        Some("content") => {
                            for content in bodies(part) {
                                self.copy(name_range.clone());
                                self.synth(" {\n", content.start);
                                self.body(content, Body::Resource);
                                self.synth("}\n", content.end - 1);
                            }
                        }
                        // `"iterator": "rule"` names a variable: an identifier, not a string.
                        Some("iterator") => {
                            if let Some(inner) = self.inner(part) {
                                self.attribute(name_range, inner);
                            }
                        }
                        Some(_) => self.attribute(name_range, part.start..part.end),
                        None => {}
                    }
                }
                self.synth("}\n", spec.end.saturating_sub(1));
            }
        }
    }

    fn attribute(&mut self, name: Range<usize>, value: Range<usize>) {
        self.copy(name);
        self.synth(" = ", value.start);
        self.copy(value.clone());
        self.synth("\n", value.end.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcribes_blocks_and_maps_every_copied_offset_back() {
        let text = r#"{"resource": {"aws_db_instance": {"db": {"storage_encrypted": false, "tags": {"a": "b"}}}},
 "variable": {"n": {"type": "list(string)", "default": []}}}"#;
        let (shadow, map) = transcribe(text).unwrap();
        assert_eq!(
            shadow,
            "resource \"aws_db_instance\" \"db\" {\nstorage_encrypted = false\ntags = {\"a\": \"b\"}\n}\nvariable \"n\" {\ntype = list(string)\ndefault = []\n}\n"
        );
        let at = shadow.find("false").unwrap();
        assert_eq!(
            map.original_range(at..at + 5),
            text.find("false").unwrap()..text.find("false").unwrap() + 5
        );
        let label = shadow.find("\"db\"").unwrap();
        assert_eq!(map.original(label), text.find("\"db\"").unwrap());
        // The made-up `resource` keyword maps to the resource's name.
        assert_eq!(map.original(0), text.find("\"db\"").unwrap());
    }

    #[test]
    fn nested_blocks_dynamic_blocks_and_arrays_of_bodies() {
        let text = r#"{"resource": {"aws_security_group": {"sg": [{"ingress": [{"from_port": 1}, {"from_port": 2}],
  "dynamic": {"egress": {"for_each": "${var.rules}", "iterator": "rule", "content": {"from_port": "${rule.value}"}}}}]}}}"#;
        let (shadow, _) = transcribe(text).unwrap();
        assert_eq!(
            shadow,
            "resource \"aws_security_group\" \"sg\" {\ningress {\nfrom_port = 1\n}\ningress {\nfrom_port = 2\n}\ndynamic \"egress\" {\nfor_each = \"${var.rules}\"\niterator = rule\ncontent {\nfrom_port = \"${rule.value}\"\n}\n}\n}\n"
        );
        assert!(hcl_edit::parser::parse_body(&shadow).is_ok());
    }

    #[test]
    fn a_file_that_is_not_an_object_of_blocks_is_an_error() {
        assert!(transcribe("[1, 2]").is_err());
        assert!(transcribe("{\"resource\": ").is_err());
    }
}
