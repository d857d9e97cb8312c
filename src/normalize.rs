//! Normalize: the text matching compares, never the text reports show.
//!
//! Two paragraphs that differ only in Unicode form, letter case, quote or dash style, or
//! whitespace are the same paragraph for paradup. Normalization applies NFKC, full case
//! folding, maps curly quotes to straight ones and dash variants to `-`, and collapses
//! whitespace. Most news text is ASCII, so ASCII input takes a fast path that skips the
//! Unicode tables.

use std::borrow::Cow;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// Normalizes `text` for matching. Returns the input unchanged when it already is.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if is_normal_ascii(text) {
            return Cow::Borrowed(text);
        }
        return Cow::Owned(clean_ascii(text.as_bytes()));
    }
    if let Some(ascii) = typographic_to_ascii(text) {
        return Cow::Owned(clean_ascii(ascii.as_bytes()));
    }
    let mut out = String::with_capacity(text.len());
    clean(text.nfkc().default_case_fold().nfkc(), &mut out);
    Cow::Owned(out)
}

/// Text that is ASCII apart from typographic punctuation (curly quotes, dashes, no-break
/// spaces, ellipses), rewritten to the ASCII that NFKC, case folding
/// and [`clean`] would turn those characters into, so it can take the byte path: most
/// copy from a CMS is exactly this. `None` when any other character appears.
///
/// Every character mapped here is its own NFKC form (or, for the no-break space and the
/// ellipsis, maps to plain ASCII under NFKC), which is what makes the shortcut exact.
fn typographic_to_ascii(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_ascii() => out.push(c),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                out.push('"');
            }
            // Hyphen-like: a single tight one joins words, like `-`.
            '\u{2010}' | '\u{2013}' => out.push('-'),
            // Always a dash: two hyphens never join words.
            '\u{2012}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => out.push_str("--"),
            '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{202F}' => out.push(' '),
            '\u{2026}' => out.push_str("..."),
            // Anything else, invisible characters included (they count as neighbours
            // when telling a hyphen from a dash), takes the general path.
            _ => return None,
        }
    }
    Some(out)
}

/// [`clean`] for ASCII input, byte by byte (the common case for news copy). Produces
/// exactly what `clean` would.
fn clean_ascii(bytes: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut space_before = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() || b == 0x0B {
            space_before = !out.is_empty();
            i += 1;
            continue;
        }
        if b == b'-' {
            let mut run = 1;
            while bytes.get(i + run) == Some(&b'-') {
                run += 1;
            }
            i += run;
            let space_after = bytes
                .get(i)
                .is_none_or(|n| n.is_ascii_whitespace() || *n == 0x0B);
            if run == 1 && !space_before && !space_after && !out.is_empty() {
                out.push(b'-');
                space_before = false;
            } else {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.push(b'-');
                space_before = true;
            }
            continue;
        }
        if space_before {
            out.push(b' ');
            space_before = false;
        }
        out.push(match b {
            b'`' => b'\'',
            _ => b.to_ascii_lowercase(),
        });
        i += 1;
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// ASCII text that normalization would leave alone: lowercase, single spaces, no dashes
/// that need rewriting, no leading or trailing space.
fn is_normal_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // The start of the text counts as a space: a leading dash is a standalone dash.
    let mut prev = b' ';
    for &b in bytes {
        let fine = match b {
            b'A'..=b'Z' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b'`' => false,
            b' ' | b'-' => prev != b' ' && prev != b'-',
            _ => !(prev == b'-' && b == b' '),
        };
        if !fine {
            return false;
        }
        prev = b;
    }
    // A trailing hyphen ("word-") is a standalone dash and would be rewritten.
    prev != b'-'
}

/// Maps quote and dash variants, drops invisible characters and collapses whitespace.
///
/// Dashes: a single hyphen (or en dash) between two non-space characters is a hyphen and
/// stays `-` ("well-known", "1990-95"). Anything else that works as a dash (em dash,
/// spaced hyphen, `--`) becomes the token ` - `, so "ceasefire—for now", "ceasefire --
/// for now" and "ceasefire - for now" normalize alike.
fn clean(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut chars = chars.peekable();
    let mut space_before = false;
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            space_before = !out.is_empty();
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => continue,
            other => other,
        };
        if let Some(dash) = dash_kind(c) {
            let mut run = 1;
            while chars.peek().copied().and_then(dash_kind).is_some() {
                chars.next();
                run += 1;
            }
            let space_after = chars.peek().is_none_or(|n| n.is_whitespace());
            let hyphen = dash == Dash::Hyphen
                && run == 1
                && !space_before
                && !space_after
                && !out.is_empty();
            if hyphen {
                out.push('-');
            } else {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push('-');
                space_before = true;
                continue;
            }
        } else {
            if space_before {
                out.push(' ');
            }
            out.push(c);
        }
        space_before = false;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dash {
    /// Joins words when written tight: `-`, hyphen, non-breaking hyphen, en dash.
    Hyphen,
    /// Always a dash: em dash, horizontal bar, minus sign and the like.
    Dash,
}

fn dash_kind(c: char) -> Option<Dash> {
    match c {
        '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' => Some(Dash::Hyphen),
        '\u{2012}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}'
        | '\u{FF0D}' => Some(Dash::Dash),
        _ => None,
    }
}

/// The words of normalized text: maximal runs of letters and digits. Punctuation is not a
/// word, so "12,000" is two words and "died." is "died". Similarity and shingles use these.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_already_normal_is_borrowed() {
        assert!(matches!(normalize("plain words, here."), Cow::Borrowed(_)));
        assert!(matches!(normalize("well-known"), Cow::Borrowed(_)));
    }

    #[test]
    fn case_whitespace_and_quotes() {
        assert_eq!(normalize("  The  \r\n\tCouncil  "), "the council");
        assert_eq!(
            normalize("\u{201C}We\u{2019}re ready,\u{201D} she said"),
            "\"we're ready,\" she said"
        );
        assert_eq!(normalize("STRASSE Stra\u{00DF}e"), "strasse strasse");
        assert_eq!(
            normalize("\u{FB01}ne \u{FF21}"),
            "fine a",
            "NFKC ligatures and fullwidth"
        );
        assert_eq!(normalize("a\u{00A0}b\u{200B}c"), "a bc");
    }

    #[test]
    fn dashes_unify_but_hyphens_stay() {
        let want = "talks - for now - resumed";
        assert_eq!(normalize("talks\u{2014}for now\u{2014}resumed"), want);
        assert_eq!(normalize("talks -- for now -- resumed"), want);
        assert_eq!(normalize("talks - for now - resumed"), want);
        assert_eq!(normalize("talks \u{2013} for now \u{2013} resumed"), want);
        assert_eq!(normalize("well-known 1990\u{2013}95"), "well-known 1990-95");
        assert_eq!(normalize("ends with-"), "ends with -");
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in [
            "A \u{2014} b",
            "x--y",
            "-lead",
            "Tail -",
            "q\u{2019}s \u{201C}x\u{201D}",
        ] {
            let once = normalize(s).into_owned();
            assert_eq!(normalize(&once), once, "input {s:?}");
        }
    }

    proptest::proptest! {
        /// The ASCII fast paths agree with the general path.
        #[test]
        fn ascii_fast_path_matches_general_path(s in "[ a-zA-Z0-9\t\r\n`'.,-]{0,40}") {
            let mut general = String::new();
            clean(s.chars().map(|c| c.to_ascii_lowercase()), &mut general);
            let fast = normalize(&s).into_owned();
            proptest::prop_assert_eq!(&fast, &general);
            proptest::prop_assert_eq!(clean_ascii(s.as_bytes()), general);
        }
    }

    proptest::proptest! {
        /// Typographic punctuation takes the byte path and lands where the general path
        /// (NFKC, case folding, clean) does.
        #[test]
        fn typographic_fast_path_matches_general_path(
            s in "[ a-zA-Z0-9\t\n.,'`-]{0,12}([\u{2018}\u{2019}\u{201A}\u{201B}\u{201C}\u{201D}\u{201E}\u{201F}\u{AB}\u{BB}\u{2010}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}\u{A0}\u{2002}\u{2003}\u{2009}\u{202F}\u{2026}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{AD}][ a-zA-Z0-9.,-]{0,6}){1,6}"
        ) {
            let mut general = String::new();
            clean(s.nfkc().default_case_fold().nfkc(), &mut general);
            proptest::prop_assert_eq!(normalize(&s).into_owned(), general, "input {:?}", s);
        }
    }

    #[test]
    fn words_split_on_punctuation() {
        let w: Vec<_> = words("more than 12,000 soldiers. died").collect();
        assert_eq!(w, ["more", "than", "12", "000", "soldiers", "died"]);
    }
}
