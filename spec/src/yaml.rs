//! The one module that reads YAML: spec text -> a tree of positioned nodes.
//!
//! One parse (yaml-rust2's event stream) builds the whole tree, and every node
//! keeps its position, so that any later diagnostic is located by walking the tree
//! ([`Tree::locate`]), never by reading the text again. The limits below are checked
//! while the events stream in, so a hostile spec is stopped before it costs much:
//! its size, how deep it nests, and how much text its aliases repeat.

use std::fmt;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::ScanError;

/// Largest spec file read at all (bytes).
pub const MAX_SPEC_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of mappings and sequences.
pub const MAX_DEPTH: usize = 32;
/// Most that aliases (`*name`) may repeat in all: bytes of text, plus one per node.
pub const MAX_ALIAS_EXPANSION: u64 = 1024 * 1024;

/// 1-based line and column (in characters) in the spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A message about the spec, at a position when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Option<Pos>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            pos: Some(pos),
            message: message.into(),
        }
    }
}

/// A node's index in its [`Tree`].
pub type Id = usize;

#[derive(Debug)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
    /// Bytes of text in this subtree plus one per node: what an alias to it repeats.
    weight: u64,
}

#[derive(Debug)]
pub enum Kind {
    Scalar(Scalar),
    Seq(Vec<Id>),
    /// Key and value, in file order.
    Map(Vec<(Id, Id)>),
    /// `*name`: the anchored node, shared rather than copied.
    Alias(Id),
}

#[derive(Debug)]
pub struct Scalar {
    pub text: String,
    /// Plain (unquoted, untagged) scalars may be null, booleans or numbers;
    /// quoted ones, block ones and `!!str` ones are always strings.
    pub plain: bool,
}

/// A parsed spec: its nodes, the root first among them reachable by [`Tree::root`].
#[derive(Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    root: Id,
}

/// One step of a path from the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl Tree {
    pub fn root(&self) -> Id {
        self.root
    }

    pub fn node(&self, id: Id) -> &Node {
        &self.nodes[id]
    }

    /// The node itself, or the node an alias stands for.
    pub fn resolve(&self, id: Id) -> &Node {
        match self.nodes[id].kind {
            Kind::Alias(target) => &self.nodes[target],
            _ => &self.nodes[id],
        }
    }

    /// The position of the node at `path`, or of its nearest ancestor that exists.
    pub fn locate(&self, path: &[Seg]) -> Option<Pos> {
        let mut at = self.root;
        for seg in path {
            let next = match (&self.resolve(at).kind, seg) {
                (Kind::Map(entries), Seg::Key(want)) => entries.iter().find_map(|&(k, v)| {
                    matches!(&self.resolve(k).kind, Kind::Scalar(s) if s.text == *want).then_some(v)
                }),
                (Kind::Seq(items), Seg::Index(i)) => items.get(*i).copied(),
                _ => None,
            };
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        Some(self.nodes[at].pos)
    }
}

fn pos(m: &Marker) -> Pos {
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

fn scan_error(e: &ScanError) -> Diagnostic {
    Diagnostic::at(pos(e.marker()), format!("invalid YAML: {}", e.info()))
}

/// `!!str`, however its handle is spelled out.
fn is_str_tag(t: &Tag) -> bool {
    t.suffix == "str" && (t.handle == "!!" || t.handle == "tag:yaml.org,2002:")
}

fn tag_error(at: Pos, t: &Tag) -> Diagnostic {
    Diagnostic::at(
        at,
        format!(
            "YAML tags are not used in specs; remove `{}{}`",
            t.handle, t.suffix
        ),
    )
}

/// A collection being read: its node and the children read so far.
struct Open {
    id: Id,
    anchor: usize,
    children: Vec<Id>,
}

/// How much one parse accepts, and what the messages call the text.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest text read at all (bytes).
    pub bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub depth: usize,
    /// What the text is, in messages (`spec`).
    pub what: &'static str,
    /// What to do about too big a text, in messages.
    pub too_big: &'static str,
}

/// The limits of a spec.
pub const SPEC_LIMITS: Limits = Limits {
    bytes: MAX_SPEC_BYTES,
    depth: MAX_DEPTH,
    what: "spec",
    too_big: "split it into several spec files",
};

/// Where `source` has its first character outside YAML 1.2's printable set (tab,
/// line feed, carriage return, U+0020-U+007E, U+0085, U+00A0-U+D7FF, U+E000-U+FFFD
/// and above U+FFFF), if anywhere.
pub fn not_printable(source: &str) -> Option<Pos> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}')
            || matches!(c, '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    };
    let (mut line, mut column) = (1, 1);
    for c in source.chars() {
        if !printable(c) {
            return Some(Pos { line, column });
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    None
}

/// Parses spec text into a tree, or says what is wrong and where.
pub fn parse(source: &str) -> Result<Tree, Diagnostic> {
    parse_with(source, &SPEC_LIMITS)
}

/// Parses any YAML 1.2 text (JSON included) into a tree within `limits`.
pub fn parse_with(source: &str, limits: &Limits) -> Result<Tree, Diagnostic> {
    let what = limits.what;
    if source.len() > limits.bytes {
        return Err(Diagnostic {
            pos: None,
            message: format!(
                "the {what} is {} bytes; a {what} is limited to {} MiB: {}",
                source.len(),
                limits.bytes / (1024 * 1024),
                limits.too_big,
            ),
        });
    }
    if let Some(at) = not_printable(source) {
        // A file with such a character is no YAML (nor any text a spec would be):
        // say where, and echo nothing of it.
        return Err(Diagnostic::at(
            at,
            format!("this file has a character that YAML does not allow (a control character such as NUL), so it is not a {what}; nothing of it is shown"),
        ));
    }
    let mut nodes: Vec<Node> = Vec::new();
    // Anchor ids are small, increasing integers (0: no anchor).
    let mut anchors: Vec<Option<Id>> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Id> = None;
    let mut documents = 0usize;
    let mut expanded: u64 = 0;

    let mut parser = Parser::new_from_str(source);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| scan_error(&e))?;
        let at = pos(&mark);
        let is_seq = matches!(event, Event::SequenceStart(..));
        let (id, anchor) = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::at(
                        at,
                        format!(
                            "a {what} is one YAML document; remove the second one (after `---`)"
                        ),
                    ));
                }
                continue;
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::Scalar(text, style, anchor, tag) => {
                let forced_str = match &tag {
                    None => false,
                    Some(t) if is_str_tag(t) => true,
                    Some(t) => return Err(tag_error(at, t)),
                };
                let plain = style == TScalarStyle::Plain && !forced_str;
                let weight = text.len() as u64 + 1;
                nodes.push(Node {
                    pos: at,
                    kind: Kind::Scalar(Scalar { text, plain }),
                    weight,
                });
                (nodes.len() - 1, anchor)
            }
            Event::Alias(anchor) => {
                let target = anchors.get(anchor).copied().flatten().ok_or_else(|| {
                    Diagnostic::at(at, "this alias names no anchor defined before it")
                })?;
                let weight = nodes[target].weight;
                expanded = expanded.saturating_add(weight);
                if expanded > MAX_ALIAS_EXPANSION {
                    return Err(Diagnostic::at(
                        at,
                        format!(
                            "aliases in this {what} repeat more than {} KiB of text in all; write the text out, or alias less",
                            MAX_ALIAS_EXPANSION / 1024
                        ),
                    ));
                }
                nodes.push(Node {
                    pos: at,
                    kind: Kind::Alias(target),
                    weight,
                });
                (nodes.len() - 1, 0)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if let Some(t) = &tag {
                    return Err(tag_error(at, t));
                }
                if stack.len() >= limits.depth {
                    return Err(Diagnostic::at(
                        at,
                        format!(
                            "the {what} nests deeper than {} levels{}",
                            limits.depth,
                            if what == "spec" {
                                "; a spec needs far fewer"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
                let kind = if is_seq {
                    Kind::Seq(Vec::new())
                } else {
                    Kind::Map(Vec::new())
                };
                nodes.push(Node {
                    pos: at,
                    kind,
                    weight: 1,
                });
                stack.push(Open {
                    id: nodes.len() - 1,
                    anchor,
                    children: Vec::new(),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = stack.pop() else {
                    continue; // the parser pairs them; nothing to close
                };
                let weight = open
                    .children
                    .iter()
                    .fold(1u64, |w, &c| w.saturating_add(nodes[c].weight));
                // A block mapping is marked at its first key's colon: point at the
                // key instead (a flow mapping's `{` comes first and stays).
                let first_child = open.children.first().map(|&c| nodes[c].pos);
                let node = &mut nodes[open.id];
                node.weight = weight;
                if let Some(first) = first_child {
                    node.pos = node.pos.min(first);
                }
                match &mut node.kind {
                    Kind::Seq(items) => *items = open.children,
                    Kind::Map(entries) => {
                        let mut it = open.children.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            entries.push((k, v));
                        }
                    }
                    _ => {}
                }
                (open.id, open.anchor)
            }
        };
        if anchor > 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            anchors[anchor] = Some(id);
        }
        match stack.last_mut() {
            Some(parent) => parent.children.push(id),
            None => root = Some(id),
        }
    }
    let root = root.ok_or_else(|| Diagnostic {
        pos: None,
        message: if what == "spec" {
            "the spec is empty; start it with `vendor: ...` and `apis: ...`".into()
        } else {
            format!("the {what} is empty")
        },
    })?;
    Ok(Tree { nodes, root })
}

/// A scalar as YAML 1.2's core schema reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plain<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

/// The core schema's reading of a scalar: quoted, block and `!!str` scalars are
/// text; plain ones may be null, a boolean or a number.
pub fn resolve(s: &Scalar) -> Plain<'_> {
    let t = s.text.as_str();
    if !s.plain {
        return Plain::Str(t);
    }
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let unsigned = t.strip_prefix('+').unwrap_or(t);
    if digits(unsigned) {
        if let Ok(n) = unsigned.parse::<u64>() {
            return match i64::try_from(n) {
                Ok(i) => Plain::Int(i),
                Err(_) => Plain::Uint(n),
            };
        }
    }
    if let Some(neg) = t.strip_prefix('-') {
        if digits(neg) {
            if let Ok(i) = t.parse::<i64>() {
                return Plain::Int(i);
            }
        }
    }
    if let Some(h) = t.strip_prefix("0x") {
        if let Ok(n) = u64::from_str_radix(h, 16) {
            return i64::try_from(n).map_or(Plain::Uint(n), Plain::Int);
        }
    }
    if let Some(o) = t.strip_prefix("0o") {
        if let Ok(n) = u64::from_str_radix(o, 8) {
            return i64::try_from(n).map_or(Plain::Uint(n), Plain::Int);
        }
    }
    let float_shaped = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if float_shaped {
        if let Ok(f) = t.parse::<f64>() {
            return Plain::Float(f);
        }
    }
    Plain::Str(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> Diagnostic {
        parse(src).expect_err("should fail")
    }

    #[test]
    fn every_node_has_its_position() {
        let t = parse("a:\n  b: [1, two]\n  c: &x {d: e}\n  f: *x\n").unwrap();
        let key = |k: &str| Seg::Key(k.into());
        let at = |path: &[Seg]| t.locate(path).unwrap().to_string();
        assert_eq!(at(&[key("a"), key("b"), Seg::Index(1)]), "2:10");
        assert_eq!(at(&[key("a"), key("c"), key("d")]), "3:13");
        // Through an alias, to the anchored node.
        assert_eq!(at(&[key("a"), key("f"), key("d")]), "3:13");
        // A missing node: its nearest ancestor.
        assert_eq!(at(&[key("a"), key("zz")]), "2:3");
    }

    #[test]
    fn deep_flow_nesting_stops_at_the_limit() {
        // 100,000 levels: the parser stops at its own recursion limit (or ours)
        // after reading a few hundred bytes; see BENCHMARKS.md for the time.
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let e = err(&deep);
        assert!(
            e.message.contains("deeper than 32 levels") || e.message.contains("recursion"),
            "{e:?}"
        );
        assert!(
            e.pos.is_some_and(|p| p.line == 1 && p.column < 300),
            "{e:?}"
        );
    }

    #[test]
    fn block_nesting_is_bounded_with_a_position() {
        let mut s = String::new();
        for i in 0..40 {
            s.push_str(&" ".repeat(i * 2));
            s.push_str("k:\n");
        }
        let e = err(&s);
        assert_eq!(e.pos.map(|p| p.line), Some(33), "{e:?}");
        assert!(e.message.contains("deeper than 32 levels"), "{e:?}");
    }

    #[test]
    fn aliases_may_not_repeat_more_than_the_limit() {
        let big = "x".repeat(1_000_000);
        let mut s = format!("m: &m \"{big}\"\nl:\n");
        for _ in 0..1000 {
            s.push_str("  - *m\n");
        }
        let e = err(&s);
        assert_eq!(
            e.pos.map(|p| p.line),
            Some(4),
            "the second alias passes 1 MiB"
        );
        assert!(e.message.contains("more than 1024 KiB"), "{e:?}");
        // Billion laughs of empty collections: nodes count too.
        let mut s = String::from("a: &a []\n");
        let mut prev = "a".to_string();
        for level in 0..20 {
            let name = format!("l{level}");
            s.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        assert!(err(&s).message.contains("aliases"));
    }

    #[test]
    fn size_documents_tags_and_syntax() {
        let huge = "#".repeat(MAX_SPEC_BYTES + 1);
        let e = err(&huge);
        assert!(
            e.message.contains("limited to 8 MiB") && e.pos.is_none(),
            "{e:?}"
        );
        let e = err("a: 1\n---\nb: 2\n");
        assert_eq!(e.pos.map(|p| p.line), Some(2));
        assert!(err("a: !custom 1\n").message.contains("remove `!custom`"));
        let t = parse("a: !!str 12\n").unwrap();
        let v = match &t.node(t.root()).kind {
            Kind::Map(m) => m[0].1,
            _ => unreachable!(),
        };
        assert!(matches!(&t.node(v).kind, Kind::Scalar(s) if !s.plain && s.text == "12"));
        let e = err("a: \"open\n");
        assert!(e.message.starts_with("invalid YAML: "), "{e:?}");
        assert!(err("").message.contains("the spec is empty"));
        assert!(err("a: *nowhere\n").message.contains("unknown anchor"));
    }
}
