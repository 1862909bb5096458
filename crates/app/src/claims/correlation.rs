//! Claims about co-movement: which of two series another moves more with
//! (a test of the difference of two dependent correlations), and whether
//! returns lead one another down a chain (Granger causality with Holm).

use riskcurve_core::{align, log_returns, Date, Series};
use riskcurve_stats::{holm_adjust, DependentCorrelations, GrangerCausality, GrangerOptions, StatsError};

use super::params::Params;
use super::{all_of, Ctx, Judged, Verdict, ALPHA};
use crate::human::p_value;
use crate::leadlag::{is_rate, paired, resampler};
use crate::{AppError, Result};

/// `correlation`: does `target` move more with `with[0]` than with `with[1]`?
/// Returns of the three over the periods all three have, from `from` to the
/// as-of date ([`Ctx::aligned_returns`]). The two correlations share `target`, so their difference is
/// tested with Steiger's (1980) Z, two-sided, at [`ALPHA`] (Williams' t shown
/// beside it): significantly higher supports the claim, significantly lower
/// contradicts it, anything else is inconclusive.
pub(super) fn correlation(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let target = p.str("target")?;
    let with = p.strs("with")?;
    let (k, h) = (&with[0], &with[1]);
    let freq = p.str_or("freq", "weekly");
    let from = p.opt_date("from")?;
    if let Some(j) = from.and_then(|f| ctx.after_cut(f, "returns from")) {
        return Ok(j);
    }
    let (dates, returns) = ctx.aligned_returns(&[target, k.as_str(), h.as_str()], freq, from)?;
    let n = dates.len();
    if n < 4 {
        return Ok(Judged::no_data(format!("{n} {freq} returns common to {target}, {k} and {h}: at least 4 needed")));
    }
    let d = DependentCorrelations::from_samples(&returns[0], &returns[1], &returns[2])?;
    let significant = d.steiger_p <= ALPHA;
    let (verdict, reading) = match (significant, d.r_jk > d.r_jh) {
        (true, true) => (Verdict::Supported, format!("{target} moves significantly more with {k} than with {h}")),
        (true, false) => (Verdict::Contradicted, format!("{target} moves significantly more with {h} than with {k}")),
        (false, _) => (
            Verdict::Inconclusive,
            format!(
                "the difference is not significant at {ALPHA}: the data cannot tell which {target} moves more with"
            ),
        ),
    };
    Ok(Judged::new(
        verdict,
        format!(
            "{freq} returns {}..{} (n = {n}): corr({target}, {k}) = {:.3}, corr({target}, {h}) = {:.3}, corr({k}, {h}) = {:.3}; \
             Steiger's Z = {:.2} (two-sided p = {}), Williams' t = {:.2} (df {}, p = {}): {reading}",
            dates[0],
            dates[n - 1],
            d.r_jk,
            d.r_jh,
            d.r_kh,
            d.steiger_z,
            p_value(d.steiger_p),
            d.williams_t,
            d.williams_df,
            p_value(d.williams_p)
        ),
        Some(n),
    ))
}

impl Ctx<'_> {
    /// Returns of `ids` over the periods all of them have, as `riskcurve
    /// leadlag` forms them for a pair: each series from `from` to the as-of
    /// date, the daily closes aligned on the days all have (so every close
    /// of a period is from the same day), then resampled (daily as aligned;
    /// weekly: the last common close of each week ending Friday; monthly: of
    /// each month), a final period that ends after the last common day (a
    /// partial week or month) left out; log returns of a price, the negated
    /// change of a rate (catalog class "rate": a bond-price proxy). Returns
    /// the dates and one column per id.
    fn aligned_returns(&self, ids: &[&str], freq: &str, from: Option<Date>) -> Result<(Vec<Date>, Vec<Vec<f64>>)> {
        let resample = resampler(freq)?;
        let mut closes = Vec::new();
        for id in ids {
            closes.push(self.closes(id)?.between(from, None));
        }
        let (days, values) = align(&closes.iter().collect::<Vec<_>>());
        let Some(&end) = days.last() else {
            return Ok((Vec::new(), vec![Vec::new(); ids.len()]));
        };
        let mut periods = Vec::new();
        for v in values {
            let s = resample(&Series::new(days.clone(), v)?);
            periods.push(s.between(None, Some(end)));
        }
        let dates = periods[0].dates().to_vec();
        if dates.len() < 2 {
            return Ok((Vec::new(), vec![Vec::new(); ids.len()]));
        }
        let mut columns = Vec::new();
        for (id, s) in ids.iter().zip(&periods) {
            let v = s.values();
            columns.push(if is_rate(self.app, self.store, id)? {
                v.windows(2).map(|w| -(w[1] - w[0])).collect()
            } else {
                log_returns(s)?.values().to_vec()
            });
        }
        Ok((dates[1..].to_vec(), columns))
    }
}

/// One link's Granger tests, both ways, at lags 1..=max_lag.
struct Link {
    from: String,
    to: String,
    n: usize,
    best_lag_aic: usize,
    forward: Vec<f64>,
    reverse: Vec<f64>,
}

/// A link's verdict from whether its own direction and the reverse are
/// significant (after Holm): only evidence the other way contradicts.
fn link_verdict(forward: bool, reverse: bool) -> (Verdict, &'static str) {
    match (forward, reverse) {
        (true, false) => (Verdict::Supported, "leads"),
        (false, true) => (Verdict::Contradicted, "the reverse leads"),
        (true, true) => (Verdict::Inconclusive, "feedback both ways"),
        (false, false) => (Verdict::Inconclusive, "no significant link either way"),
    }
}

/// `lead-order`: does each rung of `chain` lead the next? For every link,
/// the returns of the two as `riskcurve leadlag` forms them (from `from`;
/// [`crate::leadlag::paired`]: last common close of each period, a partial
/// final period dropped, a rate as its negated change),
/// Granger causality both ways (HC1-robust F) at every lag 1..=max_lag, and
/// Holm across all of them: choosing a lag is a test too (the AIC lag is
/// shown, not picked). A link leads when some lag of its own direction is
/// significant after Holm and none of the reverse is; the reverse alone
/// significant contradicts the order; neither is no evidence
/// (inconclusive), both is feedback (inconclusive).
pub(super) fn lead_order(ctx: &Ctx, p: &Params) -> Result<Judged> {
    let chain = p.strs("chain")?;
    let freq = p.str_or("freq", "weekly");
    let max_lag = p.int("max_lag")? as usize;
    let from = p.opt_date("from")?;
    if let Some(j) = from.and_then(|f| ctx.after_cut(f, "returns from")) {
        return Ok(j);
    }
    let (mut links, mut notes) = (Vec::new(), Vec::new());
    for w in chain.windows(2) {
        // The lead-lag command's pairing: the same periods, rates as negated changes.
        let pair = paired(ctx.app, ctx.store, &w[0], &w[1], freq, from, Some(ctx.as_of))?;
        notes.extend(pair.notes);
        let (x, y) = (pair.x.values(), pair.y.values());
        let tests = GrangerCausality::test(y, x, GrangerOptions::new(max_lag))
            .and_then(|f| Ok((f, GrangerCausality::test(x, y, GrangerOptions::new(max_lag))?)));
        let (forward, reverse) = match tests {
            Ok(t) => t,
            Err(StatsError::TooFewObservations { got, needed, .. }) => {
                return Ok(Judged::no_data(format!(
                    "{} -> {}: {got} {freq} returns by {}, {needed} needed for {max_lag} lags",
                    w[0], w[1], ctx.as_of
                )));
            }
            Err(e) => return Err(AppError::from(e)),
        };
        links.push(Link {
            from: w[0].clone(),
            to: w[1].clone(),
            n: x.len(),
            best_lag_aic: forward.selection.best_lag_aic,
            forward: forward.tests.iter().map(|t| t.p_robust).collect(),
            reverse: reverse.tests.iter().map(|t| t.p_robust).collect(),
        });
    }
    let all: Vec<f64> = links.iter().flat_map(|l| l.forward.iter().chain(&l.reverse).copied()).collect();
    let holm = holm_adjust(&all)?;
    let (mut verdicts, mut parts) = (Vec::new(), Vec::new());
    for (i, l) in links.iter().enumerate() {
        let at = i * 2 * max_lag;
        // The smallest raw p of one direction: its lag, p and Holm-adjusted p.
        let smallest = |offset: usize| {
            (0..max_lag)
                .map(|j| (j + 1, all[at + offset + j], holm[at + offset + j]))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("max_lag >= 1")
        };
        let ((fl, fp, fh), (rl, rp, rh)) = (smallest(0), smallest(max_lag));
        let (verdict, reading) = link_verdict(fh <= ALPHA, rh <= ALPHA);
        verdicts.push(verdict);
        parts.push(format!(
            "{} -> {}: smallest p {} at lag {fl} (Holm {}), reverse {} at lag {rl} (Holm {}), AIC lag {}, n = {}: {reading}",
            l.from,
            l.to,
            p_value(fp),
            p_value(fh),
            p_value(rp),
            p_value(rh),
            l.best_lag_aic,
            l.n
        ));
    }
    let n = links.iter().map(|l| l.n).min();
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
    Ok(Judged::new(
        all_of(verdicts),
        format!(
            "{freq} returns{notes}, Granger causality (HC1) at lags 1..{max_lag} both ways, Holm over all {} tests at {ALPHA}: {}",
            all.len(),
            parts.join("; ")
        ),
        n,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_of_evidence_is_not_contradiction() {
        assert_eq!(link_verdict(false, false).0, Verdict::Inconclusive);
        assert_eq!(link_verdict(true, true).0, Verdict::Inconclusive);
        assert_eq!(link_verdict(false, true).0, Verdict::Contradicted);
        assert_eq!(link_verdict(true, false).0, Verdict::Supported);
    }
}
