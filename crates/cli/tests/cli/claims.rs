//! `riskcurve claims` end to end on the shared data: every claim judged,
//! the as-of cut, and a malformed claims file (exit 2 naming the claim).

use super::{manifest, ok_json, rc};

/// Every claim gets a verdict with evidence on the shared data, never a crash.
#[test]
fn claims_checker_gives_every_claim_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let v = ok_json(&db, &["claims", "--placebos", "2000"]);
    let claims = v["claims"].as_array().unwrap();
    let ids: Vec<&str> = claims.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let want = [
        "C1a", "C1b", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15", "C16",
        "C17",
    ];
    assert_eq!(ids, want);
    let allowed = ["supported", "contradicted", "inconclusive", "no data"];
    for c in claims {
        assert!(allowed.contains(&c["verdict"].as_str().unwrap()), "{c}");
        assert!(!c["evidence"].as_str().unwrap().is_empty());
        assert!(!c["definition"].as_str().unwrap().is_empty());
    }
    let by = |id: &str| claims.iter().find(|c| c["id"] == id).unwrap();
    // C4: on closes the 2021 high fell on 2025-09-18, intraday on 2024-11-25.
    assert_eq!(by("C4")["verdict"], "contradicted");
    assert_eq!(by("C4")["variants"][0]["verdict"], "supported");
    // C9's flows series is not in the shared data, but its measured part
    // (RUT up over 40% in 2025) is false, which decides the conjunction.
    assert_eq!(by("C9")["verdict"], "contradicted");
    assert!(by("C9")["evidence"].as_str().unwrap().contains("smallcap-etf-flows"));
    // "Every breakout was followed by gains": the 4 complete events agree
    // (the 2025 one is not complete), and the evidence says how few they are.
    assert_eq!(by("C1b")["verdict"], "supported");
    assert_eq!(by("C1b")["n"], 4);
    assert!(by("C1b")["evidence"].as_str().unwrap().contains("4 cases are all the evidence there is"));
    // No significant link either way is not a contradiction of the order.
    assert_eq!(by("C7")["verdict"], "inconclusive");
    // The claims that need constituent data say so.
    assert_eq!(by("C16")["verdict"], "no data");
    assert_eq!(by("C17")["verdict"], "no data");
    // Before the 2020 breakout's year was over, C1a needed data after the cut.
    let early = ok_json(&db, &["claims", "--id", "C1a", "--as-of", "2021-06-30"]);
    assert_eq!(early["claims"][0]["verdict"], "no data");
    // Nothing after the as-of date is read: C6 and C9 need 2025-2026 data.
    let cut = ok_json(&db, &["claims", "--id", "C6,C9", "--as-of", "2022-01-01"]);
    for c in cut["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "no data", "{c}");
        assert!(c["evidence"].as_str().unwrap().contains("after the as-of date 2022-01-01"), "{c}");
    }
}

/// A one-item `with` was judged "supported" and errors inside a claim were
/// `no data` with exit 0: a malformed claims file now exits 2, naming the
/// claim, before any claim is judged.
#[test]
fn malformed_claims_file_exits_2_naming_the_claim() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rc.db");
    ok_json(&db, &["import", "--manifest", manifest().to_str().unwrap()]);
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "[[claim]]\nid = \"M1\"\ntext = \"BTC moves with small caps\"\nkind = \"correlation\"\ntarget = \"btc\"\nwith = [\"rut\"]\n",
    )
    .unwrap();
    let out = rc(&db, &["claims", "--claims", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("claim M1: `with`: needs at least 2 items, has 1"), "{stderr}");
    assert!(out.stdout.is_empty());
}
