//! The allowlist: paragraphs a newsroom has approved (the house copyright line, the station
//! footer) and never wants reported, and the drift check against them.
//!
//! An allowlisted paragraph is given by its text (normalized like any paragraph, so
//! quotes, case and spacing do not matter) or by its fingerprint as reports print it. A
//! paragraph whose normalized text is allowlisted never takes part in matching. A
//! paragraph that is only a *near* duplicate of an allowlisted text (the footer with an
//! old phone number) is reported as **drift**, naming the approved text.

use std::collections::{HashMap, HashSet};

use crate::fingerprint::{BandKeys, Fingerprint, MinHasher, text_print};

/// One approved paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Approved {
    /// A label for reports (the configured name, else the start of the text).
    pub name: String,
    /// The approved text as written in the configuration, when given by text.
    pub text: Option<String>,
    /// Fingerprint of the normalized text.
    pub fingerprint: Fingerprint,
    /// Word hashes and band keys, when given by text (drift needs them).
    near: Option<(Vec<u32>, BandKeys)>,
}

/// The approved paragraphs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Allowlist {
    approved: Vec<Approved>,
    fingerprints: HashSet<Fingerprint>,
    /// (band, key) → indices into `approved`.
    bands: HashMap<(usize, u32), Vec<usize>>,
    /// Where the entries are written (the configuration file), named by the warning for
    /// an entry that matches nothing.
    pub origin: String,
}

impl Allowlist {
    /// Approves a paragraph by its text.
    pub fn add_text(&mut self, text: &str, name: Option<&str>) {
        let (fingerprint, words) = text_print(text);
        let keys = MinHasher::new().signature(&words).band_keys();
        let name = name.map_or_else(|| label(text), str::to_string);
        self.push(Approved {
            name,
            text: Some(text.to_string()),
            fingerprint,
            near: Some((words, keys)),
        });
    }

    /// Approves a paragraph by its fingerprint (32 hex digits, as reports print it).
    pub fn add_fingerprint(&mut self, hex: &str, name: Option<&str>) -> Result<(), String> {
        let fingerprint = Fingerprint::parse_hex(hex).ok_or_else(|| {
            format!("`{hex}` is not a fingerprint (32 hex digits, as reports print them)")
        })?;
        self.push(Approved {
            name: name.unwrap_or(hex).to_string(),
            text: None,
            fingerprint,
            near: None,
        });
        Ok(())
    }

    fn push(&mut self, approved: Approved) {
        let i = self.approved.len();
        if let Some((_, keys)) = &approved.near {
            for (band, key) in keys.keys().iter().enumerate() {
                self.bands.entry((band, *key)).or_default().push(i);
            }
        }
        self.fingerprints.insert(approved.fingerprint);
        self.approved.push(approved);
    }

    /// Whether nothing is approved.
    pub fn is_empty(&self) -> bool {
        self.approved.is_empty()
    }

    /// The entries that neither equal nor drifted from any of the `matched` texts: stale
    /// entries, which a reader would otherwise trust to be doing something (ruff warns
    /// of an unused `noqa` for the same reason).
    pub fn unused<'a>(
        &'a self,
        matched: &'a HashSet<Fingerprint>,
    ) -> impl Iterator<Item = &'a Approved> + 'a {
        self.approved
            .iter()
            .filter(|a| !matched.contains(&a.fingerprint))
    }

    /// Whether a normalized text's fingerprint is approved.
    pub fn allows(&self, fingerprint: Fingerprint) -> bool {
        self.fingerprints.contains(&fingerprint)
    }

    /// The approved texts a paragraph drifted from: those sharing a band key with it
    /// whose verified word similarity reaches `threshold` (and that it does not equal).
    pub fn drift(&self, words: &[u32], keys: &BandKeys, threshold: f64) -> Vec<(&Approved, f64)> {
        let mut candidates: Vec<usize> = keys
            .keys()
            .iter()
            .enumerate()
            .filter_map(|(band, key)| self.bands.get(&(band, *key)))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let ours = words.to_vec();
        candidates
            .into_iter()
            .filter_map(|i| {
                let approved = &self.approved[i];
                let (theirs, _) = approved.near.as_ref()?;
                let similarity =
                    crate::fingerprint::similarity::similarity(&ours, theirs, threshold)?;
                (similarity < 1.0).then_some((approved, similarity))
            })
            .collect()
    }
}

/// The first words of a text, as a label.
fn label(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(8).collect();
    let more = text.split_whitespace().count() > words.len();
    format!("{}{}", words.join(" "), if more { "…" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_fingerprint_entries_allow_the_same_normalized_text() {
        let mut list = Allowlist::default();
        list.add_text(
            "Copyright 2026 Northlight Press Agency. All rights reserved.",
            None,
        );
        let (fp, _) = text_print("COPYRIGHT 2026  Northlight Press Agency. All rights reserved.");
        assert!(list.allows(fp));
        let mut by_print = Allowlist::default();
        by_print
            .add_fingerprint(&fp.to_string(), Some("agency"))
            .unwrap();
        assert!(by_print.allows(fp));
        assert!(by_print.add_fingerprint("xyz", None).is_err());
    }

    #[test]
    fn a_near_copy_of_an_approved_text_drifts() {
        let mut list = Allowlist::default();
        let footer = "Download the KXRT Radio app for breaking news, weather alerts and local traffic, free on iOS and Android.";
        list.add_text(footer, Some("KXRT footer"));
        let old = footer.replace("local traffic", "traffic");
        let (_, words) = text_print(&old);
        let keys = MinHasher::new().signature(&words).band_keys();
        let drift = list.drift(&words, &keys, 0.7);
        assert_eq!(drift.len(), 1);
        assert_eq!(drift[0].0.name, "KXRT footer");
        assert!(drift[0].1 > 0.9 && drift[0].1 < 1.0);
    }
}
