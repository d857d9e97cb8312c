//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per
//! [`Annotation`], which GitHub shows on the pull request's changed lines, then a summary.
//! Paths are as the report shows them (relative to the folder scanned): scan from the
//! repository root for annotations to land on the right files.

use std::io;

use super::annotation::{Level, RULES};
use super::{Render, Report};

/// Renders [`Report`] as GitHub workflow commands.
#[derive(Debug, Clone, Copy, Default)]
pub struct Github;

impl Render for Github {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        for a in report.annotations() {
            let rule = &RULES[a.rule];
            let command = match rule.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},endLine={},title={}::{}",
                property(&a.at.path),
                a.at.lines.start,
                a.at.lines.end,
                property(&format!("paradup {}", rule.id)),
                data(&a.message)
            )?;
        }
        for e in &report.errors {
            writeln!(
                out,
                "::error file={}::{}",
                property(&e.path),
                data(&e.error)
            )?;
        }
        writeln!(out, "{}", super::text::summary(report))
    }
}

/// Escapes a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
