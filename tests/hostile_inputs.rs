//! Hostile inputs, end to end: files that are empty, huge, deeply nested, binary, oddly encoded
//! or laid out, paths that loop, are folders, cannot be read or written or do not exist, files
//! that change while sparkfix works, and runs that fail or are killed half-way. Each gets a clear
//! message naming the file, the exit code says so, and no file is ever left other than as it was
//! or fully and correctly fixed.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/cpython.rs"]
mod cpython;
#[path = "support/run_sparkfix.rs"]
mod support;

use support::{folder_with, sparkfix_in};

/// A job whose frame feeds two actions: sparkfix caches it (SPK001), a safe fix.
const JOB: &str = "from pyspark.sql import SparkSession\n\
                   spark = SparkSession.builder.getOrCreate()\n\
                   df = spark.read.json(\"s3://bucket/events/\")\n\
                   rows = df.collect()\n\
                   df.write.parquet(\"s3://bucket/copy/\")\n";

/// [`JOB`] fixed.
const FIXED: &str = "from pyspark.sql import SparkSession\n\
                     spark = SparkSession.builder.getOrCreate()\n\
                     df = spark.read.json(\"s3://bucket/events/\").cache()\n\
                     rows = df.collect()\n\
                     df.write.parquet(\"s3://bucket/copy/\")\n\
                     df.unpersist()\n";

const HEADER: &str = "from pyspark.sql import SparkSession\n\
                      spark = SparkSession.builder.getOrCreate()\n";

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

/// Runs `--write` on `name` (holding `contents`) beside a fixable job; returns the exit code and
/// stderr, after checking that the job was fixed all the same.
fn write_beside_a_job(name: &str, contents: &[u8]) -> (i32, String, Vec<u8>) {
    let dir = folder_with(&[(name, contents), ("job.py", JOB.as_bytes())]);
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", name, "job.py"], None);
    assert_eq!(read(dir.path(), "job.py"), FIXED.as_bytes(), "{stderr}");
    (code, stderr, read(dir.path(), name))
}

/// The message lines sparkfix printed for `name`, without the source snippet.
fn messages<'a>(stderr: &'a str, name: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|line| line.starts_with(&format!("{name}:")))
        .collect()
}

#[test]
fn an_empty_file_passes() {
    let dir = folder_with(&[("empty.py", "")]);
    let (code, stdout, stderr) = sparkfix_in(dir.path(), &["--write", "empty.py"], None);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(read(dir.path(), "empty.py"), b"");
}

#[test]
fn a_ten_megabyte_file_is_skipped_for_its_size() {
    let mut big = String::from(JOB);
    while big.len() < 10_000_000 {
        big.push_str("df.count()\n");
    }
    let (code, stderr, after) = write_beside_a_job("big.py", big.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "big.py"),
        [format!(
            "big.py: skipped: the source is 9.5 MiB ({} bytes), over sparkfix's limit of 1 MiB \
             per source; left unchanged",
            big.len()
        )]
    );
    assert_eq!(after, big.as_bytes());
}

#[test]
fn a_ten_thousand_call_chain_is_refused_for_its_depth() {
    let chain = format!(
        "{HEADER}df = spark.read.json('p'){}\nrows = df.collect()\ndf.write.parquet('q')\n",
        ".filter('x > 1')".repeat(10_000)
    );
    let (code, stderr, after) = write_beside_a_job("chain.py", chain.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "chain.py"),
        [
            "chain.py:3:6: cannot parse: nested over 4000 levels deep, more than sparkfix follows \
          (CPython gives up at about 3000: RecursionError)"
        ]
    );
    // The 160 kB line is shown cut around the caret.
    assert!(stderr.len() < 1_000, "{} bytes of stderr", stderr.len());
    assert_eq!(after, chain.as_bytes());
}

#[test]
fn a_long_chain_cpython_compiles_is_fixed() {
    let chain = format!(
        "{HEADER}df = spark.read.json('p'){}\nrows = df.collect()\ndf.write.parquet('q')\n",
        ".filter('x > 1')".repeat(1_400)
    );
    let (code, stderr, after) = write_beside_a_job("chain.py", chain.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let after = String::from_utf8(after).unwrap();
    assert!(
        after.contains(".filter('x > 1').cache()\nrows = "),
        "{stderr}"
    );
    assert!(after.ends_with("df.write.parquet('q')\ndf.unpersist()\n"));
    assert_compiles(&after);
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_refused_as_cpython_does() {
    let nested = format!(
        "{HEADER}x = {}1{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let (code, stderr, after) = write_beside_a_job("nested.py", nested.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "nested.py"),
        ["nested.py:3:205: cannot parse: too many nested parentheses"]
    );
    assert!(stderr.len() < 1_000, "{} bytes of stderr", stderr.len());
    assert_eq!(after, nested.as_bytes());
}

#[test]
fn five_hundred_nested_blocks_are_refused_as_cpython_does() {
    let mut blocks = format!("{HEADER}df = spark.read.json('p')\n");
    for depth in 0..500 {
        blocks.push_str(&format!("{}if df:\n", "    ".repeat(depth)));
    }
    blocks.push_str(&format!("{}df.show()\n", "    ".repeat(500)));
    let (code, stderr, after) = write_beside_a_job("blocks.py", blocks.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "blocks.py"),
        ["blocks.py:104:401: cannot parse: too many levels of indentation"]
    );
    assert_eq!(after, blocks.as_bytes());
}

#[test]
fn a_nul_byte_is_refused_as_cpython_does() {
    let source = format!("{HEADER}df = spark.read.json('p')\0\ndf.collect()\n");
    let (code, stderr, after) = write_beside_a_job("nul.py", source.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "nul.py"),
        ["nul.py:3:26: cannot parse: source code cannot contain null bytes"]
    );
    assert_eq!(after, source.as_bytes());
}

#[test]
fn invalid_utf8_is_reported_and_left_byte_identical() {
    let mut source = JOB.as_bytes().to_vec();
    source.extend_from_slice(b"# caf\xe9\n");
    let (code, stderr, after) = write_beside_a_job("latin1.py", &source);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "latin1.py"),
        [format!(
            "latin1.py: not valid UTF-8 (byte offset {}); left unchanged",
            JOB.len() + 5
        )]
    );
    assert_eq!(after, source);
}

#[test]
fn a_utf8_bom_is_kept_through_a_fix() {
    let source = format!("\u{feff}{JOB}");
    let (code, stderr, after) = write_beside_a_job("bom.py", source.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(after, format!("\u{feff}{FIXED}").as_bytes());
}

#[test]
fn a_file_without_a_final_newline_is_fixed() {
    let source = JOB.trim_end();
    let (code, stderr, after) = write_beside_a_job("no_newline.py", source.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let after = String::from_utf8(after).unwrap();
    assert!(after.starts_with(&FIXED[..FIXED.find(".cache()").unwrap()]));
    assert!(after.contains("copy/\")\ndf.unpersist()"), "{after:?}");
    assert_compiles(&after);
    assert_second_run_changes_nothing("no_newline.py", &after);
}

#[test]
fn mixed_line_endings_are_kept_on_the_lines_not_fixed() {
    let source = JOB
        .replacen('\n', "\r\n", 1)
        .replace("collect()\n", "collect()\r\n");
    let (code, stderr, after) = write_beside_a_job("mixed.py", source.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let after = String::from_utf8(after).unwrap();
    assert!(after.starts_with("from pyspark.sql import SparkSession\r\nspark = "));
    assert!(
        after.contains(".cache()\nrows = df.collect()\r\ndf.write"),
        "{after:?}"
    );
    assert_compiles(&after);
    assert_second_run_changes_nothing("mixed.py", &after);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_reported_or_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = folder_with(&[("jobs/job.py", JOB)]);
    symlink("b.py", dir.path().join("a.py")).unwrap();
    symlink("a.py", dir.path().join("b.py")).unwrap();
    // A folder that holds a link to itself: walked once, never round and round.
    symlink("..", dir.path().join("jobs/again")).unwrap();
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "a.py", "jobs"], None);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "a.py"),
        ["a.py: cannot read: Too many levels of symbolic links (os error 40)"]
    );
    assert_eq!(read(dir.path(), "jobs/job.py"), FIXED.as_bytes());
}

#[test]
fn a_folder_named_like_a_python_file_is_walked_as_a_folder() {
    let dir = folder_with(&[("x.py/job.py", JOB)]);
    fs::create_dir(dir.path().join("y.py")).unwrap();
    let (code, stdout, stderr) = sparkfix_in(dir.path(), &["--diff", "."], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with("--- a/x.py/job.py\n+++ b/x.py/job.py\n"),
        "{stdout}"
    );
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "x.py", "y.py"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read(dir.path(), "x.py/job.py"), FIXED.as_bytes());
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with(&[("secret.py", JOB), ("job.py", JOB)]);
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(dir.path().join("job.py"), fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(
        dir.path().join("secret.py"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_sparkfix"));
    if is_root() {
        // Root reads any file: run as nobody, for whom the file is unreadable.
        command = Command::new("setpriv");
        command.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_sparkfix"));
    }
    let output = command
        .args(["--write", "secret.py", "job.py"])
        .current_dir(dir.path())
        .output()
        .expect("setpriv (util-linux) runs sparkfix as nobody");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        messages(&stderr, "secret.py"),
        ["secret.py: cannot read: Permission denied (os error 13)"]
    );
    assert_eq!(read(dir.path(), "job.py"), FIXED.as_bytes());
    fs::set_permissions(
        dir.path().join("secret.py"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    assert_eq!(read(dir.path(), "secret.py"), JOB.as_bytes());
}

#[test]
fn a_read_only_file_is_not_written() {
    let dir = folder_with(&[("locked.py", JOB), ("job.py", JOB)]);
    let locked = dir.path().join("locked.py");
    let mut permissions = fs::metadata(&locked).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&locked, permissions).unwrap();
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "locked.py", "job.py"], None);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "locked.py"),
        ["locked.py: cannot write: file is read-only"]
    );
    assert_eq!(read(dir.path(), "locked.py"), JOB.as_bytes());
    assert_eq!(read(dir.path(), "job.py"), FIXED.as_bytes());
}

#[test]
fn a_path_that_does_not_exist_is_reported() {
    let dir = folder_with(&[("job.py", JOB)]);
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "gone.py", "job.py"], None);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        messages(&stderr, "gone.py"),
        ["gone.py: no such file or directory"]
    );
    assert_eq!(read(dir.path(), "job.py"), FIXED.as_bytes());
}

/// Starts `sparkfix --write` on `paths` in `dir`, pausing before each write until the test
/// removes `marker` (see `SPARKFIX_TEST_PAUSE_BEFORE_WRITE` in `crates/cli/src/write.rs`).
fn paused_write(dir: &Path, marker: &Path, paths: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .arg("--write")
        .args(paths)
        .current_dir(dir)
        .env("SPARKFIX_TEST_PAUSE_BEFORE_WRITE", marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(marker: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "sparkfix never reached a write");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_file_changed_while_it_is_processed_is_not_written_over() {
    let dir = folder_with(&[("job.py", JOB)]);
    let marker = dir.path().join("paused");
    let child = paused_write(dir.path(), &marker, &["job.py"]);
    wait_for(&marker);
    // Someone saves the file after sparkfix read it and before it writes.
    let edited = format!("{JOB}print('edited')\n");
    fs::write(dir.path().join("job.py"), &edited).unwrap();
    fs::remove_file(&marker).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        messages(&stderr, "job.py").last().copied(),
        Some(
            "job.py: cannot write: the file changed while sparkfix processed it; left as it is \
             now (run sparkfix again)"
        )
    );
    assert_eq!(read(dir.path(), "job.py"), edited.as_bytes());
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind");
}

/// `count` jobs in a new folder, every third one read-only (its write fails).
fn many_jobs(count: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for index in 0..count {
        let name = format!("job_{index:04}.py");
        let path = dir.path().join(&name);
        fs::write(&path, JOB).unwrap();
        if index % 3 == 1 {
            let mut permissions = fs::metadata(&path).unwrap().permissions();
            permissions.set_readonly(true);
            fs::set_permissions(&path, permissions).unwrap();
        }
        names.push(name);
    }
    (dir, names)
}

/// Every file of `dir` holds its original text or its fixed text, nothing in between.
fn assert_original_or_fixed(dir: &Path, names: &[String]) -> (usize, usize) {
    let (mut original, mut fixed) = (0, 0);
    for name in names {
        let text = String::from_utf8(read(dir, name)).unwrap();
        if text == JOB {
            original += 1;
        } else if text == FIXED {
            fixed += 1;
        } else {
            panic!("{name} is neither original nor fixed:\n{text}");
        }
    }
    (original, fixed)
}

#[test]
fn a_failure_in_one_file_of_many_leaves_each_file_original_or_fixed() {
    let (dir, names) = many_jobs(30);
    let (code, _, stderr) = sparkfix_in(dir.path(), &["--write", "."], None);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr.matches("cannot write: file is read-only").count(),
        10,
        "{stderr}"
    );
    // The others are fixed.
    assert_eq!(assert_original_or_fixed(dir.path(), &names), (10, 20));
}

#[cfg(unix)]
#[test]
fn a_kill_during_write_leaves_each_file_original_or_fixed() {
    // Killed while a write is pending, at a known point...
    let (dir, names) = many_jobs(30);
    let marker = dir.path().join(".paused");
    let mut child = paused_write(dir.path(), &marker, &["."]);
    wait_for(&marker);
    child.kill().unwrap();
    child.wait().unwrap();
    let (original, fixed) = assert_original_or_fixed(dir.path(), &names);
    assert_eq!(original + fixed, 30);
    assert!(original >= 10, "the read-only files stay as they were");
    // ... and at arbitrary moments of a longer run.
    for delay in [20, 60, 150] {
        let (dir, names) = many_jobs(600);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
            .args(["--write", "."])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        assert_original_or_fixed(dir.path(), &names);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// `text` compiles for CPython.
fn assert_compiles(text: &str) {
    assert_eq!(
        cpython::refuses(&[text]),
        [false],
        "CPython refuses:\n{text}"
    );
}

/// A second `--write` on `fixed` (named `name`) changes nothing.
fn assert_second_run_changes_nothing(name: &str, fixed: &str) {
    let dir = folder_with(&[(name, fixed)]);
    let (_, stdout, stderr) = sparkfix_in(dir.path(), &["--diff", name], None);
    assert_eq!(stdout, "", "{stderr}");
    assert_eq!(read(dir.path(), name), fixed.as_bytes());
}
