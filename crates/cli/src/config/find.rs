//! Which configuration file governs a folder: `--config`, none with `--isolated`, or the nearest
//! one found walking up from the folder (`.sparkfix.toml`, then `sparkfix.toml`, then a
//! `pyproject.toml` with a `[tool.sparkfix]` table, in each folder). Each folder is looked up,
//! and each file read and resolved, once per run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sparkfix_eventlog::Problem;
use sparkfix_transform::Measurements;

use super::parse::{ConfigFile, read_file};
use super::resolve::{CommandLine, FileSettings};
use super::{ConfigError, FILE_NAMES};
use crate::{eventlogs, paths};

/// How configuration files are found.
#[derive(Debug, Clone)]
pub enum Discovery {
    /// The nearest file, walking up from each file's folder.
    Nearest,
    /// `--config PATH`: this file for every file.
    Fixed(Box<ConfigFile>),
    /// `--isolated`: no file at all.
    Isolated,
}

/// Resolves, and caches, the settings of each folder of a run.
#[derive(Debug)]
pub struct Resolver {
    discovery: Discovery,
    cli: CommandLine,
    cwd: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Each folder looked up: the configuration file that governs it, if any.
    folders: HashMap<PathBuf, Option<PathBuf>>,
    /// Each configuration file's settings (`None`: no file).
    settings: HashMap<Option<PathBuf>, Arc<FileSettings>>,
    /// Configuration files read but not resolved yet.
    parsed: HashMap<PathBuf, ConfigFile>,
    errors: Vec<ConfigError>,
    /// Problems met reading the configurations' event logs, and whether one could not be read.
    log_problems: Vec<Problem>,
    logs_failed: bool,
}

impl Resolver {
    pub fn new(discovery: Discovery, cli: CommandLine, cwd: &Path) -> Self {
        Resolver {
            discovery,
            cli,
            cwd: cwd.to_path_buf(),
            state: Mutex::new(State::default()),
        }
    }

    /// A resolver that reads no configuration file and skips no test file (for `sparkfix
    /// profile` and `report`, which match the files named to a job's run).
    pub fn without_configuration(cwd: &Path) -> Self {
        let cli = CommandLine {
            include_tests: Some(true),
            ..CommandLine::default()
        };
        Resolver::new(Discovery::Isolated, cli, cwd)
    }

    /// The current folder relative paths are resolved against.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// The settings of the files in `folder` (relative to the current folder, or absolute).
    pub fn for_folder(&self, folder: &Path) -> Arc<FileSettings> {
        let folder = paths::absolute(folder, &self.cwd);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let config = match &self.discovery {
            Discovery::Isolated => None,
            Discovery::Fixed(config) => {
                let path = config.path.clone();
                state
                    .parsed
                    .entry(path.clone())
                    .or_insert_with(|| (**config).clone());
                Some(path)
            }
            Discovery::Nearest => state.nearest(&folder),
        };
        state.settings_of(config, &self.cli)
    }

    /// The settings of the file at `path`: those of its folder.
    pub fn for_file(&self, path: &Path) -> Arc<FileSettings> {
        let absolute = paths::absolute(path, &self.cwd);
        self.for_folder(absolute.parent().unwrap_or(Path::new("/")))
    }

    /// The bad configuration files met so far, in the order met.
    pub fn errors(&self) -> Vec<ConfigError> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .errors
            .clone()
    }

    /// The distinct measurements the run's files are checked with (to report unused logs).
    pub fn measurements(&self) -> Vec<Measurements> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<Measurements> = self.cli.measurements.iter().cloned().collect();
        for settings in state.settings.values() {
            if !all.contains(&settings.settings.measurements) {
                all.push(settings.settings.measurements.clone());
            }
        }
        all
    }

    /// The problems met reading the configurations' event logs, and whether a log could not be
    /// read at all.
    pub fn log_problems(&self) -> (Vec<Problem>, bool) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.log_problems.clone(), state.logs_failed)
    }
}

impl State {
    /// The configuration file nearest to `folder` (absolute), walking up.
    fn nearest(&mut self, folder: &Path) -> Option<PathBuf> {
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in folder.ancestors() {
            if let Some(known) = self.folders.get(ancestor) {
                found = known.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            if let Some(config) = self.config_in(ancestor) {
                found = Some(config);
                break;
            }
        }
        for visited in visited {
            self.folders.insert(visited, found.clone());
        }
        found
    }

    /// The configuration file of `folder` itself, if it has one (a bad one counts: its errors
    /// are recorded and stop the run).
    fn config_in(&mut self, folder: &Path) -> Option<PathBuf> {
        for name in FILE_NAMES {
            let path = folder.join(name);
            if !path.is_file() {
                continue;
            }
            match read_file(&path) {
                Ok(None) => continue,
                Ok(Some(config)) => {
                    self.parsed.insert(path.clone(), config);
                }
                Err(errors) => self.errors.extend(errors),
            }
            return Some(path);
        }
        None
    }

    fn settings_of(&mut self, config: Option<PathBuf>, cli: &CommandLine) -> Arc<FileSettings> {
        if let Some(settings) = self.settings.get(&config) {
            return settings.clone();
        }
        let parsed = config.as_ref().and_then(|path| self.parsed.get(path));
        let mut resolved = FileSettings::resolve(parsed, cli);
        if !resolved.profile_to_load.is_empty() {
            let loaded = eventlogs::load(&resolved.profile_to_load);
            self.log_problems.extend(loaded.problems);
            self.logs_failed |= loaded.failed;
            resolved.settings.measurements = Measurements::new(loaded.profile);
        }
        let resolved = Arc::new(resolved);
        self.settings.insert(config, resolved.clone());
        resolved
    }
}
