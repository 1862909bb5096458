//! The vocabulary of the risk-curve thesis, as pure functions over series:
//! breakouts to new highs, ratios and relative strength, net liquidity,
//! halving cycles, altcoin season and the rotation along the curve.
//!
//! Nothing here touches the network, files, the database or the clock: the
//! caller passes the series (and "today" where it matters).
#![deny(missing_docs)]

pub mod altseason;
pub mod breakout;
pub mod cycles;
mod error;
pub mod liquidity;
pub mod ratio;
pub mod rotation;
pub mod spec;

pub use error::SignalError;
