//! Which files make one event log, in which order: the layouts Spark writes, as pure functions
//! of file names (the cli lists folders and opens files).
//!
//! - Spark 3 (and Spark 4 with rolling off): one file per application, `<app id>[.<codec>]`,
//!   with `.inprogress` appended while the application runs.
//! - Spark 4 (rolling on, the default): a folder `eventlog_v2_<app id>` holding
//!   `events_<n>_<app id>[.<codec>]` parts, numbered from 1, and an `appstatus_<app id>` marker.

/// The index of a rolled log's part (`events_3_app-1.zstd` -> 3), or `None` for other names.
pub fn rolled_part_index(file_name: &str) -> Option<u64> {
    let rest = file_name.strip_prefix("events_")?;
    let (index, _) = rest.split_once('_')?;
    index.parse().ok()
}

/// Whether a folder name is a Spark 4 rolled log.
pub fn is_rolled_folder(folder_name: &str) -> bool {
    folder_name.starts_with("eventlog_v2_")
}

/// Whether a file found in a folder of logs may be a log: not hidden (`.crc` checksums start
/// with a dot), not a rolled log's status marker, not a checksum.
pub fn may_be_log_file(file_name: &str) -> bool {
    !file_name.starts_with('.')
        && !file_name.starts_with("appstatus_")
        && !file_name.ends_with(".crc")
}

/// The parts of a rolled folder in reading order, from its file names; other files are left out.
pub fn rolled_parts<'n>(file_names: &[&'n str]) -> Vec<&'n str> {
    let mut parts: Vec<(u64, &str)> = file_names
        .iter()
        .filter_map(|&name| Some((rolled_part_index(name)?, name)))
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolled_parts_are_read_in_index_order() {
        let names = [
            "appstatus_app-1",
            "events_10_app-1.zstd",
            "events_2_app-1.zstd",
            ".events_1_app-1.zstd.crc",
            "events_1_app-1.zstd",
        ];
        assert_eq!(
            rolled_parts(&names),
            [
                "events_1_app-1.zstd",
                "events_2_app-1.zstd",
                "events_10_app-1.zstd"
            ]
        );
        assert!(is_rolled_folder("eventlog_v2_local-1795890117054"));
        assert!(may_be_log_file("local-1700000000000.lz4.inprogress"));
        assert!(!may_be_log_file(".local-1700000000000.crc"));
    }
}
