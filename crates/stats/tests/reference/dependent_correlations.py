"""Reference numbers for tests/dependent_correlations.rs: Steiger's (1980) Z
and Williams' (1959) t for two dependent correlations that share a variable.

There is no scipy or statsmodels function for these tests, so the formulas
are written out here from the papers (the same ones the Rust module
documents), with scipy only for the normal and t tails:

    z_xy = atanh(r_xy)
    rbar = (r_jk + r_jh) / 2
    psi  = r_kh (1 - 2 rbar^2) - 1/2 rbar^2 (1 - 2 rbar^2 - r_kh^2)
    c    = psi / (1 - rbar^2)^2                                   Steiger eq. 10
    Z    = (z_jk - z_jh) sqrt(n - 3) / sqrt(2 - 2 c)              Steiger eq. 14
    |R|  = 1 - r_jk^2 - r_jh^2 - r_kh^2 + 2 r_jk r_jh r_kh
    t    = (r_jk - r_jh) sqrt((n - 1)(1 + r_kh)
           / (2 |R| (n - 1) / (n - 3) + rbar^2 (1 - r_kh)^3))      Williams, df = n - 3

Checks first that the formulas give the published values (Steiger 1980
p. 249 case A; the DEPCOR program of Silver, Hittner and May 2006, as the R
package cocor's tests quote them), then computes them on real data: weekly
log returns of BTC (j), the Russell 2000 (k) and the S&P 500 (h), and
the Nasdaq Composite (h, the variant), the last close of each Saturday..Friday
week keyed by its Friday (riskcurve_core::to_weekly), on weeks where all
three have a close, weeks of 2016-07-01 ..= 2026-02-20 (the S&P and Nasdaq
exports start 2016-06-28; the Yahoo RUT file ends 2026-02-23).

Run from the repository root (the shared data sits in ../shared/data):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas scipy
    /tmp/venv/bin/python crates/stats/tests/reference/dependent_correlations.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6, scipy 1.17.1. Prints
Rust source; floats with repr(), which round-trips exactly.
"""

import numpy as np
import pandas as pd
from scipy import stats

DATA = "../shared/data"


def steiger_williams(r_jk, r_jh, r_kh, n):
    rbar = (r_jk + r_jh) / 2
    psi = r_kh * (1 - 2 * rbar**2) - 0.5 * rbar**2 * (1 - 2 * rbar**2 - r_kh**2)
    c = psi / (1 - rbar**2) ** 2
    z = (np.arctanh(r_jk) - np.arctanh(r_jh)) * np.sqrt(n - 3) / np.sqrt(2 - 2 * c)
    p_z = 2 * stats.norm.sf(abs(z))
    det = 1 - r_jk**2 - r_jh**2 - r_kh**2 + 2 * r_jk * r_jh * r_kh
    t = (r_jk - r_jh) * np.sqrt((n - 1) * (1 + r_kh) / (2 * det * (n - 1) / (n - 3) + rbar**2 * (1 - r_kh) ** 3))
    p_t = 2 * stats.t.sf(abs(t), n - 3)
    return z, p_z, t, p_t


def weekly_close(path, date_col, close_col):
    close = pd.read_csv(path, index_col=date_col, parse_dates=True)[close_col].sort_index()
    return close.resample("W-FRI").last().dropna()


def main():
    # Published values first: the formulas above are the papers'.
    z, _, _, _ = steiger_williams(0.4, 0.5, 0.1, 103)
    assert round(z, 7) == -0.8887185, z
    z, p_z, t, p_t = steiger_williams(0.3, 0.4, 0.5, 100)
    assert (round(z, 4), round(p_z, 4), round(t, 4), round(p_t, 4)) == (-1.0718, 0.2838, -1.0767, 0.2843)

    levels = pd.concat(
        {
            "btc": weekly_close(f"{DATA}/btc_usd_daily_yahoo.csv", "Date", "Close"),
            "rut": weekly_close(f"{DATA}/rut_daily_yahoo.csv", "Date", "Close"),
            "spx": weekly_close(f"{DATA}/spx_daily_heliar.csv", "date", "close"),
            "ixic": weekly_close(f"{DATA}/ixic_daily_heliar.csv", "date", "close"),
        },
        axis=1,
        join="inner",
    ).loc["2016-07-01":"2026-02-20"]
    r = np.log(levels).diff().dropna()
    print(f"// weekly log returns, {r.index[0].date()} .. {r.index[-1].date()}")
    print(f"const N: usize = {len(r)};")
    for other in ["spx", "ixic"]:
        r_jk = r["btc"].corr(r["rut"])
        r_jh = r["btc"].corr(r[other])
        r_kh = r["rut"].corr(r[other])
        z, p_z, t, p_t = steiger_williams(r_jk, r_jh, r_kh, len(r))
        name = other.upper()
        print(f"// corr(btc, rut) against corr(btc, {other})")
        print(f"const {name}: [f64; 7] = [")
        for v in [r_jk, r_jh, r_kh, z, p_z, t, p_t]:
            print(f"    {float(v)!r},")
        print("];")


if __name__ == "__main__":
    main()
