//! Sources: the outlet or site each document belongs to. The boilerplate rule needs it
//! (a text one source repeats across its own stories is its template; what several
//! sources each carry once is syndication, see `classify`).
//!
//! Three things can say it; the more specific wins:
//!
//! 1. the folder: the top-level folder under the scanned path (`walk`);
//! 2. the `[sources]` glob map of `paradup.toml` ([`SourceMap`]): the first pattern, in
//!    file order, that matches the file's path relative to the scanned folder;
//! 3. a feed record's `--source-field` ([`field_source`]): the field's value, or the
//!    host of a URL (`https://www.weis-radio.com/a/b` is `weis-radio.com`).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Glob patterns over file paths, each naming a source; the first that matches wins.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    globs: GlobSet,
    names: Vec<String>,
}

impl SourceMap {
    /// Compiles `(pattern, source)` pairs, in order. `*` and `?` do not cross a `/`; `**`
    /// does. The error names the pattern that does not compile.
    pub fn new(patterns: &[(String, String)]) -> Result<Self, String> {
        let mut set = GlobSetBuilder::new();
        let mut names = Vec::with_capacity(patterns.len());
        for (pattern, name) in patterns {
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|err| format!("\"{pattern}\": invalid glob: {}", err.kind()))?;
            if name.trim().is_empty() {
                return Err(format!("\"{pattern}\": the source name is empty"));
            }
            set.add(glob);
            names.push(name.clone());
        }
        let globs = set
            .build()
            .map_err(|err| format!("invalid glob: {}", err.kind()))?;
        Ok(SourceMap { globs, names })
    }

    /// Whether no pattern is given.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The source of the file at `path` (`/` separators), if a pattern matches it.
    pub fn source_of(&self, path: &str) -> Option<&str> {
        if self.is_empty() {
            return None;
        }
        let first = self.globs.matches(path).into_iter().min()?;
        Some(&self.names[first])
    }
}

/// A record's source from the value of its source field `field`: the host of a URL
/// (when the value is one, or the field is called `url`), else the value itself, trimmed.
/// `None` for an empty value or a URL without a host, so the record keeps its file's
/// source.
pub fn field_source(field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    let source = if field.eq_ignore_ascii_case("url") || has_scheme(value) {
        url_host(value)?
    } else {
        value.to_string()
    };
    (!source.is_empty()).then_some(source)
}

/// Whether `s` starts with `scheme://` (RFC 3986: a letter, then letters, digits, `+`,
/// `-`, `.`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The host of a URL, lowercased, without a leading `www.`, a port, user information or
/// a trailing dot. A value without a scheme (`www.example.org/a`, `//example.org/a`) is
/// read as starting with its host.
fn url_host(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) if has_scheme(url) => rest,
        _ => url.strip_prefix("//").unwrap_or(url),
    };
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        &host_port[..bracketed.find(']').map_or(host_port.len(), |i| i + 2)]
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = match host.strip_prefix("www.") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => host,
    };
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(patterns: &[(&str, &str)]) -> Result<SourceMap, String> {
        let owned: Vec<(String, String)> = patterns
            .iter()
            .map(|(p, n)| ((*p).to_string(), (*n).to_string()))
            .collect();
        SourceMap::new(&owned)
    }

    #[test]
    fn the_first_matching_pattern_names_the_source() {
        let sources = map(&[
            ("feeds/ap-*.jsonl", "ap"),
            ("sites/weis/**", "weis-radio"),
            ("feeds/**", "other-feeds"),
        ])
        .unwrap();
        assert_eq!(sources.source_of("feeds/ap-2026.jsonl"), Some("ap"));
        assert_eq!(
            sources.source_of("feeds/reuters.jsonl"),
            Some("other-feeds")
        );
        // `*` stops at a folder; `**` does not.
        assert_eq!(
            sources.source_of("feeds/old/ap-2020.jsonl"),
            Some("other-feeds")
        );
        assert_eq!(
            sources.source_of("sites/weis/2026/05/a.html"),
            Some("weis-radio")
        );
        assert_eq!(sources.source_of("sites/kxrt/a.html"), None);
        // Order decides, not specificity.
        let sources = map(&[("feeds/**", "all"), ("feeds/ap-*.jsonl", "ap")]).unwrap();
        assert_eq!(sources.source_of("feeds/ap-1.jsonl"), Some("all"));
        assert!(SourceMap::default().source_of("a.txt").is_none());
    }

    #[test]
    fn a_bad_pattern_or_an_empty_name_is_named() {
        let err = map(&[("ok/**", "a"), ("feeds/[ap-*.jsonl", "ap")]).unwrap_err();
        assert!(
            err.starts_with("\"feeds/[ap-*.jsonl\": invalid glob"),
            "{err}"
        );
        let err = map(&[("feeds/**", " ")]).unwrap_err();
        assert!(
            err.contains("\"feeds/**\"") && err.contains("empty"),
            "{err}"
        );
    }

    #[test]
    fn urls_count_by_their_host() {
        let cases = [
            (
                "source",
                "https://www.weis-radio.com/a/b",
                Some("weis-radio.com"),
            ),
            (
                "link",
                "http://WEIS-Radio.com:8080/a?b#c",
                Some("weis-radio.com"),
            ),
            (
                "link",
                "https://user:pw@news.example.org./x",
                Some("news.example.org"),
            ),
            ("link", "https://[::1]:8080/x", Some("[::1]")),
            ("url", "www.weis-radio.com/a", Some("weis-radio.com")),
            ("URL", "//cdn.example.org/a", Some("cdn.example.org")),
            ("url", "https:///no-host", None),
            // Not URLs: the value itself.
            ("source", "  Weis Radio ", Some("Weis Radio")),
            ("source", "ap:wire", Some("ap:wire")),
            ("source", "1st://x", Some("1st://x")),
            ("source", "", None),
        ];
        for (field, value, want) in cases {
            assert_eq!(
                field_source(field, value).as_deref(),
                want,
                "{field} = {value:?}"
            );
        }
    }
}
