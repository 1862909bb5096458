//! A chart's dated values, and the weekly thinning of long daily histories.

use riskcurve_core::{Date, Series};
use serde::Serialize;

/// Dated values side by side (compact in JSON: two arrays).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The dates, increasing.
    pub dates: Vec<Date>,
    /// One value per date.
    pub values: Vec<f64>,
}

impl Line {
    /// The whole series.
    pub fn of(series: &Series) -> Line {
        Line { dates: series.dates().to_vec(), values: series.values().to_vec() }
    }

    /// The series on the last observation of each week (weeks end on
    /// Friday), at that observation's own date.
    pub fn weekly(series: &Series) -> Line {
        let keep = last_of_each_week(series.dates());
        Line {
            dates: keep.iter().map(|i| series.dates()[*i]).collect(),
            values: keep.iter().map(|i| series.values()[*i]).collect(),
        }
    }

    /// True when it holds no value.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }
}

/// The indices of the last date of each week (Saturday..Friday) in
/// increasing `dates`: a 40-year daily history drawn 1,200 pixels wide
/// loses nothing visible at one value a week, and the file stays small.
pub fn last_of_each_week(dates: &[Date]) -> Vec<usize> {
    (0..dates.len())
        .filter(|i| dates.get(i + 1).is_none_or(|next| next.week_ending_friday() != dates[*i].week_ending_friday()))
        .collect()
}

/// The running maximum: each value is the highest up to and including its date.
pub fn running_max(series: &Series) -> Series {
    let mut high = f64::MIN;
    let values: Vec<f64> = series
        .values()
        .iter()
        .map(|v| {
            high = high.max(*v);
            high
        })
        .collect();
    Series::new(series.dates().to_vec(), values).expect("same dates as a valid series")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_day_of_each_week_is_kept_at_its_own_date() {
        // Hand-made: 2024-01-01 is a Monday. Days 0-4 (Mon-Fri), 7-9 (Mon-Wed), 12 (Sat).
        let base = Date::from_ymd(2024, 1, 1).unwrap();
        let dates: Vec<Date> = [0, 1, 2, 3, 4, 7, 8, 9, 12].into_iter().map(|i| base.add_days(i)).collect();
        // Friday day 4 ends week 1, Wednesday day 9 ends week 2, Saturday day 12 starts week 3.
        assert_eq!(last_of_each_week(&dates), vec![4, 7, 8]);
        let s = Series::new(dates.clone(), (0..9).map(f64::from).collect()).unwrap();
        let w = Line::weekly(&s);
        assert_eq!(w.dates, vec![dates[4], dates[7], dates[8]]);
        assert_eq!(w.values, vec![4.0, 7.0, 8.0]);
    }

    #[test]
    fn the_running_max_never_falls() {
        // Hand-made: 1, 3, 2, 5, 4 -> 1, 3, 3, 5, 5.
        let base = Date::from_ymd(2024, 1, 1).unwrap();
        let s = Series::from_pairs(
            [1.0, 3.0, 2.0, 5.0, 4.0].into_iter().enumerate().map(|(i, v)| (base.add_days(i as i32), v)),
        )
        .unwrap();
        assert_eq!(running_max(&s).values(), &[1.0, 3.0, 3.0, 5.0, 5.0]);
    }
}
