//! Integration and compile-fail tests of api-errors (not published). The README's
//! examples are the `api-errors` crate's own doctests (it is that crate's front page).

pub mod contention;

// The repository's README has an example too: tested with the rest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RepositoryReadme;

/// The seed vendors' errors, generated once for the tests, benchmarks and examples
/// that are not about the macro itself (the per-vendor tests declare their own).
pub mod vendors {
    use api_errors::api_errors;

    /// Amplitude's HTTP/Batch API.
    #[api_errors(spec = "../specs/amplitude.yaml", api = "batch")]
    pub enum AmplitudeBatch {}

    /// Amperity's REST API.
    #[api_errors(spec = "../specs/amperity.yaml")]
    pub enum Amperity {}

    /// Attraqt's Items API.
    #[api_errors(spec = "../specs/attraqt.yaml")]
    pub enum Attraqt {}

    /// Amplemarket's REST API.
    #[api_errors(spec = "../specs/amplemarket.yaml")]
    pub enum Amplemarket {}

    /// Kleene's connector APIs.
    #[api_errors(spec = "../specs/kleene.yaml")]
    pub enum Kleene {}
}
