"""Independent check of the altcoin season index asserted in
crates/signals/tests/altseason.rs (real_binance_alts_against_yahoo_btc):
catalog universe (every Binance alt but BTC and the catalog's flagged
tokens), 90-day window, closes at most 3 days old, at least 5 coins.

An alt beats BTC on day D when close(e1)/close(e0) - 1 > btc(e1)/btc(e0) - 1,
e1 the alt's last date within 3 days on or before D, e0 the same for D - 90,
and BTC's closes the last within 3 days on or before e1 and e0 (BTC over the
alt's own dates). The index is 100 * beats / coins compared.

Run from the repository root (pandas 3.1.1):
    .venv/bin/python crates/signals/tests/reference/altseason_binance.py
"""
import glob, os
import pandas as pd

D = "../shared/data/"
FLAGGED = set("""usdt usdc tusd dai busd fdusd usde pyusd usdd usdp gusd frax lusd ust ustc eurc rlusd usd1 usds
wbtc weth steth wsteth cbbtc weeth reth wbeth btcb hbtc renbtc tbtc cbeth wtrx wbnb jitosol msol bsc-usd
paxg xaut dgx""".split())
DAYS = ["2019-06-01", "2021-01-15", "2021-05-01", "2021-09-01", "2022-06-01", "2023-06-01", "2024-03-01",
        "2024-11-01", "2025-08-01", "2026-01-06"]
WINDOW, TOL, MIN_COINS = 90, 3, 5

btc = pd.read_csv(D + "btc_usd_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"]
alts = {}
for f in sorted(glob.glob(D + "binance_daily/*USDT_1d.csv")):
    sym = os.path.basename(f)[: -len("USDT_1d.csv")].lower()
    if sym != "btc" and sym not in FLAGGED:
        alts[sym] = pd.read_csv(f, parse_dates=["timestamp"]).set_index("timestamp")["close"]


def within(s, day):
    """(date, close) of the last close on or before day, at most TOL days old."""
    s = s[s.index <= day]
    if s.empty or (day - s.index[-1]).days > TOL:
        return None
    return s.index[-1], s.iloc[-1]


for day in map(pd.Timestamp, DAYS):
    lag = day - pd.Timedelta(days=WINDOW)
    if within(btc, day) is None or within(btc, lag) is None:
        print(day.date(), "no row (BTC)")
        continue
    beats = n = 0
    for s in alts.values():
        end, start = within(s, day), within(s, lag)
        if end is None or start is None:
            continue
        b1, b0 = within(btc, end[0]), within(btc, start[0])
        if b1 is None or b0 is None:
            continue
        n += 1
        beats += end[1] / start[1] - 1 > b1[1] / b0[1] - 1
    print(day.date(), "no row (coins)" if n < MIN_COINS else f"index {float(100 * beats / n)!r} n {n}")
