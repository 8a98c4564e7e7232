//! The `#[api_errors]` attribute macro. Use it through the
//! [`api-errors`](https://docs.rs/api-errors) crate, which re-exports it, supplies the
//! traits and runtime the generated code uses, and documents the spec format.

// The pipeline, for maintainers: `args` parses the attribute; the spec crate
// (`api-errors-spec`, shared with the command-line tool) does the rest up to the
// model: `yaml` parses the spec into a tree of positioned nodes (once; with limits),
// `spec` reads the spec model out of that tree, `validate` checks it into a typed
// `model` (`validate/response.rs`: where things are in a response: body paths, wait
// sources, success rules); `expand` writes the code.
// Every diagnostic is located on the one tree. `generate` ties them together without
// touching the compiler, so that everything but the entry point is testable as plain
// functions.

mod args;
mod error;
mod expand;
mod item;
mod lit;
mod locate;

// The spec format, shared with the command-line tool.
use api_errors_spec::{bundled, model, names, spec, validate};

#[cfg(test)]
mod proptests;

use proc_macro2::{Span, TokenStream, TokenTree};

use crate::error::Error;
use crate::item::Item;
use crate::lit::LitStr;

use crate::locate::{find_spec, Env};

/// Fills an empty enum with one variant per error that a YAML spec documents.
///
/// `#[api_errors(spec = "amplitude.yaml", api = "batch")] pub enum E {}`
///
/// See the `api-errors` crate for the spec format and the generated API.
#[proc_macro_attribute]
pub fn api_errors(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    let env = Env {
        manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(Into::into),
        source_dir: proc_macro::Span::call_site()
            .local_file()
            .and_then(|f| f.parent().map(|d| d.to_path_buf())),
    };
    generate(args.into(), item.into(), &env).into()
}

/// The text of a spec bundled with api-errors, as a string literal:
/// `bundled_spec!("openai")`. Start your own spec from one.
#[proc_macro]
pub fn bundled_spec(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input: TokenStream = input.into();
    let mut tokens = input.into_iter();
    let name = match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Literal(lit)), None) => LitStr::parse(&lit),
        (Some(t), _) => Err(Error::new(
            t.span(),
            "expected string literal: `bundled_spec!(\"openai\")`",
        )),
        (None, _) => Err(Error::new(
            Span::call_site(),
            "expected string literal: `bundled_spec!(\"openai\")`",
        )),
    };
    let name = match name {
        Ok(n) => n,
        Err(e) => return e.to_compile_error().into(),
    };
    match bundled::find(&name.value()) {
        Some((_, text)) => quote::quote!(#text).into(),
        None => Error::new(
            name.span(),
            format!(
                "no bundled spec is named `{}`: the bundled ones are {}",
                name.value(),
                bundled::names()
            ),
        )
        .to_compile_error()
        .into(),
    }
}

/// The JSON Schema of the spec format, as a string literal: `spec_schema!()`.
#[proc_macro]
pub fn spec_schema(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    if !input.is_empty() {
        return Error::new(Span::call_site(), "`spec_schema!()` takes no arguments")
            .to_compile_error()
            .into();
    }
    let text = bundled::SCHEMA;
    quote::quote!(#text).into()
}

/// The whole macro as a function of its inputs.
fn generate(args: TokenStream, item: TokenStream, env: &Env) -> TokenStream {
    let item = match item::check(item) {
        Ok(item) => item,
        Err(e) => return e.to_compile_error(),
    };
    let args = match args::parse(args) {
        Ok(a) => a,
        Err(e) => return with_fallback(e, &item, Fallback::NONE),
    };
    let found = if args.bundled_only {
        let name = args.spec.value();
        match locate::bundled(&name) {
            Some(f) => Ok(f),
            None => {
                let hint = names::closest(&name, bundled::SPECS.iter().map(|(n, _)| *n))
                    .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
                Err(format!(
                    "no bundled spec is named `{name}`: the bundled ones are {}{hint}",
                    bundled::names()
                ))
            }
        }
    } else {
        find_spec(&args.spec.value(), env)
    };
    let found = match found {
        Ok(f) => f,
        Err(message) => {
            let fallback = Fallback {
                krate: Some(&args.krate),
                ..Fallback::NONE
            };
            return with_fallback(Error::new(args.spec.span(), message), &item, fallback);
        }
    };
    let shown = &found.shown;
    let at = |pos: Option<spec::Pos>, message: &str| {
        let text = match pos {
            Some(p) => format!("{shown}:{p}: {message}"),
            None => format!("{shown}: {message}"),
        };
        Error::new(args.spec.span(), text)
    };
    let (loaded, tree) = match spec::load(&found.text) {
        Ok(s) => s,
        Err(problems) => {
            let all = combined(
                problems.iter().map(|d| at(d.pos, &d.message)),
                problems.len(),
                &at,
            );
            let fallback = Fallback {
                krate: Some(&args.krate),
                spec_file: found.absolute.as_deref(),
                ..Fallback::NONE
            };
            return match all {
                Some(e) => with_fallback(e, &item, fallback),
                None => fallback.expand(&item),
            };
        }
    };
    let api = args.api.as_ref().map(|a| a.value());
    match validate::validate(&loaded, api.as_deref(), &tree) {
        Ok(model) => expand::expand(
            &model,
            &expand::Target {
                item: &item,
                krate: &args.krate,
                spec_file: found.absolute.as_deref(),
                spec_shown: shown,
            },
        ),
        Err(failure) => {
            let errors = combined(
                failure.spec.iter().map(|d| at(d.pos, &d.message)),
                failure.spec.len(),
                &at,
            );
            let api_error = failure.api.map(|m| {
                let span = args.api.as_ref().map_or(args.spec.span(), |a| a.span());
                Error::new(span, format!("{m} (in {shown})"))
            });
            let fallback = Fallback {
                spec: Some(&loaded),
                api: api.as_deref(),
                krate: Some(&args.krate),
                spec_file: found.absolute.as_deref(),
            };
            let mut all = match errors.or(api_error.clone()) {
                Some(first) => first,
                None => return fallback.expand(&item),
            };
            if let Some(e) = api_error.filter(|_| !failure.spec.is_empty()) {
                all.combine(e);
            }
            with_fallback(all, &item, fallback)
        }
    }
}

/// Most spec problems reported in one build; the rest are counted.
const MAX_DIAGNOSTICS: usize = 50;

/// The first [`MAX_DIAGNOSTICS`] of `errors` (of `count` in all) as one error,
/// with a last one that counts the rest.
fn combined(
    errors: impl Iterator<Item = Error>,
    count: usize,
    at: &dyn Fn(Option<spec::Pos>, &str) -> Error,
) -> Option<Error> {
    let hidden = count.saturating_sub(MAX_DIAGNOSTICS);
    let more = (hidden > 0).then(|| {
        let s = if hidden == 1 { "" } else { "s" };
        at(
            None,
            &format!("and {hidden} more problem{s} (the first {MAX_DIAGNOSTICS} are shown)"),
        )
    });
    errors
        .take(MAX_DIAGNOSTICS)
        .chain(more)
        .reduce(|mut all, e| {
            all.combine(e);
            all
        })
}

/// The errors, and beside them the enum with every generated item, from what the
/// spec gives soundly (see [`validate::fallback`]): so that a use of a generated
/// method or of a sound variant in the user's crate adds no error of its own.
fn with_fallback(e: Error, item: &Item, fallback: Fallback) -> TokenStream {
    let mut out = e.to_compile_error();
    out.extend(fallback.expand(item));
    out
}

/// What stands in for the generated enum when the spec has problems.
struct Fallback<'a> {
    spec: Option<&'a spec::Spec>,
    api: Option<&'a str>,
    krate: Option<&'a TokenStream>,
    spec_file: Option<&'a str>,
}

impl Fallback<'_> {
    const NONE: Fallback<'static> = Fallback {
        spec: None,
        api: None,
        krate: None,
        spec_file: None,
    };

    fn expand(&self, item: &Item) -> TokenStream {
        let default = quote::quote!(::api_errors);
        let model = validate::fallback(self.spec, self.api);
        expand::expand(
            &model,
            &expand::Target {
                item,
                krate: self.krate.unwrap_or(&default),
                spec_file: self.spec_file,
                spec_shown: "",
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// A crate folder with a `specs/` folder holding the bundled specs as files (so
    /// the tests run from the package alone, with files to track).
    fn env() -> Env {
        Env {
            manifest_dir: Some(crate::locate::tests::crate_with_specs()),
            source_dir: None,
        }
    }

    fn run(args: TokenStream, item: TokenStream) -> String {
        generate(args, item, &env()).to_string()
    }

    #[test]
    fn expands_a_seed_spec() {
        let out = run(
            quote!(spec = "amplitude.yaml", api = "batch"),
            quote!(
                pub enum E {}
            ),
        );
        assert!(out.contains("TooManyRequests"), "{out}");
        assert!(out.contains("include_bytes"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn reserved_names_cover_every_generated_item() {
        let out = run(
            quote!(spec = "amplitude.yaml", api = "batch"),
            quote!(
                pub enum E {}
            ),
        );
        let file: syn::File = syn::parse_str(&out).unwrap();
        let mut generated = vec!["Unknown".to_string()];
        for item in &file.items {
            if let syn::Item::Impl(i) = item {
                if i.trait_.is_none() {
                    // The public items (the private tables and the place of a
                    // variant are the macro's own, `__api_errors`-prefixed).
                    let public = |v: &syn::Visibility| matches!(v, syn::Visibility::Public(_));
                    for it in &i.items {
                        match it {
                            syn::ImplItem::Fn(f) if public(&f.vis) => {
                                generated.push(f.sig.ident.to_string())
                            }
                            syn::ImplItem::Const(c) if public(&c.vis) => {
                                generated.push(c.ident.to_string())
                            }
                            syn::ImplItem::Fn(f) => {
                                assert!(f.sig.ident.to_string().starts_with("__api_errors"))
                            }
                            syn::ImplItem::Const(c) => {
                                assert!(c.ident.to_string().starts_with("__API_ERRORS"))
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        for name in &generated {
            assert!(
                names::RESERVED.contains(&name.as_str()),
                "{name} is not reserved"
            );
        }
        assert_eq!(generated.len(), names::RESERVED.len());
    }

    /// The spec crate's keyword list agrees with the Rust parser the generated code
    /// goes through: every word it rejects is a keyword (`gen`, reserved from the
    /// 2024 edition on, is rejected too), and words that merely look special pass.
    #[test]
    fn keywords_agree_with_syn() {
        for k in names::KEYWORDS.iter().filter(|k| **k != "gen") {
            assert!(
                syn::parse_str::<syn::Ident>(k).is_err(),
                "{k} parses as an identifier"
            );
            assert!(
                names::problem(k).is_some(),
                "{k} is accepted as a variant name"
            );
        }
        for ok in ["union", "raw", "auto", "default", "safe", "Selfish", "Type"] {
            assert!(syn::parse_str::<syn::Ident>(ok).is_ok());
            assert_eq!(names::problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn item_errors() {
        let out = run(
            quote!(spec = "amplitude.yaml"),
            quote!(
                struct S;
            ),
        );
        assert!(out.contains("not a struct"), "{out}");
        let out = run(
            quote!(spec = "amplitude.yaml"),
            quote!(
                enum E<T> {
                    A(T),
                }
            ),
        );
        assert!(
            out.contains("cannot be generic") && out.contains("leave the enum empty"),
            "{out}"
        );
    }

    #[test]
    fn rejects_deriving_what_is_derived_already() {
        let out = run(
            quote!(spec = "kleene.yaml"),
            quote!(
                #[derive(Debug, PartialOrd, std::hash::Hash)]
                pub enum E {}
            ),
        );
        assert!(out.contains("derives `Debug` already"), "{out}");
        assert!(out.contains("derives `Hash` already"), "{out}");
        assert!(!out.contains("`PartialOrd` already"), "{out}");
    }

    #[test]
    fn missing_api_lists_the_choices_and_keeps_the_enum() {
        let out = run(
            quote!(spec = "amplitude.yaml"),
            quote!(
                pub enum E {}
            ),
        );
        assert!(out.contains("choose one with"), "{out}");
        // The enum and its generated items, from the first API's sound entries.
        assert!(out.contains("pub enum E {"), "{out}");
        assert!(out.contains("Unknown"), "{out}");
        assert!(out.contains("fn from_status"), "{out}");
    }
}
