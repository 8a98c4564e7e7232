use api_errors::api_errors;

// Retry guidance and wait sources that contradict themselves or cannot be honoured.

// contradictory retry
#[api_errors(spec = "specs/contradiction.yaml")]
pub enum ContradictoryRetry {}

// contradictory waits
#[api_errors(spec = "specs/contradictory_waits.yaml")]
pub enum ContradictoryWaits {}

// wait misuse
#[api_errors(spec = "specs/wait_misuse.yaml", api = "a")]
pub enum WaitMisuse {}

// wait shape misuse
#[api_errors(spec = "specs/wait_shape_misuse.yaml")]
pub enum WaitShapeMisuse {}

// transport without rule
#[api_errors(spec = "specs/transport_without_rule.yaml")]
pub enum TransportWithoutRule {}

// A computed wait with a format, a `policy` without `format: ratelimit`, a source
// that names two places.
#[api_errors(spec = "specs/clock_wait_unreadable.yaml")]
pub enum ClockWaitUnreadable {}

// A period under a second, an offset not within the period.
#[api_errors(spec = "specs/clock_wait_invalid.yaml")]
pub enum ClockWaitInvalid {}

// A boundary further away than the default policy waits (no `max_wait:`).
#[api_errors(spec = "specs/clock_wait_ceiling.yaml")]
pub enum ClockWaitCeiling {}

fn main() {}
