use api_errors::api_errors;

// Statuses and header conditions (issue 18): lists, classes, ranges, codes shared
// across statuses, and header conditions that cannot work.

// An empty status list, a class or range that is not one: located at the item.
#[api_errors(spec = "specs/status_items_unreadable.yaml")]
pub enum StatusItemsUnreadable {}

// Out of range, backwards, overlapping within one entry.
#[api_errors(spec = "specs/status_items_invalid.yaml")]
pub enum StatusItemsInvalid {}

// A class whose statuses have different class defaults needs `retry:`.
#[api_errors(spec = "specs/status_class_defaults.yaml")]
pub enum StatusClassDefaults {}

// One code at two entries that both stand for 403.
#[api_errors(spec = "specs/shared_code_overlap.yaml")]
pub enum SharedCodeOverlap {}

// A header condition without the header it names.
#[api_errors(spec = "specs/header_condition_unreadable.yaml")]
pub enum HeaderConditionUnreadable {}

// A header name that is not one, and one header given two conditions.
#[api_errors(spec = "specs/header_condition_invalid.yaml")]
pub enum HeaderConditionInvalid {}

fn main() {}
