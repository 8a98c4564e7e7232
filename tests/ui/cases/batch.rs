use api_errors::api_errors;

// A batch shape (`batch:`) that cannot work.

// No `status`, a misspelt key (with a hint), a `max_items` that is not a number.
#[api_errors(spec = "specs/batch_unreadable.yaml")]
pub enum BatchUnreadable {}

// Paths that are not member paths, an empty `id`, a zero `max_items`.
#[api_errors(spec = "specs/batch_invalid.yaml")]
pub enum BatchInvalid {}

fn main() {}
