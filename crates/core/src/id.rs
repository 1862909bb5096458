use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// The identifier of a stored series (`rut`, `btc`, `walcl`, a user's own).
///
/// Lowercase so `BTC` and `btc` cannot become two series; limited to
/// characters that are safe in file names, URLs and signal specs.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct SeriesId(String);

impl SeriesId {
    /// Validates and wraps an identifier; upper case is folded to lower case.
    pub fn new(s: &str) -> Result<SeriesId, CoreError> {
        let t = s.trim().to_ascii_lowercase();
        let ok_len = (1..=64).contains(&t.len());
        let ok_first = t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let ok_chars = t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
        if ok_len && ok_first && ok_chars {
            Ok(SeriesId(t))
        } else {
            Err(CoreError::InvalidSeriesId(s.to_string()))
        }
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SeriesId {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<SeriesId, CoreError> {
        SeriesId::new(s)
    }
}

impl fmt::Display for SeriesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SeriesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SeriesId({})", self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SeriesId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SeriesId, D::Error> {
        SeriesId::new(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_round_trips() {
        let id: SeriesId = "BTC".parse().unwrap();
        assert_eq!(id.as_str(), "btc");
        assert_eq!(id.to_string().parse::<SeriesId>().unwrap(), id);
        assert!(SeriesId::new("my_series-2.v1").is_ok());
    }

    #[test]
    fn rejects_unsafe_ids() {
        for s in ["", "rut/spx", "-x", "a b", "é", &"x".repeat(65)] {
            assert!(SeriesId::new(s).is_err(), "{s:?} should be rejected");
        }
    }
}
