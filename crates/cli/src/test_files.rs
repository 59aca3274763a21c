//! Test files, skipped unless `--include-tests` (or `include-tests = true`): `test_*.py`, `*_test.py`, `conftest.py`, and
//! files in a `tests` or `test` folder.
//!
//! Only what lies below the path given counts: a folder walked is matched on the folders between
//! it and the file, so `sparkfix tests/` (or `sparkfix .` run inside a `tests` folder) checks that
//! folder's files, while `sparkfix .` skips a `tests` folder under it. A file named on the command
//! line (pre-commit passes names) is matched on the folders of its path as written, relative to
//! the current folder; for an absolute path elsewhere, on its name alone.

use std::path::{Component, Path, PathBuf};

/// The current folder, that files named on the command line are relative to.
#[derive(Debug, Clone)]
pub struct TestFiles {
    cwd: PathBuf,
}

impl TestFiles {
    /// `cwd`: the current folder.
    pub fn new(cwd: &Path) -> Self {
        TestFiles {
            cwd: cwd.to_path_buf(),
        }
    }

    /// Whether a file named on the command line is a test file.
    pub fn is_named_test_file(&self, path: &Path) -> bool {
        let relative = if path.is_absolute() {
            match path.strip_prefix(&self.cwd) {
                Ok(relative) => relative,
                Err(_) => return path.file_name().is_some_and(is_test_file_name),
            }
        } else {
            path
        };
        is_test_path(relative)
    }
}

/// A file name pytest collects, or its `conftest.py`.
pub fn is_test_file_name(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name == "conftest.py"
        || name
            .strip_suffix(".py")
            .is_some_and(|stem| stem.starts_with("test_") || stem.ends_with("_test"))
}

/// A folder of tests.
pub fn is_test_folder_name(name: &std::ffi::OsStr) -> bool {
    name == "tests" || name == "test"
}

/// Whether `relative`, a file's path below the root it was found from, is a test file: its name,
/// or one of its folders.
fn is_test_path(relative: &Path) -> bool {
    let mut names = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => Some(name),
            _ => None,
        });
    let Some(file) = names.next_back() else {
        return false;
    };
    is_test_file_name(file) || names.any(is_test_folder_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_file_names() {
        for name in ["test_etl.py", "etl_test.py", "conftest.py", "test_.py"] {
            assert!(is_test_file_name(name.as_ref()), "{name}");
        }
        for name in [
            "etl.py",
            "testing.py",
            "contest.py",
            "test_etl.txt",
            "latest.py",
            "attest_x.py",
        ] {
            assert!(!is_test_file_name(name.as_ref()), "{name}");
        }
    }

    #[test]
    fn named_files_are_matched_on_the_path_as_written() {
        let files = TestFiles::new(Path::new("/repo"));
        for path in [
            "tests/helpers.py",
            "src/test/helpers.py",
            "../tests/helpers.py",
            "jobs/test_etl.py",
            "/repo/tests/helpers.py",
            "/elsewhere/test_etl.py",
        ] {
            assert!(files.is_named_test_file(Path::new(path)), "{path}");
        }
        for path in [
            "helpers.py",
            "jobs/etl.py",
            "testing/etl.py",
            "contests/etl.py",
            // Outside the current folder, only the name counts.
            "/elsewhere/tests/helpers.py",
        ] {
            assert!(!files.is_named_test_file(Path::new(path)), "{path}");
        }
    }
}
