//! The generated enum against a hand-written `thiserror` enum of the same shape
//! (Kleene's ten errors): `from_status`, `is_retryable`, `Display`.

use std::fmt::Write;
use std::hint::black_box;

use api_errors::api_errors;
use criterion::{criterion_group, criterion_main, Criterion};

#[api_errors(spec = "../specs/kleene.yaml")]
pub enum Generated {}

/// What a careful human writes by hand for the same page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Handwritten {
    #[error("Bad request; usually the request being sent is malformed.")]
    BadRequest,
    #[error("Incorrect authentication; usually the API credentials are incorrect.")]
    Unauthorized,
    #[error("Insufficient permissions; usually the permissions of the authenticated method (the user or API credential) do not allow the action.")]
    Forbidden,
    #[error("Not found; usually the server cannot find the requested resource.")]
    NotFound,
    #[error("URI too long; usually the requested URI is too large.")]
    UriTooLong,
    #[error(
        "Too many requests; usually the number of requests in a given period exceeds the limit."
    )]
    TooManyRequests,
    #[error("Internal server error; usually the server (API) is down.")]
    InternalServerError,
    #[error("Bad gateway; usually the server received an invalid response while acting as a gateway or proxy.")]
    BadGateway,
    #[error("Service unavailable; usually the server is not ready to handle the request.")]
    ServiceUnavailable,
    #[error("Gateway timeout; usually the server, acting as a gateway or proxy, did not get a response in time.")]
    GatewayTimeout,
    #[error("HTTP {0}: a status this spec does not document")]
    Unknown(u16),
}

impl Handwritten {
    pub const fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            414 => Self::UriTooLong,
            429 => Self::TooManyRequests,
            500 => Self::InternalServerError,
            502 => Self::BadGateway,
            503 => Self::ServiceUnavailable,
            504 => Self::GatewayTimeout,
            other => Self::Unknown(other),
        }
    }

    pub const fn is_retryable(&self) -> bool {
        match self {
            Self::TooManyRequests
            | Self::InternalServerError
            | Self::BadGateway
            | Self::ServiceUnavailable => true,
            // Statuses the page does not list: retry the transient ones.
            Self::Unknown(s) => matches!(s, 408 | 429 | 500 | 502 | 503 | 504),
            _ => false,
        }
    }
}

const STATUSES: [u16; 12] = [400, 401, 403, 404, 414, 429, 500, 502, 503, 504, 418, 599];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("from_status");
    g.bench_function("thiserror (baseline)", |b| {
        b.iter(|| STATUSES.map(|s| Handwritten::from_status(black_box(s))))
    });
    g.bench_function("generated", |b| {
        b.iter(|| STATUSES.map(|s| Generated::from_status(black_box(s))))
    });
    g.finish();

    let hand = STATUSES.map(Handwritten::from_status);
    let generated = STATUSES.map(Generated::from_status);
    let mut g = c.benchmark_group("is_retryable");
    g.bench_function("thiserror (baseline)", |b| {
        b.iter(|| black_box(&hand).map(|e| e.is_retryable()))
    });
    g.bench_function("generated", |b| {
        b.iter(|| black_box(&generated).map(|e| e.is_retryable()))
    });
    g.finish();

    let mut g = c.benchmark_group("display");
    let mut buf = String::with_capacity(4096);
    g.bench_function("thiserror (baseline)", |b| {
        b.iter(|| {
            buf.clear();
            for e in black_box(&hand) {
                write!(buf, "{e}").unwrap();
            }
            buf.len()
        })
    });
    g.bench_function("generated", |b| {
        b.iter(|| {
            buf.clear();
            for e in black_box(&generated) {
                write!(buf, "{e}").unwrap();
            }
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
