//! Property tests: the loader and validator return a model or diagnostics for any
//! input, never a panic; and a model they return keeps its promises.

use proptest::prelude::*;

use crate::model::Model;
use crate::spec::load;
use crate::validate::validate;

/// Load + validate, as the macro does. `Err` carries how many diagnostics there were.
fn check(text: &str, api: Option<&str>) -> Result<Model, usize> {
    let (spec, tree) = load(text).map_err(|_| 1usize)?;
    validate(&spec, api, &tree).map_err(|f| f.spec.len() + f.api.iter().count())
}

fn assert_model_invariants(m: &Model) {
    assert!(!m.variants.is_empty());
    let mut names: Vec<&str> = m.variants.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), m.variants.len(), "variant names are unique");
    for v in &m.variants {
        assert!(syn::parse_str::<syn::Ident>(&v.name).is_ok(), "{}", v.name);
        assert!((100..=999).contains(&v.status));
    }
    let mut statuses: Vec<u16> = m.by_status.iter().map(|(s, _)| *s).collect();
    statuses.dedup();
    assert_eq!(statuses.len(), m.by_status.len(), "one variant per status");
    for v in &m.variants {
        assert!(
            m.by_status.iter().any(|(s, _)| *s == v.status),
            "every status resolves"
        );
    }
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("type".to_string()),
        Just("Unknown".to_string()),
        Just("\"\"".to_string()),
        Just("~".to_string()),
        Just("[a, b]".to_string()),
        Just("{x: 1}".to_string()),
        "[A-Za-z_][A-Za-z0-9_ -]{0,12}",
        "\\PC{0,16}".prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn retry() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("never".to_string()),
        4 => Just("backoff".to_string()),
        1 => Just("retry_after".to_string()),
        1 => Just("reauthenticate".to_string()),
        1 => Just("idempotent".to_string()),
        1 => scalar(),
        2 => (
            prop_oneof![Just("never"), Just("always"), Just("idempotent"), Just("reauthenticated"), Just("often")],
            prop::option::of(prop_oneof![Just("30s".to_string()), Just("0ms".to_string()), scalar()]),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(w, wait, ra)| {
                let mut s = format!("{{when: {w}");
                if let Some(wait) = wait {
                    s.push_str(&format!(", wait: {wait}"));
                }
                if let Some(ra) = ra {
                    s.push_str(&format!(", retry_after: {ra}"));
                }
                s + "}"
            }),
    ]
}

fn entry() -> impl Strategy<Value = String> {
    (
        prop_oneof![8 => 400i64..=430, 2 => 498i64..=504, 1 => any::<i64>(), 1 => Just(0)],
        prop::option::weighted(
            0.3,
            prop_oneof![
                Just("a_code".to_string()),
                Just("b_code".to_string()),
                scalar()
            ],
        ),
        prop::option::weighted(0.2, scalar()),
        prop::option::weighted(0.95, prop_oneof![9 => "[A-Z][a-z ]{1,20}", 1 => scalar()]),
        prop::option::of(retry()),
        prop::bool::weighted(0.1),
        prop::option::weighted(0.05, Just("bogus: 1")),
    )
        .prop_map(|(status, code, name, meaning, retry, primary, extra)| {
            let mut s = format!("      - status: {status}\n");
            if let Some(c) = code {
                s.push_str(&format!("        code: {c}\n"));
            }
            if let Some(n) = name {
                s.push_str(&format!("        name: {n}\n"));
            }
            if let Some(m) = meaning {
                s.push_str(&format!("        meaning: {m}\n"));
            }
            if let Some(r) = retry {
                s.push_str(&format!("        retry: {r}\n"));
            }
            if primary {
                s.push_str("        primary: true\n");
            }
            if let Some(x) = extra {
                s.push_str(&format!("        {x}\n"));
            }
            s
        })
}

fn spec_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop_oneof![8 => Just("a"), 8 => Just("b"), 1 => Just("a")],
            prop::collection::vec(entry(), 0..6),
        ),
        0..3,
    )
    .prop_map(|apis| {
        let mut s = String::from("vendor: V\napis:\n");
        for (key, entries) in apis {
            s.push_str(&format!("  {key}:\n    title: T\n    errors:\n"));
            if entries.is_empty() {
                s.push_str("      []\n");
            }
            for e in entries {
                s.push_str(&e);
            }
        }
        s
    })
}

/// Real specs to mutate: three bundled ones (inside the package, so its tests run
/// from the package alone).
fn seeds() -> [&'static str; 3] {
    ["amplitude", "amplemarket", "attraqt"].map(|name| {
        crate::bundled::find(name)
            .map(|(_, text)| text)
            .unwrap_or_default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = check(&text, None);
        let _ = check(&text, Some("a"));
    }

    #[test]
    fn generated_specs_give_a_sound_model_or_diagnostics(text in spec_text()) {
        for api in [None, Some("a"), Some("b")] {
            match check(&text, api) {
                Ok(m) => assert_model_invariants(&m),
                Err(n) => prop_assert!(n > 0, "a failure says why"),
            }
        }
    }

    #[test]
    fn mutated_seed_specs_never_panic(seed in 0..seeds().len(), at in any::<prop::sample::Index>(), cut in 0usize..40, insert in "\\PC{0,8}") {
        let text = seeds()[seed];
        let mut i = at.index(text.len());
        while !text.is_char_boundary(i) { i -= 1; }
        let mut j = (i + cut).min(text.len());
        while !text.is_char_boundary(j) { j -= 1; }
        let mutated = format!("{}{}{}", &text[..i], insert, &text[j..]);
        for api in [None, Some("batch"), Some("rest"), Some("items")] {
            if let Ok(m) = check(&mutated, api) { assert_model_invariants(&m) }
        }
    }
}

#[test]
fn every_seed_spec_is_valid() {
    for (text, api) in [
        (seeds()[0], "batch"),
        (seeds()[1], "rest"),
        (seeds()[2], "items"),
    ] {
        assert_model_invariants(&check(text, Some(api)).expect("seed spec validates"));
    }
}
