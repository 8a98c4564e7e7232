//! Amplemarket's "Handling Errors" page, asserted through the generated enum.

use api_errors::{api_errors, ApiErrorKind, BodyShape};

#[api_errors(spec = "../specs/amplemarket.yaml")]
pub enum AmplemarketError {}

#[test]
fn app_codes_resolve_by_from_code() {
    use AmplemarketError::*;
    assert_eq!(
        AmplemarketError::from_code("insufficient_credits"),
        Some(InsufficientCredits)
    );
    assert_eq!(InsufficientCredits.code(), Some("insufficient_credits"));
    assert!(InsufficientCredits.message().contains("credits"));
    for e in AmplemarketError::ALL {
        assert_eq!(AmplemarketError::from_code(e.code().unwrap()), Some(*e));
    }
    assert_eq!(AmplemarketError::ALL.len(), 7);
    assert_eq!(AmplemarketError::from_code("no_such_code"), None);
    assert_eq!(AmplemarketError::from_code("Insufficient_Credits"), None);
}

#[test]
fn shared_status_resolves_to_the_primary_entry() {
    assert_eq!(
        AmplemarketError::from_status(400),
        AmplemarketError::UnsupportedValue
    );
    assert_eq!(AmplemarketError::MissingField.status(), 400);
}

#[test]
fn declares_the_jsonapi_errors_member() {
    assert_eq!(
        <AmplemarketError as ApiErrorKind>::BODY,
        BodyShape::JsonApi {
            errors: &["_errors"]
        }
    );
}
