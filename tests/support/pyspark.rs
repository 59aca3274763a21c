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
//! Most of a small local job's time is its driver JVM starting: loading and verifying the
//! thousands of classes Spark uses, then compiling the code it runs first. So every job's JVM
//! maps a class-data archive (`-XX:SharedArchiveFile`, Java's application class-data sharing),
//! made once per target folder by a training run (`tests/spark/class_archive.py`, under the OS
//! lock `<target>/spark-cds.lock`) into `<target>/spark-cds/`, and compiles with the quick
//! compiler only ([`QUICK_JIT`]). Neither changes what a job computes or how Spark plans and runs
//! it, only how fast its JVM gets going; the JVM checks the archive against its own build and
//! class path and runs without it when they differ. A failed training run only costs that speed
//! (a progress line says so).
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
    run_job_with(script, args, &[])
}

/// [`run_job`] with `spark-submit` options (`--conf key=value`...: Spark settings made outside
/// the job, as a user turns event logging on), passed in `PYSPARK_SUBMIT_ARGS`.
pub fn run_job_with(script: &Path, args: &[&str], submit: &[&str]) -> Output {
    let what = format!("the Spark job {} {args:?}", script.display());
    let started = Instant::now();
    let output = launch(script, args, submit, &driver_java_options(), &what);
    assert!(
        output.status.success(),
        "{what} failed ({}) after {:.1?}\n{}",
        output.status,
        started.elapsed(),
        show(&output)
    );
    output
}

/// Runs `script` on the PySpark interpreter with `submit` and the driver JVM's `java_options`
/// as its `PYSPARK_SUBMIT_ARGS` (always set: a value the environment holds never leaks in), and
/// returns its output, whether it succeeded or not.
fn launch(
    script: &Path,
    args: &[&str],
    submit: &[&str],
    java_options: &[String],
    what: &str,
) -> Output {
    let python = python();
    let mut submit_args: Vec<String> = submit.iter().map(|arg| shell_quote(arg)).collect();
    if !java_options.is_empty() {
        submit_args.push("--driver-java-options".to_owned());
        submit_args.push(shell_quote(&java_options.join(" ")));
    }
    submit_args.push("pyspark-shell".to_owned());
    let mut command = Command::new(&python);
    command
        .arg(script)
        .args(args)
        .current_dir(script.parent().expect("a job script lives in a folder"))
        .env("PYSPARK_PYTHON", &python)
        .env("PYSPARK_SUBMIT_ARGS", submit_args.join(" "))
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        // The pip-installed Spark, never another installation the machine may point at.
        .env_remove("SPARK_HOME");
    let started = Instant::now();
    let output = output_with_timeout(command, JOB_TIMEOUT, what);
    // On the real stderr, so the suite's log shows where its minutes go.
    progress(&format!(
        "{} {args:?}: {:.1?}",
        script.file_name().unwrap_or_default().to_string_lossy(),
        started.elapsed()
    ));
    output
}

/// `arg` quoted for the POSIX shell syntax that PySpark splits `PYSPARK_SUBMIT_ARGS` with
/// (`shlex.split`).
fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=[],@%+".contains(c))
    {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The options of a job's driver JVM: the quick compiler only, and the class-data archive when
/// there is one.
fn driver_java_options() -> Vec<String> {
    let mut options = vec![QUICK_JIT.to_owned()];
    if let Some(archive) = class_archive() {
        options.push(format!("-XX:SharedArchiveFile={}", archive.display()));
        options.extend(QUIET_CDS.iter().map(|option| option.to_string()));
    }
    options
}

/// Compiles with the quick compiler (C1) only. The jobs of these tests read at most a million
/// rows, and at that size they spend more time compiling code than running it: each of them
/// finished sooner this way than with the JVM's default tiered compilation (measured on two
/// cores, e.g. 25 s against 30 s for the example job on a million rows, 11 s against 15 s for a
/// job of a few hundred rows).
const QUICK_JIT: &str = "-XX:TieredStopAtLevel=1";

/// Keeps the JVM's class-data sharing messages (thousands of "skipping" lines while it dumps,
/// one line when it cannot use an archive) out of the jobs' stderr.
const QUIET_CDS: [&str; 2] = ["-Xlog:cds=off", "-Xlog:cds+dynamic=off"];

/// The class-data archive of the driver JVM (see the module's documentation): made on first use
/// in this target folder, `None` when it cannot be made or used.
pub fn class_archive() -> Option<PathBuf> {
    static ARCHIVE: OnceLock<Option<PathBuf>> = OnceLock::new();
    ARCHIVE.get_or_init(make_class_archive).clone()
}

fn make_class_archive() -> Option<PathBuf> {
    python();
    let target = target_dir();
    let folder = target.join("spark-cds");
    // One archive per Spark and Java build: a new one of either makes a new archive, where
    // the JVM would only refuse the old one.
    let name: String = format!("pyspark-{PYSPARK_VERSION}-java-{}", java_version())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let archive = folder.join(format!("{name}.jsa"));
    // The path goes into `--driver-java-options`, which Spark splits at blanks and quotes
    // (with backslash escapes).
    let path = archive.to_str()?;
    if path.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\')) {
        return None;
    }
    fs::create_dir_all(&folder).expect("the target folder can be created");
    let lock_path = target.join("spark-cds.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if archive.is_file() {
        return Some(archive);
    }

    progress(&format!(
        "making the class-data archive {}",
        archive.display()
    ));
    let started = Instant::now();
    let work = tempfile::tempdir_in(&folder).expect("a temporary folder in the target folder");
    // The JVM writes the archive as it exits: under a temporary name, renamed once the
    // training run has seen its JVM exit and a JVM has mapped it (a truncated archive crashes
    // the JVM that maps it).
    let partial = work.path().join("partial.jsa");
    let events = work.path().join("events");
    fs::create_dir_all(&events).expect("a folder for the training run's event log");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spark/class_archive.py");
    let data = work.path().join("data");
    let mut java_options = vec![format!("-XX:ArchiveClassesAtExit={}", partial.display())];
    java_options.extend(QUIET_CDS.iter().map(|option| option.to_string()));
    let event_dir = format!("spark.eventLog.dir=file://{}", events.display());
    let submit = [
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.eventLog.enabled=true",
        "--conf",
        &event_dir,
    ];
    let what = format!("the training run {}", script.display());
    let output = launch(&script, &[data.to_str()?], &submit, &java_options, &what);
    let maps = |archive: &Path| {
        let mut command = Command::new(java());
        command
            .arg(format!("-XX:SharedArchiveFile={}", archive.display()))
            .args(QUIET_CDS)
            .arg("-version");
        succeeds(&mut command)
    };
    if !output.status.success()
        || !String::from_utf8_lossy(&output.stdout).contains("archived")
        || !partial.is_file()
        || !maps(&partial)
    {
        progress(&format!(
            "no class-data archive, the jobs run without it: {what} ({}) made none\n{}",
            output.status,
            show(&output)
        ));
        return None;
    }
    fs::rename(&partial, &archive).unwrap_or_else(|e| {
        panic!(
            "cannot move {} to {}: {e}",
            partial.display(),
            archive.display()
        )
    });
    progress(&format!(
        "class-data archive ready in {:.0?}",
        started.elapsed()
    ));
    drop(lock);
    Some(archive)
}

/// Writes a progress line to the real stderr: libtest captures `eprintln!`, and a first
/// bootstrap that downloads hundreds of MB should not look like a hang.
fn progress(message: &str) {
    let _ = writeln!(std::io::stderr(), "pyspark: {message}");
}

fn bootstrap() -> PathBuf {
    java_version();
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

/// The `java` that PySpark starts: `$JAVA_HOME/bin/java`, else `java` on the PATH.
fn java() -> PathBuf {
    match std::env::var_os("JAVA_HOME") {
        Some(home) if !home.is_empty() => Path::new(&home).join("bin").join("java"),
        _ => PathBuf::from("java"),
    }
}

/// The build of that Java (`17.0.15+6-Debian-1deb12u1`), checked by [`check_java`].
fn java_version() -> String {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(check_java).clone()
}

/// Fails unless Java `MIN_JAVA` or later runs (`$JAVA_HOME/bin/java`, else `java` on the PATH),
/// as PySpark will start it; returns its build.
fn check_java() -> String {
    let java = java();
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
    // `java -version` prints `openjdk version "17.0.15" ...` (or `"1.8.0_392"`) on stderr, then
    // `OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)`.
    let banner = String::from_utf8_lossy(&output.stderr);
    let version = banner.split('"').nth(1);
    let major = version
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
    banner
        .lines()
        .find_map(|line| line.split_once("(build ")?.1.split_once(')'))
        .map(|(build, _)| build)
        .or(version)
        .unwrap_or_default()
        .to_owned()
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
