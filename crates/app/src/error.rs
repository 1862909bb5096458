//! The application's one error type, and what kind of failure each is.

use riskcurve_core::CoreError;
use riskcurve_ingest::IngestError;
use riskcurve_signals::SignalError;
use riskcurve_stats::StatsError;
use riskcurve_store::StoreError;

/// Everything a request can fail with. Messages are one line and name the
/// input (file, flag, series, URL).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The caller's input is wrong: a flag, a file, a manifest, a series that
    /// is not stored. Front ends map it to exit status 2.
    #[error("{0}")]
    BadInput(String),
    /// Reading a file or fetching from a source.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A signal refused its parameters or found too little data.
    #[error(transparent)]
    Signal(#[from] SignalError),
    /// A statistic refused its parameters or found too little data.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// Dates, series, units.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A backtest refused its rules or found too little data.
    #[error(transparent)]
    Backtest(#[from] riskcurve_backtest::BacktestError),
    /// Anything else (network, some series failed to update).
    #[error("{0}")]
    Failed(String),
    /// An error with what was being done when it happened. The message
    /// holds the inner one (not exposed as `source()`, so a front end that
    /// prints the cause chain does not print it twice).
    #[error("{context}: {inner}")]
    Context {
        /// What was being done (a file, a series).
        context: String,
        /// The error.
        inner: Box<AppError>,
    },
}

/// The application's result.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// True when the caller's input is at fault (exit status 2).
    ///
    /// A numeric failure on valid input (a rank-deficient or collinear design,
    /// a perfect fit, an iteration that did not converge) is not the
    /// caller's fault: it is an ordinary failure (exit status 1), issue 10
    /// item 22.
    pub fn is_bad_input(&self) -> bool {
        match self {
            AppError::Stats(e) => !matches!(
                e,
                StatsError::RankDeficient { .. } | StatsError::NoConvergence { .. } | StatsError::Infeasible(_)
            ),
            AppError::BadInput(_) | AppError::Signal(_) | AppError::Backtest(_) => true,
            AppError::Ingest(e) => matches!(e, IngestError::File { .. }),
            AppError::Store(e) => e.is_bad_input(),
            AppError::Context { inner, .. } => inner.is_bad_input(),
            _ => false,
        }
    }

    /// True when a live source's host could not be reached at all (DNS,
    /// connection refused, no route): the machine is offline.
    pub fn is_offline(&self) -> bool {
        match self {
            AppError::Ingest(e) => e.is_offline(),
            AppError::Context { inner, .. } => inner.is_offline(),
            _ => false,
        }
    }

    /// The error as one line (whitespace runs collapsed).
    pub fn one_line(&self) -> String {
        self.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// `Err(AppError::BadInput(msg))`.
pub fn bad<T>(msg: impl std::fmt::Display) -> Result<T> {
    Err(AppError::BadInput(msg.to_string()))
}

/// Wraps any error as bad input, keeping its one-line message.
pub fn bad_input(err: impl std::fmt::Display) -> AppError {
    AppError::BadInput(err.to_string())
}

/// `Err(AppError::Failed(msg))`.
pub fn failed<T>(msg: impl std::fmt::Display) -> Result<T> {
    Err(AppError::Failed(msg.to_string()))
}

/// Adds what was being done to an error.
pub trait Context<T> {
    /// Wraps the error with `f()` in front of its message.
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: Into<AppError>> Context<T> for std::result::Result<T, E> {
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| AppError::Context { context: f(), inner: Box::new(e.into()) })
    }
}
