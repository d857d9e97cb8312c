//! Reading paradup's JSON report in tests: version 2 keeps each distinct text once in a
//! `texts` table; most assertions are about one occurrence's text, so they read the
//! report with the text and fingerprint put back on every entry that refers to one (the
//! version 1 shape), and the schema test checks the table itself.

use serde_json::Value;

/// Parses a JSON report and puts each `texts` entry's `text` and `fingerprint` back on
/// the occurrences, archive matches and drift entries that refer to it.
pub fn parse_report(bytes: &[u8]) -> Value {
    let report: Value = serde_json::from_slice(bytes).expect("the JSON report parses");
    inline_texts(report)
}

/// See [`parse_report`]; a report without a `texts` table is returned as it is.
pub fn inline_texts(mut report: Value) -> Value {
    let Some(texts) = report.get("texts").and_then(Value::as_array).cloned() else {
        return report;
    };
    let resolve = |item: &mut Value| {
        if let Some(i) = item["text"].as_u64() {
            let entry = texts
                .get(i as usize)
                .unwrap_or_else(|| panic!("text index {i} is past the texts table"));
            item["text"] = entry["text"].clone();
            item["fingerprint"] = entry["fingerprint"].clone();
        }
    };
    for finding in report["findings"].as_array_mut().into_iter().flatten() {
        for o in finding["occurrences"].as_array_mut().into_iter().flatten() {
            resolve(o);
        }
    }
    for list in ["archive", "drift"] {
        for item in report[list].as_array_mut().into_iter().flatten() {
            resolve(item);
        }
    }
    report
}
