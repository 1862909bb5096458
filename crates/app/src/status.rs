//! `status`: is it on now? Every rung of the risk curve and every signal
//! with its as-of date, its age and whether it is stale, in one result.
//!
//! Each part is computed on its own: a part that cannot be computed (a
//! series not stored) becomes a warning, never a failure of the whole.
//!
//! ON/OFF rules (the defaults the README documents):
//! - **breakout**: `breakout:rut:min-days=365` (close basis). ON while the
//!   latest breakout is at most [`BREAKOUT_ON_DAYS`] calendar days old at the
//!   last RUT close and has not failed (closed back below the prior high
//!   within 20 sessions).
//! - **liquidity**: ON while net liquidity's 13-week change is positive
//!   (regime `expanding`, NYSE closes, values as published).
//! - **altseason**: ON while the blockchaincenter index (top 50, 90 days)
//!   is at or above 75.

use riskcurve_core::{Calendar, Date, SeriesId};
use riskcurve_signals::altseason::{AltseasonParams, AltseasonState};
use riskcurve_signals::breakout::BreakoutParams;
use riskcurve_signals::cycles::{halving_cycles, HALVINGS};
use riskcurve_signals::rotation::{RotationParams, DEFAULT_RUNGS};
use riskcurve_signals::spec::Regime;
use serde::Serialize;

use crate::breakouts::{breakouts, BreakoutRequest, BreakoutsResult};
use crate::human::{pct_signed, price, usd_millions, usd_millions_signed};
use crate::rotation::{rotation, target_closes, RotationRequest};
use crate::update::{update, UpdateRequest};
use crate::{altseason, claims, liquidity, snapshot, App, Progress, Result};

/// A breakout is ON for this many calendar days after it (the narrative's
/// "crypto follows within 1-3 months").
pub const BREAKOUT_ON_DAYS: i32 = 90;

/// What `status` asks for.
#[derive(Debug, Clone, Default)]
pub struct StatusRequest {
    /// Never try the network: seed an empty database from the snapshot at once.
    pub offline: bool,
    /// Skip the claims (the slowest part).
    pub skip_claims: bool,
}

/// Where the data came from in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataOrigin {
    /// The database already held data.
    Stored,
    /// The database was empty and `update` filled it from the live sources.
    Updated,
    /// The database was empty, the live sources could not be used, and the
    /// embedded snapshot seeded it.
    Snapshot,
}

/// How the data got here, in one line.
#[derive(Debug, Clone, Serialize)]
pub struct DataNote {
    /// Stored, updated or snapshot.
    pub origin: DataOrigin,
    /// What happened, for people.
    pub message: String,
}

/// ON, OFF, or not computable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnOff {
    /// The signal's condition holds.
    On,
    /// It does not.
    Off,
    /// The inputs are missing.
    Unknown,
}

/// One signal's state now.
#[derive(Debug, Clone, Serialize)]
pub struct SignalState {
    /// `breakout`, `liquidity` or `altseason`.
    pub id: String,
    /// The signal spec it stands for (usable with `event-study --signal`).
    pub spec: String,
    /// ON, OFF or unknown.
    pub state: OnOff,
    /// Date of the data it was judged on.
    pub as_of: Option<Date>,
    /// Days from `as_of` to today.
    pub age_days: Option<i32>,
    /// True when its data is older than its calendar allows.
    pub stale: bool,
    /// What the data says, in one line.
    pub summary: String,
}

/// One rung of the risk curve now.
#[derive(Debug, Clone, Serialize)]
pub struct RungStatus {
    /// Rung id (`dgs10`, `spx`, `rut`, `btc`, `eth`, `alts`).
    pub rung: String,
    /// Its place on the curve in words.
    pub name: String,
    /// Date of the last value.
    pub as_of: Option<Date>,
    /// Days from `as_of` to today.
    pub age_days: Option<i32>,
    /// True when older than its calendar (and publication lag) allows, or far
    /// behind the freshest rung.
    pub stale: bool,
    /// Why it is stale.
    pub stale_reason: Option<String>,
    /// The last value (a yield in percent for `dgs10`, else a price).
    pub last: Option<f64>,
    /// Change over the last 30 days: a fraction for prices, percentage points for yields.
    pub change_30d: Option<f64>,
    /// `last` for people: `4.12%` for a yield (catalog class `rate`), `3,017.87` for a price.
    pub last_text: String,
    /// `change_30d` for people: `+12bp` for a yield, `+4.1%` for a price.
    pub change_30d_text: String,
    /// Distance below the all-time high (fraction; prices only).
    pub from_high: Option<f64>,
    /// The source of the last value (`snapshot` when seeded from it).
    pub source: Option<String>,
}

/// Net liquidity now.
#[derive(Debug, Clone, Serialize)]
pub struct LiquidityNow {
    /// The NYSE close the row is for.
    pub as_of: Date,
    /// Net liquidity, USD millions.
    pub net_liquidity: f64,
    /// Its 13-week change, USD millions.
    pub change_13w: Option<f64>,
    /// expanding or contracting.
    pub regime: Option<Regime>,
}

/// The altseason index now.
#[derive(Debug, Clone, Serialize)]
pub struct AltseasonNow {
    /// Its date.
    pub as_of: Date,
    /// 0-100.
    pub index: f64,
    /// Coins behind it.
    pub n_coins: usize,
    /// altseason, neutral or bitcoin season.
    pub state: AltseasonState,
}

/// The rotation now.
#[derive(Debug, Clone, Serialize)]
pub struct RotationNow {
    /// The week's date.
    pub as_of: Date,
    /// Furthest rung leading or improving (0 = none).
    pub stage: usize,
    /// The stage in words.
    pub stage_name: String,
    /// Each pair's quadrant: (rung, vs, quadrant).
    pub quadrants: Vec<(String, String, String)>,
}

/// Where the halving cycle is.
#[derive(Debug, Clone, Serialize)]
pub struct HalvingNow {
    /// The latest halving.
    pub halving: Date,
    /// Days since it, to today.
    pub days_since: i32,
    /// BTC's multiple since the halving, at the last BTC close.
    pub btc_multiple: Option<f64>,
    /// The last BTC close's date.
    pub as_of: Option<Date>,
}

/// Claims by verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClaimCounts {
    /// Supported.
    pub supported: usize,
    /// Contradicted.
    pub contradicted: usize,
    /// Inconclusive.
    pub inconclusive: usize,
    /// No data.
    pub no_data: usize,
}

/// `status`: the whole picture now.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The date ages are counted to.
    pub today: Date,
    /// Where the data came from in this run.
    pub data: DataNote,
    /// Every signal's ON/OFF state.
    pub signals: Vec<SignalState>,
    /// Every rung of the curve.
    pub rungs: Vec<RungStatus>,
    /// Net liquidity.
    pub liquidity: Option<LiquidityNow>,
    /// Altcoin season.
    pub altseason: Option<AltseasonNow>,
    /// Rotation stage and quadrants.
    pub rotation: Option<RotationNow>,
    /// Halving cycle.
    pub halving: Option<HalvingNow>,
    /// Claims verdict counts.
    pub claims: Option<ClaimCounts>,
    /// What could not be computed, and stale inputs.
    pub warnings: Vec<String>,
}

impl Status {
    /// The context under the signals, one line each for people: rotation,
    /// altcoin season, halving cycle and claims (`claims_hint` says where the
    /// claims are listed). Every front end prints these same lines.
    pub fn readings(&self, claims_hint: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(rot) = &self.rotation {
            let pairs: Vec<String> = rot.quadrants.iter().map(|(a, b, q)| format!("{a}/{b} {q}")).collect();
            lines.push(format!(
                "rotation (week of {}): stage {} \"{}\"; {}",
                rot.as_of,
                rot.stage,
                rot.stage_name,
                pairs.join(", ")
            ));
        }
        if let Some(a) = &self.altseason {
            let state = crate::human::label(&a.state);
            lines.push(format!("altcoin season: index {:.0} ({state}) on {}, {} coins", a.index, a.as_of, a.n_coins));
        }
        if let Some(h) = &self.halving {
            let m = h.btc_multiple.map(|m| format!(", BTC {} since the halving close", crate::human::multiple(m)));
            let at = h.as_of.map(|d| format!(" (as of {d})")).unwrap_or_default();
            lines.push(format!(
                "halving cycle: day {} since the {} halving{}{at}",
                h.days_since,
                h.halving,
                m.unwrap_or_default()
            ));
        }
        if let Some(c) = &self.claims {
            lines.push(format!(
                "claims: {} supported, {} contradicted, {} inconclusive, {} no data ({claims_hint})",
                c.supported, c.contradicted, c.inconclusive, c.no_data
            ));
        }
        lines
    }

    /// The state of one signal (`breakout`, `liquidity`, `altseason`).
    pub fn state(&self, id: &str) -> OnOff {
        self.signals.iter().find(|s| s.id == id).map_or(OnOff::Unknown, |s| s.state)
    }
}

/// Makes sure the database holds data: an empty one is filled from the live
/// sources, or, when they cannot be reached (or `offline`), from the
/// embedded snapshot.
pub fn ensure_data(app: &App, offline: bool, progress: &dyn Progress) -> Result<DataNote> {
    if app.db.exists() && !app.open_store()?.is_empty()? {
        return Ok(DataNote { origin: DataOrigin::Stored, message: format!("database {}", app.db.display()) });
    }
    let mut why = "offline mode".to_string();
    if !offline {
        // A first fetch should answer quickly or give way to the snapshot.
        let req = UpdateRequest { timeout: 10, retries: 1, ..UpdateRequest::default() };
        match update(app, &req, progress) {
            Ok(r) if r.failed.is_empty() => {
                return Ok(DataNote {
                    origin: DataOrigin::Updated,
                    message: format!("fetched {} series from the live sources", r.updated.len()),
                })
            }
            Ok(r) if r.updated.iter().any(|u| u.rows > 0) => {
                why = format!("{} of {} series could not be fetched", r.failed.len(), r.failed.len() + r.updated.len());
            }
            Ok(r) if r.failed.iter().all(|f| f.offline) => {
                why = format!("network unreachable ({})", r.unreachable_hosts.join(", "));
            }
            Ok(r) => {
                let first = r.failed.first().and_then(|f| f.errors.first()).cloned().unwrap_or_default();
                let first: String = first.chars().take(160).collect();
                why = format!("live sources failed ({first})");
            }
            Err(e) => why = format!("update failed ({})", e.one_line()),
        }
    }
    let mut store = app.open_store_for_writing()?;
    let snap = snapshot::seed(app, &mut store)?;
    let last = snap.series.iter().filter_map(|s| s.last).max();
    Ok(DataNote {
        origin: DataOrigin::Snapshot,
        message: format!(
            "{why}: seeded {} series from the embedded snapshot (data to {}); its rows are stored under source `snapshot`",
            snap.series.len(),
            last.map(|d| d.to_string()).unwrap_or_default()
        ),
    })
}

/// Builds the status: seeds an empty database first (see [`ensure_data`]).
pub fn status(app: &App, req: &StatusRequest, progress: &dyn Progress) -> Result<Status> {
    let data = ensure_data(app, req.offline, progress)?;
    Ok(current(app, req, data))
}

/// The status of what is stored now, without seeding or fetching anything
/// (a dashboard's view while another process writes).
pub fn current(app: &App, req: &StatusRequest, data: DataNote) -> Status {
    let mut warnings = Vec::new();
    let rungs = rungs(app, &mut warnings);
    let mut signals = vec![breakout_signal(app, &mut warnings)];
    let liquidity = liquidity_now(app, &mut warnings);
    signals.push(match &liquidity {
        Some(l) => {
            let on = l.regime == Some(Regime::Expanding);
            let change = l.change_13w.map(usd_millions_signed).unwrap_or_else(|| "n/a".into());
            signal(
                app,
                "liquidity",
                "liquidity:expanding",
                on,
                Some(l.as_of),
                Calendar::Nyse,
                format!(
                    "net liquidity {} on {}, 13-week change {change}: {}",
                    usd_millions(l.net_liquidity),
                    l.as_of,
                    l.regime.map(|r| r.to_string()).unwrap_or_else(|| "no regime yet".into())
                ),
            )
        }
        None => unknown("liquidity", "liquidity:expanding", "needs walcl, wtregen and rrpontsyd"),
    });
    let altseason = altseason_now(app, &mut warnings);
    signals.push(match &altseason {
        Some(a) => signal(
            app,
            "altseason",
            "altseason:blockchaincenter>=75",
            a.index >= 75.0,
            Some(a.as_of),
            Calendar::Crypto,
            format!("altseason index {:.0} of 100 on {} ({} coins)", a.index, a.as_of, a.n_coins),
        ),
        None => unknown("altseason", "altseason:blockchaincenter>=75", "needs btc and stored altcoins"),
    });
    let rotation = rotation_now(app, &mut warnings);
    let halving = halving_now(app);
    let claims = if req.skip_claims { None } else { claim_counts(app, &mut warnings) };
    let newest = rungs.iter().filter_map(|r| r.as_of).max();
    if !rungs.is_empty() && rungs.iter().all(|r| r.stale) {
        let newest = newest.map(|d| format!("{d}, {} days ago", app.today.days_since(d))).unwrap_or_default();
        warnings.push(format!("every input is stale (newest {newest}): `riskcurve update` fetches fresh data"));
    } else {
        for r in rungs.iter().filter(|r| r.stale) {
            warnings.push(format!("{}: {}", r.rung, r.stale_reason.clone().unwrap_or_default()));
        }
    }
    Status { today: app.today, data, signals, rungs, liquidity, altseason, rotation, halving, claims, warnings }
}

/// Days a value may be old before it is stale: a long weekend for daily
/// markets, a missed release for weekly and monthly data.
fn allowed_age(calendar: Calendar) -> i32 {
    match calendar {
        Calendar::Crypto => 2,
        Calendar::Nyse | Calendar::Business => 4,
        Calendar::Weekly => 10,
        Calendar::Monthly => 45,
    }
}

fn signal(
    app: &App,
    id: &str,
    spec: &str,
    on: bool,
    as_of: Option<Date>,
    calendar: Calendar,
    summary: String,
) -> SignalState {
    let age = as_of.map(|d| app.today.days_since(d));
    SignalState {
        id: id.into(),
        spec: spec.into(),
        state: if on { OnOff::On } else { OnOff::Off },
        as_of,
        age_days: age,
        stale: age.is_some_and(|a| a > allowed_age(calendar)),
        summary,
    }
}

fn unknown(id: &str, spec: &str, why: &str) -> SignalState {
    SignalState {
        id: id.into(),
        spec: spec.into(),
        state: OnOff::Unknown,
        as_of: None,
        age_days: None,
        stale: false,
        summary: why.into(),
    }
}

fn breakout_signal(app: &App, warnings: &mut Vec<String>) -> SignalState {
    let spec = "breakout:rut:min-days=365";
    let req = BreakoutRequest {
        series: "rut".into(),
        params: BreakoutParams::default(),
        level: None,
        trend_window: 200,
        from: None,
        to: None,
    };
    let b = match breakouts(app, &req) {
        Ok(BreakoutsResult::Breakouts(b)) => b,
        Ok(BreakoutsResult::Level(_)) => unreachable!("no level was asked for"),
        Err(e) => {
            warnings.push(format!("breakout: {}", e.one_line()));
            return unknown("breakout", spec, "needs rut");
        }
    };
    let s = &b.report.status;
    let last = b.report.events.last();
    let on = last.is_some_and(|e| !e.failed && s.last_date.days_since(e.date) <= BREAKOUT_ON_DAYS);
    let last_text = match last {
        None => "no breakout in the data".to_string(),
        Some(e) if e.failed => {
            format!("last breakout {} failed {}", e.date, e.failed_date.map(|d| d.to_string()).unwrap_or_default())
        }
        Some(e) if e.complete => format!("last breakout {} held", e.date),
        Some(e) => format!("last breakout {} pending (20 sessions not over)", e.date),
    };
    let summary = format!(
        "Russell 2000 {} on {}, {} from its all-time high {} ({}); {last_text}",
        price(s.last_close),
        s.last_date,
        pct_signed(s.distance_pct / 100.0, 1),
        price(s.all_time_high),
        s.all_time_high_date
    );
    signal(app, "breakout", spec, on, Some(s.last_date), Calendar::Nyse, summary)
}

fn liquidity_now(app: &App, warnings: &mut Vec<String>) -> Option<LiquidityNow> {
    let req = liquidity::LiquidityRequest {
        calendar: Calendar::Nyse,
        from: Some(app.today.add_days(-400)),
        to: None,
        dead_band: 0.0,
    };
    // The last 400 days are enough for the 26-week change; older rows are not needed.
    let r = match liquidity::liquidity(app, &req) {
        Ok(r) => r,
        Err(e) => {
            warnings.push(format!("liquidity: {}", e.one_line()));
            return None;
        }
    };
    let row = r.observations.last()?;
    Some(LiquidityNow {
        as_of: row.date,
        net_liquidity: row.net_liquidity,
        change_13w: row.change_13w,
        regime: row.regime,
    })
}

fn altseason_now(app: &App, warnings: &mut Vec<String>) -> Option<AltseasonNow> {
    match altseason::altseason_index(app, &AltseasonParams::default(), None, None) {
        Ok(r) => r.current.map(|c| AltseasonNow { as_of: c.date, index: c.index, n_coins: c.n_coins, state: c.state }),
        Err(e) => {
            warnings.push(format!("altseason: {}", e.one_line()));
            None
        }
    }
}

fn rotation_now(app: &App, warnings: &mut Vec<String>) -> Option<RotationNow> {
    let req = RotationRequest {
        rungs: DEFAULT_RUNGS.iter().map(|(n, _)| n.to_string()).collect(),
        params: RotationParams::default(),
        from: None,
        to: None,
    };
    match rotation(app, &req) {
        Ok(r) => r.current.map(|c| RotationNow {
            as_of: c.date,
            stage: c.stage,
            stage_name: c.stage_name,
            quadrants: c
                .rungs
                .iter()
                .map(|q| (q.rung.clone(), q.vs.clone(), crate::human::label(&q.quadrant)))
                .collect(),
        }),
        Err(e) => {
            warnings.push(format!("rotation: {}", e.one_line()));
            None
        }
    }
}

fn halving_now(app: &App) -> Option<HalvingNow> {
    let halving = *HALVINGS.iter().rev().find(|h| **h <= app.today)?;
    let btc = app.open_store().ok().and_then(|s| crate::load::closes(&s, "btc").ok());
    let cycle = btc.as_ref().and_then(|c| halving_cycles(c, None, app.today).ok()).and_then(|r| {
        let last = r.cycles.into_iter().find(|c| c.halving == halving)?;
        Some(last)
    });
    Some(HalvingNow {
        halving,
        days_since: app.today.days_since(halving),
        btc_multiple: cycle.as_ref().map(|c| c.multiple),
        as_of: cycle.map(|c| c.exit_date),
    })
}

fn claim_counts(app: &App, warnings: &mut Vec<String>) -> Option<ClaimCounts> {
    let req = claims::ClaimsRequest { placebos: 2_000, ..claims::ClaimsRequest::default() };
    let report = match claims::claims(app, &req) {
        Ok(r) => r,
        Err(e) => {
            warnings.push(format!("claims: {}", e.one_line()));
            return None;
        }
    };
    let mut c = ClaimCounts::default();
    for r in &report.claims {
        match r.main.verdict {
            claims::Verdict::Supported => c.supported += 1,
            claims::Verdict::Contradicted => c.contradicted += 1,
            claims::Verdict::Inconclusive => c.inconclusive += 1,
            claims::Verdict::NoData => c.no_data += 1,
        }
    }
    Some(c)
}

/// The rungs of the curve: Treasuries (10-year yield), large caps, small
/// caps, Bitcoin, Ethereum, the alt basket.
fn rungs(app: &App, warnings: &mut Vec<String>) -> Vec<RungStatus> {
    const RUNGS: [(&str, &str); 6] = [
        ("dgs10", "Treasuries (10-year yield)"),
        ("spx", "large caps (S&P 500)"),
        ("rut", "small caps (Russell 2000)"),
        ("btc", "Bitcoin"),
        ("eth", "Ethereum"),
        ("alts", "altcoins (equal-weight basket)"),
    ];
    let Ok(store) = app.open_store() else { return Vec::new() };
    let mut out: Vec<(RungStatus, Calendar, i32)> = Vec::new();
    for (id, name) in RUNGS {
        let closes = match target_closes(app, &store, id) {
            Ok(c) => c,
            Err(e) => {
                warnings.push(format!("{id}: {}", e.one_line()));
                continue;
            }
        };
        let sid = id.parse::<SeriesId>().ok();
        let meta = sid.as_ref().and_then(|sid| store.series_meta(sid).ok().flatten());
        let calendar = meta.as_ref().map_or(Calendar::Crypto, |m| m.calendar);
        let lag = sid.as_ref().and_then(|sid| app.catalog.get(sid)?.release).map_or(0, |r| r.lag_days);
        let source = sid
            .as_ref()
            .and_then(|sid| store.bars(sid, closes.last_date(), None).ok())
            .and_then(|b| b.last().map(|b| b.source.clone()))
            .or_else(|| (id == "alts").then(|| "basket".to_string()));
        let (Some(as_of), Some(last)) = (closes.last_date(), closes.values().last().copied()) else { continue };
        let before = closes.index_on_or_before(as_of.add_days(-30)).map(|i| closes.values()[i]);
        let is_rate = crate::leadlag::is_rate(app, &store, id).unwrap_or(false);
        let change_30d = before.map(|b| if is_rate { last - b } else { last / b - 1.0 });
        let (last_text, change_30d_text) = if is_rate {
            (format!("{last:.2}%"), change_30d.map(|c| format!("{:+.0}bp", 100.0 * c)).unwrap_or_default())
        } else {
            (price(last), change_30d.map(|c| pct_signed(c, 1)).unwrap_or_default())
        };
        let high = closes.values().iter().copied().fold(f64::MIN, f64::max);
        out.push((
            RungStatus {
                rung: id.into(),
                name: name.into(),
                as_of: Some(as_of),
                age_days: Some(app.today.days_since(as_of)),
                stale: false,
                stale_reason: None,
                last: Some(last),
                change_30d,
                last_text,
                change_30d_text,
                from_high: (!is_rate).then(|| last / high - 1.0),
                source,
            },
            calendar,
            lag,
        ));
    }
    // Stale against today (less the publication lag) and against the freshest rung.
    let freshest = out.iter().filter_map(|(r, _, _)| r.as_of).max();
    out.into_iter()
        .map(|(mut r, calendar, lag)| {
            let age = r.age_days.unwrap_or_default();
            let allowed = allowed_age(calendar) + lag;
            let behind = freshest.zip(r.as_of).map(|(f, a)| f.days_since(a)).unwrap_or_default();
            if age > allowed {
                r.stale = true;
                r.stale_reason = Some(format!("last value {} is {age} days old (allowed {allowed})", cell(r.as_of)));
            } else if behind > allowed {
                r.stale = true;
                r.stale_reason = Some(format!("{behind} days behind the freshest input ({})", cell(freshest)));
            }
            r
        })
        .collect()
}

fn cell(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}
