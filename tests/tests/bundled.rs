//! The vendor specs ship inside the crates: usable by name from any crate, with no
//! file copied, and readable as text to start one's own spec from.

use api_errors::{api_errors, bundled_spec, spec_schema, ApiErrorKind};

#[api_errors(vendor = "openai")]
pub enum OpenAi {}

#[api_errors(vendor = "shopify", api = "graphql")]
pub enum ShopifyGraphql {}

#[test]
fn bundled_specs_by_name() {
    assert_eq!(OpenAi::VENDOR, "OpenAI");
    assert!(OpenAi::RequestTooLarge
        .message()
        .contains("larger than the whole"));
    assert_eq!(
        ShopifyGraphql::from_code("THROTTLED"),
        Some(ShopifyGraphql::Throttled)
    );
}

#[test]
fn a_bundled_spec_and_the_schema_as_text() {
    let text: &str = bundled_spec!("openai");
    let on_disk =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/openai.yaml"))
            .unwrap();
    assert_eq!(text, on_disk);
    let schema: serde_json::Value = serde_json::from_str(spec_schema!()).unwrap();
    assert_eq!(schema["title"], "api-errors spec");
}
