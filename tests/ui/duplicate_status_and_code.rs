use api_errors::api_errors;

#[api_errors(spec = "specs/duplicates.yaml")]
pub enum E {}

fn main() {}
