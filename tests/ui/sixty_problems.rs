use api_errors::api_errors;

#[api_errors(spec = "specs/sixty_problems.yaml")]
pub enum E {}

fn main() {}
