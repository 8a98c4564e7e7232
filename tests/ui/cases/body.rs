use api_errors::api_errors;

// Member paths and success rules that cannot match.

// bad paths
// Each misuse of member paths is a located spec error (every API is checked,
// whichever is chosen). Paths may share members, or lie one inside another.
#[api_errors(spec = "specs/bad_paths.yaml", api = "a")]
pub enum BadPaths {}

// bad success rules
#[api_errors(spec = "specs/bad_success_rules.yaml")]
pub enum BadSuccessRules {}

fn main() {}
