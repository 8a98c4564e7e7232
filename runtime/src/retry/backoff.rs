//! Delay schedules: exponential backoff with a base and a cap, and the jitter kinds
//! of the AWS "Exponential Backoff and Jitter" analysis.

use std::time::Duration;

/// How randomness is mixed into the exponential schedule `min(cap, base * 2^n)`.
///
/// Every kind keeps every delay within `[0, cap]`: jitter is applied *inside* the cap,
/// never added after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// `min(cap, base * 2^n)`: no randomness (clients that failed together retry together).
    None,
    /// `random(0, min(cap, base * 2^n))`. The default: fewest calls, and fast.
    #[default]
    Full,
    /// `t / 2 + random(0, t / 2)` with `t = min(cap, base * 2^n)`: never retries at once.
    Equal,
    /// `min(cap, random(base, previous * 3))`: grows from the last delay, not from `n`.
    Decorrelated,
    /// `min(cap, t × random(low, high))` with `t = min(cap, base * 2^n)`: the factor
    /// ranges vendors' SDKs publish (`Jitter::factor(0.5, 1.0)`: up to half off;
    /// `Jitter::factor(0.75, 1.0)`: up to a quarter off). Made by [`Jitter::factor`].
    Factor(Factor),
}

/// A range of factors for [`Jitter::Factor`], in millionths (exact, comparable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Factor {
    low: u64,
    high: u64,
}

impl Factor {
    /// The range's ends, as factors.
    pub fn range(&self) -> (f64, f64) {
        (self.low as f64 / 1e6, self.high as f64 / 1e6)
    }
}

impl Jitter {
    /// Jitter by a factor drawn from `[low, high]`: `factor(0.5, 1.0)` waits between
    /// half and all of each exponential delay. Ends below 0 (or NaN) count as 0,
    /// above 1000 as 1000, and reversed ends are swapped.
    pub fn factor(low: f64, high: f64) -> Jitter {
        let micros = |f: f64| {
            if f.is_nan() {
                0
            } else {
                (f.clamp(0.0, 1000.0) * 1e6).round() as u64
            }
        };
        let (a, b) = (micros(low), micros(high));
        Jitter::Factor(Factor {
            low: a.min(b),
            high: a.max(b),
        })
    }
}

impl Jitter {
    /// [`Jitter::factor`] with its ends in millionths (`factor_millionths(500_000,
    /// 1_000_000)` is `factor(0.5, 1.0)`), as a constant: what generated code writes
    /// for a spec's `client: { jitter: { factor: [0.5, 1.0] } }`. Ends above 1000
    /// (10^9 millionths) count as 1000; reversed ends are swapped.
    pub const fn factor_millionths(low: u64, high: u64) -> Jitter {
        const MAX: u64 = 1_000_000_000;
        let (a, b) = (
            if low > MAX { MAX } else { low },
            if high > MAX { MAX } else { high },
        );
        Jitter::Factor(Factor {
            low: if a < b { a } else { b },
            high: if a < b { b } else { a },
        })
    }
}

/// A small, seedable PRNG (SplitMix64): fast, and exact to reproduce in tests.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator that yields the same sequence for the same seed.
    pub const fn from_seed(seed: u64) -> Self {
        Rng(seed)
    }

    /// A generator seeded from the process's hash randomness (no system call per use).
    pub fn from_entropy() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x9e37_79b9_7f4a_7c15);
        Rng(h.finish())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi]` (inclusive); `lo` when `hi <= lo`.
    pub(crate) fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = u128::from(hi - lo) + 1;
        lo + ((u128::from(self.next_u64()) * span) >> 64) as u64
    }
}

/// An endless schedule of delays, one per retry: an iterator, so it can be
/// inspected, tested and reused apart from the executor.
///
/// ```
/// use std::time::Duration;
/// use api_errors::{Backoff, Jitter, Rng};
///
/// let ms = Duration::from_millis;
/// let delays: Vec<_> = Backoff::new(ms(100), ms(1_000), Jitter::None, Rng::from_seed(1))
///     .take(6)
///     .collect();
/// assert_eq!(delays, [ms(100), ms(200), ms(400), ms(800), ms(1_000), ms(1_000)]);
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    base: u64,
    cap: u64,
    jitter: Jitter,
    retry: u32,
    prev: u64,
    rng: Rng,
}

pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Backoff {
    /// A schedule starting at `base`, never above `cap`. Durations beyond
    /// `u64::MAX` nanoseconds (584 years) count as that much.
    pub fn new(base: Duration, cap: Duration, jitter: Jitter, rng: Rng) -> Self {
        let base = nanos(base);
        Backoff {
            base,
            cap: nanos(cap),
            jitter,
            retry: 0,
            prev: base,
            rng,
        }
    }
}

impl Iterator for Backoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let n = self.retry;
        self.retry = self.retry.saturating_add(1);
        let (base, cap) = (
            Duration::from_nanos(self.base),
            Duration::from_nanos(self.cap),
        );
        let prev = Duration::from_nanos(self.prev);
        let d = delay(base, cap, self.jitter, n, prev, &mut self.rng);
        self.prev = nanos(d).max(1);
        Some(d)
    }
}

/// The delay before retry `n` (0: the first) of the schedule `min(cap, base * 2^n)`
/// under `jitter`; `prev` is the delay before the previous retry (`base` before the
/// first), which decorrelated jitter grows from. Always within `[0, cap]`.
pub(crate) fn delay(
    base: Duration,
    cap: Duration,
    jitter: Jitter,
    n: u32,
    prev: Duration,
    rng: &mut Rng,
) -> Duration {
    let (base, cap) = (nanos(base), nanos(cap).max(nanos(base)));
    let t = exponential(base, cap, n);
    let d = match jitter {
        Jitter::None => t,
        Jitter::Full => rng.between(0, t),
        Jitter::Equal => t / 2 + rng.between(0, t - t / 2),
        Jitter::Decorrelated => {
            let hi = nanos(prev).max(1).saturating_mul(3);
            rng.between(base, hi).min(cap)
        }
        Jitter::Factor(Factor { low, high }) => {
            let f = rng.between(low, high);
            let scaled = u128::from(t) * u128::from(f) / 1_000_000;
            u64::try_from(scaled).unwrap_or(u64::MAX).min(cap)
        }
    };
    Duration::from_nanos(d)
}

/// `min(cap, base * 2^n)` without overflow for any `n`.
fn exponential(base: u64, cap: u64, n: u32) -> u64 {
    if n >= 64 {
        return cap;
    }
    let grown = u128::from(base) << n;
    u64::try_from(grown.min(u128::from(cap))).unwrap_or(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [Jitter; 4] = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ];

    #[test]
    fn every_delay_is_within_zero_and_cap_over_many_seeds() {
        let (base, cap) = (Duration::from_millis(5), Duration::from_millis(2_000));
        for jitter in KINDS {
            for seed in 0..500 {
                let b = Backoff::new(base, cap, jitter, Rng::from_seed(seed));
                for (i, d) in b.take(40).enumerate() {
                    assert!(d <= cap, "{jitter:?} seed {seed} retry {i}: {d:?}");
                }
            }
        }
    }

    #[test]
    fn no_overflow_at_attempt_1000_and_huge_durations() {
        for jitter in KINDS {
            let mut b = Backoff::new(Duration::MAX, Duration::MAX, jitter, Rng::from_seed(7));
            let last = b.nth(1_000).unwrap();
            assert!(last <= Duration::from_nanos(u64::MAX));
            let mut b = Backoff::new(
                Duration::from_secs(1),
                Duration::from_secs(20),
                jitter,
                Rng::from_seed(7),
            );
            assert!(b.nth(1_000).unwrap() <= Duration::from_secs(20));
        }
    }

    #[test]
    fn equal_jitter_keeps_half_of_the_exponential_delay() {
        let b = Backoff::new(
            Duration::from_millis(100),
            Duration::from_secs(10),
            Jitter::Equal,
            Rng::from_seed(3),
        );
        for (n, d) in b.take(6).enumerate() {
            let t = Duration::from_millis(100 << n);
            assert!(
                d >= t / 2 && d <= t,
                "retry {n}: {d:?} not in [{:?}, {t:?}]",
                t / 2
            );
        }
    }

    #[test]
    fn decorrelated_stays_between_base_and_three_times_the_last() {
        let base = Duration::from_millis(10);
        let mut prev = base;
        for d in Backoff::new(
            base,
            Duration::from_secs(60),
            Jitter::Decorrelated,
            Rng::from_seed(9),
        )
        .take(30)
        {
            assert!(
                d >= base && d <= prev * 3,
                "{d:?} outside [{base:?}, {:?}]",
                prev * 3
            );
            prev = d;
        }
    }

    #[test]
    fn factor_jitter_keeps_its_range_of_the_exponential_delay() {
        let ms = Duration::from_millis;
        let b = Backoff::new(
            ms(500),
            ms(5_000),
            Jitter::factor(0.5, 1.0),
            Rng::from_seed(5),
        );
        let mut low = false;
        for (n, d) in b.take(40).enumerate() {
            let t = ms(500 << n.min(4)).min(ms(5_000));
            assert!(
                d >= t / 2 && d <= t,
                "retry {n}: {d:?} not in [{:?}, {t:?}]",
                t / 2
            );
            low |= d < t * 3 / 4;
        }
        assert!(low, "the whole range is used");
        assert_eq!(Jitter::factor(1.0, 0.75), Jitter::factor(0.75, 1.0));
        let Jitter::Factor(f) = Jitter::factor(0.75, 1.0) else {
            unreachable!()
        };
        assert_eq!(f.range(), (0.75, 1.0));
        assert_eq!(Jitter::factor(f64::NAN, -3.0), Jitter::factor(0.0, 0.0));
        // Above 1, still never above the cap.
        let b = Backoff::new(
            ms(500),
            ms(800),
            Jitter::factor(2.0, 3.0),
            Rng::from_seed(5),
        );
        assert!(b.take(10).all(|d| d <= ms(800)));
    }

    #[test]
    fn full_jitter_spreads_and_seeds_reproduce() {
        let take = |seed| -> Vec<Duration> {
            Backoff::new(
                Duration::from_secs(1),
                Duration::from_secs(20),
                Jitter::Full,
                Rng::from_seed(seed),
            )
            .take(8)
            .collect()
        };
        assert_eq!(take(42), take(42));
        assert_ne!(take(42), take(43));
        // Full jitter uses the whole range: across many draws, low and high both occur.
        let mut rng = Rng::from_seed(1);
        let draws: Vec<u64> = (0..1_000).map(|_| rng.between(0, 99)).collect();
        assert!(draws.iter().any(|&d| d < 10) && draws.iter().any(|&d| d >= 90));
        assert!(draws.iter().all(|&d| d <= 99));
    }
}
