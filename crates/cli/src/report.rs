//! `riskcurve report`: the self-contained HTML report.
//!
//! Ensures data exactly as `status` does (an empty database is seeded from the
//! live sources, or offline from the embedded snapshot), prints the signals
//! in a few lines, writes one HTML file that opens without a network, and
//! prints its path and size. With `--json` it prints the report's data (the
//! same document the file embeds) instead of the lines, and still writes
//! the file. Exit status 0 (a report is not an alarm: `status` is the
//! command whose exit status says ON).

use std::path::PathBuf;

use anyhow::{Context, Result};
use riskcurve_app::human::days;
use riskcurve_app::report::{report_data, Part, ReportData, ReportRequest};
use riskcurve_app::status::{DataOrigin, OnOff};
use riskcurve_app::App;

use crate::output::{Out, Tone};
use crate::progress::Bar;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, default_value = "riskcurve-report.html", value_name = "FILE")]
    out: PathBuf,
    /// Do not try the live sources: an empty database is seeded from the embedded snapshot at once.
    #[arg(long, env = "RISKCURVE_OFFLINE")]
    offline: bool,
    /// The signal whose events the forward paths follow (see README: signal specs).
    #[arg(long, default_value = "breakout:rut:min-days=365")]
    signal: String,
    /// Random dates behind each placebo band (and placebo sets per event-study test).
    #[arg(long, default_value_t = 2_000)]
    placebos: usize,
    /// Days each forward path runs after its entry.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Targets of the forward paths (comma list; `alts` = the alt basket).
    #[arg(long, value_delimiter = ',', default_value = "btc,eth,alts")]
    targets: Vec<String>,
    /// Seed of every random draw.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

pub fn run(app: &App, out: &Out, args: ReportArgs) -> Result<u8> {
    let req = ReportRequest {
        offline: args.offline,
        signal: args.signal,
        horizon_days: args.days,
        targets: args.targets,
        placebos: args.placebos,
        seed: args.seed,
        ..ReportRequest::default()
    };
    if req.horizon_days == 0 {
        return Err(riskcurve_app::bad_input("--days must be at least 1").into());
    }
    let data = report_data(app, &req, &Bar::new(out.is_json()))?;
    let html = riskcurve_report::render(&data)?;
    std::fs::write(&args.out, &html).with_context(|| format!("{}: cannot write the report", args.out.display()))?;
    if out.is_json() {
        out.json(&data)?;
        return Ok(0);
    }
    summary(out, &data);
    for (chart, why) in missing(&data) {
        out.warn(format!("{chart}: no data: {why}"));
    }
    out.line(format!("wrote {} ({})", args.out.display(), size(html.len())));
    Ok(0)
}

/// The status in a few lines: where the data came from, each signal.
fn summary(out: &Out, data: &ReportData) {
    let s = &data.status;
    out.line(out.paint(Tone::Bold, format!("riskcurve report on {}", s.today)));
    let note = format!("data: {}", s.data.message);
    out.line(match s.data.origin {
        DataOrigin::Snapshot => out.paint(Tone::Warn, note),
        _ => out.paint(Tone::Dim, note),
    });
    for sig in &s.signals {
        let state = match sig.state {
            OnOff::On => out.paint(Tone::Good, "ON"),
            OnOff::Off => "OFF".to_string(),
            OnOff::Unknown => out.paint(Tone::Dim, "?"),
        };
        let age = match (sig.as_of, sig.age_days) {
            (Some(d), Some(a)) => {
                let stale = if sig.stale { out.paint(Tone::Warn, " STALE") } else { String::new() };
                format!(" (as of {d}, {}{stale})", days(a.into()))
            }
            _ => String::new(),
        };
        out.line(format!("{:<10} {state}{age}: {}", sig.id, sig.summary));
    }
}

/// Charts the report shows as "no data", with the reason.
fn missing(data: &ReportData) -> Vec<(String, String)> {
    fn why<T>(name: &str, part: &Part<T>, out: &mut Vec<(String, String)>) {
        if let Part::NoData(reason) = part {
            out.push((name.to_string(), reason.clone()));
        }
    }
    let mut out = Vec::new();
    why("breakouts", &data.price, &mut out);
    why("forward paths", &data.forward, &mut out);
    if let Part::Data(f) = &data.forward {
        for t in &f.targets {
            why(&format!("forward paths of {}", t.target), &t.paths, &mut out);
        }
    }
    why("liquidity", &data.liquidity, &mut out);
    why("halving cycles", &data.cycles, &mut out);
    why("altseason", &data.altseason, &mut out);
    why("rotation", &data.rotation, &mut out);
    why("lead-lag", &data.leadlag, &mut out);
    why("claims", &data.claims, &mut out);
    why("provenance", &data.provenance, &mut out);
    out
}

/// A file size for people: `812 kB`, `1.4 MB`.
fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} kB", bytes.div_ceil(1000))
    }
}

#[cfg(test)]
mod tests {
    use riskcurve_app::{AppError, Catalog};

    use super::*;
    use crate::output::{ColorChoice, Format};

    fn app(dir: &std::path::Path) -> App {
        App {
            db: dir.join("report.db"),
            catalog: Catalog::load(None).unwrap(),
            today: "2026-11-30".parse().unwrap(),
            now: "2026-11-30T12:00:00Z".into(),
        }
    }

    fn args(out: PathBuf, signal: &str) -> ReportArgs {
        ReportArgs {
            out,
            offline: true,
            signal: signal.into(),
            placebos: 200,
            days: 365,
            targets: vec!["btc".into(), "eth".into(), "alts".into()],
            seed: 42,
        }
    }

    #[test]
    fn an_empty_database_offline_gets_the_snapshot_and_a_self_contained_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        let out = Out::new(Format::Table, ColorChoice::Never);
        let code = run(&app(dir.path()), &out, args(path.clone(), "breakout:rut:min-days=365")).unwrap();
        assert_eq!(code, 0);
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains("seeded") && html.contains("embedded snapshot"),
            "the status panel says where the data came from"
        );
        for chart in
            ["rut", "forward-btc", "forward-eth", "forward-alts", "liquidity", "cycles", "altseason", "rotation", "ccf"]
        {
            assert!(html.contains(&format!("<figure class=\"chart\" data-chart=\"{chart}\"")), "{chart}");
        }
        assert!(!html.contains("<script src") && !html.contains("<link"), "nothing is loaded from anywhere");
    }

    #[test]
    fn a_bad_signal_is_bad_input_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        let out = Out::new(Format::Table, ColorChoice::Never);
        let err = run(&app(dir.path()), &out, args(path.clone(), "breakout:nowhere:min-days=x")).unwrap_err();
        assert!(err.chain().any(|e| e.downcast_ref::<AppError>().is_some_and(AppError::is_bad_input)), "{err:#}");
        assert!(!path.exists());
    }
}
