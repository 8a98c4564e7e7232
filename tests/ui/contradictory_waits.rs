use api_errors::api_errors;

#[api_errors(spec = "specs/contradictory_waits.yaml")]
pub enum E {}

fn main() {}
