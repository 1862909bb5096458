//! Reading what a vendor answered besides data: the explanation in an
//! error body (each vendor puts it elsewhere), HTML pages where JSON or CSV
//! was expected, and `Retry-After`.

use std::time::{SystemTime, UNIX_EPOCH};

use riskcurve_core::Date;

/// The vendor's explanation from an error body, else a short summary.
///
/// Knows Yahoo (`chart.error.description`), FRED (`error_message`),
/// CoinGecko (`error`, `status.error_message`, `error.status.error_message`),
/// Coin Metrics (`error.message`) and Binance (`msg`).
pub fn error_message(body: &str, status_text: &str) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        const PATHS: [&str; 10] = [
            "/chart/error/description",
            "/finance/error/description",
            "/error_message",
            "/status/error_message",
            "/error/status/error_message",
            "/error/message",
            "/error",
            "/msg",
            "/message",
            "/detail",
        ];
        let found = PATHS
            .iter()
            .filter_map(|p| json.pointer(p))
            .filter_map(|v| v.as_str())
            .map(str::trim)
            .find(|s| !s.is_empty());
        if let Some(m) = found {
            return m.to_string();
        }
    }
    if let Some(markup) = markup_summary(body) {
        return format!("got {markup}");
    }
    let first = body.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        Some(line) => shorten(line, 200),
        None if !status_text.trim().is_empty() => status_text.trim().to_string(),
        None => "empty body".to_string(),
    }
}

/// "an HTML page (title ...)" when the body is markup, else `None`.
pub(super) fn markup_summary(body: &str) -> Option<String> {
    let t = body.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('<') {
        return None;
    }
    let head: String = t.chars().take(4096).collect::<String>().to_ascii_lowercase();
    if !(head.starts_with("<!doctype html") || head.contains("<html")) {
        return Some("markup (XML?)".to_string());
    }
    let title = head.find("<title").and_then(|start| {
        let open_end = start + head[start..].find('>')? + 1;
        let close = open_end + head[open_end..].find("</title")?;
        // Same byte offsets in the original (ASCII lowercasing keeps them).
        let original: String = t.chars().take(4096).collect();
        Some(shorten(original.get(open_end..close)?.trim(), 100))
    });
    Some(match title {
        Some(t) if !t.is_empty() => format!("an HTML page (title {t:?})"),
        _ => "an HTML page".to_string(),
    })
}

fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}...", one_line.chars().take(max).collect::<String>())
    }
}

/// Seconds to wait from a `Retry-After` value: delta-seconds or an
/// IMF-fixdate HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`); a past date is 0.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse().ok();
    }
    let at = parse_http_date(v)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(at.saturating_sub(now).max(0) as u64)
}

/// Unix seconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let date = Date::from_ymd(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let hms: Vec<i64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else { return None };
    if *h > 23 || *m > 59 || *sec > 60 {
        return None;
    }
    Some(date.unix_seconds() + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(1_719_835_200); // 2024-07-01 12:00:00 UTC
        assert_eq!(parse_retry_after("7", now), Some(7));
        assert_eq!(parse_retry_after("Mon, 01 Jul 2024 12:00:03 GMT", now), Some(3));
        assert_eq!(parse_retry_after("Mon, 01 Jul 2024 11:00:00 GMT", now), Some(0));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
    }

    #[test]
    fn vendor_messages() {
        let yahoo = r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
        assert_eq!(error_message(yahoo, "Not Found"), "No data found, symbol may be delisted");
        assert_eq!(error_message(r#"{"error_code":400,"error_message":"Bad Request."}"#, ""), "Bad Request.");
        assert_eq!(error_message(r#"{"error":"Incorrect path."}"#, ""), "Incorrect path.");
        assert_eq!(error_message(r#"{"status":{"error_code":429,"error_message":"Slow down"}}"#, ""), "Slow down");
        assert_eq!(error_message(r#"{"error":{"type":"forbidden","message":"No."}}"#, ""), "No.");
        assert_eq!(error_message(r#"{"code":-1121,"msg":"Invalid symbol."}"#, ""), "Invalid symbol.");
        let html = "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>";
        assert_eq!(error_message(html, "Service Unavailable"), "got an HTML page (title \"Just a moment...\")");
        assert_eq!(error_message("", "Bad Gateway"), "Bad Gateway");
        assert_eq!(error_message("upstream\nconnect error", ""), "upstream");
    }
}
