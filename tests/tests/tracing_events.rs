//! With the `tracing` feature, the executor emits one event per retry and one when
//! it gives up.

use api_errors_tests::vendors::Kleene;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use api_errors::{ManualClock, RetryPolicy};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

#[derive(Default)]
struct Count {
    debug: AtomicUsize,
    info: AtomicUsize,
}

struct Counter(Arc<Count>);

impl Subscriber for Counter {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        match *event.metadata().level() {
            Level::DEBUG => self.0.debug.fetch_add(1, Ordering::SeqCst),
            Level::INFO => self.0.info.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn one_event_per_retry_and_one_on_giving_up() {
    let count = Arc::new(Count::default());
    tracing::subscriber::with_default(Counter(count.clone()), || {
        let _ = RetryPolicy::default()
            .max_attempts(4)
            .without_budget()
            .retry(|| Err::<(), _>(Kleene::ServiceUnavailable))
            .sleeper(ManualClock::new())
            .call();
    });
    assert_eq!(count.debug.load(Ordering::SeqCst), 3, "retries");
    assert_eq!(count.info.load(Ordering::SeqCst), 1, "give-up");
}
