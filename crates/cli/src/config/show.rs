//! `sparkfix --show-settings FILE`: the settings FILE would be checked with, each with where it
//! came from (the default, a configuration file and line, or the command line).

use std::fmt::Write as _;
use std::path::Path;

use sparkfix_transform::all_metadata;

use super::Origin;
use super::resolve::FileSettings;
use crate::paths;

/// The text printed for `file` (its name as given) resolved to `settings`.
pub fn show_settings(file: &Path, settings: &FileSettings, cwd: &Path) -> String {
    let shown = |path: &Path| paths::display(path, Some(cwd));
    let mut out = String::new();
    let _ = writeln!(out, "# Settings for {}", shown(file));
    match &settings.config {
        Some(config) => {
            let _ = writeln!(out, "# Configuration file: {}", shown(config));
        }
        None => out.push_str("# Configuration file: none\n"),
    }
    let lines: Vec<(String, String)> = settings
        .entries
        .iter()
        .map(|entry| {
            let origin = match &entry.origin {
                Origin::File { path, line } => format!("{}:{line}", shown(path)),
                other => other.to_string(),
            };
            (format!("{} = {}", entry.key, entry.value), origin)
        })
        .collect();
    // Long values (pattern lists) do not push every comment far right.
    let width = lines
        .iter()
        .map(|(line, _)| line.len())
        .filter(|&length| length <= 64)
        .max()
        .unwrap_or(0);
    for (line, origin) in &lines {
        let _ = writeln!(out, "{line:width$}  # {origin}");
    }
    let enabled: Vec<String> = all_metadata()
        .iter()
        .filter(|meta| settings.settings.rules.enables(&meta.id, &meta.name))
        .map(|meta| format!("{:?}", meta.id))
        .collect();
    let _ = writeln!(
        out,
        "# Rules that run (from select, extend-select and ignore): [{}]",
        enabled.join(", ")
    );
    out
}
