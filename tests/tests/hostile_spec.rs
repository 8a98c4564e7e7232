//! Specs are untrusted text: whatever a spec says is printed literally, and the
//! generated code names nothing a user's crate can shadow.

// A user crate may define types named like primitives; the generated code must not
// pick them up (it writes `::core::primitive::u16`, not `u16`).
#[allow(non_camel_case_types, dead_code)]
mod shadowing {
    struct u16;
    struct str;
    struct bool;

    #[api_errors::api_errors(spec = "specs/format_like_text.yaml")]
    pub enum Literal {}
}

use shadowing::Literal;

#[test]
fn spec_text_is_never_a_format_string() {
    assert_eq!(
        Literal::BadRequest.to_string(),
        "Bad {} request {0} {self:?}"
    );
    assert_eq!(Literal::NotFound.to_string(), "Not found: {");
    assert_eq!(Literal::BadRequest.advice(), Some("Retry with {{braces}}"));
    // Before: `{self}` in the vendor's name recursed until the stack overflowed.
    assert_eq!(
        Literal::from_status(599).to_string(),
        "HTTP 599: a status this spec does not document (V {self} REST API {v2} {0:>12} {})"
    );
    assert_eq!(<Literal as api_errors::ApiErrorKind>::VENDOR, "V {self}");
}
