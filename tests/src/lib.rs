//! Integration and compile-fail tests of api-errors (not published).
//!
//! The README is compiled here as a doctest, so its example stays true.
#![doc = include_str!("../../README.md")]
