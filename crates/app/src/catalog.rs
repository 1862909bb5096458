//! The catalog: which series riskcurve knows, in which unit they are stored,
//! when their values become public and where to fetch them.
//!
//! The default ships in the repository (`catalog/default.toml`, compiled in);
//! a user catalog read after it replaces entries with the same id and adds
//! new ones.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{bad, bad_input, Result};
use riskcurve_core::{Calendar, Release, SeriesId, Unit};
use riskcurve_ingest::provider::SourceKind;
use riskcurve_store::SeriesMeta;
use serde::{Deserialize, Serialize};

const DEFAULT_CATALOG: &str = include_str!("../../../catalog/default.toml");

/// One series the catalog knows.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Series id.
    pub id: SeriesId,
    /// Name.
    pub name: String,
    /// Asset class (`equity-index`, `crypto`, `liquidity`, `rate`, ...).
    pub class: String,
    /// Trading or publication calendar.
    pub calendar: Calendar,
    /// The unit the series is stored in.
    pub unit: Unit,
    /// When the value for a reference date becomes public.
    pub release: Option<Release>,
    /// Inclusive range the median of an import must fall in (series unit).
    pub expect_median: Option<(f64, f64)>,
    /// Dividend- and split-adjusted prices: every source must deliver them
    /// (Yahoo's `adjclose`), and `update` asks for them.
    pub adjusted: bool,
    /// Live sources, preferred first.
    pub sources: Vec<SourceSpec>,
}

/// A live source of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    /// Provider name: yahoo, fred, binance, coingecko, coinmetrics.
    pub kind: String,
    /// The provider's symbol for the series.
    pub symbol: String,
    /// The unit the provider delivers; `None` = the series unit.
    pub unit: Option<Unit>,
}

/// The merged catalog.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<SeriesId, Entry>,
    /// flag name (stablecoin, wrapped, asset_backed) -> symbols.
    flags: BTreeMap<String, BTreeSet<String>>,
    /// Version of the flag lists (recorded with every altseason result).
    pub flags_version: String,
    /// Source names whose prices are in Tether (`[quotes] usdt`).
    usdt_sources: BTreeSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    catalog_version: Option<u32>,
    #[serde(default)]
    flags: Option<RawFlags>,
    #[serde(default)]
    quotes: Option<RawQuotes>,
    #[serde(default)]
    series: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuotes {
    #[serde(default)]
    usdt: Vec<String>,
}

// No deny_unknown_fields: serde cannot combine it with `flatten`, and any
// list name is a flag.
#[derive(Deserialize)]
struct RawFlags {
    version: Option<String>,
    #[serde(flatten)]
    lists: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    name: String,
    class: String,
    calendar: String,
    unit: String,
    release: Option<String>,
    expect_median: Option<[f64; 2]>,
    #[serde(default)]
    adjusted: bool,
    #[serde(default)]
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    kind: String,
    symbol: String,
    unit: Option<String>,
}

impl Catalog {
    /// The compiled-in default, then `user` (a file) when given.
    pub fn load(user: Option<&Path>) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        catalog.merge(DEFAULT_CATALOG, "default catalog")?;
        if let Some(path) = user {
            let shown = format!("{}: catalog", path.display());
            let bytes = crate::import::read_file_capped(path, &shown, crate::import::MAX_CONFIG_BYTES, "")?;
            let text = String::from_utf8(bytes).map_err(|_| bad_input(format!("{shown}: not UTF-8 text")))?;
            catalog.merge(&text, &path.display().to_string())?;
        }
        Ok(catalog)
    }

    /// Adds the entries and flags of one TOML document; `origin` names it in errors.
    pub fn merge(&mut self, text: &str, origin: &str) -> Result<()> {
        let raw: RawCatalog =
            toml::from_str(text).map_err(|e| bad_input(format!("{origin}: {}", one_line(&e.to_string()))))?;
        if let Some(v) = raw.catalog_version {
            if v != 1 {
                return bad(format!("{origin}: catalog_version {v} is not supported (expected 1)"));
            }
        }
        if let Some(flags) = raw.flags {
            if let Some(v) = flags.version {
                self.flags_version = v;
            }
            for (flag, symbols) in flags.lists {
                self.flags.entry(flag).or_default().extend(symbols.into_iter().map(|s| s.to_ascii_lowercase()));
            }
        }
        if let Some(q) = raw.quotes {
            self.usdt_sources.extend(q.usdt);
        }
        for e in raw.series {
            let entry = parse_entry(e).map_err(|err| bad_input(format!("{origin}: {err}")))?;
            self.entries.insert(entry.id.clone(), entry);
        }
        Ok(())
    }

    /// The entry of a series, if the catalog knows it.
    pub fn get(&self, id: &SeriesId) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Every entry, by id.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The store's description of a catalog series.
    pub fn meta(&self, id: &SeriesId) -> Option<SeriesMeta> {
        let e = self.get(id)?;
        Some(SeriesMeta {
            id: id.clone(),
            name: e.name.clone(),
            asset_class: e.class.clone(),
            calendar: e.calendar,
            unit: e.unit.clone(),
            flags: self.flags_of(id.as_str()),
        })
    }

    /// Priority of a live source of `id`: by its place in the catalog list,
    /// first = 100, then 90, 80, ...
    pub fn source_priority(&self, id: &SeriesId, kind: &str) -> Option<i32> {
        let i = self.get(id)?.sources.iter().position(|s| s.kind == kind)?;
        Some(100 - 10 * i as i32)
    }

    /// The unit a source delivers `id` in, when the catalog states it.
    pub fn source_unit(&self, id: &SeriesId, kind: &str) -> Option<Unit> {
        self.get(id)?.sources.iter().find(|s| s.kind == kind)?.unit.clone()
    }

    /// `Some("USDT")` when rows of `source` are a USDT-quoted proxy stored
    /// in the series `id` of unit `unit` ([`usdt_as_usd`]): the catalog says
    /// the source delivers `id` in USDT, or lists it under `[quotes] usdt`
    /// (file sources such as CryptoDataDownload's Binance exports). The
    /// label shown beside its rows.
    pub fn quote_label(&self, id: &SeriesId, source: &str, unit: &Unit) -> Option<&'static str> {
        let usdt = self.usdt_sources.contains(source) || self.source_unit(id, source) == Some(Unit::Usdt);
        (usdt && *unit == Unit::Usd).then_some("USDT")
    }

    /// Every symbol with an exclusion flag (stablecoin, wrapped, asset-backed).
    pub fn flagged_symbols(&self) -> BTreeSet<String> {
        self.flags.values().flatten().cloned().collect()
    }

    /// The exclusion flags of a symbol (`stablecoin`, `wrapped`, `asset_backed`), sorted.
    pub fn flags_of(&self, symbol: &str) -> Vec<String> {
        let symbol = symbol.to_ascii_lowercase();
        self.flags.iter().filter(|(_, set)| set.contains(&symbol)).map(|(f, _)| f.clone()).collect()
    }
}

/// True for a USDT-quoted source of a USD series (Binance pairs): its values
/// are stored 1:1 as dollars and labelled `USDT` wherever its rows are shown
/// (issue 10 item 10), never converted silently. There is no stored USDT/USD
/// rate to convert with; Tether has mostly traded within 1% of a dollar, but
/// not always (about 0.95 in May 2022).
pub fn usdt_as_usd(source: Option<&Unit>, series: &Unit) -> bool {
    source == Some(&Unit::Usdt) && *series == Unit::Usd
}

/// A source as tables print it: `binance (USDT)` for a labelled USDT proxy.
pub fn source_label(source: &str, quote: Option<&str>) -> String {
    match quote {
        Some(q) => format!("{source} ({q})"),
        None => source.to_string(),
    }
}

/// The catalog as `riskcurve catalog` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogView {
    /// Version of the stablecoin/wrapped/asset-backed flag lists.
    pub flags_version: String,
    /// Every known series, by id.
    pub series: Vec<CatalogItem>,
}

/// One catalog series.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogItem {
    /// Series id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Asset class.
    pub class: String,
    /// Calendar.
    pub calendar: String,
    /// Stored unit.
    pub unit: String,
    /// When a value becomes public (`+1d 16:30 ET`); none = at the bar's close.
    pub release: Option<String>,
    /// Flags of the symbol.
    pub flags: Vec<String>,
    /// Dividend- and split-adjusted prices.
    pub adjusted: bool,
    /// Live sources, preferred first.
    pub sources: Vec<CatalogSource>,
}

/// A live source of a catalog series.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogSource {
    /// Provider.
    pub kind: String,
    /// The provider's symbol.
    pub symbol: String,
    /// The unit it delivers, when not the series unit.
    pub unit: Option<String>,
}

impl Catalog {
    /// The catalog as a result (`riskcurve catalog`).
    pub fn view(&self) -> CatalogView {
        let series = self
            .entries()
            .map(|e| CatalogItem {
                id: e.id.to_string(),
                name: e.name.clone(),
                class: e.class.clone(),
                calendar: e.calendar.to_string(),
                unit: e.unit.to_string(),
                release: e.release.map(|r| r.to_string()),
                flags: self.flags_of(e.id.as_str()),
                adjusted: e.adjusted,
                sources: e
                    .sources
                    .iter()
                    .map(|s| CatalogSource {
                        kind: s.kind.clone(),
                        symbol: s.symbol.clone(),
                        unit: s.unit.as_ref().map(|u| u.to_string()),
                    })
                    .collect(),
            })
            .collect();
        CatalogView { flags_version: self.flags_version.clone(), series }
    }
}

fn parse_entry(e: RawEntry) -> Result<Entry, String> {
    let id: SeriesId = e.id.parse().map_err(|err| format!("{err}"))?;
    let ctx = |what: &str, err: &dyn std::fmt::Display| format!("series {id}: {what}: {err}");
    let calendar: Calendar = e.calendar.parse().map_err(|err| ctx("calendar", &err))?;
    let series_unit: Unit = e.unit.parse().map_err(|err| ctx("unit", &err))?;
    let release = e.release.map(|r| r.parse::<Release>()).transpose().map_err(|err| ctx("release", &err))?;
    let expect_median = match e.expect_median {
        Some([lo, hi]) if lo <= hi => Some((lo, hi)),
        Some([lo, hi]) => return Err(ctx("expect_median", &format!("low {lo} is above high {hi}"))),
        None => None,
    };
    let mut sources = Vec::new();
    for s in e.sources {
        let unit = s.unit.map(|u| u.parse::<Unit>()).transpose().map_err(|err| ctx("source unit", &err))?;
        if let Some(u) = &unit {
            if u.factor_to(&series_unit).is_none() && !usdt_as_usd(Some(u), &series_unit) {
                return Err(ctx("source unit", &format!("{u} cannot be converted to {series_unit}")));
            }
        }
        let kind = s.kind.to_ascii_lowercase();
        if e.adjusted && !kind.parse::<SourceKind>().is_ok_and(SourceKind::has_adjusted_close) {
            return Err(ctx("adjusted", &format!("source {kind} has no dividend-adjusted prices (only yahoo has)")));
        }
        sources.push(SourceSpec { kind, symbol: s.symbol, unit });
    }
    Ok(Entry {
        id,
        name: e.name,
        class: e.class,
        calendar,
        unit: series_unit,
        release,
        expect_median,
        adjusted: e.adjusted,
        sources,
    })
}

/// TOML errors span several lines; the CLI prints one.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_catalog_has_the_universe_the_thesis_needs() {
        let c = Catalog::load(None).unwrap();
        let ids = [
            "rut",
            "iwm",
            "spx",
            "ixic",
            "spy",
            "qqq",
            "btc",
            "eth",
            "bnb",
            "xrp",
            "ada",
            "sol",
            "doge",
            "ltc",
            "link",
            "dot",
            "avax",
            "trx",
            "xlm",
            "etc",
            "atom",
            "bch",
            "uni",
            "shib",
            "walcl",
            "wtregen",
            "rrpontsyd",
            "wresbal",
            "m2sl",
            "dff",
            "dgs10",
            "nfci",
        ];
        for id in ids {
            let e = c.get(&id.parse().unwrap()).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!e.sources.is_empty(), "{id} has no live source");
        }
        for liquidity in ["walcl", "wtregen", "rrpontsyd", "wresbal", "m2sl"] {
            assert_eq!(c.get(&liquidity.parse().unwrap()).unwrap().unit, Unit::UsdMillions, "{liquidity}");
        }
        let rrp = c.get(&"rrpontsyd".parse().unwrap()).unwrap();
        assert_eq!(rrp.sources[0].unit, Some(Unit::UsdBillions));
        assert_eq!(c.flags_of("USDT"), vec!["stablecoin".to_string()]);
        assert_eq!(c.flags_of("paxg"), vec!["asset_backed".to_string()]);
        assert!(c.flags_of("sol").is_empty());
        for etf in ["iwm", "spy", "qqq"] {
            assert!(c.get(&etf.parse().unwrap()).unwrap().adjusted, "{etf} is catalogued as adjusted");
        }
        assert!(!c.get(&"rut".parse().unwrap()).unwrap().adjusted);
        let btc: SeriesId = "btc".parse().unwrap();
        for (source, unit, label) in [
            ("binance", Unit::Usd, Some("USDT")),
            ("cryptodatadownload", Unit::Usd, Some("USDT")),
            ("yahoo", Unit::Usd, None),
            ("binance", Unit::Usdt, None),
        ] {
            assert_eq!(c.quote_label(&btc, source, &unit), label, "{source} in {unit}");
        }
    }

    #[test]
    fn user_catalog_replaces_and_adds() {
        let mut c = Catalog::load(None).unwrap();
        c.merge(
            r#"
            [flags]
            stablecoin = ["newusd"]
            [[series]]
            id = "rut"
            name = "Russell 2000 (mine)"
            class = "equity-index"
            calendar = "nyse"
            unit = "index points"
            sources = [{ kind = "yahoo", symbol = "^RUT" }]
            [[series]]
            id = "hyg"
            name = "High yield ETF"
            class = "equity-etf"
            calendar = "nyse"
            unit = "USD"
            "#,
            "user.toml",
        )
        .unwrap();
        assert_eq!(c.get(&"rut".parse().unwrap()).unwrap().name, "Russell 2000 (mine)");
        assert!(c.get(&"hyg".parse().unwrap()).is_some());
        assert_eq!(c.flags_of("newusd"), vec!["stablecoin".to_string()]);
        assert_eq!(c.flags_of("usdt"), vec!["stablecoin".to_string()], "default flags are kept");
    }

    #[test]
    fn bad_catalog_entries_name_the_problem() {
        let mut c = Catalog::default();
        let err = c
            .merge("[[series]]\nid='x'\nname='x'\nclass='x'\ncalendar='lunar'\nunit='USD'\n", "user.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("user.toml: series x: calendar: unknown calendar"), "{err}");
        let adjusted_binance = "[[series]]\nid='x'\nname='x'\nclass='crypto'\ncalendar='crypto'\nunit='USD'\nadjusted=true\nsources=[{kind='binance',symbol='XUSDT'}]\n";
        let err = c.merge(adjusted_binance, "user.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "user.toml: series x: adjusted: source binance has no dividend-adjusted prices (only yahoo has)"
        );
        let err = c.merge("[[series]]\nid='x'\n", "user.toml").unwrap_err().to_string();
        assert!(err.contains("user.toml") && err.contains("missing field"), "{err}");
        assert!(!err.contains('\n'));
    }
}
