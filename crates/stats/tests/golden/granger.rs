//! Granger causality against statsmodels 0.15.0 on weekly RUT and BTC log
//! returns, both directions, lags 1..=12.
//!
//! Reference: `tests/reference/granger_rut_btc.py` (run it from the repository
//! root with the venv's python): `grangercausalitytests(np.column_stack([y, x]),
//! 12)[lag][0]["ssr_ftest"]` gives (F, p, df_den, df_num); the robust columns
//! are `sm.OLS(y, X_u).fit(cov_type="HC1").f_test(R)` on the unrestricted
//! design of each lag; the information criteria are `sm.OLS(..).fit().aic/bic`
//! of the unrestricted model at each lag on the rows t >= 12.

use riskcurve_stats::{GrangerCausality, GrangerOptions};

use crate::assert_rel;
use crate::data::weekly_rut_btc;

type Row = (usize, f64, usize, usize, f64, f64, f64);

// (lag, F, df_num, df_den, p, F HC1, p HC1): does RUT Granger-cause BTC?
const RUT_TO_BTC: [Row; 12] = [
    (1, 0.48080415727428977, 1, 592, 0.4883302467695041, 0.5164778822146402, 0.47263154451512074),
    (2, 0.6524531113318599, 2, 589, 0.5211426704969079, 0.44700272304244626, 0.6397589414940769),
    (3, 1.2481149705432342, 3, 586, 0.29146467669717124, 1.0870730315627741, 0.35396220515623117),
    (4, 1.1133651821953467, 4, 583, 0.3492230350026231, 1.0650299898438473, 0.3729869135063618),
    (5, 0.9981987490947426, 5, 580, 0.41802302336807196, 0.97021603934023, 0.43529221231974113),
    (6, 0.8885083294663229, 6, 577, 0.5028633091310684, 0.908102470332275, 0.4885173467208819),
    (7, 0.8347590735367753, 7, 574, 0.5586649146126008, 0.7527607846740284, 0.6272839240812846),
    (8, 0.8114943645068015, 8, 571, 0.5926100469646121, 0.7184936231221606, 0.6753027289757731),
    (9, 0.6680864503605336, 9, 568, 0.7381214434601643, 0.6027053092592789, 0.7951612119810285),
    (10, 0.6559248239219128, 10, 565, 0.7655458838581456, 0.6697353147672369, 0.752972418760127),
    (11, 0.6112634629322358, 11, 562, 0.8199365598163635, 0.6961765512516661, 0.7427902432297675),
    (12, 0.743491914760414, 12, 559, 0.708867120055226, 0.8855308952002118, 0.5616956915513551),
];

// Does BTC Granger-cause RUT?
const BTC_TO_RUT: [Row; 12] = [
    (1, 9.195324321246336, 1, 592, 0.002532521270576443, 5.22782756348323, 0.02258053884759609),
    (2, 4.6870891063897915, 2, 589, 0.009559864652092513, 2.4484767745389644, 0.0873043921295214),
    (3, 5.072691173979352, 3, 586, 0.0017856292851575765, 3.1389291029778086, 0.024983187927254947),
    (4, 3.816182370080613, 4, 583, 0.004510013659450057, 2.592179519419443, 0.03573838279314105),
    (5, 3.1363158200293344, 5, 580, 0.008380417259180827, 2.1700803814212555, 0.05596603586884197),
    (6, 2.811699447292768, 6, 577, 0.010510430226779485, 2.0048129779928443, 0.06317628148668121),
    (7, 2.6066429032994662, 7, 574, 0.01178896642496081, 1.8495484130659263, 0.07563013304684459),
    (8, 2.406496969325718, 8, 571, 0.014680980026226116, 1.944851843322717, 0.05128780092150408),
    (9, 2.1489994064259035, 9, 568, 0.02406369501714172, 1.7321008526739126, 0.07873090716949821),
    (10, 1.9529429515409338, 10, 565, 0.03621068603981522, 1.5924337967588806, 0.10505863874207359),
    (11, 1.9345987125447965, 11, 562, 0.0328160528112415, 1.6809283540863291, 0.07407153840968873),
    (12, 1.7841058566777457, 12, 559, 0.047577256265272816, 1.5818121612665832, 0.0926457400235962),
];

// (lag, aic, bic) of btc on its own lags and rut's, all on rows t >= 12.
const IC_RUT_TO_BTC: [(usize, f64, f64); 12] = [
    (1, -1128.371140004792, -1115.2614370563074),
    (2, -1126.5127334265242, -1104.663228512383),
    (3, -1125.0642142226309, -1094.4749073428334),
    (4, -1123.4751444648416, -1084.1460356193875),
    (5, -1120.7022153601672, -1072.6333045490567),
    (6, -1117.5082335741752, -1060.6995207974082),
    (7, -1114.580071020924, -1049.0315562785006),
    (8, -1111.9722220440847, -1037.6839053360047),
    (9, -1109.0636060776258, -1026.0354874038894),
    (10, -1106.0630486186594, -1014.2951279792667),
    (11, -1103.7773236161263, -1003.269601011077),
    (12, -1103.518288957065, -994.2707643863592),
];

fn check(effect: &[f64], cause: &[f64], reference: &[Row; 12], direction: &str) -> GrangerCausality {
    let g = GrangerCausality::test(effect, cause, GrangerOptions::new(12)).unwrap();
    assert_eq!(g.tests.len(), 12);
    for (t, &(lag, f, df_num, df_den, p, f_hc1, p_hc1)) in g.tests.iter().zip(reference) {
        let what = |name: &str| format!("{direction} lag {lag} {name}");
        assert_eq!((t.lag, t.df_num, t.df_den), (lag, df_num, df_den), "{}", what("lag and df"));
        assert_eq!(t.nobs, 596 - lag);
        assert_rel(t.f, f, 1e-8, &what("F"));
        assert_rel(t.p, p, 1e-8, &what("p"));
        assert_rel(t.f_robust, f_hc1, 1e-8, &what("F HC1"));
        assert_rel(t.p_robust, p_hc1, 1e-8, &what("p HC1"));
    }
    g
}

#[test]
fn rut_to_btc_matches_statsmodels() {
    let (rut, btc) = weekly_rut_btc();
    let g = check(btc.values(), rut.values(), &RUT_TO_BTC, "rut -> btc");
    assert_eq!(g.selection.nobs, 596 - 12);
    for (i, &(lag, aic, bic)) in IC_RUT_TO_BTC.iter().enumerate() {
        assert_rel(g.selection.aic[i], aic, 1e-12, &format!("aic lag {lag}"));
        assert_rel(g.selection.bic[i], bic, 1e-12, &format!("bic lag {lag}"));
    }
    // Both criteria fall monotonically toward lag 1 here.
    assert_eq!((g.selection.best_lag_aic, g.selection.best_lag_bic), (1, 1));
}

#[test]
fn btc_to_rut_matches_statsmodels() {
    let (rut, btc) = weekly_rut_btc();
    check(rut.values(), btc.values(), &BTC_TO_RUT, "btc -> rut");
}

#[test]
fn json_shape() {
    let (rut, btc) = weekly_rut_btc();
    let g = GrangerCausality::test(btc.values(), rut.values(), GrangerOptions::new(2)).unwrap();
    let v = serde_json::to_value(&g).unwrap();
    let first = &v["tests"][0];
    for key in ["lag", "f", "df_num", "df_den", "p", "p_robust"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["options"]["robust"]["kind"], "hc1");
    assert_eq!(v["selection"]["best_lag_aic"], 1);
}
