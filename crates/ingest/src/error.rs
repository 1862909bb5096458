use std::time::Duration;

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
    #[error("{url}: rate limited (HTTP 429){}", retry_after.map(|s| format!(", retry after {s} s")).unwrap_or_default())]
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
    /// The host cannot be reached at all: its name does not resolve, or the
    /// connection is refused or has no route. Not retried, and the client
    /// fails every later request to the host at once (see
    /// [`HttpClient`](crate::provider::HttpClient)); offline, every host
    /// ends here.
    #[error("{host}: unreachable: {problem}")]
    Unreachable {
        /// The host (`host` or `host:port`).
        host: String,
        /// What happened, in lowercase words.
        problem: String,
    },
    /// A time budget ran out before the request succeeded: the client's
    /// deadline or one set with
    /// [`HttpClient::with_deadline`](crate::provider::HttpClient::with_deadline).
    #[error("{url}: deadline of {} s exceeded{}", seconds(*budget), deadline_detail(*attempts, last.as_deref()))]
    Deadline {
        /// The request URL (without secrets).
        url: String,
        /// The budget that ran out.
        budget: Duration,
        /// Attempts made for this URL before the budget ran out.
        attempts: u32,
        /// The last attempt's error, without the URL.
        last: Option<String>,
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

    /// True for failures worth retrying: rate limits, 5xx, transport errors
    /// (timeouts, dropped connections); not an unreachable host or a spent
    /// deadline.
    pub fn is_retryable(&self) -> bool {
        match self {
            IngestError::RateLimited { .. } | IngestError::Transport { .. } => true,
            IngestError::Http { status, .. } => *status >= 500,
            IngestError::File { .. }
            | IngestError::Schema { .. }
            | IngestError::Unreachable { .. }
            | IngestError::Deadline { .. } => false,
        }
    }

    /// True when the host could not be reached at all (no DNS, refused, no
    /// route): the machine is likely offline, and a caller can say so in one
    /// line instead of listing every failed series.
    pub fn is_offline(&self) -> bool {
        matches!(self, IngestError::Unreachable { .. })
    }
}

/// `60`, `0.25`: a budget in seconds without trailing zeros.
fn seconds(d: Duration) -> String {
    let s = format!("{:.3}", d.as_secs_f64());
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn deadline_detail(attempts: u32, last: Option<&str>) -> String {
    match (attempts, last) {
        (0, _) => " before the request could start".to_string(),
        (n, last) => {
            let plural = if n == 1 { "" } else { "s" };
            let last = last.map(|l| format!("; last error: {l}")).unwrap_or_default();
            format!(" after {n} attempt{plural}{last}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_messages_name_the_budget_and_the_last_error() {
        let e = IngestError::Deadline {
            url: "http://h/x".into(),
            budget: Duration::from_secs(60),
            attempts: 3,
            last: Some("HTTP 503: Service Unavailable".into()),
        };
        assert_eq!(
            e.to_string(),
            "http://h/x: deadline of 60 s exceeded after 3 attempts; last error: HTTP 503: Service Unavailable"
        );
        let e = IngestError::Deadline {
            url: "http://h/x".into(),
            budget: Duration::from_millis(250),
            attempts: 0,
            last: None,
        };
        assert_eq!(e.to_string(), "http://h/x: deadline of 0.25 s exceeded before the request could start");
        assert!(!e.is_retryable() && !e.is_offline());
    }

    /// Issue 11 item 13: `retry after None s` and `retry after Some(3600) s`.
    #[test]
    fn rate_limit_message_says_the_wait_in_plain_seconds() {
        let e = |retry_after| IngestError::RateLimited { url: "http://h/x".into(), retry_after };
        assert_eq!(e(Some(3600)).to_string(), "http://h/x: rate limited (HTTP 429), retry after 3600 s");
        assert_eq!(e(None).to_string(), "http://h/x: rate limited (HTTP 429)");
    }

    #[test]
    fn unreachable_is_offline_and_not_retryable() {
        let e = IngestError::Unreachable { host: "h.invalid".into(), problem: "dns lookup failed".into() };
        assert_eq!(e.to_string(), "h.invalid: unreachable: dns lookup failed");
        assert!(e.is_offline() && !e.is_retryable());
    }
}
