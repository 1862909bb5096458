"""Reference numbers for tests/golden/toda_yamamoto.rs: the Toda-Yamamoto
causality test between weekly log levels of the Russell 2000 (^RUT) and
Bitcoin (BTC-USD), and the VAR lag-order criteria behind its lag choice.

Run from the repository root (the shared data sits in ../shared/data):

    .venv/bin/python crates/stats/tests/reference/toda_yamamoto_rut_btc.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6, statsmodels 0.15.0.
The levels are those of granger_rut_btc.py before differencing: the last close
of each week ending Friday, weeks where both have a close, 2014-09-19 ..
2026-02-20 (597 weeks), natural log.

Toda-Yamamoto with lag order p and d_max extra lags, cause x, effect y:
`sm.OLS(y_t, [y lags 1..p+d, x lags 1..p+d, const]).fit()` on rows
t >= p + d, then `wald_test(R, use_f=False)` with R selecting x lags 1..p
(chi-square, p degrees of freedom); the robust variant is the same with
`fit(cov_type="HC1")`. The lag order by AIC is statsmodels'
`VAR(levels).select_order(12, trend="c")` restricted to p >= 1.
Prints Rust source.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.api import VAR

from granger_rut_btc import DATA, lagged_design, rust_f64, weekly_close

warnings.simplefilter("ignore")

MAX_LAG = 12


def weekly_log_levels():
    rut = weekly_close(f"{DATA}/rut_daily_yahoo.csv")
    btc = weekly_close(f"{DATA}/btc_usd_daily_yahoo.csv")
    both = pd.concat({"rut": rut, "btc": btc}, axis=1, join="inner")
    return np.log(both.loc["2014-09-19":"2026-02-20"])


def toda_yamamoto(effect, cause, p, d):
    m = p + d
    y, x = lagged_design(effect, cause, m, m)
    r = np.zeros((p, x.shape[1]))
    r[:, m : m + p] = np.eye(p)
    w = sm.OLS(y, x).fit().wald_test(r, use_f=False, scalar=True)
    wr = sm.OLS(y, x).fit(cov_type="HC1").wald_test(r, use_f=False, scalar=True)
    return len(y), w.statistic, w.pvalue, wr.statistic, wr.pvalue


def main():
    lv = weekly_log_levels()
    rut, btc = lv["rut"].to_numpy(), lv["btc"].to_numpy()
    print(f"// n = {len(lv)} weekly log levels, {lv.index[0].date()} .. {lv.index[-1].date()}")
    print(f"const N: usize = {len(lv)};")
    print(f"const SUM_LOG_RUT: f64 = {rust_f64(rut.sum())};")
    print(f"const SUM_LOG_BTC: f64 = {rust_f64(btc.sum())};")

    # Column order [rut, btc]; the criteria do not depend on it.
    sel = VAR(np.column_stack([rut, btc])).select_order(MAX_LAG, trend="c")
    aic, bic = sel.ics["aic"][1:], sel.ics["bic"][1:]
    best_aic, best_bic = 1 + int(np.argmin(aic)), 1 + int(np.argmin(bic))
    print(f"// VAR select_order({MAX_LAG}, trend=\"c\"): selected {sel.selected_orders}; p = 1..{MAX_LAG} below")
    print(f"const VAR_AIC: [f64; {MAX_LAG}] = [{', '.join(map(rust_f64, aic))}];")
    print(f"const VAR_BIC: [f64; {MAX_LAG}] = [{', '.join(map(rust_f64, bic))}];")
    print(f"const BEST_AIC: usize = {best_aic};")
    print(f"const BEST_BIC: usize = {best_bic};")

    print("// (direction, p, d_max, nobs, chi2, p-value, chi2 HC1, p-value HC1)")
    print("const TY: [(&str, usize, usize, usize, f64, f64, f64, f64); 5] = [")
    cases = [
        ("rut -> btc", btc, rut, best_aic, 1),
        ("btc -> rut", rut, btc, best_aic, 1),
        ("rut -> btc", btc, rut, 1, 1),
        ("btc -> rut", rut, btc, 1, 1),
        ("rut -> btc", btc, rut, 4, 2),
    ]
    for name, effect, cause, p, d in cases:
        nobs, w, pv, wr, pvr = toda_yamamoto(effect, cause, p, d)
        print(
            f"    (\"{name}\", {p}, {d}, {nobs}, {rust_f64(w)}, {rust_f64(pv)}, {rust_f64(wr)}, {rust_f64(pvr)}),"
        )
    print("];")


if __name__ == "__main__":
    main()
