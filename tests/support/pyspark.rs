//! Real PySpark for end-to-end tests: a virtualenv under the target folder, and a runner for jobs.
//!
//! [`python`] gives the interpreter of `<target>/spark-venv` (`target/spark-venv` unless
//! `CARGO_TARGET_DIR` or `build.target-dir` moves the target folder), creating it on first use
//! with `python3 -m venv` and `pip install pyspark==PYSPARK_VERSION` (about 400 MB to download).
//! Test binaries run in parallel, so the bootstrap holds an OS lock on `<target>/spark-venv.lock`
//! (also to check the install, which may be half done): one process installs, the others wait
//! and then find PySpark installed. The lock dies with its process, so an interrupted bootstrap
//! never leaves a stale lock; the next run recreates a virtualenv without pip and finishes the
//! install.
//!
//! [`run_job`] runs a job script with that interpreter and asserts that it succeeds. Jobs set
//! their own master (`local[2]`). Missing `python3` or Java fails the test with a message saying
//! what to install: nothing is skipped.
//!
//! Include it from a test with `#[path = "support/pyspark.rs"] mod pyspark;`.

#![allow(dead_code)] // each test binary uses its own part of the module

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// The PySpark release the jobs run on: the one `../shared/domain/spark-facts.md` was measured
/// with. Changing it reinstalls PySpark in the existing virtualenv on the next run.
pub const PYSPARK_VERSION: &str = "4.3.0";

/// The oldest Java that PySpark 4 runs on.
const MIN_JAVA: u32 = 17;

/// How long one job may run before it is killed (a local job takes seconds; this only keeps a
/// hung JVM from hanging the suite).
const JOB_TIMEOUT: Duration = Duration::from_secs(600);

/// The target folder of this build: `CARGO_TARGET_TMPDIR` is `<target>/tmp`, and honours
/// `CARGO_TARGET_DIR` and `build.target-dir`.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf()
}

/// The Python interpreter of the PySpark virtualenv, created and installed on first use.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(bootstrap).clone()
}

/// Runs `script` with `args` on the PySpark interpreter, in the script's folder, and returns
/// its output. Panics, with the job's stdout and stderr, when it fails or runs too long.
pub fn run_job(script: &Path, args: &[&str]) -> Output {
    run_job_with_env(script, args, &[])
}

/// [`run_job`] with extra environment variables (`PYSPARK_SUBMIT_ARGS`: Spark settings made
/// outside the job, as a user turns event logging on).
pub fn run_job_with_env(script: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let python = python();
    let mut command = Command::new(&python);
    command
        .arg(script)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(script.parent().expect("a job script lives in a folder"))
        .env("PYSPARK_PYTHON", &python)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        // The pip-installed Spark, never another installation the machine may point at.
        .env_remove("SPARK_HOME");
    let what = format!("the Spark job {} {args:?}", script.display());
    let started = Instant::now();
    let output = output_with_timeout(command, JOB_TIMEOUT, &what);
    // On the real stderr, so the suite's log shows where its minutes go.
    progress(&format!(
        "{} {args:?}: {:.1?}",
        script.file_name().unwrap_or_default().to_string_lossy(),
        started.elapsed()
    ));
    assert!(
        output.status.success(),
        "{what} failed ({}) after {:.1?}\n{}",
        output.status,
        started.elapsed(),
        show(&output)
    );
    output
}

/// Writes a progress line to the real stderr: libtest captures `eprintln!`, and a first
/// bootstrap that downloads hundreds of MB should not look like a hang.
fn progress(message: &str) {
    let _ = writeln!(std::io::stderr(), "pyspark: {message}");
}

fn bootstrap() -> PathBuf {
    check_java();
    let target = target_dir();
    let venv = target.join("spark-venv");
    let python = venv_python(&venv);

    // Always under the lock: a half-finished install may already import.
    fs::create_dir_all(&target).expect("the target folder can be created");
    let lock_path = target.join("spark-venv.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    if lock.try_lock().is_err() {
        progress(&format!(
            "waiting for another test process to install PySpark in {}",
            venv.display()
        ));
        lock.lock()
            .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    }
    if has_pyspark(&python) {
        return python;
    }

    let started = Instant::now();
    if !succeeds(Command::new(&python).args(["-m", "pip", "--version"])) {
        progress(&format!("creating the virtualenv {}", venv.display()));
        let mut command = Command::new("python3");
        command.args(["-m", "venv", "--clear"]).arg(&venv);
        run_checked(command, "python3 -m venv");
    }
    progress(&format!(
        "installing pyspark=={PYSPARK_VERSION} (about 400 MB to download on the first run)"
    ));
    let mut command = Command::new(&python);
    command.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("pyspark=={PYSPARK_VERSION}"),
    ]);
    run_checked(command, "pip install pyspark");
    assert!(
        has_pyspark(&python),
        "pyspark=={PYSPARK_VERSION} was installed in {} but does not import",
        venv.display()
    );
    progress(&format!(
        "PySpark ready in {:.0?} ({})",
        started.elapsed(),
        venv.display()
    ));
    drop(lock);
    python
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Whether `python` runs and imports the pinned PySpark release.
fn has_pyspark(python: &Path) -> bool {
    let check =
        format!("import sys, pyspark; sys.exit(pyspark.__version__ != {PYSPARK_VERSION:?})");
    succeeds(Command::new(python).args(["-c", &check]))
}

/// Whether `command` starts and exits 0 (its output is discarded).
fn succeeds(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Fails unless Java `MIN_JAVA` or later runs (`$JAVA_HOME/bin/java`, else `java` on the PATH),
/// as PySpark will start it.
fn check_java() {
    let java = match std::env::var_os("JAVA_HOME") {
        Some(home) if !home.is_empty() => Path::new(&home).join("bin").join("java"),
        _ => PathBuf::from("java"),
    };
    let output = Command::new(&java)
        .arg("-version")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}. PySpark {PYSPARK_VERSION} needs Java {MIN_JAVA} or later: \
                 install a JDK and put `java` on the PATH or set JAVA_HOME",
                java.display()
            )
        });
    // `java -version` prints `openjdk version "17.0.15" ...` (or `"1.8.0_392"`) on stderr.
    let banner = String::from_utf8_lossy(&output.stderr);
    let major = banner
        .split('"')
        .nth(1)
        .and_then(|version| {
            let mut parts = version.split(['.', '-', '_', '+']);
            match parts.next()? {
                "1" => parts.next(),
                first => Some(first),
            }
        })
        .and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if output.status.success() && major >= MIN_JAVA => {}
        _ => panic!(
            "PySpark {PYSPARK_VERSION} needs Java {MIN_JAVA} or later; `{} -version` said:\n{banner}",
            java.display()
        ),
    }
}

/// Runs a bootstrap command and panics with its output when it cannot start or fails.
fn run_checked(mut command: Command, what: &str) {
    let output = command.stdin(Stdio::null()).output().unwrap_or_else(|e| {
        panic!("cannot run {what} ({command:?}): {e}. Is python3 (with venv and pip) installed?")
    });
    assert!(
        output.status.success(),
        "{what} failed ({})\n{}",
        output.status,
        show(&output)
    );
}

/// Runs `command` with its output captured, killing it after `timeout`.
fn output_with_timeout(mut command: Command, timeout: Duration, what: &str) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} ({command:?}): {e}"));
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if Instant::now() >= deadline {
            kill(&mut child);
            // The JVM that PySpark started exits when its Python parent's pipe closes; do not
            // wait for it to release the output pipes.
            panic!("{what} did not finish within {timeout:?} and was killed");
        }
        thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: stdout.join().expect("the stdout reader does not panic"),
        stderr: stderr.join().expect("the stderr reader does not panic"),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// A process's stdout and stderr, for a panic message.
pub fn show(output: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
