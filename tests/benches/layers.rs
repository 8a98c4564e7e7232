//! The tower layer and the reqwest middleware on a success: one GET against a
//! server on 127.0.0.1 (started here, on its own runtime and thread), through the
//! same client with and without the retry layer, in the same run.

use std::hint::black_box;

use api_errors::reqwest_middleware::RetryMiddleware;
use api_errors::tower::RetryLayer;
use api_errors::RetryPolicy;
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_layer::Layer;

// A spec without `errors_in_success` rules: a success passes unread.
#[path = "shared/server.rs"]
mod server;

#[api_errors::api_errors(vendor = "openai")]
pub enum Layered {}

fn bench(c: &mut Criterion) {
    let url = server::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("layers on a success (local server)");

    let hyper = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    g.bench_function("hyper client (baseline)", |b| {
        let mut service = hyper.clone();
        b.iter(|| rt.block_on(async { black_box(server::fetch(&mut service, &url).await) }))
    });
    g.bench_function("hyper client + RetryLayer", |b| {
        let mut service = RetryLayer::<Layered>::new(RetryPolicy::default()).layer(hyper.clone());
        b.iter(|| rt.block_on(async { black_box(server::fetch(&mut service, &url).await) }))
    });

    let reqwest = reqwest::Client::new();
    g.bench_function("reqwest client (baseline)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let response = reqwest.get(&url).send().await.unwrap();
                black_box(response.bytes().await.unwrap())
            })
        })
    });
    let bare = reqwest_middleware::ClientBuilder::new(reqwest.clone()).build();
    g.bench_function("reqwest-middleware client, no middleware", |b| {
        b.iter(|| {
            rt.block_on(async {
                let response = bare.get(&url).send().await.unwrap();
                black_box(response.bytes().await.unwrap())
            })
        })
    });
    let with = reqwest_middleware::ClientBuilder::new(reqwest.clone())
        .with(RetryMiddleware::<Layered>::new(RetryPolicy::default()))
        .build();
    g.bench_function("reqwest client + RetryMiddleware", |b| {
        b.iter(|| {
            rt.block_on(async {
                let response = with.get(&url).send().await.unwrap();
                black_box(response.bytes().await.unwrap())
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
