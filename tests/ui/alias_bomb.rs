use api_errors::api_errors;

#[api_errors(spec = "specs/alias_bomb.yaml")]
pub enum E {}

fn main() {}
