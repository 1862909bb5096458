//! Plain-words verdicts on event-study numbers.
//!
//! The rules, in order, for one target and horizon:
//!
//! 1. no complete event: nothing to test;
//! 2. fewer than `min_events` (8 by default) complete events: too few to
//!    conclude anything, whatever the p-value. With a handful of events a
//!    placebo p-value can look impressive by luck of which dates happened to
//!    be chosen, and a bootstrap interval on 3 values is not an interval;
//!    every event is still shown on its own;
//! 3. no placebo p-value (the test could not run): untested;
//! 4. Holm-adjusted p-value at most `alpha` and the whole confidence interval
//!    of the mean above the all-dates (baseline) mean: evidence of an effect;
//! 5. Holm-adjusted p-value at most `alpha` but the interval reaching the
//!    baseline: weak evidence;
//! 6. otherwise: no evidence that the events beat a random date (saying so,
//!    when the raw p-value alone would have passed, that the correction for
//!    the number of tests is what removed it).

use serde::Serialize;

/// The family-wise significance level every verdict uses by default: the
/// event study's, and the claims checker's own tests (one level decides).
pub const ALPHA: f64 = 0.05;

/// Fewest complete events before a verdict says anything (rule 2 above).
pub const MIN_EVENTS: usize = 8;

/// The kind of verdict, for programs (the text is for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// No complete event at this horizon.
    NoEvents,
    /// Fewer complete events than the minimum to conclude anything.
    TooFewEvents,
    /// Enough events, but no placebo test.
    Untested,
    /// Significant after the Holm correction, interval above the baseline.
    Evidence,
    /// Significant after the Holm correction, interval reaching the baseline.
    WeakEvidence,
    /// Not significant after the Holm correction.
    NoEvidence,
}

/// A verdict: its kind and a sentence that says it with the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The kind.
    pub kind: VerdictKind,
    /// One plain sentence.
    pub text: String,
}

/// The numbers a verdict on one target and horizon is based on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerdictInputs {
    /// Complete events.
    pub n: usize,
    /// Their mean forward return.
    pub mean: Option<f64>,
    /// The mean forward return over all eligible dates.
    pub baseline_mean: Option<f64>,
    /// The placebo p-value.
    pub p_value: Option<f64>,
    /// The Holm-adjusted p-value.
    pub p_holm: Option<f64>,
    /// The confidence interval of the mean, `(low, high)`.
    pub interval: Option<(f64, f64)>,
    /// The interval's confidence level.
    pub confidence: f64,
}

/// Formats a return as a signed percentage with one decimal: `+39.2%`.
pub(crate) fn percent(r: f64) -> String {
    format!("{:+.1}%", 100.0 * r)
}

/// Formats a p-value with three significant digits.
pub(crate) fn p_text(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else {
        format!("{p:.2e}")
    }
}

impl Verdict {
    /// The verdict on one target and horizon; `untested_because` says why
    /// there is no p-value, when there is none.
    pub fn for_horizon(
        inputs: &VerdictInputs,
        min_events: usize,
        alpha: f64,
        untested_because: Option<&str>,
    ) -> Verdict {
        let n = inputs.n;
        let plural = if n == 1 { "event" } else { "events" };
        if n == 0 {
            return Verdict {
                kind: VerdictKind::NoEvents,
                text: "no complete events at this horizon: nothing to test".into(),
            };
        }
        if n < min_events {
            return Verdict {
                kind: VerdictKind::TooFewEvents,
                text: format!(
                    "n = {n} {plural}: too few to conclude anything (need at least {min_events}), whatever the p-value"
                ),
            };
        }
        let mean = inputs.mean.map_or_else(|| "n/a".into(), percent);
        let baseline = inputs.baseline_mean.map_or_else(|| "n/a".into(), percent);
        let head = format!("n = {n} {plural}: mean {mean} against {baseline} on all dates");
        let (Some(p), Some(p_holm)) = (inputs.p_value, inputs.p_holm) else {
            let why = untested_because.unwrap_or("no placebo p-value");
            return Verdict { kind: VerdictKind::Untested, text: format!("{head}; not tested: {why}") };
        };
        let level = format!("{:.0}%", 100.0 * inputs.confidence);
        let interval =
            inputs.interval.map_or_else(|| "n/a".into(), |(l, h)| format!("[{}, {}]", percent(l), percent(h)));
        let chance = format!(
            "random dates did as well in a share p = {} of placebo sets (Holm-adjusted {})",
            p_text(p),
            p_text(p_holm)
        );
        if p_holm <= alpha {
            let above = matches!((inputs.interval, inputs.baseline_mean), (Some((low, _)), Some(b)) if low > b);
            if above {
                Verdict {
                    kind: VerdictKind::Evidence,
                    text: format!(
                        "{head}; {chance}, and the {level} interval {interval} lies above the all-dates mean: evidence of an effect"
                    ),
                }
            } else {
                Verdict {
                    kind: VerdictKind::WeakEvidence,
                    text: format!(
                        "{head}; {chance}, but the {level} interval {interval} reaches the all-dates mean: weak evidence"
                    ),
                }
            }
        } else if p <= alpha {
            Verdict {
                kind: VerdictKind::NoEvidence,
                text: format!(
                    "{head}; {chance}: significant alone, but not after correcting for the number of tests: no evidence beyond chance"
                ),
            }
        } else {
            Verdict {
                kind: VerdictKind::NoEvidence,
                text: format!("{head}; {chance}: no evidence that the events beat a random date"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: usize, p: f64, p_holm: f64, interval: (f64, f64)) -> VerdictInputs {
        VerdictInputs {
            n,
            mean: Some(0.392),
            baseline_mean: Some(0.081),
            p_value: Some(p),
            p_holm: Some(p_holm),
            interval: Some(interval),
            confidence: 0.95,
        }
    }

    #[test]
    fn small_samples_are_said_out_loud() {
        let v = Verdict::for_horizon(&inputs(3, 0.0001, 0.001, (0.2, 0.5)), 8, 0.05, None);
        assert_eq!(v.kind, VerdictKind::TooFewEvents);
        assert_eq!(v.text, "n = 3 events: too few to conclude anything (need at least 8), whatever the p-value");
        let v = Verdict::for_horizon(&inputs(1, 0.5, 0.5, (0.2, 0.5)), 8, 0.05, None);
        assert!(v.text.starts_with("n = 1 event:"));
        assert_eq!(Verdict::for_horizon(&inputs(0, 0.5, 0.5, (0.0, 0.0)), 8, 0.05, None).kind, VerdictKind::NoEvents);
    }

    #[test]
    fn evidence_needs_the_holm_p_and_the_interval() {
        let v = Verdict::for_horizon(&inputs(10, 0.001, 0.02, (0.1, 0.6)), 8, 0.05, None);
        assert_eq!(v.kind, VerdictKind::Evidence);
        assert_eq!(
            v.text,
            "n = 10 events: mean +39.2% against +8.1% on all dates; random dates did as well in a share p = 0.001 \
             of placebo sets (Holm-adjusted 0.020), and the 95% interval [+10.0%, +60.0%] lies above the all-dates \
             mean: evidence of an effect"
        );
        let v = Verdict::for_horizon(&inputs(10, 0.001, 0.02, (0.05, 0.6)), 8, 0.05, None);
        assert_eq!(v.kind, VerdictKind::WeakEvidence);
        let v = Verdict::for_horizon(&inputs(10, 0.01, 0.2, (0.1, 0.6)), 8, 0.05, None);
        assert_eq!(v.kind, VerdictKind::NoEvidence);
        assert!(v.text.contains("not after correcting for the number of tests"), "{}", v.text);
        let v = Verdict::for_horizon(&inputs(10, 0.3, 1.0, (0.1, 0.6)), 8, 0.05, None);
        assert!(v.text.ends_with("no evidence that the events beat a random date"));
    }

    #[test]
    fn untested_says_why() {
        let mut i = inputs(9, 0.0, 0.0, (0.0, 0.0));
        (i.p_value, i.p_holm) = (None, None);
        let v = Verdict::for_horizon(&i, 8, 0.05, Some("the placebo pool is empty"));
        assert_eq!(v.kind, VerdictKind::Untested);
        assert!(v.text.ends_with("not tested: the placebo pool is empty"));
    }
}
