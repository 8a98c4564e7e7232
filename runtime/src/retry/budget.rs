//! A retry budget shared by every clone of a policy: gRPC's retry throttling.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

/// Fixed point: tokens are counted in thousandths.
const UNIT: u64 = 1_000;

/// A token bucket that keeps retries a bounded fraction of traffic, so that a fleet
/// of clients never turns an outage into a retry storm.
///
/// As gRPC's retry throttling: the bucket starts full with `max_tokens`. Each failed
/// attempt whose error is retryable costs one token; each success refunds
/// `token_ratio` tokens (up to `max_tokens`). While the bucket holds `max_tokens / 2`
/// tokens or fewer, no retries are made (first attempts always go through).
///
/// The bound this gives: retries never exceed `max_tokens / 2 + token_ratio ×
/// successes`. Under a full outage (no successes) retries stop after about
/// `max_tokens / 2` of them, however much traffic there is; under partial failure they
/// stay within about `token_ratio` (default 10%) of the successful traffic.
///
/// Clones share one bucket: clone the [`RetryPolicy`](crate::RetryPolicy) (or this
/// budget) into every client that should share it.
#[derive(Debug, Clone)]
pub struct RetryBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    max: u64,
    refund: u64,
    tokens: AtomicU64,
    /// The fleet's bucket, when shared: the store, the bucket's key, and the change
    /// (thousandths) not yet applied to it.
    shared: Option<(Arc<dyn crate::SharedBudget>, String)>,
    pending: AtomicI64,
}

impl Default for RetryBudget {
    /// gRPC's example: 10 tokens, 0.1 refunded per success.
    fn default() -> Self {
        RetryBudget::new(10, 0.1)
    }
}

impl RetryBudget {
    /// A full bucket of `max_tokens` (at least 1) refunding `token_ratio` per success.
    /// `token_ratio` is clamped to `[0, max_tokens]`; NaN counts as 0.
    pub fn new(max_tokens: u32, token_ratio: f64) -> Self {
        let max = u64::from(max_tokens.max(1)) * UNIT;
        let ratio = if token_ratio.is_nan() {
            0.0
        } else {
            token_ratio
        };
        let refund = (ratio * UNIT as f64).clamp(0.0, max as f64) as u64;
        RetryBudget {
            inner: Arc::new(Inner {
                max,
                refund,
                tokens: AtomicU64::new(max),
                shared: None,
                pending: AtomicI64::new(0),
            }),
        }
    }

    /// The same budget (a fresh bucket), shared by every process whose budget names
    /// the same `store` and `key` (the service and the vendor: `"my-service:openai"`):
    /// before each retry decision the async executor applies this process's failures
    /// and successes to the fleet's bucket and reads it back (one round trip, at most
    /// [`DEFAULT_SHARED_TIMEOUT`](crate::DEFAULT_SHARED_TIMEOUT); slow or down, the
    /// local bucket decides, and the changes are applied at the next decision). So a
    /// fleet under a full outage makes about as many retries as one process would.
    pub fn shared(self, store: Arc<dyn crate::SharedBudget>, key: impl Into<String>) -> Self {
        RetryBudget {
            inner: Arc::new(Inner {
                max: self.inner.max,
                refund: self.inner.refund,
                tokens: AtomicU64::new(self.inner.max),
                shared: Some((store, key.into())),
                pending: AtomicI64::new(0),
            }),
        }
    }

    /// Whether the bucket is shared by a fleet.
    pub fn is_shared(&self) -> bool {
        self.inner.shared.is_some()
    }

    /// Applies this process's changes to the fleet's bucket and takes its tokens
    /// (nothing without a shared store). On a failure or after the timeout, the
    /// changes wait for the next call, and the local bucket stands.
    pub async fn sync(&self) {
        let Some((store, key)) = &self.inner.shared else {
            return;
        };
        let delta = self.inner.pending.swap(0, Ordering::Relaxed);
        let call = store.apply(key, delta, self.inner.max);
        #[cfg(feature = "tokio")]
        let answer = match tokio::time::timeout(SYNC_TIMEOUT, call).await {
            Ok(a) => a,
            Err(e) => Err(Box::new(e) as crate::BoxError),
        };
        #[cfg(not(feature = "tokio"))]
        let answer = call.await;
        match answer {
            Ok(tokens) => self
                .inner
                .tokens
                .store(tokens.min(self.inner.max), Ordering::Relaxed),
            Err(_) => {
                self.inner.pending.fetch_add(delta, Ordering::Relaxed);
            }
        }
    }

    /// Tokens now in the bucket.
    pub fn tokens(&self) -> f64 {
        self.inner.tokens.load(Ordering::Relaxed) as f64 / UNIT as f64
    }

    /// Whether a retry may be made now.
    pub fn can_retry(&self) -> bool {
        self.inner.tokens.load(Ordering::Relaxed) > self.inner.max / 2
    }

    /// Records a failed attempt with a retryable error.
    pub fn record_failure(&self) {
        if self.inner.shared.is_some() {
            self.inner.pending.fetch_sub(UNIT as i64, Ordering::Relaxed);
        }
        let _ = self
            .inner
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(t.saturating_sub(UNIT))
            });
    }

    /// Records a success. Costs one relaxed load when the bucket is full.
    #[inline]
    pub fn record_success(&self) {
        let inner = &*self.inner;
        if inner.shared.is_some() {
            inner
                .pending
                .fetch_add(inner.refund as i64, Ordering::Relaxed);
        }
        if inner.tokens.load(Ordering::Relaxed) >= inner.max || inner.refund == 0 {
            return;
        }
        let _ = inner
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(t.saturating_add(inner.refund).min(inner.max))
            });
    }
}

/// The longest a shared budget's sync may take.
#[cfg(feature = "tokio")]
const SYNC_TIMEOUT: std::time::Duration = crate::DEFAULT_SHARED_TIMEOUT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_stop_below_half_and_successes_refill() {
        let b = RetryBudget::new(10, 0.5);
        for _ in 0..4 {
            b.record_failure();
        }
        assert!(b.can_retry(), "6 of 10 tokens: above half");
        b.record_failure();
        assert!(!b.can_retry(), "5 of 10: at half, no retries");
        b.record_success();
        assert!(b.can_retry(), "5.5 of 10");
        for _ in 0..100 {
            b.record_success();
        }
        assert_eq!(b.tokens(), 10.0, "never above max");
        for _ in 0..100 {
            b.record_failure();
        }
        assert_eq!(b.tokens(), 0.0, "never below zero");
    }

    #[test]
    fn clones_share_one_bucket() {
        let a = RetryBudget::new(4, 0.1);
        let b = a.clone();
        a.record_failure();
        a.record_failure();
        assert!(!b.can_retry());
    }

    #[test]
    fn odd_arguments_are_clamped() {
        assert_eq!(RetryBudget::new(0, 0.1).tokens(), 1.0);
        let b = RetryBudget::new(2, f64::NAN);
        b.record_failure();
        b.record_success();
        assert_eq!(b.tokens(), 1.0);
        let b = RetryBudget::new(2, 1e9);
        b.record_failure();
        b.record_success();
        assert_eq!(b.tokens(), 2.0);
    }
}
