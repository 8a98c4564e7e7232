//! Editing a spec makes Cargo rebuild the crate that uses it, with the new variants.
//! Builds a scratch crate against this workspace's runtime in its own target dir.

use std::path::{Path, PathBuf};
use std::process::Command;

const ONE: &str =
    "vendor: Demo\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, meaning: Bad.}\n";
const TWO: &str = "vendor: Demo\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, meaning: Bad.}\n      - {status: 404, meaning: Gone.}\n";

fn run(dir: &Path, target: &Path) -> (String, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["run", "--quiet", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "scratch build failed:\n{stderr}");
    (
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        stderr,
    )
}

#[test]
fn editing_the_spec_rebuilds_the_crate() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rebuild");
    let dir = tmp.join("scratch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let runtime = root.join("runtime").canonicalize().unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\napi-errors = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.to_str().unwrap()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "#[api_errors::api_errors(spec = \"demo.yaml\")]\nenum E {}\nfn main() { println!(\"{}\", E::ALL.len()); }\n",
    )
    .unwrap();
    let spec = dir.join("demo.yaml");
    std::fs::write(&spec, ONE).unwrap();
    let target = tmp.join("target");

    assert_eq!(run(&dir, &target).0, "1");
    // Nothing changed: nothing is rebuilt (the output is the same, fresh).
    assert_eq!(run(&dir, &target).0, "1");
    std::fs::write(&spec, TWO).unwrap();
    // Cargo compares mtimes: date the edit clearly after the last build.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&spec)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert_eq!(
        run(&dir, &target).0,
        "2",
        "the edited spec was not picked up"
    );
}
