//! Compile errors, each at a span, reported together (as `syn::Error::combine` would),
//! without `syn`: the macro's own parsing needs only `proc-macro2`.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// One or more compile errors.
#[derive(Debug, Clone)]
pub struct Error {
    errors: Vec<(Span, String)>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Error {
            errors: vec![(span, message.into())],
        }
    }

    /// Adds `other`'s errors after these.
    pub fn combine(&mut self, other: Error) {
        self.errors.extend(other.errors);
    }

    /// `::core::compile_error! { "message" }` for each error, every token at its span,
    /// so that the compiler shows each message where it belongs.
    pub fn to_compile_error(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for (span, message) in &self.errors {
            let span = *span;
            let punct = |c: char, spacing: Spacing| {
                let mut p = Punct::new(c, spacing);
                p.set_span(span);
                TokenTree::Punct(p)
            };
            let mut message = Literal::string(message);
            message.set_span(span);
            let mut body = Group::new(Delimiter::Brace, TokenTree::Literal(message).into());
            body.set_span(span);
            out.extend([
                punct(':', Spacing::Joint),
                punct(':', Spacing::Alone),
                TokenTree::Ident(Ident::new("core", span)),
                punct(':', Spacing::Joint),
                punct(':', Spacing::Alone),
                TokenTree::Ident(Ident::new("compile_error", span)),
                punct('!', Spacing::Alone),
                TokenTree::Group(body),
            ]);
        }
        out
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.errors.iter().map(|(_, m)| m.as_str()).collect();
        f.write_str(&messages.join("\n"))
    }
}
