//! Decoding error bodies into `ApiError<K>` against a hand-written serde_json
//! struct decode of the same body.

use api_errors_tests::vendors::{Amperity, Amplemarket};

#[api_errors::api_errors(spec = "../tests/specs/identify.yaml")]
pub enum Nested {}
use std::hint::black_box;

use api_errors::ApiError;
use criterion::{criterion_group, criterion_main, Criterion};
#[path = "shared/bodies.rs"]
mod bodies;
use bodies::*;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("amperity body");
    g.bench_function("serde_json struct (baseline)", |b| {
        b.iter(|| serde_json::from_slice::<AmperityBody>(black_box(AMPERITY)).unwrap())
    });
    g.bench_function("ApiError::from_response", |b| {
        b.iter(|| ApiError::<Amperity>::from_response(400, &(), black_box(AMPERITY)))
    });
    g.finish();

    let mut g = c.benchmark_group("amplemarket body");
    g.bench_function("serde_json struct (baseline)", |b| {
        b.iter(|| serde_json::from_slice::<AmplemarketBody>(black_box(AMPLEMARKET)).unwrap())
    });
    g.bench_function("ApiError::from_response", |b| {
        b.iter(|| ApiError::<Amplemarket>::from_response(400, &(), black_box(AMPLEMARKET)))
    });
    g.finish();
}

fn nested(c: &mut Criterion) {
    let mut g = c.benchmark_group("nested body");
    g.bench_function("serde_json struct (baseline)", |b| {
        b.iter(|| serde_json::from_slice::<NestedBody>(black_box(NESTED)).unwrap())
    });
    g.bench_function("ApiError::from_response", |b| {
        b.iter(|| ApiError::<Nested>::from_response(429, &(), black_box(NESTED)))
    });
    g.finish();
}

criterion_group!(benches, bench, nested);
criterion_main!(benches);
