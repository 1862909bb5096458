use riskcurve_core::{Bar, Date};

/// What one file (or one fetch) yielded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// One entry for single-series files; one per symbol for long tables.
    pub series: Vec<ParsedSeries>,
    /// Point-in-time universe membership (CoinMarketCap monthly snapshots,
    /// ticker lists); empty for price files.
    pub universe: Vec<UniverseEntry>,
    /// Rows skipped under `--lenient`, with the reason.
    pub skipped: Vec<Skipped>,
}

/// The bars of one series, in strictly increasing date order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSeries {
    /// Lowercase symbol for multi-symbol files (`"btc"`, `"link"`); `None`
    /// when the file holds one series and the caller names it.
    pub symbol: Option<String>,
    /// Validated bars: sorted, unique dates, finite values (prices positive; FRED values may be zero or negative).
    pub bars: Vec<Bar>,
    /// Market capitalisation in USD per date, where the file gives it.
    pub market_caps: Vec<(Date, f64)>,
}

/// One coin's place in a point-in-time top-N list.
#[derive(Debug, Clone, PartialEq)]
pub struct UniverseEntry {
    /// Snapshot date (the day the ranking was taken).
    pub date: Date,
    /// 1-based market-cap rank.
    pub rank: u32,
    /// Lowercase symbol (`"btc"`).
    pub symbol: String,
    /// Display name, where given.
    pub name: Option<String>,
    /// Market cap in USD, where given.
    pub market_cap: Option<f64>,
    /// Price in USD, where given.
    pub price: Option<f64>,
}

/// A row left out under `--lenient`.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// 1-based line number in the file.
    pub line: usize,
    /// What was wrong with it.
    pub problem: String,
}
