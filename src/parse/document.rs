//! A small document tree with byte spans, shared by the front ends that read YAML or JSON, built from YAML (saphyr-parser events, which keep
//! CloudFormation's short-form tags) or JSON (jsonc-parser in strict mode). Both parsers are
//! driven without recursion limits of their own, so depth and alias expansion are bounded
//! here: hostile input gets an error, never a stack overflow or a memory blow-up.

use std::collections::{BTreeMap, HashMap};

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Deeper nesting than this is rejected (real templates stay under 20).
pub const MAX_DEPTH: usize = 256;
/// Nodes that aliases may add in total (a "billion laughs" document stops here).
pub const MAX_ALIAS_NODES: usize = 100_000;
/// Bytes of scalars that aliases may copy in total (one 1 MB string aliased thousands of
/// times is a handful of nodes but gigabytes).
pub const MAX_ALIAS_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the file.
    pub start: usize,
    pub end: usize,
    /// A YAML local tag without its `!` (`Ref`, `GetAtt`, ...).
    pub tag: Option<String>,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` in a map, with the key node.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }
}

/// A syntax or structure error at a byte offset.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeError {
    pub offset: usize,
    pub message: String,
}

/// Character index -> byte offset (saphyr reports characters).
struct Offsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let table = (!text.is_ascii()).then(|| {
            let mut table: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            table.push(text.len() as u32);
            table
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table
                .get(char_index)
                .map(|&b| b as usize)
                .unwrap_or(self.len),
        }
    }
}

pub fn parse_yaml(text: &str) -> Result<Option<Node>, NodeError> {
    let offsets = Offsets::new(text);
    let mut builder = YamlBuilder {
        parser: Parser::new_from_str(text),
        offsets,
        anchors: HashMap::new(),
        alias_nodes: 0,
        alias_bytes: 0,
    };
    builder.document()
}

struct YamlBuilder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    offsets: Offsets,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    alias_bytes: usize,
}

impl<'a> YamlBuilder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, usize, usize), NodeError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => Ok((
                event,
                self.offsets.byte(span.start.index()),
                self.offsets.byte(span.end.index()),
            )),
            Some(Err(error)) => Err(NodeError {
                offset: self.offsets.byte(error.marker().index()),
                message: format!("invalid YAML: {}", error.info()),
            }),
            None => Err(NodeError {
                offset: self.offsets.len,
                message: "invalid YAML: unexpected end of input".into(),
            }),
        }
    }

    /// The first document of the stream (templates have one).
    fn document(&mut self) -> Result<Option<Node>, NodeError> {
        loop {
            let (event, start, end) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
                Event::StreamEnd | Event::DocumentEnd => return Ok(None),
                other => return self.node(other, start, end, 0).map(Some),
            }
        }
    }

    fn node(
        &mut self,
        event: Event<'a>,
        start: usize,
        end: usize,
        depth: usize,
    ) -> Result<Node, NodeError> {
        if depth > MAX_DEPTH {
            return Err(NodeError {
                offset: start,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        let (node, anchor) = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let tag = local_tag(tag.as_deref(), start)?;
                let kind = if style == ScalarStyle::Plain && tag.as_deref() != Some("!!str") {
                    plain_scalar(&value)
                } else {
                    NodeKind::String(value.into_owned())
                };
                let tag = tag.filter(|t| !t.starts_with("!!"));
                (
                    Node {
                        kind,
                        start,
                        end,
                        tag,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = local_tag(tag.as_deref(), start)?.filter(|t| !t.starts_with("!!"));
                let mut items = Vec::new();
                let end = loop {
                    let (event, s, e) = self.next()?;
                    if let Event::SequenceEnd = event {
                        break e;
                    }
                    items.push(self.node(event, s, e, depth + 1)?);
                };
                (
                    Node {
                        kind: NodeKind::Seq(items),
                        start,
                        end: end.max(start),
                        tag,
                    },
                    anchor,
                )
            }
            Event::MappingStart(anchor, tag) => {
                let tag = local_tag(tag.as_deref(), start)?.filter(|t| !t.starts_with("!!"));
                let mut entries = Vec::new();
                let end = loop {
                    let (event, s, e) = self.next()?;
                    if let Event::MappingEnd = event {
                        break e;
                    }
                    let key = self.node(event, s, e, depth + 1)?;
                    let (event, s, e) = self.next()?;
                    let value = self.node(event, s, e, depth + 1)?;
                    entries.push((key, value));
                };
                (
                    Node {
                        kind: NodeKind::Map(entries),
                        start,
                        end: end.max(start),
                        tag,
                    },
                    anchor,
                )
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(NodeError {
                        offset: start,
                        message: "alias to an unknown anchor".into(),
                    });
                };
                // The copy sits `depth` levels down: chained anchors must not smuggle
                // nesting past the bound (every later walk of the tree recurses).
                if depth + height(target) > MAX_DEPTH {
                    return Err(NodeError {
                        offset: start,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                let (nodes, bytes) = size(target);
                self.alias_nodes += nodes;
                self.alias_bytes += bytes;
                if self.alias_bytes > MAX_ALIAS_BYTES {
                    return Err(NodeError {
                        offset: start,
                        message: format!(
                            "aliases copy more than {MAX_ALIAS_BYTES} bytes of text; refusing to expand"
                        ),
                    });
                }
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(NodeError {
                        offset: start,
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes; refusing to expand"
                        ),
                    });
                }
                let mut copy = target.clone();
                copy.start = start;
                copy.end = end;
                (copy, 0)
            }
            other => {
                return Err(NodeError {
                    offset: start,
                    message: format!("unexpected YAML event {other:?}"),
                });
            }
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// Levels below and including `node` (bounded: every node built obeys [`MAX_DEPTH`]).
fn height(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(height).max().unwrap_or(0),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| height(k).max(height(v)))
            .max()
            .unwrap_or(0),
        _ => 0,
    }
}

/// Nodes and scalar bytes in `node`.
fn size(node: &Node) -> (usize, usize) {
    let own = match &node.kind {
        NodeKind::String(text) => text.len(),
        _ => 0,
    };
    let children = match &node.kind {
        NodeKind::Seq(items) => items.iter().map(size).fold((0, 0), add),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| add(size(k), size(v)))
            .fold((0, 0), add),
        _ => (0, 0),
    };
    add((1, own), children)
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

/// `!Ref` -> `Ref`; core `!!` tags are kept as is so callers can ignore them; any other
/// handle (`!<tag:...>`) is rejected.
fn local_tag(tag: Option<&saphyr_parser::Tag>, offset: usize) -> Result<Option<String>, NodeError> {
    let Some(tag) = tag else { return Ok(None) };
    match tag.handle.as_str() {
        "!" => Ok(Some(tag.suffix.clone())),
        "!!" | "tag:yaml.org,2002:" => Ok(Some(format!("!!{}", tag.suffix))),
        other => Err(NodeError {
            offset,
            message: format!("unsupported YAML tag handle `{other}{}`", tag.suffix),
        }),
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn plain_scalar(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        other => {
            let numeric = other
                .trim_start_matches(['-', '+'])
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '.');
            match other.parse::<f64>() {
                Ok(n) if numeric && n.is_finite() => NodeKind::Number(n),
                _ => NodeKind::String(other.to_string()),
            }
        }
    }
}

pub fn parse_json(text: &str) -> Result<Option<Node>, NodeError> {
    check_json_depth(text)?;
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_extended_string_escapes: false,
        allow_non_finite_numbers: false,
    };
    let result =
        jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| NodeError {
            offset: e.range().start,
            message: format!("invalid JSON: {}", e.kind()),
        })?;
    Ok(result.value.as_ref().map(json_node))
}

/// Rejects nesting deeper than [`MAX_DEPTH`] before the recursive parser sees it.
fn check_json_depth(text: &str) -> Result<(), NodeError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(NodeError {
                        offset,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn json_node(value: &jsonc_parser::ast::Value) -> Node {
    use jsonc_parser::ast::{ObjectPropName, Value};
    let (kind, range) = match value {
        Value::StringLit(s) => (NodeKind::String(s.value.to_string()), s.range),
        Value::NumberLit(n) => (
            n.value
                .parse::<f64>()
                .map(NodeKind::Number)
                .unwrap_or_else(|_| NodeKind::String(n.value.to_string())),
            n.range,
        ),
        Value::BooleanLit(b) => (NodeKind::Bool(b.value), b.range),
        Value::NullKeyword(n) => (NodeKind::Null, n.range),
        Value::Array(a) => (
            NodeKind::Seq(a.elements.iter().map(json_node).collect()),
            a.range,
        ),
        Value::Object(o) => (
            NodeKind::Map(
                o.properties
                    .iter()
                    .map(|prop| {
                        let (name, range) = match &prop.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        let key = Node {
                            kind: NodeKind::String(name),
                            start: range.start,
                            end: range.end,
                            tag: None,
                        };
                        (key, json_node(&prop.value))
                    })
                    .collect(),
            ),
            o.range,
        ),
    };
    Node {
        kind,
        start: range.start,
        end: range.end,
        tag: None,
    }
}

/// The plain data of a node as an IR value (no intrinsics), every part spanned.
pub fn to_value(node: &Node, file: crate::ir::FileId) -> crate::ir::Value {
    use crate::ir::{Data, Span, Value};
    let span = Span::new(file, node.start..node.end);
    let data = match &node.kind {
        NodeKind::Null => Data::Null,
        NodeKind::Bool(b) => Data::Bool(*b),
        NodeKind::Number(n) => Data::Number(*n),
        NodeKind::String(s) => Data::String(s.clone()),
        NodeKind::Seq(items) => Data::List(
            items
                .iter()
                .map(|i| to_value(i, file))
                .collect::<Vec<_>>()
                .into(),
        ),
        NodeKind::Map(entries) => Data::Object(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), to_value(v, file))))
                .collect::<BTreeMap<_, _>>()
                .into(),
        ),
    };
    Value::literal(data, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a node spans.
    fn text<'t>(source: &'t str, node: &Node) -> &'t str {
        &source[node.start..node.end]
    }

    #[test]
    fn yaml_nodes_span_their_own_bytes_even_after_non_ascii_text() {
        let source = "# café ☕\nResources:\n  Db:\n    Engine: postgres\n    Port: 5432\n    Tags: [a, \"b\"]\n";
        let root = parse_yaml(source).unwrap().unwrap();
        let db = root.get("Resources").unwrap().get("Db").unwrap();
        assert_eq!(text(source, db.get("Engine").unwrap()), "postgres");
        assert_eq!(db.get("Port").unwrap().kind, NodeKind::Number(5432.0));
        let tags = db.get("Tags").unwrap().as_seq().unwrap();
        assert_eq!(text(source, &tags[1]), "\"b\"");
        let (key, _) = db.entry("Port").unwrap();
        assert_eq!(text(source, key), "Port");
    }

    #[test]
    fn yaml_short_form_tags_and_aliases() {
        let source = "a: !Ref Name\nb: &x {k: v}\nc: *x\nd: !If [Cond, 1, 2]\n";
        let root = parse_yaml(source).unwrap().unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(a.tag.as_deref(), Some("Ref"));
        assert_eq!(a.as_str(), Some("Name"));
        assert_eq!(root.get("c").unwrap().get("k").unwrap().as_str(), Some("v"));
        let d = root.get("d").unwrap();
        assert_eq!(d.tag.as_deref(), Some("If"));
        assert_eq!(d.as_seq().unwrap().len(), 3);
    }

    #[test]
    fn json_nodes_keep_spans_and_errors_their_offset() {
        let source =
            "{\n  \"Resources\": {\"Db\": {\"Port\": 5432, \"On\": true, \"Off\": null}}\n}";
        let root = parse_json(source).unwrap().unwrap();
        let db = root.get("Resources").unwrap().get("Db").unwrap();
        assert_eq!(text(source, db.get("Port").unwrap()), "5432");
        assert_eq!(db.get("On").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(db.get("Off").unwrap().kind, NodeKind::Null);
        let error = parse_json("{\n  \"a\": [1,\n}").unwrap_err();
        assert_eq!(error.offset, 13, "{}", error.message);
        assert!(
            parse_json("").unwrap().is_none(),
            "an empty file is no document"
        );
    }

    #[test]
    fn depth_and_alias_bombs_are_errors() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse_json(&deep).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            bomb.push_str(&format!(
                "l{level}: &l{level} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                p = if level == 1 { "a".to_string() } else { format!("l{}", level - 1) }
            ));
        }
        assert!(
            parse_yaml(&bomb).is_err(),
            "a billion laughs stops at the alias bound"
        );
    }

    #[test]
    fn plain_values_lower_to_spanned_ir_values() {
        let source = "{\"a\": [1, \"x\"], \"b\": {\"c\": false}}";
        let root = parse_json(source).unwrap().unwrap();
        let value = to_value(&root, 7);
        let crate::ir::Data::Object(fields) = &value.data else {
            panic!("an object");
        };
        let a = &fields["a"];
        assert_eq!(a.span.file, 7);
        assert_eq!(
            &source[a.span.start as usize..a.span.end as usize],
            "[1, \"x\"]"
        );
    }
}
