//! Signal specs: one line of text that names a signal and its parameters, so
//! later commands (event studies, backtests, alerts) can take any signal.
//!
//! # Grammar
//!
//! ```text
//! spec       = breakout | level | liquidity | altseason | "halving" ;
//! breakout   = "breakout:" series [ ":" option { "," option } ] ;
//! option     = "min-days=" uint | "basis=" basis | "margin-pct=" number
//!            | "confirm-days=" uint | "fail-sessions=" uint ;
//! level      = "level:" series ":" number [ ":basis=" basis ] ;
//! liquidity  = "liquidity:" ( "expanding" | "contracting" ) ;
//! altseason  = "altseason:" ( "blockchaincenter" | "cmc" ) ( ">=" | "<=" ) number ;
//! series     = id [ "/" id ] ;       (* a stored series, or the ratio of two *)
//! id         = 1-64 of a-z 0-9 "-" "_" ".", starting with a letter or digit ;
//! basis      = "close" | "high" ;
//! uint       = digit { digit } ;
//! number     = a finite decimal number ("2600", "0.5", "1e3") ;
//! ```
//!
//! The whole spec is read case-insensitively (`RUT` is `rut`) and trimmed; there
//! are no spaces inside. Each option may appear once, in any order; options
//! left out take the defaults of [`BreakoutParams`] (365 days, close, 0%,
//! 1 day, 20 sessions). Ranges: `confirm-days` and `fail-sessions` at least 1,
//! `margin-pct` at least 0, the altseason threshold within 0..=100.
//!
//! Meanings: `breakout` is [`crate::breakout::detect_breakouts`]; `level` is
//! [`crate::breakout::level_crossings`] (crosses above the number); `liquidity`
//! selects the dates in a net-liquidity regime; `altseason` the dates where the
//! named index is at or above / at or below the threshold; `halving` the
//! halving dates ([`crate::cycles::HALVINGS`]).
//!
//! [`SignalSpec`]'s `Display` writes the canonical form (breakout options other
//! than `min-days` only when they differ from the default), which parses back
//! to an equal spec.
//!
//! ```
//! use riskcurve_signals::spec::SignalSpec;
//! let spec: SignalSpec = "breakout:RUT/spx:confirm-days=2,min-days=730".parse().unwrap();
//! assert_eq!(spec.to_string(), "breakout:rut/spx:min-days=730,confirm-days=2");
//! ```

use std::fmt;
use std::str::FromStr;

use riskcurve_core::SeriesId;
use serde::{Deserialize, Serialize};

use crate::breakout::{Basis, BreakoutParams};
use crate::SignalError;

/// The grammar in one line, for error messages and `--help`.
pub const GRAMMAR: &str = "breakout:SERIES[:min-days=N,basis=close|high,margin-pct=X,confirm-days=N,fail-sessions=N] \
     | level:SERIES:X[:basis=close|high] | liquidity:expanding|contracting \
     | altseason:blockchaincenter|cmc(>=|<=)X | halving";

/// The altseason rules a spec can name.
const ALTSEASON_RULES: [&str; 2] = ["blockchaincenter", "cmc"];

/// The net-liquidity regime a `liquidity:` spec selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Net liquidity rising.
    Expanding,
    /// Net liquidity falling.
    Contracting,
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Regime::Expanding => "expanding",
            Regime::Contracting => "contracting",
        })
    }
}

impl FromStr for Regime {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<Regime, SignalError> {
        match s {
            "expanding" => Ok(Regime::Expanding),
            "contracting" => Ok(Regime::Contracting),
            other => Err(SignalError::param("--regime", format!("{other:?} is not expanding or contracting"))),
        }
    }
}

/// A comparison against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cmp {
    /// At or above (`>=`).
    #[serde(rename = ">=")]
    Ge,
    /// At or below (`<=`).
    #[serde(rename = "<=")]
    Le,
}

impl Cmp {
    /// Whether `value` satisfies the comparison with `threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Cmp::Ge => value >= threshold,
            Cmp::Le => value <= threshold,
        }
    }
}

impl fmt::Display for Cmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cmp::Ge => ">=",
            Cmp::Le => "<=",
        })
    }
}

/// A parsed signal spec (see the module docs for the grammar).
#[derive(Debug, Clone, PartialEq)]
pub enum SignalSpec {
    /// Breakouts of `series` to a new high after a consolidation.
    Breakout {
        /// The series or ratio (`rut`, `rut/spx`).
        series: String,
        /// The detector's parameters.
        params: BreakoutParams,
    },
    /// Crosses of `series` above a fixed level.
    Level {
        /// The series or ratio.
        series: String,
        /// The level.
        level: f64,
        /// Close or intraday high.
        basis: Basis,
    },
    /// Dates in a net-liquidity regime.
    Liquidity {
        /// Expanding or contracting.
        regime: Regime,
    },
    /// Dates where an altcoin-season index satisfies a threshold.
    Altseason {
        /// `blockchaincenter` or `cmc`.
        rule: String,
        /// At or above, at or below.
        op: Cmp,
        /// The threshold, 0..=100.
        threshold: f64,
    },
    /// The Bitcoin halving dates.
    Halving,
}

impl SignalSpec {
    /// The series the signal is computed on, for the kinds that have one.
    pub fn series(&self) -> Option<&str> {
        match self {
            SignalSpec::Breakout { series, .. } | SignalSpec::Level { series, .. } => Some(series),
            _ => None,
        }
    }
}

impl fmt::Display for SignalSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignalSpec::Breakout { series, params } => {
                let defaults = BreakoutParams::default();
                write!(f, "breakout:{series}:min-days={}", params.min_days)?;
                if params.basis != defaults.basis {
                    write!(f, ",basis={}", params.basis)?;
                }
                if params.margin_pct != defaults.margin_pct {
                    write!(f, ",margin-pct={}", params.margin_pct)?;
                }
                if params.confirm_days != defaults.confirm_days {
                    write!(f, ",confirm-days={}", params.confirm_days)?;
                }
                if params.fail_sessions != defaults.fail_sessions {
                    write!(f, ",fail-sessions={}", params.fail_sessions)?;
                }
                Ok(())
            }
            SignalSpec::Level { series, level, basis } => {
                write!(f, "level:{series}:{level}")?;
                if *basis != Basis::Close {
                    write!(f, ":basis={basis}")?;
                }
                Ok(())
            }
            SignalSpec::Liquidity { regime } => write!(f, "liquidity:{regime}"),
            SignalSpec::Altseason { rule, op, threshold } => write!(f, "altseason:{rule}{op}{threshold}"),
            SignalSpec::Halving => f.write_str("halving"),
        }
    }
}

impl FromStr for SignalSpec {
    type Err = SignalError;
    fn from_str(s: &str) -> Result<SignalSpec, SignalError> {
        let error = |problem: String| SignalError::InvalidSpec {
            spec: s.to_string(),
            problem: format!("{problem}; expected {GRAMMAR}"),
        };
        let text = s.trim().to_ascii_lowercase();
        let (kind, rest) = text.split_once(':').unwrap_or((&text, ""));
        match kind {
            "breakout" => parse_breakout(rest).map_err(error),
            "level" => parse_level(rest).map_err(error),
            "liquidity" => {
                let regime = rest.parse().map_err(|_| error(format!("unknown regime {rest:?}")))?;
                Ok(SignalSpec::Liquidity { regime })
            }
            "altseason" => parse_altseason(rest).map_err(error),
            "halving" if text == "halving" => Ok(SignalSpec::Halving),
            "halving" => Err(error("halving takes no arguments".to_string())),
            "" => Err(error("empty spec".to_string())),
            other => Err(error(format!("unknown signal {other:?}"))),
        }
    }
}

impl Serialize for SignalSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SignalSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SignalSpec, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// `id` or `id/id`, each a valid [`SeriesId`].
fn parse_series(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() > 2 {
        return Err(format!("series {text:?} has more than one '/'"));
    }
    for part in &parts {
        SeriesId::new(part).map_err(|e| e.to_string())?;
    }
    Ok(text.to_string())
}

fn parse_number(name: &str, text: &str) -> Result<f64, String> {
    text.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| format!("{name} {text:?} is not a finite number"))
}

fn parse_uint<T: FromStr>(name: &str, text: &str) -> Result<T, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten().ok_or_else(|| format!("{name} {text:?} is not a whole number"))
}

fn parse_basis(text: &str) -> Result<Basis, String> {
    text.parse().map_err(|_| format!("basis {text:?} is not close or high"))
}

fn parse_breakout(rest: &str) -> Result<SignalSpec, String> {
    let (series, options) = match rest.split_once(':') {
        Some((series, options)) => (series, Some(options)),
        None => (rest, None),
    };
    let series = parse_series(series)?;
    let mut params = BreakoutParams::default();
    let mut seen: Vec<&str> = Vec::new();
    for option in options.map(|o| o.split(',').collect()).unwrap_or_else(Vec::new) {
        let (name, value) = option.split_once('=').ok_or_else(|| format!("option {option:?} is not name=value"))?;
        if seen.contains(&name) {
            return Err(format!("option {name} given twice"));
        }
        seen.push(name);
        match name {
            "min-days" => params.min_days = parse_uint(name, value)?,
            "basis" => params.basis = parse_basis(value)?,
            "margin-pct" => params.margin_pct = parse_number(name, value)?,
            "confirm-days" => params.confirm_days = parse_uint(name, value)?,
            "fail-sessions" => params.fail_sessions = parse_uint(name, value)?,
            other => {
                return Err(format!(
                    "unknown option {other:?} (min-days, basis, margin-pct, confirm-days, fail-sessions)"
                ))
            }
        }
    }
    params.validate().map_err(|e| e.to_string().trim_start_matches("--").to_string())?;
    Ok(SignalSpec::Breakout { series, params })
}

fn parse_level(rest: &str) -> Result<SignalSpec, String> {
    let mut parts = rest.split(':');
    let series = parse_series(parts.next().unwrap_or(""))?;
    let level = parse_number("level", parts.next().ok_or("level needs a number: level:SERIES:X")?)?;
    let basis = match parts.next() {
        None => Basis::Close,
        Some(option) => {
            let value = option.strip_prefix("basis=").ok_or_else(|| format!("option {option:?} is not basis=..."))?;
            parse_basis(value)?
        }
    };
    if let Some(extra) = parts.next() {
        return Err(format!("unexpected {extra:?} after the level"));
    }
    Ok(SignalSpec::Level { series, level, basis })
}

fn parse_altseason(rest: &str) -> Result<SignalSpec, String> {
    let at = rest.find(['>', '<']).ok_or("altseason needs >= or <= and a threshold")?;
    let (rule, tail) = rest.split_at(at);
    if !ALTSEASON_RULES.contains(&rule) {
        return Err(format!("unknown altseason rule {rule:?} (blockchaincenter or cmc)"));
    }
    let (op, number) = if let Some(n) = tail.strip_prefix(">=") {
        (Cmp::Ge, n)
    } else if let Some(n) = tail.strip_prefix("<=") {
        (Cmp::Le, n)
    } else {
        return Err(format!("comparison in {tail:?} is not >= or <="));
    };
    let threshold = parse_number("threshold", number)?;
    if !(0.0..=100.0).contains(&threshold) {
        return Err(format!("threshold {threshold} is outside 0..=100"));
    }
    Ok(SignalSpec::Altseason { rule: rule.to_string(), op, threshold })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> SignalSpec {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn problem(s: &str) -> String {
        match s.parse::<SignalSpec>() {
            Err(SignalError::InvalidSpec { spec, problem }) => {
                assert_eq!(spec, s);
                assert!(problem.ends_with(GRAMMAR), "{problem}");
                problem
            }
            other => panic!("{s}: expected an invalid spec, got {other:?}"),
        }
    }

    #[test]
    fn parses_the_examples() {
        let b = |series: &str, params| SignalSpec::Breakout { series: series.to_string(), params };
        assert_eq!(parse("breakout:rut:min-days=365"), b("rut", BreakoutParams::default()));
        assert_eq!(parse("breakout:rut"), b("rut", BreakoutParams::default()));
        let full = BreakoutParams { basis: Basis::High, margin_pct: 1.0, confirm_days: 2, ..BreakoutParams::default() };
        assert_eq!(parse("breakout:rut/spx:min-days=365,basis=high,margin-pct=1,confirm-days=2"), b("rut/spx", full));
        assert_eq!(parse(" Breakout:RUT:fail-sessions=5 ").to_string(), "breakout:rut:min-days=365,fail-sessions=5");
        assert_eq!(
            parse("level:rut:2600"),
            SignalSpec::Level { series: "rut".into(), level: 2600.0, basis: Basis::Close }
        );
        assert_eq!(parse("level:eth/btc:0.05:basis=high").to_string(), "level:eth/btc:0.05:basis=high");
        assert_eq!(parse("liquidity:expanding"), SignalSpec::Liquidity { regime: Regime::Expanding });
        assert_eq!(parse("liquidity:contracting"), SignalSpec::Liquidity { regime: Regime::Contracting });
        let alt = parse("altseason:blockchaincenter>=75");
        assert_eq!(alt, SignalSpec::Altseason { rule: "blockchaincenter".into(), op: Cmp::Ge, threshold: 75.0 });
        assert_eq!(parse("altseason:cmc<=25").to_string(), "altseason:cmc<=25");
        assert_eq!(parse("halving"), SignalSpec::Halving);
        assert_eq!(parse("level:rut:2600").series(), Some("rut"));
        assert_eq!(parse("halving").series(), None);
        assert!(Cmp::Ge.holds(75.0, 75.0) && !Cmp::Le.holds(26.0, 25.0));
    }

    #[test]
    fn errors_name_the_problem_and_show_the_grammar() {
        assert!(problem("").starts_with("empty spec"));
        assert!(problem("breakdown:rut").contains("unknown signal \"breakdown\""));
        assert!(problem("breakout:rut:min-days=-1").contains("min-days \"-1\" is not a whole number"));
        assert!(problem("breakout:rut:confirm-days=0").contains("confirm-days: must be at least 1"));
        assert!(problem("breakout:rut:margin-pct=-1").contains("margin-pct"));
        assert!(problem("breakout:rut:margin-pct=inf").contains("not a finite number"));
        assert!(problem("breakout:rut:min-days=1,min-days=2").contains("given twice"));
        assert!(problem("breakout:rut:days=2").contains("unknown option \"days\""));
        assert!(problem("breakout:rut:").contains("not name=value"));
        assert!(problem("breakout:rut:basis=low").contains("basis \"low\""));
        assert!(problem("breakout:").contains("invalid series id"));
        assert!(problem("breakout:a/b/c").contains("more than one '/'"));
        assert!(problem("breakout:r$t").contains("invalid series id"));
        assert!(problem("level:rut").contains("needs a number"));
        assert!(problem("level:rut:abc").contains("not a finite number"));
        assert!(problem("level:rut:2600:close").contains("not basis="));
        assert!(problem("level:rut:2600:basis=high:x").contains("unexpected"));
        assert!(problem("liquidity:flat").contains("unknown regime"));
        assert!(problem("altseason:cmc").contains(">= or <="));
        assert!(problem("altseason:foo>=75").contains("unknown altseason rule"));
        assert!(problem("altseason:cmc>25").contains("not >= or <="));
        assert!(problem("altseason:cmc>=101").contains("outside 0..=100"));
        assert!(problem("halving:2024").contains("no arguments"));
    }

    fn id() -> impl Strategy<Value = String> {
        "[a-z0-9][a-z0-9._-]{0,8}"
    }

    fn series() -> impl Strategy<Value = String> {
        (id(), prop::option::of(id())).prop_map(|(a, b)| b.map_or(a.clone(), |b| format!("{a}/{b}")))
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![any::<f64>().prop_filter("finite", |x| x.is_finite()), (0u32..5000).prop_map(f64::from)]
    }

    fn basis() -> impl Strategy<Value = Basis> {
        prop_oneof![Just(Basis::Close), Just(Basis::High)]
    }

    fn spec() -> impl Strategy<Value = SignalSpec> {
        let params = (any::<u32>(), basis(), prop_oneof![Just(0.0), 0.0f64..1e6], 1u32.., 1usize..).prop_map(
            |(min_days, basis, margin_pct, confirm_days, fail_sessions)| BreakoutParams {
                min_days,
                basis,
                margin_pct,
                confirm_days,
                fail_sessions,
            },
        );
        prop_oneof![
            (series(), params).prop_map(|(series, params)| SignalSpec::Breakout { series, params }),
            (series(), number(), basis()).prop_map(|(series, level, basis)| SignalSpec::Level { series, level, basis }),
            prop_oneof![Just(Regime::Expanding), Just(Regime::Contracting)]
                .prop_map(|regime| SignalSpec::Liquidity { regime }),
            (
                prop_oneof![Just("blockchaincenter"), Just("cmc")],
                prop_oneof![Just(Cmp::Ge), Just(Cmp::Le)],
                0.0f64..=100.0
            )
                .prop_map(|(rule, op, threshold)| SignalSpec::Altseason {
                    rule: rule.to_string(),
                    op,
                    threshold
                }),
            Just(SignalSpec::Halving),
        ]
    }

    proptest! {
        #[test]
        fn display_round_trips(spec in spec()) {
            let text = spec.to_string();
            prop_assert_eq!(text.parse::<SignalSpec>().unwrap(), spec.clone(), "{}", text);
            // Canonical: printing the parsed spec gives the same text.
            prop_assert_eq!(text.parse::<SignalSpec>().unwrap().to_string(), text);
        }
    }
}
