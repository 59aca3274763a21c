//! The machine-readable forms of a finding (`--output-format`): a JSON object (`json`, a list of
//! them at the end; `json-lines`, one per line as they come), a GitHub Actions workflow
//! annotation (`github`) and a GitLab code quality entry (`gitlab`, an array at the end); SARIF
//! is `sarif.rs`. `text` and `concise` are the one-line form of `report.rs`.

use serde_json::{Value, json};

use crate::report::Finding;

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: CODE message [*]`, one line per finding.
    Text,
    /// The same one-line form (sparkfix prints no code frames).
    Concise,
    /// One JSON array of every finding, printed at the end.
    Json,
    /// One JSON object per finding, one per line.
    JsonLines,
    /// GitHub Actions workflow commands (`::warning file=...::message`).
    Github,
    /// A GitLab code quality report (one JSON array, printed at the end).
    Gitlab,
    /// A SARIF 2.1.0 log (one JSON document, printed at the end): see `sarif.rs`.
    Sarif,
}

/// A finding as a JSON object: file, rule code and name, message, evidence level, 1-based
/// line/column range and byte offsets, and the fix (applicability and edits), or null. In a
/// notebook, `cell` is the cell's number (among all cells, from 1) and lines, columns and
/// offsets are the cell source's (as ruff's); in a Python file it is null.
pub fn json_object(path: &str, finding: &Finding) -> Value {
    let position = |location: sparkfix_transform::Location| json!({ "line": location.line, "column": location.column });
    json!({
        "file": path,
        "cell": finding.cell,
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "evidence": finding.evidence,
        "location": position(finding.location),
        "end_location": position(finding.end),
        "range": { "start": finding.range.0, "end": finding.range.1 },
        "fixable": finding.fixable,
        "fix": finding.fix.as_ref().map(|fix| json!({
            "applicability": fix.applicability,
            "edits": fix.edits.iter().map(|edit| json!({
                "cell": edit.cell,
                "location": position(edit.location),
                "end_location": position(edit.end),
                "range": { "start": edit.range.0, "end": edit.range.1 },
                "content": edit.content,
            })).collect::<Vec<_>>(),
        })),
    })
}

/// A finding as an entry of a GitLab code quality report: description, check name, a
/// fingerprint stable across runs (the file, the rule and the message, FNV-1a), severity, and
/// the lines it spans.
pub fn gitlab_object(path: &str, finding: &Finding) -> Value {
    let key = format!(
        "{path}\0{}{}\0{}",
        cell_note(finding),
        finding.code,
        finding.message
    );
    json!({
        "description": format!("{}{} {}", cell_note(finding), finding.code, finding.message),
        "check_name": format!("{} ({})", finding.code, finding.name),
        "fingerprint": format!("{:016x}", fnv1a(key.as_bytes())),
        "severity": if finding.evidence == "guessed" { "minor" } else { "major" },
        "location": {
            "path": path,
            "lines": { "begin": finding.location.line, "end": finding.end.line },
        },
    })
}

/// The 64-bit FNV-1a hash: a fingerprint that does not change with the Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A GitHub Actions annotation: a warning on the finding's range, titled with the rule.
pub fn github_line(path: &str, finding: &Finding) -> String {
    format!(
        "::warning title={},file={},line={},col={},endLine={},endColumn={}::{}\n",
        escape_property(&format!("sparkfix {} ({})", finding.code, finding.name)),
        escape_property(path),
        finding.location.line,
        finding.location.column,
        finding.end.line,
        finding.end.column,
        escape_data(&format!("{}{}", cell_note(finding), finding.message))
    )
}

/// `cell N: ` before a notebook finding's message in the formats that have no cell field:
/// their lines are the cell's.
pub fn cell_note(finding: &Finding) -> String {
    finding
        .cell
        .map(|cell| format!("cell {cell}: "))
        .unwrap_or_default()
}

/// GitHub's escaping of a command's message (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a command's property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_what_its_commands_reserve() {
        assert_eq!(escape_data("100% done\nnext"), "100%25 done%0Anext");
        assert_eq!(escape_property("a,b:c.py"), "a%2Cb%3Ac.py");
    }

    #[test]
    fn fingerprints_are_fnv1a() {
        // The published FNV-1a test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
