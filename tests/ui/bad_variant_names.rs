use api_errors::api_errors;

#[api_errors(spec = "specs/bad_names.yaml")]
pub enum E {}

fn main() {}
