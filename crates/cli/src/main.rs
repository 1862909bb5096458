//! The `riskcurve` binary: parses arguments, loads the catalog, opens the
//! store and hands each command to its module. Exit status: 0 on success,
//! 2 for bad input (a file, a flag, a manifest), 1 for anything else.

mod altseason;
mod breakouts;
mod catalog;
mod check;
mod claims;
mod cycles;
mod event_study;
mod failure;
mod import;
mod leadlag;
mod liquidity;
mod load;
mod output;
mod rotation;
mod series;
mod update;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::catalog::Catalog;
use crate::failure::exit_code;

#[derive(Parser)]
#[command(
    name = "riskcurve",
    version,
    about = "Does liquidity really move down the risk curve? Data, signals, statistics."
)]
struct Cli {
    /// SQLite database (default: riskcurve.db in the platform data directory).
    #[arg(long, global = true, env = "RISKCURVE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print one JSON document instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// A user catalog read after the default one.
    #[arg(long, global = true, env = "RISKCURVE_CATALOG", value_name = "FILE")]
    catalog: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import a file (or every file of a manifest) into the store.
    Import(import::ImportArgs),
    /// Fetch what is missing from the live sources.
    Update(update::UpdateArgs),
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
    /// Check the seed articles' claims on the stored data.
    Claims(claims::ClaimsArgs),
}

/// What every command receives.
pub struct App {
    pub db: PathBuf,
    pub json: bool,
    pub catalog: Catalog,
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", failure::one_line(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let user_catalog = cli.catalog.or_else(|| {
        let p = dirs::config_dir()?.join("riskcurve").join("catalog.toml");
        p.exists().then_some(p)
    });
    let catalog = Catalog::load(user_catalog.as_deref()).map_err(failure::bad_input)?;
    let db = match cli.db {
        Some(p) => p,
        None => dirs::data_dir()
            .context("no platform data directory: pass --db PATH")?
            .join("riskcurve")
            .join("riskcurve.db"),
    };
    let ctx = App { db, json: cli.json, catalog };
    match cli.command {
        Command::Import(args) => import::run(&ctx, args),
        Command::Update(args) => update::run(&ctx, args),
        Command::Series(cmd) => series::run(&ctx, cmd),
        Command::Check(args) => check::run(&ctx, args),
        Command::Catalog => series::catalog(&ctx),
        Command::Breakouts(args) => breakouts::run(&ctx, args),
        Command::Cycles(args) => cycles::run(&ctx, args),
        Command::Liquidity(args) => liquidity::run(&ctx, args),
        Command::Altseason(args) => altseason::run(&ctx, args),
        Command::Rotation(args) => rotation::run(&ctx, args),
        Command::Leadlag(args) => leadlag::run(&ctx, args),
        Command::EventStudy(args) => event_study::run(&ctx, args),
        Command::Claims(args) => claims::run(&ctx, args),
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
