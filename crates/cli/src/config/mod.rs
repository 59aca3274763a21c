//! Configuration files: `.sparkfix.toml`, `sparkfix.toml` (keys at the top level) and
//! `pyproject.toml` (keys under `[tool.sparkfix]`).
//!
//! - [`parse`] reads one file's text into a [`ConfigFile`], every bad key an error with its line;
//! - [`resolve`] lays the defaults, one configuration file and the command line over each other
//!   into the [`FileSettings`] a file is processed with, remembering where each value came from;
//! - [`find`] finds the file that governs a folder (the nearest one, walking up, as ruff does)
//!   and caches the result per folder;
//! - [`show`] prints `--show-settings`.

mod find;
mod parse;
mod resolve;
mod show;

use std::fmt;
use std::path::PathBuf;

pub use find::{Discovery, Resolver};
pub use parse::read_file;
pub use resolve::{CommandLine, FileSettings};
pub use show::show_settings;

/// The names of configuration files, in the order they win within one folder.
pub const FILE_NAMES: [&str; 3] = [".sparkfix.toml", "sparkfix.toml", "pyproject.toml"];

/// A bad configuration file: where, which key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line and column of the key or value at fault (1:1 when the file is unreadable).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The text of that line, shown under the message with a caret.
    pub line_text: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Where a resolved value came from, for `--show-settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// A configuration file and the 1-based line of the key.
    File {
        path: PathBuf,
        line: usize,
    },
    CommandLine,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}
