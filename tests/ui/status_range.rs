use api_errors::api_errors;

#[api_errors(spec = "specs/status_range.yaml")]
pub enum E {}

fn main() {}
