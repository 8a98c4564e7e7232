//! End to end for the vendors of issue 8: reqwest against a scripted server on
//! 127.0.0.1 that sends each vendor's real response shapes, driven by nothing but
//! the spec and the library's calls (no per-vendor Rust). Waits on a manual clock.

mod common;

use std::time::Duration;

use api_errors::reqwest::send;
use api_errors::{
    ApiErrorKind, GiveUp, Jitter, ManualClock, PaceRequest, Pacer, RequestError, Retried,
    RetryError, RetryPolicy,
};
use common::{client, serve, Reply, Server};

#[api_errors::api_errors(spec = "openai.yaml")]
pub enum OpenAi {}

#[api_errors::api_errors(spec = "anthropic.yaml")]
pub enum Claude {}

#[api_errors::api_errors(spec = "discord.yaml")]
pub enum Discord {}

#[api_errors::api_errors(spec = "shopify.yaml", api = "rest")]
pub enum ShopifyRest {}

#[api_errors::api_errors(vendor = "github")]
pub enum GitHub {}

#[api_errors::api_errors(vendor = "stripe")]
pub enum Stripe {}

#[api_errors::api_errors(vendor = "slack")]
pub enum Slack {}

#[api_errors::api_errors(vendor = "google", api = "rpc")]
pub enum Google {}

#[api_errors::api_errors(vendor = "gitlab")]
pub enum GitLab {}

#[api_errors::api_errors(vendor = "zendesk")]
pub enum Zendesk {}

#[api_errors::api_errors(vendor = "sendgrid")]
pub enum SendGrid {}

#[api_errors::api_errors(vendor = "plaid")]
pub enum Plaid {}

#[api_errors::api_errors(vendor = "dropbox")]
pub enum Dropbox {}

#[api_errors::api_errors(vendor = "pagerduty", api = "rest")]
pub enum PagerDuty {}

#[api_errors::api_errors(vendor = "mailchimp")]
pub enum Mailchimp {}

#[api_errors::api_errors(vendor = "okta")]
pub enum Okta {}

#[api_errors::api_errors(vendor = "paypal")]
pub enum PayPal {}

#[api_errors::api_errors(vendor = "microsoft-graph")]
pub enum Graph {}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .without_budget()
        .jitter(Jitter::None)
}

type Outcome<K> = Result<Retried<reqwest::Response>, RetryError<RequestError<K>>>;

/// One call through the executor (the test policy, a manual clock) to `server`,
/// with nothing but `send` and the spec's kind `K`: what the tests script around.
async fn call<K: ApiErrorKind>(server: &Server, idempotent: bool) -> (Outcome<K>, ManualClock) {
    let (http, clock) = (client(), ManualClock::new());
    let outcome = policy()
        .retry_async(|| send::<K>(http.post(&server.url)))
        .idempotent(idempotent)
        .sleeper(&clock)
        .call_reported()
        .await;
    (outcome, clock)
}

fn openai_error(kind: &str, code: &str, message: &str) -> String {
    format!(r#"{{"error":{{"message":"{message}","type":"{kind}","param":null,"code":"{code}"}}}}"#)
}

#[tokio::test]
async fn openai_rate_limit_waits_retry_after_ms_then_succeeds() {
    let server = serve(|n, _| match n {
        1 | 2 => Reply::new(429)
            .header("retry-after-ms", "1574")
            .header("retry-after", "2")
            .json(&openai_error(
                "requests",
                "rate_limit_exceeded",
                "Rate limit reached. Please try again in 1.574s.",
            )),
        3 => Reply::new(200).json(r#"{"id":"chatcmpl-1"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<OpenAi>(&server, false).await;
    let done = outcome.unwrap();
    assert_eq!((done.attempts, server.hits()), (3, 3));
    assert_eq!(clock.sleeps(), [Duration::from_millis(1574); 2]);
}

#[tokio::test]
async fn openai_quota_and_too_large_are_not_retried() {
    for (kind, code, message) in [
        (
            "insufficient_quota",
            "insufficient_quota",
            "You exceeded your current quota",
        ),
        (
            "tokens",
            "rate_limit_exceeded",
            "Request too large for gpt-4 on tokens per min",
        ),
    ] {
        let body = openai_error(kind, code, message);
        let server = serve(move |n, _| match n {
            1 => Reply::new(429).json(&body),
            _ => Reply::new(599),
        })
        .await;
        let err = call::<OpenAi>(&server, false).await.0.unwrap_err();
        assert_eq!(server.hits(), 1, "{message}");
        assert!(
            matches!(err.reason, GiveUp::NotRetryable),
            "{:?}",
            err.reason
        );
    }
}

#[tokio::test]
async fn openai_server_says_do_not_retry_a_500() {
    let server = serve(|n, _| match n {
        1 => Reply::new(500)
            .header("x-should-retry", "false")
            .json(&openai_error("server_error", "server_error", "boom")),
        _ => Reply::new(599),
    })
    .await;
    let err = call::<OpenAi>(&server, false).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn anthropic_529_backs_off_from_half_a_second() {
    let server = serve(|n, _| match n {
        1 | 2 => Reply::new(529)
            .header("request-id", "req_1")
            .json(r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#),
        3 => Reply::new(200).json(r#"{"type":"message"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Claude>(&server, false).await;
    let done = outcome.unwrap();
    assert_eq!(done.attempts, 3);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(500), Duration::from_secs(1)]
    );
}

#[tokio::test]
async fn discord_waits_the_bodys_precise_retry_after() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "65")
            .header("x-ratelimit-scope", "user")
            .json(
                r#"{"message":"You are being rate limited.","retry_after":6.457,"global":false}"#,
            ),
        2 => Reply::new(200),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Discord>(&server, false).await;
    let _ = outcome.unwrap().value;
    assert_eq!(clock.sleeps(), [Duration::from_millis(6457)]);
}

#[tokio::test]
async fn shopify_rest_reads_a_decimal_retry_after_and_stops_on_783() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "2.0")
            .json(r#"{"errors":"Exceeded 2 calls per second for api client."}"#),
        2 => Reply::new(783).json(r#"{"errors":"JSON syntax error"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<ShopifyRest>(&server, false).await;
    let err = outcome.unwrap_err();
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(2)],
        "2.0 is two seconds, not 2 ms"
    );
    let Some(RequestError::Api(api)) = err.error else {
        panic!("an API error")
    };
    assert_eq!(
        (api.kind(), server.hits()),
        (ShopifyRest::JsonSyntaxError, 2)
    );
    assert_eq!(
        api.body_snippet(),
        Some(r#"{"errors":"JSON syntax error"}"#),
        "no body declared: kept"
    );
}

#[api_errors::api_errors(spec = "shopify.yaml", api = "graphql")]
pub enum ShopifyGraphql {}

#[tokio::test]
async fn shopify_graphql_throttled_in_a_200_is_retried_and_the_answer_comes_back_whole() {
    let throttled = r#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":101,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":50,"restoreRate":50.0}}}}"#;
    let answer = r#"{"data":{"shop":{"name":"Snowdevil"}}}"#;
    let server = serve(move |n, _| match n {
        1 => Reply::new(200).header("x-request-id", "r1").json(throttled),
        2 => Reply::new(200).header("x-request-id", "r2").json(answer),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<ShopifyGraphql>(&server, false).await;
    let response = outcome.unwrap().value;
    assert_eq!(server.hits(), 2);
    assert_eq!(clock.sleeps().len(), 1, "THROTTLED is retried");
    assert_eq!(response.status(), 200);
    assert_eq!(response.url().as_str(), server.url, "the URL is kept");
    assert_eq!(response.headers()["x-request-id"], "r2");
    assert_eq!(
        response.text().await.unwrap(),
        answer,
        "the body read once is not lost"
    );
}

#[tokio::test]
async fn a_success_larger_than_the_bound_is_given_back_whole() {
    let big = format!(r#"{{"data":"{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let expected = big.clone();
    let server = serve(move |n, _| match n {
        1 => Reply::new(200).json(&big),
        _ => Reply::new(599),
    })
    .await;
    let response = api_errors::reqwest::check::<ShopifyGraphql>(
        client().get(&server.url).send().await.unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.text().await.unwrap(), expected);
}

#[api_errors::api_errors(spec = "twilio.yaml")]
pub enum Twilio {}

#[api_errors::api_errors(spec = "aws-dynamodb.yaml")]
pub enum Dynamo {}

#[api_errors::api_errors(spec = "jira.yaml")]
pub enum Jira {}

#[tokio::test]
async fn twilio_concurrency_429_backs_off_and_a_post_500_is_not_retried() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429).json(r#"{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"#),
        2 => Reply::new(500).json(r#"{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Twilio>(&server, false).await;
    let err = outcome.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (2, 2));
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(1)],
        "backoff, no Retry-After"
    );
    assert!(
        matches!(err.reason, GiveUp::NotIdempotent),
        "{:?}",
        err.reason
    );
}

#[tokio::test]
async fn dynamodb_throttling_on_400_is_retried_by_its_header_identity() {
    let server = serve(|n, _| match n {
        1 => Reply::new(400)
            .header("x-amzn-errortype", "ProvisionedThroughputExceededException:http://internal.amazon.com/coral/com.amazonaws.dynamodb/")
            .header("x-amzn-requestid", "R1")
            .json(r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate of requests exceeds the allowed throughput."}"#),
        2 => Reply::new(400)
            .header("x-amzn-requestid", "R2")
            .json(r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#),
        _ => Reply::new(599),
    })
    .await;
    let err = call::<Dynamo>(&server, false).await.0.unwrap_err();
    assert_eq!(server.hits(), 2);
    let Some(RequestError::Api(api)) = err.error else {
        panic!("an API error")
    };
    assert_eq!(
        (api.kind(), api.request_id()),
        (Dynamo::ConditionalCheckFailedException, Some("R2"))
    );
    assert!(matches!(err.reason, GiveUp::NotRetryable));
}

#[tokio::test]
async fn jira_429_waits_retry_after_for_an_idempotent_call() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "7")
            .header("ratelimit-reason", "jira-burst-based")
            .json(r#"{"errorMessages":["Rate limit exceeded."],"errors":{}}"#),
        2 => Reply::new(200).json(r#"{"id":"10000"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Jira>(&server, true).await;
    let done = outcome.unwrap();
    assert_eq!(
        (done.attempts, clock.sleeps()),
        (2, vec![Duration::from_secs(7)])
    );
    // Not marked idempotent: the docs' pseudo-code makes no retries.
    let server = serve(|n, _| match n {
        1 => Reply::new(429).header("retry-after", "7"),
        _ => Reply::new(599),
    })
    .await;
    let err = call::<Jira>(&server, false).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn github_403_rate_limit_waits_and_a_permission_403_is_not_retried() {
    let server = serve(|n, _| match n {
        1 => Reply::new(403)
            .header("x-ratelimit-remaining", "0")
            .header("retry-after", "5")
            .json(r#"{"message":"API rate limit exceeded","documentation_url":"https://docs.github.com/rest"}"#),
        2 => Reply::new(200).json(r#"{"id":1}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<GitHub>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(5)]);

    let server = serve(|_, _| {
        Reply::new(403)
            .header("x-ratelimit-remaining", "4999")
            .json(r#"{"message":"Must have admin rights to Repository."}"#)
    })
    .await;
    let err = call::<GitHub>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    let Some(RequestError::Api(e)) = err.last_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), GitHub::Forbidden);
}

#[tokio::test]
async fn stripe_lock_timeout_waits_at_least_retry_after_and_a_500_needs_a_key_or_the_server() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "2")
            .json(r#"{"error":{"type":"invalid_request_error","code":"lock_timeout","message":"This object cannot be accessed right now"}}"#),
        2 => Reply::new(200).json(r#"{"id":"ch_1"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (http, clock) = (client(), ManualClock::new());
    let done = RetryPolicy::for_vendor::<Stripe>()
        .without_budget()
        .seed(7)
        .retry_async(|| send::<Stripe>(http.post(&server.url)))
        .sleeper(&clock)
        .call_reported()
        .await
        .unwrap();
    assert_eq!(
        (done.attempts, clock.sleeps()),
        (2, vec![Duration::from_secs(2)])
    );

    // A POST's 500 without an idempotency key: not retried ...
    let server = serve(|_, _| Reply::new(500).json(r#"{"error":{"type":"api_error"}}"#)).await;
    let err = call::<Stripe>(&server, false).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    // ... unless Stripe-Should-Retry says it may be.
    let server = serve(|n, _| match n {
        1 => Reply::new(500)
            .header("stripe-should-retry", "true")
            .json(r#"{"error":{"type":"api_error"}}"#),
        _ => Reply::new(200),
    })
    .await;
    let (outcome, _) = call::<Stripe>(&server, false).await;
    assert_eq!((outcome.unwrap().attempts, server.hits()), (2, 2));
}

#[tokio::test]
async fn slack_errors_in_a_200_and_its_real_429() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "3")
            .json(r#"{"ok":false,"error":"ratelimited"}"#),
        2 => Reply::new(200).json(r#"{"ok":false,"error":"internal_error"}"#),
        3 => Reply::new(200).json(r#"{"ok":true,"ts":"1.2"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Slack>(&server, true).await;
    let done = outcome.unwrap();
    assert_eq!((done.attempts, server.hits()), (3, 3));
    assert_eq!(
        done.value.text().await.unwrap(),
        r#"{"ok":true,"ts":"1.2"}"#
    );
    // 3 s as Retry-After says, then the schedule at its second retry (2 s).
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(3), Duration::from_secs(2)]
    );

    let server = serve(|_, _| Reply::new(200).json(r#"{"ok":false,"error":"invalid_auth"}"#)).await;
    let err = call::<Slack>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    assert!(matches!(err.reason, GiveUp::NotRetryable));
}

#[tokio::test]
async fn google_unavailable_waits_at_least_the_retry_delay() {
    let unavailable = r#"{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3.5s"}]}}"#;
    let server = serve(move |n, _| match n {
        1 => Reply::new(503).json(unavailable),
        2 => Reply::new(200).json("{}"),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Google>(&server, true).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_millis(3500)]);
    // Not safe to repeat: not retried.
    let server = serve(move |_, _| Reply::new(503).json(unavailable)).await;
    let err = call::<Google>(&server, false).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    assert!(matches!(err.reason, GiveUp::NotIdempotent));
}

#[tokio::test]
async fn gitlab_plain_text_429_waits_retry_after_then_succeeds() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "3")
            .header("ratelimit-remaining", "0"),
        2 => Reply::new(200).json(r#"{"id":7}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<GitLab>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    // A 404 (not found, or no access) is not retried.
    let server = serve(|_, _| Reply::new(404).json(r#"{"message":"404 Project Not Found"}"#)).await;
    let err = call::<GitLab>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn zendesk_503_with_retry_after_is_retried_and_without_is_not() {
    let server = serve(|n, _| match n {
        1 => Reply::new(503).header("retry-after", "4"),
        2 => Reply::new(200).json(r#"{"ticket":{"id":1}}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Zendesk>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(4)]);
    let server = serve(|_, _| Reply::new(503)).await;
    let err = call::<Zendesk>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn sendgrid_spent_credits_are_not_retried_and_a_429_waits_for_the_reset() {
    let server = serve(|_, _| {
        Reply::new(401).json(r#"{"errors":[{"field":null,"message":"Maximum credits exceeded"}]}"#)
    })
    .await;
    let err = call::<SendGrid>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    let Some(RequestError::Api(e)) = err.last_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), SendGrid::CreditsExceeded);
    // A 429 whose reset is in the past: retried at once (the reset is "now").
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("x-ratelimit-reset", "1")
            .json(r#"{"errors":[{"field":null,"message":"too many requests"}]}"#),
        _ => Reply::new(202),
    })
    .await;
    let (outcome, clock) = call::<SendGrid>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert!(clock.sleeps().is_empty(), "no wait: {:?}", clock.sleeps());
}

#[tokio::test]
async fn plaid_a_bank_not_responding_is_retried_and_a_login_required_is_not() {
    let server = serve(|n, _| match n {
        1 => Reply::new(400).json(r#"{"error_type":"INSTITUTION_ERROR","error_code":"INSTITUTION_NOT_RESPONDING","error_message":"m","request_id":"r1"}"#),
        2 => Reply::new(200).json(r#"{"accounts":[]}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Plaid>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    let server = serve(|_, _| Reply::new(400).json(r#"{"error_type":"ITEM_ERROR","error_code":"ITEM_LOGIN_REQUIRED","error_message":"m","request_id":"r2"}"#)).await;
    let err = call::<Plaid>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn dropbox_429_waits_the_bodys_retry_after() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "9")
            .json(r#"{"error_summary":"too_many_requests/","error":{"reason":{".tag":"too_many_requests"},"retry_after":2}}"#),
        2 => Reply::new(200).json(r#"{"name":"a.txt"}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Dropbox>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn pagerduty_429_waits_its_reset_and_a_400_is_never_retried() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("ratelimit-reset", "6")
            .header("ratelimit-remaining", "0")
            .json(r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#),
        2 => Reply::new(200).json(r#"{"incidents":[]}"#),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<PagerDuty>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(6)]);
    let server = serve(|_, _| {
        Reply::new(400).json(r#"{"error":{"message":"Invalid Input Provided","code":2001}}"#)
    })
    .await;
    let err = call::<PagerDuty>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn mailchimp_too_many_connections_backs_off_and_a_disabled_method_is_not_retried() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429).json(r#"{"title":"Too Many Requests","status":429,"detail":"You have exceeded the limit of 10 simultaneous connections."}"#),
        2 => Reply::new(200).json("{}"),
        _ => Reply::new(599),
    })
    .await;
    let (outcome, clock) = call::<Mailchimp>(&server, false).await;
    assert_eq!(outcome.unwrap().attempts, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    let server = serve(|_, _| Reply::new(503).json(r#"{"title":"Compliance Related","status":503,"detail":"This method has been disabled."}"#)).await;
    let err = call::<Mailchimp>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
}

#[tokio::test]
async fn okta_a_feature_not_enabled_401_is_not_retried_and_an_invalid_token_is_refreshed() {
    let server = serve(|_, _| Reply::new(401).json(r#"{"errorCode":"E0000015","errorSummary":"You do not have permission to access the feature you are requesting","errorId":"x"}"#)).await;
    let err = call::<Okta>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    let server = serve(|n, _| match n {
        1 => Reply::new(401).json(
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorId":"y"}"#,
        ),
        _ => Reply::new(200).json("{}"),
    })
    .await;
    let http = client();
    let done = policy()
        .retry_async(|| send::<Okta>(http.get(&server.url)))
        .reauthenticate(|_| async { Ok(()) })
        .sleeper(ManualClock::new())
        .call_reported()
        .await
        .unwrap();
    assert_eq!(done.attempts, 2);
}

#[tokio::test]
async fn paypal_a_500_is_retried_only_with_the_same_request_id() {
    let reply = || {
        Reply::new(500).json(r#"{"name":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred.","debug_id":"d9"}"#)
    };
    let server = serve(move |_, _| reply()).await;
    let err = call::<PayPal>(&server, false).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    let server = serve(move |n, _| {
        if n == 1 {
            reply()
        } else {
            Reply::new(201).json(r#"{"id":"o1"}"#)
        }
    })
    .await;
    let (outcome, _) = call::<PayPal>(&server, true).await;
    assert_eq!(outcome.unwrap().attempts, 2);
}

#[tokio::test]
async fn graph_waits_retry_after_then_backs_off_a_bare_503_and_never_repeats_a_resync() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("Retry-After", "5")
            .header("request-id", "r-1")
            .json(r#"{"error":{"code":"activityLimitReached","message":"Throttled","innerError":{"code":"throttledRequest","request-id":"r-1"}}}"#),
        2 => Reply::new(503).json(r#"{"error":{"code":"serviceNotAvailable","message":"Try later"}}"#),
        3 => Reply::new(200).json(r#"{"value":[]}"#),
        _ => Reply::new(599),
    })
    .await;
    // Through the executor with the spec's pacer (2,000 a second per app).
    let (http, clock) = (client(), ManualClock::new());
    let done = policy()
        .pacer(Pacer::for_vendor::<Graph>())
        .retry_async(|| send::<Graph>(http.get(&server.url)))
        .pace(PaceRequest::new())
        .sleeper(&clock)
        .call_reported()
        .await
        .unwrap();
    assert_eq!((done.attempts, server.hits()), (3, 3));
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(5), Duration::from_secs(2)]
    );

    let server = serve(|_, _| {
        Reply::new(410).json(r#"{"error":{"code":"resyncRequired","message":"Resync required","innererror":{"code":"resyncApplyDifferences"}}}"#)
    })
    .await;
    let err = call::<Graph>(&server, true).await.0.unwrap_err();
    assert_eq!((server.hits(), err.attempts), (1, 1));
    let Some(RequestError::Api(e)) = err.last_error() else {
        panic!("{err:?}");
    };
    assert_eq!(e.kind(), Graph::ResyncRequired);
    assert_eq!(e.code(), Some("resyncApplyDifferences"));
}

/// Graph's `$batch` over real HTTP: a 200 whose items fail one by one. The items whose
/// errors are retryable, and only those, go again after the longest of their waits;
/// the server answers the second batch only when it carries exactly those ids.
#[tokio::test]
async fn graph_batch_items_are_resent_by_their_own_guidance() {
    let server = serve(|n, headers| match n {
        1 => Reply::new(200).json(
            r#"{"responses":[
              {"id":"1","status":200,"body":{"id":"a"}},
              {"id":"2","status":429,"headers":{"Retry-After":"10"},
               "body":{"error":{"code":"activityLimitReached","message":"Throttled"}}},
              {"id":"3","status":503,"headers":{"Retry-After":"4"},
               "body":{"error":{"code":"serviceNotAvailable","message":"Later"}}},
              {"id":"4","status":424,"body":{"error":{"code":"","message":"Depends on 5"}}},
              {"id":"5","status":410,"body":{"error":{"code":"resyncRequired","message":"Resync"}}}
            ]}"#,
        ),
        2 if headers.get("x-batch-ids").is_some_and(|v| v == "2,3") => Reply::new(200).json(
            r#"{"responses":[{"id":"2","status":200,"body":{}},{"id":"3","status":201,"body":{}}]}"#,
        ),
        _ => Reply::new(599),
    })
    .await;
    let http = client();
    let post = |ids: &str| {
        http.post(format!("{}v1.0/$batch", server.url))
            .header("x-batch-ids", ids)
            .send()
    };

    let first = post("1,2,3,4,5").await.unwrap();
    assert_eq!(first.status(), 200);
    let items =
        api_errors::ApiError::<Graph>::from_batch(&first.bytes().await.unwrap()).expect("a batch");
    let retryable: Vec<_> = items.iter().filter(|i| i.is_retryable()).collect();
    let ids: Vec<_> = retryable.iter().filter_map(|i| i.id.as_deref()).collect();
    let wait = retryable
        .iter()
        .filter_map(|i| i.error.as_ref()?.retry_after())
        .max();
    assert_eq!(ids, ["2", "3"]);
    assert_eq!(wait, Some(Duration::from_secs(10)));
    let kinds: Vec<_> = items[3..]
        .iter()
        .map(|i| i.error.as_ref().map(|e| e.kind()))
        .collect();
    assert_eq!(
        kinds,
        [Some(Graph::FailedDependency), Some(Graph::ResyncRequired)]
    );

    let again = post(&ids.join(",")).await.unwrap();
    let items = api_errors::ApiError::<Graph>::from_batch(&again.bytes().await.unwrap()).unwrap();
    assert!(items.iter().all(|i| i.is_success()));
    assert_eq!(server.hits(), 2);
}
