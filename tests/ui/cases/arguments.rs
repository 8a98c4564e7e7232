use api_errors::api_errors;

// The attribute's arguments: a spec that is not there, an unknown vendor, API or argument, a multi-API spec without `api`.

// missing file
#[api_errors(spec = "no_such_spec.yaml")]
pub enum MissingFile {}

// unknown vendor
#[api_errors(vendor = "opnai")]
pub enum UnknownVendor {}

// unknown api
#[api_errors(spec = "specs/ok_multi.yaml", api = "third")]
pub enum UnknownApi {}

// multi api without api
#[api_errors(spec = "specs/ok_multi.yaml")]
pub enum MultiApiWithoutApi {}

// unknown argument
#[api_errors(spec = "specs/ok_multi.yaml", apy = "first")]
pub enum UnknownArgument {}

fn main() {
    let _ = api_errors::bundled_spec!("nope");
}
