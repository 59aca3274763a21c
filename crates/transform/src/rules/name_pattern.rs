//! Name patterns for rule parameters (`dim_*`, `*_lookup`): glob matching on names normalised
//! to lower snake_case.

/// `name` in lower snake_case, with a DataFrame marker (`df_`, `_df`, `_sdf`) removed:
/// `dimCustomerDF` and `dim_customer_df` both give `dim_customer`.
pub fn normalize_name(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_uppercase() && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
        previous = Some(c);
    }
    let snake = snake.replace('-', "_");
    let mut core = snake.trim_matches('_');
    for suffix in ["_df", "_sdf"] {
        core = core.strip_suffix(suffix).unwrap_or(core);
    }
    for prefix in ["df_", "sdf_"] {
        core = core.strip_prefix(prefix).unwrap_or(core);
    }
    core.to_owned()
}

/// The first of `patterns` that matches the normalised `name`.
pub fn first_match<'p>(patterns: &'p [String], name: &str) -> Option<&'p str> {
    let name = normalize_name(name);
    if name.is_empty() {
        return None;
    }
    patterns
        .iter()
        .find(|p| glob_match(&p.to_lowercase(), &name))
        .map(String::as_str)
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern = pattern.as_bytes();
    let text = text.as_bytes();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_dataframe_markers() {
        assert_eq!(normalize_name("dimCustomerDF"), "dim_customer");
        assert_eq!(normalize_name("DimCustomerDf"), "dim_customer");
        assert_eq!(normalize_name("products_dim_df"), "products_dim");
        assert_eq!(normalize_name("df_lookup"), "lookup");
        assert_eq!(normalize_name("dim-region"), "dim_region");
        assert_eq!(normalize_name("_df"), "df");
    }

    #[test]
    fn globs() {
        assert!(glob_match("dim_*", "dim_customer"));
        assert!(glob_match("*_dim", "product_dim"));
        assert!(glob_match("dim", "dim"));
        assert!(!glob_match("dim", "dims"));
        assert!(!glob_match("dim_*", "dimension"));
        assert!(glob_match("*_lookup", "country_lookup"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        let patterns = vec!["lkp_*".to_owned(), "lookup".to_owned()];
        assert_eq!(first_match(&patterns, "LookupDF"), Some("lookup"));
        assert_eq!(first_match(&patterns, "orders"), None);
    }
}
