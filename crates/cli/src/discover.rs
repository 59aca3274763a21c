//! File discovery: the `.py` files under the given paths, minus ignored, hidden, virtualenv,
//! excluded and (unless `--include-tests`) test ones, sorted by path.

use std::io;
use std::path::{Path, PathBuf};

use ignore::{DirEntry, WalkBuilder};

use crate::exclude::Exclude;
use crate::paths;
use crate::test_files::{self, TestFiles};

/// One file to process, or a given path or folder that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// Why this path cannot be processed; `None` for a file to process.
    pub problem: Option<String>,
}

/// Finds the files to process under `paths`, sorted by path and without duplicates.
///
/// A path given explicitly as a file is always a target (unless `--exclude`d or a test file),
/// whatever its extension; folders are walked for `.py` files, honouring `.gitignore` and
/// skipping hidden folders, virtualenvs, `site-packages`, `__pycache__` and test files.
pub fn discover(paths: &[PathBuf], exclude: &Exclude, tests: &TestFiles) -> Vec<Target> {
    let mut targets = Vec::new();
    let mut folders = Vec::new();
    for given in paths {
        let path = paths::normalize(given);
        match std::fs::metadata(&path) {
            Err(error) => targets.push(Target {
                problem: Some(describe_io(&error)),
                path,
            }),
            Ok(meta) if exclude.excludes(&path, meta.is_dir()) => {}
            Ok(meta) if meta.is_dir() => folders.push(path),
            Ok(_) if tests.skips_named_file(&path) => {}
            Ok(_) => targets.push(Target {
                path,
                problem: None,
            }),
        }
    }
    if let Some((first, rest)) = folders.split_first() {
        let mut walk = WalkBuilder::new(first);
        for folder in rest {
            walk.add(folder);
        }
        let skip_tests = tests.skips();
        walk.hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(false)
            .overrides(exclude.overrides())
            .filter_entry(move |entry| {
                let tests = skip_tests && is_test_folder(entry);
                !is_environment(entry) && !tests
            });
        for entry in walk.build() {
            match entry {
                Ok(entry) if skip_tests && test_files::is_test_file_name(entry.file_name()) => {}
                Ok(entry) if is_python_file(&entry) => targets.push(Target {
                    path: paths::normalize(entry.path()),
                    problem: None,
                }),
                Ok(_) => {}
                Err(error) => targets.extend(walk_problem(&error)),
            }
        }
    }
    targets.sort_by(|a, b| a.path.cmp(&b.path));
    targets.dedup_by(|a, b| a.path == b.path);
    targets
}

fn is_python_file(entry: &DirEntry) -> bool {
    entry.file_type().is_some_and(|kind| kind.is_file())
        && entry.path().extension().is_some_and(|ext| ext == "py")
}

/// A `tests` or `test` folder below a folder given (the folder given itself is checked).
fn is_test_folder(entry: &DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_some_and(|kind| kind.is_dir())
        && test_files::is_test_folder_name(entry.file_name())
}

/// A folder that holds installed packages or caches rather than the project's own jobs.
fn is_environment(entry: &DirEntry) -> bool {
    if !entry.file_type().is_some_and(|kind| kind.is_dir()) || entry.depth() == 0 {
        return false;
    }
    let name = entry.file_name();
    name == "site-packages" || name == "__pycache__" || entry.path().join("pyvenv.cfg").is_file()
}

fn describe_io(error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::NotFound {
        "no such file or directory".to_owned()
    } else {
        format!("cannot read: {error}")
    }
}

/// The problem a walk error means for the user: an unreadable folder or file. Malformed ignore
/// files are not the user's jobs' problem and are skipped, as git does.
fn walk_problem(error: &ignore::Error) -> Option<Target> {
    fn find<'e>(
        error: &'e ignore::Error,
        path: Option<&'e Path>,
    ) -> Option<(Option<&'e Path>, &'e io::Error)> {
        match error {
            ignore::Error::WithPath { path, err } => find(err, Some(path)),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                find(err, path)
            }
            ignore::Error::Io(io) => Some((path, io)),
            _ => None,
        }
    }
    let (path, io) = find(error, None)?;
    let path = path
        .map(paths::normalize)
        .unwrap_or_else(|| PathBuf::from("."));
    Some(Target {
        path,
        problem: Some(format!("cannot read: {io}")),
    })
}
