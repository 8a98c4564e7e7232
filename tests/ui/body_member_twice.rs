use api_errors::api_errors;

#[api_errors(spec = "specs/body_member_twice.yaml")]
pub enum E {}

fn main() {}
