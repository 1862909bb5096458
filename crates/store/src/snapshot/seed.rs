//! Building a snapshot from a store, and seeding a store from one.

use std::collections::HashSet;

use riskcurve_core::{Date, SeriesId};
use sha2::{Digest, Sha256};

use super::{codec::Writer, SNAPSHOT_PRIORITY, SNAPSHOT_SOURCE};
use super::{write_series, write_universe, Snapshot, SnapshotSeries, SnapshotSpan, SnapshotUniverse};
use crate::error::sql;
use crate::{SeriesMeta, SeriesWrite, Store, StoreError, UniverseBatch, UniverseRow, WriteBatch, WriteOutcome};

impl Store {
    /// Reads the merged bars ([`Store::bars`]) and metadata of `ids`, and every
    /// stored universe row of `universe_sources`, into a [`Snapshot`].
    ///
    /// Each series records which source served each run of its bars, so the
    /// seeded copy can still say where its numbers came from. An unknown id is
    /// an error; a universe source without rows gives an empty universe.
    pub fn export_snapshot(
        &self,
        ids: &[SeriesId],
        universe_sources: &[&str],
        built_at: &str,
        built_from: &str,
    ) -> Result<Snapshot, StoreError> {
        let mut series = Vec::with_capacity(ids.len());
        for id in ids {
            let meta = self.series_meta(id)?.ok_or_else(|| StoreError::UnknownSeries(id.clone()))?;
            let merged = self.bars(id, None, None)?;
            let mut sources: Vec<SnapshotSpan> = Vec::new();
            for b in &merged {
                match sources.last_mut() {
                    Some(span) if span.source == b.source => {
                        span.last = b.bar.date;
                        span.rows += 1;
                    }
                    _ => sources.push(SnapshotSpan {
                        source: b.source.clone(),
                        first: b.bar.date,
                        last: b.bar.date,
                        rows: 1,
                    }),
                }
            }
            series.push(SnapshotSeries { meta, sources, bars: merged.into_iter().map(|b| b.bar).collect() });
        }
        let universes = universe_sources
            .iter()
            .map(|&source| Ok(SnapshotUniverse { source: source.to_string(), rows: self.universe_rows(source)? }))
            .collect::<Result<_, StoreError>>()?;
        Ok(Snapshot { built_at: built_at.to_string(), built_from: built_from.to_string(), series, universes })
    }

    /// Seeds the store from `snap`; returns each series' write outcome, in
    /// snapshot order.
    ///
    /// - A series without metadata gets the snapshot's; one already described
    ///   keeps its own (the catalog or an import decided it).
    /// - Bars are written as source [`SNAPSHOT_SOURCE`] at
    ///   [`SNAPSHOT_PRIORITY`], so any live or file source outranks them; the
    ///   provenance origin names the snapshot and the original sources, and
    ///   the checksum is the SHA-256 of the series' encoded form.
    /// - Universes keep their original source names (readers look them up by
    ///   source). Universes have no priorities, so only snapshot dates the
    ///   store lacks for that source are written: a seed never overwrites a
    ///   fresher list.
    ///
    /// Seeding twice changes nothing: every outcome is then all unchanged and
    /// no provenance is added. The whole seed is **one** transaction
    /// ([`Store::write_all`]): a failure or a killed process leaves the store
    /// as it was, never half seeded.
    pub fn seed_from_snapshot(
        &mut self,
        snap: &Snapshot,
        fetched_at: &str,
    ) -> Result<Vec<(SeriesId, WriteOutcome)>, StoreError> {
        // Everything is prepared first, then written in one transaction: a
        // failure or a killed process leaves no half-seeded database (which
        // would no longer count as empty, so it would never be completed).
        let metas: Vec<SeriesMeta> = snap
            .series
            .iter()
            .map(|s| Ok(self.series_meta(&s.meta.id)?.unwrap_or_else(|| s.meta.clone())))
            .collect::<Result<_, StoreError>>()?;
        let origins: Vec<String> = snap
            .series
            .iter()
            .map(|s| origin(&snap.built_at, s.sources.iter().map(|p| (p.source.as_str(), p.first, p.last, p.rows))))
            .collect();
        let checksums: Vec<String> = snap.series.iter().map(|s| checksum(|w| write_series(w, s))).collect();
        let batches: Vec<[WriteBatch; 1]> = snap
            .series
            .iter()
            .zip(origins.iter().zip(&checksums))
            .map(|(s, (origin, checksum))| {
                [WriteBatch {
                    series: &s.meta.id,
                    source: SNAPSHOT_SOURCE,
                    priority: SNAPSHOT_PRIORITY,
                    origin,
                    fetched_at,
                    checksum,
                    bars: &s.bars,
                }]
            })
            .collect();
        let series: Vec<SeriesWrite> =
            metas.iter().zip(&batches).map(|(meta, batches)| SeriesWrite { meta, batches }).collect();
        let mut fresh: Vec<(&str, Vec<UniverseRow>, String, String)> = Vec::new();
        for u in &snap.universes {
            let stored: HashSet<Date> = self.universe_dates(Some(&u.source))?.into_iter().collect();
            let rows: Vec<_> = u.rows.iter().filter(|r| !stored.contains(&r.date)).cloned().collect();
            let (Some(first), Some(last)) = (rows.iter().map(|r| r.date).min(), rows.iter().map(|r| r.date).max())
            else {
                continue;
            };
            let origin = origin(&snap.built_at, [(u.source.as_str(), first, last, rows.len())].into_iter());
            fresh.push((&u.source, rows, origin, checksum(|w| write_universe(w, &u.rows))));
        }
        let universes: Vec<UniverseBatch> = fresh
            .iter()
            .map(|(source, rows, origin, checksum)| UniverseBatch { source, origin, fetched_at, checksum, rows })
            .collect();
        let written = self.write_all(&series, &universes, &mut |_| {})?;
        Ok(snap
            .series
            .iter()
            .zip(written.series)
            .map(|(s, w)| (s.meta.id.clone(), w.first().map(|w| w.outcome).unwrap_or_default()))
            .collect())
    }

    /// True when no series has any observation: an empty database to seed.
    /// Metadata and universes alone do not count.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM observations)", [], |r| r.get(0))
            .map_err(sql(|| "checking whether the store is empty".to_string()))
    }
}

/// `snapshot 2026-11-30: yahoo 1987-09-10..2026-02-23 (9,686 rows); ibkr ...`
fn origin<'a>(built_at: &str, spans: impl Iterator<Item = (&'a str, Date, Date, usize)>) -> String {
    let spans: Vec<String> = spans
        .map(|(source, first, last, rows)| format!("{source} {first}..{last} ({} rows)", thousands(rows)))
        .collect();
    format!("snapshot {built_at}: {}", spans.join("; "))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// SHA-256 of a part's encoded form: stable for the same content, whatever
/// else the snapshot holds.
fn checksum(write: impl FnOnce(&mut Writer)) -> String {
    let mut w = Writer::default();
    write(&mut w);
    let digest = Sha256::digest(&w.buf);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_names_each_run() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let spans =
            [("yahoo", d("1987-09-10"), d("2026-02-23"), 9686), ("ibkr", d("2026-02-24"), d("2026-08-21"), 123)];
        assert_eq!(
            origin("2026-11-30", spans.into_iter()),
            "snapshot 2026-11-30: yahoo 1987-09-10..2026-02-23 (9,686 rows); ibkr 2026-02-24..2026-08-21 (123 rows)"
        );
        assert_eq!(
            [thousands(0), thousands(999), thousands(1000), thousands(1234567)],
            ["0", "999", "1,000", "1,234,567"]
        );
    }
}
