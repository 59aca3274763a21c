//! A batch write as the model records it, and what its writer chain says: the format, the
//! partition columns, the options.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Argument, Call};

use super::FrameId;
use super::layout::Layout;

/// A batch `DataFrameWriter` write: `<frame>.write[.builder(..)...].<terminal>(..)`.
#[derive(Debug, Clone)]
pub struct Write<'t> {
    /// The DataFrame expression before `.write`.
    pub frame: SyntaxNode<'t>,
    /// The writer's builder calls in order (`mode`, `format`, `option`, `partitionBy`...).
    pub builders: Vec<Call<'t>>,
    /// The terminal call (`parquet(..)`, `save(..)`, `saveAsTable(..)`...).
    pub terminal: Call<'t>,
    /// How the written DataFrame is partitioned.
    pub layout: Layout,
    /// Columns the written DataFrame provably has.
    pub columns: Vec<&'t str>,
    /// The named frames it is computed from directly.
    pub frames: Vec<FrameId>,
    /// Computed from an unannotated parameter: maybe not a Spark DataFrame.
    pub assumed: bool,
    /// Computed only from rows written in the program: a handful of partitions.
    pub literal: bool,
}

impl<'t> Write<'t> {
    /// The terminal method's name.
    pub fn terminal_name(&self) -> &'t str {
        self.terminal.callee_name().unwrap_or("")
    }

    /// The builder calls named `name` (`partitionBy`, `option`...).
    pub fn builders_named(&self, name: &str) -> impl Iterator<Item = Call<'t>> + '_ {
        let name = name.to_owned();
        self.builders
            .iter()
            .copied()
            .filter(move |call| call.callee_name() == Some(name.as_str()))
    }
}

/// A writer option set in the chain: `.option(k, v)` or `.options(k=v)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOption<'t> {
    pub key: &'t str,
    pub value: SyntaxNode<'t>,
}

impl<'t> Write<'t> {
    /// The partition column arguments: those of `.partitionBy(..)`, or the terminal's
    /// `partitionBy=` keyword. Empty when the write is not partitioned.
    pub fn partition_arguments(&self) -> Vec<Argument<'t>> {
        let mut arguments: Vec<Argument<'t>> = self
            .builders_named("partitionBy")
            .flat_map(|call| call.arguments().all())
            .collect();
        if let Some(value) = self.terminal.arguments().keyword("partitionBy") {
            arguments.push(Argument::Positional(value));
        }
        arguments
    }

    /// The output format: the terminal's name for `parquet(..)`/`csv(..)`..., else the
    /// `format(..)` builder or the terminal's `format=` keyword; `None` when not written literally
    /// (Spark's default source, usually parquet).
    pub fn format(&self) -> Option<&'t str> {
        match self.terminal_name() {
            "save" | "saveAsTable" | "insertInto" => self
                .terminal
                .arguments()
                .keyword("format")
                .or_else(|| {
                    self.builders_named("format")
                        .last()
                        .and_then(|call| call.arguments().positional(0))
                })
                .and_then(|node| node.as_string_literal()),
            other => Some(other),
        }
    }

    /// Whether the write produces files: its format, when written literally, is a file format
    /// or a table format over files (not `jdbc`, `kafka`, `console`, `noop`...).
    pub fn writes_files(&self) -> bool {
        const FILE_FORMATS: &[&str] = &[
            "parquet", "orc", "csv", "json", "avro", "xml", "text", "delta", "iceberg", "hudi",
            "hive",
        ];
        match self.format() {
            Some(format) => {
                let format = format.to_ascii_lowercase();
                FILE_FORMATS.contains(&format.as_str())
                    || format.ends_with(".parquet")
                    || format.ends_with(".avro")
            }
            None => true,
        }
    }

    /// The options set on the writer, in order.
    pub fn options(&self) -> Vec<WriteOption<'t>> {
        let mut options = Vec::new();
        for call in &self.builders {
            match call.callee_name() {
                Some("option") => {
                    let arguments = call.arguments();
                    if let (Some(key), Some(value)) =
                        (arguments.get(0, "key"), arguments.get(1, "value"))
                        && let Some(key) = key.as_string_literal()
                    {
                        options.push(WriteOption { key, value });
                    }
                }
                Some("options") => {
                    for argument in call.arguments().all() {
                        if let Argument::Keyword { name, value } = argument {
                            options.push(WriteOption { key: name, value });
                        }
                    }
                }
                _ => {}
            }
        }
        // `save(path, format, mode, partitionBy, **options)`: extra keywords are options too.
        for argument in self.terminal.arguments().all() {
            if let Argument::Keyword { name, value } = argument
                && !matches!(name, "path" | "format" | "mode" | "partitionBy" | "name")
            {
                options.push(WriteOption { key: name, value });
            }
        }
        options
    }

    /// Whether the writer sets the option `key` (case-insensitive, as Spark reads option keys).
    pub fn has_option(&self, key: &str) -> bool {
        self.options()
            .iter()
            .any(|option| option.key.eq_ignore_ascii_case(key))
    }
}
