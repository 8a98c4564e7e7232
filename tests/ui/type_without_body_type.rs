use api_errors::api_errors;

// Each misuse of paths and identity conditions is a located spec error.
#[api_errors(spec = "specs/type_without_body_type.yaml")]
pub enum E {}

fn main() {}
