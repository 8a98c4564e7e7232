//! PayPal REST, as shared/vendors/paypal.md records it: `name` codes, the OAuth
//! dialect, a declined capture inside a 200, 5xx retried only with the same request id.

use api_errors::{ApiError, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "paypal")]
pub enum PayPal {}

#[test]
fn names_dialects_and_idempotent_server_errors() {
    let body = br#"{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed.","debug_id":"d1","details":[{"field":"/purchase_units/0","issue":"DUPLICATE_INVOICE_ID","description":"Duplicate Invoice ID detected."}]}"#;
    let e = ApiError::<PayPal>::from_response(422, &(), body);
    assert_eq!(e.kind(), PayPal::UnprocessableEntity);
    assert_eq!(e.request_id(), Some("d1"));
    assert_eq!(e.member("issue"), Some("DUPLICATE_INVOICE_ID"));
    let oauth = ApiError::<PayPal>::from_response(
        401,
        &(),
        br#"{"error":"invalid_client","error_description":"Client Authentication failed"}"#,
    );
    assert_eq!(oauth.kind(), PayPal::AuthenticationFailure);
    assert_eq!(oauth.retry_hint().when(), RetryWhen::AfterReauthentication);
    for status in [500, 503] {
        let e = ApiError::<PayPal>::from_response(status, &[("Paypal-Debug-Id", "h1")], b"");
        assert_eq!(e.retry_hint().when(), RetryWhen::IfIdempotent, "{status}");
        assert_eq!(e.request_id(), Some("h1"));
    }
    let dup = ApiError::<PayPal>::from_response(
        409,
        &(),
        br#"{"name":"DUPLICATE_REQUEST_ID","message":"m","debug_id":"d2"}"#,
    );
    assert_eq!(dup.kind(), PayPal::DuplicateRequestId);
    assert!(!dup.retry_hint().is_retryable());
}

#[test]
fn a_declined_capture_inside_a_200() {
    let declined = br#"{"id":"c1","status":"DECLINED","processor_response":{"response_code":"5120","payment_advice_code":"21"}}"#;
    let e = ApiError::<PayPal>::from_success(201, &(), declined)
        .expect("a declined capture is an error");
    assert_eq!(e.kind(), PayPal::CaptureDeclined);
    assert!(!e.retry_hint().is_retryable());
    assert!(
        ApiError::<PayPal>::from_success(201, &(), br#"{"id":"c2","status":"COMPLETED"}"#)
            .is_none()
    );
}
