"""Reference for crates/cli/tests/cli/trust.rs
`leadlag_months_use_the_last_common_close_and_drop_a_partial_final_month`
(issue 10 item 21).

Monthly RUT -> BTC log returns from 2015-01-01 to 2025-12-15: align the daily
closes first (dates both have), take the last common close of each calendar
month, drop December 2025 (partial: both series stop on 2025-12-15, before the
month's last NYSE session 2025-12-31 and its last day), then log returns.
RUT = Yahoo ^RUT (the manifest ranks it first); BTC = Yahoo BTC-USD (the
database's BTC from 2015 on).

Run from the repository root: /tmp/venv/bin/python crates/cli/tests/reference/issue10_leadlag_periods.py
"""
import numpy as np
import pandas as pd

D = "../shared/data/"
rut = pd.read_csv(D + "rut_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"].dropna()
btc = pd.read_csv(D + "btc_usd_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"].dropna()
df = pd.concat([rut.rename("rut"), btc.rename("btc")], axis=1, sort=True).dropna()
df = df[(df.index >= "2015-01-01") & (df.index <= "2025-12-15")]
m = df.groupby(df.index.to_period("M")).last()
m = m.iloc[:-1]  # December 2025 is partial for both
r = np.log(m).diff().dropna()
print("n", len(r), "first", r.index[0], "last", r.index[-1])
print("same-period correlation %.15f" % np.corrcoef(r["rut"], r["btc"])[0, 1])
print("max lag supported (n - 6) // 5 =", (len(r) - 6) // 5)
# The old definition (each series' own last close of the month, then aligned)
# differs: BTC's month ends on the last calendar day, RUT's on the last session.
o = pd.concat([rut[(rut.index >= "2015-01-01") & (rut.index <= "2025-12-15")].groupby(lambda d: d.to_period("M")).last(),
               btc[(btc.index >= "2015-01-01") & (btc.index <= "2025-12-15")].groupby(lambda d: d.to_period("M")).last()], axis=1, sort=True).dropna()
ro = np.log(o).diff().dropna()
print("old definition: n", len(ro), "correlation %.15f" % np.corrcoef(ro.iloc[:, 0], ro.iloc[:, 1])[0, 1])
