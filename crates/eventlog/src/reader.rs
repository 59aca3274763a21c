//! Streams one run's log, file by file (the parts of a rolled log in order), line by line, into
//! a [`Collector`]; and says, once per file, what it had to skip.
//!
//! A line is one event. Its name is read from the line's first bytes (`{"Event":"...`, as
//! Spark's `JsonProtocol` always writes it) so that the events sparkfix does not use (task
//! starts, block updates: most of a log) are skipped without being parsed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use crate::codec::{self, Codec};
use crate::collector::Collector;
use crate::events::WANTED;
use crate::profile::Run;

/// Something a log made sparkfix skip, for the user: the file and what was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub message: String,
}

/// Reads the files of one run. Call [`LogReader::read_file`] for each part, in order, then
/// [`LogReader::finish`].
pub struct LogReader {
    log: String,
    collector: Collector,
    problems: Vec<Problem>,
}

/// What reading one file skipped.
#[derive(Default)]
struct FileReport {
    lines: u64,
    bad_lines: u64,
    first_bad_line: Option<(u64, String)>,
    cut_last_line: bool,
    stopped: Option<String>,
    unknown: BTreeMap<String, u64>,
}

impl LogReader {
    /// A reader for the run whose log the user named `log` (a file or a folder).
    pub fn new(log: impl Into<String>) -> LogReader {
        LogReader {
            log: log.into(),
            collector: Collector::default(),
            problems: Vec::new(),
        }
    }

    /// Reads one file of the log. `file` names it in messages and tells its codec when its
    /// first bytes do not. Never fails: what cannot be read is reported by [`LogReader::finish`].
    pub fn read_file(&mut self, file: &str, input: impl Read) {
        let mut report = FileReport::default();
        let codec = match codec::decompress(file, input) {
            Ok((codec, decoded)) => {
                self.read_lines(BufReader::with_capacity(1 << 20, decoded), &mut report);
                codec
            }
            Err(error) => {
                report.stopped = Some(error.to_string());
                Codec::Plain
            }
        };
        if let Some(message) = report.message(codec) {
            self.problems.push(Problem {
                file: file.to_string(),
                message,
            });
        }
    }

    fn read_lines(&mut self, mut input: impl BufRead, report: &mut FileReport) {
        let mut line = Vec::with_capacity(1 << 16);
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => {
                    report.stopped = Some(error.to_string());
                    break;
                }
            }
            report.lines += 1;
            let complete = line.last() == Some(&b'\n');
            let text = trim(&line);
            if text.is_empty() {
                continue;
            }
            let Some(name) = event_name(text) else {
                report.bad(complete, "not a JSON event");
                continue;
            };
            if !WANTED.contains(&name.as_ref()) {
                let spark_own =
                    name.starts_with("SparkListener") || name.starts_with("org.apache.spark.");
                if !spark_own {
                    *report.unknown.entry(name.into_owned()).or_default() += 1;
                }
                continue;
            }
            if let Err(error) = self.collector.event(&name, text) {
                report.bad(complete, &format!("{name}: {error}"));
            }
        }
    }

    /// The run and the problems met, one per file at most, plus one for the run when it is not
    /// a Spark 3 or 4 application's log.
    pub fn finish(mut self) -> (Run, Vec<Problem>) {
        if !self.collector.saw_application() {
            self.problems.push(Problem {
                file: self.log.clone(),
                message: "no Spark application events in it: not an event log, or an empty one"
                    .to_string(),
            });
        } else if self.collector.pre_spark3 {
            let version = self.collector.spark_version().unwrap_or("2").to_string();
            self.problems.push(Problem {
                file: self.log.clone(),
                message: format!(
                    "written by Spark {version}: sparkfix reads the SQL plans of Spark 3 and 4 \
                     logs only, so its queries were skipped (its stages and settings are used)"
                ),
            });
        }
        let run = self.collector.finish(self.log);
        (run, self.problems)
    }
}

impl FileReport {
    fn bad(&mut self, complete: bool, what: &str) {
        if !complete {
            // Only the last line can lack its newline.
            self.cut_last_line = true;
            return;
        }
        self.bad_lines += 1;
        if self.first_bad_line.is_none() {
            self.first_bad_line = Some((self.lines, what.to_string()));
        }
    }

    /// One message saying everything this file made sparkfix skip, or `None`.
    fn message(&self, codec: Codec) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(error) = &self.stopped {
            let what = if self.lines == 0 {
                "nothing could be read".to_string()
            } else {
                format!("the events after line {} were skipped", self.lines)
            };
            let codec = if codec == Codec::Plain {
                String::new()
            } else {
                format!("{} ", codec.name())
            };
            parts.push(format!("cannot read the {codec}data ({error}): {what}"));
        }
        if self.bad_lines > 0 {
            let (line, what) = self
                .first_bad_line
                .as_ref()
                .expect("set with the first bad line");
            let lines = if self.bad_lines == 1 { "line" } else { "lines" };
            parts.push(format!("skipped {} {lines} that are not events sparkfix can read (first: line {line}, {what})", self.bad_lines));
        }
        if self.cut_last_line {
            parts.push("the last line is cut short (the log is still being written, or was truncated): it was skipped".to_string());
        }
        if !self.unknown.is_empty() {
            let total: u64 = self.unknown.values().sum();
            let names: Vec<&str> = self.unknown.keys().map(String::as_str).take(3).collect();
            let events = if total == 1 { "event" } else { "events" };
            parts.push(format!(
                "skipped {total} unknown {events} ({})",
                names.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The line without its line ending and surrounding blanks.
fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |at| at + 1);
    &line[start..end]
}

/// The `"Event"` of a JSON line: read from its first bytes when it starts with it (always, in
/// logs Spark writes), else from the parsed object.
fn event_name(line: &[u8]) -> Option<Cow<'_, str>> {
    const PREFIX: &[u8] = b"{\"Event\":\"";
    if let Some(rest) = line.strip_prefix(PREFIX) {
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[end] == b'"' {
            return std::str::from_utf8(&rest[..end]).ok().map(Cow::Borrowed);
        }
    }
    #[derive(serde::Deserialize)]
    struct Named {
        #[serde(rename = "Event")]
        event: String,
    }
    serde_json::from_slice::<Named>(line)
        .ok()
        .map(|named| Cow::Owned(named.event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names() {
        assert_eq!(
            event_name(br#"{"Event":"SparkListenerTaskEnd","Stage ID":1}"#).as_deref(),
            Some("SparkListenerTaskEnd")
        );
        assert_eq!(
            event_name(br#"{"Stage ID":1,"Event":"X"}"#).as_deref(),
            Some("X")
        );
        assert_eq!(event_name(b"{not json"), None);
    }
}
