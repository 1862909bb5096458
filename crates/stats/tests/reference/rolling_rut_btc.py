"""Reference numbers for tests/golden/rolling.rs: pandas' rolling Pearson
correlation of weekly RUT and BTC log returns over 52 weeks.

Run from the repository root (the shared data sits in ../shared/data):

    .venv/bin/python crates/stats/tests/reference/rolling_rut_btc.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6. The series are those
of granger_rut_btc.py (596 weekly log returns, 2014-09-26 .. 2026-02-20);
the correlation is `rut.rolling(52).corr(btc)` (min_periods = window), one
value per end date from the 52nd return on. Prints Rust source: a few dated
values and the count, sum, minimum and maximum of all of them.
"""

import numpy as np

from granger_rut_btc import weekly_log_returns

WINDOW = 52


def main():
    r = weekly_log_returns()
    rc = r["rut"].rolling(WINDOW).corr(r["btc"]).dropna()
    print(f"// rut.rolling({WINDOW}).corr(btc): {len(rc)} values, {rc.index[0].date()} .. {rc.index[-1].date()}")
    print(f"const COUNT: usize = {len(rc)};")
    print(f"const SUM: f64 = {float(rc.sum())!r};")
    lo, hi = rc.idxmin(), rc.idxmax()
    print(f"const MIN: (&str, f64) = (\"{lo.date()}\", {float(rc[lo])!r});")
    print(f"const MAX: (&str, f64) = (\"{hi.date()}\", {float(rc[hi])!r});")
    picks = [0, 1, 100, 200, 300, 400, 500, len(rc) - 1]
    print(f"const POINTS: [(&str, f64); {len(picks)}] = [")
    for i in picks:
        print(f"    (\"{rc.index[i].date()}\", {float(rc.iloc[i])!r}),")
    print("];")


if __name__ == "__main__":
    main()
