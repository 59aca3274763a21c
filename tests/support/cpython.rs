//! CPython's verdict on Python sources: one `python3` process compiles a whole batch, as
//! CPython would compile each file (`compile(source, path, "exec")`).

use std::fs;
use std::process::Command;

/// For each of `sources`, whether CPython refuses to compile it: a `SyntaxError`, a `ValueError`
/// (a NUL byte), or a `RecursionError` or `MemoryError` (nesting too deep for its compiler).
#[allow(dead_code)]
pub fn refuses<S: AsRef<[u8]>>(sources: &[S]) -> Vec<bool> {
    let dir = tempfile::tempdir().unwrap();
    for (index, source) in sources.iter().enumerate() {
        fs::write(dir.path().join(format!("{index}.py")), source).unwrap();
    }
    let script = "import sys, warnings\n\
                  warnings.simplefilter('ignore')\n\
                  for i in range(int(sys.argv[2])):\n\
                  \x20   p = f'{sys.argv[1]}/{i}.py'\n\
                  \x20   try:\n\
                  \x20       compile(open(p, 'rb').read(), p, 'exec', dont_inherit=True)\n\
                  \x20       print('ok')\n\
                  \x20   except (SyntaxError, ValueError, RecursionError, MemoryError):\n\
                  \x20       print('refused')\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path())
        .arg(sources.len().to_string())
        .output()
        .expect("python3 runs (the tests need it)");
    assert!(
        output.status.success(),
        "the CPython check failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: Vec<bool> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line == "refused")
        .collect();
    assert_eq!(verdicts.len(), sources.len(), "a verdict per source");
    verdicts
}
