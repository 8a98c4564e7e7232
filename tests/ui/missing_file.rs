use api_errors::api_errors;

#[api_errors(spec = "no_such_spec.yaml")]
pub enum E {}

fn main() {}
