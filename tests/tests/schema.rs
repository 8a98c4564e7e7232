//! Every spec in `specs/` is valid against the shipped JSON Schema, names it for
//! editors, and the schema rejects what the macro rejects at the shape level.

use std::path::PathBuf;

fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(specs_dir().join("api-errors.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

fn errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
    v.iter_errors(&doc).map(|e| e.to_string()).collect()
}

#[test]
fn every_spec_matches_the_schema_and_names_it() {
    let v = validator();
    let mut seen = 0;
    for entry in std::fs::read_dir(specs_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=./api-errors.schema.json"),
            "{} must name the schema on its first line",
            path.display()
        );
        let errs = errors(&v, &text);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        seen += 1;
    }
    // The five seed vendors, the seven of issue 8, the four of issue 18, and those of
    // issue 21 so far (GitLab, Zendesk, SendGrid, Plaid, Dropbox, PagerDuty, Mailchimp,
    // Okta, PayPal).
    assert_eq!(seen, 26, "one spec per vendor");
}

/// The specs the tests compile use every construct of the format: the schema takes
/// each of them too, so it cannot fall behind the macro.
#[test]
fn every_spec_the_tests_compile_matches_the_schema() {
    let v = validator();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let errs = errors(&v, &std::fs::read_to_string(&path).unwrap());
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        seen += 1;
    }
    assert!(seen >= 8, "{seen}");
}

#[test]
fn schema_rejects_typos_bad_statuses_and_bad_retry_words() {
    let v = validator();
    let ok =
        "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, meaning: m}\n";
    assert!(errors(&v, ok).is_empty());
    assert!(!errors(&v, &ok.replace("meaning", "meanin")).is_empty());
    assert!(!errors(&v, &ok.replace("400", "1000")).is_empty());
    assert!(
        errors(&v, &ok.replace("400", "529")).is_empty(),
        "any three digits"
    );
    let both = ok.replace("meaning: m", "meaning: m, code: a, codes: [b]");
    assert!(!errors(&v, &both).is_empty(), "code and codes together");
    let listed = ok.replace(
        "meaning: m",
        "meaning: m, codes: [a, b], type: t, message_contains: x",
    );
    assert!(errors(&v, &listed).is_empty(), "{:?}", errors(&v, &listed));
    let waits = format!("waits:\n  - {{header: retry-after-ms, format: milliseconds}}\n  - {{body: /retry_after, format: seconds, only_if: {{header: x-remaining, equals: '0'}}}}\nshould_retry_header: x-should-retry\n{ok}");
    assert!(errors(&v, &waits).is_empty(), "{:?}", errors(&v, &waits));
    for bad in [
        "waits:\n  - {header: a, body: /b, format: seconds}\n",
        "waits:\n  - {header: a, format: unix}\n",
        "waits: []\n",
        "should_retry_header: x should\n",
    ] {
        assert!(!errors(&v, &format!("{bad}{ok}")).is_empty(), "{bad}");
    }
    assert!(!errors(
        &v,
        &ok.replace("meaning: m", "meaning: m, retry: sometimes")
    )
    .is_empty());
    assert!(!errors(
        &v,
        &ok.replace("meaning: m", "meaning: m, retry: {when: always, wait: 30}")
    )
    .is_empty());
    assert!(errors(
        &v,
        &ok.replace("meaning: m", "meaning: m, retry: {when: always, wait: 30s}")
    )
    .is_empty());
}
