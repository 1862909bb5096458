//! Importing one file, or every file a manifest names.
//!
//! Every file is read and validated before anything is written, so a bad
//! file anywhere in a manifest leaves the database as it was. Each series
//! is then written in its own transaction.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use riskcurve_ingest::format::{self, Format, ParseOptions};
use riskcurve_ingest::{Parsed, UniverseEntry};
use riskcurve_store::{SeriesMeta, Store, UniverseBatch, UniverseRow, WriteBatch, WriteOutcome};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::{bad, bad_input, App, Context, Progress, Result};

/// Priority of a file source the catalog does not rank.
const DEFAULT_FILE_PRIORITY: i32 = 50;

/// What `import` asks for: one file with its options, or a manifest.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The file (or, with `manifest`, nothing).
    pub file: Option<PathBuf>,
    /// How to read `file` (series id, format, column, unit, source, priority, calendar).
    pub job: Job,
    /// Skip bad rows instead of refusing the file.
    pub lenient: bool,
    /// A manifest (TOML) naming many files.
    pub manifest: Option<PathBuf>,
    /// Directory the manifest's relative `data_dir` is replaced by.
    pub data_dir: Option<PathBuf>,
}

/// One entry of a manifest, or the flags of a single import.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// File path (relative to the data dir); may hold one `*` in its file name.
    pub file: String,
    /// Series id; `{*}` is replaced by what the `*` matched, lowercased.
    pub series: Option<String>,
    /// File format (`auto` detects it).
    #[serde(default)]
    pub format: Option<String>,
    /// Column of a wide table.
    pub column: Option<String>,
    /// Unit of the file's values.
    pub unit: Option<String>,
    /// Source name recorded.
    pub source: Option<String>,
    /// Source priority.
    pub priority: Option<i32>,
    /// Calendar of a new series.
    pub calendar: Option<String>,
    /// Asset class of a new series.
    pub class: Option<String>,
    /// Name of a new series.
    pub name: Option<String>,
    /// File names a glob should leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Skip bad rows of this entry (as `--lenient` does for all).
    #[serde(default)]
    pub lenient: bool,
    /// For multi-symbol files: import only these symbols.
    #[serde(default)]
    pub symbols: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// Directory of the data files, relative to the manifest.
    #[serde(default)]
    data_dir: Option<String>,
    #[serde(default, rename = "import")]
    imports: Vec<Job>,
}

/// One file matched by a job, with its series id resolved.
struct FileJob<'a> {
    job: &'a Job,
    path: PathBuf,
    display: String,
    series: Option<String>,
}

/// The bars of one series from one source, converted and checked, ready to write.
#[derive(Clone)]
pub struct Pending {
    /// The series' metadata.
    pub meta: SeriesMeta,
    /// Source name.
    pub source: String,
    /// Source priority.
    pub priority: i32,
    /// File or URL.
    pub origin: String,
    /// Checksum of the input.
    pub checksum: String,
    /// The bars, in the series unit.
    pub bars: Vec<Bar>,
}

impl Pending {
    /// Writes the series row and the bars, the bars in one transaction.
    pub fn write(&self, store: &mut Store, fetched_at: &str) -> Result<WriteOutcome> {
        let id = &self.meta.id;
        store.upsert_series(&self.meta).context_with(|| format!("{}: series {id}", self.origin))?;
        let batch = WriteBatch {
            series: id,
            source: &self.source,
            priority: self.priority,
            origin: &self.origin,
            fetched_at,
            checksum: &self.checksum,
            bars: &self.bars,
        };
        store.write(&batch).context_with(|| format!("{}: series {id}", self.origin))
    }
}

/// A parsed file, ready to write.
struct Prepared {
    display: String,
    checksum: String,
    source: String,
    writes: Vec<Pending>,
    universe: Vec<UniverseEntry>,
    skipped: usize,
}

/// What one file did to one series (or to the universe).
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    /// The file as named.
    pub file: String,
    /// The series id, or `(universe)`.
    pub series: String,
    /// Source name.
    pub source: String,
    /// Source priority.
    pub priority: i32,
    /// Rows read.
    pub rows: usize,
    /// First date.
    pub first: Option<Date>,
    /// Last date.
    pub last: Option<Date>,
    /// Rows new to the source.
    pub inserted: usize,
    /// Rows whose values changed.
    pub updated: usize,
    /// Rows already stored as they are.
    pub unchanged: usize,
    /// Bad rows skipped (lenient).
    pub skipped: usize,
}

/// `import`: one row per series written.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// What each file did.
    pub imports: Vec<ImportRow>,
}

/// Reads and validates every file, then writes each series in its own transaction.
pub fn import(app: &App, req: &ImportRequest, progress: &dyn Progress) -> Result<ImportReport> {
    let (jobs, base) = match &req.manifest {
        Some(path) => read_manifest(path, req.data_dir.as_deref())?,
        None => {
            let Some(file) = &req.file else { return bad("import: name a file or --manifest FILE") };
            (vec![Job { file: file.display().to_string(), ..req.job.clone() }], PathBuf::new())
        }
    };
    let files = expand(&jobs, &base)?;
    progress.start(files.len() as u64, "reading");
    let prepared: Vec<Prepared> = files
        .par_iter()
        .map(|f| {
            let p = prepare(f, &app.catalog, req.lenient);
            progress.step(&f.display);
            p
        })
        .collect::<Result<Vec<_>>>()?;
    progress.finish();

    let mut store = app.open_store_for_writing()?;
    let fetched_at = app.now.as_str();
    let mut rows = Vec::new();
    for p in &prepared {
        for w in &p.writes {
            let out = w.write(&mut store, fetched_at)?;
            rows.push(ImportRow {
                file: p.display.clone(),
                series: w.meta.id.to_string(),
                source: w.source.clone(),
                priority: w.priority,
                rows: w.bars.len(),
                first: w.bars.first().map(|b| b.date),
                last: w.bars.last().map(|b| b.date),
                inserted: out.inserted as usize,
                updated: out.updated as usize,
                unchanged: out.unchanged as usize,
                skipped: p.skipped,
            });
        }
        if !p.universe.is_empty() {
            let universe: Vec<UniverseRow> = p.universe.iter().map(universe_row).collect();
            let batch = UniverseBatch {
                source: &p.source,
                origin: &p.display,
                fetched_at,
                checksum: &p.checksum,
                rows: &universe,
            };
            let out = store.write_universe(&batch).context_with(|| format!("{}: universe", p.display))?;
            rows.push(ImportRow {
                file: p.display.clone(),
                series: "(universe)".into(),
                source: p.source.clone(),
                priority: 0,
                rows: universe.len(),
                first: universe.first().map(|u| u.date),
                last: universe.last().map(|u| u.date),
                inserted: out.inserted as usize,
                updated: out.updated as usize,
                unchanged: out.unchanged as usize,
                skipped: p.skipped,
            });
        }
    }
    Ok(ImportReport { imports: rows })
}

fn read_manifest(path: &Path, data_dir: Option<&Path>) -> Result<(Vec<Job>, PathBuf)> {
    let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    let m: Manifest = toml::from_str(&text).map_err(|e| {
        bad_input(format!("{}: {}", path.display(), e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")))
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let base = match (data_dir, &m.data_dir) {
        (Some(d), _) => d.to_path_buf(),
        (None, Some(d)) => dir.join(d),
        (None, None) => dir.to_path_buf(),
    };
    if !base.is_dir() {
        return bad(format!("{}: data directory {} does not exist (use --data-dir)", path.display(), base.display()));
    }
    Ok((m.imports, base))
}

/// Resolves globs: a `*` in the file name matches any run of characters.
fn expand<'a>(jobs: &'a [Job], base: &Path) -> Result<Vec<FileJob<'a>>> {
    let mut out = Vec::new();
    for job in jobs {
        let path = base.join(&job.file);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some((prefix, suffix)) = name.split_once('*') else {
            out.push(FileJob { job, display: job.file.clone(), series: job.series.clone(), path });
            continue;
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let entries = std::fs::read_dir(dir).map_err(|e| bad_input(format!("{}: {e}", dir.display())))?;
        let mut matched: Vec<(String, String)> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.len() >= prefix.len() + suffix.len() && n.starts_with(prefix) && n.ends_with(suffix))
            .filter(|n| !job.exclude.contains(n))
            .map(|n| {
                let star = n[prefix.len()..n.len() - suffix.len()].to_ascii_lowercase();
                (n, star)
            })
            .collect();
        matched.sort();
        if matched.is_empty() {
            return bad(format!("{}: no file matches", job.file));
        }
        for (n, star) in matched {
            let display = Path::new(&job.file).with_file_name(&n).display().to_string();
            let series = job.series.as_ref().map(|s| s.replace("{*}", &star));
            out.push(FileJob { job, path: dir.join(&n), display, series });
        }
    }
    Ok(out)
}

/// Reads, parses, converts and checks one file; writes nothing.
fn prepare(f: &FileJob, catalog: &Catalog, lenient: bool) -> Result<Prepared> {
    let job = f.job;
    let bytes = std::fs::read(&f.path).map_err(|e| bad_input(format!("{}: {e}", f.display)))?;
    let checksum = format!("{:x}", Sha256::digest(&bytes));
    let format_name = job.format.as_deref().unwrap_or("auto");
    let mut fmt: Format = format_name.parse().map_err(bad_input)?;
    if fmt == Format::Auto {
        fmt = format::detect(&f.display, &String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]))?;
    }
    let opts = ParseOptions { column: job.column.clone(), lenient: lenient || job.lenient };
    let parsed: Parsed = format::parse(&f.display, &bytes, fmt, &opts)?;
    let source = job.source.clone().unwrap_or_else(|| default_source(fmt).to_string());
    let file_unit = job.unit.as_deref().map(str::parse::<Unit>).transpose().map_err(bad_input)?;
    let calendar = job.calendar.as_deref().map(str::parse::<Calendar>).transpose().map_err(bad_input)?;

    let multi = parsed.series.iter().any(|s| s.symbol.is_some());
    if !multi && parsed.series.len() == 1 && f.series.is_none() {
        return bad(format!("{}: name the series with --series ID", f.display));
    }
    let mut writes: Vec<Pending> = Vec::new();
    for ps in &parsed.series {
        if !job.symbols.is_empty() && !ps.symbol.as_ref().is_some_and(|s| job.symbols.contains(s)) {
            continue;
        }
        let id_text = match (&ps.symbol, &f.series) {
            (Some(sym), Some(pattern)) => pattern.replace("{symbol}", sym),
            (Some(sym), None) => sym.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => unreachable!("checked above"),
        };
        let id: SeriesId = id_text.parse().map_err(|e| bad_input(format!("{}: {e}", f.display)))?;
        let meta = series_meta(&id, catalog, job, file_unit.as_ref(), calendar, &ps.bars);
        // The file's unit: as stated, else what the catalog says this source delivers.
        let from = file_unit.clone().or_else(|| catalog.source_unit(&id, &source));
        let expect = catalog.get(&id).and_then(|e| e.expect_median);
        let bars = to_series_unit(&f.display, &meta, from.as_ref(), expect, &ps.bars)?;
        let priority = job.priority.unwrap_or_else(|| default_priority(catalog, &id, &source));
        let pending = Pending {
            meta,
            source: source.clone(),
            priority,
            origin: f.display.clone(),
            checksum: checksum.clone(),
            bars,
        };
        let mcap =
            market_cap_series(&pending, &ps.market_caps).map_err(|e| bad_input(format!("{}: {e}", f.display)))?;
        writes.extend([Some(pending), mcap].into_iter().flatten());
    }
    if writes.is_empty() && parsed.universe.is_empty() {
        return bad(format!("{}: no observations to import", f.display));
    }
    Ok(Prepared {
        display: f.display.clone(),
        checksum,
        source,
        writes,
        universe: parsed.universe,
        skipped: parsed.skipped.len(),
    })
}

/// The catalog entry when there is one; otherwise a user series described by the job.
fn series_meta(
    id: &SeriesId,
    catalog: &Catalog,
    job: &Job,
    file_unit: Option<&Unit>,
    calendar: Option<Calendar>,
    bars: &[Bar],
) -> SeriesMeta {
    if let Some(meta) = catalog.meta(id) {
        return meta;
    }
    let flags = catalog.flags_of(id.as_str());
    let weekend_days = bars.iter().filter(|b| b.date.is_weekend()).count();
    let calendar = calendar.unwrap_or(if weekend_days * 10 > bars.len() {
        Calendar::Crypto
    } else if bars.iter().all(|b| b.open.is_none()) {
        Calendar::Business
    } else {
        Calendar::Nyse
    });
    let class =
        job.class.clone().unwrap_or_else(|| if calendar == Calendar::Crypto { "crypto" } else { "user" }.into());
    SeriesMeta {
        id: id.clone(),
        name: job.name.clone().unwrap_or_else(|| id.to_string()),
        asset_class: class,
        calendar,
        unit: file_unit.cloned().unwrap_or(if calendar == Calendar::Crypto {
            Unit::Usd
        } else {
            Unit::Other("unknown".into())
        }),
        flags,
    }
}

/// Market caps that came with a coin's prices, as the series `{id}.mcap` (USD).
fn market_cap_series(prices: &Pending, caps: &[(Date, f64)]) -> Result<Option<Pending>, riskcurve_core::CoreError> {
    if caps.is_empty() {
        return Ok(None);
    }
    let meta = &prices.meta;
    let meta = SeriesMeta {
        id: format!("{}.mcap", meta.id).parse()?,
        name: format!("{} market capitalisation", meta.name),
        asset_class: "crypto-mcap".into(),
        calendar: meta.calendar,
        unit: Unit::Usd,
        flags: meta.flags.clone(),
    };
    let bars = caps.iter().map(|&(d, v)| Bar::value(d, v)).collect();
    Ok(Some(Pending { meta, bars, ..prices.clone() }))
}

/// Converts values delivered in `from` (when known) to the series unit and
/// checks their magnitude; `origin` (a file or URL) names the input in errors.
pub fn to_series_unit(
    origin: &str,
    meta: &SeriesMeta,
    from: Option<&Unit>,
    expect_median: Option<(f64, f64)>,
    bars: &[Bar],
) -> Result<Vec<Bar>> {
    let id = &meta.id;
    let factor = match from {
        Some(u) => u.factor_to(&meta.unit).ok_or_else(|| {
            bad_input(format!("{origin}: series {id}: values in {u} cannot be converted to {}", meta.unit))
        })?,
        None => 1.0,
    };
    let bars: Vec<Bar> = if factor == 1.0 { bars.to_vec() } else { bars.iter().map(|b| scale(b, factor)).collect() };
    check_magnitude(origin, id, expect_median, &meta.unit, &bars)?;
    Ok(bars)
}

fn scale(b: &Bar, k: f64) -> Bar {
    Bar {
        date: b.date,
        open: b.open.map(|v| v * k),
        high: b.high.map(|v| v * k),
        low: b.low.map(|v| v * k),
        close: b.close * k,
        volume: b.volume,
    }
}

/// Refuses an import whose median lies outside the catalog's expected range:
/// the usual cause is a vendor that reports in another scale (billions vs
/// millions). Short batches (under 20 values) are not judged.
fn check_magnitude(file: &str, id: &SeriesId, range: Option<(f64, f64)>, unit: &Unit, bars: &[Bar]) -> Result<()> {
    let Some((lo, hi)) = range else { return Ok(()) };
    if bars.len() < 20 {
        return Ok(());
    }
    let mut closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    closes.sort_by(f64::total_cmp);
    let median = closes[closes.len() / 2];
    if median < lo || median > hi {
        return bad(format!(
            "{file}: series {id}: median value {median} is outside the expected {lo}..{hi} {unit}: wrong unit? (name the file's unit with --unit)"
        ));
    }
    Ok(())
}

fn default_source(fmt: Format) -> &'static str {
    match fmt {
        Format::Yahoo => "yahoo",
        Format::Fred | Format::FredWide => "fred",
        Format::Ibkr => "ibkr",
        Format::Binance => "binance",
        Format::CryptoDataDownload => "cryptodatadownload",
        Format::Blockchain => "blockchain.com",
        Format::CmcSnapshots => "coinmarketcap",
        Format::CoinbaseLong => "coinbase",
        Format::UniverseJson => "universe-json",
        Format::Auto => "file",
    }
}

/// A source the catalog lists for the series ranks by its place in the list
/// (first = 100, then 90, ...); any other source gets 50.
fn default_priority(catalog: &Catalog, id: &SeriesId, source: &str) -> i32 {
    catalog.source_priority(id, source).unwrap_or(DEFAULT_FILE_PRIORITY)
}

fn universe_row(u: &UniverseEntry) -> UniverseRow {
    UniverseRow {
        date: u.date,
        rank: u.rank,
        symbol: u.symbol.clone(),
        name: u.name.clone().unwrap_or_default(),
        market_cap: u.market_cap,
        price: u.price,
    }
}
