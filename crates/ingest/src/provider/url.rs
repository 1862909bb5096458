//! The little URL handling the providers need: percent-encoding a path or
//! query component, the host of a URL, rebasing a vendor's paging URL onto
//! our base, and removing secrets before a URL is shown or stored.
//!
//! Hand-written rather than a `url` dependency: every URL here is built by
//! us from a base we were given, so only these few operations are needed.

/// Query parameters whose values are secrets (API keys). Compared
/// case-insensitively; `next_page_token` and the like are not secrets.
const SECRET_PARAMS: [&str; 6] = ["api_key", "apikey", "key", "access_token", "x_cg_demo_api_key", "x_cg_pro_api_key"];

/// Percent-encodes everything but RFC 3986 unreserved characters, so a
/// symbol such as `^RUT` becomes `%5ERUT` in a path or query.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The authority (`host` or `host:port`, without user info) of an absolute
/// URL; the key of the per-host rate limit. Empty when the URL has none.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// The path and query of a URL (`/v4/...?a=b`), or the input when it is
/// already relative.
pub fn path_and_query(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

/// Joins a vendor's absolute or relative paging URL onto `base`, so that a
/// mirror or a test server keeps serving the following pages.
pub fn rebase(base: &str, url: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path_and_query(url))
}

/// The URL without its secret query parameters (`api_key`, `apikey`, `key`, ...);
/// used for every URL that reaches an error, a log or `Fetched::url`.
pub fn strip_secrets(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else { return url.to_string() };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !is_secret_param(p)).collect();
    let mut out = head.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The values of the secret query parameters of `url`, to scrub from any
/// text (a server may echo a key in its error message).
pub fn secret_values(url: &str) -> Vec<String> {
    let Some((_, query)) = url.split_once('?') else { return Vec::new() };
    query
        .split('&')
        .filter(|p| is_secret_param(p))
        .filter_map(|p| p.split_once('=').map(|(_, v)| v.to_string()))
        .filter(|v| !v.is_empty())
        .collect()
}

fn is_secret_param(pair: &str) -> bool {
    let name = pair.split('=').next().unwrap_or("");
    SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_symbols() {
        assert_eq!(encode_component("^RUT"), "%5ERUT");
        assert_eq!(encode_component("BTC-USD"), "BTC-USD");
        assert_eq!(encode_component("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn hosts_and_paths() {
        assert_eq!(url_host("https://query2.finance.yahoo.com/v8/x?y=1"), "query2.finance.yahoo.com");
        assert_eq!(url_host("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(url_host("http://u:p@h.example/x"), "h.example");
        assert_eq!(path_and_query("https://a.b/v4/x?p=1"), "/v4/x?p=1");
        assert_eq!(path_and_query("https://a.b"), "/");
        assert_eq!(rebase("http://127.0.0.1:9/", "https://api.coinmetrics.io/v4/t?a=1"), "http://127.0.0.1:9/v4/t?a=1");
    }

    #[test]
    fn strips_keys_only() {
        let u = "https://api.stlouisfed.org/fred/series?series_id=GDP&api_key=SECRET&file_type=json";
        assert_eq!(strip_secrets(u), "https://api.stlouisfed.org/fred/series?series_id=GDP&file_type=json");
        assert_eq!(secret_values(u), vec!["SECRET".to_string()]);
        assert_eq!(strip_secrets("https://h/p?API_KEY=x"), "https://h/p");
        let paging = "https://h/p?next_page_token=abc&page_size=2";
        assert_eq!(strip_secrets(paging), paging);
    }
}
