//! Parses every `.py` file under the given folders with one parser alone, to measure what a
//! parse costs (`valgrind --tool=callgrind` or `time` around it): `parse_cost tree-sitter DIRS`
//! or `parse_cost sparkfix DIRS`. Prints the files, bytes and nodes.

fn main() {
    let mut args = std::env::args().skip(1);
    let parser = args.next().unwrap_or_default();
    let (mut files, mut bytes, mut nodes, mut refused) = (0, 0, 0, 0);
    let mut stack: Vec<std::path::PathBuf> = args.map(Into::into).collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("a readable folder") {
                stack.push(entry.expect("a folder entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        files += 1;
        bytes += text.len();
        match parser.as_str() {
            "tree-sitter" => nodes += sparkfix_syntax::parse_cost::tree_sitter(&text),
            "sparkfix" => match sparkfix_syntax::parse_cost::sparkfix(&text) {
                Some(count) => nodes += count,
                None => refused += 1,
            },
            _ => panic!("usage: parse_cost tree-sitter|sparkfix FOLDERS"),
        }
    }
    println!(
        "{parser}: {files} files, {bytes} bytes, {nodes} nodes, {refused} left to tree-sitter"
    );
}
