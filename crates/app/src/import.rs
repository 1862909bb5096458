//! Importing one file, or every file a manifest names.
//!
//! Every file is read and validated before anything is written: its size
//! and kind (a regular file, at most `--max-file-size`), its place (under the
//! manifest's data directory), its rows (the parsers, then the same checks a
//! live source's rows get), the catalog's magnitude, and the manifest as a
//! whole (two entries must not describe one series in different units or
//! write one series and source with different priorities). Then the whole
//! import is written in **one** transaction, each batch checked against the
//! stored values of its series (a unit change is refused): a bad file or a
//! refusal anywhere, or a killed process, leaves the database as it was.
//!
//! Memory is bounded by a chunk of files, not by the manifest: the first
//! pass keeps a summary of each file (its checksum, series, date range and
//! universe rows) and drops its bars; the write pass reads the files again,
//! a chunk at a time, refusing one whose checksum changed. Two checks need
//! the bars of several files at once and so run in the write pass, inside
//! the transaction (a refusal still leaves the database as it was): two
//! entries writing different values for one series, source and date, and the
//! coin identity check against the universe snapshots.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use riskcurve_core::{Bar, Calendar, Date, SeriesId, Unit};
use riskcurve_ingest::format::{self, Format, ParseOptions};
use riskcurve_ingest::validate::{check_bars, Values};
use riskcurve_ingest::{Parsed, UniverseEntry};
use riskcurve_store::{SeriesMeta, SeriesWrite, Store, UniverseBatch, UniverseRow, WriteBatch, WriteOutcome, Written};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::coin_identity::SnapshotPrices;
use crate::{bad, bad_input, App, AppError, Context, Progress, Result};

/// Priority of a file source the catalog does not rank.
const DEFAULT_FILE_PRIORITY: i32 = 50;

/// The largest file `import` reads unless told otherwise (`--max-file-size`):
/// far above any real export (the shared data's largest is 4 MB), far below
/// what would exhaust memory.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 << 20;

/// The largest manifest or catalog read: they are short TOML files.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

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
    /// Let manifest entries name files outside the manifest's data directory.
    pub allow_outside: bool,
    /// The largest file read, in bytes; `None`: [`DEFAULT_MAX_FILE_BYTES`].
    pub max_file_bytes: Option<u64>,
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
    /// `m.toml [[import]] #3`, naming the manifest entry in errors.
    entry: Option<String>,
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
    /// The store's batch for these bars.
    fn batch<'a>(&'a self, fetched_at: &'a str) -> WriteBatch<'a> {
        WriteBatch {
            series: &self.meta.id,
            source: &self.source,
            priority: self.priority,
            origin: &self.origin,
            fetched_at,
            checksum: &self.checksum,
            bars: &self.bars,
        }
    }

    /// Writes the series row and the bars in one transaction, after checking
    /// them against the stored values of the series.
    pub fn write(&self, store: &mut Store, fetched_at: &str) -> Result<Written> {
        let id = &self.meta.id;
        let mut written = store
            .write_series(&self.meta, &[self.batch(fetched_at)])
            .context_with(|| format!("{}: series {id}", self.origin))?;
        Ok(written.pop().unwrap_or_default())
    }
}

/// A parsed file, ready to write; between the two passes only its summary
/// is kept (see [`Prepared::summary`]).
struct Prepared {
    display: String,
    checksum: String,
    source: String,
    writes: Vec<Pending>,
    /// Rows and dates of each write, kept when the bars are dropped.
    spans: Vec<Span>,
    universe: Vec<UniverseEntry>,
    skipped: usize,
}

/// How many rows a write has and the dates they span.
#[derive(Clone, Copy)]
struct Span {
    rows: usize,
    first: Option<Date>,
    last: Option<Date>,
}

impl Prepared {
    /// The file without its bars: what the first pass keeps.
    fn summary(mut self) -> Prepared {
        for w in &mut self.writes {
            w.bars = Vec::new();
        }
        self
    }
}

/// Files read again per chunk of the write pass (in parallel): the memory
/// bound is this many parsed files, plus a file some later series still needs.
const WRITE_CHUNK: usize = 64;

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
    /// The write's id (`riskcurve revert --import N` undoes it); `None` when
    /// nothing changed.
    pub write: Option<i64>,
}

/// `import`: one row per series written.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// What each file did.
    pub imports: Vec<ImportRow>,
}

/// Reads and validates every file, then writes the whole import in one
/// transaction.
pub fn import(app: &App, req: &ImportRequest, progress: &dyn Progress) -> Result<ImportReport> {
    let limit = req.max_file_bytes.unwrap_or(DEFAULT_MAX_FILE_BYTES);
    let (jobs, base, manifest) = match &req.manifest {
        Some(path) => {
            let (jobs, base) = read_manifest(path, req.data_dir.as_deref())?;
            (jobs, base, Some(path.display().to_string()))
        }
        None => {
            let Some(file) = &req.file else { return bad("import: name a file or --manifest FILE") };
            (vec![Job { file: file.display().to_string(), ..req.job.clone() }], PathBuf::new(), None)
        }
    };
    let files = expand(&jobs, &base, manifest.as_deref(), req.allow_outside)?;
    let read = |f: &FileJob| {
        let p = prepare(f, app, req.lenient, limit);
        match &f.entry {
            Some(entry) => p.context_with(|| entry.clone()),
            None => p,
        }
    };
    // Pass 1: every file read and checked; only its summary is kept.
    progress.start(files.len() as u64, "reading");
    let prepared: Vec<Prepared> = files
        .par_iter()
        .map(|f| {
            let p = read(f).map(Prepared::summary);
            progress.step(&f.display);
            p
        })
        .collect::<Result<Vec<_>>>()?;
    progress.finish();
    let groups = group_by_series(&prepared, &files)?;

    let fetched_at = app.now.as_str();
    let universe_rows: Vec<Vec<UniverseRow>> =
        prepared.iter().map(|p| p.universe.iter().map(universe_row).collect()).collect();
    let universes: Vec<(usize, UniverseBatch)> = prepared
        .iter()
        .zip(&universe_rows)
        .enumerate()
        .filter(|(_, (_, rows))| !rows.is_empty())
        .map(|(i, (p, rows))| {
            let batch =
                UniverseBatch { source: &p.source, origin: &p.display, fetched_at, checksum: &p.checksum, rows };
            (i, batch)
        })
        .collect();

    // Pass 2: the files again, a chunk at a time, written in one transaction.
    let mut store = app.open_store_for_writing()?;
    // A coin is checked against the snapshots stored and those of this import.
    let prices = SnapshotPrices::read(&store)?.with(prepared.iter().flat_map(|p| &p.universe));
    // The last series group that needs each file: after it the file is dropped.
    let last_use: HashMap<usize, usize> =
        groups.iter().enumerate().flat_map(|(g, group)| group.writes.iter().map(move |&(p, _)| (p, g))).collect();
    let again = |p: usize| -> Result<(usize, Prepared)> {
        let f = &files[p];
        let fresh = read(f)?;
        if fresh.checksum != prepared[p].checksum {
            return bad(format!("{}: changed while it was being imported: nothing imported", f.display));
        }
        Ok((p, fresh))
    };
    progress.start(groups.len() as u64, "writing");
    let outcome = (|| -> Result<(Vec<Vec<Written>>, Vec<WriteOutcome>)> {
        let mut tx = store.begin_import()?;
        let mut loaded: HashMap<usize, Prepared> = HashMap::new();
        let mut written = Vec::with_capacity(groups.len());
        let numbered: Vec<(usize, &SeriesGroup)> = groups.iter().enumerate().collect();
        for chunk in numbered.chunks(WRITE_CHUNK) {
            let mut need: Vec<usize> = chunk.iter().flat_map(|(_, g)| g.writes.iter().map(|&(p, _)| p)).collect();
            need.sort_unstable();
            need.dedup();
            need.retain(|p| !loaded.contains_key(p));
            loaded.extend(need.par_iter().map(|&p| again(p)).collect::<Result<Vec<_>>>()?);
            for &(_, group) in chunk {
                let writes: Vec<(usize, &Pending)> =
                    group.writes.iter().map(|&(p, w)| (p, &loaded[&p].writes[w])).collect();
                check_values(&writes, &files)?;
                for (_, w) in &writes {
                    prices.check(&w.origin, &w.meta, &w.bars)?;
                }
                let batches: Vec<WriteBatch> = writes.iter().map(|(_, w)| w.batch(fetched_at)).collect();
                let origins = || writes.iter().map(|(_, w)| w.origin.as_str()).collect::<Vec<_>>();
                let out = tx
                    .write_series(&SeriesWrite { meta: group.meta, batches: &batches })
                    .map_err(|e| nothing_imported(e, &origins()))?;
                written.push(out);
                progress.step(group.meta.id.as_str());
            }
            let done = chunk.last().map_or(0, |(g, _)| *g);
            loaded.retain(|p, _| last_use[p] > done);
        }
        let mut universes_written = Vec::with_capacity(universes.len());
        for (p, batch) in &universes {
            let out = tx.write_universe(batch).map_err(|e| nothing_imported(e, &[&prepared[*p].display]))?;
            universes_written.push(out);
        }
        tx.commit().map_err(|e| nothing_imported(e, &[]))?;
        Ok((written, universes_written))
    })();
    progress.finish();
    let (written_series, written_universes) = outcome?;

    let mut rows = Vec::new();
    for (g, outs) in groups.iter().zip(&written_series) {
        for (&(p, w), out) in g.writes.iter().zip(outs) {
            let (pending, span) = (&prepared[p].writes[w], prepared[p].spans[w]);
            rows.push(ImportRow {
                file: prepared[p].display.clone(),
                series: pending.meta.id.to_string(),
                source: pending.source.clone(),
                priority: pending.priority,
                rows: span.rows,
                first: span.first,
                last: span.last,
                inserted: out.outcome.inserted as usize,
                updated: out.outcome.updated as usize,
                unchanged: out.outcome.unchanged as usize,
                skipped: prepared[p].skipped,
                write: out.write_id,
            });
        }
    }
    for ((p, batch), out) in universes.iter().zip(&written_universes) {
        rows.push(ImportRow {
            file: prepared[*p].display.clone(),
            series: "(universe)".into(),
            source: prepared[*p].source.clone(),
            priority: 0,
            rows: batch.rows.len(),
            first: batch.rows.first().map(|u| u.date),
            last: batch.rows.last().map(|u| u.date),
            inserted: out.inserted as usize,
            updated: out.updated as usize,
            unchanged: out.unchanged as usize,
            skipped: prepared[*p].skipped,
            write: None,
        });
    }
    // Files in manifest order, as before the writes were grouped by series.
    rows.sort_by_key(|r| prepared.iter().position(|p| p.display == r.file));
    Ok(ImportReport { imports: rows })
}

/// A store refusal during the write pass, naming the files of the series it
/// refused: the transaction is rolled back.
fn nothing_imported(e: riskcurve_store::StoreError, files: &[&str]) -> AppError {
    let context = match e.is_bad_input() {
        true if !files.is_empty() => format!("{}: nothing imported", files.join(", ")),
        _ => "nothing imported".to_string(),
    };
    AppError::Context { context, inner: Box::new(e.into()) }
}

/// The writes of one series, in manifest order: (index of the file, index
/// of the write in it).
struct SeriesGroup<'a> {
    meta: &'a SeriesMeta,
    writes: Vec<(usize, usize)>,
}

/// The manifest entry, or the file, `p` came from.
fn entry_name(files: &[FileJob], p: usize) -> String {
    files[p].entry.clone().unwrap_or_else(|| files[p].display.clone())
}

/// Groups the writes by series, in order of first appearance, and refuses a
/// manifest whose entries contradict each other: two entries describing one
/// series in different units, or writing one series and source with
/// different priorities (and, once the bars are read again, with different
/// values on a date: [`check_values`]).
fn group_by_series<'a>(prepared: &'a [Prepared], files: &[FileJob]) -> Result<Vec<SeriesGroup<'a>>> {
    let name = |p: usize| entry_name(files, p);
    let mut groups: Vec<SeriesGroup> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (p, prep) in prepared.iter().enumerate() {
        for (i, w) in prep.writes.iter().enumerate() {
            let g = *by_id.entry(w.meta.id.as_str()).or_insert_with(|| {
                groups.push(SeriesGroup { meta: &w.meta, writes: Vec::new() });
                groups.len() - 1
            });
            let group = &mut groups[g];
            if group.meta.unit != w.meta.unit {
                let (q, _) = group.writes[0];
                return bad(format!(
                    "{} and {} describe series {} in different units ({} and {}): give both the same --unit",
                    name(q),
                    name(p),
                    w.meta.id,
                    group.meta.unit,
                    w.meta.unit
                ));
            }
            for &(q, j) in &group.writes {
                let other = &prepared[q].writes[j];
                if other.source == w.source && other.priority != w.priority {
                    return bad(format!(
                        "{} and {} both write series {} from source {} with different priorities ({} and {}): give them one priority, or another source name",
                        name(q), name(p), w.meta.id, w.source, other.priority, w.priority
                    ));
                }
            }
            group.writes.push((p, i));
        }
    }
    Ok(groups)
}

/// Refuses two entries that write one series and source with different
/// values on a date (each re-run would flip the row and record another
/// write); `writes` are the bars of one series, in manifest order.
fn check_values(writes: &[(usize, &Pending)], files: &[FileJob]) -> Result<()> {
    for (k, &(p, w)) in writes.iter().enumerate() {
        for &(q, other) in writes[..k].iter().filter(|(_, o)| o.source == w.source) {
            let theirs: HashMap<_, _> = other.bars.iter().map(|b| (b.date, b)).collect();
            if let Some((mine, their)) =
                w.bars.iter().find_map(|b| theirs.get(&b.date).filter(|t| **t != b).map(|t| (b, *t)))
            {
                return bad(format!(
                    "{} and {} both write series {} from source {} with different values on {} (close {} and {}): drop one, or give one another source name",
                    entry_name(files, q), entry_name(files, p), w.meta.id, w.source, mine.date, their.close, mine.close
                ));
            }
        }
    }
    Ok(())
}

/// Reads at most `limit` bytes of a regular file: a device (`/dev/zero`), a
/// pipe or a directory is refused before it is read, and a file larger than
/// the limit is refused without reading the rest.
pub fn read_file_capped(path: &Path, shown: &str, limit: u64, flag: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| bad_input(format!("{shown}: {e}")))?;
    if !meta.is_file() {
        return bad(format!("{shown}: not a regular file (a device, pipe or directory): refused"));
    }
    let file = std::fs::File::open(path).map_err(|e| bad_input(format!("{shown}: {e}")))?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| bad_input(format!("{shown}: {e}")))?;
    if bytes.len() as u64 > limit {
        return bad(format!("{shown}: larger than the limit of {} bytes{flag}", limit));
    }
    Ok(bytes)
}

fn read_manifest(path: &Path, data_dir: Option<&Path>) -> Result<(Vec<Job>, PathBuf)> {
    let shown = path.display().to_string();
    let bytes = read_file_capped(path, &shown, MAX_CONFIG_BYTES, "")?;
    let text = String::from_utf8(bytes).map_err(|_| bad_input(format!("{shown}: not UTF-8 text")))?;
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

/// Refuses a manifest entry's path that leads outside the data directory
/// (`../../etc/shadow`, an absolute path, a symbolic link out), unless the
/// user allowed it.
fn check_inside(path: &Path, base: &Path, entry: &str, allow_outside: bool) -> Result<()> {
    if allow_outside {
        return Ok(());
    }
    let outside = || {
        bad(format!(
            "{entry}: {} is outside the data directory {}: refused (--allow-outside permits it)",
            path.display(),
            base.display()
        ))
    };
    let root = base.canonicalize().map_err(|e| bad_input(format!("{entry}: {}: {e}", base.display())))?;
    // The file may not exist yet (the read says so); its directory must be inside.
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => match path.parent().map(Path::canonicalize) {
            Some(Ok(dir)) => dir,
            _ => return Ok(()),
        },
    };
    if real.starts_with(&root) {
        Ok(())
    } else {
        outside()
    }
}

/// Resolves globs: a `*` in the file name matches any run of characters.
/// Manifest entries (`manifest` is its name) must stay inside `base`.
fn expand<'a>(jobs: &'a [Job], base: &Path, manifest: Option<&str>, allow_outside: bool) -> Result<Vec<FileJob<'a>>> {
    let mut out = Vec::new();
    for (n, job) in jobs.iter().enumerate() {
        let path = base.join(&job.file);
        let entry = manifest.map(|m| format!("{m} [[import]] #{} (file {:?})", n + 1, job.file));
        if let Some(entry) = &entry {
            check_inside(&path, base, entry, allow_outside)?;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some((prefix, suffix)) = name.split_once('*') else {
            out.push(FileJob { job, display: job.file.clone(), series: job.series.clone(), path, entry });
            continue;
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let context = entry.clone().unwrap_or_else(|| dir.display().to_string());
        let entries = std::fs::read_dir(dir).map_err(|e| bad_input(format!("{context}: {}: {e}", dir.display())))?;
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
            return bad(format!("{}: no file matches", entry.as_deref().unwrap_or(&job.file)));
        }
        for (n, star) in matched {
            let display = Path::new(&job.file).with_file_name(&n).display().to_string();
            let series = job.series.as_ref().map(|s| s.replace("{*}", &star));
            let path = dir.join(&n);
            if let Some(entry) = &entry {
                check_inside(&path, base, entry, allow_outside)?;
            }
            out.push(FileJob { job, path, display, series, entry: entry.clone() });
        }
    }
    Ok(out)
}

/// Reads, parses, converts and checks one file; writes nothing.
fn prepare(f: &FileJob, app: &App, lenient: bool, limit: u64) -> Result<Prepared> {
    let (job, catalog) = (f.job, &app.catalog);
    let bytes = read_file_capped(&f.path, &f.display, limit, " (--max-file-size raises it)")?;
    let checksum = format!("{:x}", Sha256::digest(&bytes));
    let format_name = job.format.as_deref().unwrap_or("auto");
    let mut fmt: Format = format_name.parse().map_err(bad_input)?;
    format::check_encoding(&f.display, &bytes)?;
    if fmt == Format::Auto {
        fmt = format::detect(&f.display, &String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]))?;
    }
    let opts = ParseOptions { column: job.column.clone(), lenient: lenient || job.lenient };
    let parsed: Parsed = format::parse(&f.display, &bytes, fmt, &opts)?;
    let source = job.source.clone().unwrap_or_else(|| default_source(fmt).to_string());
    if source.is_empty() || source.trim() != source {
        return bad(format!("{}: source name {source:?} must be non-empty, without surrounding spaces", f.display));
    }
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
        // The checks a live source's rows get: no future or implausible
        // dates, positive prices (rates and spreads may be zero or negative).
        let values = if fmt == Format::Fred || fmt == Format::FredWide { Values::Any } else { Values::Positive };
        check_bars(&ps.bars, app.today, values).map_err(|p| bad_input(format!("{}: series {id}: {p}", f.display)))?;
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
    let spans = writes
        .iter()
        .map(|w| Span {
            rows: w.bars.len(),
            first: w.bars.first().map(|b| b.date),
            last: w.bars.last().map(|b| b.date),
        })
        .collect();
    Ok(Prepared {
        display: f.display.clone(),
        checksum,
        source,
        writes,
        spans,
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
        // Labelled where shown, not converted (catalog::usdt_as_usd).
        Some(u) if crate::catalog::usdt_as_usd(Some(u), &meta.unit) => 1.0,
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
