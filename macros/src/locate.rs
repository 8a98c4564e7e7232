//! Finding the spec file named by `spec = "..."`.
//!
//! A relative path is tried against the calling crate's directory
//! (`CARGO_MANIFEST_DIR`), then its `specs/` folder, then the folder of the source
//! file that holds the attribute (as `include_str!` would). The last one is what
//! lets trybuild cases, built in a scratch crate elsewhere, find specs beside them.

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
    /// Absolute path, for `include_bytes!`.
    pub absolute: String,
    /// The path to show in messages: relative to the base it was found under.
    pub shown: String,
}

pub fn find_spec(spec: &str, env: &Env) -> Result<Found, String> {
    let wanted = Path::new(spec);
    let mut tried: Vec<(PathBuf, String)> = Vec::new();
    if wanted.is_absolute() {
        tried.push((wanted.to_path_buf(), spec.to_string()));
    } else {
        if let Some(dir) = &env.manifest_dir {
            tried.push((dir.join(wanted), spec.to_string()));
            let in_specs = Path::new("specs").join(wanted);
            tried.push((dir.join(&in_specs), in_specs.display().to_string()));
        }
        if let Some(dir) = &env.source_dir {
            tried.push((dir.join(wanted), spec.to_string()));
        }
    }
    for (path, shown) in &tried {
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read spec file `{shown}`: {e}"))?;
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let absolute = absolute
            .to_str()
            .ok_or_else(|| format!("the path of spec file `{shown}` is not UTF-8; move it"))?
            .to_string();
        return Ok(Found {
            text,
            absolute,
            shown: shown.clone(),
        });
    }
    let mut message = format!("spec file `{spec}` not found; tried:");
    let bases = [
        "$CARGO_MANIFEST_DIR/",
        "$CARGO_MANIFEST_DIR/",
        "<folder of this source file>/",
    ];
    if wanted.is_absolute() {
        message.push_str(&format!("\n  - {spec}"));
    } else {
        let mut i = 0;
        if env.manifest_dir.is_some() {
            message.push_str(&format!("\n  - {}{}", bases[0], tried[0].1));
            message.push_str(&format!("\n  - {}{}", bases[1], tried[1].1));
            i = 2;
        }
        if env.source_dir.is_some() {
            message.push_str(&format!("\n  - {}{}", bases[2], tried[i].1));
        }
    }
    message.push_str("\nwrite the path relative to the crate's Cargo.toml, or put the file in its `specs/` folder");
    Err(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn finds_in_specs_folder_and_shows_relative_path() {
        let env = Env {
            manifest_dir: Some(repo()),
            source_dir: None,
        };
        let f = find_spec("kleene.yaml", &env).unwrap();
        assert_eq!(f.shown, "specs/kleene.yaml");
        assert!(Path::new(&f.absolute).is_absolute());
        assert!(f.text.contains("vendor:"));
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
