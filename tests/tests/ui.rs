//! Compile-fail cases: one per diagnostic, each with its expected `.stderr`.
//! Their specs live in `tests/ui/specs/`, found next to each case's source file.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
