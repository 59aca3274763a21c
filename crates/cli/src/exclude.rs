//! `--exclude` and the configuration's `exclude`: gitignore-style globs, relative to the current
//! folder (or the configuration file's), that drop files and folders.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ignore::overrides::{Override, OverrideBuilder};

/// The `--exclude` globs, as an `ignore` override set (each glob negated with `!`).
#[derive(Debug, Clone)]
pub struct Exclude {
    overrides: Override,
    /// The folder the globs are relative to.
    root: PathBuf,
}

impl Exclude {
    /// Builds the matcher; globs are relative to `root` (the current folder).
    pub fn new(globs: &[String], root: &Path) -> anyhow::Result<Self> {
        let mut builder = OverrideBuilder::new(root);
        for glob in globs {
            builder
                .add(&format!("!{glob}"))
                .with_context(|| format!("bad --exclude `{glob}`"))?;
        }
        Ok(Exclude {
            overrides: builder.build().context("bad --exclude")?,
            root: root.to_path_buf(),
        })
    }

    /// The override set for [`ignore::WalkBuilder::overrides`], which prunes excluded folders.
    pub fn overrides(&self) -> Override {
        self.overrides.clone()
    }

    /// Whether a path given on the command line is excluded, by itself or by a parent folder.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        if self.overrides.is_empty() {
            return false;
        }
        if self.overrides.matched(path, is_dir).is_ignore() {
            return true;
        }
        path.ancestors()
            .skip(1)
            .filter(|parent| !parent.as_os_str().is_empty())
            .any(|parent| self.overrides.matched(parent, true).is_ignore())
    }

    /// Whether `path` (absolute) is excluded by itself or by a folder between it and the root;
    /// folders above the root are not the globs' business.
    pub fn excludes_below(&self, path: &Path, is_dir: bool) -> bool {
        if self.overrides.is_empty() || !path.starts_with(&self.root) || path == self.root {
            return false;
        }
        if self.overrides.matched(path, is_dir).is_ignore() {
            return true;
        }
        path.ancestors()
            .skip(1)
            .take_while(|parent| *parent != self.root && parent.starts_with(&self.root))
            .any(|parent| self.overrides.matched(parent, true).is_ignore())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_paths_and_parent_folders() {
        let root = Path::new("/repo");
        let exclude = Exclude::new(&["legacy".into(), "jobs/old_*.py".into()], root).unwrap();
        assert!(exclude.excludes(Path::new("legacy"), true));
        assert!(exclude.excludes(Path::new("src/legacy/a.py"), false));
        assert!(exclude.excludes(Path::new("jobs/old_daily.py"), false));
        assert!(exclude.excludes(Path::new("/repo/jobs/old_daily.py"), false));
        assert!(!exclude.excludes(Path::new("jobs/daily.py"), false));
        let below = Exclude::new(&["legacy".into()], Path::new("/repo/jobs")).unwrap();
        assert!(below.excludes_below(Path::new("/repo/jobs/legacy/a.py"), false));
        assert!(!below.excludes_below(Path::new("/legacy/jobs/a.py"), false));
        assert!(!below.excludes_below(Path::new("/repo/legacy/a.py"), false));
        assert!(
            !Exclude::new(&[], root)
                .unwrap()
                .excludes(Path::new("a.py"), false)
        );
    }
}
