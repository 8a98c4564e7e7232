//! Code generation: turns a checked [`Model`] into the enum and its impls.
//! No decisions are made here that validation should have made.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::item::Item;

use crate::model::{BodyModel, Hint, JitterModel, Model, Variant, WaitFromModel, WaitModel};
use crate::spec::When;

/// What expansion needs besides the model.
pub struct Target<'a> {
    pub item: &'a Item,
    pub krate: &'a TokenStream,
    /// Absolute path of the spec, so that Cargo rebuilds when it changes (`None`: a
    /// bundled spec, which changes only with this crate).
    pub spec_file: Option<&'a str>,
    /// The spec path as shown to people.
    pub spec_shown: &'a str,
}

pub fn expand(model: &Model, t: &Target) -> TokenStream {
    let item = t.item;
    let ident = &item.ident;
    let vis = &item.vis;
    let attrs = &item.attrs;
    let krate = t.krate;
    let p = quote!(#krate::__private);

    let names: Vec<Ident> = model
        .variants
        .iter()
        .map(|v| Ident::new(&v.name, Span::call_site()))
        .collect();
    let docs = model.variants.iter().map(variant_doc);
    let enum_doc = enum_doc(model, t.spec_shown);
    let unknown_doc = format!(
        "A status that this spec does not document for {} {}. \
         Retried by the class default of `RetryHint::for_status`.",
        model.vendor, model.api_title
    );

    // The generated code is a table per datum, indexed by the variant's place in
    // the spec, and one `match` that gives that place: rustc's time to check a
    // `match` of N arms (or N paths to `Self::Variant`) grows faster than N, so the
    // expansion has one, not one per method (N-entry specs then compile in time
    // nearly linear in N).
    let count = model.variants.len();
    let places = 0..count;
    let statuses = model.variants.iter().map(|v| v.status);
    let messages: Vec<&str> = model.variants.iter().map(|v| v.meaning.trim()).collect();
    let advice = model
        .variants
        .iter()
        .map(|v| opt_str(v.advice.as_deref().map(str::trim)));
    let codes_opt = model.variants.iter().map(|v| opt_str(v.code.as_deref()));
    let variant_names = model.variants.iter().map(|v| v.name.as_str());
    // The distinct hints once each, and each variant's place among them.
    let mut distinct: Vec<(String, TokenStream)> = Vec::new();
    let hint_of: Vec<u32> = model
        .variants
        .iter()
        .map(|v| {
            let tokens = match &v.retry {
                Some(h) => hint(&p, h),
                None => {
                    let s = v.status;
                    quote!(#p::RetryHint::for_status(#s))
                }
            };
            let key = tokens.to_string();
            let at = distinct
                .iter()
                .position(|(k, _)| *k == key)
                .unwrap_or_else(|| {
                    distinct.push((key, tokens));
                    distinct.len() - 1
                });
            u32::try_from(at).unwrap_or(u32::MAX)
        })
        .collect();
    let hints = distinct.iter().map(|(_, t)| t);
    let hint_count = distinct.len();
    // Whether each may ever be retried: its guidance, else the status class default
    // (`RETRIED_BY_DEFAULT` is the runtime's `RetryHint::retries_by_default`).
    let retryable = model.variants.iter().map(|v| match &v.retry {
        Some(h) => h.when != When::Never,
        None => crate::model::RETRIED_BY_DEFAULT.contains(&v.status),
    });
    // A status's own entry first, then the narrowest range that holds it.
    let from_status = model
        .by_status
        .iter()
        .map(|(s, i)| {
            let n = &names[*i];
            quote!(#s => #ident::#n,)
        })
        .chain(model.by_range.iter().map(|((lo, hi), i)| {
            let n = &names[*i];
            quote!(#lo..=#hi => #ident::#n,)
        }));
    // Which statuses each entry stands for, where one stands for more than one.
    let stands_for = if model.variants.iter().all(Variant::single_status) {
        quote!(self.status() == status)
    } else {
        let ranges = model.variants.iter().map(|v| {
            let (lo, hi): (Vec<u16>, Vec<u16>) = v.statuses.iter().copied().unzip();
            quote!(&[#((#lo, #hi)),*])
        });
        quote! {
            const STATUSES: [&[(::core::primitive::u16, ::core::primitive::u16)]; #count] = [#(#ranges),*];
            #[allow(unreachable_patterns)]
            match self {
                #ident::Unknown(s) => *s == status,
                _ => {
                    let ranges = STATUSES[self.__api_errors_place()];
                    let mut i = 0;
                    while i < ranges.len() {
                        if ranges[i].0 <= status && status <= ranges[i].1 {
                            return true;
                        }
                        i += 1;
                    }
                    false
                }
            }
        }
    };
    // Entries told apart by code (and status) alone: their codes sorted, for a
    // binary search; the others are matched on all their conditions through
    // `MATCHERS`.
    let mut by_code: Vec<(&str, u32)> = model
        .variants
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.has_conditions())
        .flat_map(|(i, v)| {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            v.codes.iter().map(move |c| (c.as_str(), i))
        })
        .collect();
    // A code two entries share (at different statuses): the first in spec order.
    by_code.sort_unstable();
    by_code.dedup_by_key(|(code, _)| *code);
    // Up to a few hundred codes, a `match` on the text (what a human writes, and
    // what rustc compiles to the fastest lookup); beyond, a binary search in the
    // sorted table (a `match` of thousands of string arms takes rustc seconds).
    let from_code_body = if by_code.len() <= MATCHED_CODES {
        let arms = by_code.iter().map(|(code, i)| {
            let n = &names[*i as usize];
            quote!(#code => ::core::option::Option::Some(#ident::#n),)
        });
        quote!(match code { #(#arms)* _ => ::core::option::Option::None })
    } else {
        let (sorted, places): (Vec<&str>, Vec<u32>) = by_code.iter().copied().unzip();
        let n = sorted.len();
        quote! {
            const CODES: [&::core::primitive::str; #n] = [#(#sorted),*];
            const PLACES: [::core::primitive::u32; #n] = [#(#places),*];
            let found = CODES.binary_search(&code).ok()?;
            Self::ALL.get(PLACES[found] as ::core::primitive::usize).copied()
        }
    };
    // Most conditions first; spec order among equals (the sort is stable).
    let mut matchers: Vec<(&Variant, &Ident)> = model
        .variants
        .iter()
        .zip(&names)
        .filter(|(v, _)| v.is_matcher())
        .collect();
    matchers.sort_by_key(|(v, _)| std::cmp::Reverse(v.specificity()));
    let matchers = matchers.iter().map(|(v, n)| {
        let status = v.status;
        let codes = &v.codes;
        let error_type = opt_str(v.error_type.as_deref());
        let message = opt_str(v.message_contains.as_deref());
        let statuses = (!v.single_status()).then(|| {
            let (lo, hi): (Vec<u16>, Vec<u16>) = v.statuses.iter().copied().unzip();
            quote!(.at_statuses(&[#((#lo, #hi)),*]))
        });
        let headers = (!v.headers.is_empty()).then(|| {
            let (name, value): (Vec<&str>, Vec<TokenStream>) = v
                .headers
                .iter()
                .map(|(n, e)| (n.as_str(), opt_str(e.as_deref())))
                .unzip();
            quote!(.when_headers(&[#((#name, #value)),*]))
        });
        quote!(#p::Matcher::new(#ident::#n, #status, &[#(#codes),*], #error_type, #message) #statuses #headers)
    });
    let unknown_message = "a status this spec does not document";
    // Spec text is only ever written literally (`write_str`), never used as a
    // format string: `{self}` in a vendor's name must print as `{self}`.
    let unknown_tail = format!(": {unknown_message} ({} {})", model.vendor, model.api_title);
    let vendor = &model.vendor;
    let api = &model.api;
    let body = body(&p, model.body.as_ref());
    let transport = model.transport.as_ref().map(|tr| {
        let rule = |h: &Option<Hint>| match h {
            Some(h) => {
                let h = hint(&p, h);
                quote!(::core::option::Option::Some(#h))
            }
            None => quote!(::core::option::Option::None),
        };
        let (c, t, r) = (rule(&tr.connect), rule(&tr.timeout), rule(&tr.reset));
        quote!(const TRANSPORT: #p::TransportRules = #p::TransportRules::new(#c, #t, #r);)
    });
    let waits = model.waits.as_ref().map(|ws| {
        let sources = ws.iter().map(|w| wait_source(&p, w));
        quote!(const WAITS: &'static [#p::WaitSource] = &[#(#sources),*];)
    });
    let should_retry = model.should_retry_header.as_ref().map(|h| {
        quote!(const SHOULD_RETRY: ::core::option::Option<&'static ::core::primitive::str> = ::core::option::Option::Some(#h);)
    });
    let rules = |name: &str, rules: &[(Vec<String>, Option<String>)]| {
        let name = format_ident!("{name}");
        (!rules.is_empty()).then(|| {
            let rules = rules.iter().map(|(steps, equals)| {
                let equals = opt_str(equals.as_deref());
                quote!(#p::SuccessRule::new(&[#(#steps),*], #equals))
            });
            quote!(const #name: &'static [#p::SuccessRule] = &[#(#rules),*];)
        })
    };
    let max_wait = model.max_wait_ms.map(|ms| {
        quote!(const MAX_WAIT: ::core::option::Option<#p::Duration> = ::core::option::Option::Some(#p::Duration::from_millis(#ms));)
    });
    let client = model.client.as_ref().map(|c| {
        let ms = |v: u64| quote!(#p::Duration::from_millis(#v));
        let mut chain = quote!(#p::ClientDefaults::NONE);
        if let Some(sdk) = &c.sdk {
            chain = quote!(#chain.sdk(#sdk));
        }
        if let Some(n) = c.attempts {
            chain = quote!(#chain.max_attempts(#n));
        }
        if let Some((b, cap)) = c.backoff_ms {
            let (b, cap) = (ms(b), ms(cap));
            chain = quote!(#chain.backoff(#b, #cap));
        }
        if let Some(j) = c.jitter {
            let j = match j {
                JitterModel::Word(i) => {
                    let w =
                        format_ident!("{}", ["None", "Full", "Equal", "Decorrelated"][i.min(3)]);
                    quote!(#p::Jitter::#w)
                }
                JitterModel::Factor(lo, hi) => quote!(#p::Jitter::factor_millionths(#lo, #hi)),
            };
            chain = quote!(#chain.jitter(#j));
        }
        if let Some(d) = c.min_delay_ms {
            let d = ms(d);
            chain = quote!(#chain.min_delay(#d));
        }
        if let Some(d) = c.max_wait_ms {
            let d = ms(d);
            chain = quote!(#chain.max_wait(#d));
        }
        if let Some(w) = c.long_wait {
            let w = long_wait(&p, w);
            chain = quote!(#chain.long_wait(#w));
        }
        quote!(const CLIENT: #p::ClientDefaults = #chain;)
    });
    // Documented statuses below 400 other than 2xx (a 300 "several matches") are
    // errors too: the HTTP integrations ask `is_error_status`.
    let below: Vec<(u16, u16)> = model
        .variants
        .iter()
        .flat_map(|v| v.statuses.iter().copied())
        .flat_map(|(lo, hi)| [(lo, hi.min(199)), (lo.max(300), hi.min(399))])
        .filter(|(lo, hi)| lo <= hi)
        .collect();
    let is_error_status = (!below.is_empty()).then(|| {
        let (lo, hi): (Vec<u16>, Vec<u16>) = below.into_iter().unzip();
        quote! {
            #[inline]
            fn is_error_status(status: ::core::primitive::u16) -> ::core::primitive::bool {
                #[allow(overlapping_range_endpoints, unreachable_patterns)]
                let documented = matches!(status, #(#lo..=#hi)|*);
                status >= 400 || documented
            }
        }
    });
    let limits = model.limits.as_ref().map(|l| limits_tokens(&p, l));
    let retryable_max_wait = model.max_wait_ms.is_some().then(|| {
        quote!(#[inline] fn max_wait(&self) -> ::core::option::Option<#p::Duration> { <Self as #p::ApiErrorKind>::MAX_WAIT })
    });
    let success = rules("SUCCESS_ERRORS", &model.errors_in_success);
    let partial = rules("PARTIAL_SUCCESS", &model.partial_success);
    let batch = model.batch.as_ref().map(|b| {
        let (items, status) = (&b.items, &b.status);
        let mut chain = quote!(#p::BatchShape::new(&[#(#items),*], &[#(#status),*]));
        for (method, path) in [("with_headers", &b.headers), ("with_body", &b.body), ("with_id", &b.id)] {
            if let Some(steps) = path {
                let method = format_ident!("{method}");
                chain = quote!(#chain.#method(&[#(#steps),*]));
            }
        }
        if let Some(n) = b.max_items {
            chain = quote!(#chain.with_max_items(#n));
        }
        quote!(const BATCH: ::core::option::Option<#p::BatchShape> = ::core::option::Option::Some(#chain);)
    });
    let track = t.spec_file.map(|file| {
        quote! {
            // Rebuild when the spec changes (stable Rust has no tracked-path API).
            const _: &[::core::primitive::u8] = ::core::include_bytes!(#file);
        }
    });
    let names2 = &names;

    quote! {
        #(#attrs)*
        #[doc = #enum_doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy,
                 ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #vis enum #ident {
            #(#[doc = #docs] #names,)*
            #[doc = #unknown_doc]
            Unknown(::core::primitive::u16),
        }

        #track

        impl #ident {
            /// Every documented variant, in spec order (without `Unknown`).
            pub const ALL: &'static [Self] = &[#(#ident::#names2),*];

            // The tables: one entry per documented variant, in spec order.
            const __API_ERRORS_NAME: [&'static ::core::primitive::str; #count] = [#(#variant_names),*];
            const __API_ERRORS_STATUS: [::core::primitive::u16; #count] = [#(#statuses),*];
            const __API_ERRORS_CODE: [::core::option::Option<&'static ::core::primitive::str>; #count] = [#(#codes_opt),*];
            const __API_ERRORS_MESSAGE: [&'static ::core::primitive::str; #count] = [#(#messages),*];
            const __API_ERRORS_ADVICE: [::core::option::Option<&'static ::core::primitive::str>; #count] = [#(#advice),*];
            const __API_ERRORS_RETRYABLE: [::core::primitive::bool; #count] = [#(#retryable),*];
            const __API_ERRORS_HINTS: [#p::RetryHint; #hint_count] = [#(#hints),*];
            const __API_ERRORS_HINT_OF: [::core::primitive::u32; #count] = [#(#hint_of),*];

            /// The variant's place in the tables (`Unknown`: past their end).
            #[inline]
            const fn __api_errors_place(&self) -> ::core::primitive::usize {
                match self { #(#ident::#names2 => #places,)* #ident::Unknown(_) => #count }
            }

            /// The HTTP status this error is documented with.
            #[inline]
            pub const fn status(&self) -> ::core::primitive::u16 {
                #[allow(unreachable_patterns)]
                match self { #ident::Unknown(s) => *s, _ => Self::__API_ERRORS_STATUS[self.__api_errors_place()] }
            }

            /// The variant documented for `status`, else `Unknown(status)`.
            #[inline]
            pub const fn from_status(status: ::core::primitive::u16) -> Self {
                #[allow(unreachable_patterns, overlapping_range_endpoints)]
                match status { #(#from_status)* other => #ident::Unknown(other) }
            }

            /// Whether this error's entry stands for `status` (it may list several,
            /// or a range such as `5xx`).
            #[inline]
            pub const fn stands_for(&self, status: ::core::primitive::u16) -> ::core::primitive::bool {
                #stands_for
            }

            /// The variant documented for an app error code.
            #[inline]
            pub fn from_code(code: &::core::primitive::str) -> ::core::option::Option<Self> {
                #from_code_body
            }

            /// The app error code of this variant, if it has one.
            #[inline]
            pub const fn code(&self) -> ::core::option::Option<&'static ::core::primitive::str> {
                #[allow(unreachable_patterns)]
                match self { #ident::Unknown(_) => ::core::option::Option::None, _ => Self::__API_ERRORS_CODE[self.__api_errors_place()] }
            }

            /// The vendor's retry guidance for this error.
            #[inline]
            pub const fn retry_hint(&self) -> #p::RetryHint {
                #[allow(unreachable_patterns)]
                match self {
                    #ident::Unknown(s) => #p::RetryHint::for_status(*s),
                    _ => Self::__API_ERRORS_HINTS[Self::__API_ERRORS_HINT_OF[self.__api_errors_place()] as ::core::primitive::usize],
                }
            }

            /// Whether a retry may ever be made (perhaps only under a condition of
            /// [`retry_hint`](Self::retry_hint)).
            #[inline]
            pub const fn is_retryable(&self) -> ::core::primitive::bool {
                #[allow(unreachable_patterns)]
                match self {
                    #ident::Unknown(s) => #p::RetryHint::retries_by_default(*s),
                    _ => Self::__API_ERRORS_RETRYABLE[self.__api_errors_place()],
                }
            }

            /// What the error means, in the spec's words.
            #[inline]
            pub const fn message(&self) -> &'static ::core::primitive::str {
                #[allow(unreachable_patterns)]
                match self { #ident::Unknown(_) => #unknown_message, _ => Self::__API_ERRORS_MESSAGE[self.__api_errors_place()] }
            }

            /// What to do about it, in the spec's words.
            #[inline]
            pub const fn advice(&self) -> ::core::option::Option<&'static ::core::primitive::str> {
                #[allow(unreachable_patterns)]
                match self { #ident::Unknown(_) => ::core::option::Option::None, _ => Self::__API_ERRORS_ADVICE[self.__api_errors_place()] }
            }
        }

        /// The variant's name, as a derived `Debug` writes it.
        #[automatically_derived]
        impl ::core::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unreachable_patterns)]
                match self {
                    #ident::Unknown(s) => f.debug_tuple("Unknown").field(s).finish(),
                    _ => f.write_str(Self::__API_ERRORS_NAME[self.__api_errors_place()]),
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #[allow(unreachable_patterns)]
                match self {
                    #ident::Unknown(s) => {
                        f.write_str("HTTP ")?;
                        ::core::fmt::Display::fmt(s, f)?;
                        f.write_str(#unknown_tail)
                    }
                    _ => f.write_str(Self::__API_ERRORS_MESSAGE[self.__api_errors_place()]),
                }
            }
        }

        #[automatically_derived]
        impl ::std::error::Error for #ident {}

        #[automatically_derived]
        impl #p::Retryable for #ident {
            #[inline] fn retry_hint(&self) -> #p::RetryHint { Self::retry_hint(self) }
            #retryable_max_wait
        }

        #[automatically_derived]
        impl #p::ApiErrorKind for #ident {
            const ALL: &'static [Self] = Self::ALL;
            const VENDOR: &'static ::core::primitive::str = #vendor;
            const API: &'static ::core::primitive::str = #api;
            const BODY: #p::BodyShape = #body;
            #transport
            const MATCHERS: &'static [#p::Matcher<Self>] = &[#(#matchers),*];
            #waits
            #should_retry
            #success
            #partial
            #batch
            #max_wait
            #client
            #limits
            #is_error_status
            #[inline] fn status(&self) -> ::core::primitive::u16 { Self::status(self) }
            #[inline] fn stands_for(&self, status: ::core::primitive::u16) -> ::core::primitive::bool { Self::stands_for(self, status) }
            #[inline] fn from_status(status: ::core::primitive::u16) -> Self { Self::from_status(status) }
            #[inline] fn unknown(status: ::core::primitive::u16) -> Self { Self::Unknown(status) }
            #[inline] fn from_code(code: &::core::primitive::str) -> ::core::option::Option<Self> { Self::from_code(code) }
            #[inline] fn code(&self) -> ::core::option::Option<&'static ::core::primitive::str> { Self::code(self) }
            #[inline] fn retry_hint(&self) -> #p::RetryHint { Self::retry_hint(self) }
            #[inline] fn is_retryable(&self) -> ::core::primitive::bool { Self::is_retryable(self) }
            #[inline] fn message(&self) -> &'static ::core::primitive::str { Self::message(self) }
            #[inline] fn advice(&self) -> ::core::option::Option<&'static ::core::primitive::str> { Self::advice(self) }
        }
    }
}

/// Most app codes looked up with a `match` on their text; more are searched in a
/// sorted table.
const MATCHED_CODES: usize = 256;

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn hint(p: &TokenStream, h: &Hint) -> TokenStream {
    let when = format_ident!(
        "{}",
        match h.when {
            When::Never => "Never",
            When::Always => "Always",
            When::Idempotent => "IfIdempotent",
            When::Reauthenticated => "AfterReauthentication",
        }
    );
    let wait = match h.wait_ms {
        Some(ms) => quote!(::core::option::Option::Some(#p::Duration::from_millis(#ms))),
        None => quote!(::core::option::Option::None),
    };
    let ra = h.retry_after;
    let mut out = quote!(#p::RetryHint::new(#p::RetryWhen::#when, #wait, #ra));
    if let Some(ms) = h.fallback_ms {
        out = quote!(#out.with_fallback(#p::Duration::from_millis(#ms)));
    }
    if let Some((base, cap)) = h.backoff_ms {
        out = quote!(#out.with_backoff(#p::Duration::from_millis(#base), #p::Duration::from_millis(#cap)));
    }
    if let Some(w) = h.long_wait {
        let w = long_wait(p, w);
        out = quote!(#out.with_long_wait(#w));
    }
    out
}

/// `const LIMITS`, from a spec's `limits:`.
fn limits_tokens(p: &TokenStream, l: &crate::model::LimitsModel) -> TokenStream {
    use crate::model::RateKind;
    let rates = l.rates.iter().map(|r| {
        let base = match r.kind {
            RateKind::Count { count, window_ms } => {
                quote!(#p::DocumentedLimit::count(#count, #p::Duration::from_millis(#window_ms)))
            }
            RateKind::Interval { ms } => {
                quote!(#p::DocumentedLimit::interval(#p::Duration::from_millis(#ms)))
            }
            RateKind::Concurrency(n) => quote!(#p::DocumentedLimit::concurrency(#n)),
        };
        // In step with `spec::PER_WORDS` and `spec::REQUEST_WORDS`.
        let per = format_ident!("{}", ["Api", "Caller", "Route"][r.per.min(2)]);
        let requests = format_ident!("{}", ["All", "Reads", "Writes"][r.requests.min(2)]);
        quote!(#base.per(#p::Per::#per).requests(#p::Requests::#requests))
    });
    let mut headers = quote!(#p::RateHeaders::NONE);
    if let Some(h) = &l.headers {
        for (method, name) in [
            ("remaining", &h.remaining),
            ("limit", &h.limit),
            ("bucket", &h.bucket),
            ("used", &h.used),
            ("ietf", &h.ietf),
        ] {
            if let Some(name) = name {
                let m = format_ident!("{method}");
                headers = quote!(#headers.#m(#name));
            }
        }
        if let Some((name, format)) = &h.reset {
            let format = wait_format(*format);
            headers = quote!(#headers.reset(#name, #p::WaitFormat::#format));
        }
        if let Some((name, value)) = &h.global {
            headers = quote!(#headers.global(#name, #value));
        }
        if h.continuous {
            headers = quote!(#headers.continuous());
        }
    }
    quote!(const LIMITS: #p::VendorLimits = #p::VendorLimits::new(&[#(#rates),*], #headers);)
}

/// A wait format's `WaitFormat` variant (in step with `spec::WAIT_FORMATS`).
fn wait_format(i: usize) -> Ident {
    format_ident!(
        "{}",
        [
            "Seconds",
            "Milliseconds",
            "HttpRetryAfter",
            "EpochSeconds",
            "Timestamp",
            "GoDuration",
            "RateLimit"
        ][i.min(6)]
    )
}

/// A `long_wait:` word's `LongWait` (in step with `spec::LONG_WAIT_WORDS`).
fn long_wait(p: &TokenStream, w: usize) -> TokenStream {
    let w = format_ident!("{}", ["GiveUp", "Cap", "Backoff"][w.min(2)]);
    quote!(#p::LongWait::#w)
}

fn wait_source(p: &TokenStream, w: &WaitModel) -> TokenStream {
    let from = from_tokens(p, &w.from);
    let format = wait_format(w.format);
    let only_if = match &w.only_if {
        Some((h, v)) => quote!(::core::option::Option::Some((#h, #v))),
        None => quote!(::core::option::Option::None),
    };
    let mut source = quote!(#p::WaitSource::new(#from, #p::WaitFormat::#format, #only_if));
    if w.minimum {
        source = quote!(#source.as_minimum());
    }
    if let Some(policy) = &w.policy {
        source = quote!(#source.for_policy(#policy));
    }
    source
}

/// Where a wait or a member is read from, as a `WaitFrom`.
fn from_tokens(p: &TokenStream, from: &WaitFromModel) -> TokenStream {
    match from {
        WaitFromModel::Header(h) => quote!(#p::WaitFrom::Header(#h)),
        WaitFromModel::Body(steps) => quote!(#p::WaitFrom::Body(&[#(#steps),*])),
        WaitFromModel::Until {
            every_ms,
            offset_ms,
        } => quote!(#p::WaitFrom::Until {
            every: #p::Duration::from_millis(#every_ms),
            offset: #p::Duration::from_millis(#offset_ms),
        }),
    }
}

fn body(p: &TokenStream, b: Option<&BodyModel>) -> TokenStream {
    match b {
        None => quote!(#p::BodyShape::Unspecified),
        Some(BodyModel::Problem) => quote!(#p::BodyShape::Problem),
        Some(BodyModel::JsonApi { errors }) => {
            quote!(#p::BodyShape::JsonApi { errors: &[#(#errors),*] })
        }
        Some(BodyModel::Object(f)) => {
            // Each member the body names, as a `const` builder call on `EMPTY`.
            let path = |(with, p): (&str, &Option<Vec<String>>)| {
                let with = format_ident!("with_{with}");
                p.as_ref().map(|steps| quote!(.#with(&[#(#steps),*])))
            };
            let [status, code, kind, message, detail, request_id, trace_id, details, wait] = [
                ("status", &f.status),
                ("code", &f.code),
                ("kind", &f.error_type),
                ("message", &f.message),
                ("detail", &f.detail),
                ("request_id", &f.request_id),
                ("trace_id", &f.trace_id),
                ("details", &f.details),
                ("wait", &f.wait),
            ]
            .map(path);
            let from = |from: &WaitFromModel| from_tokens(p, from);
            let extra = f.extra.iter().map(|(name, source)| {
                let source = from(source);
                quote!((#name, #source))
            });
            let alternatives = f.alternatives.iter().map(|(field, from_model)| {
                // In step with `spec::LISTED_MEMBERS`.
                let field = format_ident!("{}", ["Code", "Kind", "Message", "RequestId"][*field]);
                let from = from(from_model);
                quote!(#p::Alternative::new(#p::Field::#field, #from))
            });
            let clean = match &f.clean {
                Some((drop_from, keep_after)) => {
                    let (d, k) = (
                        opt_str(drop_from.as_deref()),
                        opt_str(keep_after.as_deref()),
                    );
                    quote!(#p::Clean::new(#d, #k))
                }
                None => quote!(#p::Clean::NONE),
            };
            quote!(#p::BodyShape::Object(#p::ObjectFields::EMPTY
                #status #code #kind #message #detail #request_id #trace_id #details #wait
                .with_extra(&[#(#extra),*])
                .with_alternatives(&[#(#alternatives),*])
                .with_clean(#clean)))
        }
    }
}

fn enum_doc(m: &Model, spec_shown: &str) -> String {
    let mut d = format!(
        "\n\nErrors of the {} {}, generated by `#[api_errors]` from `{spec_shown}` (api `{}`).",
        m.vendor, m.api_title, m.api
    );
    if let Some(src) = &m.source {
        d.push_str(&format!(" Source: {src}."));
    }
    if let Some(t) = &m.transport {
        d.push_str(&format!(
            "\n\n**Transport failures** (no HTTP status): {}",
            t.meaning.trim()
        ));
        if let Some(a) = &t.advice {
            d.push_str(&format!(" {}", a.trim()));
        }
        let rules = [
            ("refused connection", &t.connect),
            ("timeout", &t.timeout),
            ("reset", &t.reset),
        ];
        for (what, rule) in rules {
            if let Some(h) = rule {
                d.push_str(&format!(
                    " *Retry on a {what}:* {}.",
                    describe(Some(h), None)
                ));
            }
        }
    }
    d
}

fn variant_doc(v: &Variant) -> String {
    let mut d = format!("**HTTP {}**", v.statuses_text());
    match v.codes.as_slice() {
        [] => {}
        [c] => d.push_str(&format!(" · app code `{c}`")),
        many => {
            let list = many
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            d.push_str(&format!(" · app codes {list}"));
        }
    }
    if let Some(t) = &v.error_type {
        d.push_str(&format!(" · error type `{t}`"));
    }
    if let Some(m) = &v.message_contains {
        d.push_str(&format!(" · message contains \"{m}\""));
    }
    for (name, value) in &v.headers {
        match value {
            Some(value) => d.push_str(&format!(" · header `{name}: {value}`")),
            None => d.push_str(&format!(" · header `{name}` present")),
        }
    }
    if let Some(t) = &v.title {
        d.push_str(&format!(" · *{}*", t.trim()));
    }
    d.push_str(&format!(": {}", v.meaning.trim()));
    if let Some(a) = &v.advice {
        d.push_str(&format!("\n\n**Advice:** {}", a.trim()));
    }
    d.push_str(&format!(
        "\n\n**Retry:** {}.",
        describe(v.retry.as_ref(), Some(v.status))
    ));
    d
}

fn describe(h: Option<&Hint>, status: Option<u16>) -> String {
    let Some(h) = h else {
        return format!(
            "the vendor gives no retry guidance; the default for status {} applies (`RetryHint::for_status`)",
            status.unwrap_or_default()
        );
    };
    let mut s = match h.when {
        When::Never => return "never; change the request first".into(),
        When::Always => "yes".to_string(),
        When::Idempotent => {
            "only if the request is idempotent or carries an idempotency key".into()
        }
        When::Reauthenticated => "after refreshing the credentials".into(),
    };
    match (h.wait_ms, h.retry_after) {
        (Some(ms), false) => s.push_str(&format!(", waiting at least {} first", human_ms(ms))),
        (Some(ms), true) => s.push_str(&format!(
            ", when the `Retry-After` header says (at least {})",
            human_ms(ms)
        )),
        (None, true) => s.push_str(
            ", when the `Retry-After` header says (else with exponential backoff and jitter)",
        ),
        (None, false) => s.push_str(", with exponential backoff and jitter"),
    }
    match (h.fallback_ms, h.backoff_ms) {
        (Some(ms), Some((_, cap))) => s.push_str(&format!(
            "; {} when the server states no wait, doubling on each further failure up to {}",
            human_ms(ms),
            human_ms(cap)
        )),
        (Some(ms), None) => s.push_str(&format!(
            "; {} when the server states no wait",
            human_ms(ms)
        )),
        (None, Some((base, cap))) => s.push_str(&format!(
            "; backing off from {} up to {}",
            human_ms(base),
            human_ms(cap)
        )),
        (None, None) => {}
    }
    if let Some(w) = h.long_wait {
        s.push_str(match w {
            0 => "; a wait above the policy's maximum gives up",
            1 => "; a wait above the policy's maximum is cut to it",
            _ => "; a wait above the policy's maximum is ignored for the backoff schedule",
        });
    }
    s
}

fn human_ms(ms: u64) -> String {
    match ms {
        ms if ms % 3_600_000 == 0 => format!("{} h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{} min", ms / 60_000),
        ms if ms % 1_000 == 0 => format!("{} s", ms / 1_000),
        ms => format!("{ms} ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_guidance() {
        let h = Hint {
            when: When::Always,
            wait_ms: Some(30_000),
            retry_after: false,
            fallback_ms: None,
            backoff_ms: None,
            long_wait: None,
        };
        assert_eq!(
            describe(Some(&h), Some(429)),
            "yes, waiting at least 30 s first"
        );
        let h = Hint {
            when: When::Always,
            wait_ms: None,
            retry_after: true,
            fallback_ms: None,
            backoff_ms: None,
            long_wait: None,
        };
        assert_eq!(
            describe(Some(&h), None),
            "yes, when the `Retry-After` header says (else with exponential backoff and jitter)"
        );
        assert!(describe(None, Some(429)).contains("default for status 429"));
        assert_eq!(human_ms(1500), "1500 ms");
        assert_eq!(human_ms(120_000), "2 min");
    }
}
