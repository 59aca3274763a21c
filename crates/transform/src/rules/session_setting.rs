//! Where a rule that recommends a runtime SQL setting puts it: each place the code already sets
//! the key gets the new value; else a `.config(..)` is added to the file's own session builder,
//! in its quoting style; else there is no fix (the session is built elsewhere: a notebook, a
//! Glue job) and the finding says so. Shared by the rules that set `spark.sql.*` values.

use std::ops::Range;

use super::RuleContext;
use crate::edit::Edit;
use crate::edits::append_method_call;
use crate::model::ConfSetting;

/// The edits that set `key` to `value`, where the finding points, and how the message says where
/// the value goes (empty when an existing setting is edited).
pub(super) struct SettingEdit {
    pub(super) range: Range<usize>,
    pub(super) edits: Vec<Edit>,
    pub(super) place: &'static str,
}

/// The code's settings of `key`, in source order.
pub(super) fn settings_of<'m, 't>(
    ctx: &'m RuleContext<'_, 't>,
    key: &str,
) -> Vec<&'m ConfSetting<'t>> {
    ctx.model
        .conf
        .iter()
        .filter(|setting| setting.key == key)
        .collect()
}

/// Sets the runtime SQL setting `key` to `value` (see the module docs).
pub(super) fn set_sql_setting(ctx: &RuleContext<'_, '_>, key: &str, value: &str) -> SettingEdit {
    let settings = settings_of(ctx, key);
    if let Some(first) = settings.first() {
        let edits: Vec<Edit> = settings
            .iter()
            .filter_map(|setting| setting.value_range.clone())
            .map(|range| Edit::replace(range, value.to_string()))
            .collect();
        // Every setting of the key, or none: a value left behind would undo the others.
        let edits = if edits.len() == settings.len() {
            edits
        } else {
            Vec::new()
        };
        return SettingEdit {
            range: first.node.range(),
            edits,
            place: "",
        };
    }
    if let Some(session) = ctx.model.sessions.first() {
        let text = session.builder.text();
        let quote = if text.contains('\'') && !text.contains('"') {
            '\''
        } else {
            '"'
        };
        let call = format!(".config({quote}{key}{quote}, {quote}{value}{quote})");
        return SettingEdit {
            range: session.builder.range(),
            edits: append_method_call(ctx.file, session.builder, &call),
            place: " in the session builder",
        };
    }
    let at = ctx
        .model
        .read_sites
        .first()
        .map_or(0..0, |site| site.node.range());
    SettingEdit {
        range: at,
        edits: Vec::new(),
        place: " where the job's session is configured",
    }
}
