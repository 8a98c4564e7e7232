//! Each kind of transport failure with its own rule from the spec; `retry:` fills
//! the kinds without one.

use api_errors::{ApiErrorKind, RetryHint, TransportError, TransportKind};

#[api_errors::api_errors(spec = "specs/transport_split.yaml")]
pub enum Split {}

fn hint(kind: TransportKind) -> RetryHint {
    TransportError::new(kind, std::io::Error::other("x")).retry_hint::<Split>()
}

#[test]
fn each_failure_follows_its_own_rule() {
    assert_eq!(hint(TransportKind::Connect), RetryHint::BACKOFF);
    assert_eq!(hint(TransportKind::Reset), RetryHint::IF_IDEMPOTENT);
    assert_eq!(
        hint(TransportKind::Timeout),
        RetryHint::NEVER,
        "from `retry:`"
    );
    assert_eq!(hint(TransportKind::Other), RetryHint::NEVER);
    assert_eq!(Split::TRANSPORT.timeout, Some(RetryHint::NEVER));
}
