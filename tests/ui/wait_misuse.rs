use api_errors::api_errors;

#[api_errors(spec = "specs/wait_misuse.yaml")]
pub enum E {}

fn main() {}
