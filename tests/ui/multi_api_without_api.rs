use api_errors::api_errors;

#[api_errors(spec = "specs/ok_multi.yaml")]
pub enum E {}

fn main() {}
