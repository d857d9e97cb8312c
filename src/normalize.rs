//! Normalize: the text matching compares, never the text reports show.
//!
//! Two paragraphs that differ only in Unicode form, letter case, quote or dash style, or
//! whitespace are the same paragraph for paradup. Normalization applies NFKC, full case
//! folding, maps curly quotes to straight ones and dash variants to `-`, and collapses
//! whitespace. Most news text is ASCII, so ASCII input takes a fast path that skips the
//! Unicode tables.
//!
//! Vowel signs that writers add or leave out at will are not part of the text either:
//! Arabic harakat and tatweel and Hebrew niqqud and cantillation marks are dropped, so a
//! vocalized and an unvocalized copy are the same paragraph.
//!
//! ## Tokens
//!
//! [`tokens`] is the one definition of a token that fingerprints, similarity, shingles
//! and `--min-words` share. Scripts written with spaces between words (Latin, Cyrillic,
//! Greek, Arabic, Hebrew, Hangul, ...) give one token per word: a maximal run of letters
//! and digits. Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
//! Myanmar) give one token per character, so an edit of one character costs one token
//! and shingles are character bigrams, as in CJK near-duplicate detection generally. For
//! `--min-words` ([`word_count`]) such a character counts as half a word: a Chinese word
//! is about two characters long, so a 12-character Chinese line weighs as much as a
//! 6-word English one.

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

/// [`clean`] for ASCII input (the common case for news copy). Produces exactly what
/// `clean` would. Only spaces and hyphens need a decision; the runs between them (most
/// of the text) are copied whole and lowercased in place, which the compiler vectorizes.
fn clean_ascii(bytes: &[u8]) -> String {
    let is_space = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut space_before = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_space(b) {
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
            let space_after = bytes.get(i).is_none_or(|&n| is_space(n));
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
        let end = bytes[i..]
            .iter()
            .position(|&b| is_space(b) || b == b'-')
            .map_or(bytes.len(), |n| i + n);
        let from = out.len();
        out.extend_from_slice(&bytes[i..end]);
        for c in &mut out[from..] {
            *c = if *c == b'`' {
                b'\''
            } else {
                c.to_ascii_lowercase()
            };
        }
        i = end;
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
            c if is_optional_mark(c) => continue,
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

/// Marks a writer may add or leave out without changing the text: Arabic harakat,
/// Quranic annotation signs and tatweel (the elongation stroke), Hebrew niqqud and
/// cantillation. Hebrew punctuation in that block (maqaf, paseq, sof pasuq) stays.
fn is_optional_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}'
        | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}'
        | '\u{05C5}' | '\u{05C7}')
}

/// Whether `c` belongs to a script written without spaces between words, whose
/// characters are tokens of their own (see the module docs).
pub fn is_character_token(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'      // CJK unified ideographs
        | '\u{3400}'..='\u{4DBF}'    // extension A
        | '\u{20000}'..='\u{3134F}'  // extensions B-G
        | '\u{F900}'..='\u{FAFF}'    // compatibility ideographs
        | '\u{3005}'..='\u{3007}'    // iteration and closing marks, ideographic zero
        | '\u{3040}'..='\u{309F}'    // Hiragana
        | '\u{30A0}'..='\u{30FF}'    // Katakana
        | '\u{31F0}'..='\u{31FF}'    // Katakana phonetic extensions
        | '\u{0E00}'..='\u{0EFF}'    // Thai, Lao
        | '\u{1000}'..='\u{109F}'    // Myanmar
        | '\u{1780}'..='\u{17FF}') // Khmer
}

/// The tokens of normalized text: words, and single characters of scripts written
/// without spaces (see the module docs). Punctuation is not a token, so "12,000" is two
/// tokens and "died." is "died". Fingerprints, shingles and similarity all use these.
pub fn tokens(normalized: &str) -> Tokens<'_> {
    if normalized.is_ascii() {
        return Tokens::Ascii(AsciiTokens {
            text: normalized,
            at: 0,
        });
    }
    Tokens::Any(AnyScript {
        text: normalized,
        at: 0,
    })
}

/// Whether the text between two tokens ends a sentence: a full stop, question or
/// exclamation mark followed by a space ("died. An"), or an ideographic one (`。！？`),
/// which needs no space. "12.5" and "U.S" do not end one.
pub fn ends_sentence(between: &str) -> bool {
    let mut stop = false;
    for c in between.chars() {
        match c {
            '\u{3002}' | '\u{FF01}' | '\u{FF1F}' => return true,
            '.' | '!' | '?' => stop = true,
            ' ' if stop => return true,
            _ => {}
        }
    }
    false
}

/// How many words a text counts as for `--min-words`: one per word token, one half per
/// character token, rounded up.
pub fn word_count(normalized: &str) -> usize {
    let mut count = WordCount::default();
    tokens(normalized).for_each(|token| count.add(token));
    count.words()
}

/// [`word_count`] kept token by token, for callers that walk the tokens anyway.
#[derive(Default)]
pub struct WordCount {
    words: usize,
    characters: usize,
}

impl WordCount {
    /// Counts one token.
    pub fn add(&mut self, token: &str) {
        // A token's first byte tells: ASCII tokens are words.
        if token.as_bytes()[0] >= 0x80 && token.chars().next().is_some_and(is_character_token) {
            self.characters += 1;
        } else {
            self.words += 1;
        }
    }

    /// The length in words.
    pub fn words(&self) -> usize {
        self.words + self.characters.div_ceil(2)
    }
}

/// Iterator of [`tokens`]: ASCII text (most news copy) is split on bytes.
pub enum Tokens<'a> {
    /// Runs of ASCII letters and digits.
    Ascii(AsciiTokens<'a>),
    /// Text with other characters.
    Any(AnyScript<'a>),
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Tokens::Ascii(ascii) => ascii.next(),
            Tokens::Any(any) => any.next(),
        }
    }
}

/// [`tokens`] of ASCII text: runs of letters and digits, found byte by byte.
pub struct AsciiTokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for AsciiTokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at
            + bytes[self.at..]
                .iter()
                .position(u8::is_ascii_alphanumeric)?;
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        self.at = end;
        Some(&self.text[start..end])
    }
}

/// [`tokens`] of text in any script.
pub struct AnyScript<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for AnyScript<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.at..];
        let Some((skip, first)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.at = self.text.len();
            return None;
        };
        let word = &rest[skip..];
        let len = if is_character_token(first) {
            first.len_utf8()
        } else {
            word.char_indices()
                .find(|&(_, c)| !c.is_alphanumeric() || is_character_token(c))
                .map_or(word.len(), |(end, _)| end)
        };
        self.at += skip + len;
        Some(&word[..len])
    }
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
        /// ASCII tokens are the non-empty runs of letters and digits.
        #[test]
        fn ascii_tokens_are_alphanumeric_runs(s in "[ a-zA-Z0-9\t\n`'.,-]{0,40}") {
            let want: Vec<&str> = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect();
            proptest::prop_assert_eq!(tokens(&s).collect::<Vec<_>>(), want);
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
    fn han_kana_and_thai_are_character_tokens() {
        let t: Vec<_> = tokens("朝鲜已向俄罗斯派遣了1.2万名士兵。").collect();
        let want = [
            "朝", "鲜", "已", "向", "俄", "罗", "斯", "派", "遣", "了", "1", "2", "万", "名", "士",
            "兵",
        ];
        assert_eq!(t, want);
        let t: Vec<_> = tokens("ニュースを読む abc").collect();
        assert_eq!(t, ["ニ", "ュ", "ー", "ス", "を", "読", "む", "abc"]);
        let t: Vec<_> = tokens("서울에서 회담이 열렸다").collect();
        assert_eq!(
            t,
            ["서울에서", "회담이", "열렸다"],
            "Hangul is written with spaces"
        );
        assert_eq!(tokens("ภาษาไทย").count(), 7);
        let t: Vec<_> = tokens("мирные переговоры, 2024").collect();
        assert_eq!(t, ["мирные", "переговоры", "2024"]);
        let t: Vec<_> = tokens("abc东京def").collect();
        assert_eq!(t, ["abc", "东", "京", "def"]);
    }

    #[test]
    fn character_tokens_count_half_a_word() {
        assert_eq!(word_count("pyongyang has deployed"), 3);
        assert_eq!(
            word_count("朝鲜已向俄罗斯派遣"),
            5,
            "9 characters, rounded up"
        );
        assert_eq!(word_count("据报道 north korea"), 4);
    }

    #[test]
    fn arabic_and_hebrew_vowel_marks_are_dropped() {
        // "the book" with harakat, and without.
        let vocalized =
            "\u{0627}\u{0644}\u{0652}\u{0643}\u{0650}\u{062A}\u{064E}\u{0627}\u{0628}\u{064F}";
        let plain = "\u{0627}\u{0644}\u{0643}\u{062A}\u{0627}\u{0628}";
        assert_eq!(normalize(vocalized), normalize(plain));
        // A tatweel stretches a word without changing it.
        assert_eq!(
            normalize("\u{0643}\u{0640}\u{062A}\u{0627}\u{0628}"),
            "\u{0643}\u{062A}\u{0627}\u{0628}"
        );
        // Hebrew "shalom" with niqqud; a maqaf is punctuation and stays.
        assert_eq!(
            normalize("\u{05E9}\u{05B8}\u{05C1}\u{05DC}\u{05D5}\u{05B9}\u{05DD}"),
            "\u{05E9}\u{05DC}\u{05D5}\u{05DD}"
        );
        assert!(normalize("\u{05D1}\u{05BE}\u{05D0}").contains('\u{05BE}'));
    }

    #[test]
    fn words_split_on_punctuation() {
        let w: Vec<_> = tokens("more than 12,000 soldiers. died").collect();
        assert_eq!(w, ["more", "than", "12", "000", "soldiers", "died"]);
    }
}
