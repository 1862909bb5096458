//! The `riskcurve` binary: parses arguments, builds a request, calls the
//! application layer (`riskcurve-app`) and prints its result. Exit status:
//! 0 on success, 2 for bad input (a file, a flag, a manifest), 1 for
//! anything else; `status` adds 10 when a signal is ON.

mod altseason;
mod backtest;
mod breakouts;
mod check;
mod claims;
mod cycles;
mod event_study;
mod history;
mod import;
mod leadlag;
mod liquidity;
mod output;
mod progress;
mod report;
mod rotation;
mod series;
mod serve;
mod snapshot;
mod status;
mod update;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use riskcurve_app::{App, AppError, Catalog};

use crate::output::{ColorChoice, Format, Out};

#[derive(Parser)]
#[command(
    name = "riskcurve",
    version,
    about = "Does liquidity really move down the risk curve? Data, signals, statistics.",
    after_help = "Start with `riskcurve status`: it seeds an empty database (live sources, else the embedded snapshot) and says which signals are on.\nExit status: 0 success, 2 bad input, 1 other failures; `status` exits 10 when a signal is ON."
)]
struct Cli {
    /// SQLite database (default: riskcurve.db in the platform data directory).
    #[arg(long, global = true, env = "RISKCURVE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print one JSON document instead of tables (same as --format json).
    #[arg(long, global = true)]
    json: bool,
    /// How to print: table (for people), csv (the tables) or json (the full result).
    #[arg(long, global = true, value_enum, default_value = "table")]
    format: Format,
    /// Colour in tables: auto (a terminal, unless NO_COLOR is set), never, always.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// A user catalog read after the default one.
    #[arg(long, global = true, env = "RISKCURVE_CATALOG", value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Judge ages and staleness against this date instead of today (UTC).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Is it on now? Every rung and signal with its as-of date, age and staleness.
    Status(status::StatusArgs),
    /// Import a file (or every file of a manifest) into the store.
    Import(import::ImportArgs),
    /// Fetch what is missing from the live sources.
    Update(update::UpdateArgs),
    /// Undo one write (`--import N`): remove the rows it inserted, restore the values it replaced.
    Revert(history::RevertArgs),
    /// List stored series or show one.
    #[command(subcommand)]
    Series(series::SeriesCommand),
    /// Report calendar gaps, outliers, OHLC inconsistencies and stale series.
    Check(check::CheckArgs),
    /// Show the catalog: known series, units, release lags and live sources.
    Catalog,
    /// Breakouts to new all-time highs after a consolidation (or above a level).
    Breakouts(breakouts::BreakoutArgs),
    /// Bitcoin halving cycles compared at the same elapsed time.
    Cycles(cycles::CyclesArgs),
    /// Fed net liquidity (WALCL - TGA - RRP) without look-ahead.
    Liquidity(liquidity::LiquidityArgs),
    /// Altcoin season index: share of top altcoins beating BTC over a window.
    Altseason(altseason::AltseasonArgs),
    /// Risk-curve rotation: relative strength of each rung against the one before.
    Rotation(rotation::RotationArgs),
    /// Lead-lag: cross-correlations and Granger causality in both directions.
    Leadlag(leadlag::LeadLagArgs),
    /// Event study: forward returns after a signal, baseline, placebo p-values, bootstrap CI.
    EventStudy(event_study::EventStudyArgs),
    /// Backtest a signal: buy the target after each signal, exit by hold, stop, trail or exit signal.
    Backtest(backtest::BacktestArgs),
    /// A parameter sweep with the Deflated Sharpe Ratio, PBO and walk-forward.
    Sweep(backtest::SweepArgs),
    /// Check the seed articles' claims on the stored data.
    Claims(claims::ClaimsArgs),
    /// Evaluate alert rules (every --every, or --once) and deliver new alerts to webhooks or a command.
    Watch(watch::WatchArgs),
    /// The alert history.
    Alerts(watch::AlertsArgs),
    /// The dashboard and JSON API in the browser (loopback by default).
    Serve(serve::ServeArgs),
    /// Write the self-contained HTML report (status, charts, claims, provenance).
    Report(report::ReportArgs),
    /// The embedded offline snapshot: build it from files, or show what it holds.
    #[command(subcommand)]
    Snapshot(snapshot::SnapshotCommand),
}

/// A command's failure with the exit status it asks for.
#[derive(Debug)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Exit {}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let Some(Exit(code)) = err.downcast_ref::<Exit>() {
                return ExitCode::from(*code);
            }
            eprintln!("error: {}", one_line(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Bad input is 2, everything else 1.
fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.downcast_ref::<AppError>().is_some_and(AppError::is_bad_input)) {
        2
    } else {
        1
    }
}

/// The error and its causes on one line.
fn one_line(err: &anyhow::Error) -> String {
    format!("{err:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Seconds since the epoch: the binary is the only place that reads the clock.
pub(crate) fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn run(cli: Cli) -> Result<u8> {
    let user_catalog = cli.catalog.or_else(|| {
        let p = dirs::config_dir()?.join("riskcurve").join("catalog.toml");
        p.exists().then_some(p)
    });
    let catalog = Catalog::load(user_catalog.as_deref())?;
    let db = match cli.db {
        Some(p) => p,
        None => dirs::data_dir()
            .context("no platform data directory: pass --db PATH")?
            .join("riskcurve")
            .join("riskcurve.db"),
    };
    let mut app = App::at(db, catalog, now_unix());
    if let Some(today) = riskcurve_app::parse_date("today", cli.today.as_deref())? {
        app.today = today;
    }
    let format = if cli.json { Format::Json } else { cli.format };
    let out = Out::new(format, cli.color);
    let ok = |r: Result<()>| r.map(|()| 0);
    match cli.command {
        Command::Status(args) => status::run(&app, &out, args),
        Command::Import(args) => ok(import::run(&app, &out, args)),
        Command::Update(args) => ok(update::run(&app, &out, args)),
        Command::Series(cmd) => ok(series::run(&app, &out, cmd)),
        Command::Revert(args) => ok(history::run_revert(&app, &out, args)),
        Command::Check(args) => ok(check::run(&app, &out, args)),
        Command::Catalog => ok(series::catalog(&app, &out)),
        Command::Breakouts(args) => ok(breakouts::run(&app, &out, args)),
        Command::Cycles(args) => ok(cycles::run(&app, &out, args)),
        Command::Liquidity(args) => ok(liquidity::run(&app, &out, args)),
        Command::Altseason(args) => ok(altseason::run(&app, &out, args)),
        Command::Rotation(args) => ok(rotation::run(&app, &out, args)),
        Command::Leadlag(args) => ok(leadlag::run(&app, &out, args)),
        Command::EventStudy(args) => ok(event_study::run(&app, &out, args)),
        Command::Claims(args) => ok(claims::run(&app, &out, args)),
        Command::Backtest(args) => ok(backtest::run(&app, &out, args)),
        Command::Sweep(args) => ok(backtest::run_sweep(&app, &out, args)),
        Command::Snapshot(cmd) => ok(snapshot::run(&app, &out, cmd)),
        Command::Report(args) => report::run(&app, &out, args),
        Command::Serve(args) => ok(serve::run(&app, &out, args)),
        Command::Watch(args) => ok(watch::run(&app, &out, args)),
        Command::Alerts(args) => ok(watch::alerts(&app, &out, args)),
    }
}

/// Rust ignores SIGPIPE, so `riskcurve series list | head` would panic on the
/// closed pipe; a command-line tool should just stop, as `cat` does.
#[cfg(unix)]
fn restore_sigpipe() {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: resetting a signal to its default disposition before any
    // thread starts has no memory-safety consequences.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
