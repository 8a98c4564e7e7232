//! Compile-fail cases: each file a theme of diagnostics (one enum per misuse), with
//! its expected `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/*.rs");
}
