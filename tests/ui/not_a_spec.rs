use api_errors::api_errors;

// A file that is not a spec echoes nothing of itself: not its control characters'
// neighbours (as in `/proc/self/environ`), not a line of plain text.
#[api_errors(spec = "specs/environ")]
pub enum Environ {}

#[api_errors(spec = "specs/token.txt")]
pub enum Token {}

fn main() {}
