use api_errors::api_errors;

#[api_errors(spec = "specs/contradiction.yaml")]
pub enum E {}

fn main() {}
