use api_errors::api_errors;

#[api_errors(spec = "specs/bad_success_rules.yaml")]
pub enum E {}

fn main() {}
