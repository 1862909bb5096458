"""Independent check of the halving-cycle numbers asserted in crates/signals/src/cycles.rs
(real_btc_cycles, cycle_top_is_the_peak_before_the_bear_market).

Run from the repository root:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas
    /tmp/venv/bin/python crates/signals/tests/reference/halving_cycles.py
(pandas 3.1.1). Data: blockchain.com before Yahoo's first day (0 = no market),
Yahoo BTC-USD from 2014-09-17, cut at 2026-06-05 (the test's `today`).

Multiples: entry = last close on or before the halving, exit = last close on or
before halving + days; printed with repr (full double precision).

Cycle top: within a cycle (entry close .. the day before the next halving),
walk the closes keeping the running highest close (the first on ties); each
running high that a later close falls to at most 50% of, before a higher close
comes, is a bear-market peak. The cycle top is the last (so the highest) such
peak; `drawdown` is the lowest close after it, before a higher close or the
cycle's end, over the top, minus 1. The plain peak (highest close of the
cycle) is printed for comparison.
Output:
  776 ['18.025632297523032', '10.323153087916932', '2.444523814578601', '0.946057045623553']
  640 ['40.86116589079481', '10.499507703887991', '5.06465321842425', '1.3587455225287595']
  2012-11-28 peak 2013-12-04 91.85961042267392 top 2013-12-04 91.85961042267392 days 371 drawdown -0.8452623832961148
  2016-07-09 peak 2017-12-16 29.951763138296062 top 2017-12-16 29.951763138296062 days 525 drawdown -0.8339900882218974
  2020-05-11 peak 2024-03-13 8.496307150612058 top 2021-11-08 7.8549676047618595 days 546 drawdown -0.7663456370856909
  2024-04-20 peak 2025-10-06 1.9194338554312667 top 2025-10-06 1.9194338554312667 days 534 drawdown -0.5071166203791957
"""
import pandas as pd

D = "../shared/data/"  # relative to the repository root
y = pd.read_csv(D + "btc_usd_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"]
b = pd.read_csv(D + "btc_usd_2day_blockchain_2009_2018.csv", header=None, names=["t", "p"])
b["t"] = pd.to_datetime(b["t"])
b = b.set_index("t")["p"]
b = b[(b > 0) & (b.index < y.index[0])]
s = pd.concat([b, y]).sort_index()
s = s[s.index <= "2026-06-05"]
HALVINGS = [pd.Timestamp(h) for h in ["2012-11-28", "2016-07-09", "2020-05-11", "2024-04-20"]]

for days in (776, 640):
    out = []
    for h in HALVINGS:
        e = s[:h].iloc[-1]
        x = s[: h + pd.Timedelta(days=days)].iloc[-1]
        out.append(float(x / e))
    print(days, [repr(m) for m in out])

for k, h in enumerate(HALVINGS):
    entry_date = s[:h].index[-1]
    end = HALVINGS[k + 1] if k + 1 < len(HALVINGS) else None
    c = s[entry_date:] if end is None else s[entry_date : end - pd.Timedelta(days=1)]
    entry = c.iloc[0]
    peak_date = c.idxmax()
    hi_i, top_i = 0, None
    for i in range(1, len(c)):
        if c.iloc[i] > c.iloc[hi_i]:
            hi_i = i
        elif c.iloc[i] <= 0.5 * c.iloc[hi_i]:
            top_i = hi_i
    if top_i is None:
        print(h.date(), "peak", peak_date.date(), repr(float(c.max() / entry)), "top none")
        continue
    after = c.iloc[top_i + 1 :]
    higher = after[after > c.iloc[top_i]]
    if len(higher):
        after = after[after.index < higher.index[0]]
    top = c.iloc[top_i]
    print(
        h.date(),
        "peak", peak_date.date(), repr(float(c.max() / entry)),
        "top", c.index[top_i].date(), repr(float(top / entry)),
        "days", (c.index[top_i] - h).days,
        "drawdown", repr(float(after.min() / top - 1)),
    )
