use api_errors::api_errors;

// Identity: matchers, sources and clean-ups that cannot work.

// identity misuse
// Each misuse of paths and identity conditions is a located spec error.
#[api_errors(spec = "specs/identity_misuse.yaml")]
pub enum IdentityMisuse {}

// type without body type
// Each misuse of paths and identity conditions is a located spec error.
#[api_errors(spec = "specs/type_without_body_type.yaml")]
pub enum TypeWithoutBodyType {}

// bad sources
// Each misuse of paths and identity conditions is a located spec error.
#[api_errors(spec = "specs/bad_sources.yaml")]
pub enum BadSources {}

fn main() {}
