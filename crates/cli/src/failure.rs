//! Errors to exit codes: bad input is 2, everything else 1.

use std::fmt;

use riskcurve_ingest::IngestError;
use riskcurve_signals::SignalError;
use riskcurve_stats::StatsError;

/// Marks an error as the user's input being wrong (exit status 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Wraps any error as bad input, keeping its one-line message.
pub fn bad_input(err: impl fmt::Display) -> anyhow::Error {
    anyhow::Error::new(BadInput(err.to_string()))
}

/// Shorthand for `Err(bad_input(..))`.
pub fn bad<T>(msg: impl fmt::Display) -> anyhow::Result<T> {
    Err(bad_input(msg))
}

pub fn exit_code(err: &anyhow::Error) -> u8 {
    let bad_file = err.chain().any(|e| matches!(e.downcast_ref::<IngestError>(), Some(IngestError::File { .. })));
    // A signal refuses its parameters or finds too little data: the user's call.
    let bad_signal = err.chain().any(|e| e.is::<SignalError>() || e.is::<StatsError>());
    if bad_file || bad_signal || err.chain().any(|e| e.is::<BadInput>()) {
        2
    } else {
        1
    }
}

/// The error and its causes on one line.
pub fn one_line(err: &anyhow::Error) -> String {
    format!("{err:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}
