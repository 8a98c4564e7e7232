//! The typed errors of Amplitude's HTTP/Batch API, generated from its spec.
//!
//! Run: `cargo run --example quickstart`

use api_errors::{api_errors, ApiErrorKind, RetryWhen};

/// Errors of Amplitude's HTTP/Batch API.
#[api_errors(spec = "../specs/amplitude.yaml", api = "batch")]
pub enum AmplitudeBatchError {}

fn main() {
    println!(
        "{} {} documents {} errors:\n",
        AmplitudeBatchError::VENDOR,
        AmplitudeBatchError::API,
        AmplitudeBatchError::ALL.len()
    );
    // What a client sees: a status; what it gets: a typed error with the vendor's words.
    for status in [400, 413, 429, 500, 502] {
        let e = AmplitudeBatchError::from_status(status);
        println!("HTTP {status} -> {e:?}");
        println!("  meaning: {e}");
        if let Some(advice) = e.advice() {
            println!("  advice:  {advice}");
        }
        println!("  retry:   {}", e.retry_hint());
        match e {
            AmplitudeBatchError::TooManyRequests => {
                let wait = e.retry_hint().min_wait().unwrap_or_default();
                println!("  -> stop sending events for {wait:?}, then try again");
            }
            AmplitudeBatchError::InternalServerError => {
                assert_eq!(e.retry_hint().when(), RetryWhen::IfIdempotent);
                println!("  -> retry only batches whose events carry an insert_id");
            }
            AmplitudeBatchError::Unknown(s) => {
                println!("  -> not on the vendor's page; the default for {s} applies")
            }
            other if !other.is_retryable() => println!("  -> fix the request; do not retry"),
            _ => {}
        }
        println!();
    }
}
