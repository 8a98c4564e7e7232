use api_errors::api_errors;

#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
#[derive(Debug, Clone, PartialOrd)]
pub enum E {}

fn main() {}
