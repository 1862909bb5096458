/// What a backtest refuses.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BacktestError {
    /// A parameter out of its range.
    #[error("{name}: {problem}")]
    Param {
        /// The parameter (as the flag is spelled).
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// Too little data for the computation.
    #[error("{what}: {problem}")]
    TooLittle {
        /// What was computed.
        what: &'static str,
        /// Why it cannot be.
        problem: String,
    },
}

impl BacktestError {
    pub(crate) fn param(name: &'static str, problem: impl Into<String>) -> BacktestError {
        BacktestError::Param { name, problem: problem.into() }
    }
}
