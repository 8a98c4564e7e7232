//! Compile-fail tests of api-errors (not published): `tests/ui.rs` runs the cases in
//! `cases/`, each a theme of diagnostics with its expected `.stderr`; their specs are
//! in `cases/specs/`, found beside each case's source file (trybuild builds every
//! case in a scratch crate of its own, elsewhere).
