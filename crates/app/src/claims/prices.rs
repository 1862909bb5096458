//! Claims about a price path or a single value: the first close above an
//! old high, a calendar year's return, the return over a stated window, and
//! a value on a date (the series a user imports for the claims riskcurve
//! cannot measure from prices).

use riskcurve_core::{Bar, Date};
use riskcurve_signals::breakout::Basis;

use super::params::Params;
use super::{all_of, pct, Ctx, Judged, Verdict};
use crate::human::price;
use crate::Result;

/// `first-cross`: the first `basis` price after `reference_to` above the
/// highest one in `reference_from..=reference_to`, in `expected_month`. Not
/// crossed by the as-of date: contradicted once that month is over, else `no
/// data` (the cross may still come in it).
pub(super) fn first_cross(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let series = p.str("series")?;
    let basis: Basis = p.str_or("basis", "close").parse()?;
    let (ref_from, ref_to) = (p.date("reference_from")?, p.date("reference_to")?);
    let expected = p.str("expected_month")?;
    let (_, expected_end) = p.period("expected_month")?;
    if let Some(j) = ctx.after_cut(ref_to, "the reference period's end") {
        return Ok(j);
    }
    let Some(bars) = ctx.bars(series)? else {
        return Ok(Judged::no_data(format!("no {series} bar by {}", ctx.as_of)));
    };
    let bars = bars.bars();
    let reference = bars
        .iter()
        .filter(|b| b.date >= ref_from && b.date <= ref_to)
        .max_by(|a, b| basis.price(a).total_cmp(&basis.price(b)));
    let Some(reference) = reference else {
        return Ok(Judged::no_data(format!("{series} has no data in {ref_from}..{ref_to}")));
    };
    let high = basis.price(reference);
    let what = format!("the {} high {} ({}, {basis} basis)", ref_from.year(), price(high), reference.date);
    Ok(match bars.iter().find(|b| b.date > ref_to && basis.price(b) > high) {
        None => match ctx.after_cut(expected_end, &format!("data through {expected}")) {
            Some(j) => Judged::no_data(format!("{series} has not exceeded {what} by {}; {}", ctx.as_of, j.evidence)),
            None => Judged::new(
                Verdict::Contradicted,
                format!("{series} had not exceeded {what} by {} (claimed {expected})", ctx.as_of),
                Some(0),
            ),
        },
        Some(b) => {
            let hit = b.date.to_string().starts_with(expected);
            let verdict = if hit { Verdict::Supported } else { Verdict::Contradicted };
            let text =
                format!("first {basis} above {what} was {} at {} (claimed {expected})", b.date, price(basis.price(b)));
            Judged::new(verdict, text, Some(1))
        }
    })
}

/// The last close of a year must fall in its last week for the data to
/// show the year's end (a series that stops in November has no year-end close).
const YEAR_END_SLACK_DAYS: i32 = 7;

/// `year-return`: more than `min_return` in calendar year `year`, read as
/// the calendar-year return (last close of the year over the last close of
/// the year before, `measure = "calendar"`) or as the rise from the year's
/// lowest close to its last close (`measure = "from-low"`).
pub(super) fn year_return(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let series = p.str("series")?;
    let year = p.int("year")? as i32;
    let min = p.float("min_return")?;
    let from_low = p.str_or("measure", "calendar") == "from-low";
    let year_end = Date::from_ymd(year, 12, 31)?;
    if let Some(j) = ctx.after_cut(year_end, &format!("the whole of {year}")) {
        return Ok(j);
    }
    ctx.refuse_rate(series, "a year's return")?;
    let s = ctx.closes(series)?;
    let Some(end) = s.index_on_or_before(year_end).filter(|i| s.dates()[*i] > year_end.add_days(-YEAR_END_SLACK_DAYS))
    else {
        return Ok(Judged::no_data(format!("{series} has no close in the last week of {year}")));
    };
    let (start, from_what) = if from_low {
        let first_day = Date::from_ymd(year, 1, 1)?;
        let low =
            (0..=end).filter(|i| s.dates()[*i] >= first_day).min_by(|a, b| s.values()[*a].total_cmp(&s.values()[*b]));
        let Some(low) = low else { return Ok(Judged::no_data(format!("{series} has no close in {year}"))) };
        (low, format!("its {year} low"))
    } else {
        let prior_end = Date::from_ymd(year - 1, 12, 31)?;
        match s.index_on_or_before(prior_end).filter(|i| s.dates()[*i] > prior_end.add_days(-YEAR_END_SLACK_DAYS)) {
            Some(i) => (i, format!("the {} close", year - 1)),
            None => return Ok(Judged::no_data(format!("{series} has no close in the last week of {}", year - 1))),
        }
    };
    let r = s.values()[end] / s.values()[start] - 1.0;
    let verdict = if r > min { Verdict::Supported } else { Verdict::Contradicted };
    Ok(Judged::new(
        verdict,
        format!(
            "{series} {year}: {} from {from_what} ({}, {}) to the {year} close ({}, {}); claimed more than {}",
            pct(r),
            s.dates()[start],
            price(s.values()[start]),
            s.dates()[end],
            price(s.values()[end]),
            pct(min)
        ),
        Some(1),
    ))
}

/// `period-return`: the move from the last close on or before `base` to the
/// last close on or before `end` (`measure = "end"`), or to the highest close
/// in between (`"peak"`), within `tolerance` (in return units) of the
/// claimed `return`; with `above`, also a `basis` price above that level
/// somewhere in the window. Each is a part of the claim.
pub(super) fn period_return(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let series = p.str("series")?;
    let (base, end) = (p.date("base")?, p.date("end")?);
    let (claimed, tolerance) = (p.float("return")?, p.float("tolerance")?);
    let peak = p.str_or("measure", "end") == "peak";
    let basis: Basis = p.str_or("basis", "close").parse()?;
    if let Some(j) = ctx.after_cut(end, "the window's end") {
        return Ok(j);
    }
    ctx.refuse_rate(series, "a return over a window")?;
    let Some(bars) = ctx.bars(series)? else {
        return Ok(Judged::no_data(format!("no {series} bar by {}", ctx.as_of)));
    };
    let bars = bars.bars();
    let Some(start) = bars.iter().rev().find(|b| b.date <= base) else {
        return Ok(Judged::no_data(format!("{series} has no close on or before {base}")));
    };
    let window: Vec<&Bar> = bars.iter().filter(|b| b.date > start.date && b.date <= end).collect();
    let Some(last) = window.last() else {
        return Ok(Judged::no_data(format!("{series} has no close in {}..{end}", start.date.add_days(1))));
    };
    let top = window.iter().max_by(|a, b| a.close.total_cmp(&b.close)).expect("non-empty");
    let to = if peak { top } else { last };
    let r = to.close / start.close - 1.0;
    let near = (r - claimed).abs() <= tolerance;
    let mut parts = vec![if near { Verdict::Supported } else { Verdict::Contradicted }];
    let mut lines = vec![format!(
        "{series} from the {} close {} to the {} close {} ({}): {} against the claimed {} +/- {:.1} points: {}",
        start.date,
        price(start.close),
        if peak { "highest" } else { "last" },
        price(to.close),
        to.date,
        pct(r),
        pct(claimed),
        100.0 * tolerance,
        if near { "holds" } else { "does not hold" }
    )];
    if let Some(level) = p.opt_float("above") {
        let best = window.iter().max_by(|a, b| basis.price(a).total_cmp(&basis.price(b))).expect("non-empty");
        let over = basis.price(best) > level;
        parts.push(if over { Verdict::Supported } else { Verdict::Contradicted });
        lines.push(format!(
            "highest {basis} {} on {}: {} {}",
            price(basis.price(best)),
            best.date,
            if over { "above" } else { "not above" },
            price(level)
        ));
    }
    Ok(Judged::new(all_of(parts), lines.join("; "), Some(1)))
}

/// How far before `date` the observation standing for it may be.
const VALUE_MAX_AGE_DAYS: i32 = 31;

/// `value-at`: the value of a (user-imported) series on `date` (its last
/// observation on or before it, at most a month older), published
/// `release_days` after the date, against `expected +/- tolerance`, a
/// minimum or a maximum.
pub(super) fn value_at(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let series = p.str("series")?;
    let date = p.date("date")?;
    let published = date.add_days(p.opt_int("release_days").unwrap_or(0) as i32);
    if let Some(j) = ctx.after_cut(published, &format!("the value for {date}, public by")) {
        return Ok(j);
    }
    let s = ctx.closes(series)?;
    let Some(i) = s.index_on_or_before(date).filter(|i| s.dates()[*i] >= date.add_days(-VALUE_MAX_AGE_DAYS)) else {
        return Ok(Judged::no_data(format!("{series} has no value for {date}")));
    };
    let (on, v) = (s.dates()[i], s.values()[i]);
    let (ok, test) = match (p.opt_float("expected"), p.opt_float("min"), p.opt_float("max")) {
        (Some(e), _, _) => {
            let t = p.float("tolerance")?;
            ((v - e).abs() <= t, format!("claimed {e} +/- {t}"))
        }
        (_, Some(m), _) => (v >= m, format!("at least {m}")),
        (_, _, Some(m)) => (v <= m, format!("at most {m}")),
        _ => return crate::bad("give `expected`, `min` or `max`"),
    };
    let verdict = if ok { Verdict::Supported } else { Verdict::Contradicted };
    Ok(Judged::new(verdict, format!("{series} on {on}: {v} ({test})"), Some(1)))
}
