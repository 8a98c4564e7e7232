use api_errors::api_errors;

#[api_errors(spec = "specs/syntax.yaml")]
pub enum E {}

fn main() {}
