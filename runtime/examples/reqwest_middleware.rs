//! A reqwest-middleware client with api-errors' middleware, against a server on
//! 127.0.0.1 that this example starts: `500` twice, then `200`. A `GET` is retried
//! (the spec says `500` may be retried for idempotent requests); a bare `POST` is not.
//!
//! Run: `cargo run --example reqwest_middleware --features reqwest-middleware`

use api_errors::{api_errors, reqwest_middleware::RetryMiddleware, Idempotent, RetryPolicy};

#[path = "shared/scripted.rs"]
mod scripted;

#[api_errors(spec = "examples/specs/layers.yaml")]
pub enum Layered {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = scripted::start(|n| match n % 3 {
        1 | 2 => (500, None, r#"{"error":{"message":"try later"}}"#),
        _ => (200, None, r#"{"ok":true}"#),
    })
    .await?;
    let url = format!("{}orders", server.url);

    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryMiddleware::<Layered>::new(RetryPolicy::default()))
        .build();

    let got = client.get(&url).send().await?;
    println!("GET  -> {} after {} requests", got.status(), server.hits());

    let posted = client.post(&url).send().await?;
    let e = api_errors::reqwest::check::<Layered>(posted)
        .await
        .unwrap_err();
    println!("POST -> {e} (not retried: a POST may have been acted on)");

    let keyed = client
        .post(&url)
        .with_extension(Idempotent::YES)
        .send()
        .await?;
    println!("POST marked Idempotent::YES -> {}", keyed.status());
    Ok(())
}
