"""Reference for crates/cli/tests/cli/trust.rs
`a_yield_enters_leadlag_as_a_negated_difference_not_a_log_return` (issue 10 item 15).

Weekly DGS10 -> BTC from 2015-01-01 to 2025-12-12 (a Friday): align the daily
values first (dates both have), last common value of each Saturday..Friday
week, then DGS10 enters as -(y_t - y_{t-1}) (percentage points, a bond-price
proxy) and BTC as ln(p_t / p_{t-1}). DGS10 = FRED's DGS10 (both files agree
where they overlap); BTC = Yahoo BTC-USD.

Run from the repository root: /tmp/venv/bin/python crates/cli/tests/reference/issue10_rates.py
"""
import numpy as np
import pandas as pd

D = "../shared/data/"
y = pd.read_csv(D + "dgs10_daily_fred.csv", parse_dates=["date"]).set_index("date")["DGS10"]
y = pd.to_numeric(y, errors="coerce").dropna()
btc = pd.read_csv(D + "btc_usd_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"].dropna()
df = pd.concat([y.rename("dgs10"), btc.rename("btc")], axis=1, sort=True).dropna()
df = df[(df.index >= "2015-01-01") & (df.index <= "2025-12-12")]
w = df.resample("W-FRI").last().dropna()
x = -w["dgs10"].diff().dropna()
r = np.log(w["btc"]).diff().dropna()
print("n", len(x), "first", x.index[0].date(), "last", x.index[-1].date())
print("same-period correlation %.15f" % np.corrcoef(x, r)[0, 1])
# What log returns of the yield would have given (the defect):
lr = np.log(w["dgs10"]).diff().dropna()
print("log-return-of-yield correlation (wrong) %.15f" % np.corrcoef(lr, r)[0, 1])
