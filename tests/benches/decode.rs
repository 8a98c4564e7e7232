//! Decoding error bodies into `ApiError<K>` against a hand-written serde_json
//! struct decode of the same body.

use api_errors_tests::vendors::{Amperity, Amplemarket};

#[api_errors::api_errors(spec = "../tests/specs/identify.yaml")]
pub enum Nested {}
use std::hint::black_box;

use api_errors::ApiError;
use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;

const AMPERITY: &[u8] = br#"{"status": 400, "message": "Error updating database: Can't find campaign named 'CampaignName'", "request_id": "1ab23456-c78d-9012-3456-78efg9hi01j2", "trace_id": "1a2b3456789cd0ef1g234hijklm5nopq"}"#;

const AMPLEMARKET: &[u8] = br#"{"_errors": [{"status": "400", "code": "unsupported_value", "title": "Unsupported Value", "detail": "Number of emails exceeds 100000 limit", "source": {"pointer": "/emails"}}]}"#;

const NESTED: &[u8] = br#"{"error": {"message": "Rate limit reached for gpt-4 in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"#;

/// An OpenAI-style nested error object, by hand.
#[derive(Deserialize)]
#[allow(dead_code)]
struct NestedBody {
    error: NestedError,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct NestedError {
    message: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    param: Option<String>,
    code: Option<String>,
}

/// What a careful human writes by hand for Amperity's documented body.
#[derive(Deserialize)]
#[allow(dead_code)]
struct AmperityBody {
    status: u16,
    message: String,
    request_id: Option<String>,
    trace_id: Option<String>,
}

/// ... and for Amplemarket's.
#[derive(Deserialize)]
#[allow(dead_code)]
struct AmplemarketBody {
    _errors: Vec<AmplemarketError>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct AmplemarketError {
    id: Option<String>,
    status: Option<String>,
    code: Option<String>,
    title: Option<String>,
    detail: Option<String>,
    source: Option<Source>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Source {
    pointer: Option<String>,
    parameter: Option<String>,
    header: Option<String>,
}

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
