//! Instruction counts for `scripts/instructions.py --layers`: run under callgrind as
//! `layers_instructions CASE N`, it makes N GET requests to a server on 127.0.0.1
//! (started here, on its own thread) through one client setup. Every thread is
//! counted, server included, so the ratio of two cases is the whole cost of a
//! request with the layer against the same request without it.

use std::hint::black_box;

use api_errors::reqwest_middleware::RetryMiddleware;
use api_errors::tower::RetryLayer;
use api_errors::RetryPolicy;
use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_layer::Layer;

// A spec without `errors_in_success` rules: a success passes unread.
#[path = "shared/server.rs"]
mod server;

#[api_errors::api_errors(vendor = "openai")]
pub enum Layered {}

#[api_errors::api_errors(vendor = "amperity")]
pub enum Unlimited {}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    if case == "--bench" {
        return; // `cargo bench` runs every bench target: nothing to do here
    }
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = server::start();
    rt.block_on(async move {
        let hyper = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let mut layered = RetryLayer::<Layered>::new(RetryPolicy::default()).layer(hyper.clone());
        // A pacer that knows no limit (a spec without `limits:`), and one that learns
        // from every response's headers (OpenAI's request budget).
        let inert = RetryPolicy::default().pacer(api_errors::Pacer::for_vendor::<Unlimited>());
        let mut layered_inert = RetryLayer::<Layered>::new(inert).layer(hyper.clone());
        let learning = RetryPolicy::default().pacer(api_errors::Pacer::for_vendor::<Layered>());
        let mut layered_learning = RetryLayer::<Layered>::new(learning).layer(hyper.clone());
        let mut plain = hyper.clone();
        let reqwest = reqwest::Client::new();
        let bare = reqwest_middleware::ClientBuilder::new(reqwest.clone()).build();
        let with = reqwest_middleware::ClientBuilder::new(reqwest.clone())
            .with(RetryMiddleware::<Layered>::new(RetryPolicy::default()))
            .build();
        for _ in 0..n {
            let body = match case.as_str() {
                "hyper" => server::fetch(&mut plain, &url).await,
                "hyper-layer" => server::fetch(&mut layered, &url).await,
                "hyper-layer-inert-pacer" => server::fetch(&mut layered_inert, &url).await,
                "hyper-layer-learning-pacer" => server::fetch(&mut layered_learning, &url).await,
                "reqwest" => reqwest
                    .get(&url)
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap(),
                "reqwest-middleware-bare" => {
                    bare.get(&url).send().await.unwrap().bytes().await.unwrap()
                }
                "reqwest-middleware" => with.get(&url).send().await.unwrap().bytes().await.unwrap(),
                other => panic!("unknown case {other:?}"),
            };
            black_box(body);
        }
    });
}
