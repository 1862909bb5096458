"""Independent check of the RUT breakouts asserted in crates/signals/tests/breakouts.rs:
close basis, the prior all-time high (running max, never reset) must have stood at
least 365 calendar days. Yahoo ^RUT to its last row, then the IBKR-style file.

Run from the repository root: .venv/bin/python crates/signals/tests/reference/rut_breakouts.py
(pandas 3.1.1). It prints the same 10 events as riskcurve (1989-06-02 ... 2016-11-14,
2020-11-13, 2025-09-18).
"""
import pandas as pd
D="../shared/data/"
y=pd.read_csv(D+"rut_daily_yahoo.csv",parse_dates=["Date"]).set_index("Date")["Close"]
h=pd.read_csv(D+"rut_daily_heliar.csv",parse_dates=["date"]).set_index("date")["close"]
s=pd.concat([y,h[h.index>y.index[-1]]])
hi,hid,events=s.iloc[0],s.index[0],[]
for t,c in s.iloc[1:].items():
    if c>hi:
        if (t-hid).days>=365: events.append((t.date().isoformat(),round(hi,2),hid.date().isoformat()))
        hi,hid=c,t
for e in events: print(e)
