//! Mailchimp Marketing 3.0, as shared/vendors/mailchimp.md records it: problem+json
//! titles as codes, a throttle hidden in a 400, a permanent 503, 10 connections.

use std::time::Instant;

use api_errors::{ApiError, HoldReason, PaceRequest, Pacer, Retryable};

#[api_errors::api_errors(vendor = "mailchimp")]
pub enum Mailchimp {}

fn problem(status: u16, title: &str, detail: &str) -> String {
    format!(
        r#"{{"type":"https://mailchimp.com/developer/marketing/docs/errors/","title":"{title}","status":{status},"detail":"{detail}","instance":"995c5cb0-3280-4a6e-808b-3b096d0bb219"}}"#
    )
}

fn error(status: u16, title: &str, detail: &str) -> ApiError<Mailchimp> {
    ApiError::from_response(status, &(), problem(status, title, detail).as_bytes())
}

#[test]
fn titles_identify_and_the_throttle_hides_in_a_400() {
    let e = error(
        400,
        "Invalid Resource",
        "The resource submitted could not be validated.",
    );
    assert_eq!(e.kind(), Mailchimp::BadRequest);
    assert_eq!(e.request_id(), Some("995c5cb0-3280-4a6e-808b-3b096d0bb219"));
    let t = error(400, "Invalid Resource", "x@example.com has signed up to a lot of lists very recently; we're not allowing more signups for now");
    assert_eq!(t.kind(), Mailchimp::SignupThrottled);
    assert_eq!(
        error(401, "API Key Invalid", "Your API key may be invalid.").kind(),
        Mailchimp::Unauthorized
    );
    assert_eq!(
        error(
            403,
            "Wrong Datacenter",
            "The API key provided is linked to another datacenter."
        )
        .kind(),
        Mailchimp::Forbidden
    );
    let compliance = error(503, "Compliance Related", "This method has been disabled.");
    assert_eq!(compliance.kind(), Mailchimp::ComplianceRelated);
    assert!(!compliance.retry_hint().is_retryable());
    let busy = error(
        429,
        "Too Many Requests",
        "You have exceeded the limit of 10 simultaneous connections.",
    );
    assert_eq!(busy.kind(), Mailchimp::TooManyRequests);
    assert!(busy.retry_hint().is_retryable());
    let fields = br#"{"title":"Invalid Resource","status":400,"detail":"d","errors":[{"field":"email_address","message":"This value should not be blank."}]}"#;
    let e = ApiError::<Mailchimp>::from_response(400, &(), fields);
    assert!(e.details_json().unwrap().contains("email_address"));
}

#[test]
fn at_most_ten_in_flight() {
    let pacer = Pacer::for_vendor::<Mailchimp>();
    let now = Instant::now();
    let r = PaceRequest::new();
    for _ in 0..10 {
        assert!(pacer.reserve(&r, now).wait.is_zero());
        pacer.start(&r, now);
    }
    assert_eq!(pacer.reserve(&r, now).reason, Some(HoldReason::Concurrency));
}
