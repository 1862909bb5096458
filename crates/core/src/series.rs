use crate::{CoreError, Date};

/// A single-valued time series: strictly increasing dates, finite values.
///
/// The constructor is the only way in, so every `Series` a function receives
/// already satisfies those invariants.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    dates: Vec<Date>,
    values: Vec<f64>,
}

impl Series {
    /// Builds a series, rejecting unsorted or duplicate dates, non-finite
    /// values and mismatched lengths.
    pub fn new(dates: Vec<Date>, values: Vec<f64>) -> Result<Series, CoreError> {
        if dates.len() != values.len() {
            return Err(CoreError::LengthMismatch { dates: dates.len(), values: values.len() });
        }
        check_dates(&dates)?;
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(CoreError::NonFinite(dates[i]));
        }
        Ok(Series { dates, values })
    }

    /// Builds a series from `(date, value)` pairs in order.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Date, f64)>) -> Result<Series, CoreError> {
        let (dates, values) = pairs.into_iter().unzip();
        Series::new(dates, values)
    }

    /// The dates, strictly increasing.
    pub fn dates(&self) -> &[Date] {
        &self.dates
    }

    /// The values, one per date.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// True when there are no observations.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// `(date, value)` pairs in date order.
    pub fn iter(&self) -> impl Iterator<Item = (Date, f64)> + '_ {
        self.dates.iter().copied().zip(self.values.iter().copied())
    }

    /// First date, if any.
    pub fn first_date(&self) -> Option<Date> {
        self.dates.first().copied()
    }

    /// Last date, if any.
    pub fn last_date(&self) -> Option<Date> {
        self.dates.last().copied()
    }

    /// The value on exactly `date`.
    pub fn get(&self, date: Date) -> Option<f64> {
        self.dates.binary_search(&date).ok().map(|i| self.values[i])
    }

    /// Index of the last observation on or before `date`.
    pub fn index_on_or_before(&self, date: Date) -> Option<usize> {
        match self.dates.binary_search(&date) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }

    /// The observations with `from <= date <= to` (either bound optional).
    pub fn between(&self, from: Option<Date>, to: Option<Date>) -> Series {
        let lo = from.map_or(0, |d| self.dates.partition_point(|x| *x < d));
        let hi = to.map_or(self.len(), |d| self.dates.partition_point(|x| *x <= d));
        let hi = hi.max(lo);
        Series { dates: self.dates[lo..hi].to_vec(), values: self.values[lo..hi].to_vec() }
    }

    /// Applies `f` to every value; fails if `f` produces a non-finite value.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Result<Series, CoreError> {
        Series::new(self.dates.clone(), self.values.iter().map(|v| f(*v)).collect())
    }
}

/// Checks that dates are strictly increasing, naming the first offender.
pub(crate) fn check_dates(dates: &[Date]) -> Result<(), CoreError> {
    for w in dates.windows(2) {
        if w[1] == w[0] {
            return Err(CoreError::Duplicate(w[1]));
        }
        if w[1] < w[0] {
            return Err(CoreError::Unsorted { earlier: w[0], later: w[1] });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn rejects_bad_input() {
        let e = Series::new(vec![d("2024-01-02"), d("2024-01-01")], vec![1.0, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "dates out of order: 2024-01-01 comes after 2024-01-02");
        let e = Series::new(vec![d("2024-01-01"), d("2024-01-01")], vec![1.0, 2.0]).unwrap_err();
        assert_eq!(e, CoreError::Duplicate(d("2024-01-01")));
        let e = Series::new(vec![d("2024-01-01")], vec![f64::NAN]).unwrap_err();
        assert_eq!(e, CoreError::NonFinite(d("2024-01-01")));
        assert!(Series::new(vec![d("2024-01-01")], vec![]).is_err());
    }

    #[test]
    fn lookups() {
        // Hand-made: three dates with a gap on the 3rd.
        let s = Series::new(vec![d("2024-01-01"), d("2024-01-02"), d("2024-01-04")], vec![1.0, 2.0, 4.0]).unwrap();
        assert_eq!(s.get(d("2024-01-02")), Some(2.0));
        assert_eq!(s.get(d("2024-01-03")), None);
        assert_eq!(s.index_on_or_before(d("2024-01-03")), Some(1));
        assert_eq!(s.index_on_or_before(d("2023-12-31")), None);
        let b = s.between(Some(d("2024-01-02")), Some(d("2024-01-03")));
        assert_eq!(b.values(), &[2.0]);
        assert!(s.between(Some(d("2024-02-01")), Some(d("2024-01-01"))).is_empty());
    }
}
