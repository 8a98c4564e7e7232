//! AWS JSON protocol / DynamoDB, as shared/vendors/aws-json.md records it.

use api_errors::ApiError;

#[api_errors::api_errors(spec = "aws-dynamodb.yaml")]
pub enum Dynamo {}

#[test]
fn identity_from_the_header_first_then_code_then_type_cleaned() {
    let header = [("X-Amzn-Errortype", "ProvisionedThroughputExceededException:http://internal.amazon.com/coral/com.amazonaws.dynamodb/"), ("x-amzn-RequestId", "R1")];
    let e = ApiError::<Dynamo>::from_response(
        400,
        &header,
        br#"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"decoy"}"#,
    );
    assert_eq!(e.kind(), Dynamo::Throttling, "the header wins");
    assert!(e.kind().is_retryable());
    assert_eq!(
        (e.code(), e.request_id()),
        (Some("ProvisionedThroughputExceededException"), Some("R1"))
    );

    let e = ApiError::<Dynamo>::from_response(400, &(), br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","Message":"Requested resource not found"}"#);
    assert_eq!(e.kind(), Dynamo::ResourceNotFoundException);
    assert!(!e.kind().is_retryable());
    assert_eq!(
        e.message(),
        Some("Requested resource not found"),
        "`Message` as well as `message`"
    );

    let e = ApiError::<Dynamo>::from_response(
        400,
        &(),
        br#"{"code":"ThrottlingException","__type":"x#ValidationException"}"#,
    );
    assert_eq!(e.kind(), Dynamo::Throttling, "`code` before `__type`");
}

#[test]
fn an_unidentified_400_is_not_retried_and_keeps_its_text() {
    let e = ApiError::<Dynamo>::from_response(400, &(), b"<html>bad</html>");
    assert_eq!(e.kind(), Dynamo::ValidationException);
    assert_eq!(e.body_snippet(), Some("<html>bad</html>"));
    // A header alone identifies it, and the body's text is still kept.
    let e = ApiError::<Dynamo>::from_response(
        400,
        &[("X-Amzn-Errortype", "ThrottlingException")],
        b"<html>slow</html>",
    );
    assert_eq!(e.kind(), Dynamo::Throttling);
    assert_eq!(e.body_snippet(), Some("<html>slow</html>"));
}

#[test]
fn a_500_is_retried_only_when_idempotent() {
    assert_eq!(
        Dynamo::InternalServerError.retry_hint().when(),
        api_errors::RetryWhen::IfIdempotent
    );
    assert!(Dynamo::ServiceUnavailable.is_retryable());
}
