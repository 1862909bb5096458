"""Independent check of the halving-cycle multiples asserted in crates/signals/src/cycles.rs.

Run from the repository root: .venv/bin/python crates/signals/tests/reference/halving_cycles.py
(pandas 3.1.1). Entry = last close on or before the halving, exit = last close on or
before halving + days; blockchain.com before Yahoo's first day, 0 = no market.
Output (2026-11-24):
  776 [18.026, 10.323, 2.445, 0.946]
  640 [40.861, 10.5, 5.065, 1.359]
"""
import pandas as pd
D="../shared/data/"  # relative to the repository root
y=pd.read_csv(D+"btc_usd_daily_yahoo.csv",parse_dates=["Date"]).set_index("Date")["Close"]
b=pd.read_csv(D+"btc_usd_2day_blockchain_2009_2018.csv",header=None,names=["t","p"])
b["t"]=pd.to_datetime(b["t"]); b=b.set_index("t")["p"]; b=b[(b>0)&(b.index<y.index[0])]
s=pd.concat([b,y]).sort_index()
for days in (776,640):
    out=[]
    for h in ["2012-11-28","2016-07-09","2020-05-11","2024-04-20"]:
        h=pd.Timestamp(h); e=s[:h].iloc[-1]; x=s[:h+pd.Timedelta(days=days)].iloc[-1]
        out.append(round(float(x / e), 3))
    print(days,out)
