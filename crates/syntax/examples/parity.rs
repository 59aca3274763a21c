//! Compares sparkfix's parser with tree-sitter on every `.py` file under the given paths and
//! prints how many it parses the same, refuses (with the reasons) or parses differently.

fn main() {
    let mut same = 0;
    let mut refused = std::collections::BTreeMap::<&str, usize>::new();
    let mut different = 0;
    let mut bytes_same = 0;
    let mut bytes_all = 0;
    let verbose = std::env::var_os("VERBOSE").is_some();
    for root in std::env::args().skip(1) {
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    stack.push(entry.unwrap().path());
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            bytes_all += text.len();
            match sparkfix_syntax::parity(&text) {
                sparkfix_syntax::Parity::Same => {
                    same += 1;
                    bytes_same += text.len();
                }
                sparkfix_syntax::Parity::TreeSitterError => {
                    println!("tree-sitter error {}", path.display());
                }
                sparkfix_syntax::Parity::Refused(reason) => {
                    *refused.entry(reason).or_default() += 1;
                    if verbose {
                        println!("refused {}: {reason}", path.display());
                    }
                }
                sparkfix_syntax::Parity::Different { tree_sitter, ours } => {
                    different += 1;
                    println!(
                        "DIFFERENT {}\n  tree-sitter: {tree_sitter}\n  ours:        {ours}",
                        path.display()
                    );
                }
            }
        }
    }
    println!(
        "same {same} ({:.1}% of bytes), different {different}, refused {:?}",
        100.0 * bytes_same as f64 / bytes_all.max(1) as f64,
        refused
    );
}
