use api_errors::api_errors;

#[api_errors(vendor = "opnai")]
pub enum E {}

fn main() {
    let _ = api_errors::bundled_spec!("nope");
}
