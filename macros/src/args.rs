//! The attribute's arguments: `spec = "..."`, `vendor = "..."`, `api = "..."`,
//! `crate = "..."`.

use proc_macro2::{Span, TokenStream, TokenTree};

use crate::error::{Error, Result};
use crate::lit::LitStr;

pub struct Args {
    /// The spec path (or, with `vendor = ...`, the bundled spec's name) as written,
    /// with its span for errors about the spec.
    pub spec: LitStr,
    /// `vendor = "..."`: only the bundled specs are looked in.
    pub bundled_only: bool,
    pub api: Option<LitStr>,
    /// Where the runtime crate is (default `::api_errors`), as a path's tokens.
    pub krate: TokenStream,
}

const EXPECTED: &str =
    "expected `spec = \"file.yaml\"`, `vendor = \"name\"`, `api = \"name\"` or `crate = \"path\"`";

const KEYS: [&str; 4] = ["spec", "vendor", "api", "crate"];

pub fn parse(tokens: TokenStream) -> Result<Args> {
    let mut found: [Option<LitStr>; 4] = Default::default();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(first) = tokens.next() {
        let TokenTree::Ident(key) = &first else {
            return Err(Error::new(first.span(), EXPECTED));
        };
        let name = key.to_string();
        let Some(slot) = KEYS.iter().position(|k| *k == name) else {
            let hint = crate::names::closest(&name, KEYS)
                .map_or_else(String::new, |k| format!("; did you mean `{k}`?"));
            return Err(Error::new(
                key.span(),
                format!("unknown argument `{name}`: {EXPECTED}{hint}"),
            ));
        };
        match tokens.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {}
            Some(other) => {
                return Err(Error::new(
                    other.span(),
                    format!("expected `=` after `{name}`"),
                ))
            }
            None => {
                return Err(Error::new(
                    key.span(),
                    format!("expected `{name} = \"...\"`"),
                ))
            }
        }
        let value = match tokens.next() {
            Some(TokenTree::Literal(lit)) => LitStr::parse(&lit)?,
            Some(other) => return Err(Error::new(other.span(), "expected string literal")),
            None => return Err(Error::new(key.span(), "expected string literal")),
        };
        if found[slot].is_some() {
            return Err(Error::new(
                key.span(),
                "this argument is given twice; keep one",
            ));
        }
        found[slot] = Some(value);
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(other) => {
                return Err(Error::new(
                    other.span(),
                    format!("expected `,` between arguments: {EXPECTED}"),
                ))
            }
        }
    }
    let [spec, vendor, api, krate] = found;
    if let Some(s) = spec.as_ref().filter(|s| s.value().trim().is_empty()) {
        return Err(Error::new(
            s.span(),
            "`spec` is empty; name the YAML file, e.g. `spec = \"amplitude.yaml\"`",
        ));
    }
    let (spec, bundled_only) = match (spec, vendor) {
        (Some(_), Some(v)) => {
            return Err(Error::new(
                v.span(),
                "give `spec = \"file.yaml\"` or `vendor = \"name\"`, not both",
            ))
        }
        (Some(s), None) => (s, false),
        (None, Some(v)) => (v, true),
        (None, None) => {
            return Err(Error::new(
                Span::call_site(),
                "missing the spec: write `#[api_errors(spec = \"vendor.yaml\")]`, or `vendor = \"name\"` for a bundled one",
            ))
        }
    };
    let krate = match krate {
        Some(lit) => path(&lit)?,
        None => quote::quote!(::api_errors),
    };
    Ok(Args {
        spec,
        bundled_only,
        api,
        krate,
    })
}

/// `crate = "..."`'s value as a path's tokens (`::my::api_errors`, `my_errors`), at
/// the literal's span.
fn path(lit: &LitStr) -> Result<TokenStream> {
    let bad = || {
        Error::new(
            lit.span(),
            format!(
                "`crate = \"{}\"` is not a path; write the runtime crate's path, e.g. `crate = \"::my_errors\"`",
                lit.value().escape_debug()
            ),
        )
    };
    let tokens: TokenStream = lit.value().parse().map_err(|_| bad())?;
    // Idents separated by `::`, with one leading `::` allowed.
    let mut want_ident = true;
    let mut colons = 0;
    let mut any = false;
    let mut out = TokenStream::new();
    for mut t in tokens {
        match &t {
            TokenTree::Ident(_) if want_ident && colons % 2 == 0 => {
                want_ident = false;
                colons = 0;
                any = true;
            }
            TokenTree::Punct(p) if p.as_char() == ':' && colons < 2 => {
                colons += 1;
                if colons == 2 {
                    want_ident = true;
                }
            }
            _ => return Err(bad()),
        }
        t.set_span(lit.span());
        out.extend([t]);
    }
    if !any || want_ident || colons != 0 {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn err(t: TokenStream) -> String {
        parse(t).err().expect("should fail").to_string()
    }

    #[test]
    fn parses_all_arguments() {
        let a = parse(quote!(spec = "a.yaml", api = "batch", crate = "my::errs")).unwrap();
        assert_eq!(a.spec.value(), "a.yaml");
        assert_eq!(a.api.unwrap().value(), "batch");
        assert_eq!(a.krate.to_string(), "my :: errs");
        let a = parse(quote!(vendor = "openai", crate = "::errs",)).unwrap();
        assert!(a.bundled_only);
        assert_eq!(a.krate.to_string(), ":: errs");
        assert_eq!(
            parse(quote!(spec = "a")).unwrap().krate.to_string(),
            ":: api_errors"
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        let e = err(quote!(spec = "a.yaml", apj = "x"));
        assert!(
            e.contains("unknown argument `apj`") && e.ends_with("did you mean `api`?"),
            "{e}"
        );
        assert!(err(quote!(api = "x")).contains("missing the spec"));
        assert!(err(quote!(spec = "a", vendor = "b")).contains("not both"));
        assert!(err(quote!(spec = "a", spec = "b")).contains("given twice"));
        assert!(err(quote!(spec = "")).contains("`spec` is empty"));
        assert!(err(quote!(spec = 3)).contains("expected string literal"));
        assert!(err(quote!(spec)).contains("expected `spec = \"...\"`"));
        assert!(err(quote!(spec "a")).contains("expected `=`"));
        assert!(err(quote!(spec = "a" api = "b")).contains("expected `,`"));
        assert!(err(quote!("a")).contains("expected `spec"));
        for bad in ["", "my errs", "a::", "::", "a:::b", "1x", "a-b"] {
            let e = err(quote!(spec = "a", crate = #bad));
            assert!(e.contains("is not a path"), "{bad}: {e}");
        }
    }
}
