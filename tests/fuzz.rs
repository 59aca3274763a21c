//! Fuzzing on the stable toolchain: a seeded mutator (`support/mutate.rs`) turns the rule
//! fixtures, the examples, the real job files of the test suite and the saved corpus
//! (`tests/fuzz/corpus/`) into broken, odd and hostile variants, and feeds them to the engine;
//! and the same for the event-log reader with the logs under `tests/eventlogs/logs/`.
//!
//! The engine must never panic and never loop (a watchdog fails a case that runs over 20 s);
//! whenever it returns a fixed text, that text compiles for CPython (checked in one Python
//! process per batch) and a second pass over it changes nothing. The reader must never panic
//! on mutated, truncated, concatenated or damaged logs, nor must what is built from its runs
//! (the replays, and the rules fed those measurements).
//!
//! A CI run tries `SPARKFIX_FUZZ_CASES` mutants (6000 sources, 200 logs by default, about half a
//! minute in a debug build) from the fixed seed `SPARKFIX_FUZZ_SEED` (default 0x5eed), within
//! `SPARKFIX_FUZZ_SECONDS`; `scripts/fuzz.sh` runs for a time from a fresh seed. A
//! failing input is saved under `target/fuzz-failures/`: add it to `tests/fuzz/corpus/`, where
//! every run replays it first.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use sparkfix_eventlog::{LogReader, Profile, codec, replay};
use sparkfix_transform::{Measurements, RuleSelection, Settings, SparkVersion, check, fix};

#[path = "support/cpython.rs"]
mod cpython;
#[path = "support/mutate.rs"]
mod mutate;

use mutate::Rng;

/// A case running longer than this is taken for a loop.
const CASE_LIMIT: Duration = Duration::from_secs(20);

/// Fixed texts checked by one CPython process.
const CPYTHON_BATCH: usize = 400;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// How many mutants a run tries (`SPARKFIX_FUZZ_CASES`, default `default`), within
/// `SPARKFIX_FUZZ_SECONDS` (default 150) spent by all fuzz tests: a count, so that a CI run from
/// the fixed seed tries the same inputs on every machine.
fn budget(default: usize) -> (usize, Duration) {
    let cases = std::env::var("SPARKFIX_FUZZ_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default);
    let seconds = std::env::var("SPARKFIX_FUZZ_SECONDS")
        .ok()
        .and_then(|value| value.parse::<f64>().ok())
        .unwrap_or(150.0);
    (cases, Duration::from_secs_f64(seconds))
}

fn seed() -> u64 {
    std::env::var("SPARKFIX_FUZZ_SEED")
        .ok()
        .and_then(|value| {
            let value = value.trim();
            match value.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => value.parse().ok(),
            }
        })
        .unwrap_or(0x5eed)
}

/// The `.py` files under `folder`, recursively, in path order.
fn python_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "py") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The sources mutated: the corpus first, then fixtures, examples and real job files.
fn seeds() -> Vec<(String, String)> {
    let corpus = python_files(&repo().join("tests/fuzz/corpus"));
    let mut files = corpus;
    for folder in [
        "tests/fixtures",
        "examples",
        "tests/spark",
        "tests/eventlogs/jobs",
    ] {
        files.extend(python_files(&repo().join(folder)));
    }
    files
        .iter()
        .filter_map(|path| {
            let text = fs::read_to_string(path).ok()?;
            let name = path
                .strip_prefix(repo())
                .unwrap_or(path)
                .display()
                .to_string();
            Some((name, text))
        })
        .collect()
}

/// The settings a case runs under: every rule on, each Spark version line, fixes safe and
/// unsafe.
fn settings_for(choice: usize) -> Settings {
    let versions = ["3.2", "3.5", "4.0", "4.3"];
    Settings {
        target_spark: versions[choice % versions.len()]
            .parse::<SparkVersion>()
            .unwrap(),
        unsafe_fixes: choice.is_multiple_of(2),
        rules: RuleSelection::of(vec!["SPK".to_owned()], Vec::new()),
        ..Settings::default()
    }
}

/// Why a case failed.
struct Failure {
    kind: &'static str,
    detail: String,
    input: String,
}

/// A case whose fix changed the text, for the CPython batch.
struct Fixed {
    input: String,
    fixed: String,
    origin: String,
}

/// Runs the engine on `input` in check and fix mode; returns the fixed text when it changed.
fn run_case(input: &str, settings: &Settings) -> Result<Option<String>, (&'static str, String)> {
    let outcome = std::panic::catch_unwind(|| {
        let _ = check(input, settings);
        fix(input, settings)
    })
    .map_err(|payload| ("panic", panic_message(&*payload)))?;
    let Ok(outcome) = outcome else {
        return Ok(None);
    };
    if let Some(failure) = outcome.failure {
        // The engine caught its own rule bug and left the text alone: still a rule bug.
        return Err(("fix-failure", failure.to_string()));
    }
    if outcome.fixed == input {
        return Ok(None);
    }
    let again = std::panic::catch_unwind(|| fix(&outcome.fixed, settings))
        .map_err(|payload| ("panic-second-pass", panic_message(&*payload)))?;
    match again {
        Ok(second) if second.fixed == outcome.fixed => Ok(Some(outcome.fixed)),
        Ok(second) => Err((
            "second-pass-changes",
            first_difference(&outcome.fixed, &second.fixed),
        )),
        Err(error) => Err(("fixed-text-does-not-parse", error.to_string())),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(a.lines().count().min(b.lines().count()));
    format!("the texts differ from line {}", line + 1)
}

/// The indices of the `sources` CPython does not compile.
fn cpython_refuses(sources: &[&str]) -> Vec<usize> {
    cpython::refuses(sources)
        .into_iter()
        .enumerate()
        .filter_map(|(index, refused)| refused.then_some(index))
        .collect()
}

/// Checks a batch of fixed texts with CPython: each must compile.
fn check_batch(batch: &mut Vec<Fixed>, failures: &mut Vec<Failure>) {
    if batch.is_empty() {
        return;
    }
    let fixed: Vec<&str> = batch.iter().map(|case| case.fixed.as_str()).collect();
    let refused = cpython_refuses(&fixed);
    if !refused.is_empty() {
        let inputs: Vec<&str> = refused.iter().map(|&i| batch[i].input.as_str()).collect();
        let inputs_refused = cpython_refuses(&inputs);
        for (position, &index) in refused.iter().enumerate() {
            let case = &batch[index];
            let kind = if inputs_refused.contains(&position) {
                // CPython refuses the input too: the syntax check missed what CPython refuses.
                "fixed-a-file-cpython-refuses"
            } else {
                "fix-breaks-cpython"
            };
            failures.push(Failure {
                kind,
                detail: format!("a mutant of {}", case.origin),
                input: case.input.clone(),
            });
        }
    }
    batch.clear();
}

/// Runs `cases` on a worker thread, failing if one case outlasts [`CASE_LIMIT`].
fn with_watchdog<T: Send + 'static>(
    work: impl FnOnce(Arc<AtomicU64>, Arc<Mutex<String>>) -> T + Send + 'static,
) -> T {
    let started = Arc::new(AtomicU64::new(0));
    let current = Arc::new(Mutex::new(String::new()));
    let (send, receive) = mpsc::channel();
    let worker = {
        let started = Arc::clone(&started);
        let current = Arc::clone(&current);
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let result = work(started, current);
                let _ = send.send(());
                result
            })
            .unwrap()
    };
    let clock = Instant::now();
    loop {
        match receive.recv_timeout(Duration::from_millis(200)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let since = Duration::from_millis(started.load(Ordering::Relaxed));
                if clock.elapsed().saturating_sub(since) > CASE_LIMIT {
                    let input = current.lock().unwrap().clone();
                    let path = save_failure("loop", &input);
                    panic!(
                        "a case ran over {CASE_LIMIT:?} (a loop?); its input is {}",
                        path.display()
                    );
                }
            }
        }
    }
    worker.join().expect("the fuzz worker finishes")
}

/// Saves a failing input; returns its path.
fn save_failure(kind: &str, input: &str) -> PathBuf {
    let folder = repo().join("target/fuzz-failures");
    fs::create_dir_all(&folder).unwrap();
    let hash = input.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let path = folder.join(format!("{kind}-{hash:016x}.py"));
    fs::write(&path, input).unwrap();
    path
}

fn report(failures: &[Failure], what: &str) {
    if failures.is_empty() {
        return;
    }
    let mut message = format!("{} failing {what} cases:\n", failures.len());
    for failure in failures.iter().take(20) {
        let path = save_failure(failure.kind, &failure.input);
        message.push_str(&format!(
            "  {}: {} (input saved as {})\n",
            failure.kind,
            failure.detail,
            path.display()
        ));
    }
    message.push_str("Add the inputs to tests/fuzz/corpus/ once fixed.");
    panic!("{message}");
}

#[test]
fn mutated_sources_never_crash_loop_or_break_a_file() {
    let seeds = seeds();
    assert!(seeds.len() > 50, "the seeds were found");
    let (limit, seconds) = budget(6_000);
    let deadline = seconds.mul_f64(0.75);
    let seed = seed();
    eprintln!("fuzzing the engine from seed {seed:#x}: {limit} mutants within {deadline:?}");
    let (cases, fixed, failures) = with_watchdog(move |started, current| {
        let clock = Instant::now();
        let mut rng = Rng::new(seed);
        let mut failures = Vec::new();
        let mut batch = Vec::new();
        let (mut cases, mut fixed) = (0usize, 0usize);
        // The corpus and the seeds as they are, then mutants until the budget is spent.
        let mut index = 0usize;
        while index < seeds.len() || (index - seeds.len() < limit && clock.elapsed() < deadline) {
            let (input, origin) = if index < seeds.len() {
                (seeds[index].1.clone(), seeds[index].0.clone())
            } else {
                let (name, text) = rng.pick(&seeds);
                let other = &rng.pick(&seeds).1;
                (mutate::mutate_source(&mut rng, text, other), name.clone())
            };
            index += 1;
            let settings = settings_for(rng.below(8));
            *current.lock().unwrap() = input.clone();
            started.store(clock.elapsed().as_millis() as u64, Ordering::Relaxed);
            cases += 1;
            match run_case(&input, &settings) {
                Ok(Some(text)) => {
                    fixed += 1;
                    batch.push(Fixed {
                        input,
                        fixed: text,
                        origin,
                    });
                    if batch.len() >= CPYTHON_BATCH {
                        check_batch(&mut batch, &mut failures);
                    }
                }
                Ok(None) => {}
                Err((kind, detail)) => failures.push(Failure {
                    kind,
                    detail: format!("{detail} (a mutant of {origin})"),
                    input,
                }),
            }
        }
        check_batch(&mut batch, &mut failures);
        (cases, fixed, failures)
    });
    eprintln!("{cases} cases, {fixed} fixed and checked with CPython");
    report(&failures, "engine");
}

/// sparkfix's parser on mutants: where it builds a tree, tree-sitter's must be the same, node for
/// node; where tree-sitter's has an error, CPython must compile the mutant (the parser accepts
/// only Python). Parsing only, so more mutants than the engine sees, from another stream.
#[test]
fn mutated_sources_parse_as_tree_sitter_parses_them() {
    let seeds = seeds();
    let (limit, seconds) = budget(6_000);
    let deadline = seconds.mul_f64(0.25);
    let mut rng = Rng::new(seed() ^ 0x7061_7273_6572);
    let clock = Instant::now();
    let mut failures = Vec::new();
    let mut accepted_by_ours = Vec::new();
    let (mut cases, mut same) = (0usize, 0usize);
    while cases < 2 * limit && clock.elapsed() < deadline {
        let (_, text) = rng.pick(&seeds);
        let other = &rng.pick(&seeds).1;
        let input = mutate::mutate_source(&mut rng, text, other);
        cases += 1;
        match sparkfix_syntax::parity(&input) {
            sparkfix_syntax::Parity::Same => same += 1,
            sparkfix_syntax::Parity::Refused(_) => {}
            sparkfix_syntax::Parity::TreeSitterError => accepted_by_ours.push(input),
            sparkfix_syntax::Parity::Different { tree_sitter, ours } => failures.push(Failure {
                kind: "parses-differently",
                detail: format!("tree-sitter: {tree_sitter}; sparkfix: {ours}"),
                input,
            }),
        }
    }
    for chunk in accepted_by_ours.chunks(CPYTHON_BATCH) {
        let texts: Vec<&str> = chunk.iter().map(String::as_str).collect();
        for index in cpython_refuses(&texts) {
            failures.push(Failure {
                kind: "parses-what-cpython-refuses",
                detail: "sparkfix's parser built a tree where tree-sitter found an error".into(),
                input: chunk[index].clone(),
            });
        }
    }
    eprintln!(
        "{cases} mutants parsed: {same} the same, {} where only sparkfix's parser built a tree",
        accepted_by_ours.len()
    );
    assert!(
        same > cases / 20,
        "the parser accepts some mutants: {same} of {cases}"
    );
    report(&failures, "parser");
}

#[test]
fn corpus_inputs_cpython_refuses_are_refused() {
    let files = python_files(&repo().join("tests/fuzz/corpus"));
    assert!(!files.is_empty(), "the corpus is found");
    let texts: Vec<String> = files
        .iter()
        .map(|path| String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned())
        .collect();
    let sources: Vec<&str> = texts.iter().map(String::as_str).collect();
    let refused = cpython_refuses(&sources);
    let mut wrong = Vec::new();
    for (index, (path, text)) in files.iter().zip(&texts).enumerate() {
        let name = path.file_name().unwrap().to_string_lossy();
        let settings = settings_for(index);
        if refused.contains(&index) {
            if check(text, &settings).is_ok() {
                wrong.push(format!("{name}: CPython refuses it, sparkfix parses it"));
            }
        } else if let Err((kind, detail)) = run_case(text, &settings) {
            wrong.push(format!("{name}: {kind}: {detail}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The files of every log under `tests/eventlogs/logs/`, each decompressed, with its name and
/// its raw bytes.
fn log_seeds() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![repo().join("tests/eventlogs/logs")];
    pending.push(repo().join("tests/fuzz/corpus"));
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let is_log = name.starts_with("events_") || name.starts_with("local-");
            if !is_log {
                continue;
            }
            let raw = fs::read(&path).unwrap();
            let mut plain = Vec::new();
            if let Ok((_, mut reader)) = codec::decompress(&name, &raw[..]) {
                let _ = std::io::Read::read_to_end(&mut reader, &mut plain);
            }
            found.push((name, raw, plain));
        }
    }
    found.sort();
    found
}

/// Reads one mutated log and uses everything built from it; panics propagate.
fn read_log(files: &[(String, Vec<u8>)], job: &str) {
    let mut reader = LogReader::new("fuzzed");
    for (name, bytes) in files {
        reader.read_file(name, &bytes[..]);
    }
    let (run, _problems) = reader.finish();
    let _ = run.rescans();
    if let Some(slots) = replay::measured_slots(&run) {
        let _ = replay::replay(&run, slots);
        let _ = replay::modelled_timeline(&run, slots.max(1));
    }
    let _ = replay::on_measured_slots(&run);
    let _ = replay::measured_timeline(&run);
    let counts = replay::candidate_executors(8);
    let _ = replay::at_executor_counts(&run, &counts);
    let settings = Settings {
        measurements: Measurements::new(Profile { runs: vec![run] }),
        rules: RuleSelection::of(vec!["SPK".to_owned()], Vec::new()),
        ..Settings::default()
    };
    let _ = check(job, &settings);
    let _ = fix(job, &settings);
}

#[test]
fn mutated_event_logs_never_crash_the_reader() {
    let seeds = log_seeds();
    assert!(seeds.len() > 10, "the logs were found");
    let jobs: Vec<String> = python_files(&repo().join("tests/eventlogs/jobs"))
        .iter()
        .map(|path| fs::read_to_string(path).unwrap())
        .collect();
    let (limit, seconds) = budget(200);
    let deadline = seconds.mul_f64(0.25);
    let seed = seed();
    eprintln!("fuzzing the event-log reader from seed {seed:#x}: {limit} logs within {deadline:?}");
    let cases = with_watchdog(move |started, current| {
        let clock = Instant::now();
        let mut rng = Rng::new(seed ^ 0x10c5);
        let mut cases = 0usize;
        let mut failures = Vec::new();
        while cases < seeds.len() || (cases - seeds.len() < limit && clock.elapsed() < deadline) {
            let (name, raw, plain) = &seeds[cases % seeds.len()];
            let (_, other_raw, other_plain) = rng.pick(&seeds);
            let files: Vec<(String, Vec<u8>)> = match rng.below(4) {
                _ if cases < seeds.len() => vec![(name.clone(), raw.clone())],
                0 => vec![(name.clone(), mutate::damage_bytes(&mut rng, raw))],
                1 => vec![
                    (name.clone(), raw.clone()),
                    ("events_2_x".to_owned(), other_raw.clone()),
                ],
                _ => vec![(
                    "events_1_fuzzed".to_owned(),
                    mutate::mutate_log(&mut rng, plain, other_plain),
                )],
            };
            let job = rng.pick(&jobs);
            *current.lock().unwrap() = format!("{name} mutated, case {cases}");
            started.store(clock.elapsed().as_millis() as u64, Ordering::Relaxed);
            cases += 1;
            if let Err(payload) = std::panic::catch_unwind(|| read_log(&files, job)) {
                let folder = repo().join("target/fuzz-failures");
                fs::create_dir_all(&folder).unwrap();
                for (index, (file, bytes)) in files.iter().enumerate() {
                    let _ = fs::write(folder.join(format!("log-{cases}-{index}-{file}")), bytes);
                }
                failures.push(format!(
                    "case {cases} (from {name}): {}",
                    panic_message(&*payload)
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{failures:#?}\ninputs under target/fuzz-failures/"
        );
        cases
    });
    eprintln!("{cases} logs read");
}
