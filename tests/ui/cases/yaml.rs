use api_errors::api_errors;

// Files that are not sound YAML or not a spec's shape: syntax, unknown and missing keys, nesting and aliases past the limits, files that are not specs.

// yaml syntax
#[api_errors(spec = "specs/syntax.yaml")]
pub enum YamlSyntax {}

// unknown key
#[api_errors(spec = "specs/unknown_key.yaml")]
pub enum UnknownKey {}

// missing field
#[api_errors(spec = "specs/missing_field.yaml")]
pub enum MissingField {}

// deep
#[api_errors(spec = "specs/deep.yaml")]
pub enum Deep {}

// alias bomb
#[api_errors(spec = "specs/alias_bomb.yaml")]
pub enum AliasBomb {}

// not a spec
// A file that is not a spec echoes nothing of itself: not its control characters'
// neighbours (as in `/proc/self/environ`), not a line of plain text.
#[api_errors(spec = "specs/environ")]
pub enum Environ {}

#[api_errors(spec = "specs/token.txt")]
pub enum Token {}

fn main() {}
