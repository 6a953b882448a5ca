//! Where the comments of a source file are, by its language: only a real comment can
//! suppress a finding. The text `rampart:ignore` inside a string value (a Terraform string,
//! a YAML scalar, anything in JSON, which has no comments) is data, never a suppression.

use std::ops::Range;

/// The comment syntax of a file, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Terraform and tfvars: `#`, `//`, `/* */`; strings with `${}`/`%{}`; heredocs.
    Hcl,
    /// YAML: `#` after whitespace, outside quotes and block scalars.
    Yaml,
    /// TypeScript, JavaScript, Go, Java, C#: `//` and `/* */`.
    CLike,
    /// Python: `#` outside strings.
    Python,
    /// JSON and anything else: no comments.
    None,
}

impl Syntax {
    pub fn of(path: &std::path::Path) -> Syntax {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let extension = name.rsplit('.').next().unwrap_or("");
        match extension {
            "tf" | "tfvars" | "hcl" => Syntax::Hcl,
            "yaml" | "yml" | "template" => Syntax::Yaml,
            "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" | "go" | "java" | "cs" | "kt" => {
                Syntax::CLike
            }
            "py" => Syntax::Python,
            _ => Syntax::None,
        }
    }
}

/// Byte ranges of every comment in `text` (the comment markers included).
pub fn comments(text: &str, syntax: Syntax) -> Vec<Range<usize>> {
    match syntax {
        Syntax::Hcl => hcl(text.as_bytes()),
        Syntax::Yaml => yaml(text),
        Syntax::CLike => c_like(text.as_bytes(), false),
        Syntax::Python => c_like(text.as_bytes(), true),
        Syntax::None => Vec::new(),
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn block_end(bytes: &[u8], from: usize) -> usize {
    bytes[from + 2..]
        .windows(2)
        .position(|w| w == b"*/")
        .map_or(bytes.len(), |p| from + 2 + p + 2)
}

/// HCL, with a stack of contexts: expressions (where comments live) and quoted templates,
/// which may hold interpolations that are expressions again.
fn hcl(bytes: &[u8]) -> Vec<Range<usize>> {
    enum Context {
        /// An expression; `braces` counts `{` opened in it (an interpolation ends at the
        /// `}` that closes none of them).
        Expression {
            braces: usize,
            interpolation: bool,
        },
        Template,
    }
    let mut found = Vec::new();
    let mut stack = vec![Context::Expression {
        braces: 0,
        interpolation: false,
    }];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match stack.last_mut() {
            Some(Context::Template) => match (b, next) {
                (b'\\', _) => i += 2,
                (b'$' | b'%', Some(b'$' | b'%')) if bytes.get(i + 2) == Some(&b'{') => i += 3,
                (b'$' | b'%', Some(b'{')) => {
                    stack.push(Context::Expression {
                        braces: 0,
                        interpolation: true,
                    });
                    i += 2;
                }
                (b'"', _) => {
                    stack.pop();
                    i += 1;
                }
                // A quoted string never spans lines: recover at the line's end.
                (b'\n', _) => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            },
            Some(Context::Expression {
                braces,
                interpolation,
            }) => match (b, next) {
                (b'#', _) | (b'/', Some(b'/')) => {
                    let end = line_end(bytes, i);
                    found.push(i..end);
                    i = end;
                }
                (b'/', Some(b'*')) => {
                    let end = block_end(bytes, i);
                    found.push(i..end);
                    i = end;
                }
                (b'"', _) => {
                    stack.push(Context::Template);
                    i += 1;
                }
                (b'{', _) => {
                    *braces += 1;
                    i += 1;
                }
                (b'}', _) => {
                    if *braces == 0 && *interpolation {
                        stack.pop();
                    } else {
                        *braces = braces.saturating_sub(1);
                    }
                    i += 1;
                }
                (b'<', Some(b'<')) => i = skip_heredoc(bytes, i),
                _ => i += 1,
            },
            None => break,
        }
    }
    found
}

/// `<<EOT` / `<<-EOT` up to the line that closes it; anything else is just `<<`.
fn skip_heredoc(bytes: &[u8], at: usize) -> usize {
    let mut start = at + 2;
    if bytes.get(start) == Some(&b'-') {
        start += 1;
    }
    let name_end = bytes[start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))
        .map_or(bytes.len(), |p| start + p);
    let name = &bytes[start..name_end];
    if name.is_empty() || bytes.get(name_end) != Some(&b'\n') {
        return at + 2;
    }
    let mut line = name_end + 1;
    while line < bytes.len() {
        let end = line_end(bytes, line);
        if bytes[line..end].trim_ascii() == name {
            return end;
        }
        line = end + 1;
    }
    bytes.len()
}

/// YAML, line by line: `#` at the start of a line or after whitespace, outside quoted
/// scalars (which may span lines) and outside block scalars (`|`, `>`).
fn yaml(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut quote: Option<u8> = None;
    // Indentation of the line that opened a block scalar: deeper lines are its content.
    let mut block_parent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_parent {
            if blank || indent > parent {
                continue;
            }
            block_parent = None;
        }
        let mut i = 0;
        let mut last_token_end = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) => {
                    if q == b'"' && b == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b == q {
                        if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        quote = None;
                    }
                }
                None => {
                    let previous = bytes[..i]
                        .iter()
                        .rev()
                        .find(|c| **c != b' ' && **c != b'\t');
                    let at_token_start = matches!(
                        previous,
                        None | Some(b':' | b'-' | b'[' | b'{' | b',' | b'?')
                    );
                    if (b == b'"' || b == b'\'') && at_token_start {
                        quote = Some(b);
                    } else if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
                        let end = line.trim_end_matches(['\n', '\r']).len();
                        found.push(start + i..start + end);
                        break;
                    } else if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                        last_token_end = i + 1;
                    }
                }
            }
            i += 1;
        }
        if quote.is_none() && opens_block_scalar(&line[..last_token_end]) {
            block_parent = Some(indent);
        }
    }
    found
}

/// Whether a line's content (comment removed) ends with a block scalar header: `key: |`,
/// `- >-`, `key: |2+`, or a bare `|` value.
fn opens_block_scalar(content: &str) -> bool {
    let content = content.trim_end();
    let header = content
        .rsplit([' ', '\t'])
        .next()
        .unwrap_or(content)
        .trim_start_matches(['-', ':'].as_slice());
    let mut chars = header.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
        && (content.len() == header.len()
            || content[..content.len() - header.len()]
                .trim_end()
                .ends_with([':', '-', '?']))
}

/// `//` and `/* */` (or `#` for Python) outside `"`, `'` and `` ` `` strings.
fn c_like(bytes: &[u8], hash_comments: bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1).copied()) {
            (b'#', _) if hash_comments => {
                let end = line_end(bytes, i);
                found.push(i..end);
                i = end;
            }
            (b'/', Some(b'/')) if !hash_comments => {
                let end = line_end(bytes, i);
                found.push(i..end);
                i = end;
            }
            (b'/', Some(b'*')) if !hash_comments => {
                let end = block_end(bytes, i);
                found.push(i..end);
                i = end;
            }
            (q @ (b'"' | b'\'' | b'`'), _) => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, syntax: Syntax) -> Vec<&str> {
        comments(text, syntax)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn hcl_comments_outside_strings_interpolations_and_heredocs() {
        let text = r##"a = "# not ${x} // not" # one
b = "${ {k = "#"}["k"] }" // two
/* three
 */ c = <<-EOT
  # not: heredoc
  EOT
d = "$${x} # not"
e = "${"}"}" # four
"##;
        assert_eq!(
            texts(text, Syntax::Hcl),
            ["# one", "// two", "/* three\n */", "# four"]
        );
    }

    #[test]
    fn yaml_comments_outside_quotes_and_block_scalars() {
        let text = "a: \"# not\" # one\nb: 'it''s # not' # two\nc: x#not\nd: |\n  # not: content\n  more\n# three\ne: >-\n    # not\nf: \"multi\n  # not\n  line\" # four\n- |\n  # not\n";
        assert_eq!(
            texts(text, Syntax::Yaml),
            ["# one", "# two", "# three", "# four"]
        );
    }

    #[test]
    fn json_has_no_comments_and_programs_have_theirs() {
        assert!(texts("{\"a\": \"# rampart:ignore\"}", Syntax::None).is_empty());
        assert_eq!(
            texts(
                "const a = \"// not\"; // one\n/* two */ b = `#`",
                Syntax::CLike
            ),
            ["// one", "/* two */"]
        );
        assert_eq!(texts("a = '# not' # one\n", Syntax::Python), ["# one"]);
    }
}
