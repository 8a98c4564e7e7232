//! The attribute's arguments: `spec = "..."`, `api = "..."`, `crate = "..."`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::{LitStr, Path};

pub struct Args {
    /// The spec path (or, with `vendor = ...`, the bundled spec's name) as written,
    /// with its span for errors about the spec.
    pub spec: LitStr,
    /// `vendor = "..."`: only the bundled specs are looked in.
    pub bundled_only: bool,
    pub api: Option<LitStr>,
    /// Where the runtime crate is (default `::api_errors`).
    pub krate: Path,
}

const EXPECTED: &str =
    "expected `spec = \"file.yaml\"`, `vendor = \"name\"`, `api = \"name\"` or `crate = \"path\"`";

pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
    let mut spec: Option<LitStr> = None;
    let mut vendor: Option<LitStr> = None;
    let mut api: Option<LitStr> = None;
    let mut krate: Option<Path> = None;
    let parser = syn::meta::parser(|meta| {
        let once = |have: bool| {
            if have {
                Err(meta.error("this argument is given twice; keep one"))
            } else {
                Ok(())
            }
        };
        if meta.path.is_ident("spec") {
            once(spec.is_some())?;
            let lit: LitStr = meta.value()?.parse()?;
            if lit.value().trim().is_empty() {
                return Err(syn::Error::new(
                    lit.span(),
                    "`spec` is empty; name the YAML file, e.g. `spec = \"amplitude.yaml\"`",
                ));
            }
            spec = Some(lit);
        } else if meta.path.is_ident("vendor") {
            once(vendor.is_some())?;
            vendor = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("api") {
            once(api.is_some())?;
            api = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("crate") {
            once(krate.is_some())?;
            let lit: LitStr = meta.value()?.parse()?;
            krate = Some(lit.parse()?);
        } else {
            let ident = meta.path.get_ident().map(|i| i.to_string());
            let name = ident
                .as_deref()
                .map_or_else(|| "this".into(), |i| format!("`{i}`"));
            let hint = ident
                .as_deref()
                .and_then(|i| crate::names::closest(i, ["spec", "vendor", "api", "crate"]))
                .map_or_else(String::new, |k| format!("; did you mean `{k}`?"));
            return Err(meta.error(format!("unknown argument {name}: {EXPECTED}{hint}")));
        }
        Ok(())
    });
    parser.parse2(tokens)?;
    let (spec, bundled_only) = match (spec, vendor) {
        (Some(_), Some(v)) => {
            return Err(syn::Error::new(
                v.span(),
                "give `spec = \"file.yaml\"` or `vendor = \"name\"`, not both",
            ))
        }
        (Some(s), None) => (s, false),
        (None, Some(v)) => (v, true),
        (None, None) => {
            return Err(syn::Error::new(
                proc_macro2::Span::call_site(),
                "missing the spec: write `#[api_errors(spec = \"vendor.yaml\")]`, or `vendor = \"name\"` for a bundled one",
            ))
        }
    };
    Ok(Args {
        spec,
        bundled_only,
        api,
        krate: krate.unwrap_or_else(|| syn::parse_quote!(::api_errors)),
    })
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
        let k = &a.krate;
        assert_eq!(quote!(#k).to_string(), "my :: errs");
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
    }
}
