//! Whether stdout is colored (`--color`, `NO_COLOR`, a terminal), and the ANSI codes used.

use std::io::IsTerminal;

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always color, even when piped.
    Always,
    /// Never color.
    Never,
}

impl ColorChoice {
    /// Whether output to stdout is colored.
    pub fn stdout_enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}

/// The escape codes to wrap text in; all empty when color is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub bold: &'static str,
    pub red: &'static str,
    pub green: &'static str,
    pub cyan: &'static str,
    pub reset: &'static str,
}

impl Palette {
    pub const PLAIN: Palette = Palette {
        bold: "",
        red: "",
        green: "",
        cyan: "",
        reset: "",
    };
    pub const ANSI: Palette = Palette {
        bold: "\x1b[1m",
        red: "\x1b[31m",
        green: "\x1b[32m",
        cyan: "\x1b[36m",
        reset: "\x1b[0m",
    };

    pub fn new(enabled: bool) -> Palette {
        if enabled {
            Palette::ANSI
        } else {
            Palette::PLAIN
        }
    }
}
