//! Query parameters: typed, bounded, and every unknown name refused.

use std::collections::BTreeMap;
use std::str::FromStr;

use riskcurve_core::Date;

/// The query of one request; take what the route knows, then `finish`.
pub struct Params(BTreeMap<String, String>);

/// A bad parameter, in one line naming it.
pub type ParamResult<T> = Result<T, String>;

impl Params {
    pub fn new(query: BTreeMap<String, String>) -> Params {
        let mut q = query;
        q.remove("token");
        Params(q)
    }

    pub fn string(&mut self, name: &str) -> Option<String> {
        self.0.remove(name).filter(|v| !v.is_empty())
    }

    pub fn string_or(&mut self, name: &str, default: &str) -> String {
        self.string(name).unwrap_or_else(|| default.to_string())
    }

    pub fn parse<T: FromStr>(&mut self, name: &str) -> ParamResult<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        self.string(name).map(|v| v.parse::<T>().map_err(|e| format!("{name}={v}: {e}"))).transpose()
    }

    /// A number within `lo..=hi`.
    pub fn bounded<T>(&mut self, name: &str, default: T, lo: T, hi: T) -> ParamResult<T>
    where
        T: FromStr + PartialOrd + Copy + std::fmt::Display,
        T::Err: std::fmt::Display,
    {
        let v = self.parse::<T>(name)?.unwrap_or(default);
        if v < lo || v > hi {
            return Err(format!("{name}={v}: must be between {lo} and {hi}"));
        }
        Ok(v)
    }

    pub fn date(&mut self, name: &str) -> ParamResult<Option<Date>> {
        self.parse::<Date>(name)
    }

    pub fn list(&mut self, name: &str, default: &str) -> Vec<String> {
        self.string_or(name, default).split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    }

    pub fn flag(&mut self, name: &str) -> ParamResult<bool> {
        match self.string(name).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(format!("{name}={other}: expected true or false")),
        }
    }

    /// Refuses parameters the route does not know.
    pub fn finish(self) -> ParamResult<()> {
        match self.0.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!("unknown parameter {k:?}")),
        }
    }
}
