//! Atomic file replacement: write a temporary file beside the original, then rename it over,
//! and only if the original still holds what was read.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces the contents of `path` with `contents`, never leaving it truncated or half-written.
///
/// The new text goes to a temporary file in the same folder, which gets the original's
/// permissions and is then renamed over it. A symbolic link is written through (its target is
/// replaced, the link kept). A file without write permission for its owner is refused.
pub fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    replace(path, None, contents)
}

/// [`write_atomically`], if `path` still holds `original` (what was read and fixed) right before
/// the rename: a file another program changed meanwhile is never written over.
pub fn replace_if_unchanged(path: &Path, original: &[u8], contents: &str) -> io::Result<()> {
    replace(path, Some(original), contents)
}

fn replace(path: &Path, original: Option<&[u8]>, contents: &str) -> io::Result<()> {
    let target = resolve_link(path)?;
    let permissions = fs::metadata(&target)?.permissions();
    if !owner_may_write(&permissions) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "file is read-only",
        ));
    }
    write_through_temporary(&target, contents, Some(permissions), original)
}

/// Writes `contents` to `path`, a new file or one to replace, never leaving it half-written: a
/// temporary file in the same folder renamed over it.
pub fn write_new(path: &Path, contents: &str) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return write_atomically(path, contents);
    }
    write_through_temporary(path, contents, None, None)
}

/// Writes `contents` to a temporary file in `target`'s folder (with `permissions`, when given)
/// and renames it over `target`, when `target` still holds `original` (if given).
fn write_through_temporary(
    target: &Path,
    contents: &str,
    permissions: Option<fs::Permissions>,
    original: Option<&[u8]>,
) -> io::Result<()> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".sparkfix-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(contents.as_bytes())?;
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)?;
    }
    pause_for_tests(target);
    if let Some(original) = original
        && fs::read(target)? != original
    {
        // The temporary file is removed when dropped.
        return Err(io::Error::other(
            "the file changed while sparkfix processed it; left as it is now (run sparkfix again)",
        ));
    }
    temporary.persist(target).map_err(|error| error.error)?;
    Ok(())
}

/// A hook for the end-to-end tests of concurrent changes and kills: with
/// `SPARKFIX_TEST_PAUSE_BEFORE_WRITE=<marker>` set, the write of every file first creates the
/// marker file and waits (up to 30 s) until it is removed, so a test can act at that moment.
fn pause_for_tests(target: &Path) {
    let Some(marker) = std::env::var_os("SPARKFIX_TEST_PAUSE_BEFORE_WRITE") else {
        return;
    };
    let marker = Path::new(&marker);
    if fs::write(marker, target.as_os_str().as_encoded_bytes()).is_err() {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while marker.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn resolve_link(path: &Path) -> io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

#[cfg(unix)]
fn owner_may_write(permissions: &fs::Permissions) -> bool {
    use std::os::unix::fs::PermissionsExt;
    permissions.mode() & 0o200 != 0
}

#[cfg(not(unix))]
fn owner_may_write(permissions: &fs::Permissions) -> bool {
    !permissions.readonly()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("job.py");
        fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
        }
        write_atomically(&path, "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o754
            );
        }
        let left: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn leaves_a_file_that_changed_since_it_was_read() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("job.py");
        fs::write(&path, "edited\n").unwrap();
        let error = replace_if_unchanged(&path, b"old\n", "new\n").unwrap_err();
        assert!(error.to_string().starts_with("the file changed"), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited\n");
        let left: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        replace_if_unchanged(&path, b"edited\n", "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[test]
    fn refuses_a_read_only_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("job.py");
        fs::write(&path, "old\n").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let error = write_atomically(&path, "new\n").unwrap_err();
        assert_eq!(error.to_string(), "file is read-only");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symbolic_link() {
        let folder = tempfile::tempdir().unwrap();
        let real = folder.path().join("real.py");
        let link = folder.path().join("link.py");
        fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, "new\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    }
}
