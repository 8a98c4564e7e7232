//! The success path of both executors allocates nothing: a counting global
//! allocator watches the calling thread while it runs.

use api_errors_tests::vendors::AmplitudeBatch;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;

use api_errors::{ManualClock, RetryPolicy};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn the_counter_sees_allocations() {
    assert!(allocations_in(|| drop(std::hint::black_box(vec![1u8; 16]))) >= 1);
}

#[test]
fn blocking_success_path_allocates_nothing() {
    let policies = [
        RetryPolicy::default(),
        RetryPolicy::default().max_elapsed(std::time::Duration::from_secs(5)),
        RetryPolicy::default().without_budget().seed(3),
    ];
    for policy in &policies {
        let n = allocations_in(|| {
            for i in 0..100u32 {
                let r = policy.retry(|| Ok::<_, AmplitudeBatch>(i)).call_reported();
                assert_eq!(r.unwrap().attempts, 1);
            }
        });
        assert_eq!(n, 0, "{policy:?}");
    }
}

#[test]
fn async_success_path_allocates_nothing() {
    let policy = RetryPolicy::default();
    let clock = ManualClock::new();
    let n = allocations_in(|| {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        for i in 0..100u32 {
            let fut = policy
                .retry_async(|| async move { Ok::<_, AmplitudeBatch>(i) })
                .sleeper(clock.clone())
                .call();
            let mut fut = std::pin::pin!(fut);
            assert!(matches!(fut.as_mut().poll(&mut cx), std::task::Poll::Ready(Ok(v)) if v == i));
        }
    });
    assert_eq!(n, 0);
}
