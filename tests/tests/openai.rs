//! OpenAI, as shared/vendors/openai.md records it.

use std::time::Duration;

use api_errors::{ApiError, GiveUp, Jitter, ManualClock, RetryPolicy, Retryable};

#[api_errors::api_errors(spec = "openai.yaml")]
pub enum OpenAi {}

fn err(
    status: u16,
    headers: &[(&str, &str)],
    kind: &str,
    code: Option<&str>,
    message: &str,
) -> ApiError<OpenAi> {
    let code = code.map_or("null".into(), |c| format!("\"{c}\""));
    let body = format!(
        r#"{{"error":{{"message":"{message}","type":"{kind}","param":null,"code":{code}}}}}"#
    );
    ApiError::from_response(status, headers, body.as_bytes())
}

#[test]
fn one_429_three_retry_classes() {
    let rate = err(
        429,
        &[],
        "requests",
        Some("rate_limit_exceeded"),
        "Rate limit reached for requests. Please try again in 1.574s.",
    );
    assert_eq!(rate.kind(), OpenAi::RateLimitExceeded);
    assert!(rate.retry_hint().is_retryable());
    let large = err(
        429,
        &[],
        "tokens",
        Some("rate_limit_exceeded"),
        "Request too large for gpt-4 on tokens per min (TPM)",
    );
    assert_eq!(large.kind(), OpenAi::RequestTooLarge);
    assert!(!large.retry_hint().is_retryable());
    let quota = err(
        429,
        &[],
        "insufficient_quota",
        Some("insufficient_quota"),
        "You exceeded your current quota",
    );
    assert_eq!(quota.kind(), OpenAi::InsufficientQuota);
    for code in [
        "credit_balance_exhausted",
        "organization_spend_limit_exceeded",
        "project_spend_limit_exceeded",
        "organization_usage_limit_exceeded",
    ] {
        let e = err(429, &[], "insufficient_quota", Some(code), "limit");
        assert!(!e.retry_hint().is_retryable(), "{code}");
    }
    assert_eq!(quota.member("param"), None, "param is null");
}

#[test]
fn two_503s() {
    assert_eq!(
        err(
            503,
            &[],
            "server_error",
            None,
            "That model is currently overloaded"
        )
        .kind(),
        OpenAi::EngineOverloaded
    );
    let slow = err(503, &[], "server_error", None, "Slow Down");
    assert_eq!(slow.kind(), OpenAi::SlowDown);
    assert_eq!(slow.retry_hint().min_wait(), Some(Duration::from_secs(900)));
}

#[test]
fn waits_and_the_server_override() {
    let e = err(
        429,
        &[("retry-after", "3"), ("retry-after-ms", "1574")],
        "requests",
        Some("rate_limit_exceeded"),
        "m",
    );
    assert_eq!(
        e.retry_after(),
        Some(Duration::from_millis(1574)),
        "retry-after-ms first"
    );
    let e = err(
        500,
        &[("x-should-retry", "false")],
        "server_error",
        None,
        "m",
    );
    assert!(!e.retry_hint().is_retryable());
    let e = err(
        400,
        &[("x-should-retry", "true")],
        "invalid_request_error",
        None,
        "m",
    );
    assert!(e.retry_hint().is_retryable());
}

fn sleeps(e: ApiError<OpenAi>, idempotent: bool) -> (Vec<Duration>, GiveUp) {
    let clock = ManualClock::new();
    let err = RetryPolicy::default()
        .without_budget()
        .jitter(Jitter::None)
        .retry(|| Err::<(), _>(e.clone()))
        .idempotent(idempotent)
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    (clock.sleeps(), err.reason)
}

#[test]
fn the_sdk_schedule_and_long_waits() {
    // min(0.5 * 2^n, 8) s: 0.5 s, then 1 s (three attempts in all).
    let (s, _) = sleeps(err(500, &[], "server_error", None, "m"), false);
    assert_eq!(s, [Duration::from_millis(500), Duration::from_secs(1)]);
    // A server wait above the policy's 60 s is not used: back off instead.
    let (s, _) = sleeps(
        err(
            429,
            &[("retry-after", "3600")],
            "requests",
            Some("rate_limit_exceeded"),
            "m",
        ),
        false,
    );
    assert_eq!(s, [Duration::from_millis(500), Duration::from_secs(1)]);
    // "Slow Down": at least 15 minutes, above the policy's maximum: give up.
    let (s, why) = sleeps(err(503, &[], "server_error", None, "Slow Down"), false);
    assert!(
        s.is_empty() && matches!(why, GiveUp::WaitTooLong { .. }),
        "{why:?}"
    );
}

#[test]
fn the_sdk_defaults_are_the_policys_start() {
    // openai-python and openai-node: 3 attempts, min(0.5 s x 2^n, 8 s) minus up to
    // 25 %, a server wait up to 60 s (node backs off above it).
    let s = RetryPolicy::for_vendor::<OpenAi>().settings();
    assert_eq!(s.max_attempts, 3);
    assert_eq!(
        s.backoff,
        (Duration::from_millis(500), Duration::from_secs(8))
    );
    assert_eq!(s.jitter, Jitter::factor(0.75, 1.0));
    assert_eq!(s.max_wait, Some(Duration::from_secs(60)));
    assert_eq!(s.long_wait, api_errors::LongWait::Backoff);
}
