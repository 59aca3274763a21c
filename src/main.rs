//! The `sparkfix` binary: a shim over the cli crate.
fn main() -> std::process::ExitCode {
    sparkfix_cli::main()
}
