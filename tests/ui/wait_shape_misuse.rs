use api_errors::api_errors;

#[api_errors(spec = "specs/wait_shape_misuse.yaml")]
pub enum E {}

fn main() {}
