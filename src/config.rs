//! `paradup.toml`: a project's settings, found from the current directory upward (or
//! named with `--config`). Command-line flags override it. Unknown keys and wrong types
//! are errors naming the key and the file, so a typo never silently does nothing.
//!
//! ```toml
//! threshold = 0.7
//! min_words = 6
//! fail_on = "within"            # scan's gate
//! include = ["*.txt", "*.html"]
//! exclude = ["drafts/**"]
//! body_only = false
//! text_field = "body"
//! id_field = "id"
//! source_field = "outlet"       # feeds: a record's source (a URL counts by its host)
//!
//! [sources]                     # a file's source by path; the first match wins
//! "feeds/ap-*.jsonl" = "ap"
//! "sites/weis/**" = "weis-radio"
//!
//! [boilerplate]
//! story_overlap = 0.5
//! template_stories = 5          # a source's template: in this many of its stories,
//! template_share = 0.1          # or in 2+ at the page edge on this share of its pages
//!
//! [check]
//! index = ".paradup/index.db"
//! fail_on = "archive-near"
//!
//! [[allow]]                     # never reported; near copies are "drift"
//! name = "agency copyright"
//! text = "Copyright 2026 Northlight Press Agency. All rights reserved."
//!
//! [[allow]]
//! fingerprint = "3f1c0d2a9b8e7f6a5d4c3b2a19081726"   # as reports print it
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::ingest::SourceMap;
use crate::options::ScanOptions;
use crate::report::FailOn;

/// The file name looked for.
pub const FILE_NAME: &str = "paradup.toml";

/// The settings a `paradup.toml` may hold; every one is optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Near-duplicate threshold.
    pub threshold: Option<f64>,
    /// Minimum words of a candidate paragraph.
    pub min_words: Option<usize>,
    /// `scan`'s gate.
    pub fail_on: Option<FailOn>,
    /// Globs of files to read.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files never to read.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// HTML: read only the article body.
    pub body_only: Option<bool>,
    /// Feeds: the text field.
    pub text_field: Option<String>,
    /// Feeds: the id field.
    pub id_field: Option<String>,
    /// Feeds: the field naming a record's source.
    pub source_field: Option<String>,
    /// `[sources]`: glob patterns over file paths (relative to the scanned folder), each
    /// naming a source, in file order.
    #[serde(default)]
    pub sources: SourceGlobs,
    /// The boilerplate rule.
    pub boilerplate: Option<BoilerplateConfig>,
    /// `check`'s settings.
    pub check: Option<CheckConfig>,
    /// Approved paragraphs.
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
}

/// `[sources]`: `"pattern" = "source"` pairs in the order the file lists them (the first
/// pattern matching a file names its source, so the order is kept, which a map would
/// lose).
#[derive(Debug, Default, PartialEq)]
pub struct SourceGlobs(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for SourceGlobs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = SourceGlobs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of \"glob\" = \"source name\"")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SourceGlobs, A::Error> {
                // toml hands a table's keys over sorted; their spans give the file order.
                let mut pairs = Vec::new();
                while let Some((key, name)) = map.next_entry::<toml::Spanned<String>, String>()? {
                    pairs.push((key.span().start, key.into_inner(), name));
                }
                pairs.sort_by_key(|p| p.0);
                Ok(SourceGlobs(
                    pairs
                        .into_iter()
                        .map(|(_, key, name)| (key, name))
                        .collect(),
                ))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// `[boilerplate]`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateConfig {
    /// Share of long paragraphs two documents must share to be copies of one story.
    pub story_overlap: Option<f64>,
    /// Stories of a source a text must recur in to be its template.
    pub template_stories: Option<usize>,
    /// Share of a source's documents a text at the page edge, in fewer stories, must
    /// be on to be its template.
    pub template_share: Option<f64>,
}

/// `[check]`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// The index database (relative to the configuration file).
    pub index: Option<PathBuf>,
    /// `check`'s gate.
    pub fail_on: Option<FailOn>,
}

/// `[[allow]]`: one approved paragraph, by text or by fingerprint.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// A label for reports.
    pub name: Option<String>,
    /// The paragraph's text.
    pub text: Option<String>,
    /// Its fingerprint, as reports print it.
    pub fingerprint: Option<String>,
}

/// A configuration and where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The settings.
    pub config: Config,
    /// The file.
    pub path: PathBuf,
    /// `[sources]`, compiled.
    pub sources: SourceMap,
}

/// The nearest `paradup.toml` in `start` or its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    nearest(start, Path::new(FILE_NAME))
}

/// The nearest existing file `rel` in `start` or its parents (as git finds `.git`): a
/// project's files are found from any of its subfolders.
pub fn nearest(start: &Path, rel: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(rel))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> crate::Result<Loaded> {
    let error = |reason: String| Error::Config {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error(crate::error::io_reason(&e)))?;
    let config: Config =
        toml::from_str(&text).map_err(|e| error(e.to_string().trim_end().to_string()))?;
    for (i, entry) in config.allow.iter().enumerate() {
        if entry.text.is_some() == entry.fingerprint.is_some() {
            return Err(error(format!(
                "allow entry {} must have exactly one of `text` and `fingerprint`",
                i + 1
            )));
        }
    }
    let sources =
        SourceMap::new(&config.sources.0).map_err(|reason| error(format!("[sources] {reason}")))?;
    Ok(Loaded {
        config,
        path: path.to_path_buf(),
        sources,
    })
}

impl Loaded {
    /// A value out of range: an error naming the key (never a flag) and the file.
    fn invalid(&self, key: &str, reason: &str) -> Error {
        Error::Config {
            path: self.path.display().to_string(),
            reason: format!("{key}: {reason}"),
        }
    }

    /// `[boilerplate]`; a value out of range is an error naming the key.
    fn apply_boilerplate(
        &self,
        b: &BoilerplateConfig,
        opts: &mut ScanOptions,
    ) -> crate::Result<()> {
        let invalid = |key: &str, reason: &str| self.invalid(&format!("boilerplate.{key}"), reason);
        let share = |v: f64| v > 0.0 && v <= 1.0;
        if let Some(overlap) = b.story_overlap {
            if !share(overlap) {
                return Err(invalid("story_overlap", "must be in (0, 1]"));
            }
            opts.classify.story_overlap = overlap;
        }
        if let Some(stories) = b.template_stories {
            if stories < 2 {
                return Err(invalid("template_stories", "must be at least 2"));
            }
            opts.classify.template_stories = stories;
        }
        if let Some(p) = b.template_share {
            if !share(p) {
                return Err(invalid("template_share", "must be in (0, 1]"));
            }
            opts.classify.template_share = p;
        }
        Ok(())
    }

    /// Applies the file's settings to `opts` (before command-line flags, which override).
    pub fn apply(&self, opts: &mut ScanOptions) -> crate::Result<()> {
        let c = &self.config;
        let invalid = |key: &str, reason: &str| self.invalid(key, reason);
        if let Some(t) = c.threshold {
            if !(t > 0.0 && t <= 1.0) {
                return Err(invalid(
                    "threshold",
                    &format!("{t} is not in (0, 1]; try 0.7"),
                ));
            }
            opts.matching.threshold = t;
        }
        if let Some(m) = c.min_words {
            if m == 0 {
                return Err(invalid("min_words", "must be at least 1"));
            }
            opts.matching.min_words = m;
        }
        opts.walk.include.clone_from(&c.include);
        opts.walk.exclude.clone_from(&c.exclude);
        if let Some(b) = c.body_only {
            opts.segment.body_only = b;
        }
        if c.text_field.is_some() {
            opts.read.text_field.clone_from(&c.text_field);
        }
        if c.id_field.is_some() {
            opts.read.id_field.clone_from(&c.id_field);
        }
        if c.source_field.is_some() {
            opts.read.source_field.clone_from(&c.source_field);
        }
        opts.walk.sources = self.sources.clone();
        if let Some(b) = &c.boilerplate {
            self.apply_boilerplate(b, opts)?;
        }
        opts.matching.allow.origin = self.path.display().to_string();
        for entry in &c.allow {
            let name = entry.name.as_deref();
            if let Some(text) = &entry.text {
                opts.matching.allow.add_text(text, name);
            } else if let Some(fp) = &entry.fingerprint {
                opts.matching
                    .allow
                    .add_fingerprint(fp, name)
                    .map_err(|reason| Error::Config {
                        path: self.path.display().to_string(),
                        reason: format!("allow: {reason}"),
                    })?;
            }
        }
        Ok(())
    }

    /// The index path of `[check]`, relative to the configuration file's folder.
    pub fn index(&self) -> Option<PathBuf> {
        let index = self.config.check.as_ref()?.index.as_ref()?;
        Some(self.path.parent().unwrap_or(Path::new(".")).join(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> crate::Result<Loaded> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    #[test]
    fn settings_and_allowlist_apply() {
        let loaded = parse(
            "threshold = 0.8\nmin_words = 8\nfail_on = \"across\"\nexclude = [\"drafts/**\"]\n[boilerplate]\nstory_overlap = 0.6\ntemplate_stories = 4\ntemplate_share = 0.2\n[check]\nfail_on = \"archive-exact\"\n[[allow]]\nname = \"agency\"\ntext = \"Copyright 2026 Northlight Press Agency.\"\n",
        )
        .unwrap();
        assert_eq!(loaded.config.fail_on, Some(FailOn::Across));
        assert_eq!(
            loaded.config.check.as_ref().unwrap().fail_on,
            Some(FailOn::ArchiveExact)
        );
        let mut opts = ScanOptions::default();
        loaded.apply(&mut opts).unwrap();
        assert!((opts.matching.threshold - 0.8).abs() < 1e-9);
        assert_eq!(opts.matching.min_words, 8);
        assert_eq!(opts.walk.exclude, vec!["drafts/**".to_string()]);
        assert!((opts.classify.story_overlap - 0.6).abs() < 1e-9);
        assert_eq!(opts.classify.template_stories, 4);
        assert!((opts.classify.template_share - 0.2).abs() < 1e-9);
        assert!(!opts.matching.allow.is_empty());
    }

    #[test]
    fn values_out_of_range_name_the_key_not_a_flag() {
        for (text, key) in [
            ("threshold = 1.7", "threshold"),
            ("min_words = 0", "min_words"),
            ("[boilerplate]\ntemplate_stories = 1", "template_stories"),
            ("[boilerplate]\ntemplate_share = 0.0", "template_share"),
            ("[boilerplate]\nstory_overlap = 1.5", "story_overlap"),
        ] {
            let loaded = parse(&format!("{text}\n")).unwrap();
            let err = loaded
                .apply(&mut ScanOptions::default())
                .unwrap_err()
                .to_string();
            assert!(err.contains(key) && err.contains(FILE_NAME), "{err}");
            assert!(!err.contains("--"), "a key, not a flag: {err}");
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_key_and_file() {
        let err = parse("threshhold = 0.8\n").unwrap_err().to_string();
        assert!(
            err.contains(FILE_NAME) && err.contains("threshhold"),
            "{err}"
        );
        let err = parse("min_words = \"six\"\n").unwrap_err().to_string();
        assert!(err.contains("min_words"), "{err}");
        let err = parse("[check]\nfail_on = \"sometimes\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fail_on") || err.contains("sometimes"),
            "{err}"
        );
        let err = parse("[[allow]]\nname = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("exactly one of"), "{err}");
    }

    #[test]
    fn sources_keep_file_order_and_bad_globs_name_the_key() {
        let loaded = parse(
            "source_field = \"url\"\n[sources]\n\"sites/weis/**\" = \"weis-radio\"\n\"feeds/ap-*.jsonl\" = \"ap\"\n\"**\" = \"all\"\n",
        )
        .unwrap();
        let keys: Vec<&str> = loaded
            .config
            .sources
            .0
            .iter()
            .map(|p| p.0.as_str())
            .collect();
        assert_eq!(keys, ["sites/weis/**", "feeds/ap-*.jsonl", "**"]);
        let mut opts = ScanOptions::default();
        loaded.apply(&mut opts).unwrap();
        assert_eq!(opts.read.source_field.as_deref(), Some("url"));
        assert_eq!(opts.walk.sources.source_of("feeds/ap-1.jsonl"), Some("ap"));
        assert_eq!(
            opts.walk.sources.source_of("sites/weis/a.txt"),
            Some("weis-radio")
        );
        assert_eq!(opts.walk.sources.source_of("kxrt/a.txt"), Some("all"));

        let err = parse("[sources]\n\"feeds/[ap-*.jsonl\" = \"ap\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(FILE_NAME)
                && err.contains("[sources] \"feeds/[ap-*.jsonl\": invalid glob"),
            "{err}"
        );
        let err = parse("[sources]\n\"feeds/**\" = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("feeds/**"), "{err}");
    }
}
