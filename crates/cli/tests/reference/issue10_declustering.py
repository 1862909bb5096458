"""Reference for crates/cli/tests/cli/trust.rs
`clustered_level_crossings_count_independent_events_not_27` (issue 10 item 19).

level:rut:2000 on the close basis: a close above 2000 after a close at or below it
(the first cross needs a close at or below first). RUT = Yahoo ^RUT, then the
IBKR-style file after Yahoo's last row (the manifest ranks Yahoo first).
De-clustering with a gap of g days: walk the events in date order; an event
fewer than g days after the last KEPT event is dropped.
BTC forward return: entry = first BTC close strictly after the event date,
exit = last close on or before entry + h days.

Run from the repository root: /tmp/venv/bin/python crates/cli/tests/reference/issue10_declustering.py
(pandas 2/3). Prints the 27 events, the 8 kept at g = 90, and the kept events'
mean 90-day BTC return.
"""
import pandas as pd

D = "../shared/data/"
y = pd.read_csv(D + "rut_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"].dropna()
h = pd.read_csv(D + "rut_daily_heliar.csv", parse_dates=["date"]).set_index("date")["close"]
rut = pd.concat([y, h[h.index > y.index[-1]]])
events, armed = [], False
for t, c in rut.items():
    if c <= 2000:
        armed = True
    elif armed:
        events.append(t)
        armed = False
print(len(events), "events")


def decluster(evs, gap):
    kept = []
    for e in evs:
        if not kept or (e - kept[-1]).days >= gap:
            kept.append(e)
    return kept


kept = decluster(events, 90)
print(len(kept), "kept:", [e.date().isoformat() for e in kept])
btc = pd.read_csv(D + "btc_usd_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"].dropna()
rets = []
for e in kept:
    entry = btc.index[btc.index > e][0]
    exit_ = btc.index[btc.index <= entry + pd.Timedelta(days=90)][-1]
    rets.append(btc[exit_] / btc[entry] - 1)
print("mean 90d btc return of kept events: %.15f" % (sum(rets) / len(rets)))
