use api_errors::api_errors;

// Every name a spec can produce goes through one exact check: no panic, no raw
// rustc error (E0428, E0308, E0618), a located diagnostic for each.
#[api_errors(spec = "specs/hostile_names.yaml")]
pub enum E {}

fn main() {}
