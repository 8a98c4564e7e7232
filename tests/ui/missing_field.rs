use api_errors::api_errors;

#[api_errors(spec = "specs/missing_field.yaml")]
pub enum E {}

fn main() {}
