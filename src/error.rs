//! Errors: fatal ones stop a run, per-file ones are data that ends up in the report.

use serde::{Deserialize, Serialize};

/// A condition that stops the whole run (as opposed to [`FileError`], which does not).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input path named on the command line does not exist or cannot be walked.
    #[error("no input could be read: {0}")]
    NoInput(String),
    /// The archive index cannot be opened, read or written.
    #[error("index {path}: {reason}")]
    Index {
        /// The index file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A configuration file is unreadable or invalid.
    #[error("{path}: {reason}")]
    Config {
        /// The configuration file.
        path: String,
        /// What is wrong, naming the key.
        reason: String,
    },
    /// Fingerprint shards or the candidates of a distributed join cannot be written or
    /// read.
    #[error("{path}: {reason}")]
    Shards {
        /// The shard or candidates file or folder.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A setting's value is out of range. The library names the setting (`min_words`);
    /// the command line, which knows the flag that set it, names the flag instead.
    #[error("invalid value for {setting}: {reason}")]
    InvalidSetting {
        /// The setting, as `ScanOptions` and `paradup.toml` spell it, e.g. `threshold`.
        setting: &'static str,
        /// What is wrong and what would be accepted.
        reason: String,
    },
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input file (or one record of a feed). The scan goes on; the report
/// lists it under `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    /// The path as shown in reports.
    pub path: String,
    /// 1-based line the problem is on, when it is on one (a malformed feed record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What went wrong, in words.
    pub error: String,
}

/// `path:line: error`, as the command line prints it.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.error),
            None => write!(f, "{}: {}", self.path, self.error),
        }
    }
}

impl FileError {
    /// An error for the whole file.
    pub fn new(path: &str, error: impl Into<String>) -> Self {
        FileError {
            path: path.to_string(),
            line: None,
            error: error.into(),
        }
    }

    /// A file that could not be read or written, the reason in a user's words.
    pub fn io(path: &str, err: &std::io::Error) -> Self {
        FileError::new(path, io_reason(err))
    }

    /// The same error, placed on a line.
    #[must_use]
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }
}

/// Something the user should know about a file that was still read, e.g. lossy decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileWarning {
    /// The path as shown in reports.
    pub path: String,
    /// 1-based line it is about, when it is about one (an oversized paragraph).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What happened, in words.
    pub warning: String,
}

/// `path:line: warning`, as the command line prints it.
impl std::fmt::Display for FileWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.warning),
            None => write!(f, "{}: {}", self.path, self.warning),
        }
    }
}

impl FileWarning {
    /// A warning about the whole file.
    pub fn new(path: &str, warning: impl Into<String>) -> Self {
        FileWarning {
            path: path.to_string(),
            line: None,
            warning: warning.into(),
        }
    }

    /// The same warning, placed on a line.
    #[must_use]
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }
}

/// An io error in words a user understands, without the OS error number noise.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        std::io::ErrorKind::UnexpectedEof => "file changed since it was scanned".to_string(),
        _ => err.to_string(),
    }
}
