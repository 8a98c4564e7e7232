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
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
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

fn nanos(d: Duration) -> u64 {
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

    /// `min(cap, base * 2^n)` without overflow for any `n`.
    fn exponential(&self, n: u32) -> u64 {
        if n >= 64 {
            return self.cap;
        }
        let grown = u128::from(self.base) << n;
        u64::try_from(grown.min(u128::from(self.cap))).unwrap_or(self.cap)
    }
}

impl Iterator for Backoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let n = self.retry;
        self.retry = self.retry.saturating_add(1);
        let t = self.exponential(n);
        let delay = match self.jitter {
            Jitter::None => t,
            Jitter::Full => self.rng.between(0, t),
            Jitter::Equal => t / 2 + self.rng.between(0, t - t / 2),
            Jitter::Decorrelated => {
                let lo = self.base.min(self.cap);
                let hi = self.prev.saturating_mul(3);
                let d = self.rng.between(lo, hi).min(self.cap);
                self.prev = d.max(1);
                d
            }
        };
        Some(Duration::from_nanos(delay))
    }
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
