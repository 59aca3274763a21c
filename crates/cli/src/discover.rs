//! File discovery: the `.py` and `.ipynb` files (and `--extension`'s) under the given paths, minus ignored, hidden, virtualenv,
//! excluded and (unless `--include-tests`) test ones, sorted by path. Each file gets the settings
//! of its folder's configuration, whose `exclude` and `include-tests` also steer the walk.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::{DirEntry, WalkBuilder};

use crate::config::{FileSettings, Resolver};
use crate::exclude::Exclude;
use crate::language::{Extensions, Language};
use crate::paths;
use crate::test_files::{self, TestFiles};

/// One file to process, or a given path or folder that could not be walked.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    /// Why this path cannot be processed; `None` for a file to process.
    pub problem: Option<String>,
    /// What it is read as.
    pub language: Language,
    /// The settings it is processed with.
    pub settings: Arc<FileSettings>,
}

/// Finds the files to process under `paths`, sorted by path and without duplicates.
///
/// A path given explicitly as a file is always a target (unless excluded, by `--exclude` or its
/// configuration, or a test file), whatever its extension (read as Python unless `extensions`
/// says otherwise); folders are walked for `.py` and `.ipynb` files and `extensions`' others,
/// honouring `.gitignore` and skipping hidden folders, virtualenvs, `site-packages`,
/// `__pycache__` and test files.
pub fn discover(
    paths: &[PathBuf],
    exclude: &Exclude,
    tests: &TestFiles,
    extensions: &Extensions,
    resolver: &Arc<Resolver>,
) -> Vec<Target> {
    let mut targets = Vec::new();
    let mut folders = Vec::new();
    for given in paths {
        let path = paths::normalize(given);
        let settings = resolver.for_file(&path);
        let absolute = paths::absolute(&path, resolver.cwd());
        match std::fs::metadata(&path) {
            Err(error) => targets.push(Target {
                problem: Some(describe_io(&error)),
                language: extensions.of_given(&path),
                path,
                settings,
            }),
            Ok(meta) if exclude.excludes(&path, meta.is_dir()) => {}
            Ok(meta) if settings.excludes(&absolute, meta.is_dir()) => {}
            Ok(meta) if meta.is_dir() => folders.push(path),
            Ok(_) if !settings.include_tests && tests.is_named_test_file(&path) => {}
            Ok(_) => targets.push(Target {
                language: extensions.of_given(&path),
                path,
                problem: None,
                settings,
            }),
        }
    }
    if let Some((first, rest)) = folders.split_first() {
        let mut walk = WalkBuilder::new(first);
        for folder in rest {
            walk.add(folder);
        }
        let filter = Arc::clone(resolver);
        walk.hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(false)
            .overrides(exclude.overrides())
            .filter_entry(move |entry| keeps(entry, &filter));
        for entry in walk.build() {
            match entry {
                Ok(entry) if is_file(&entry) && extensions.of_found(entry.path()).is_some() => {
                    let settings = resolver.for_file(entry.path());
                    if settings.include_tests || !test_files::is_test_file_name(entry.file_name()) {
                        targets.push(Target {
                            path: paths::normalize(entry.path()),
                            problem: None,
                            language: extensions.of_given(entry.path()),
                            settings,
                        });
                    }
                }
                Ok(_) => {}
                Err(error) => targets.extend(walk_problem(&error, resolver)),
            }
        }
    }
    targets.sort_by(|a, b| a.path.cmp(&b.path));
    targets.dedup_by(|a, b| a.path == b.path);
    targets
}

/// Whether the walk goes on into (or yields) `entry`: not an environment, not excluded by the
/// configuration of its folder, not a test folder unless that configuration includes tests.
fn keeps(entry: &DirEntry, resolver: &Resolver) -> bool {
    if entry.depth() == 0 {
        return true;
    }
    if is_environment(entry) {
        return false;
    }
    let settings = resolver.for_file(entry.path());
    let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
    if settings.excludes(&paths::absolute(entry.path(), resolver.cwd()), is_dir) {
        return false;
    }
    settings.include_tests || !is_test_folder(entry)
}

fn is_file(entry: &DirEntry) -> bool {
    entry.file_type().is_some_and(|kind| kind.is_file())
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
fn walk_problem(error: &ignore::Error, resolver: &Resolver) -> Option<Target> {
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
        settings: resolver.for_file(&path),
        language: Language::Python,
        path,
        problem: Some(format!("cannot read: {io}")),
    })
}
