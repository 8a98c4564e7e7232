//! Finding the spec file named by `spec = "..."`.
//!
//! A relative path is tried against the calling crate's directory
//! (`CARGO_MANIFEST_DIR`), then its `specs/` folder, then the folder of the source
//! file that holds the attribute (as `include_str!` would). The last one is what
//! lets trybuild cases, built in a scratch crate elsewhere, find specs beside them.
//! Last, a bare file name is looked up among the specs bundled with this crate, so
//! the crate's own file always wins over a bundled one.

use std::path::{Path, PathBuf};

/// Where the macro was called from.
pub struct Env {
    pub manifest_dir: Option<PathBuf>,
    pub source_dir: Option<PathBuf>,
}

/// A spec file, read.
#[derive(Debug)]
pub struct Found {
    pub text: String,
    /// Absolute path, for `include_bytes!`; `None` for a bundled spec (part of this
    /// crate: it changes only with it).
    pub absolute: Option<String>,
    /// The path to show in messages: relative to the base it was found under.
    pub shown: String,
}

/// One place a spec may be: the full path, the path to show, and the base to name
/// in "not found" messages.
struct Candidate {
    path: PathBuf,
    shown: String,
    base: &'static str,
}

pub fn find_spec(spec: &str, env: &Env) -> Result<Found, String> {
    let wanted = Path::new(spec);
    let mut tried: Vec<Candidate> = Vec::new();
    let mut at = |dir: &Path, shown: PathBuf, base: &'static str| {
        tried.push(Candidate {
            path: dir.join(&shown),
            shown: shown.display().to_string(),
            base,
        })
    };
    if wanted.is_absolute() {
        at(Path::new(""), wanted.to_path_buf(), "");
    } else {
        if let Some(dir) = &env.manifest_dir {
            at(dir, wanted.to_path_buf(), "$CARGO_MANIFEST_DIR/");
            at(dir, Path::new("specs").join(wanted), "$CARGO_MANIFEST_DIR/");
        }
        if let Some(dir) = &env.source_dir {
            at(dir, wanted.to_path_buf(), "<folder of this source file>/");
        }
    }
    for c in &tried {
        if !c.path.is_file() {
            continue;
        }
        let shown = &c.shown;
        let text = std::fs::read_to_string(&c.path)
            .map_err(|e| format!("cannot read spec file `{shown}`: {e}"))?;
        let absolute = std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone());
        let absolute = absolute
            .to_str()
            .ok_or_else(|| format!("the path of spec file `{shown}` is not UTF-8; move it"))?
            .to_string();
        return Ok(Found {
            text,
            absolute: Some(absolute),
            shown: shown.clone(),
        });
    }
    let bare = wanted.components().count() == 1;
    if let Some(found) = bare.then(|| bundled(spec)).flatten() {
        return Ok(found);
    }
    let mut message = format!("spec file `{spec}` not found; tried:");
    for c in &tried {
        message.push_str(&format!("\n  - {}{}", c.base, c.shown));
    }
    message.push_str(&format!(
        "\n  - the bundled specs: {}\nwrite the path relative to the crate's Cargo.toml, or put the file in its `specs/` folder",
        crate::bundled::names()
    ));
    Err(message)
}

/// A spec bundled with this crate, by name (`openai`) or file name (`openai.yaml`).
pub fn bundled(name: &str) -> Option<Found> {
    crate::bundled::find(name).map(|(name, text)| Found {
        text: text.to_string(),
        absolute: None,
        shown: format!("{name}.yaml (bundled)"),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A crate folder of the test run's own, its `specs/` holding every bundled spec
    /// as a file.
    pub(crate) fn crate_with_specs() -> PathBuf {
        // Written once per test run: tests run in parallel, and one must never read a
        // file another is still writing.
        static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        DIR.get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("api-errors-macros-{}", std::process::id()));
            std::fs::create_dir_all(dir.join("specs")).unwrap();
            for (name, text) in crate::bundled::SPECS {
                std::fs::write(dir.join("specs").join(format!("{name}.yaml")), text).unwrap();
            }
            dir
        })
        .clone()
    }

    fn repo() -> PathBuf {
        crate_with_specs()
    }

    #[test]
    fn finds_in_specs_folder_and_shows_relative_path() {
        let env = Env {
            manifest_dir: Some(repo()),
            source_dir: None,
        };
        let f = find_spec("kleene.yaml", &env).unwrap();
        assert_eq!(f.shown, "specs/kleene.yaml");
        assert!(Path::new(f.absolute.as_deref().unwrap()).is_absolute());
        assert!(f.text.contains("vendor:"));
    }

    #[test]
    fn a_bare_name_falls_back_to_the_bundled_specs() {
        // A folder of its own, empty: the shared temporary folder may hold anything.
        let empty = std::env::temp_dir().join(format!("api-errors-locate-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let env = Env {
            manifest_dir: Some(empty),
            source_dir: None,
        };
        let f = find_spec("openai.yaml", &env).unwrap();
        assert_eq!(
            (f.shown.as_str(), f.absolute),
            ("openai.yaml (bundled)", None)
        );
        // A path with a folder is never taken from the bundle.
        assert!(find_spec("vendors/openai.yaml", &env).is_err());
    }

    #[test]
    fn missing_file_lists_every_place_tried() {
        let env = Env {
            manifest_dir: Some(repo()),
            source_dir: Some(repo()),
        };
        let e = find_spec("nope.yaml", &env).unwrap_err();
        assert!(e.contains("$CARGO_MANIFEST_DIR/nope.yaml"), "{e}");
        assert!(e.contains("$CARGO_MANIFEST_DIR/specs/nope.yaml"), "{e}");
        assert!(e.contains("<folder of this source file>/nope.yaml"), "{e}");
    }
}
