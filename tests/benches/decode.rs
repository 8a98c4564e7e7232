//! Decoding error bodies into `ApiError<K>` against a hand-written serde_json
//! struct decode of the same body.

use api_errors_tests::vendors::{Amperity, Amplemarket};
use std::hint::black_box;

use api_errors::ApiError;
use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;

const AMPERITY: &[u8] = br#"{"status": 400, "message": "Error updating database: Can't find campaign named 'CampaignName'", "request_id": "1ab23456-c78d-9012-3456-78efg9hi01j2", "trace_id": "1a2b3456789cd0ef1g234hijklm5nopq"}"#;

const AMPLEMARKET: &[u8] = br#"{"_errors": [{"status": "400", "code": "unsupported_value", "title": "Unsupported Value", "detail": "Number of emails exceeds 100000 limit", "source": {"pointer": "/emails"}}]}"#;

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

criterion_group!(benches, bench);
criterion_main!(benches);
