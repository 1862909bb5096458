//! The claims file's form: the kinds of test, the parameters each takes, and
//! their checks, applied when the file is read so a malformed claim is bad
//! input naming the claim (exit 2), never a `no data` verdict at run time.

use riskcurve_core::Date;
use riskcurve_signals::spec::SignalSpec;
use toml::{Table, Value};

use crate::{bad_input, Result};

/// What a parameter holds.
#[derive(Clone, Copy)]
enum Ty {
    Str,
    Choice(&'static [&'static str]),
    Date,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a calendar span.
    Period,
    Int(i64),
    Float,
    Bool,
    Signal,
    /// A list of strings with at least this many items, and at most the second.
    List(usize, usize),
    /// The halving claim's `[[year, multiple], ...]`.
    Pairs,
}

struct Param {
    key: &'static str,
    ty: Ty,
    required: bool,
}

const fn req(key: &'static str, ty: Ty) -> Param {
    Param { key, ty, required: true }
}

const fn opt(key: &'static str, ty: Ty) -> Param {
    Param { key, ty, required: false }
}

const FREQ: Ty = Ty::Choice(&["daily", "weekly", "monthly"]);
const BASIS: Ty = Ty::Choice(&["close", "high"]);
const MANY: usize = usize::MAX;

/// Parameters every claim may have, whatever its kind.
const COMMON: [Param; 5] = [
    req("id", Ty::Str),
    req("text", Ty::Str),
    req("kind", Ty::Str),
    // Series the claim also needs but riskcurve cannot measure from the
    // stored data (the unmeasurable part of a conjunction).
    opt("requires", Ty::List(1, MANY)),
    // What the missing data is, in words, for the `no data` evidence.
    opt("needs", Ty::Str),
];

/// A kind of test and its parameters.
struct Kind {
    name: &'static str,
    params: &'static [Param],
    /// Checks across parameters (one of two, not both).
    check: fn(&Table) -> std::result::Result<(), String>,
}

fn no_check(_: &Table) -> std::result::Result<(), String> {
    Ok(())
}

fn exactly_one(c: &Table, keys: &[&str]) -> std::result::Result<(), String> {
    match keys.iter().filter(|k| c.contains_key(**k)).count() {
        1 => Ok(()),
        _ => {
            Err(format!("give exactly one of {}", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")))
        }
    }
}

const KINDS: &[Kind] = &[
    Kind {
        name: "event-cases",
        params: &[
            req("signal", Ty::Signal),
            opt("target", Ty::Str),
            opt("targets", Ty::List(1, MANY)),
            req("horizon", Ty::Int(1)),
            opt("periods", Ty::List(1, MANY)),
            opt("from", Ty::Date),
            req("min_return", Ty::Float),
            opt("measure", Ty::Choice(&["return", "max_runup"])),
        ],
        check: |c| {
            exactly_one(c, &["target", "targets"])?;
            // Periods are checked one by one below, as list items.
            for p in c.get("periods").and_then(Value::as_array).into_iter().flatten() {
                period(p.as_str().unwrap_or_default()).map_err(|e| format!("`periods`: {e}"))?;
            }
            Ok(())
        },
    },
    Kind {
        name: "event-study",
        params: &[
            req("signal", Ty::Signal),
            req("targets", Ty::List(1, MANY)),
            req("horizon", Ty::Int(1)),
            opt("from", Ty::Date),
        ],
        check: no_check,
    },
    Kind {
        name: "halving",
        params: &[req("expected", Ty::Pairs), req("tolerance", Ty::Float), opt("days", Ty::Int(1))],
        check: no_check,
    },
    Kind {
        name: "first-cross",
        params: &[
            req("series", Ty::Str),
            req("reference_from", Ty::Date),
            req("reference_to", Ty::Date),
            req("expected_month", Ty::Period),
            opt("basis", BASIS),
        ],
        check: no_check,
    },
    Kind {
        name: "correlation",
        params: &[req("target", Ty::Str), req("with", Ty::List(2, 2)), opt("freq", FREQ), opt("from", Ty::Date)],
        check: no_check,
    },
    Kind { name: "liquidity", params: &[req("date", Ty::Date), opt("rrp_drained", Ty::Float)], check: no_check },
    Kind {
        name: "lead-order",
        params: &[
            req("chain", Ty::List(2, MANY)),
            opt("freq", FREQ),
            req("max_lag", Ty::Int(1)),
            opt("from", Ty::Date),
        ],
        check: no_check,
    },
    Kind {
        name: "year-return",
        params: &[
            req("series", Ty::Str),
            req("year", Ty::Int(1900)),
            req("min_return", Ty::Float),
            opt("measure", Ty::Choice(&["calendar", "from-low"])),
        ],
        check: no_check,
    },
    Kind {
        name: "period-return",
        params: &[
            req("series", Ty::Str),
            req("base", Ty::Date),
            req("end", Ty::Date),
            req("return", Ty::Float),
            req("tolerance", Ty::Float),
            opt("measure", Ty::Choice(&["end", "peak"])),
            opt("above", Ty::Float),
            opt("basis", BASIS),
        ],
        check: no_check,
    },
    Kind {
        name: "volume",
        params: &[
            req("signal", Ty::Signal),
            req("period", Ty::Period),
            opt("volume_series", Ty::Str),
            req("mean_days", Ty::Int(1)),
            opt("min_ratio", Ty::Float),
            opt("rank_days", Ty::Int(0)),
            opt("min_percentile", Ty::Float),
        ],
        check: |c| {
            if c.contains_key("min_ratio") || c.contains_key("min_percentile") {
                Ok(())
            } else {
                Err("give `min_ratio`, `min_percentile` or both".into())
            }
        },
    },
    Kind {
        name: "altseason-after",
        params: &[
            req("signal", Ty::Signal),
            req("periods", Ty::List(1, MANY)),
            req("window_days", Ty::Int(1)),
            req("threshold", Ty::Float),
            opt("rule", Ty::Choice(&["blockchaincenter", "cmc"])),
        ],
        check: |c| {
            for p in c.get("periods").and_then(Value::as_array).into_iter().flatten() {
                period(p.as_str().unwrap_or_default()).map_err(|e| format!("`periods`: {e}"))?;
            }
            Ok(())
        },
    },
    Kind {
        name: "prior-cycle-high",
        params: &[
            req("halving_year", Ty::Int(2012)),
            opt("expected_month", Ty::Period),
            opt("reference", Ty::Choice(&["cycle-top", "year-before"])),
        ],
        check: no_check,
    },
    Kind {
        name: "issuance",
        params: &[
            req("halving", Ty::Int(1)),
            req("before", Ty::Float),
            req("after", Ty::Float),
            req("mined", Ty::Float),
            opt("tolerance", Ty::Float),
            opt("rounding", Ty::Bool),
            opt("blocks_per_year", Ty::Int(1)),
        ],
        check: |c| {
            // `rounding = true` replaces the tolerance (a variant sets it over the claim's).
            if c.contains_key("tolerance") || c.get("rounding").and_then(Value::as_bool) == Some(true) {
                Ok(())
            } else {
                Err("give `tolerance` or `rounding = true`".into())
            }
        },
    },
    Kind {
        name: "value-at",
        params: &[
            req("series", Ty::Str),
            req("date", Ty::Date),
            opt("release_days", Ty::Int(0)),
            opt("expected", Ty::Float),
            opt("tolerance", Ty::Float),
            opt("min", Ty::Float),
            opt("max", Ty::Float),
        ],
        check: |c| {
            exactly_one(c, &["expected", "min", "max"])?;
            if c.contains_key("expected") != c.contains_key("tolerance") {
                return Err("`expected` and `tolerance` go together".into());
            }
            Ok(())
        },
    },
];

/// The kinds, for messages.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// Checks one definition (a claim, or a claim merged with a variant); the
/// message names the parameter at fault.
pub fn validate(c: &Table) -> std::result::Result<(), String> {
    let kind_name = c.get("kind").and_then(Value::as_str).ok_or("no string `kind`")?;
    let Some(kind) = KINDS.iter().find(|k| k.name == kind_name) else {
        return Err(format!("unknown kind {kind_name:?} (known: {})", kind_names().join(", ")));
    };
    for (key, value) in c {
        let Some(p) = COMMON.iter().chain(kind.params).find(|p| p.key == key) else {
            return Err(format!("`{key}` is not a parameter of kind {kind_name}"));
        };
        check_value(p, value).map_err(|e| format!("`{key}`: {e}"))?;
    }
    for p in COMMON.iter().chain(kind.params).filter(|p| p.required) {
        if !c.contains_key(p.key) {
            return Err(format!("kind {kind_name} needs `{}`", p.key));
        }
    }
    (kind.check)(c)
}

fn check_value(p: &Param, v: &Value) -> std::result::Result<(), String> {
    match p.ty {
        Ty::Str => v.as_str().map(drop).ok_or_else(|| "expected a string".to_string()),
        Ty::Choice(options) => match v.as_str() {
            Some(s) if options.contains(&s) => Ok(()),
            _ => Err(format!("expected one of {}", options.join(", "))),
        },
        Ty::Date => {
            v.as_str().ok_or("expected a date YYYY-MM-DD")?.parse::<Date>().map(drop).map_err(|e| e.to_string())
        }
        Ty::Period => period(v.as_str().ok_or("expected YYYY, YYYY-MM or YYYY-MM-DD")?).map(drop),
        Ty::Int(min) => match v.as_integer() {
            Some(i) if i >= min => Ok(()),
            Some(i) => Err(format!("{i} is below {min}")),
            None => Err("expected an integer".into()),
        },
        Ty::Float => as_f64(v).filter(|x| x.is_finite()).map(drop).ok_or_else(|| "expected a number".into()),
        Ty::Bool => v.as_bool().map(drop).ok_or_else(|| "expected true or false".into()),
        Ty::Signal => {
            v.as_str().ok_or("expected a signal spec")?.parse::<SignalSpec>().map(drop).map_err(|e| e.to_string())
        }
        Ty::List(min, max) => {
            let items = v.as_array().ok_or("expected a list of strings")?;
            if items.iter().any(|i| !i.is_str()) {
                return Err("expected a list of strings".into());
            }
            match items.len() {
                n if n < min => Err(format!("needs at least {min} items, has {n}")),
                n if n > max => Err(format!("takes at most {max} items, has {n}")),
                _ => Ok(()),
            }
        }
        Ty::Pairs => {
            let items = v.as_array().ok_or("expected [[year, multiple], ...]")?;
            let pair_ok =
                |i: &Value| i.as_array().is_some_and(|p| p.len() == 2 && p[0].is_integer() && as_f64(&p[1]).is_some());
            if items.is_empty() || !items.iter().all(pair_ok) {
                return Err("expected a non-empty list of [year, multiple] pairs".into());
            }
            Ok(())
        }
    }
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn period(p: &str) -> std::result::Result<(Date, Date), String> {
    let bad = || format!("{p:?} is not YYYY, YYYY-MM or YYYY-MM-DD");
    match p.len() {
        4 => {
            let y: i32 = p.parse().map_err(|_| bad())?;
            Ok((Date::from_ymd(y, 1, 1).map_err(|_| bad())?, Date::from_ymd(y, 12, 31).map_err(|_| bad())?))
        }
        7 => {
            let first: Date = format!("{p}-01").parse().map_err(|_| bad())?;
            Ok((first, first.month_end()))
        }
        10 => {
            let d: Date = p.parse().map_err(|_| bad())?;
            Ok((d, d))
        }
        _ => Err(bad()),
    }
}

/// A number, written as an integer or a float.
pub fn as_f64(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Typed access to a validated definition. The getters still return errors
/// (bad input), so a definition that skipped validation cannot panic.
pub struct Params<'a>(pub &'a Table);

impl Params<'_> {
    fn missing(key: &str) -> crate::AppError {
        bad_input(format!("parameter `{key}` is missing or of the wrong type"))
    }

    /// A string.
    pub fn str(&self, key: &str) -> Result<&str> {
        self.0.get(key).and_then(Value::as_str).ok_or_else(|| Self::missing(key))
    }

    /// An optional string, or `default`.
    pub fn str_or<'b>(&'b self, key: &str, default: &'b str) -> &'b str {
        self.0.get(key).and_then(Value::as_str).unwrap_or(default)
    }

    /// A list of strings.
    pub fn strs(&self, key: &str) -> Result<Vec<String>> {
        let list = self.0.get(key).and_then(Value::as_array).ok_or_else(|| Self::missing(key))?;
        Ok(list.iter().filter_map(Value::as_str).map(str::to_string).collect())
    }

    /// An integer.
    pub fn int(&self, key: &str) -> Result<i64> {
        self.0.get(key).and_then(Value::as_integer).ok_or_else(|| Self::missing(key))
    }

    /// An optional integer.
    pub fn opt_int(&self, key: &str) -> Option<i64> {
        self.0.get(key).and_then(Value::as_integer)
    }

    /// A number.
    pub fn float(&self, key: &str) -> Result<f64> {
        self.0.get(key).and_then(as_f64).ok_or_else(|| Self::missing(key))
    }

    /// An optional number.
    pub fn opt_float(&self, key: &str) -> Option<f64> {
        self.0.get(key).and_then(as_f64)
    }

    /// A date.
    pub fn date(&self, key: &str) -> Result<Date> {
        self.str(key)?.parse().map_err(bad_input)
    }

    /// An optional date.
    pub fn opt_date(&self, key: &str) -> Result<Option<Date>> {
        self.0.get(key).and_then(Value::as_str).map(|s| s.parse::<Date>().map_err(bad_input)).transpose()
    }

    /// A signal spec.
    pub fn signal(&self, key: &str) -> Result<SignalSpec> {
        self.str(key)?.parse().map_err(bad_input)
    }

    /// A calendar span.
    pub fn period(&self, key: &str) -> Result<(Date, Date)> {
        period(self.str(key)?).map_err(bad_input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn list_lengths_are_checked() {
        let base = "id = \"X\"\ntext = \"t\"\nkind = \"correlation\"\ntarget = \"btc\"\n";
        assert_eq!(
            validate(&table(&format!("{base}with = [\"rut\"]"))).unwrap_err(),
            "`with`: needs at least 2 items, has 1"
        );
        assert_eq!(validate(&table(&format!("{base}with = []"))).unwrap_err(), "`with`: needs at least 2 items, has 0");
        assert!(validate(&table(&format!("{base}with = [\"rut\", \"spx\"]"))).is_ok());
        let chain = "id = \"X\"\ntext = \"t\"\nkind = \"lead-order\"\nmax_lag = 4\nchain = [\"rut\"]";
        assert_eq!(validate(&table(chain)).unwrap_err(), "`chain`: needs at least 2 items, has 1");
    }

    #[test]
    fn unknown_parameters_and_kinds_are_named() {
        let c = table("id = \"X\"\ntext = \"t\"\nkind = \"lead-order\"\nmax_lag = 4\nchain = [\"a\", \"b\"]\nlags = 3");
        assert_eq!(validate(&c).unwrap_err(), "`lags` is not a parameter of kind lead-order");
        let c = table("id = \"X\"\ntext = \"t\"\nkind = \"astrology\"");
        assert!(validate(&c).unwrap_err().starts_with("unknown kind \"astrology\""));
    }

    #[test]
    fn periods_are_calendar_spans() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(period("2016").unwrap(), (d("2016-01-01"), d("2016-12-31")));
        assert_eq!(period("2024-02").unwrap(), (d("2024-02-01"), d("2024-02-29")));
        assert!(period("2024-13").is_err() && period("24").is_err());
    }
}
