//! A spec with more app codes than the macro looks up with a `match` (256): the
//! lookup in a sorted table finds every code, and only those, each with its entry.

use api_errors::ApiError;

#[api_errors::api_errors(spec = "specs/many_codes.yaml")]
pub enum Many {}

#[test]
fn every_code_finds_its_entry_and_nothing_else_does() {
    assert_eq!(Many::ALL.len(), 300);
    for (i, kind) in Many::ALL.iter().enumerate() {
        let code = format!("code_{i:03}");
        assert_eq!(Many::from_code(&code), Some(*kind), "{code}");
        assert_eq!(kind.code(), Some(code.as_str()));
        assert_eq!(kind.status(), 400 + (i as u16) % 50);
    }
    for miss in [
        "",
        "code_",
        "code_300",
        "code_0000",
        "CODE_001",
        "code_00",
        "zzz",
    ] {
        assert_eq!(Many::from_code(miss), None, "{miss}");
    }
    // Through a response: the code picks the entry documented with the status.
    let e = ApiError::<Many>::from_response(407, &(), br#""unused""#);
    assert_eq!(e.kind(), Many::from_status(407));
    assert_eq!(format!("{:?}", Many::ALL[299]), "Code299");
}
