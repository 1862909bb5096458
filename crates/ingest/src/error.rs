/// Everything that can go wrong reading a file or fetching from a source.
///
/// Messages are one line and name the input (file and line, or URL).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngestError {
    /// A problem with the content of a file, at a line when one applies.
    #[error("{file}{}: {problem}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    File {
        /// The file as the user named it.
        file: String,
        /// 1-based line number, when the problem is on one line.
        line: Option<usize>,
        /// What is wrong, in lowercase words.
        problem: String,
    },
    /// An HTTP error status from a live source.
    #[error("{url}: HTTP {status}: {message}")]
    Http {
        /// The request URL (without secrets).
        url: String,
        /// HTTP status code.
        status: u16,
        /// The server's explanation, or a summary of the body.
        message: String,
    },
    /// Rate limited (HTTP 429); `retry_after` is the server's wait in seconds.
    #[error("{url}: rate limited (HTTP 429), retry after {retry_after:?} s")]
    RateLimited {
        /// The request URL (without secrets).
        url: String,
        /// Seconds the server asked us to wait, when it said.
        retry_after: Option<u64>,
    },
    /// Connection refused, reset or timed out.
    #[error("{url}: {problem}")]
    Transport {
        /// The request URL (without secrets).
        url: String,
        /// What happened.
        problem: String,
    },
    /// The response parsed but is not in the shape the source documents.
    #[error("{url}: unexpected response: {problem}")]
    Schema {
        /// The request URL (without secrets).
        url: String,
        /// What was expected and what came.
        problem: String,
    },
}

impl IngestError {
    /// Shorthand for a file error.
    pub fn file(file: &str, line: Option<usize>, problem: impl Into<String>) -> IngestError {
        IngestError::File { file: file.to_string(), line, problem: problem.into() }
    }

    /// True for failures worth retrying: rate limits, 5xx, transport errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            IngestError::RateLimited { .. } | IngestError::Transport { .. } => true,
            IngestError::Http { status, .. } => *status >= 500,
            IngestError::File { .. } | IngestError::Schema { .. } => false,
        }
    }
}
