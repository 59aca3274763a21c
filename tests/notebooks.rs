//! End-to-end tests of Jupyter notebooks: notebooks written by Jupyter's own `nbformat`,
//! checked, diffed and fixed by the binary, and what it wrote read and validated by `nbformat`
//! again. A fix changes the sources of the cells it edits and no other byte; a notebook is one
//! Spark model across its cells; IPython lines are left alone.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "support/python_tools.rs"]
mod python_tools;
#[path = "support/run_sparkfix.rs"]
mod support;

use support::{folder_with, sparkfix_in};

/// Writes `path` with nbformat (as Jupyter saves a notebook): `cells` are `(kind, source)`, kind
/// `code`, `markdown`, or `code+output` (a code cell with a stream output and a tag).
fn write_notebook(path: &Path, cells: &[(&str, &str)]) {
    let spec = serde_json::json!({
        "path": path,
        "cells": cells.iter().map(|(kind, source)| serde_json::json!([kind, source])).collect::<Vec<_>>(),
    });
    python(
        r#"
import json, sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_output
spec = json.load(sys.stdin)
nb = new_notebook(metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.11.4"},
})
for index, (kind, source) in enumerate(spec["cells"]):
    if kind == "markdown":
        cell = new_markdown_cell(source)
    else:
        cell = new_code_cell(source, execution_count=index)
        if kind == "code+output":
            cell.outputs = [new_output("stream", name="stdout", text="42\n")]
            cell.metadata["tags"] = ["parameters"]
    cell["id"] = f"cell-{index}"
    nb.cells.append(cell)
nbformat.write(nb, spec["path"])
"#,
        &spec.to_string(),
    );
}

/// The notebook at `path` read and validated by nbformat: each code cell's source.
fn code_sources(path: &Path) -> Vec<String> {
    let out = python(
        r#"
import json, sys, nbformat
nb = nbformat.read(sys.stdin.read(), as_version=4)
nbformat.validate(nb)
print(json.dumps([cell.source for cell in nb.cells if cell.cell_type == "code"]))
"#,
        &path.display().to_string(),
    );
    serde_json::from_str(&out).unwrap()
}

fn python(script: &str, stdin: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(python_tools::python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

const SETUP: &str =
    "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()";

/// Reads a JSON file and uses its DataFrame twice: SPK001 caches it (safe: proven).
const JOB: &str =
    "df = spark.read.json(\"s3://bucket/events/\")\nrows = df.collect()\npdf = df.toPandas()";

#[test]
fn a_fix_in_one_cell_leaves_every_other_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    write_notebook(
        &path,
        &[
            ("markdown", "# Events\nCounted *twice*."),
            ("code", SETUP),
            ("code+output", "print(6 * 7)"),
            ("code", JOB),
            ("markdown", "Done."),
        ],
    );
    let before = fs::read_to_string(&path).unwrap();
    let (code, stdout, stderr) = sparkfix_in(dir.path(), &["--write", "nb.ipynb"], None);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "Fixed 1 finding in 1 file (0 remaining).\n");
    let after = fs::read_to_string(&path).unwrap();
    // Only the fourth cell's source array changed: every byte before and after it is kept.
    let source_of_cell_4 = {
        let cell = before.find("\"id\": \"cell-3\"").unwrap();
        let start = cell + before[cell..].find("\"source\": [").unwrap();
        start..start + before[start..].find(']').unwrap() + 1
    };
    let (head, tail) = (
        &before[..source_of_cell_4.start],
        &before[source_of_cell_4.end..],
    );
    assert!(after.starts_with(head) && after.ends_with(tail), "{after}");
    assert_eq!(
        &after[head.len()..after.len() - tail.len()],
        "\"source\": [\n    \"df = spark.read.json(\\\"s3://bucket/events/\\\").cache()\\n\",\n    \
         \"rows = df.collect()\\n\",\n    \"pdf = df.toPandas()\\n\",\n    \"df.unpersist()\"\n   ]"
    );
    assert_eq!(
        code_sources(&path)[2],
        "df = spark.read.json(\"s3://bucket/events/\").cache()\nrows = df.collect()\n\
         pdf = df.toPandas()\ndf.unpersist()"
    );
    // A second run changes nothing.
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "nb.ipynb"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn a_notebook_is_one_model_across_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    write_notebook(
        &path,
        &[
            ("code", SETUP),
            ("code", "df = spark.read.json(\"s3://bucket/events/\")"),
            ("markdown", "Count, then collect."),
            ("code", "pdf = df.toPandas()"),
            ("code", "rows = df.collect()"),
        ],
    );
    let (code, stdout, stderr) = sparkfix_in(dir.path(), &["nb.ipynb"], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with(
            "nb.ipynb:cell 2:1:1: SPK001 DataFrame `df` is recomputed by 2 full passes at lines \
             1 in cell 4, 1 in cell 5: cache it"
        ),
        "{stdout}"
    );
    let (code, diff, _) = sparkfix_in(dir.path(), &["--diff", "nb.ipynb"], None);
    assert_eq!(code, 1);
    assert_eq!(
        diff,
        "--- a/nb.ipynb:cell 2\n+++ b/nb.ipynb:cell 2\n@@ -1 +1 @@\n\
         -df = spark.read.json(\"s3://bucket/events/\")\n\\ No newline at end of file\n\
         +df = spark.read.json(\"s3://bucket/events/\").cache()\n\\ No newline at end of file\n\
         --- a/nb.ipynb:cell 5\n+++ b/nb.ipynb:cell 5\n@@ -1 +1,2 @@\n\
         -rows = df.collect()\n\\ No newline at end of file\n\
         +rows = df.collect()\n+df.unpersist()\n\\ No newline at end of file\n"
    );
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "nb.ipynb"], None);
    assert_eq!(code, 0, "{stderr}");
    let sources = code_sources(&path);
    assert_eq!(
        sources[1],
        "df = spark.read.json(\"s3://bucket/events/\").cache()"
    );
    assert_eq!(sources[2], "pdf = df.toPandas()");
    assert_eq!(sources[3], "rows = df.collect()\ndf.unpersist()");
}

#[test]
fn ipython_lines_and_other_languages_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    let magic_cell = "%pip install pyspark\n!ls -l /dbfs\nfiles = !ls\n\
                      for table in [\"a\", \"b\"]:\n    %time spark.table(table).count()\n"
        .to_string()
        + SETUP;
    write_notebook(
        &path,
        &[
            ("code", &magic_cell),
            ("code", "%%sql\nSELECT * FROM events\n"),
            (
                "code",
                "%%time\ndf = spark.read.json(\"s3://bucket/events/\")",
            ),
            ("code", "df?\npdf = df.toPandas()\nrows = df.collect()"),
        ],
    );
    let (code, stdout, stderr) = sparkfix_in(dir.path(), &["nb.ipynb"], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with("nb.ipynb:cell 3:2:1: SPK001 "),
        "{stdout}"
    );
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "nb.ipynb"], None);
    assert_eq!(code, 0, "{stderr}");
    let sources = code_sources(&path);
    assert_eq!(sources[0], magic_cell);
    assert_eq!(sources[1], "%%sql\nSELECT * FROM events\n");
    assert_eq!(
        sources[2],
        "%%time\ndf = spark.read.json(\"s3://bucket/events/\").cache()"
    );
    assert_eq!(
        sources[3],
        "df?\npdf = df.toPandas()\nrows = df.collect()\ndf.unpersist()"
    );
    // An R notebook holds no Python to check.
    let r = folder_with(&[(
        "r.ipynb",
        r#"{"cells": [{"cell_type": "code", "metadata": {}, "source": ["spark <- 1; df.count()"]}],
            "metadata": {"kernelspec": {"language": "R"}}, "nbformat": 4, "nbformat_minor": 5}"#,
    )]);
    let (code, stdout, stderr) = sparkfix_in(r.path(), &["."], None);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "", "All checks passed (1 file).\n")
    );
}

#[test]
fn findings_and_errors_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    write_notebook(
        &dir.path().join("nb.ipynb"),
        &[("code", SETUP), ("markdown", "x"), ("code", JOB)],
    );
    let (code, stdout, _) = sparkfix_in(dir.path(), &["--output-format", "json", "nb.ipynb"], None);
    assert_eq!(code, 1);
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = &findings[0];
    assert_eq!(finding["cell"], 3);
    assert_eq!(
        finding["location"],
        serde_json::json!({"line": 1, "column": 1})
    );
    // Byte offsets are the cell source's: the edit appends to the first line of cell 3.
    let edits = &finding["fix"]["edits"];
    assert_eq!(edits[0]["cell"], 3);
    assert_eq!(edits[0]["range"]["start"], JOB.find('\n').unwrap());
    assert_eq!(edits[0]["content"], ".cache()");

    // A cell that does not compile is named with its line and column.
    write_notebook(
        &dir.path().join("broken.ipynb"),
        &[
            ("code", SETUP),
            ("code", "df = spark.range(3)\nif df:\nx = 1"),
        ],
    );
    let broken_before = fs::read(dir.path().join("broken.ipynb")).unwrap();
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "broken.ipynb"], None);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "broken.ipynb:cell 2:3:1: cannot parse: expected an indented block after 'if' statement \
         on line 2\n  |\n3 | x = 1\n  | ^\n"
    );
    assert_eq!(
        fs::read(dir.path().join("broken.ipynb")).unwrap(),
        broken_before
    );
}

#[test]
fn bad_notebooks_are_reported_and_the_rest_is_fixed() {
    let dir = folder_with(&[
        (
            "cut.ipynb",
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"spark\"]",
        ),
        (
            "old.ipynb",
            "{\"worksheets\": [], \"nbformat\": 3, \"spark\": 1}",
        ),
        ("job.py", &format!("{SETUP}\n{JOB}\n")),
    ]);
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "."], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "cut.ipynb: not a valid notebook: EOF while parsing an object at line 1 column 52; left unchanged\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "old.ipynb: nbformat 3 notebooks are not supported (only 4); left unchanged\n"
        ),
        "{stderr}"
    );
    assert!(
        fs::read_to_string(dir.path().join("job.py"))
            .unwrap()
            .contains(".cache()")
    );
    assert!(
        fs::read_to_string(dir.path().join("cut.ipynb"))
            .unwrap()
            .ends_with("[\"spark\"]")
    );
}

#[test]
fn discovery_finds_notebooks_and_maps_extensions() {
    let dir = tempfile::tempdir().unwrap();
    write_notebook(
        &dir.path().join("a.ipynb"),
        &[("code", SETUP), ("code", JOB)],
    );
    write_notebook(&dir.path().join("b.ipy"), &[("code", SETUP), ("code", JOB)]);
    let (_, stdout, _) = sparkfix_in(dir.path(), &["--output-format", "concise", "."], None);
    let files: Vec<&str> = stdout
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["a.ipynb"]);
    let (_, stdout, _) = sparkfix_in(dir.path(), &["--extension", "ipy:ipynb", "."], None);
    let files: Vec<&str> = stdout
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["a.ipynb", "b.ipy"]);
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--extension", "ipy:scala", "."], None);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown language `scala`: expected python or ipynb"),
        "{stderr}"
    );
}

#[test]
fn add_noqa_and_show_fixes_work_in_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    write_notebook(&path, &[("code", SETUP), ("code", JOB)]);
    let (code, stdout, _) = sparkfix_in(dir.path(), &["--show-fixes", "nb.ipynb"], None);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "  safe fix (applied by --write):\n    --- a/nb.ipynb:cell 2\n    +++ b/nb.ipynb:cell 2\n"
        ),
        "{stdout}"
    );
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--add-noqa", "nb.ipynb"], None);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "Added 1 noqa comment in 1 file.\n")
    );
    assert_eq!(
        code_sources(&path)[1],
        JOB.replacen('\n', "  # noqa: SPK001\n", 1)
    );
    let (code, _, stderr) = sparkfix_in(dir.path(), &["nb.ipynb"], None);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "All checks passed (1 file).\n")
    );
}
