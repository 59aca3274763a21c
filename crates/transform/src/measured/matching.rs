//! Whether a source the code spells names a relation an event log measured.
//!
//! Code spells paths as literals (`s3://bucket/dim/products/`), templates (`{}/dim/products/`,
//! `{}` standing for an f-string or `.format` interpolation) or globs (`/landing/2024-*/`), and
//! tables with or without their database and catalog. Spark logs paths fully qualified
//! (`s3a://bucket/dim/products`, `file:/tmp/x`) and tables with their catalog
//! (`spark_catalog.default.products`). A match is tried in this order:
//! 1. the same path, with `s3`/`s3a`/`s3n` taken as one scheme and trailing slashes ignored;
//!    a path without a scheme matches any scheme with the same segments (it is relative to
//!    the cluster's default file system);
//! 2. globs (`*`, `?`, `[...]`, `{a,b}`) within a segment, matched segment by segment;
//! 3. templates: a segment that is exactly `{}` matches one or more segments (the scheme and
//!    bucket included), `{}` inside a segment matches any text in it;
//! 4. tables: the code's dotted name equals the log's last parts (`products` and
//!    `default.products` both name `spark_catalog.default.products`).

use sparkfix_eventlog::Relation;

use crate::model::Source;

/// Whether the code's `source` names the log's `relation` (every path of it, when the log
/// lists several).
pub fn matches(source: &Source, relation: &Relation) -> bool {
    match (source, relation) {
        (Source::Path(pattern), Relation::Paths(paths)) => {
            !paths.is_empty() && paths.iter().all(|path| path_matches(pattern, path))
        }
        (Source::Table(name), Relation::Table(table)) => table_matches(name, table),
        _ => false,
    }
}

/// Whether the code's path `pattern` names the log's `path`.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let log = Qualified::parse(path);
    let code = Qualified::parse(pattern);
    let pattern_segments: Vec<&str> = code.segments.clone();
    match code.scheme {
        // `{}/dim/x`: the template may stand for the scheme and bucket too.
        None if pattern_segments.first() == Some(&"{}") => {
            let mut full: Vec<&str> = Vec::new();
            if let Some(scheme) = log.scheme {
                full.push(scheme);
            }
            full.extend(log.authority);
            full.extend(&log.segments);
            segments_match(&pattern_segments, &full)
        }
        None => segments_match(&pattern_segments, &log.segments),
        Some(scheme) => {
            log.scheme
                .is_some_and(|log_scheme| same_scheme(scheme, log_scheme))
                && code.authority.map(str::to_ascii_lowercase)
                    == log.authority.map(str::to_ascii_lowercase)
                && segments_match(&pattern_segments, &log.segments)
        }
    }
}

/// A path split into scheme, authority (bucket, host) and segments.
struct Qualified<'p> {
    scheme: Option<&'p str>,
    authority: Option<&'p str>,
    segments: Vec<&'p str>,
}

impl<'p> Qualified<'p> {
    fn parse(path: &'p str) -> Qualified<'p> {
        let (scheme, rest) = match path.split_once(':') {
            Some((scheme, rest))
                if !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
                    && !scheme.contains('{')
                    && scheme.len() > 1 =>
            {
                (Some(scheme), rest)
            }
            _ => (None, path),
        };
        let (authority, rest) = match rest.strip_prefix("//") {
            Some(rest) => {
                let (authority, rest) = rest.split_once('/').unwrap_or((rest, ""));
                (Some(authority).filter(|a| !a.is_empty()), rest)
            }
            None => (None, rest),
        };
        // The authority of `hdfs://namenode:8020/x` or `file://localhost/x` names the cluster,
        // not the data; that of `s3://bucket/x` names the data.
        let authority = match scheme.map(str::to_ascii_lowercase).as_deref() {
            Some("hdfs" | "viewfs" | "file" | "maprfs" | "dbfs") => None,
            _ => authority,
        };
        let segments = rest
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        Qualified {
            scheme,
            authority,
            segments,
        }
    }
}

fn same_scheme(a: &str, b: &str) -> bool {
    let family = |scheme: &str| match scheme.to_ascii_lowercase().as_str() {
        "s3" | "s3a" | "s3n" => "s3".to_string(),
        "abfs" | "abfss" => "abfs".to_string(),
        "wasb" | "wasbs" => "wasb".to_string(),
        other => other.to_string(),
    };
    family(a) == family(b)
}

/// Pattern segments against path segments: `{}` alone takes one or more segments; other
/// segments match one segment each.
fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"{}", rest)) => (1..=path.len()).any(|taken| segments_match(rest, &path[taken..])),
        Some((first, rest)) => path.split_first().is_some_and(|(segment, path_rest)| {
            segment_matches(first, segment) && segments_match(rest, path_rest)
        }),
    }
}

/// One segment against a glob: `*` (and `{}`, an interpolation) any text, `?` one character,
/// `[...]` a character class, `{a,b}` alternatives.
fn segment_matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?', '[', '{']) {
        return pattern == text;
    }
    glob(pattern.as_bytes(), text.as_bytes())
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some(b'*') => (0..=text.len()).any(|skip| glob(&pattern[1..], &text[skip..])),
        Some(b'{') if pattern.get(1) == Some(&b'}') => {
            (0..=text.len()).any(|skip| glob(&pattern[2..], &text[skip..]))
        }
        Some(b'{') => match pattern.iter().position(|&b| b == b'}') {
            Some(close) => pattern[1..close].split(|&b| b == b',').any(|choice| {
                let mut alternative = choice.to_vec();
                alternative.extend_from_slice(&pattern[close + 1..]);
                glob(&alternative, text)
            }),
            None => text.first() == Some(&b'{') && glob(&pattern[1..], &text[1..]),
        },
        Some(b'?') => !text.is_empty() && glob(&pattern[1..], &text[1..]),
        Some(b'[') => match (pattern.iter().position(|&b| b == b']'), text.first()) {
            (Some(close), Some(&c)) => {
                let class = &pattern[1..close];
                let (negated, class) = match class.first() {
                    Some(b'^' | b'!') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut inside = false;
                let mut at = 0;
                while at < class.len() {
                    if at + 2 < class.len() && class[at + 1] == b'-' {
                        inside |= (class[at]..=class[at + 2]).contains(&c);
                        at += 3;
                    } else {
                        inside |= class[at] == c;
                        at += 1;
                    }
                }
                inside != negated && glob(&pattern[close + 1..], &text[1..])
            }
            _ => false,
        },
        Some(&p) => text.first() == Some(&p) && glob(&pattern[1..], &text[1..]),
    }
}

/// Whether the code's table `name` names the log's `table`: its dotted parts are the log's last
/// parts, compared without backquotes and case; a `{}` part stands for any parts.
fn table_matches(name: &str, table: &str) -> bool {
    let parts = |text: &str| -> Vec<String> {
        text.split('.')
            .map(|part| part.trim_matches('`').to_ascii_lowercase())
            .collect()
    };
    let code = parts(name);
    let log = parts(table);
    let code: Vec<&str> = code.iter().map(String::as_str).collect();
    let log: Vec<&str> = log.iter().map(String::as_str).collect();
    (0..log.len()).any(|start| segments_match(&code, &log[start..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_paths_match_across_s3_schemes_and_slashes() {
        assert!(path_matches(
            "s3://bucket/dimensions/products/",
            "s3a://bucket/dimensions/products"
        ));
        assert!(path_matches("s3n://bucket/x", "s3://bucket/x/"));
        assert!(!path_matches(
            "s3://bucket/dimensions/products/",
            "s3a://other/dimensions/products"
        ));
        assert!(!path_matches(
            "s3://bucket/dimensions/products",
            "s3a://bucket/dimensions/products_v2"
        ));
        assert!(!path_matches("gs://bucket/x", "s3a://bucket/x"));
        assert!(path_matches("/data/x", "file:/data/x"));
        assert!(path_matches("/data/x", "hdfs://namenode:8020/data/x"));
        assert!(path_matches("dbfs:/mnt/raw/x", "dbfs:/mnt/raw/x"));
        assert!(!path_matches("/data/x", "file:/data/x/y"));
    }

    #[test]
    fn templates_and_globs() {
        assert!(path_matches(
            "{}/bucket/dimensions/products/",
            "file:/tmp/sf/bucket/dimensions/products"
        ));
        assert!(path_matches("{}/dim/products", "s3a://lake/dim/products"));
        assert!(!path_matches("{}/dim/products", "s3a://lake/dim/customers"));
        assert!(path_matches(
            "s3://b/{}/products",
            "s3a://b/prod/v2/products"
        ));
        assert!(path_matches(
            "s3://b/events/dt={}/",
            "s3a://b/events/dt=2024-01-01"
        ));
        assert!(path_matches(
            "s3://b/events/2024-*/",
            "s3a://b/events/2024-03"
        ));
        assert!(path_matches(
            "s3://b/events/{2023,2024}-0[1-3]",
            "s3a://b/events/2024-02"
        ));
        assert!(!path_matches(
            "s3://b/events/{2023,2024}-0[1-3]",
            "s3a://b/events/2024-05"
        ));
    }

    #[test]
    fn tables_match_with_or_without_catalog_and_database() {
        let table = |name: &str| Source::Table(name.into());
        let logged = Relation::Table("spark_catalog.default.products".into());
        assert!(matches(&table("products"), &logged));
        assert!(matches(&table("default.products"), &logged));
        assert!(matches(&table("spark_catalog.default.products"), &logged));
        assert!(matches(&table("`default`.`Products`"), &logged));
        assert!(!matches(&table("sales.products"), &logged));
        assert!(!matches(&table("duct"), &logged));
        assert!(matches(&table("{}.products"), &logged));
        assert!(!matches(&Source::Path("products".into()), &logged));
    }
}
