//! SARIF 2.1.0 report, for code-scanning dashboards (GitHub code scanning, Azure DevOps,
//! IDE viewers). One result per [`Annotation`]; rules are the fixed [`RULES`] list;
//! `partialFingerprints` carry the paragraph's text fingerprint so dashboards track a
//! result across runs even when lines move. Per-file errors are tool execution
//! notifications.

use std::fmt::Write as _;
use std::io;

use serde::Serialize;

use super::annotation::{Annotation, Level, Place, RULES};
use super::{Render, Report};

/// Renders [`Report`] as SARIF 2.1.0.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

impl Render for Sarif {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let log = SarifLog::from(report);
        serde_json::to_writer_pretty(&mut *out, &log).map_err(|e| match e.io_error_kind() {
            Some(kind) => io::Error::from(kind),
            None => io::Error::other(e),
        })?;
        writeln!(out)
    }
}

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "paradupText/v1")]
    text: String,
}

#[derive(Serialize)]
struct Properties {
    record: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    end_line: u32,
    byte_offset: u64,
    byte_length: u64,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// A file location; relative paths are relative to the scanned root (`%SRCROOT%`).
fn location(place: &Place, id: Option<usize>) -> Location {
    let absolute = place.path.starts_with('/');
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&place.path),
                uri_base_id: (!absolute).then_some("%SRCROOT%"),
            },
            region: Some(Region {
                start_line: place.lines.start.max(1),
                end_line: place.lines.end.max(place.lines.start.max(1)),
                byte_offset: place.span.start,
                byte_length: place.span.len(),
            }),
        },
    }
}

/// A path as a URI reference: percent-encoded where it must be, `file://` for absolute
/// paths.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

fn result(a: &Annotation) -> SarifResult {
    let rule = &RULES[a.rule];
    SarifResult {
        rule_id: rule.id,
        rule_index: a.rule,
        level: level(rule.level),
        message: Text {
            text: a.message.clone(),
        },
        locations: vec![location(&a.at, None)],
        related_locations: a
            .related
            .iter()
            .enumerate()
            .map(|(i, p)| location(p, Some(i)))
            .collect(),
        partial_fingerprints: Fingerprints {
            text: format!("{}:{}", rule.id, a.fingerprint),
        },
        properties: a.record.as_ref().map(|r| Properties { record: r.clone() }),
    }
}

impl From<&Report> for SarifLog {
    fn from(report: &Report) -> Self {
        let rules = RULES
            .iter()
            .map(|r| RuleDescriptor {
                id: r.id,
                short_description: Text {
                    text: r.short.to_string(),
                },
                full_description: Text {
                    text: format!("{}. {}", r.short, r.help),
                },
                help: Text {
                    text: r.help.to_string(),
                },
                default_configuration: Configuration {
                    level: level(r.level),
                },
            })
            .collect();
        let notifications = report
            .errors
            .iter()
            .map(|e| Notification {
                level: "error",
                message: Text {
                    text: e.error.clone(),
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri(&e.path),
                            uri_base_id: (!e.path.starts_with('/')).then_some("%SRCROOT%"),
                        },
                        region: None,
                    },
                }],
            })
            .collect();
        SarifLog {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "paradup",
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: "https://github.com/paradup/paradup",
                        rules,
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: report.stats.documents > 0,
                    tool_execution_notifications: notifications,
                }],
                results: report.annotations().iter().map(result).collect(),
            }],
        }
    }
}
