use api_errors::api_errors;

// What the attribute goes on: an empty, non-generic enum that derives nothing the macro implements.

// on struct
#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
pub struct OnStruct;

// non empty enum
#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
pub enum NonEmptyEnum {
    Mine,
}

// generic enum
#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
pub enum GenericEnum<T> {}

// derives twice
#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
#[derive(Debug, Clone, PartialOrd)]
pub enum DerivesTwice {}

fn main() {}
