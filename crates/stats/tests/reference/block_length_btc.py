"""Reference numbers for tests/golden/block_length.rs: arch's Politis-White
optimal block length of BTC log returns, weekly and daily.

Run from the repository root (the shared data sits in ../shared/data):

    python3 -m venv .venv && .venv/bin/pip install statsmodels arch pandas
    .venv/bin/python crates/stats/tests/reference/block_length_btc.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6, arch 8.0.0.
"""

import numpy as np
import pandas as pd
from arch.bootstrap import optimal_block_length

from granger_rut_btc import DATA, weekly_log_returns


def show(name, returns):
    ob = optimal_block_length(returns)
    sb, cb = ob["stationary"].iloc[0], ob["circular"].iloc[0]
    print(f"// {name}: n = {len(returns)}, {returns.index[0].date()} .. {returns.index[-1].date()}")
    print(f"const {name}: (usize, f64, f64) = ({len(returns)}, {float(sb)!r}, {float(cb)!r});")


def main():
    weekly = weekly_log_returns()
    show("WEEKLY_BTC", weekly["btc"])
    show("WEEKLY_RUT", weekly["rut"])
    # Every daily close in the file (2014-09-17 .. 2026-06-05), log returns.
    daily = pd.read_csv(f"{DATA}/btc_usd_daily_yahoo.csv", index_col="Date", parse_dates=True)["Close"]
    show("DAILY_BTC", np.log(daily).diff().dropna())
    # Squared daily returns: volatility clustering gives long blocks.
    show("DAILY_BTC_SQUARED", (np.log(daily).diff().dropna()) ** 2)


if __name__ == "__main__":
    main()
