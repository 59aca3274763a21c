//! Spark event logs in, a [`Profile`] of what the job measured out.
//!
//! This crate knows Spark's log formats and nothing of source code; it does no IO of its own.
//! The cli finds the files ([`layout`] says which files make a log and in which order), opens
//! them, and hands each to a [`LogReader`]:
//!
//! ```no_run
//! # use sparkfix_eventlog::LogReader;
//! let mut reader = LogReader::new("logs/eventlog_v2_app-1");
//! reader.read_file("events_1_app-1.zstd", std::fs::File::open("...").unwrap());
//! let (run, problems) = reader.finish();
//! ```
//!
//! Reading streams: each file is decompressed ([`codec`]) and read a line at a time; the events
//! sparkfix does not use are skipped by name before parsing; memory holds one line plus the
//! figures kept. Bad input never stops a read: a damaged frame, a cut last line, an unknown event
//! or an old Spark's log each give one [`Problem`] naming the file and what was skipped, and the
//! rest is used.

pub mod codec;
mod collector;
pub mod events;
pub mod layout;
mod plan;
pub mod profile;
mod reader;
mod relation;
pub mod replay;

pub use collector::memory_bytes;
pub use profile::{
    AggregateOnJoin, Exchange, Executors, Job, Join, JoinSide, JoinStrategy, PartialAggregate,
    Profile, Query, Relation, Rescan, Run, Scan, Stage, Write,
};
pub use reader::{LogReader, Problem};
