use api_errors::api_errors;

// Entries: duplicate statuses, codes and names, names that cannot be variants, ambiguous statuses, statuses out of range.

// duplicate status and code
#[api_errors(spec = "specs/duplicates.yaml")]
pub enum DuplicateStatusAndCode {}

// duplicate variant name
#[api_errors(spec = "specs/same_variant.yaml")]
pub enum DuplicateVariantName {}

// bad variant names
#[api_errors(spec = "specs/bad_names.yaml")]
pub enum BadVariantNames {}

// hostile names
// Every name a spec can produce goes through one exact check: no panic, no raw
// rustc error (E0428, E0308, E0618), a located diagnostic for each.
#[api_errors(spec = "specs/hostile_names.yaml")]
pub enum HostileNames {}

// code and codes
#[api_errors(spec = "specs/code_and_codes.yaml")]
pub enum CodeAndCodes {}

// ambiguous from status
#[api_errors(spec = "specs/ambiguous.yaml")]
pub enum AmbiguousFromStatus {}

// status range
#[api_errors(spec = "specs/status_range.yaml")]
pub enum StatusRange {}

fn main() {}
