use api_errors::{api_errors, ApiError, ApiErrorKind};

// A spec with a problem: its error is the only one, though the code below uses the
// generated items (and the entries that are sound on their own).
#[api_errors(spec = "specs/fallback.yaml")]
pub enum E {}

fn main() {
    let e = E::from_status(404);
    let _ = (e.status(), e.is_retryable(), e.retry_hint(), e.message(), e.advice());
    let _ = (E::from_code("oops"), E::ALL, E::NotFound, E::Oops, E::Unknown(599));
    let _ = ApiError::<E>::from_response(404, &(), b"");
    let _ = <E as ApiErrorKind>::VENDOR;
    println!("{e}");
}
