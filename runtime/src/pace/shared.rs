//! Where a pacer's documented limits live when a fleet shares them: a small trait,
//! and (feature `redis`) a Redis backend.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::BoxError;

/// One documented limit's cell, for one request: its key (vendor, API, limit and
/// scope), and its GCRA parameters for the request's cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRequest {
    /// The cell's key, unique per vendor, API, limit and scope.
    pub key: String,
    /// How far the request moves the cell's arrival time.
    pub emission: Duration,
    /// How far ahead of now the arrival time may run (the burst).
    pub tolerance: Duration,
}

/// What a [`SharedLimits`] store answers: the wait before the request may go.
pub type SharedFuture<'a> = Pin<Box<dyn Future<Output = Result<Duration, BoxError>> + Send + 'a>>;

/// What a [`SharedBudget`] store answers: the fleet's tokens, in thousandths.
pub type BudgetFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, BoxError>> + Send + 'a>>;

/// A store for a retry budget shared by many processes
/// ([`RetryBudget::shared`](crate::RetryBudget::shared)). One call per decision,
/// atomic on the store: the bucket at `key` (absent: full, `max`) changes by `delta`,
/// held within `0..=max`, and its tokens are answered (thousandths of a token).
pub trait SharedBudget: Send + Sync + fmt::Debug {
    /// Applies `delta` to the bucket at `key`; its tokens after.
    fn apply<'a>(&'a self, key: &'a str, delta: i64, max: u64) -> BudgetFuture<'a>;
}

impl SharedBudget for LocalLimits {
    fn apply<'a>(&'a self, key: &'a str, delta: i64, max: u64) -> BudgetFuture<'a> {
        let mut map = match self.cells.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let key = format!("budget:{key}");
        let now = map.get(&key).copied().unwrap_or(max);
        let next = (i128::from(now) + i128::from(delta)).clamp(0, i128::from(max));
        let next = u64::try_from(next).unwrap_or(0);
        map.insert(key, next);
        Box::pin(std::future::ready(Ok(next)))
    }
}

/// A store for a pacer's documented limits shared by many processes. One call per
/// decision, atomic on the store: for every cell, the arrival time `tat` (absent:
/// `now`) moves to `next = max(tat, now) + emission`; the request may go at
/// `max(next - tolerance)` over the cells; every cell keeps its `next` (and may
/// expire once `next` has passed). Times are microseconds since the Unix epoch on the
/// wall clock, which every process of a fleet shares.
pub trait SharedLimits: Send + Sync + fmt::Debug {
    /// Books `cells` at `now_us`; the wait before the request may go.
    fn reserve<'a>(&'a self, cells: &'a [CellRequest], now_us: u64) -> SharedFuture<'a>;
}

/// The in-process semantics of [`SharedLimits`] and [`SharedBudget`], for tests and
/// as the reference a backend is held to.
#[derive(Debug, Default)]
pub struct LocalLimits {
    cells: std::sync::Mutex<std::collections::HashMap<String, u64>>,
}

impl SharedLimits for LocalLimits {
    fn reserve<'a>(&'a self, cells: &'a [CellRequest], now_us: u64) -> SharedFuture<'a> {
        let mut map = match self.cells.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let us = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let mut wait = 0u64;
        let mut next = Vec::with_capacity(cells.len());
        for c in cells {
            let tat = map.get(&c.key).copied().unwrap_or(now_us).max(now_us);
            let n = tat.saturating_add(us(c.emission));
            wait = wait.max(n.saturating_sub(us(c.tolerance)).saturating_sub(now_us));
            next.push(n);
        }
        for (c, n) in cells.iter().zip(next) {
            map.insert(c.key.clone(), n);
        }
        Box::pin(std::future::ready(Ok(Duration::from_micros(wait))))
    }
}
