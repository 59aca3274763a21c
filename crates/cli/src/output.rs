//! Writing to stdout and stderr; a closed stdout (`| head`) ends output quietly instead of panicking.

use std::io::{self, Write};

/// The run's two output streams.
#[derive(Debug, Default)]
pub struct Output {
    stdout_closed: bool,
    /// `--output-format json`: the findings, printed as one array at the end.
    json: Vec<serde_json::Value>,
}

impl Output {
    pub fn new() -> Self {
        Output::default()
    }

    /// Keeps a finding for the JSON array printed at the end.
    pub fn push_json(&mut self, item: serde_json::Value) {
        self.json.push(item);
    }

    /// The findings kept for the JSON array.
    pub fn take_json(&mut self) -> Vec<serde_json::Value> {
        std::mem::take(&mut self.json)
    }

    /// Writes to stdout; once the reader has gone, further output is dropped.
    pub fn out(&mut self, text: &[u8]) {
        if self.stdout_closed || text.is_empty() {
            return;
        }
        let mut stdout = io::stdout().lock();
        if stdout
            .write_all(text)
            .and_then(|()| stdout.flush())
            .is_err()
        {
            self.stdout_closed = true;
        }
    }

    /// Writes to stderr; there is nowhere to report a failure to.
    pub fn err(&mut self, text: &str) {
        if !text.is_empty() {
            let _ = io::stderr().lock().write_all(text.as_bytes());
        }
    }

    /// Whether stdout's reader has gone (a broken pipe).
    pub fn stdout_closed(&self) -> bool {
        self.stdout_closed
    }
}
