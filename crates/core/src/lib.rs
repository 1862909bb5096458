//! The vocabulary every other riskcurve crate speaks: calendar dates, series
//! identifiers, units, daily bars and validated series, plus the pure
//! operations on them (alignment, as-of joins, resampling, returns).
//!
//! Nothing here touches the network, files, the database or the clock.
#![deny(missing_docs)]

mod bar;
mod calendar;
mod date;
mod error;
mod id;
mod series;
mod time;
mod unit;

pub use bar::{Bar, BarSeries};
pub use calendar::Calendar;
pub use date::{Date, Weekday};
pub use error::CoreError;
pub use id::SeriesId;
pub use series::Series;
pub use time::{Release, Timestamp, Tz};
pub use unit::Unit;
