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

#[api_errors::api_errors(spec = "specs/root_array.yaml")]
pub enum RootArray {}

#[api_errors::api_errors(vendor = "github")]
pub enum GitHub {}

#[api_errors::api_errors(spec = "specs/validation.yaml")]
pub enum Validation {}

/// What a careful human writes for GitHub's 403 and 5xx, by status, header and
/// message, with a `match`.
#[inline(never)]
fn select_by_hand(status: u16, headers: &[(&str, &str)], message: Option<&str>) -> GitHub {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    match status {
        403 if header("x-ratelimit-remaining") == Some("0") => GitHub::PrimaryRateLimit,
        403 if message.is_some_and(|m| m.contains("secondary rate limit")) => {
            GitHub::SecondaryRateLimit
        }
        403 => GitHub::Forbidden,
        400 => GitHub::BadRequest,
        401 => GitHub::Unauthorized,
        404 => GitHub::NotFound,
        422 => GitHub::UnprocessableEntity,
        429 => GitHub::RateLimited,
        500..=599 => GitHub::ServerError,
        s => GitHub::Unknown(s),
    }
}

/// The library's selection: the spec's matchers (status sets, header conditions,
/// message text), then `from_status` (statuses, then ranges), as `from_response`
/// runs them.
#[inline(never)]
fn select_by_spec(status: u16, headers: &[(&str, &str)], message: Option<&str>) -> GitHub {
    use api_errors::ApiErrorKind;
    GitHub::MATCHERS
        .iter()
        .find(|m| m.matches(Some(status), std::iter::empty(), None, message, headers))
        .map(|m| m.kind())
        .unwrap_or_else(|| GitHub::from_status(status))
}

/// The selection cases: a spent primary limit, a secondary one, a plain 403, a 520.
type Response = (
    u16,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);
const SELECT: [Response; 4] = [
    (
        403,
        &[("x-ratelimit-remaining", "0")],
        Some("API rate limit exceeded"),
    ),
    (
        403,
        &[("x-ratelimit-remaining", "17")],
        Some("You have exceeded a secondary rate limit"),
    ),
    (
        403,
        &[("x-ratelimit-remaining", "17")],
        Some("Must have admin rights"),
    ),
    (520, &[], None),
];

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
            "rootarray-serde" => drop(black_box(serde_json::from_slice::<Vec<RootArrayItem>>(
                black_box(ROOT_ARRAY),
            ))),
            "rootarray-ours" => drop(black_box(ApiError::<RootArray>::from_response(
                403,
                &(),
                black_box(ROOT_ARRAY),
            ))),
            "validation-serde" => drop(black_box(serde_json::from_slice::<ValidationBody>(
                black_box(VALIDATION),
            ))),
            "validation-ours" => drop(black_box(ApiError::<Validation>::from_response(
                422,
                &(),
                black_box(VALIDATION),
            ))),
            "select-hand" => {
                for (s, h, m) in black_box(SELECT) {
                    black_box(select_by_hand(s, h, m));
                }
            }
            "select-ours" => {
                for (s, h, m) in black_box(SELECT) {
                    black_box(select_by_spec(s, h, m));
                }
            }
            "--bench" => return, // `cargo bench` runs every bench target: nothing to do here
            other => panic!("unknown case {other:?}"),
        }
    }
}
