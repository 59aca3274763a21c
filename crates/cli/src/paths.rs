//! Path spelling: dropping `./` parts, and the relative, `/`-separated form shown to the user.

use std::path::{Component, Path, PathBuf};

/// `path` without `.` components (`./src/./a.py` is `src/a.py`); `.` when nothing is left.
pub fn normalize(path: &Path) -> PathBuf {
    let normal: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if normal.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normal
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` parts resolved lexically (symbolic
/// links are left alone: configuration files are found along the path as the user spells it).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut absolute = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    absolute
}

/// How `path` is shown: relative to `cwd` when it lies under it, with `/` separators.
pub fn display(path: &Path, cwd: Option<&Path>) -> String {
    let shown = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let text = normalize(shown).to_string_lossy().into_owned();
    if std::path::MAIN_SEPARATOR == '/' {
        text
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_current_dir_parts() {
        assert_eq!(
            normalize(Path::new("./src/./a.py")),
            PathBuf::from("src/a.py")
        );
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("../a.py")), PathBuf::from("../a.py"));
    }

    #[test]
    fn shows_paths_relative_to_the_current_folder() {
        let cwd = Path::new("/work/repo");
        assert_eq!(
            display(Path::new("/work/repo/jobs/a.py"), Some(cwd)),
            "jobs/a.py"
        );
        assert_eq!(
            display(Path::new("/elsewhere/a.py"), Some(cwd)),
            "/elsewhere/a.py"
        );
        assert_eq!(display(Path::new("./jobs/a.py"), Some(cwd)), "jobs/a.py");
    }
}
