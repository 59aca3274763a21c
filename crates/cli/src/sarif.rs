//! `--output-format sarif`: one SARIF 2.1.0 log (the OASIS standard GitHub code scanning and
//! most CI dashboards read), printed at the end. Every rule is described under
//! `runs[0].tool.driver.rules` from its YAML; each finding is a `result` pointing at its rule by
//! `ruleId` and `ruleIndex`, with its region and, when it has one, its fix as SARIF `fixes`.
//! Columns are counted in Unicode code points, as sparkfix counts them (`columnKind`). A
//! notebook's finding has its cell's lines, its cell in `properties.cell` and the message, and
//! no `fixes` (its edits are offsets of the cell's source, not of the file).

use serde_json::{Value, json};
use sparkfix_transform::{Location, all_metadata};

use crate::report::Finding;

/// The schema every log names (schemastore's copy of the OASIS 2.1.0 schema, as ruff names it).
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One finding as a SARIF `result`.
pub fn result(path: &str, finding: &Finding) -> Value {
    let uri = uri_of(path);
    let index = all_metadata()
        .iter()
        .position(|meta| meta.id == finding.code);
    let mut result = json!({
        "ruleId": finding.code,
        "level": if finding.is_guessed() { "note" } else { "warning" },
        "message": { "text": format!("{}{}", crate::formats::cell_note(finding), finding.message) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": region(finding.location, finding.end, Some(finding.range)),
            }
        }],
        "properties": {
            "evidence": finding.evidence,
            "fixable": finding.fixable,
        },
    });
    if let Some(index) = index {
        result["ruleIndex"] = json!(index);
    }
    if let Some(cell) = finding.cell {
        result["properties"]["cell"] = json!(cell);
    }
    // A notebook's edits are offsets of a cell's source, not of the file: no SARIF fix.
    if let Some(fix) = finding.fix.as_ref().filter(|_| finding.cell.is_none()) {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(edit.location, edit.end, Some(edit.range)),
                    "insertedContent": { "text": edit.content },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {
                "text": format!("{} fix of {} ({})", fix.applicability, finding.code, finding.name),
            },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri },
                "replacements": replacements,
            }],
        }]);
    }
    result
}

/// The whole log around `results`.
pub fn log(results: Vec<Value>) -> Value {
    let rules: Vec<Value> = all_metadata()
        .iter()
        .map(|meta| {
            json!({
                "id": meta.id,
                "name": meta.name,
                "shortDescription": { "text": meta.summary.trim() },
                "fullDescription": { "text": meta.rationale.trim() },
                "help": {
                    "text": format!(
                        "{}\n\nFix: {} ({})\n\nRun `sparkfix rule {}` for the whole documentation.",
                        meta.summary.trim(),
                        meta.safety.as_str(),
                        meta.safety_reason.trim(),
                        meta.id
                    ),
                },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "fix_safety": meta.safety.as_str() },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sparkfix",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A SARIF region: 1-based lines and columns, and the byte range as `byteOffset`/`byteLength`.
fn region(start: Location, end: Location, bytes: Option<(usize, usize)>) -> Value {
    let mut region = json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    });
    if let Some((from, to)) = bytes {
        region["byteOffset"] = json!(from);
        region["byteLength"] = json!(to.saturating_sub(from));
    }
    region
}

/// A relative path as a URI reference: `/` separators, and the characters a URI reserves or
/// forbids percent-encoded.
fn uri_of(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte))
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_of("jobs/daily etl.py"), "jobs/daily%20etl.py");
        assert_eq!(uri_of("a#b%.py"), "a%23b%25.py");
        assert_eq!(uri_of("é.py"), "%C3%A9.py");
    }
}
