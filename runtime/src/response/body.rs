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
    /// `detail`, `source`) under the member `errors` (Amplemarket: `_errors`), or at
    /// another path; an empty path: the body itself is the array.
    JsonApi {
        /// Where the array is.
        errors: MemberPath,
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
/// documents no such member. Built from [`ObjectFields::EMPTY`] with the `with_*`
/// methods (all `const`), as the generated code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
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
    /// warning, a header's value ... (at most [`MAX_EXTRA`](crate::MAX_EXTRA)); read
    /// with [`ApiError::member`](crate::ApiError::member) (text) and
    /// [`ApiError::member_json`](crate::ApiError::member_json) (raw JSON).
    pub extra: &'static [(&'static str, crate::WaitFrom)],
    /// Further places to find a datum, tried in order when the one above is absent
    /// (or first, for a datum that has none above): other body paths (vendors with
    /// several body shapes) or response headers (an error type sent as a header).
    pub alternatives: &'static [Alternative],
    /// How to clean up the code and the type before they are matched.
    pub clean: Clean,
}

impl ObjectFields {
    /// No member named.
    pub const EMPTY: ObjectFields = ObjectFields {
        status: None,
        code: None,
        kind: None,
        message: None,
        detail: None,
        request_id: None,
        trace_id: None,
        details: None,
        wait: None,
        extra: &[],
        alternatives: &[],
        clean: Clean::NONE,
    };

    /// The same, with the status at `path`.
    #[must_use]
    pub const fn with_status(mut self, path: MemberPath) -> Self {
        self.status = Some(path);
        self
    }

    /// The same, with the app code at `path`.
    #[must_use]
    pub const fn with_code(mut self, path: MemberPath) -> Self {
        self.code = Some(path);
        self
    }

    /// The same, with the error type at `path`.
    #[must_use]
    pub const fn with_kind(mut self, path: MemberPath) -> Self {
        self.kind = Some(path);
        self
    }

    /// The same, with the message at `path`.
    #[must_use]
    pub const fn with_message(mut self, path: MemberPath) -> Self {
        self.message = Some(path);
        self
    }

    /// The same, with the longer explanation at `path`.
    #[must_use]
    pub const fn with_detail(mut self, path: MemberPath) -> Self {
        self.detail = Some(path);
        self
    }

    /// The same, with the request id at `path`.
    #[must_use]
    pub const fn with_request_id(mut self, path: MemberPath) -> Self {
        self.request_id = Some(path);
        self
    }

    /// The same, with the trace id at `path`.
    #[must_use]
    pub const fn with_trace_id(mut self, path: MemberPath) -> Self {
        self.trace_id = Some(path);
        self
    }

    /// The same, with the structured details at `path`.
    #[must_use]
    pub const fn with_details(mut self, path: MemberPath) -> Self {
        self.details = Some(path);
        self
    }

    /// The same, with a body wait at `path`.
    #[must_use]
    pub const fn with_wait(mut self, path: MemberPath) -> Self {
        self.wait = Some(path);
        self
    }

    /// The same, with these `extra:` members.
    #[must_use]
    pub const fn with_extra(mut self, extra: &'static [(&'static str, crate::WaitFrom)]) -> Self {
        self.extra = extra;
        self
    }

    /// The same, with these further places for a datum.
    #[must_use]
    pub const fn with_alternatives(mut self, alternatives: &'static [Alternative]) -> Self {
        self.alternatives = alternatives;
        self
    }

    /// The same, with this clean-up of codes and types.
    #[must_use]
    pub const fn with_clean(mut self, clean: Clean) -> Self {
        self.clean = clean;
        self
    }
}

/// Which datum of an [`ObjectFields`] an [`Alternative`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The app code.
    Code,
    /// The error type.
    Kind,
    /// The message.
    Message,
    /// The request id.
    RequestId,
}

/// One more place for a datum: a body path or a response header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Alternative {
    /// The datum it is for.
    pub field: Field,
    /// Where it is.
    pub from: crate::WaitFrom,
}

impl Alternative {
    /// An alternative; see the fields.
    pub const fn new(field: Field, from: crate::WaitFrom) -> Self {
        Alternative { field, from }
    }
}

/// A clean-up of identity values (code and type), as a spec declares it: drop
/// everything from the first `drop_from`, then keep only what follows the last
/// `keep_after` (`com.amazonaws.dynamodb#ThrottlingException:http://...` with `:` and
/// `#` is `ThrottlingException`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Clean {
    /// Cut the value at the first occurrence of this.
    pub drop_from: Option<&'static str>,
    /// Keep what follows the last occurrence of this.
    pub keep_after: Option<&'static str>,
}

impl Clean {
    /// No clean-up.
    pub const NONE: Clean = Clean {
        drop_from: None,
        keep_after: None,
    };

    /// A clean-up; see the fields.
    pub const fn new(drop_from: Option<&'static str>, keep_after: Option<&'static str>) -> Self {
        Clean {
            drop_from,
            keep_after,
        }
    }

    /// `value`, cleaned up.
    pub fn apply<'a>(&self, value: &'a str) -> &'a str {
        let mut v = value;
        if let Some(cut) = self.drop_from.filter(|c| !c.is_empty()) {
            if let Some(i) = v.find(cut) {
                v = &v[..i];
            }
        }
        if let Some(after) = self.keep_after.filter(|a| !a.is_empty()) {
            if let Some(i) = v.rfind(after) {
                v = &v[i + after.len()..];
            }
        }
        v
    }
}

/// A rule that makes a successful (2xx) response an error: the body member at
/// `path` is present (not null), or, with `equals`, has that value (a string, or a
/// number or boolean as written: `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
