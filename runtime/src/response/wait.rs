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
    /// The IETF `RateLimit` field (draft-ietf-httpapi-ratelimit-headers), a
    /// structured-field list of policies, `"default";r=0;t=30`: the `t` (seconds
    /// until the quota resets) of the policy the source names
    /// ([`WaitSource::for_policy`]), else of the first.
    RateLimit,
}

/// Where a wait is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitFrom {
    /// A response header (matched case-insensitively).
    Header(&'static str),
    /// A member of the error body (`object` bodies).
    Body(MemberPath),
    /// Not read but computed: the time until the next wall-clock boundary, the
    /// multiples of `every` since the Unix epoch shifted by `offset` (`every: 1h`:
    /// the top of the hour; `every: 24h, offset: 8h`: 08:00 UTC), for limits that
    /// reset on the clock without the response saying when. The source's format is
    /// not used.
    Until {
        /// The period (at least a second).
        every: core::time::Duration,
        /// Where in the period the boundary falls (less than `every`).
        offset: core::time::Duration,
    },
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
    /// The `RateLimit` policy to read ([`WaitFormat::RateLimit`]); `None`: the first.
    pub policy: Option<&'static str>,
}

impl WaitSource {
    /// `Retry-After`, as every spec reads it unless it declares its own sources.
    pub const RETRY_AFTER: WaitSource = WaitSource {
        from: WaitFrom::Header("retry-after"),
        format: WaitFormat::HttpRetryAfter,
        only_if: None,
        minimum: false,
        policy: None,
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
            policy: None,
        }
    }

    /// The same source, its value read as a minimum (see [`minimum`](Self::minimum)).
    #[must_use]
    pub const fn as_minimum(mut self) -> Self {
        self.minimum = true;
        self
    }

    /// The same source, reading the `RateLimit` policy `name` (see [`policy`](Self::policy)).
    #[must_use]
    pub const fn for_policy(mut self, name: &'static str) -> Self {
        self.policy = Some(name);
        self
    }

    /// The wait this source gives, read from `text` (the header's or the body
    /// member's value; unused for [`WaitFrom::Until`]), measured from `now`.
    pub fn read(&self, text: &str, now: SystemTime) -> Option<Duration> {
        match (self.from, self.format) {
            (WaitFrom::Until { every, offset }, _) => Some(until_boundary(every, offset, now)),
            (_, WaitFormat::RateLimit) => ratelimit_reset(text, self.policy),
            (_, format) => parse_wait(format, text, now),
        }
    }
}

/// The time from `now` to the next multiple of `every` since the Unix epoch, shifted
/// by `offset`; a boundary exactly now is the next one (a reset that just happened
/// is not waited for again: zero).
fn until_boundary(every: Duration, offset: Duration, now: SystemTime) -> Duration {
    let every = every.as_millis().max(1);
    let offset = offset.as_millis() % every;
    let since = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let into = (since + every - offset) % every;
    let left = (every - into) % every;
    Duration::from_millis(u64::try_from(left).unwrap_or(u64::MAX))
}

/// `t` of the named (else the first) policy in an IETF `RateLimit` field: a
/// structured-field List (RFC 9651) of Items, each a String or Token with
/// parameters (`"default";r=50;t=30, "daily";r=1000;t=3600`). Anything unreadable
/// is `None`; `t` is a non-negative Integer of at most 15 digits (RFC 9651's bound).
pub fn ratelimit_reset(text: &str, policy: Option<&str>) -> Option<Duration> {
    ratelimit_parts(text, policy).1
}

/// `r` (remaining) and `t` (seconds to reset) of the named (else the first) policy
/// of an IETF `RateLimit` field; each `None` when absent or unreadable, both when the
/// field is not one.
pub(crate) fn ratelimit_parts(text: &str, policy: Option<&str>) -> (Option<u64>, Option<Duration>) {
    ratelimit_policy(text, policy).unwrap_or((None, None))
}

fn ratelimit_policy(text: &str, policy: Option<&str>) -> Option<(Option<u64>, Option<Duration>)> {
    let mut rest = text.trim_matches([' ', '\t']);
    loop {
        let (name, after) = sf_bare_item_name(rest)?;
        rest = after;
        let (mut t, mut r) = (None, None);
        while let Some(p) = rest.strip_prefix(';') {
            let p = p.trim_start_matches(' ');
            let key_len = p
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.*".contains(b))
                .count();
            if key_len == 0 || !p.as_bytes()[0].is_ascii_lowercase() && p.as_bytes()[0] != b'*' {
                return None;
            }
            let (key, after) = p.split_at(key_len);
            rest = after;
            let value = match rest.strip_prefix('=') {
                Some(v) => {
                    let (value, after) = sf_bare_value(v)?;
                    rest = after;
                    Some(value)
                }
                None => None, // a Boolean true
            };
            let integer = |v: Option<&str>| {
                v.and_then(|v| {
                    (!v.is_empty() && v.len() <= 15 && v.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| v.parse::<u64>().ok())
                        .flatten()
                })
            };
            match key {
                "t" => t = integer(value),
                "r" => r = integer(value),
                _ => {}
            }
        }
        if policy.is_none_or(|want| want == name) {
            return Some((r, t.map(Duration::from_secs)));
        }
        rest = rest.trim_start_matches([' ', '\t']);
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start_matches([' ', '\t']),
            None => return None,
        }
    }
}

/// A bare item that names a policy (a String or a Token): its text and the rest.
fn sf_bare_item_name(s: &str) -> Option<(&str, &str)> {
    if let Some(body) = s.strip_prefix('"') {
        // A String: printable ASCII; `\"` and `\\` escapes (a policy name with
        // either is compared as written, escapes kept).
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return Some((&body[..i], &body[i + 1..])),
                b' '..=b'~' => i += 1,
                _ => return None,
            }
        }
        return None;
    }
    let first = *s.as_bytes().first()?;
    if !(first.is_ascii_alphabetic() || first == b'*') {
        return None;
    }
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(b))
        .count();
    Some(s.split_at(len))
}

/// A parameter's bare value (an Integer, Decimal, String, Token or Boolean), as text,
/// and the rest.
fn sf_bare_value(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('"') {
        let (inner, rest) = sf_bare_item_name(s)?;
        return Some((inner, rest));
    }
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/?".contains(b))
        .count();
    (len > 0).then(|| s.split_at(len))
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
        WaitFormat::RateLimit => ratelimit_reset(t, None),
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

    #[test]
    fn ietf_ratelimit_fields() {
        let s = Duration::from_secs;
        assert_eq!(ratelimit_reset(r#""default";r=50;t=30"#, None), Some(s(30)));
        assert_eq!(
            ratelimit_reset(r#""tenant-app-quota";r=17842;t=2107"#, None),
            Some(s(2107))
        );
        // The named policy, anywhere in the list; tokens as names; spaces allowed.
        let two = r#""burst";r=0;t=1,  daily;r=10;t=3600"#;
        assert_eq!(ratelimit_reset(two, Some("daily")), Some(s(3600)));
        assert_eq!(ratelimit_reset(two, Some("burst")), Some(s(1)));
        assert_eq!(ratelimit_reset(two, None), Some(s(1)));
        assert_eq!(ratelimit_reset(two, Some("hourly")), None);
        // RFC 9651 allows no space before a `;`.
        assert_eq!(ratelimit_reset(r#""p" ;t=1"#, None), None);
        // Parameters in any order, unknown ones and Booleans skipped.
        assert_eq!(
            ratelimit_reset(r#""p";x;t=7;r=0;pk=:AQ==:"#, None),
            Some(s(7))
        );
        // A policy without `t`, a negative, decimal or too long `t`, and garbage.
        for bad in [
            r#""p";r=0"#,
            r#""p";t=-1"#,
            r#""p";t=1.5"#,
            r#""p";t=1234567890123456"#,
            r#""p"t=1"#,
            r#""unterminated;t=1"#,
            "",
            ";t=1",
            "\u{e9};t=1",
            r#""\é";t=1"#,
        ] {
            assert_eq!(ratelimit_reset(bad, None), None, "{bad:?}");
        }
    }

    #[test]
    fn the_next_wall_clock_boundary() {
        let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        let (hour, day) = (Duration::from_secs(3600), Duration::from_secs(86_400));
        // 10:59:30 UTC -> 30 s to the top of the hour.
        let t = 20_000 * 86_400 + 10 * 3600 + 59 * 60 + 30;
        assert_eq!(
            until_boundary(hour, Duration::ZERO, at(t)),
            Duration::from_secs(30)
        );
        // Midnight UTC: 13 h 0 min 30 s away.
        assert_eq!(
            until_boundary(day, Duration::ZERO, at(t)),
            Duration::from_secs(13 * 3600 + 30)
        );
        // 08:00 UTC each day: 21 h 0 min 30 s away from 10:59:30.
        let eight = Duration::from_secs(8 * 3600);
        assert_eq!(
            until_boundary(day, eight, at(t)),
            Duration::from_secs(21 * 3600 + 30)
        );
        // Exactly on a boundary: no wait.
        assert_eq!(
            until_boundary(hour, Duration::ZERO, at(20_000 * 86_400)),
            Duration::ZERO
        );
        // A clock before the epoch counts from it, without panicking.
        let before = SystemTime::UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(until_boundary(hour, Duration::ZERO, before), Duration::ZERO);
    }

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
