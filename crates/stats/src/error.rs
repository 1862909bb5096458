/// Everything that can go wrong computing a statistic. Messages are lowercase
/// and name the input at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A parameter outside its valid range (degrees of freedom <= 0, lag 0).
    #[error("{name}: {problem}")]
    InvalidParameter {
        /// The parameter's name (`df_num`, `max_lag`).
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Too few observations for the computation asked for.
    #[error("{what}: {got} observations, at least {needed} needed")]
    TooFewObservations {
        /// What was being computed.
        what: String,
        /// How many it needs.
        needed: usize,
        /// How many it got.
        got: usize,
    },
    /// Inputs whose lengths or shapes do not fit together.
    #[error("{what}: expected length {expected}, got {got}")]
    DimensionMismatch {
        /// Which input.
        what: String,
        /// The length it should have.
        expected: usize,
        /// The length it has.
        got: usize,
    },
    /// A NaN or infinite value in the data.
    #[error("{what}: non-finite value at index {index}")]
    NonFinite {
        /// Which input.
        what: String,
        /// The position of the first non-finite value.
        index: usize,
    },
    /// A design matrix whose columns are linearly dependent (or nearly so):
    /// the coefficients are not identified.
    #[error("rank-deficient design: column {column} is (nearly) a linear combination of the columns before it")]
    RankDeficient {
        /// The first column (0-based) found dependent on the earlier ones.
        column: usize,
    },
    /// A computation that cannot be done on this data (a perfect fit, a
    /// constant series, a singular covariance matrix).
    #[error("{0}")]
    Infeasible(String),
    /// An iterative algorithm that did not converge.
    #[error("{function}: no convergence after {iterations} iterations")]
    NoConvergence {
        /// The function that gave up.
        function: &'static str,
        /// How many iterations it tried.
        iterations: usize,
    },
}

impl StatsError {
    /// Shorthand for [`StatsError::InvalidParameter`].
    pub fn param(name: &str, problem: impl Into<String>) -> StatsError {
        StatsError::InvalidParameter { name: name.to_string(), problem: problem.into() }
    }
}
