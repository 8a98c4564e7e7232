use api_errors::api_errors;

#[api_errors(spec = "specs/ok_multi.yaml", api = "first")]
pub enum E {
    Mine,
}

fn main() {}
