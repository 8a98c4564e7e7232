//! Instruction counts per decode, for `scripts/instructions.py`: run under
//! callgrind as `decode_instructions CASE N`, it does one case N times. The counts
//! are exact and repeat run to run, unlike times on a shared machine.

use std::hint::black_box;

use api_errors::ApiError;
use api_errors_tests::vendors::{Amperity, Amplemarket};
#[path = "shared/bodies.rs"]
mod bodies;
use bodies::*;

#[api_errors::api_errors(spec = "../tests/specs/identify.yaml")]
pub enum Nested {}

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
