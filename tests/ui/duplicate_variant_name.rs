use api_errors::api_errors;

#[api_errors(spec = "specs/same_variant.yaml")]
pub enum E {}

fn main() {}
