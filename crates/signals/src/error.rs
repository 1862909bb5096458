use riskcurve_core::CoreError;

/// Everything that can go wrong computing a signal. Messages are lowercase
/// and name the series, parameter or spec at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SignalError {
    /// A parameter outside its valid range (`min_days = 0`, `window = 0`).
    #[error("{name}: {problem}")]
    InvalidParameter {
        /// The parameter as the user spells it (`--min-days`).
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A series that is missing, empty or too short for the computation.
    #[error("series {series}: {problem}")]
    NoData {
        /// The series id.
        series: String,
        /// What is missing.
        problem: String,
    },
    /// Units that do not match what the computation needs.
    #[error("series {series}: unit {found}, expected {expected}")]
    Unit {
        /// The series id.
        series: String,
        /// Its unit.
        found: String,
        /// The unit the computation needs.
        expected: String,
    },
    /// A signal spec that does not parse.
    #[error("signal spec {spec:?}: {problem}")]
    InvalidSpec {
        /// The spec as given.
        spec: String,
        /// What is wrong, and the expected grammar.
        problem: String,
    },
    /// An error from the core types.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl SignalError {
    /// Shorthand for [`SignalError::InvalidParameter`].
    pub fn param(name: &str, problem: impl Into<String>) -> SignalError {
        SignalError::InvalidParameter { name: name.to_string(), problem: problem.into() }
    }

    /// Shorthand for [`SignalError::NoData`].
    pub fn no_data(series: &str, problem: impl Into<String>) -> SignalError {
        SignalError::NoData { series: series.to_string(), problem: problem.into() }
    }
}
