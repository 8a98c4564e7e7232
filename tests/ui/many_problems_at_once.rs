use api_errors::api_errors;

#[api_errors(spec = "specs/many.yaml")]
pub enum E {}

fn main() {}
