//! Which coin a crypto series is: a ticker is not an identity.
//!
//! Vendors reuse tickers: Yahoo's `REV-USD` is not the coin CoinMarketCap
//! lists as REV (Revain). From 2021-01-01 to 2021-04-01 the one rose +975%
//! and the other +7%, and on 2021-04-01 the Yahoo close was 16 times
//! Revain's price (issue 10 item 8). The stored
//! snapshots carry each coin's name and price on their dates, so a crypto
//! series is checked against the snapshot rows of its ticker (the series id)
//! on every snapshot date it has a close for: its close that day must be
//! within [`MAX_PRICE_FACTOR`] of the price of a coin listed under that
//! ticker (CoinMarketCap's snapshot price is its close of the day: Yahoo's
//! closes match it to 0.02%, Binance's USDT closes to 3%). A
//! series off by more on any such date is another coin and is refused, by
//! `import` (the file, in one line; nothing is written) and by `update` (that
//! source; the next is tried). Where a ticker is ambiguous (two coins under
//! one ticker in one snapshot, BNX on 2023-03-01) the price says which coin
//! it is; a close matching neither is refused too.
//!
//! On the shared data every Yahoo, Binance and Coinbase coin matches its
//! snapshot price within 5% on every shared date, and REV-USD is off by 1.6x
//! to 35.6x on all 18; a factor of 2 separates them with room on both sides.
//! A series whose ticker no snapshot lists (or with no close on a snapshot
//! date) cannot be checked and is not refused.

use std::collections::HashMap;

use riskcurve_core::{Bar, Date};
use riskcurve_ingest::UniverseEntry;
use riskcurve_store::{SeriesMeta, Store};

use crate::{bad, Result};

/// How far a close may be from the snapshot's price (either way) and still
/// be the same coin.
pub const MAX_PRICE_FACTOR: f64 = 2.0;

/// Snapshot prices by (lowercase ticker, date): each coin's name and price.
#[derive(Debug, Default)]
pub struct SnapshotPrices {
    by_key: HashMap<(String, Date), Vec<(String, f64)>>,
}

impl SnapshotPrices {
    /// The prices of every stored snapshot that has them (CoinMarketCap's).
    pub fn read(store: &Store) -> Result<SnapshotPrices> {
        let mut prices = SnapshotPrices::default();
        for source in crate::altseason::UNIVERSE_SOURCES {
            for r in store.universe_rows(source)? {
                prices.add(&r.symbol, r.date, &r.name, r.price);
            }
        }
        Ok(prices)
    }

    /// Adds the snapshots of an import that is not written yet.
    pub fn with<'a>(mut self, entries: impl IntoIterator<Item = &'a UniverseEntry>) -> SnapshotPrices {
        for e in entries {
            self.add(&e.symbol, e.date, e.name.as_deref().unwrap_or(""), e.price);
        }
        self
    }

    fn add(&mut self, symbol: &str, date: Date, name: &str, price: Option<f64>) {
        if let Some(p) = price.filter(|p| *p > 0.0) {
            let coins = self.by_key.entry((symbol.trim().to_ascii_lowercase(), date)).or_default();
            if !coins.iter().any(|(n, q)| n == name && *q == p) {
                coins.push((name.to_string(), p));
            }
        }
    }

    /// Refuses the bars of crypto series `meta` (read from `origin`) when
    /// they are not the coin the snapshots list under its ticker; other
    /// series pass.
    pub fn check(&self, origin: &str, meta: &SeriesMeta, bars: &[Bar]) -> Result<()> {
        match self.mismatch(meta, bars) {
            Some(why) => bad(format!("{origin}: {why} refused")),
            None => Ok(()),
        }
    }

    /// Why the bars of crypto series `meta` are not the coin the snapshots
    /// list under its ticker, if they are not (`check` reports it for data
    /// stored before `import` refused such files).
    pub fn mismatch(&self, meta: &SeriesMeta, bars: &[Bar]) -> Option<String> {
        if meta.asset_class != "crypto" || self.by_key.is_empty() {
            return None;
        }
        let ticker = meta.id.as_str();
        let closes: HashMap<Date, f64> = bars.iter().map(|b| (b.date, b.close)).collect();
        // (date, close, name, price, factor) of each snapshot date compared.
        let mut compared = Vec::new();
        let mut dates: Vec<Date> =
            self.by_key.keys().filter(|(s, d)| s == ticker && closes.contains_key(d)).map(|(_, d)| *d).collect();
        dates.sort();
        for date in dates {
            let coins = &self.by_key[&(ticker.to_string(), date)];
            let close = closes[&date];
            let (name, price) = coins
                .iter()
                .min_by(|a, b| factor(close, a.1).total_cmp(&factor(close, b.1)))
                .expect("a snapshot key has a coin");
            compared.push((date, close, name, *price, factor(close, *price)));
        }
        let off: Vec<_> = compared.iter().filter(|c| c.4 > MAX_PRICE_FACTOR).collect();
        let (date, close, name, price, f) = off.iter().max_by(|a, b| a.4.total_cmp(&b.4))?;
        Some(format!(
            "series {ticker} is not the coin the snapshots list as {} ({name}): its close is off by more than a factor of {MAX_PRICE_FACTOR} on {} of {} snapshot dates, worst {date} ({close} against {price}, {f:.1}x): another coin with the same ticker?",
            ticker.to_ascii_uppercase(),
            off.len(),
            compared.len()
        ))
    }
}

/// How many times larger the larger of two prices is.
fn factor(a: f64, b: f64) -> f64 {
    if a > b {
        a / b
    } else {
        b / a
    }
}

#[cfg(test)]
mod tests {
    use riskcurve_core::{Calendar, Unit};

    use super::*;

    fn meta(id: &str, class: &str) -> SeriesMeta {
        SeriesMeta {
            id: id.parse().unwrap(),
            name: id.into(),
            asset_class: class.into(),
            calendar: Calendar::Crypto,
            unit: Unit::Usd,
            flags: vec![],
        }
    }

    /// Hand-made prices (not real data): two coins share the ticker XYZ in
    /// one snapshot, as BNX did on 2023-03-01. The price says which coin a
    /// series is; a close matching neither is refused.
    #[test]
    fn an_ambiguous_ticker_is_resolved_by_price_or_refused() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let mut prices = SnapshotPrices::default();
        prices.add("XYZ", d("2023-03-01"), "Xyz (old)", Some(0.5));
        prices.add("XYZ", d("2023-03-01"), "Xyz", Some(150.0));
        let bars = |c: f64| [Bar::value(d("2023-02-28"), 1.0), Bar::value(d("2023-03-01"), c)];
        prices.check("f.csv", &meta("xyz", "crypto"), &bars(300.0)).unwrap();
        prices.check("f.csv", &meta("xyz", "crypto"), &bars(160.0)).unwrap();
        prices.check("f.csv", &meta("xyz", "crypto"), &bars(0.45)).unwrap();
        prices.check("f.csv", &meta("xyz", "crypto"), &bars(5.0)).unwrap_err();
        let err = prices.check("f.csv", &meta("xyz", "crypto"), &bars(1000.0)).unwrap_err().to_string();
        assert_eq!(
            err,
            "f.csv: series xyz is not the coin the snapshots list as XYZ (Xyz): its close is off by more than a factor of 2 on 1 of 1 snapshot dates, worst 2023-03-01 (1000 against 150, 6.7x): another coin with the same ticker? refused"
        );
        // Not a crypto series, or a ticker no snapshot lists: nothing to check.
        prices.check("f.csv", &meta("xyz", "user"), &bars(1000.0)).unwrap();
        prices.check("f.csv", &meta("abc", "crypto"), &bars(1000.0)).unwrap();
    }
}
