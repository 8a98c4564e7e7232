//! The `Retry-After` header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.

use std::time::{Duration, SystemTime};

/// Parses a `Retry-After` value into how long to wait from `now`.
///
/// Accepts delta-seconds (`"120"`) and an HTTP-date in any of the three formats RFC
/// 9110 requires a recipient to accept (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`, asctime `Sun Nov  6 08:49:37 1994`).
/// A date in the past means "now" (`Duration::ZERO`). Anything else, such as
/// `"soon"`, `"-5"`, `"1.5"` or an empty value, is `None`: the caller falls back to
/// its backoff schedule. A huge delta saturates instead of overflowing; bounding it
/// is the retry policy's job ([`RetryPolicy::max_wait`](crate::RetryPolicy::max_wait)).
pub fn parse_retry_after(value: &[u8], now: SystemTime) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: delta-seconds. Too many digits for u64 is still a (long) delay.
        let secs = text.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<Duration> {
        // 1994-11-06T08:49:00Z
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_740);
        parse_retry_after(s.as_bytes(), now)
    }

    #[test]
    fn delta_seconds() {
        assert_eq!(at("120"), Some(Duration::from_secs(120)));
        assert_eq!(at(" 1 "), Some(Duration::from_secs(1)));
        assert_eq!(at("0"), Some(Duration::ZERO));
        assert_eq!(
            at("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn all_three_date_formats() {
        let want = Some(Duration::from_secs(37));
        assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), want);
        assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), want);
        assert_eq!(at("Sun Nov  6 08:49:37 1994"), want);
    }

    #[test]
    fn past_dates_mean_now() {
        assert_eq!(at("Sat, 05 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            " ",
            "soon",
            "-5",
            "+5",
            "1.5",
            "1e3",
            "Sun, 99 Nov 1994 08:49:37 GMT",
            "٣",
        ] {
            assert_eq!(at(s), None, "{s:?}");
        }
        assert_eq!(parse_retry_after(&[0xff, 0xfe], SystemTime::now()), None);
    }
}
