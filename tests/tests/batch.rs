//! `batch:` read from a spec: a 2xx whose body lists its requests' responses, split
//! into items, each error typed from the item's own status, headers and body.

use std::time::Duration;

use api_errors::{api_errors, ApiError, ApiErrorKind, Retryable};

#[api_errors(spec = "specs/batch.yaml")]
pub enum Bulk {}

#[api_errors(spec = "specs/success_errors.yaml")]
pub enum NoBatch {}

const BODY: &[u8] = br#"[
  {"ref": 1, "meta": {"code": 200}, "payload": {"id": "a"}},
  {"ref": 2, "meta": {"code": 200}, "payload": {"code": "partial_failure", "message": "half"}},
  {"ref": 3, "meta": {"code": "429", "headers": [{"name": "Retry-After", "value": 12}]},
   "payload": "{\"message\":\"slow\"}"},
  {"ref": 4, "meta": {"code": 503}, "payload": {"code": "busy"}},
  {"ref": 5, "meta": {"code": 404}},
  {"ref": 6, "meta": {"code": "soon"}, "payload": {"code": "busy"}},
  {"ref": 7, "meta": {"code": 304}}
]"#;

#[test]
fn every_item_is_kept_in_order_with_its_error_typed_as_if_alone() {
    let items = ApiError::<Bulk>::from_batch(BODY).expect("the body is a batch");
    let ids: Vec<_> = items.iter().map(|i| i.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);

    assert!(items[0].is_success());
    assert_eq!(items[0].body, br#"{"id":"a"}"#);

    // A 2xx item with an error in it: errors_in_success, as from_success reads it.
    let partial = items[1].error.as_ref().expect("an error inside a 2xx item");
    assert_eq!(partial.kind(), Bulk::PartialFailure);
    assert_eq!(partial.message(), Some("half"));
    assert!(!items[1].is_success());

    // The item's own header and its string body.
    let throttled = items[2].error.as_ref().unwrap();
    assert_eq!(throttled.kind(), Bulk::TooManyRequests);
    assert_eq!(throttled.retry_after(), Some(Duration::from_secs(12)));
    assert_eq!(throttled.message(), Some("slow"));
    assert_eq!(
        items[2].headers,
        [("Retry-After".to_string(), "12".to_string())]
    );

    let busy = items[3].error.as_ref().unwrap();
    assert_eq!(busy.kind(), Bulk::Busy);
    assert!(busy.retry_hint().is_retryable());

    // No body at all: identified by the status.
    assert_eq!(items[4].error.as_ref().unwrap().kind(), Bulk::NotFound);
    assert!(items[4].body.is_empty());

    // A status that is not one: kept, with nothing made of it.
    assert_eq!(items[5].status, None);
    assert!(items[5].error.is_none() && !items[5].is_success());
    // A 304 is neither an error nor a success.
    assert!(items[6].error.is_none() && !items[6].is_success());

    // What to resend: the retryable ones.
    let resend: Vec<_> = items
        .iter()
        .filter(|i| i.is_retryable())
        .filter_map(|i| i.id.as_deref())
        .collect();
    assert_eq!(resend, ["3", "4"]);
}

#[test]
fn a_body_that_is_not_a_batch_and_a_spec_without_one_give_none() {
    assert!(Bulk::BATCH.is_some() && NoBatch::BATCH.is_none());
    assert!(ApiError::<NoBatch>::from_batch(BODY).is_none());
    for body in [&b""[..], b"{}", b"[1", br#"{"items": []}"#] {
        assert!(ApiError::<Bulk>::from_batch(body).is_none(), "{body:?}");
    }
    assert_eq!(ApiError::<Bulk>::from_batch(b"[]").unwrap().len(), 0);
    // Items that are not objects are kept, each with nothing in it.
    let odd = ApiError::<Bulk>::from_batch(b"[1, null]").unwrap();
    assert!(odd.iter().all(|i| i.status.is_none() && i.id.is_none()));
}

#[test]
fn a_body_over_the_parse_limit_is_not_read() {
    let mut big = b"[".to_vec();
    big.extend(std::iter::repeat_n(b' ', 1 << 20));
    big.push(b']');
    assert!(ApiError::<Bulk>::from_batch(&big).is_none());
}
