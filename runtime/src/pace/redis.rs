//! A pacer's documented limits and a retry budget kept in Redis (feature `redis`), so
//! that a fleet of processes that share an API key paces, and retries, as one client.
//!
//! Every decision is one round trip: a Lua script, atomic on the server, books every
//! cell the request falls under and answers the wait (the same GCRA as the in-process
//! cells). Keys are `{namespace}:{vendor}:{api}:{limit}:{scope}` and expire once their
//! booking has passed, so idle keys vanish. When Redis is slow or down, the pacer
//! decides with its local cells after [`Pacer::shared_timeout`](crate::Pacer::shared_timeout)
//! (20 ms by default), never blocks a request longer, and asks Redis again a second
//! later (reconnecting).
//!
//! ```no_run
//! # async fn run() -> Result<(), api_errors::BoxError> {
//! use std::sync::Arc;
//! use api_errors::{api_errors, redis::RedisStore, Pacer, RetryPolicy};
//!
//! #[api_errors(vendor = "amplitude", api = "batch")]
//! pub enum Amplitude {}
//!
//! let store = RedisStore::open("redis://127.0.0.1:6379/", "my-service")?;
//! let policy = RetryPolicy::default()
//!     .pacer(Pacer::for_vendor::<Amplitude>().shared(Arc::new(store)));
//! # Ok(()) }
//! ```

use std::sync::Mutex;

use redis::aio::MultiplexedConnection;

use crate::pace::shared::{CellRequest, SharedFuture, SharedLimits};
use crate::BoxError;

/// Books every cell (KEYS) at ARGV[1] (microseconds); ARGV[2i], ARGV[2i+1] are cell
/// i's emission and tolerance. Answers the wait in microseconds.
const SCRIPT: &str = r"
local now = tonumber(ARGV[1])
local wait = 0
local nexts = {}
for i = 1, #KEYS do
  local emission = tonumber(ARGV[2 * i])
  local tolerance = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now) or now
  if tat < now then tat = now end
  local nxt = tat + emission
  nexts[i] = nxt
  local allowed = nxt - tolerance - now
  if allowed > wait then wait = allowed end
end
for i = 1, #KEYS do
  local ttl = math.floor((nexts[i] - now) / 1000) + 1000
  redis.call('SET', KEYS[i], string.format('%.0f', nexts[i]), 'PX', ttl)
end
return math.floor(wait)
";

/// Adds ARGV[1] (thousandths) to the budget at KEYS[1] (absent: ARGV[2], full),
/// within 0..=ARGV[2]; answers the tokens after. Idle buckets expire after an hour.
const BUDGET_SCRIPT: &str = r"
local max = tonumber(ARGV[2])
local tokens = tonumber(redis.call('GET', KEYS[1]) or max) or max
tokens = tokens + tonumber(ARGV[1])
if tokens < 0 then tokens = 0 end
if tokens > max then tokens = max end
redis.call('SET', KEYS[1], string.format('%.0f', tokens), 'PX', 3600000)
return math.floor(tokens)
";

/// The documented limits of every pacer that shares it, in Redis. See the
/// [module documentation](self).
pub struct RedisStore {
    client: redis::Client,
    connection: Mutex<Option<MultiplexedConnection>>,
    namespace: String,
    script: redis::Script,
    budget: redis::Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the Redis at `url` (`redis://host:port/db`), its keys under
    /// `namespace` (the service's name, so that two services never share a key by
    /// accident). Nothing is connected until the first decision.
    pub fn open(url: &str, namespace: impl Into<String>) -> Result<Self, BoxError> {
        Ok(RedisStore {
            client: redis::Client::open(url)?,
            connection: Mutex::new(None),
            namespace: namespace.into(),
            script: redis::Script::new(SCRIPT),
            budget: redis::Script::new(BUDGET_SCRIPT),
        })
    }

    fn cached(&self) -> Option<MultiplexedConnection> {
        self.connection.lock().ok().and_then(|c| c.clone())
    }

    fn keep(&self, connection: Option<MultiplexedConnection>) {
        if let Ok(mut c) = self.connection.lock() {
            *c = connection;
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, BoxError> {
        match self.cached() {
            Some(c) => Ok(c),
            None => {
                let c = self.client.get_multiplexed_async_connection().await?;
                self.keep(Some(c.clone()));
                Ok(c)
            }
        }
    }
}

impl crate::SharedBudget for RedisStore {
    fn apply<'a>(&'a self, key: &'a str, delta: i64, max: u64) -> crate::BudgetFuture<'a> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut call = self.budget.prepare_invoke();
            call.key(format!("{}:budget:{key}", self.namespace))
                .arg(delta)
                .arg(max);
            match call.invoke_async::<u64>(&mut connection).await {
                Ok(tokens) => Ok(tokens),
                Err(e) => {
                    self.keep(None);
                    Err(e.into())
                }
            }
        })
    }
}

impl SharedLimits for RedisStore {
    fn reserve<'a>(&'a self, cells: &'a [CellRequest], now_us: u64) -> SharedFuture<'a> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut call = self.script.prepare_invoke();
            call.arg(now_us);
            for cell in cells {
                call.key(format!("{}:{}", self.namespace, cell.key));
                call.arg(u64::try_from(cell.emission.as_micros()).unwrap_or(u64::MAX));
                call.arg(u64::try_from(cell.tolerance.as_micros()).unwrap_or(u64::MAX));
            }
            match call.invoke_async::<u64>(&mut connection).await {
                Ok(wait) => Ok(std::time::Duration::from_micros(wait)),
                Err(e) => {
                    // A connection that failed is dropped: the next decision reconnects.
                    self.keep(None);
                    Err(e.into())
                }
            }
        })
    }
}
