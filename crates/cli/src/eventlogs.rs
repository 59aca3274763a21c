//! Finding and opening event logs for `--profile` and `sparkfix profile`: the IO half of the
//! eventlog crate. A path is a log file, a Spark 4 rolled folder (`eventlog_v2_<app>`), or a
//! folder of logs (Spark's `spark.eventLog.dir`: files and rolled folders side by side).
//!
//! Logs are read in parallel, each streamed by its own [`LogReader`].

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sparkfix_eventlog::{LogReader, Problem, Profile, layout};

use crate::paths;

/// The files of one log, in reading order, and the name to show for it.
#[derive(Debug, Clone)]
pub struct LogFiles {
    pub name: String,
    pub files: Vec<PathBuf>,
}

/// What reading the logs gave: the runs, the problems met (each names its file), and whether
/// some path could not be read at all (which makes the exit code 2).
#[derive(Debug, Default)]
pub struct Loaded {
    pub profile: Profile,
    pub problems: Vec<Problem>,
    pub failed: bool,
}

/// Finds and reads the logs under `paths`.
pub fn load(paths: &[PathBuf]) -> Loaded {
    let cwd = std::env::current_dir().ok();
    let mut loaded = Loaded::default();
    let mut logs = Vec::new();
    for path in paths {
        match find(path, cwd.as_deref()) {
            Ok(found) if found.is_empty() => {
                loaded.failed = true;
                loaded.problems.push(Problem {
                    file: paths::display(path, cwd.as_deref()),
                    message: "no event logs in this folder".to_string(),
                });
            }
            Ok(found) => logs.extend(found),
            Err(message) => {
                loaded.failed = true;
                loaded.problems.push(Problem {
                    file: paths::display(path, cwd.as_deref()),
                    message,
                });
            }
        }
    }
    let results: Vec<_> = logs
        .par_iter()
        .map(|log| read(log, cwd.as_deref()))
        .collect();
    for (run, problems) in results {
        // A log in which nothing of an application was found is no evidence at all.
        if run.app_id.is_none() && run.queries.is_empty() && run.stages.is_empty() {
            loaded.failed = true;
        } else {
            loaded.profile.runs.push(run);
        }
        loaded.problems.extend(problems);
    }
    loaded
}

/// The logs a path names.
fn find(path: &Path, cwd: Option<&Path>) -> Result<Vec<LogFiles>, String> {
    let metadata = fs::metadata(path).map_err(|error| format!("cannot read: {error}"))?;
    if metadata.is_file() {
        return Ok(vec![LogFiles {
            name: paths::display(path, cwd),
            files: vec![path.to_path_buf()],
        }]);
    }
    let folder_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    if layout::is_rolled_folder(folder_name) {
        return rolled(path, cwd).map(|log| vec![log]);
    }
    let mut logs = Vec::new();
    in_folder(path, cwd, MAX_DEPTH, &mut logs)?;
    Ok(logs)
}

/// How many folders deep a folder of logs is searched.
const MAX_DEPTH: usize = 4;

/// The logs in a folder of logs, in name order: files, rolled folders, and the logs of other
/// sub-folders down to `depth` more levels.
fn in_folder(
    path: &Path,
    cwd: Option<&Path>,
    depth: usize,
    logs: &mut Vec<LogFiles>,
) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|error| format!("cannot read the folder: {error}"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_string();
        if entry.is_dir() && layout::is_rolled_folder(&name) {
            logs.push(rolled(&entry, cwd)?);
        } else if entry.is_dir() && depth > 0 && !name.starts_with('.') {
            in_folder(&entry, cwd, depth - 1, logs)?;
        } else if entry.is_file() && layout::may_be_log_file(&name) {
            logs.push(LogFiles {
                name: paths::display(&entry, cwd),
                files: vec![entry],
            });
        }
    }
    Ok(())
}

/// A Spark 4 rolled log: its `events_<n>_...` parts in order.
fn rolled(folder: &Path, cwd: Option<&Path>) -> Result<LogFiles, String> {
    let names: Vec<String> = fs::read_dir(folder)
        .map_err(|error| format!("cannot read the folder: {error}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let parts = layout::rolled_parts(&names);
    if parts.is_empty() {
        return Err("a rolled event log folder without any events_<n>_<app> part".to_string());
    }
    Ok(LogFiles {
        name: paths::display(folder, cwd),
        files: parts.into_iter().map(|part| folder.join(part)).collect(),
    })
}

/// Reads one log, streaming each of its files.
fn read(log: &LogFiles, cwd: Option<&Path>) -> (sparkfix_eventlog::Run, Vec<Problem>) {
    let mut reader = LogReader::new(log.name.clone());
    let mut problems = Vec::new();
    for file in &log.files {
        let name = paths::display(file, cwd);
        match fs::File::open(file) {
            Ok(opened) => reader.read_file(&name, opened),
            Err(error) => problems.push(Problem {
                file: name,
                message: format!("cannot read: {error}"),
            }),
        }
    }
    let (run, more) = reader.finish();
    problems.extend(more);
    (run, problems)
}
