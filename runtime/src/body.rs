//! The error body shapes a spec can declare.

/// How a vendor shapes its error bodies, as its spec declares (`body:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyShape {
    /// The spec declares no body shape.
    Unspecified,
    /// One JSON object whose members are named by the spec
    /// (Amperity: `{status, message, request_id, trace_id}`;
    /// Attraqt: `{code, message, details}`).
    Object(ObjectFields),
    /// A JSON:API-style array of error objects (`id`, `status`, `code`, `title`,
    /// `detail`, `source`) under the member `errors` (Amplemarket: `_errors`).
    JsonApi {
        /// The member that holds the array.
        errors: &'static str,
    },
    /// RFC 9457 `application/problem+json` (`type`, `title`, `status`, `detail`,
    /// `instance`).
    Problem,
}

/// A member path in a JSON body, as its steps: member names (unescaped), array
/// indices written in digits, or `*` for "each element of an array, the first that
/// has the rest of the path". The spec writes it as a JSON Pointer (`/error/code`)
/// or a bare top-level name (`message`); the macro checks it and splits it.
pub type MemberPath = &'static [&'static str];

/// Where each datum sits in a [`BodyShape::Object`] body; `None` where the vendor
/// documents no such member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ObjectFields {
    /// The member holding the HTTP status.
    pub status: Option<MemberPath>,
    /// The member holding the app error code (a string or a number).
    pub code: Option<MemberPath>,
    /// The member holding the error's type, a second identity beside the code
    /// (the spec's `type`: OpenAI's and Anthropic's `/error/type`).
    pub kind: Option<MemberPath>,
    /// The member holding the human-readable message.
    pub message: Option<MemberPath>,
    /// The member holding a longer explanation.
    pub detail: Option<MemberPath>,
    /// The member holding the vendor's request id.
    pub request_id: Option<MemberPath>,
    /// The member holding the vendor's trace id.
    pub trace_id: Option<MemberPath>,
    /// The member holding further structured details.
    pub details: Option<MemberPath>,
    /// The member holding a wait the server asks for (read as the spec's body wait
    /// source says: see [`WaitSource`](crate::WaitSource)).
    pub wait: Option<MemberPath>,
    /// Further members the spec names (`extra:`), by name: a documentation URL, a
    /// warning, ... (at most [`MAX_EXTRA`](crate::MAX_EXTRA)); read with
    /// [`ApiError::member`](crate::ApiError::member).
    pub extra: &'static [(&'static str, MemberPath)],
}

/// A rule that makes a successful (2xx) response an error: the body member at
/// `path` is present (not null), or, with `equals`, has that value (a string, or a
/// number or boolean as written: `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SuccessRule {
    /// Where the member is.
    pub path: MemberPath,
    /// The value that makes the response an error; `None`: any value but null.
    pub equals: Option<&'static str>,
}

impl SuccessRule {
    /// A rule; see the fields.
    pub const fn new(path: MemberPath, equals: Option<&'static str>) -> Self {
        SuccessRule { path, equals }
    }
}
