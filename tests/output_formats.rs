//! `--output-format sarif` end to end: the log of a run over the example jobs validates against
//! the vendored SARIF 2.1.0 schema (with Python's `jsonschema`, a real validator), and says what
//! the JSON output says: each finding a result on its rule, with its region and its fix.

use std::process::Command;

#[path = "support/python_tools.rs"]
mod python_tools;
#[path = "support/run_sparkfix.rs"]
mod support;

const SCHEMA: &str = "tests/data/sarif/sarif-schema-2.1.0.json";

/// The schema's complaints about `log` (empty when it is valid).
fn schema_errors(log: &serde_json::Value) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.sarif");
    std::fs::write(&file, serde_json::to_vec(log).unwrap()).unwrap();
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft4Validator.check_schema(schema)\n\
                  log = json.load(open(sys.argv[2]))\n\
                  validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())\n\
                  for error in sorted(validator.iter_errors(log), key=str):\n\
                  \x20   print(list(error.absolute_path), error.message)\n";
    let output = Command::new(python_tools::python())
        .args(["-c", script])
        .arg(support::repo().join(SCHEMA))
        .arg(&file)
        .output()
        .expect("the validator runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = support::sparkfix(args);
    assert_ne!(code, 2, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn sarif_validates_against_the_schema_and_matches_the_json_output() {
    let sarif = run_json(&["--output-format", "sarif", "--unsafe-fixes", "examples/"]);
    assert_eq!(schema_errors(&sarif), "");
    // The validator does reject what breaks the schema.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "loud".into();
    broken.as_object_mut().unwrap().remove("version");
    let complaints = schema_errors(&broken);
    assert!(
        complaints.contains("'version' is a required property"),
        "{complaints}"
    );
    assert!(complaints.contains("'loud' is not one of"), "{complaints}");

    let json = run_json(&["--output-format", "json", "--unsafe-fixes", "examples/"]);
    let findings = json.as_array().unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    assert!(findings.len() > 3, "the examples have findings");
    assert!(
        findings.iter().any(|f| f["evidence"] == "guessed")
            && findings.iter().any(|f| f["evidence"] == "proven")
    );
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["code"]);
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], finding["code"]);
        assert_eq!(rule["name"], finding["name"]);
        assert_eq!(result["message"]["text"], finding["message"]);
        let guessed = finding["evidence"] == "guessed";
        assert_eq!(result["level"], if guessed { "note" } else { "warning" });
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], finding["file"]);
        let region = &location["region"];
        assert_eq!(region["startLine"], finding["location"]["line"]);
        assert_eq!(region["startColumn"], finding["location"]["column"]);
        assert_eq!(region["endLine"], finding["end_location"]["line"]);
        assert_eq!(region["endColumn"], finding["end_location"]["column"]);
        assert_eq!(region["byteOffset"], finding["range"]["start"]);
        match finding["fix"].as_object() {
            None => assert!(result.get("fixes").is_none(), "{result}"),
            Some(fix) => {
                let replacements = result["fixes"][0]["artifactChanges"][0]["replacements"]
                    .as_array()
                    .unwrap();
                let edits = fix["edits"].as_array().unwrap();
                assert_eq!(replacements.len(), edits.len());
                for (replacement, edit) in replacements.iter().zip(edits) {
                    assert_eq!(replacement["insertedContent"]["text"], edit["content"]);
                    let deleted = &replacement["deletedRegion"];
                    assert_eq!(deleted["startLine"], edit["location"]["line"]);
                    assert_eq!(deleted["byteOffset"], edit["range"]["start"]);
                }
            }
        }
    }
    // Every rule is described, with its summary.
    assert_eq!(rules.len(), sparkfix_transform::all_metadata().len());
    assert!(
        rules
            .iter()
            .all(|rule| rule["shortDescription"]["text"].is_string())
    );
}

#[test]
fn a_clean_run_is_a_valid_log_without_results() {
    let dir = support::folder_with(&[(
        "clean.py",
        "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()\n",
    )]);
    let (code, stdout, _) = support::sparkfix_in(dir.path(), &["--output-format", "sarif"], None);
    assert_eq!(code, 0);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(schema_errors(&log), "");
}
