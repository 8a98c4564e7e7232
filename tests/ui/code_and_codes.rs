use api_errors::api_errors;

#[api_errors(spec = "specs/code_and_codes.yaml")]
pub enum E {}

fn main() {}
