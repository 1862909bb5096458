//! The offline snapshot: core series and universes in one compact, lossless
//! blob, compiled into the binary to seed an empty database on a machine
//! without internet.
//!
//! Layout: `RCSNAP`, a version byte, the payload's length (varint), then the
//! payload compressed with zlib (DEFLATE plus an Adler-32 check, so a
//! corrupted blob is refused rather than misread). The payload is columnar
//! per series: dates as gaps, each value column as scaled integers (see
//! `values`), which DEFLATE then squeezes further.

use std::collections::HashMap;
use std::io::{Read, Write};

use flate2::bufread::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use riskcurve_core::{Bar, Date, SeriesId};

use crate::{SeriesMeta, StoreError, UniverseRow};
use codec::{Reader, Writer};

mod codec;
mod seed;
mod values;

/// The source name of bars seeded from a snapshot.
pub const SNAPSHOT_SOURCE: &str = "snapshot";

/// The priority of seeded bars: any live or file source outranks them.
pub const SNAPSHOT_PRIORITY: i32 = 1;

const MAGIC: &[u8; 6] = b"RCSNAP";
/// 2: value columns in blocks with their own precision and scale, universe
/// coins listed once. Version 1 (never released) is refused: rebuild it.
const VERSION: u8 = 2;

/// A declared payload larger than this is corruption, not data; it bounds
/// what decoding a hostile blob can allocate.
const MAX_PAYLOAD: u64 = 1 << 30;

/// A contiguous run of a series' merged bars that came from one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSpan {
    /// The source the bars were served from when the snapshot was built.
    pub source: String,
    /// The first date of the run.
    pub first: Date,
    /// The last date of the run.
    pub last: Date,
    /// Bars in the run.
    pub rows: usize,
}

/// One series in a snapshot: its metadata, the merged bars, and where they
/// came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotSeries {
    /// What the series is.
    pub meta: SeriesMeta,
    /// Run-length provenance of `bars`: the original source of each run of
    /// consecutive bars, in date order.
    pub sources: Vec<SnapshotSpan>,
    /// The merged bars ([`crate::Store::bars`]), in ascending date order.
    pub bars: Vec<Bar>,
}

impl SnapshotSeries {
    /// The date of the last bar: how current this series is in the snapshot.
    pub fn last_date(&self) -> Option<Date> {
        self.bars.last().map(|b| b.date)
    }
}

/// All the point-in-time universe rows of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotUniverse {
    /// The original source name (`coinmarketcap`, `universe-json`).
    pub source: String,
    /// The rows, by date then rank.
    pub rows: Vec<UniverseRow>,
}

/// Series and universes frozen at one moment, to seed an empty store.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// When the snapshot was built, as the caller formatted it.
    pub built_at: String,
    /// What it was built from, free text (`../shared/data (see SOURCES.md)`).
    pub built_from: String,
    /// The series.
    pub series: Vec<SnapshotSeries>,
    /// The universes.
    pub universes: Vec<SnapshotUniverse>,
}

impl Snapshot {
    /// The last date of series `id` in the snapshot; `None` when the series
    /// is absent or has no bar.
    pub fn as_of(&self, id: &SeriesId) -> Option<Date> {
        self.series.iter().find(|s| &s.meta.id == id)?.last_date()
    }

    /// The snapshot as bytes; [`Snapshot::decode`] gives back an equal
    /// snapshot, every `f64` bit for bit. The same snapshot always gives the
    /// same bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.str(&self.built_at);
        w.str(&self.built_from);
        w.uvar(self.series.len() as u64);
        for s in &self.series {
            write_series(&mut w, s);
        }
        w.uvar(self.universes.len() as u64);
        for u in &self.universes {
            w.str(&u.source);
            write_universe(&mut w, &u.rows);
        }
        let mut out = MAGIC.to_vec();
        out.push(VERSION);
        let mut header = Writer::default();
        header.uvar(w.buf.len() as u64);
        out.extend_from_slice(&header.buf);
        let mut z = ZlibEncoder::new(out, Compression::best());
        z.write_all(&w.buf).expect("writing to memory cannot fail");
        z.finish().expect("writing to memory cannot fail")
    }

    /// Reads bytes written by [`Snapshot::encode`]. A blob that is not a
    /// snapshot, comes from a newer build, is truncated or corrupted gives
    /// [`StoreError::InvalidSnapshot`]; no input makes it panic.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, StoreError> {
        let invalid = StoreError::InvalidSnapshot;
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| invalid("it does not start with RCSNAP".into()))?;
        let (&version, rest) = rest.split_first().ok_or_else(|| invalid("truncated after the magic".into()))?;
        if version > VERSION {
            return Err(invalid(format!("format version {version} is newer than this build reads: upgrade riskcurve")));
        }
        if version != VERSION {
            return Err(invalid(format!(
                "format version {version} is older than this build reads: rebuild the snapshot"
            )));
        }
        let mut header = Reader::new(rest);
        let len = header.uvar().map_err(|e| invalid(format!("payload length: {e}")))?;
        if len > MAX_PAYLOAD {
            return Err(invalid(format!("a payload of {len} bytes is implausibly large")));
        }
        let mut payload = Vec::new();
        let mut z = ZlibDecoder::new(&rest[header.position()..]);
        (&mut z)
            .take(len + 1)
            .read_to_end(&mut payload)
            .map_err(|e| invalid(format!("the compressed payload is corrupt: {e}")))?;
        if payload.len() as u64 != len {
            return Err(invalid(format!("the payload has {} bytes, the header says {len}", payload.len())));
        }
        if !z.into_inner().is_empty() {
            return Err(invalid("unexpected bytes after the compressed payload".into()));
        }
        read_payload(&mut Reader::new(&payload)).map_err(invalid)
    }
}

fn write_series(w: &mut Writer, s: &SnapshotSeries) {
    let m = &s.meta;
    for text in [m.id.as_str(), &m.name, &m.asset_class, m.calendar.as_str(), m.unit.as_str()] {
        w.str(text);
    }
    w.uvar(m.flags.len() as u64);
    m.flags.iter().for_each(|f| w.str(f));
    w.uvar(s.sources.len() as u64);
    for span in &s.sources {
        w.str(&span.source);
        w.ivar(span.first.days().into());
        w.ivar(i64::from(span.last.days()) - i64::from(span.first.days()));
        w.uvar(span.rows as u64);
    }
    w.uvar(s.bars.len() as u64);
    w.dates(s.bars.iter().map(|b| b.date));
    w.values(&s.bars.iter().map(|b| b.close).collect::<Vec<_>>());
    for field in [|b: &Bar| b.open, |b: &Bar| b.high, |b: &Bar| b.low, |b: &Bar| b.volume] {
        w.optional(&s.bars.iter().map(field).collect::<Vec<_>>());
    }
}

/// Rows as columns. A coin appears in many monthly lists, so each distinct
/// (symbol, name) is written once and rows refer to it by number; ranks
/// mostly count up by one, so they are stored as that step's excess.
fn write_universe(w: &mut Writer, rows: &[UniverseRow]) {
    let mut coins: Vec<(&str, &str)> = Vec::new();
    let mut number: HashMap<(&str, &str), u64> = HashMap::new();
    let refs: Vec<u64> = rows
        .iter()
        .map(|r| {
            let coin = (r.symbol.as_str(), r.name.as_str());
            *number.entry(coin).or_insert_with(|| {
                coins.push(coin);
                coins.len() as u64 - 1
            })
        })
        .collect();
    w.uvar(coins.len() as u64);
    for (symbol, name) in coins {
        w.str(symbol);
        w.str(name);
    }
    w.uvar(rows.len() as u64);
    w.dates(rows.iter().map(|r| r.date));
    let mut prev = 0;
    for r in rows {
        w.ivar(i64::from(r.rank) - prev - 1);
        prev = i64::from(r.rank);
    }
    refs.into_iter().for_each(|i| w.uvar(i));
    w.optional(&rows.iter().map(|r| r.market_cap).collect::<Vec<_>>());
    w.optional(&rows.iter().map(|r| r.price).collect::<Vec<_>>());
}

fn read_payload(r: &mut Reader<'_>) -> codec::Result<Snapshot> {
    let built_at = r.str()?;
    let built_from = r.str()?;
    let mut series = Vec::new();
    for i in 0..r.count()? {
        series.push(read_series(r).map_err(|e| format!("series #{}: {e}", i + 1))?);
    }
    let mut universes = Vec::new();
    for i in 0..r.count()? {
        let source = r.str().map_err(|e| format!("universe #{}: {e}", i + 1))?;
        let rows = read_universe(r).map_err(|e| format!("universe {source}: {e}"))?;
        universes.push(SnapshotUniverse { source, rows });
    }
    if !r.is_done() {
        return Err(format!("unexpected bytes after the last universe, at byte {}", r.position()));
    }
    Ok(Snapshot { built_at, built_from, series, universes })
}

fn read_series(r: &mut Reader<'_>) -> codec::Result<SnapshotSeries> {
    let id = r.str()?;
    let id = SeriesId::new(&id).map_err(|e| format!("id {id:?}: {e}"))?;
    let in_series = |e: String| format!("{id}: {e}");
    let name = r.str().map_err(in_series)?;
    let asset_class = r.str().map_err(in_series)?;
    let calendar = r.str().map_err(in_series)?;
    let calendar = calendar.parse().map_err(|_| in_series(format!("calendar {calendar:?} is unknown")))?;
    let unit = r.str().map_err(in_series)?;
    let unit = unit.parse().map_err(|_| in_series(format!("unit {unit:?} is invalid")))?;
    let flags = (0..r.count().map_err(in_series)?).map(|_| r.str()).collect::<Result<_, _>>().map_err(in_series)?;
    let meta = SeriesMeta { id: id.clone(), name, asset_class, calendar, unit, flags };
    let sources = read_spans(r).map_err(|e| in_series(format!("sources: {e}")))?;
    let bars = read_bars(r).map_err(|e| in_series(format!("bars: {e}")))?;
    Ok(SnapshotSeries { meta, sources, bars })
}

fn read_spans(r: &mut Reader<'_>) -> codec::Result<Vec<SnapshotSpan>> {
    (0..r.count()?)
        .map(|_| {
            let source = r.str()?;
            let first = r.day()?;
            let last = i64::from(first.days()).checked_add(r.ivar()?);
            let last = last.and_then(|d| i32::try_from(d).ok()).ok_or("a span ends out of range")?;
            let rows = usize::try_from(r.uvar()?).map_err(|_| "a span's row count overflows")?;
            Ok(SnapshotSpan { source, first, last: Date::from_days(last), rows })
        })
        .collect()
}

fn read_bars(r: &mut Reader<'_>) -> codec::Result<Vec<Bar>> {
    let n = r.count()?;
    let dates = r.dates(n)?;
    let close = r.values(n)?;
    let [open, high, low, volume] = [r.optional(n)?, r.optional(n)?, r.optional(n)?, r.optional(n)?];
    Ok((0..n)
        .map(|i| Bar { date: dates[i], open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i] })
        .collect())
}

fn read_universe(r: &mut Reader<'_>) -> codec::Result<Vec<UniverseRow>> {
    let coins = (0..r.count()?).map(|_| Ok((r.str()?, r.str()?))).collect::<codec::Result<Vec<_>>>()?;
    let n = r.count()?;
    let dates = r.dates(n)?;
    let mut rank = 0i64;
    let mut ranks = Vec::with_capacity(n);
    for _ in 0..n {
        rank = rank.checked_add(r.ivar()?).and_then(|x| x.checked_add(1)).ok_or("a rank overflows")?;
        ranks.push(u32::try_from(rank).map_err(|_| format!("rank {rank} is out of range"))?);
    }
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let coin = usize::try_from(r.uvar()?).ok().and_then(|c| coins.get(c));
        let (symbol, name) = coin.ok_or("a row names a coin that is not listed")?.clone();
        rows.push(UniverseRow { date: dates[i], rank: ranks[i], symbol, name, market_cap: None, price: None });
    }
    let caps = r.optional(n)?;
    let prices = r.optional(n)?;
    for (row, (cap, price)) in rows.iter_mut().zip(caps.into_iter().zip(prices)) {
        (row.market_cap, row.price) = (cap, price);
    }
    Ok(rows)
}
