//! Claims about Bitcoin's halving cycles: the multiple since each halving,
//! the break of the previous cycle's high, and the issuance schedule.

use riskcurve_core::Date;
use riskcurve_signals::cycles::{halving_cycles, HALVINGS};
use toml::Value;

use super::params::{as_f64, Params};
use super::{all_of, Ctx, Judged, Verdict};
use crate::human::{count, multiple, price};
use crate::{bad, Result};

/// The halving of `year`.
fn halving_of(year: i64) -> Result<Date> {
    match HALVINGS.iter().find(|h| i64::from(h.year()) == year) {
        Some(h) => Ok(*h),
        None => bad(format!("{year} is not a halving year ({})", HALVINGS.map(|h| h.year().to_string()).join(", "))),
    }
}

/// `halving`: BTC's multiple `days` after each claimed halving (default: the
/// latest cycle's elapsed days at the as-of date) within `tolerance`
/// (relative) of the claimed multiple. The claimed multiples are over the
/// same span, so a claimed halving after the as-of date leaves the whole
/// claim without data.
pub(super) fn halving(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let days = p.opt_int("days").map(|d| d as u32);
    let tolerance = p.float("tolerance")?;
    let mut claimed = Vec::new();
    for pair in p.0.get("expected").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_array) {
        let (Some(year), Some(m)) = (pair[0].as_integer(), as_f64(&pair[1])) else {
            return bad("`expected` holds [year, multiple] pairs");
        };
        let h = halving_of(year)?;
        if let Some(j) = ctx.after_cut(h, &format!("the {year} halving")) {
            return Ok(j);
        }
        claimed.push((year, h, m));
    }
    let report = halving_cycles(&ctx.closes("btc")?, days, ctx.as_of)?;
    let (mut parts, mut lines) = (Vec::new(), Vec::new());
    for (year, h, m) in claimed {
        let Some(cycle) = report.cycles.iter().find(|c| c.halving == h) else {
            parts.push(Verdict::NoData);
            lines.push(format!("{year}: no BTC close at the halving"));
            continue;
        };
        if !cycle.complete {
            parts.push(Verdict::NoData);
            lines.push(format!("{year}: {} so far (the span ends after the data)", multiple(cycle.multiple)));
            continue;
        }
        let near = (cycle.multiple / m - 1.0).abs() <= tolerance;
        parts.push(if near { Verdict::Supported } else { Verdict::Contradicted });
        lines.push(format!(
            "{year} cycle {} (claimed {}){}",
            multiple(cycle.multiple),
            multiple(m),
            if near { "" } else { " - off" }
        ));
    }
    let n = lines.len();
    Ok(Judged::new(
        all_of(parts),
        format!(
            "{} days after each halving, within {:.0}% of the claimed multiple: {}",
            report.days,
            100.0 * tolerance,
            lines.join("; ")
        ),
        Some(n),
    ))
}

/// `prior-cycle-high`: BTC's first close above the previous cycle's high
/// came before the `halving_year` halving (in `expected_month`, when given)
/// and after the halving in every earlier cycle. The previous cycle's high
/// (`reference`): `cycle-top`, the top of the previous halving cycle (its
/// last running high followed by a 50% fall, `riskcurve cycles`; for the
/// first halving, the highest close before it), or `year-before`, the
/// highest close more than 365 days before the halving. Each cycle is a part.
pub(super) fn prior_cycle_high(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let target = halving_of(p.int("halving_year")?)?;
    let expected = p.0.get("expected_month").and_then(Value::as_str);
    let cycle_top = p.str_or("reference", "cycle-top") == "cycle-top";
    let btc = ctx.closes("btc")?;
    // The cycles exist once the first halving is in the data.
    let covered = btc.first_date().is_some_and(|f| f <= HALVINGS[0]) && HALVINGS[0] <= ctx.as_of;
    let cycles = if cycle_top && covered { halving_cycles(&btc, None, ctx.as_of)?.cycles } else { Vec::new() };
    let (mut parts, mut lines) = (Vec::new(), Vec::new());
    for (k, &h) in HALVINGS.iter().enumerate().filter(|(_, h)| **h <= target) {
        let year = h.year();
        if h > ctx.as_of {
            if h == target {
                let j = ctx.after_cut(h, &format!("the {year} halving")).expect("after the cut");
                parts.push(Verdict::NoData);
                lines.push(format!("{year}: {}", j.evidence));
            }
            continue;
        }
        let reference = if !cycle_top {
            let before = h.add_days(-365);
            btc.iter().filter(|(d, _)| *d <= before).max_by(|a, b| a.1.total_cmp(&b.1))
        } else if k == 0 {
            btc.iter().filter(|(d, _)| *d < h).max_by(|a, b| a.1.total_cmp(&b.1))
        } else {
            let top = cycles.iter().find(|c| c.halving == HALVINGS[k - 1]).and_then(|c| c.top_date);
            top.and_then(|d| btc.get(d).map(|v| (d, v)))
        };
        let Some((ref_date, high)) = reference else {
            parts.push(Verdict::NoData);
            lines.push(format!("{year}: no previous-cycle high in the data"));
            continue;
        };
        let first = btc.iter().find(|(d, v)| *d > ref_date && *v > high);
        let head = format!("{year} halving ({h}): previous high {} ({ref_date})", price(high));
        let (verdict, line) = match (h == target, first) {
            (true, Some((d, v))) if d < h => {
                let in_month = expected.is_none_or(|m| d.to_string().starts_with(m));
                let month = expected.map(|m| format!(" (claimed {m})")).unwrap_or_default();
                let v_ = if in_month { Verdict::Supported } else { Verdict::Contradicted };
                (
                    v_,
                    format!(
                        "{head} first closed above on {d} at {}, {} days before the halving{month}",
                        price(v),
                        h.days_since(d)
                    ),
                )
            }
            (true, Some((d, _))) => {
                (Verdict::Contradicted, format!("{head} first closed above on {d}, after the halving"))
            }
            (true, None) => (Verdict::Contradicted, format!("{head} not closed above by {}", ctx.as_of)),
            (false, Some((d, _))) if d < h => {
                (Verdict::Contradicted, format!("{head} closed above on {d}, before its halving too"))
            }
            (false, Some((d, _))) => {
                (Verdict::Supported, format!("{head} first closed above on {d}, after the halving"))
            }
            (false, None) => (Verdict::Supported, format!("{head} not closed above before the halving")),
        };
        parts.push(verdict);
        lines.push(line);
    }
    let n = lines.len();
    let what = if cycle_top { "the previous cycle's top" } else { "the highest close over a year before the halving" };
    Ok(Judged::new(all_of(parts), format!("BTC closes against {what}: {}", lines.join("; ")), Some(n)))
}

/// Blocks between halvings.
const HALVING_INTERVAL: u64 = 210_000;
/// The first block subsidy, in satoshis (50 BTC).
const FIRST_SUBSIDY_SATS: u64 = 5_000_000_000;

/// The block subsidy of era `e` in satoshis: the protocol halves it by a
/// right shift, so it reaches 0 in era 33.
fn subsidy(era: u32) -> u64 {
    if era >= 64 {
        0
    } else {
        FIRST_SUBSIDY_SATS >> era
    }
}

/// Satoshis issued before era `e` starts (every block paid in full).
fn supply_before(era: u32) -> u64 {
    (0..era).map(|e| HALVING_INTERVAL * subsidy(e)).sum()
}

/// Satoshis as BTC with separators: `2,099,999,997,690,000` -> `20,999,999.9769`.
fn btc(sats: f64) -> String {
    let sats = sats as u64;
    let whole = count(sats / 100_000_000);
    let frac = format!("{:08}", sats % 100_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        whole
    } else {
        format!("{whole}.{frac}")
    }
}

/// Half a unit in the last decimal of `x` as written (`0.017` -> `0.0005`):
/// the rounding a figure quoted that way allows.
fn half_last_digit(x: f64) -> f64 {
    let text = format!("{x}");
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    0.5 * 10f64.powi(-(decimals as i32))
}

/// `issuance`: from the issuance schedule alone (50 BTC a block, halved by
/// the protocol's right shift every 210,000 blocks, whole satoshis), the
/// `halving`-th halving's supply (every earlier block paid in full; lost and
/// unclaimed coins are not subtracted) as a share of the final supply
/// (`mined`), and a year's issuance (`blocks_per_year`, 52,560 = one block
/// per 10 minutes) before and after it over that supply (`before`,
/// `after`). Each within `tolerance` (relative), or with `rounding = true`
/// within half a unit of the last digit as the claim writes it.
pub(super) fn issuance(p: &Params) -> Result<Judged> {
    let era = p.int("halving")?;
    if era > 32 {
        return bad(format!("halving {era}: the subsidy is 0 after the 32nd"));
    }
    let era = era as u32;
    let blocks_per_year = p.opt_int("blocks_per_year").unwrap_or(52_560) as f64;
    let supply = supply_before(era) as f64;
    let cap = supply_before(64) as f64;
    let yearly = |e: u32| subsidy(e) as f64 * blocks_per_year;
    let rounding = p.0.get("rounding").and_then(Value::as_bool).unwrap_or(false);
    let tolerance = p.opt_float("tolerance");
    let check = |computed: f64, claimed: f64| match (rounding, tolerance) {
        (true, _) => (computed - claimed).abs() <= half_last_digit(claimed),
        (false, Some(t)) => (computed / claimed - 1.0).abs() <= t,
        (false, None) => false,
    };
    let figures = [
        ("mined", supply / cap, p.float("mined")?, format!("{} BTC of {} BTC", btc(supply), btc(cap))),
        ("before", yearly(era - 1) / supply, p.float("before")?, format!("{} BTC a year", btc(yearly(era - 1)))),
        ("after", yearly(era) / supply, p.float("after")?, format!("{} BTC a year", btc(yearly(era)))),
    ];
    let (mut parts, mut lines) = (Vec::new(), Vec::new());
    for (name, computed, claimed, detail) in figures {
        let ok = check(computed, claimed);
        parts.push(if ok { Verdict::Supported } else { Verdict::Contradicted });
        lines.push(format!(
            "{name} {} ({detail}; claimed {}): {}",
            crate::human::pct(computed, 3),
            crate::human::pct(claimed, 2),
            if ok { "holds" } else { "does not hold" }
        ));
    }
    let allowed = if rounding {
        "within the rounding of each claimed figure".to_string()
    } else {
        format!("within {}", crate::human::pct(tolerance.unwrap_or(0.0), 0))
    };
    Ok(Judged::new(
        all_of(parts),
        format!(
            "issuance schedule at halving {era} (block {}), {} blocks a year, {allowed}: {}",
            count(u64::from(era) * HALVING_INTERVAL),
            count(blocks_per_year as u64),
            lines.join("; ")
        ),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_ends_short_of_21_million() {
        // 2,099,999,997,690,000 satoshis: the well-known 20,999,999.9769 BTC.
        assert_eq!(supply_before(64), 2_099_999_997_690_000);
        assert_eq!(supply_before(4), 1_968_750_000_000_000);
        assert_eq!(subsidy(4), 312_500_000);
        assert_eq!(subsidy(33), 0);
    }

    #[test]
    fn rounding_is_half_the_last_digit() {
        assert!((half_last_digit(0.017) - 0.0005).abs() < 1e-15);
        assert!((half_last_digit(0.0085) - 0.00005).abs() < 1e-15);
        assert!((half_last_digit(0.94) - 0.005).abs() < 1e-15);
    }
}
