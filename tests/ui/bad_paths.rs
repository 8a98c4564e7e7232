use api_errors::api_errors;

// Each misuse of member paths is a located spec error (every API is checked,
// whichever is chosen). Paths may share members, or lie one inside another.
#[api_errors(spec = "specs/bad_paths.yaml", api = "a")]
pub enum E {}

fn main() {}
