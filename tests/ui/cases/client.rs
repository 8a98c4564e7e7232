use api_errors::api_errors;

// The SDK's retry defaults (`client:`) that cannot work (issue 18.12).

// Attempts out of range, a cap below its base, a factor range backwards, a bad duration.
#[api_errors(spec = "specs/client_invalid.yaml")]
pub enum ClientInvalid {}

// An unknown key (with a hint), a factor range with three ends.
#[api_errors(spec = "specs/client_unreadable.yaml")]
pub enum ClientUnreadable {}

// Factors outside 0-1000.
#[api_errors(spec = "specs/client_factor_range.yaml")]
pub enum ClientFactorRange {}

fn main() {}
