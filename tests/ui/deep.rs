use api_errors::api_errors;

#[api_errors(spec = "specs/deep.yaml")]
pub enum E {}

fn main() {}
