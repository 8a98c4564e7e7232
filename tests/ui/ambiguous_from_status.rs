use api_errors::api_errors;

#[api_errors(spec = "specs/ambiguous.yaml")]
pub enum E {}

fn main() {}
