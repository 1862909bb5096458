//! Down-sampling daily data to weeks and months.
//!
//! A period's value is its *last* observation (a close, an end-of-period
//! level), keyed by the period's end date so that series on different daily
//! calendars (NYSE, crypto, FRED) land on the same keys and can be aligned.

use crate::{Bar, BarSeries, Date, Series};

/// The last value of each week, keyed by the week-ending Friday.
///
/// Weeks run Saturday..Friday ([`Date::week_ending_friday`]), so crypto's
/// weekend days count toward the next Friday. The key is that Friday even when
/// the week's last observation came earlier: a week whose Friday was a holiday
/// is keyed by the Friday and holds Thursday's close. Weeks without
/// observations produce no output.
pub fn to_weekly(series: &Series) -> Series {
    last_per_period(series, Date::week_ending_friday)
}

/// The last value of each calendar month, keyed by the month's last day
/// (even when the last observation came earlier, e.g. on the last trading day).
pub fn to_month_end(series: &Series) -> Series {
    last_per_period(series, Date::month_end)
}

/// Weekly bars, keyed by the week-ending Friday as in [`to_weekly`].
/// See [`merge_bars`] for how a week's bars combine.
///
/// # Panics
///
/// If a week's volumes sum past `f64::MAX` (no real market gets near it).
pub fn bars_to_weekly(bars: &BarSeries) -> BarSeries {
    bars_per_period(bars, Date::week_ending_friday)
}

/// Month-end bars, keyed by the month's last day as in [`to_month_end`].
/// See [`merge_bars`] for how a month's bars combine.
///
/// # Panics
///
/// If a month's volumes sum past `f64::MAX` (no real market gets near it).
pub fn bars_to_month_end(bars: &BarSeries) -> BarSeries {
    bars_per_period(bars, Date::month_end)
}

/// Combines one period's bars (in date order, at least one) into a bar dated
/// `key`: open = the first bar's open, high = max of highs, low = min of lows,
/// close = the last close, volume = sum of volumes.
///
/// High, low and volume are `Some` only when *every* bar has them: an extreme
/// or a sum over part of the period would understate it while looking complete.
///
/// # Panics
///
/// If `period` is empty.
pub fn merge_bars(key: Date, period: &[Bar]) -> Bar {
    let first = period.first().expect("a period has at least one bar");
    let last = period.last().expect("a period has at least one bar");
    let all = |field: fn(&Bar) -> Option<f64>| -> Option<Vec<f64>> { period.iter().map(field).collect() };
    Bar {
        date: key,
        open: first.open,
        high: all(|b| b.high).map(|h| h.into_iter().fold(f64::NEG_INFINITY, f64::max)),
        low: all(|b| b.low).map(|l| l.into_iter().fold(f64::INFINITY, f64::min)),
        close: last.close,
        volume: all(|b| b.volume).map(|v| v.into_iter().sum()),
    }
}

/// Runs of consecutive items sharing a period key. Keys from `week_ending_friday`
/// and `month_end` never decrease along sorted dates, so one pass suffices.
fn runs<T>(items: &[T], key: impl Fn(&T) -> Date) -> impl Iterator<Item = (Date, &[T])> {
    let mut rest = items;
    std::iter::from_fn(move || {
        let k = key(rest.first()?);
        let n = rest.iter().take_while(|x| key(x) == k).count();
        let (run, tail) = rest.split_at(n);
        rest = tail;
        Some((k, run))
    })
}

fn last_per_period(series: &Series, key: fn(Date) -> Date) -> Series {
    let pairs: Vec<(Date, f64)> = series.iter().collect();
    let out = runs(&pairs, |(d, _)| key(*d)).map(|(k, run)| (k, run[run.len() - 1].1));
    Series::from_pairs(out).expect("period keys of sorted dates strictly increase")
}

fn bars_per_period(bars: &BarSeries, key: fn(Date) -> Date) -> BarSeries {
    let out = runs(bars.bars(), |b| key(b.date)).map(|(k, run)| merge_bars(k, run)).collect();
    BarSeries::new(out).expect("period keys of sorted dates strictly increase; volume sums below f64::MAX")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, series, series_strategy};
    use crate::Weekday;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn weekly_keys_are_fridays() {
        // Hand-made: Good Friday week 2024 (Fri 29 March closed), then a
        // weekend day that belongs to the next week.
        let s = series(&[
            ("2024-03-25", 1.0),
            ("2024-03-28", 2.0),
            ("2024-03-30", 3.0),
            ("2024-04-01", 4.0),
            ("2024-04-05", 5.0),
        ]);
        let w = to_weekly(&s);
        assert_eq!(w.dates(), &[d("2024-03-29"), d("2024-04-05")]);
        assert_eq!(w.values(), &[2.0, 5.0]);
        assert!(to_weekly(&Series::default()).is_empty());
    }

    #[test]
    fn month_end_keys() {
        let s = series(&[("2024-01-30", 1.0), ("2024-01-31", 2.0), ("2024-02-28", 3.0), ("2024-04-02", 4.0)]);
        let m = to_month_end(&s);
        assert_eq!(m.dates(), &[d("2024-01-31"), d("2024-02-29"), d("2024-04-30")]);
        assert_eq!(m.values(), &[2.0, 3.0, 4.0]);
    }

    #[test]
    fn bars_combine() {
        let bar = |date: &str, o, h, l, c, v| Bar {
            date: d(date),
            open: Some(o),
            high: Some(h),
            low: Some(l),
            close: c,
            volume: Some(v),
        };
        // Hand-made week: Mon..Wed, then next Monday.
        let bars = BarSeries::new(vec![
            bar("2024-06-03", 10.0, 12.0, 9.0, 11.0, 100.0),
            bar("2024-06-04", 11.0, 15.0, 10.0, 14.0, 200.0),
            bar("2024-06-05", 14.0, 14.5, 8.0, 9.0, 300.0),
            bar("2024-06-10", 9.0, 10.0, 8.5, 9.5, 50.0),
        ])
        .unwrap();
        let w = bars_to_weekly(&bars);
        assert_eq!(w.bars()[0], bar("2024-06-07", 10.0, 15.0, 8.0, 9.0, 600.0));
        assert_eq!(w.bars()[1], bar("2024-06-14", 9.0, 10.0, 8.5, 9.5, 50.0));
        let m = bars_to_month_end(&bars);
        assert_eq!(m.bars(), &[bar("2024-06-30", 10.0, 15.0, 8.0, 9.5, 650.0)]);

        // One bar without volume makes the period's volume unknown.
        let partial = BarSeries::new(vec![
            bar("2024-06-03", 10.0, 12.0, 9.0, 11.0, 100.0),
            Bar { volume: None, ..bar("2024-06-04", 11.0, 15.0, 10.0, 14.0, 0.0) },
        ])
        .unwrap();
        assert_eq!(bars_to_weekly(&partial).bars()[0].volume, None);
        assert_eq!(bars_to_weekly(&partial).bars()[0].high, Some(15.0));
    }

    fn check_periods(input: &Series, output: &Series, key: fn(Date) -> Date) -> Result<(), TestCaseError> {
        let periods: BTreeSet<Date> = input.dates().iter().map(|x| key(*x)).collect();
        prop_assert_eq!(output.len(), periods.len());
        prop_assert!(output.dates().windows(2).all(|w| w[0] < w[1]));
        for (k, v) in output.iter() {
            prop_assert_eq!(key(k), k);
            let last = input.iter().filter(|(x, _)| key(*x) == k).last().unwrap();
            prop_assert_eq!(last.1, v);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn weekly_invariants(s in series_strategy(80, 5, -50.0, 50.0)) {
            let w = to_weekly(&s);
            prop_assert!(w.dates().iter().all(|x| x.weekday() == Weekday::Fri));
            check_periods(&s, &w, Date::week_ending_friday)?;
        }

        #[test]
        fn month_end_invariants(s in series_strategy(80, 12, -50.0, 50.0)) {
            let m = to_month_end(&s);
            prop_assert!(m.dates().iter().all(|x| x.add_days(1).day() == 1));
            check_periods(&s, &m, Date::month_end)?;
        }

        #[test]
        fn bar_closes_match_series_resampling(s in series_strategy(60, 4, 1.0, 50.0)) {
            // Consistent bars around each value: open = close, range +-1.
            let bars = BarSeries::new(
                s.iter()
                    .map(|(date, c)| Bar { date, open: Some(c), high: Some(c + 1.0), low: Some(c - 1.0), close: c, volume: Some(1.0) })
                    .collect(),
            )
            .unwrap();
            let w = bars_to_weekly(&bars);
            prop_assert_eq!(w.closes(), to_weekly(&s));
            prop_assert!(w.bars().iter().all(Bar::is_consistent));
            prop_assert_eq!(w.bars().iter().map(|b| b.volume.unwrap()).sum::<f64>(), s.len() as f64);
            prop_assert_eq!(bars_to_month_end(&bars).closes(), to_month_end(&s));
        }
    }
}
