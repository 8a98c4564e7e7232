//! A pacer's documented limits kept in Redis (feature `redis`), so that a fleet of
//! processes that share an API key paces as one client.
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
//! use api_errors::{api_errors, redis::RedisLimits, Pacer, RetryPolicy};
//!
//! #[api_errors(vendor = "amplitude", api = "batch")]
//! pub enum Amplitude {}
//!
//! let store = RedisLimits::open("redis://127.0.0.1:6379/", "my-service")?;
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

/// The documented limits of every pacer that shares it, in Redis. See the
/// [module documentation](self).
pub struct RedisLimits {
    client: redis::Client,
    connection: Mutex<Option<MultiplexedConnection>>,
    namespace: String,
    script: redis::Script,
}

impl std::fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLimits")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl RedisLimits {
    /// A store on the Redis at `url` (`redis://host:port/db`), its keys under
    /// `namespace` (the service's name, so that two services never share a key by
    /// accident). Nothing is connected until the first decision.
    pub fn open(url: &str, namespace: impl Into<String>) -> Result<Self, BoxError> {
        Ok(RedisLimits {
            client: redis::Client::open(url)?,
            connection: Mutex::new(None),
            namespace: namespace.into(),
            script: redis::Script::new(SCRIPT),
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
}

impl SharedLimits for RedisLimits {
    fn reserve<'a>(&'a self, cells: &'a [CellRequest], now_us: u64) -> SharedFuture<'a> {
        Box::pin(async move {
            let mut connection = match self.cached() {
                Some(c) => c,
                None => {
                    let c = self.client.get_multiplexed_async_connection().await?;
                    self.keep(Some(c.clone()));
                    c
                }
            };
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
