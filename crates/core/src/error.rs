use crate::Date;

/// Everything that can go wrong when building core values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// A date string that is not `YYYY-MM-DD` or names no real day.
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    InvalidDate(String),
    /// A series identifier with characters outside the allowed set.
    #[error("invalid series id {0:?}: use 1-64 of a-z, 0-9, '-', '_' or '.', starting with a letter or digit")]
    InvalidSeriesId(String),
    /// A unit name we do not know.
    #[error("unknown unit {0:?}")]
    UnknownUnit(String),
    /// Dates not strictly increasing.
    #[error("dates out of order: {later} comes after {earlier}")]
    Unsorted {
        /// The date that came first in the input.
        earlier: Date,
        /// The date that came after it but is not later.
        later: Date,
    },
    /// The same date twice.
    #[error("duplicate date {0}")]
    Duplicate(Date),
    /// NaN or infinite value.
    #[error("non-finite value on {0}")]
    NonFinite(Date),
    /// `dates` and `values` of different lengths.
    #[error("{dates} dates but {values} values")]
    LengthMismatch {
        /// Number of dates given.
        dates: usize,
        /// Number of values given.
        values: usize,
    },
    /// A parameter that must be positive (a window, a period) was not.
    #[error("{name} must be at least 1, got {value}")]
    NonPositive {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: i64,
    },
    /// A calendar name we do not know.
    #[error("unknown calendar {0:?}: expected nyse, crypto, business, weekly or monthly")]
    UnknownCalendar(String),
    /// A time of day outside 00:00..24:00.
    #[error("invalid time of day {0:?}: expected HH:MM")]
    InvalidTime(String),
    /// A price of zero or below where returns need a positive one.
    #[error("non-positive price {value} on {date}: returns need prices above zero")]
    NonPositivePrice {
        /// The date of the offending observation.
        date: Date,
        /// The value found there.
        value: f64,
    },
}
