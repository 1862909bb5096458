//! As-of joins that respect publication time.
//!
//! A value dated `D` is usable only once it is public: at
//! `release.known_at(D)`. Joining on the reference date alone leaks the future
//! (a Wednesday WALCL level appears on Wednesday's equity bar although it is
//! published Thursday 16:30 New York). Here every lookup compares instants.

use crate::{Date, Release, Series, Timestamp};

/// A series together with its release schedule, answering "what was the
/// latest published value at instant `t`?".
#[derive(Debug, Clone)]
pub struct AsOf<'a> {
    series: &'a Series,
    /// `release.known_at(date)` for every observation, in date order.
    known: Vec<Timestamp>,
}

impl<'a> AsOf<'a> {
    /// Precomputes the publication instant of every observation of `series`.
    pub fn new(series: &'a Series, release: Release) -> AsOf<'a> {
        let known: Vec<Timestamp> = series.dates().iter().map(|d| release.known_at(*d)).collect();
        debug_assert!(known.windows(2).all(|w| w[0] <= w[1]), "publication instants must not decrease");
        AsOf { series, known }
    }

    /// The latest observation whose publication instant is at or before `t`,
    /// as `(reference date, value)`; `None` when nothing was public yet.
    ///
    /// Formally: the observation with the greatest reference date `D` such that
    /// `release.known_at(D) <= t`.
    pub fn value_known_at(&self, t: Timestamp) -> Option<(Date, f64)> {
        // Binary search is valid because publication instants never decrease
        // with the reference date: one release rule adds the same lag to every
        // date, a holiday only moves a publication day forward to the next
        // business day (which a later date cannot precede), a half day moves
        // the time within its own day, and a daylight-saving change moves the
        // instant by one hour. Equal instants (two dates published together
        // after a holiday) resolve to the later date, as they should.
        let n = self.known.partition_point(|k| *k <= t);
        let i = n.checked_sub(1)?;
        Some((self.series.dates()[i], self.series.values()[i]))
    }

    /// The instants at which each observation became public, in date order.
    pub fn known_times(&self) -> &[Timestamp] {
        &self.known
    }
}

/// For each target bar, the value of `series` that was public by the bar's
/// close.
///
/// Bar `target_dates[k]` closes at `target_close.known_at(target_dates[k])`
/// (use [`crate::Calendar::bar_close`]); the result at `k` is
/// [`AsOf::value_known_at`] of that instant. The output has one entry per
/// target date, `None` where nothing was public yet; target dates need not be
/// sorted.
///
/// ```
/// use riskcurve_core::{asof_join, Calendar, Release, Series};
/// let d = |s: &str| s.parse().unwrap();
/// // WALCL for Wednesday 2026-01-14 is published Thursday 16:30 New York.
/// let walcl = Series::new(vec![d("2026-01-07"), d("2026-01-14")], vec![6_600.0, 6_650.0]).unwrap();
/// let published: Release = "+1d 16:30 ET h41".parse().unwrap();
/// let nyse = Calendar::Nyse.bar_close().unwrap();
/// let got = asof_join(&[d("2026-01-15"), d("2026-01-16")], nyse, &walcl, published);
/// assert_eq!(got, vec![Some(6_600.0), Some(6_650.0)]);
/// ```
pub fn asof_join(target_dates: &[Date], target_close: Release, series: &Series, release: Release) -> Vec<Option<f64>> {
    let asof = AsOf::new(series, release);
    target_dates.iter().map(|d| asof.value_known_at(target_close.known_at(*d)).map(|(_, v)| v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{d, dates_strategy, series, series_strategy};
    use crate::{Calendar, ReleaseRule, Tz};
    use proptest::prelude::*;

    const WALCL: Release = Release { lag_days: 1, hour: 16, minute: 30, tz: Tz::NewYork, rule: ReleaseRule::H41 };
    const RRPONTSYD: Release = Release { lag_days: 0, hour: 13, minute: 15, tz: Tz::NewYork, rule: ReleaseRule::Fixed };

    fn nyse() -> Release {
        Calendar::Nyse.bar_close().unwrap()
    }

    fn crypto() -> Release {
        Calendar::Crypto.bar_close().unwrap()
    }

    fn dates(list: &[&str]) -> Vec<Date> {
        list.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn walcl_wednesday_is_not_known_at_thursday_equity_close() {
        // Hand-made: two Wednesday levels.
        let walcl = series(&[("2026-01-07", 100.0), ("2026-01-14", 110.0)]);
        // Wed 14, Thu 15, Fri 16, Tue 20 (Mon 19 is MLK day, not needed here).
        let target = dates(&["2026-01-14", "2026-01-15", "2026-01-16", "2026-01-20"]);
        let got = asof_join(&target, nyse(), &walcl, WALCL);
        // Thursday's close (16:00) is half an hour before the 16:30 release.
        assert_eq!(got, vec![Some(100.0), Some(100.0), Some(110.0), Some(110.0)]);
        // Before the first release nothing is known.
        assert_eq!(asof_join(&dates(&["2026-01-08"]), nyse(), &walcl, WALCL), vec![None]);
        assert_eq!(asof_join(&dates(&["2026-01-09"]), nyse(), &walcl, WALCL), vec![Some(100.0)]);
    }

    #[test]
    fn rrp_is_known_at_the_same_day_equity_close() {
        let rrp = series(&[("2024-07-01", 400.0), ("2024-07-02", 410.0), ("2024-07-05", 420.0)]);
        let target = dates(&["2024-07-01", "2024-07-02", "2024-07-05"]);
        let got = asof_join(&target, nyse(), &rrp, RRPONTSYD);
        assert_eq!(got, vec![Some(400.0), Some(410.0), Some(420.0)]);
        // In winter too (New York on EST).
        let rrp = series(&[("2024-01-02", 600.0)]);
        assert_eq!(asof_join(&dates(&["2024-01-02"]), nyse(), &rrp, RRPONTSYD), vec![Some(600.0)]);
    }

    /// Issue 10 item 2: the NYSE closes at 13:00 on a half day, before the
    /// 13:15 RRP release, so that day's bar holds the previous day's RRP.
    #[test]
    fn nyse_half_day_bar_does_not_see_the_1315_rrp() {
        let rrp = series(&[
            ("2024-07-02", 410.0),
            ("2024-07-03", 420.0),
            ("2024-12-23", 500.0),
            ("2024-12-24", 510.0),
            ("2025-11-26", 600.0),
            ("2025-11-28", 610.0),
        ]);
        let target = dates(&["2024-07-03", "2024-07-05", "2024-12-24", "2024-12-26", "2025-11-28", "2025-12-01"]);
        let got = asof_join(&target, nyse(), &rrp, RRPONTSYD);
        assert_eq!(got, vec![Some(410.0), Some(420.0), Some(500.0), Some(510.0), Some(600.0), Some(610.0)]);
        // The crypto bar of the same day closes at midnight UTC and sees it.
        let got = asof_join(&dates(&["2024-07-03", "2025-11-28"]), crypto(), &rrp, RRPONTSYD);
        assert_eq!(got, vec![Some(420.0), Some(610.0)]);
    }

    #[test]
    fn crypto_targets_close_at_utc_midnight() {
        let walcl = series(&[("2026-01-07", 100.0), ("2026-01-14", 110.0)]);
        // The crypto bar of Thursday 15 closes Friday 00:00 UTC, after the
        // 21:30 UTC release, so it sees the Wednesday level that NYSE's
        // Thursday bar does not; the weekend bars keep it.
        let target = dates(&["2026-01-14", "2026-01-15", "2026-01-17", "2026-01-18"]);
        let got = asof_join(&target, crypto(), &walcl, WALCL);
        assert_eq!(got, vec![Some(100.0), Some(110.0), Some(110.0), Some(110.0)]);

        // An equity close dated D (16:00 New York) is public before the crypto
        // bar D closes; the Saturday bar still sees Friday's close.
        let rut = series(&[("2024-11-22", 2_400.0), ("2024-11-25", 2_440.0)]);
        let target = dates(&["2024-11-21", "2024-11-22", "2024-11-23", "2024-11-25"]);
        let got = asof_join(&target, crypto(), &rut, nyse());
        assert_eq!(got, vec![None, Some(2_400.0), Some(2_400.0), Some(2_440.0)]);
    }

    #[test]
    fn value_known_at_reports_the_reference_date() {
        let walcl = series(&[("2026-01-07", 100.0), ("2026-01-14", 110.0)]);
        let asof = AsOf::new(&walcl, WALCL);
        let release = WALCL.known_at(d("2026-01-14"));
        assert_eq!(asof.value_known_at(Timestamp(release.0 - 1)), Some((d("2026-01-07"), 100.0)));
        assert_eq!(asof.value_known_at(release), Some((d("2026-01-14"), 110.0)));
        assert_eq!(asof.known_times().len(), 2);
        assert_eq!(AsOf::new(&Series::default(), WALCL).value_known_at(release), None);
    }

    fn release_strategy() -> impl Strategy<Value = Release> {
        let rules = prop::sample::select(vec![
            ReleaseRule::Fixed,
            ReleaseRule::Federal,
            ReleaseRule::H41,
            ReleaseRule::NyseClose,
        ]);
        (0i32..4, 0u32..24, 0u32..60, prop::bool::ANY, rules).prop_map(|(lag_days, hour, minute, utc, rule)| Release {
            lag_days,
            hour,
            minute,
            tz: if utc { Tz::Utc } else { Tz::NewYork },
            rule,
        })
    }

    proptest! {
        #[test]
        fn no_look_ahead_and_latest(
            s in series_strategy(60, 4, 0.0, 1000.0),
            release in release_strategy(),
            target in dates_strategy(40, 3),
            target_close in release_strategy(),
        ) {
            let got = asof_join(&target, target_close, &s, release);
            prop_assert_eq!(got.len(), target.len());
            let asof = AsOf::new(&s, release);
            for (date, v) in target.iter().zip(&got) {
                let close = target_close.known_at(*date);
                let hit = asof.value_known_at(close);
                prop_assert_eq!(hit.map(|(_, x)| x), *v);
                // Brute force: the latest observation public by the close.
                let expected = s.iter().filter(|(r, _)| release.known_at(*r) <= close).last();
                prop_assert_eq!(hit, expected);
                if let Some((reference, _)) = hit {
                    prop_assert!(release.known_at(reference) <= close);
                }
            }
        }
    }
}
