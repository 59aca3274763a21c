//! What a file is read as: Python or a Jupyter notebook, by its extension. Folders are walked
//! for `.py` and `.ipynb` files and for the extensions `--extension EXT:LANGUAGE` maps; a file
//! named on the command line is read as its extension says, else as Python.

use std::path::Path;

/// How a file's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    /// A Jupyter notebook: its code cells are checked as one Python text.
    Notebook,
}

impl Language {
    /// The language named in `--extension EXT:LANGUAGE`.
    fn named(name: &str) -> Option<Language> {
        match name {
            "python" | "py" | "pyi" => Some(Language::Python),
            "ipynb" | "notebook" | "jupyter" => Some(Language::Notebook),
            _ => None,
        }
    }
}

/// The extensions read, `py` and `ipynb` and those mapped on the command line.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// `--extension` mappings, later ones first.
    mapped: Vec<(String, Language)>,
}

impl Extensions {
    pub fn new(mapped: Vec<(String, Language)>) -> Self {
        let mut mapped = mapped;
        mapped.reverse();
        Extensions { mapped }
    }

    /// The language of a file found in a folder walk, `None` for a file that is not a source.
    pub fn of_found(&self, path: &Path) -> Option<Language> {
        let extension = path.extension()?.to_str()?;
        if let Some((_, language)) = self.mapped.iter().find(|(ext, _)| ext == extension) {
            return Some(*language);
        }
        match extension {
            "py" => Some(Language::Python),
            "ipynb" => Some(Language::Notebook),
            _ => None,
        }
    }

    /// The language of a file named on the command line (or standard input's name): as found,
    /// else Python.
    pub fn of_given(&self, path: &Path) -> Language {
        self.of_found(path).unwrap_or(Language::Python)
    }
}

/// Parses `EXT:LANGUAGE` (`ipy:ipynb`, `.pyw:python`).
pub fn parse_mapping(text: &str) -> Result<(String, Language), String> {
    let Some((extension, language)) = text.split_once(':') else {
        return Err("expected EXT:LANGUAGE, as `ipy:ipynb` or `pyw:python`".to_string());
    };
    let extension = extension.trim().trim_start_matches('.');
    if extension.is_empty() {
        return Err("the extension is empty".to_string());
    }
    match Language::named(language.trim()) {
        Some(language) => Ok((extension.to_string(), language)),
        None => Err(format!(
            "unknown language `{}`: expected python or ipynb",
            language.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_mappings() {
        let extensions = Extensions::new(vec![
            parse_mapping("ipy:ipynb").unwrap(),
            parse_mapping(".pyw:python").unwrap(),
            parse_mapping("ipy:python").unwrap(),
        ]);
        let of = |name: &str| extensions.of_found(Path::new(name));
        assert_eq!(of("a/job.py"), Some(Language::Python));
        assert_eq!(of("a/nb.ipynb"), Some(Language::Notebook));
        assert_eq!(of("a/x.pyw"), Some(Language::Python));
        // The later mapping of an extension wins.
        assert_eq!(of("a/x.ipy"), Some(Language::Python));
        assert_eq!(of("a/notes.txt"), None);
        assert_eq!(
            extensions.of_given(Path::new("notes.txt")),
            Language::Python
        );
        assert!(parse_mapping("ipy").is_err());
        assert_eq!(
            parse_mapping("ipy:scala").unwrap_err(),
            "unknown language `scala`: expected python or ipynb"
        );
    }
}
