use api_errors::api_errors;

// The vendor's limits (`limits:`, issue 19) that cannot work.

// Two kinds in one limit, an unknown `per`, an unknown header key (with a hint).
#[api_errors(spec = "specs/limits_unreadable.yaml")]
pub enum LimitsUnreadable {}

// A window that is not one, a zero count, a bad interval, a zero concurrency, a
// header name that is not one.
#[api_errors(spec = "specs/limits_invalid.yaml")]
pub enum LimitsInvalid {}

fn main() {}
