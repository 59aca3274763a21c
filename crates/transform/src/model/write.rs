//! A batch write as the model records it, and what its writer chain says: the format, the
//! partition columns, the options.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Argument, Call};

use super::FrameId;
use super::format::DataFormat;
use super::layout::Layout;
use super::size::Source;

/// The format a `save`, `saveAsTable` or `insertInto` write names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteFormat {
    /// A string, written literally or held by a name the model resolves.
    Named(String),
    /// An expression the model cannot resolve (an imported constant, an attribute, a call):
    /// unknown, never taken for a file format.
    Unresolved,
}

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
    /// The format of a `save`/`saveAsTable`/`insertInto` write, from the terminal's `format=`
    /// or the last `format(..)` builder; `None` when none is given (Spark's default source).
    pub named_format: Option<WriteFormat>,
    /// The path or table written, when the code spells it.
    pub target: Option<Source>,
    /// The target, or the template of an f-string path (`{}/curated/sales/`): what an event
    /// log's write is matched to.
    pub target_pattern: Option<Source>,
    /// Columns of the written frame that hold one literal value on every row.
    pub constant_columns: Vec<&'t str>,
    /// The paths and tables the written frame's lineage reads, as far as the code spells them.
    pub reads: Vec<Source>,
}

impl Write<'_> {
    /// Whether the written frame provably reads one file only (a path ending in a file name
    /// with an extension, no wildcard): a map-only write of it makes one file per 128 MB of it,
    /// not one per small file.
    pub fn reads_single_files(&self) -> bool {
        !self.reads.is_empty() && self.reads.iter().all(Source::is_single_file)
    }
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

    /// The output format's name: the terminal's for `parquet(..)`/`csv(..)`..., else the one
    /// `format(..)` or `format=` names when the model resolves it; `None` when none is given
    /// (Spark's default source, parquet) or it cannot be resolved.
    pub fn format(&self) -> Option<&str> {
        match self.terminal_name() {
            "save" | "saveAsTable" | "insertInto" => match &self.named_format {
                Some(WriteFormat::Named(name)) => Some(name),
                _ => None,
            },
            other => Some(other),
        }
    }

    /// Whether the write provably produces files: a file format or a table format over files,
    /// or no format at all (Spark's default source). Not `jdbc`, `kafka`, `bigquery`, `noop`...,
    /// and not a format held by a name the model cannot resolve.
    pub fn writes_files(&self) -> bool {
        if matches!(self.named_format, Some(WriteFormat::Unresolved)) {
            return false;
        }
        match self.format() {
            Some(format) => DataFormat::of_name(format).is_files(),
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
