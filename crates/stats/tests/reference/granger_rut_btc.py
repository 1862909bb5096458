"""Reference numbers for the golden tests in crates/stats/tests/golden/.

Weekly log returns of the Russell 2000 (^RUT) and Bitcoin (BTC-USD): the last
close of each week ending Friday, on weeks where both have a close, from the
week of 2014-09-19 to the week of 2026-02-20; then statsmodels' Granger
causality tests, OLS with robust covariances, and arch's optimal block length.

Run from the repository root (the shared data sits in ../shared/data):

    python3 -m venv .venv && .venv/bin/pip install statsmodels arch pandas
    .venv/bin/python crates/stats/tests/reference/granger_rut_btc.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6, scipy 1.17.1,
statsmodels 0.15.0, arch 8.0.0. The output is Rust source, pasted into the
tests; floats are printed with repr(), which round-trips exactly.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.stattools import grangercausalitytests

warnings.simplefilter("ignore")  # grangercausalitytests' verbose deprecation

DATA = "../shared/data"
MAX_LAG = 12


def weekly_close(path):
    close = pd.read_csv(path, index_col="Date", parse_dates=True)["Close"]
    # Saturday..Friday weeks labelled by the Friday, as riskcurve_core::to_weekly.
    return close.resample("W-FRI").last().dropna()


def weekly_log_returns():
    rut = weekly_close(f"{DATA}/rut_daily_yahoo.csv")
    btc = weekly_close(f"{DATA}/btc_usd_daily_yahoo.csv")
    both = pd.concat({"rut": rut, "btc": btc}, axis=1, join="inner")
    both = both.loc["2014-09-19":"2026-02-20"]
    return np.log(both).diff().dropna()


def lagged_design(effect, cause, lag, start):
    """statsmodels' layout: [y_{t-1..t-lag}, x_{t-1..t-lag}, const], rows t >= start."""
    n = len(effect)
    cols = [effect[start - j : n - j] for j in range(1, lag + 1)]
    cols += [cause[start - j : n - j] for j in range(1, lag + 1)]
    cols.append(np.ones(n - start))
    return effect[start:], np.column_stack(cols)


def rust_f64(v):
    return repr(float(v))


def granger_rows(effect, cause):
    res = grangercausalitytests(np.column_stack([effect, cause]), MAX_LAG)
    rows = []
    for lag in range(1, MAX_LAG + 1):
        f, p, df_den, df_num = res[lag][0]["ssr_ftest"]
        # Robust variant: the same unrestricted regression (own trimming per
        # lag), HC1 covariance, F form of the Wald test on the cause's lags.
        y, x = lagged_design(effect, cause, lag, lag)
        r = np.zeros((lag, x.shape[1]))
        r[:, lag : 2 * lag] = np.eye(lag)
        hc1 = sm.OLS(y, x).fit(cov_type="HC1").f_test(r)
        rows.append(
            f"    ({lag}, {rust_f64(f)}, {int(df_num)}, {int(df_den)}, {rust_f64(p)}, "
            f"{rust_f64(np.squeeze(hc1.fvalue))}, {rust_f64(np.squeeze(hc1.pvalue))}),"
        )
    return rows


def information_criteria(effect, cause):
    """AIC and BIC of the unrestricted model for lags 1..MAX_LAG on one sample."""
    rows = []
    for lag in range(1, MAX_LAG + 1):
        y, x = lagged_design(effect, cause, lag, MAX_LAG)
        fit = sm.OLS(y, x).fit()
        rows.append(f"    ({lag}, {rust_f64(fit.aic)}, {rust_f64(fit.bic)}),")
    return rows


def main():
    r = weekly_log_returns()
    rut, btc = r["rut"].to_numpy(), r["btc"].to_numpy()
    print(f"// n = {len(r)} weekly returns, {r.index[0].date()} .. {r.index[-1].date()}")
    print(f"const N: usize = {len(r)};")
    print(f"const FIRST: &str = \"{r.index[0].date()}\";")
    print(f"const LAST: &str = \"{r.index[-1].date()}\";")
    print(f"const SUM_RUT: f64 = {rust_f64(rut.sum())};")
    print(f"const SUM_BTC: f64 = {rust_f64(btc.sum())};")

    print("// (lag, F, df_num, df_den, p, F HC1, p HC1): rut -> btc (does RUT Granger-cause BTC?)")
    print("const RUT_TO_BTC: [(usize, f64, usize, usize, f64, f64, f64); 12] = [")
    print("\n".join(granger_rows(btc, rut)))
    print("];")
    print("// btc -> rut")
    print("const BTC_TO_RUT: [(usize, f64, usize, usize, f64, f64, f64); 12] = [")
    print("\n".join(granger_rows(rut, btc)))
    print("];")

    print("// (lag, aic, bic) of btc on its lags and rut's, all on rows t >= 12")
    print("const IC_RUT_TO_BTC: [(usize, f64, f64); 12] = [")
    print("\n".join(information_criteria(btc, rut)))
    print("];")

    # OLS golden: btc on 2 lags of each and a constant (statsmodels column order).
    y, x = lagged_design(btc, rut, 2, 2)
    print("// OLS of btc on [btc_1, btc_2, rut_1, rut_2, const], rows t >= 2")
    fit = sm.OLS(y, x).fit()
    print(f"const OLS_PARAMS: [f64; 5] = [{', '.join(map(rust_f64, fit.params))}];")
    print(f"const OLS_SSR: f64 = {rust_f64(fit.ssr)};")
    print(f"const OLS_LLF: f64 = {rust_f64(fit.llf)};")
    print(f"const OLS_BSE: [f64; 5] = [{', '.join(map(rust_f64, fit.bse))}];")
    for name, kw in [("HC0", {}), ("HC1", {}), ("HC3", {}), ("HAC", {"maxlags": 4})]:
        rob = sm.OLS(y, x).fit(cov_type=name, cov_kwds=kw or None)
        print(f"const OLS_BSE_{name}: [f64; 5] = [{', '.join(map(rust_f64, rob.bse))}];")
        r = np.zeros((2, 5))
        r[0, 2] = r[1, 3] = 1.0
        w = rob.wald_test(r, use_f=False, scalar=True)
        print(f"const WALD_CHI2_{name}: (f64, f64) = ({rust_f64(w.statistic)}, {rust_f64(w.pvalue)});")


if __name__ == "__main__":
    main()
