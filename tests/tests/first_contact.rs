//! A newcomer's first command stays cheap (issue 17.1): `cargo run --example quickstart`
//! builds the runtime crate's default dependencies and dev-dependencies, nothing of the
//! test crate. The timed figures are in BENCHMARKS.md (`scripts/quickstart_bench.py`);
//! this guards the count, which a new dev-dependency of the runtime would break.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The goal for the quickstart's cold build (BENCHMARKS.md, issue 17).
const MAX_CRATES: usize = 60;

#[test]
fn the_quickstart_builds_at_most_sixty_crates() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(cargo)
        .current_dir(&root)
        .args(["tree", "--offline", "--locked", "-p", "api-errors"])
        .args(["-e", "normal,build,dev", "--prefix", "none", "-f", "{p}"])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let crates: BTreeSet<&str> = text
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        crates.iter().any(|c| c.starts_with("api-errors-macros ")),
        "the tree names the runtime's dependencies: {crates:?}"
    );
    assert!(
        crates.len() <= MAX_CRATES,
        "the quickstart would build {} crates (goal: at most {MAX_CRATES}): {crates:#?}",
        crates.len()
    );
    for heavy in [
        "criterion",
        "proptest",
        "trybuild",
        "clap",
        "axum",
        "api-errors-cli",
    ] {
        assert!(
            !crates.iter().any(|c| c.split(' ').next() == Some(heavy)),
            "{heavy} is in the quickstart's build"
        );
    }
}
