//! Numbers for people: percentages, money with units, prices rounded to what
//! they mean, counts with thousands separators. Every front end (terminal,
//! report, dashboard, alerts) formats through these, so a value reads the
//! same everywhere.

/// The name a unit-like enum serialises to (`leading`, `bitcoin season`,
/// `trailing-stop`): the same word in tables, pages and JSON.
pub fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// A signed percentage of a fraction: `0.0123` -> `+1.2%`; `digits` decimals.
pub fn pct_signed(fraction: f64, digits: usize) -> String {
    if !fraction.is_finite() {
        return "n/a".into();
    }
    let v = 100.0 * fraction;
    // From 1,000% on the decimals are noise: +89,499,039%, not +89499039.0%.
    if v.abs() >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "+" };
        return format!("{sign}{}%", thousands(&format!("{:.0}", v.abs())));
    }
    // -0.04 rounds to "-0.0": show an honest zero instead.
    let text = format!("{v:+.digits$}%");
    if text.trim_start_matches(['+', '-']).chars().all(|c| c == '0' || c == '.' || c == '%') {
        return format!("{:.digits$}%", 0.0);
    }
    text
}

/// A percentage of a fraction without a sign for positives: `0.5` -> `50.0%`.
pub fn pct(fraction: f64, digits: usize) -> String {
    if !fraction.is_finite() {
        return "n/a".into();
    }
    format!("{:.digits$}%", 100.0 * fraction)
}

/// An amount given in USD millions, scaled to T/bn/m: `5_790_000.0` -> `$5.79T`,
/// `-139_000.0` -> `-$139bn`, `850.0` -> `$850m`. Three significant digits.
pub fn usd_millions(millions: f64) -> String {
    if !millions.is_finite() {
        return "n/a".into();
    }
    let sign = if millions < 0.0 { "-" } else { "" };
    let m = millions.abs();
    let (value, suffix) = if m >= 1e6 {
        (m / 1e6, "T")
    } else if m >= 1e3 {
        (m / 1e3, "bn")
    } else {
        (m, "m")
    };
    format!("{sign}${}{suffix}", three_significant(value))
}

/// A signed change in USD millions: `+$12.3bn`, `-$139bn`.
pub fn usd_millions_signed(millions: f64) -> String {
    let text = usd_millions(millions);
    if millions > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// Three significant digits without exponent: 5.79, 57.9, 579.
fn three_significant(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A price or index level: thousands separators and cents above 1
/// (`3017.87` -> `3,017.87`, `64012.5` -> `64,012.50`); four significant
/// digits below 1 (`0.00001234` -> `0.00001234`).
pub fn price(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if v.abs() >= 1.0 || v == 0.0 {
        let text = format!("{:.2}", v.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
        let sign = if v < 0.0 { "-" } else { "" };
        return format!("{sign}{}.{frac}", thousands(int));
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(2, 12) as usize;
    format!("{v:.digits$}")
}

/// A count with thousands separators: `9811` -> `9,811`.
pub fn count(n: u64) -> String {
    thousands(&n.to_string())
}

fn thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A multiple: `1.3612` -> `1.36x`.
pub fn multiple(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    format!("{v:.2}x")
}

/// A p-value: three decimals, `<0.001` below that.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// An age in days: `0 days`, `1 day`, `101 days`.
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_signed_and_rounded() {
        assert_eq!(pct_signed(0.0123, 1), "+1.2%");
        assert_eq!(pct_signed(-0.207, 1), "-20.7%");
        assert_eq!(pct_signed(-0.0004, 1), "0.0%");
        assert_eq!(pct_signed(9.28, 0), "+928%");
        assert_eq!(pct_signed(894_990.39, 1), "+89,499,039%");
        assert_eq!(pct_signed(-12.346, 1), "-1,235%");
        assert_eq!(pct(0.5, 1), "50.0%");
        assert_eq!(pct_signed(f64::NAN, 1), "n/a");
    }

    #[test]
    fn money_in_usd_millions_reads_as_trillions_billions_millions() {
        // The issue's own examples: net liquidity and its 13-week change.
        assert_eq!(usd_millions(5_790_000.0), "$5.79T");
        assert_eq!(usd_millions(-139_000.0), "-$139bn");
        assert_eq!(usd_millions_signed(12_345.0), "+$12.3bn");
        assert_eq!(usd_millions(850.0), "$850m");
        assert_eq!(usd_millions(1_222.0), "$1.22bn");
    }

    #[test]
    fn prices_get_separators_and_small_prices_keep_their_digits() {
        assert_eq!(price(3017.87), "3,017.87");
        assert_eq!(price(64012.5), "64,012.50");
        assert_eq!(price(999.0), "999.00");
        assert_eq!(price(0.00001234), "0.00001234");
        assert_eq!(price(0.5), "0.5000");
        assert_eq!(price(-1234.5), "-1,234.50");
        assert_eq!(count(9811), "9,811");
        assert_eq!(count(12), "12");
        assert_eq!(count(100000), "100,000");
    }

    #[test]
    fn enum_labels_are_their_json_names() {
        use riskcurve_signals::altseason::AltseasonState;
        use riskcurve_signals::rotation::Quadrant;
        assert_eq!(label(&AltseasonState::BitcoinSeason), "bitcoin season");
        assert_eq!(label(&Quadrant::Improving), "improving");
    }

    #[test]
    fn multiples_p_values_and_days() {
        assert_eq!(multiple(1.3612), "1.36x");
        assert_eq!(p_value(0.0004), "<0.001");
        assert_eq!(p_value(0.0221), "0.022");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(101), "101 days");
    }
}
