//! The error bodies both decode benchmarks measure, and the hand-written serde
//! structs (what a careful human writes without this crate) they are measured against.

use serde::Deserialize;

pub const AMPERITY: &[u8] = br#"{"status": 400, "message": "Error updating database: Can't find campaign named 'CampaignName'", "request_id": "1ab23456-c78d-9012-3456-78efg9hi01j2", "trace_id": "1a2b3456789cd0ef1g234hijklm5nopq"}"#;

pub const AMPLEMARKET: &[u8] = br#"{"_errors": [{"status": "400", "code": "unsupported_value", "title": "Unsupported Value", "detail": "Number of emails exceeds 100000 limit", "source": {"pointer": "/emails"}}]}"#;

pub const NESTED: &[u8] = br#"{"error": {"message": "Rate limit reached for gpt-4 in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"#;

/// An OpenAI-style nested error object, by hand.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct NestedBody {
    pub error: NestedError,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct NestedError {
    pub message: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub param: Option<String>,
    pub code: Option<String>,
}

/// What a careful human writes by hand for Amperity's documented body.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct AmperityBody {
    pub status: u16,
    pub message: String,
    pub request_id: Option<String>,
    pub trace_id: Option<String>,
}

/// ... and for Amplemarket's.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct AmplemarketBody {
    pub _errors: Vec<AmplemarketError>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct AmplemarketError {
    pub id: Option<String>,
    pub status: Option<String>,
    pub code: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub source: Option<Source>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Source {
    pub pointer: Option<String>,
    pub parameter: Option<String>,
    pub header: Option<String>,
}

/// A body that is itself an array of errors (a vendor with no envelope).
#[allow(dead_code)] // the instruction counts use it; the timed bench does not
pub const ROOT_ARRAY: &[u8] = br#"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded.","fields":[]}]"#;

/// One element of it, by hand.
#[derive(Deserialize)]
#[allow(dead_code, non_snake_case)]
pub struct RootArrayItem {
    pub errorCode: String,
    pub message: String,
    pub fields: Vec<String>,
}

/// GitHub's validation error: every error kept, the first one's code identifying.
#[allow(dead_code)] // the instruction counts use it; the timed bench does not
pub const VALIDATION: &[u8] = br#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"},{"resource":"Issue","field":"body","code":"invalid"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"422"}"#;

/// ... by hand: the errors parsed into structs (what a human writes to keep them all).
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct ValidationBody {
    pub message: String,
    pub errors: Vec<ValidationItem>,
    pub documentation_url: Option<String>,
    pub status: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct ValidationItem {
    pub resource: Option<String>,
    pub field: Option<String>,
    pub code: String,
}
