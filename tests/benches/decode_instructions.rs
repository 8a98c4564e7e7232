//! Instruction counts per decode, for `scripts/instructions.py`: run under
//! callgrind as `decode_instructions CASE N`, it does one case N times. The counts
//! are exact and repeat run to run, unlike times on a shared machine.

use std::hint::black_box;

use api_errors::ApiError;
use api_errors_tests::vendors::{Amperity, Amplemarket};
use serde::Deserialize;

#[api_errors::api_errors(spec = "../tests/specs/identify.yaml")]
pub enum Nested {}

const AMPERITY: &[u8] = br#"{"status": 400, "message": "Error updating database: Can't find campaign named 'CampaignName'", "request_id": "1ab23456-c78d-9012-3456-78efg9hi01j2", "trace_id": "1a2b3456789cd0ef1g234hijklm5nopq"}"#;
const AMPLEMARKET: &[u8] = br#"{"_errors": [{"status": "400", "code": "unsupported_value", "title": "Unsupported Value", "detail": "Number of emails exceeds 100000 limit", "source": {"pointer": "/emails"}}]}"#;
const NESTED: &[u8] = br#"{"error": {"message": "Rate limit reached for gpt-4 in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"#;

#[derive(Deserialize)]
#[allow(dead_code)]
struct AmperityBody {
    status: u16,
    message: String,
    request_id: Option<String>,
    trace_id: Option<String>,
}

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

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    for _ in 0..n {
        match case.as_str() {
            "none" => {
                black_box(black_box(NESTED).len());
            }
            "amperity-serde" => drop(black_box(serde_json::from_slice::<AmperityBody>(
                black_box(AMPERITY),
            ))),
            "amperity-ours" => drop(black_box(ApiError::<Amperity>::from_response(
                400,
                &(),
                black_box(AMPERITY),
            ))),
            "amplemarket-serde" => drop(black_box(serde_json::from_slice::<AmplemarketBody>(
                black_box(AMPLEMARKET),
            ))),
            "amplemarket-ours" => drop(black_box(ApiError::<Amplemarket>::from_response(
                400,
                &(),
                black_box(AMPLEMARKET),
            ))),
            "nested-serde" => drop(black_box(serde_json::from_slice::<NestedBody>(black_box(
                NESTED,
            )))),
            "nested-ours" => drop(black_box(ApiError::<Nested>::from_response(
                429,
                &(),
                black_box(NESTED),
            ))),
            "--bench" => return, // `cargo bench` runs every bench target: nothing to do here
            other => panic!("unknown case {other:?}"),
        }
    }
}
