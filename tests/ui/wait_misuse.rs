use api_errors::api_errors;

#[api_errors(spec = "specs/wait_misuse.yaml", api = "a")]
pub enum E {}

fn main() {}
