//! What the attribute goes on: an empty, non-generic enum. Read token by token (the
//! macro needs so little of Rust's grammar that it does without `syn`): its outer
//! attributes and visibility, kept as written, and its name.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};

use crate::error::{Error, Result};

/// The user's enum, as written.
pub struct Item {
    /// Its outer attributes (`#[...]`, doc comments), each as written.
    pub attrs: Vec<TokenStream>,
    /// Its visibility (`pub`, `pub(crate)`, or nothing).
    pub vis: TokenStream,
    pub ident: Ident,
}

/// What the generated enum derives or implements; deriving one again would conflict.
const DERIVED: &[&str] = &["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash"];

const USAGE: &str = "write `#[api_errors(spec = \"vendor.yaml\")] pub enum VendorError {}`";

/// Reads the item; every problem with it at once (generic parameters, variants, a
/// derive of what the macro implements), or the error that it is not an enum.
pub fn check(item: TokenStream) -> Result<Item> {
    let mut tokens = item.into_iter().peekable();
    let not_an_enum = |span: Span, what: &str| {
        Error::new(
            span,
            format!("#[api_errors] goes on an empty enum{what}: {USAGE}"),
        )
    };
    let mut problems: Option<Error> = None;
    let mut add = |e: Error| match &mut problems {
        Some(p) => p.combine(e),
        None => problems = Some(e),
    };
    let mut attrs = Vec::new();
    while let Some(TokenTree::Punct(p)) = tokens.peek() {
        if p.as_char() != '#' {
            break;
        }
        let hash = tokens.next();
        let Some(TokenTree::Group(body)) = tokens
            .next()
            .filter(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket))
        else {
            return Err(not_an_enum(Span::call_site(), ""));
        };
        for (name, span) in derived(&body.stream()) {
            if DERIVED.contains(&name.as_str()) {
                add(Error::new(
                    span,
                    format!("#[api_errors] derives `{name}` already; remove it from this derive"),
                ));
            }
        }
        attrs.push(TokenStream::from_iter(
            hash.into_iter().chain([TokenTree::Group(body)]),
        ));
    }
    let mut vis = TokenStream::new();
    if let Some(TokenTree::Ident(i)) = tokens.peek() {
        if i == "pub" {
            vis.extend(tokens.next());
            if let Some(TokenTree::Group(g)) = tokens.peek() {
                if g.delimiter() == Delimiter::Parenthesis {
                    vis.extend(tokens.next());
                }
            }
        }
    }
    let keyword = tokens.next();
    match &keyword {
        Some(TokenTree::Ident(k)) if k == "enum" => {}
        Some(TokenTree::Ident(k)) if k == "struct" => {
            return Err(not_an_enum(k.span(), ", not a struct"))
        }
        Some(TokenTree::Ident(k)) if k == "union" => {
            return Err(not_an_enum(k.span(), ", not a union"))
        }
        Some(other) => return Err(not_an_enum(other.span(), "")),
        None => return Err(not_an_enum(Span::call_site(), "")),
    }
    let Some(TokenTree::Ident(ident)) = tokens.next() else {
        return Err(not_an_enum(Span::call_site(), ""));
    };
    // Generic parameters and `where` clauses: up to the body.
    let mut generics = None;
    let body = loop {
        match tokens.next() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => break g,
            Some(t) => {
                generics.get_or_insert(t.span());
            }
            None => return Err(not_an_enum(ident.span(), "")),
        }
    };
    if let Some(span) = generics {
        add(Error::new(
            span,
            "the generated enum cannot be generic: remove the generic parameters",
        ));
    }
    if let Some(first) = body.stream().into_iter().next() {
        add(Error::new(
            first.span(),
            "the variants come from the spec: leave the enum empty (`pub enum Name {}`)",
        ));
    }
    if let Some(extra) = tokens.next() {
        add(not_an_enum(extra.span(), ""));
    }
    match problems {
        Some(p) => Err(p),
        None => Ok(Item { attrs, vis, ident }),
    }
}

/// The traits an attribute's body derives: for `derive(a::B, C)`, `B` and `C` (the
/// last segment of each path), each with its span.
fn derived(attr: &TokenStream) -> Vec<(String, Span)> {
    let mut it = attr.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(args)), None) =
        (it.next(), it.next(), it.next())
    else {
        return Vec::new();
    };
    if name != "derive" || args.delimiter() != Delimiter::Parenthesis {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut last: Option<(String, Span)> = None;
    for t in args.stream() {
        match t {
            TokenTree::Ident(i) => last = Some((i.to_string(), i.span())),
            TokenTree::Punct(p) if p.as_char() == ',' => out.extend(last.take()),
            _ => {}
        }
    }
    out.extend(last);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn err(t: TokenStream) -> String {
        check(t).err().expect("should fail").to_string()
    }

    #[test]
    fn keeps_attributes_and_visibility() {
        let item = check(quote!(
            /// Docs.
            #[derive(PartialOrd)]
            pub(crate) enum E {}
        ))
        .unwrap();
        assert_eq!(item.ident.to_string(), "E");
        assert_eq!(item.attrs.len(), 2);
        assert_eq!(item.vis.to_string(), "pub (crate)");
        assert_eq!(
            check(quote!(
                enum F {}
            ))
            .unwrap()
            .vis
            .to_string(),
            ""
        );
    }

    #[test]
    fn rejects_what_is_not_an_empty_enum() {
        assert!(err(quote!(
            struct S;
        ))
        .contains("not a struct"));
        assert!(err(quote!(union U { a: u8 })).contains("not a union"));
        assert!(err(quote!(
            fn f() {}
        ))
        .contains("goes on an empty enum"));
        let e = err(quote!(
            enum E<T> {
                A(T),
            }
        ));
        assert!(
            e.contains("cannot be generic") && e.contains("leave the enum empty"),
            "{e}"
        );
        assert!(err(quote!(
            enum E
            where
                u8: Copy, {}
        ))
        .contains("cannot be generic"));
        let e = err(quote!(
            #[derive(Debug, Clone, PartialOrd, std::hash::Hash)]
            enum E {}
        ));
        assert!(
            e.contains("`Debug` already") && e.contains("`Hash` already"),
            "{e}"
        );
        assert!(!e.contains("`PartialOrd` already"), "{e}");
    }
}
