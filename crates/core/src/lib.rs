//! The vocabulary every other riskcurve crate speaks: calendar dates, series
//! identifiers, units, daily bars and validated series, plus the pure
//! operations on them (alignment, as-of joins, resampling, returns, the NYSE
//! and US federal calendars, release days and data-quality checks).
//!
//! Nothing here touches the network, files, the database or the clock.
#![deny(missing_docs)]

mod align;
mod asof;
mod bar;
mod calendar;
mod date;
mod early_close;
mod error;
mod holidays;
mod id;
mod quality;
mod resample;
mod returns;
mod series;
mod time;
mod unit;

#[cfg(test)]
mod test_support;

pub use align::{align, align_outer};
pub use asof::{asof_join, AsOf};
pub use bar::{Bar, BarSeries};
pub use calendar::Calendar;
pub use date::{Date, Weekday};
pub use early_close::nyse_close_time;
pub use error::CoreError;
pub use holidays::{federal_holiday, is_federal_business_day, nyse_holiday, nyse_is_trading_day, nyse_sessions};
pub use id::SeriesId;
pub use quality::{gaps, ohlc_inconsistent, outliers, outliers_in_differences, series_gaps, staleness, Gap, Outlier};
pub use resample::{bars_to_month_end, bars_to_weekly, merge_bars, to_month_end, to_weekly};
pub use returns::{log_returns, simple_returns};
pub use series::Series;
pub use time::{Release, ReleaseRule, Timestamp, Tz, H41_EXCEPTIONS};
pub use unit::Unit;
