use api_errors::api_errors;

#[api_errors(spec = "specs/unknown_key.yaml")]
pub enum E {}

fn main() {}
