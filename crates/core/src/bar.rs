use crate::series::check_dates;
use crate::{CoreError, Date, Series};

/// One daily bar. Single-valued series (FRED) use only `close`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Bar {
    /// The bar's calendar date (exchange-local for equities, UTC for crypto).
    pub date: Date,
    /// Opening price, where the source has it.
    pub open: Option<f64>,
    /// High, where known.
    pub high: Option<f64>,
    /// Low, where known.
    pub low: Option<f64>,
    /// Closing price, or the value of a single-valued series.
    pub close: f64,
    /// Volume in the source's unit, where known.
    pub volume: Option<f64>,
}

impl Bar {
    /// A bar with only a value (a FRED observation, a reference rate).
    pub fn value(date: Date, value: f64) -> Bar {
        Bar { date, open: None, high: None, low: None, close: value, volume: None }
    }

    /// True when high/low are present and bracket open and close.
    /// Bars without a high or low are consistent by definition.
    pub fn is_consistent(&self) -> bool {
        let (Some(h), Some(l)) = (self.high, self.low) else { return true };
        let inside = |x: f64| l <= x && x <= h;
        l <= h && inside(self.close) && self.open.is_none_or(inside)
    }

    fn check_finite(&self) -> Result<(), CoreError> {
        let fields = [Some(self.close), self.open, self.high, self.low, self.volume];
        if fields.iter().flatten().all(|v| v.is_finite()) {
            Ok(())
        } else {
            Err(CoreError::NonFinite(self.date))
        }
    }
}

/// Daily bars with strictly increasing dates and finite fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarSeries {
    bars: Vec<Bar>,
}

impl BarSeries {
    /// Validates order, uniqueness and finiteness.
    pub fn new(bars: Vec<Bar>) -> Result<BarSeries, CoreError> {
        let dates: Vec<Date> = bars.iter().map(|b| b.date).collect();
        check_dates(&dates)?;
        bars.iter().try_for_each(Bar::check_finite)?;
        Ok(BarSeries { bars })
    }

    /// The bars in date order.
    pub fn bars(&self) -> &[Bar] {
        &self.bars
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.bars.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.bars.is_empty()
    }

    /// The closes as a [`Series`].
    pub fn closes(&self) -> Series {
        Series::new(self.bars.iter().map(|b| b.date).collect(), self.bars.iter().map(|b| b.close).collect())
            .expect("bar series invariants imply series invariants")
    }

    /// The highs (the close where a bar has no high) as a [`Series`].
    pub fn highs(&self) -> Series {
        Series::new(
            self.bars.iter().map(|b| b.date).collect(),
            self.bars.iter().map(|b| b.high.unwrap_or(b.close)).collect(),
        )
        .expect("bar series invariants imply series invariants")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistency() {
        let d: Date = "2024-01-02".parse().unwrap();
        let ok = Bar { date: d, open: Some(10.0), high: Some(12.0), low: Some(9.0), close: 11.0, volume: None };
        assert!(ok.is_consistent());
        assert!(!Bar { close: 13.0, ..ok }.is_consistent());
        assert!(!Bar { open: Some(8.0), ..ok }.is_consistent());
        assert!(Bar::value(d, 5.0).is_consistent());
    }

    #[test]
    fn validates() {
        let d: Date = "2024-01-02".parse().unwrap();
        assert!(BarSeries::new(vec![Bar::value(d, 1.0), Bar::value(d, 2.0)]).is_err());
        let nan_high = Bar { high: Some(f64::INFINITY), ..Bar::value(d, 1.0) };
        assert_eq!(BarSeries::new(vec![nan_high]).unwrap_err(), CoreError::NonFinite(d));
        let s = BarSeries::new(vec![Bar::value(d, 1.0), Bar::value(d.add_days(1), 2.0)]).unwrap();
        assert_eq!(s.closes().values(), &[1.0, 2.0]);
    }
}
