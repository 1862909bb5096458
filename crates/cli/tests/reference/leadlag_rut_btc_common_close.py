"""Reference numbers for `signal_commands_on_the_shared_data` (crates/cli/tests/cli/main.rs):
`riskcurve leadlag --lead rut --lag btc --max-lag 4 --from 2014-09-17 --to 2026-02-20`.

Weekly periods as `leadlag` forms them since issue 10 item 21: the daily closes of
RUT and BTC are aligned on the days both have, then each week ending Friday keeps its
last common close (a Friday that is an NYSE holiday uses Thursday for both), natural
log. Run from the repository root (the shared data sits in ../shared/data):

    .venv/bin/python crates/cli/tests/reference/leadlag_rut_btc_common_close.py

Produced with pandas 3.1.1, numpy 2.4.6, statsmodels 0.15.0 (the Toda-Yamamoto
formula of crates/stats/tests/reference/toda_yamamoto_rut_btc.py).
"""

import sys
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.api import VAR
from statsmodels.tsa.stattools import grangercausalitytests

sys.path.insert(0, "crates/stats/tests/reference")
from granger_rut_btc import DATA  # noqa: E402
from toda_yamamoto_rut_btc import toda_yamamoto  # noqa: E402

warnings.simplefilter("ignore")


def daily_close(path):
    d = pd.read_csv(path, parse_dates=["Date"]).dropna(subset=["Close"]).set_index("Date")["Close"]
    return d.loc["2014-09-17":"2026-02-20"]


rut = daily_close(f"{DATA}/rut_daily_yahoo.csv")
btc = daily_close(f"{DATA}/btc_usd_daily_yahoo.csv")
both = pd.concat({"rut": rut, "btc": btc}, axis=1, join="inner")
weekly = np.log(both.resample("W-FRI").last().dropna())
r = weekly.diff().dropna()
print("n returns", len(r), weekly.index[0].date(), weekly.index[-1].date())
g = grangercausalitytests(r[["btc", "rut"]].to_numpy(), maxlag=4)
print("granger lag1 F", repr(g[1][0]["ssr_ftest"][0]))
lv = weekly
p = 1 + int(np.argmin(VAR(lv[["rut", "btc"]].to_numpy()).select_order(4, trend="c").ics["aic"][1:]))
print("ty p", p, "chi2", repr(toda_yamamoto(lv["btc"].to_numpy(), lv["rut"].to_numpy(), p, 1)[1]))
