use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// The unit a series' values are expressed in.
///
/// Liquidity series are stored in one canonical unit, [`Unit::UsdMillions`];
/// [`Unit::factor_to`] converts between the dollar scales.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unit {
    /// US dollars (prices of assets quoted in USD).
    Usd,
    /// Millions of US dollars.
    UsdMillions,
    /// Billions of US dollars.
    UsdBillions,
    /// Tether: crypto pairs quoted against USDT, treated as USD by the user's choice.
    Usdt,
    /// Index points (equity indices).
    IndexPoints,
    /// Percent (rates, yields).
    Percent,
    /// A dimensionless index or ratio (NFCI, a/b ratios).
    Index,
    /// Anything else, kept verbatim.
    Other(String),
}

impl Unit {
    /// Multiplier that converts a value in `self` into `target`, when both are
    /// dollar scales; `None` when no conversion exists.
    pub fn factor_to(&self, target: &Unit) -> Option<f64> {
        let scale = |u: &Unit| match u {
            Unit::Usd => Some(1.0),
            Unit::UsdMillions => Some(1e6),
            Unit::UsdBillions => Some(1e9),
            _ => None,
        };
        if self == target {
            return Some(1.0);
        }
        Some(scale(self)? / scale(target)?)
    }

    /// The canonical spelling (as stored and printed).
    pub fn as_str(&self) -> &str {
        match self {
            Unit::Usd => "USD",
            Unit::UsdMillions => "USD millions",
            Unit::UsdBillions => "USD billions",
            Unit::Usdt => "USDT",
            Unit::IndexPoints => "index points",
            Unit::Percent => "percent",
            Unit::Index => "index",
            Unit::Other(s) => s,
        }
    }
}

impl FromStr for Unit {
    type Err = CoreError;

    /// Accepts the canonical spellings and the common vendor ones
    /// (`Millions of Dollars`, `Billions of U.S. Dollars`, `Percent`).
    fn from_str(s: &str) -> Result<Unit, CoreError> {
        let k: String = s.trim().to_ascii_lowercase().chars().filter(|c| !matches!(c, '.' | '_')).collect();
        let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(match k.as_str() {
            "" => return Err(CoreError::UnknownUnit(s.to_string())),
            "usd" | "dollars" | "us dollars" | "$" => Unit::Usd,
            "usd millions" | "millions of dollars" | "millions of us dollars" | "usd mn" | "musd" => Unit::UsdMillions,
            "usd billions" | "billions of dollars" | "billions of us dollars" | "usd bn" | "busd" => Unit::UsdBillions,
            "usdt" => Unit::Usdt,
            "index points" | "points" => Unit::IndexPoints,
            "percent" | "%" | "pct" => Unit::Percent,
            "index" | "ratio" => Unit::Index,
            _ => Unit::Other(s.trim().to_string()),
        })
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vendor_spellings() {
        assert_eq!("Millions of U.S. Dollars".parse::<Unit>().unwrap(), Unit::UsdMillions);
        assert_eq!("Billions of Dollars".parse::<Unit>().unwrap(), Unit::UsdBillions);
        assert_eq!("USD millions".parse::<Unit>().unwrap(), Unit::UsdMillions);
        assert_eq!("Percent".parse::<Unit>().unwrap(), Unit::Percent);
        assert_eq!(
            "Billions of Chained 2012 Dollars".parse::<Unit>().unwrap().to_string(),
            "Billions of Chained 2012 Dollars"
        );
        assert!("  ".parse::<Unit>().is_err());
    }

    #[test]
    fn converts_dollar_scales_only() {
        assert_eq!(Unit::UsdBillions.factor_to(&Unit::UsdMillions), Some(1000.0));
        assert_eq!(Unit::UsdMillions.factor_to(&Unit::UsdBillions), Some(0.001));
        assert_eq!(Unit::Percent.factor_to(&Unit::Percent), Some(1.0));
        assert_eq!(Unit::Percent.factor_to(&Unit::UsdMillions), None);
    }
}
