use api_errors::api_errors;

// Each misuse of paths and identity conditions is a located spec error.
#[api_errors(spec = "specs/bad_sources.yaml")]
pub enum E {}

fn main() {}
