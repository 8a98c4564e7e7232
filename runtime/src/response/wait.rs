//! Where a server says how long to wait, and the formats it says it in.
//!
//! A spec lists its vendor's wait sources in order (`waits:`); the first one present
//! and readable gives the wait. Every parser here returns `None` for anything it
//! cannot read (the next source is tried, then the policy's backoff), never panics,
//! and saturates rather than overflows: bounding a wait is the retry policy's job.

use std::time::{Duration, SystemTime};

use crate::response::body::MemberPath;

/// How a wait is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitFormat {
    /// Seconds from now, whole or decimal (`2`, `1.574`).
    Seconds,
    /// Milliseconds from now, whole or decimal (`retry-after-ms: 1500`).
    Milliseconds,
    /// `Retry-After` as RFC 9110 defines it: delta-seconds or an HTTP-date. (Decimal
    /// seconds are read too, as some vendors send `2.0`.)
    HttpRetryAfter,
    /// A Unix time in seconds, whole or decimal, at which to retry (`1700000000.5`).
    EpochSeconds,
    /// An RFC 3339 / ISO 8601 date-time at which to retry (`2026-11-22T10:00:05Z`,
    /// `2026-11-22T10:00+01:00`: seconds and fractions optional).
    Timestamp,
    /// A Go-style duration from now (`6m0s`, `1.5s`, `12ms`, `1h2m3.5s`).
    GoDuration,
}

/// Where a wait is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitFrom {
    /// A response header (matched case-insensitively).
    Header(&'static str),
    /// A member of the error body (`object` bodies).
    Body(MemberPath),
}

/// One place a server states a wait, as a spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct WaitSource {
    /// Where the value is.
    pub from: WaitFrom,
    /// How it is written.
    pub format: WaitFormat,
    /// Read it only when this header has this value (`x-ratelimit-remaining: 0`).
    pub only_if: Option<(&'static str, &'static str)>,
    /// The value is a minimum, not the wait: the retry waits the backoff schedule's
    /// delay, at least this (Google's `RetryInfo`: "wait at least, then back off").
    pub minimum: bool,
}

impl WaitSource {
    /// `Retry-After`, as every spec reads it unless it declares its own sources.
    pub const RETRY_AFTER: WaitSource = WaitSource {
        from: WaitFrom::Header("retry-after"),
        format: WaitFormat::HttpRetryAfter,
        only_if: None,
        minimum: false,
    };

    /// A source; see the fields.
    pub const fn new(
        from: WaitFrom,
        format: WaitFormat,
        only_if: Option<(&'static str, &'static str)>,
    ) -> Self {
        WaitSource {
            from,
            format,
            only_if,
            minimum: false,
        }
    }

    /// The same source, its value read as a minimum (see [`minimum`](Self::minimum)).
    #[must_use]
    pub const fn as_minimum(mut self) -> Self {
        self.minimum = true;
        self
    }
}

/// Reads `text` as `format`, measured from `now`.
pub fn parse_wait(format: WaitFormat, text: &str, now: SystemTime) -> Option<Duration> {
    let t = text.trim();
    match format {
        WaitFormat::Seconds => decimal_seconds(t),
        WaitFormat::Milliseconds => decimal_seconds(t).map(|d| d / 1000),
        WaitFormat::HttpRetryAfter => {
            crate::parse_retry_after(t.as_bytes(), now).or_else(|| decimal_seconds(t))
        }
        WaitFormat::EpochSeconds => {
            let at = decimal_seconds(t)?;
            let since = now.duration_since(SystemTime::UNIX_EPOCH).ok()?;
            Some(at.saturating_sub(since))
        }
        WaitFormat::Timestamp => {
            let at = timestamp(t)?;
            Some(at.duration_since(now).unwrap_or(Duration::ZERO))
        }
        WaitFormat::GoDuration => go_duration(t),
    }
}

/// A non-negative decimal number of seconds (`2`, `1.574`, `.5`); too large saturates.
fn decimal_seconds(t: &str) -> Option<Duration> {
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return None;
    }
    let secs = if whole.is_empty() {
        0
    } else {
        whole.parse::<u64>().unwrap_or(u64::MAX)
    };
    let nanos = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    Some(Duration::new(secs, 0).saturating_add(Duration::from_nanos(u64::from(nanos))))
}

/// A Go duration: one or more decimal numbers each with a unit (`h`, `m`, `s`, `ms`,
/// `us`/`µs`, `ns`); `0` alone is zero.
fn go_duration(t: &str) -> Option<Duration> {
    if t == "0" {
        return Some(Duration::ZERO);
    }
    let mut rest = t;
    let mut total = Duration::ZERO;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value = decimal_seconds(&rest[..n])?;
        rest = &rest[n..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scaled = match &rest[..unit_len] {
            "h" => value.checked_mul(3600),
            "m" => value.checked_mul(60),
            "s" => Some(value),
            "ms" => Some(value / 1000),
            // Go accepts both micro signs: U+00B5 and the Greek mu U+03BC.
            "us" | "\u{b5}s" | "\u{3bc}s" => Some(value / 1_000_000),
            "ns" => Some(value / 1_000_000_000),
            _ => return None,
        };
        total = total.saturating_add(scaled.unwrap_or(Duration::MAX));
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// An RFC 3339 / ISO 8601 date-time: `YYYY-MM-DDTHH:MM[:SS[.frac]](Z|±HH:MM)`
/// (`T` or a space between date and time).
fn timestamp(t: &str) -> Option<SystemTime> {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        second = num(i + 1..i + 3)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let end = t[i + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(t.len(), |e| i + 1 + e);
            let digits = &t[i + 1..end];
            if digits.is_empty() {
                return None;
            }
            nanos = digits
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(9)
                .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
            i = end;
        }
    }
    let offset = match t.get(i..)? {
        "Z" | "z" => 0,
        zone if zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':' =>
        {
            let (h, m) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            // RFC 3339: an offset's hour is 00-23, its minute 00-59.
            if h > 23 || m > 59 {
                return None;
            }
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    match u64::try_from(secs) {
        Ok(secs) => SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, nanos)),
        // Before 1970: long past, so a wait until then is no wait.
        Err(_) => Some(SystemTime::UNIX_EPOCH),
    }
}

/// The days of `month` (1-12) in `year`, by the Gregorian rules.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_763_805_600; // 2025-11-22T10:00:00Z

    fn at(format: WaitFormat, s: &str) -> Option<Duration> {
        parse_wait(format, s, SystemTime::UNIX_EPOCH + Duration::from_secs(NOW))
    }

    fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn seconds_and_milliseconds() {
        assert_eq!(at(WaitFormat::Seconds, "1.574"), ms(1574));
        assert_eq!(at(WaitFormat::Seconds, " 2 "), ms(2000));
        assert_eq!(at(WaitFormat::Seconds, ".5"), ms(500));
        assert_eq!(at(WaitFormat::Milliseconds, "1500"), ms(1500));
        assert_eq!(
            at(WaitFormat::Milliseconds, "12.5"),
            Some(Duration::from_micros(12_500))
        );
        for bad in ["", ".", "-1", "1e3", "abc", "1.2.3", "NaN", "inf"] {
            assert_eq!(at(WaitFormat::Seconds, bad), None, "{bad:?}");
        }
        assert_eq!(
            at(WaitFormat::Seconds, "99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn http_retry_after_accepts_decimals_too() {
        assert_eq!(at(WaitFormat::HttpRetryAfter, "2.0"), ms(2000));
        assert_eq!(at(WaitFormat::HttpRetryAfter, "120"), ms(120_000));
        assert_eq!(
            at(WaitFormat::HttpRetryAfter, "Sat, 22 Nov 2025 10:00:30 GMT"),
            ms(30_000)
        );
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(at(WaitFormat::EpochSeconds, "1763805605.25"), ms(5250));
        assert_eq!(
            at(WaitFormat::EpochSeconds, "1000"),
            Some(Duration::ZERO),
            "past: now"
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(at(WaitFormat::Timestamp, "2025-11-22T10:00:05Z"), ms(5000));
        assert_eq!(
            at(WaitFormat::Timestamp, "2025-11-22T10:00:05.5Z"),
            ms(5500)
        );
        assert_eq!(
            at(WaitFormat::Timestamp, "2025-11-22T11:01+01:00"),
            ms(60_000),
            "minutes only, offset"
        );
        assert_eq!(
            at(WaitFormat::Timestamp, "2025-11-22 09:59:00-00:30"),
            ms(1_740_000)
        );
        assert_eq!(
            at(WaitFormat::Timestamp, "2020-01-01T00:00:00Z"),
            Some(Duration::ZERO)
        );
        for bad in [
            "",
            "2025-11-22",
            "2025-13-01T00:00Z",
            "2025-11-22T10:00:05",
            "yesterday",
            "2025-11-22T10:00:05+0100",
            "2025-11-22T10:00:05.Z",
            // Offsets beyond RFC 3339's 00:00-23:59.
            "2025-11-22T10:00:05+24:00",
            "2025-11-22T10:00:05-24:00",
            "2025-11-22T10:00:05+99:99",
            "2025-11-22T10:00:05+01:60",
            // Days a month does not have.
            "2025-02-29T00:00:00Z",
            "2025-02-31T00:00:00Z",
            "2025-11-31T00:00:00Z",
            "2100-02-29T00:00:00Z",
        ] {
            assert_eq!(at(WaitFormat::Timestamp, bad), None, "{bad:?}");
        }
        // Leap years have a 29 February (2000: a century divisible by 400).
        assert_eq!(
            at(WaitFormat::Timestamp, "2028-02-29T00:00:00Z"),
            Some(Duration::from_secs(71_589_600))
        );
        assert!(at(WaitFormat::Timestamp, "2000-02-29T00:00:00Z").is_some());
        assert!(at(WaitFormat::Timestamp, "2025-11-22T10:00:05+23:59").is_some());
        // Before 1970 is long past: no wait, not unreadable.
        for past in ["1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z"] {
            assert_eq!(
                at(WaitFormat::Timestamp, past),
                Some(Duration::ZERO),
                "{past}"
            );
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn go_durations() {
        assert_eq!(at(WaitFormat::GoDuration, "6m0s"), ms(360_000));
        assert_eq!(at(WaitFormat::GoDuration, "12ms"), ms(12));
        assert_eq!(at(WaitFormat::GoDuration, "1.5s"), ms(1500));
        assert_eq!(at(WaitFormat::GoDuration, "1h2m3.5s"), ms(3_723_500));
        assert_eq!(at(WaitFormat::GoDuration, "0"), Some(Duration::ZERO));
        for micro in ["250us", "250\u{b5}s", "250\u{3bc}s"] {
            assert_eq!(
                at(WaitFormat::GoDuration, micro),
                Some(Duration::from_micros(250)),
                "{micro}"
            );
        }
        for bad in ["", "5", "5x", "m", "-1s", "1.2.3s"] {
            assert_eq!(at(WaitFormat::GoDuration, bad), None, "{bad:?}");
        }
        assert_eq!(
            at(WaitFormat::GoDuration, "99999999999999999999h"),
            Some(Duration::MAX)
        );
    }
}
