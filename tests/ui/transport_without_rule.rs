use api_errors::api_errors;

#[api_errors(spec = "specs/transport_without_rule.yaml")]
pub enum E {}

fn main() {}
