//! The retry side: the executors (`executor.rs`), the policy and the decision core
//! they share (`policy.rs`), delay schedules (`backoff.rs`), the shared retry budget
//! (`budget.rs`), and sleeping and telling the time (`time.rs`).

pub(crate) mod backoff;
pub(crate) mod budget;
pub(crate) mod executor;
pub(crate) mod policy;
pub(crate) mod time;
