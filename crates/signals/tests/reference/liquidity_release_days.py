"""Reference numbers for the net-liquidity publication-time fixes (issue 10
items 1-3), computed independently of riskcurve with pandas,
pandas.tseries.holiday.USFederalHolidayCalendar and pandas_market_calendars.

Run:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas pandas_market_calendars==5.5.0
    /tmp/venv/bin/python crates/signals/tests/reference/liquidity_release_days.py

Data: ../shared/data/fred_liquidity_wide.csv (WALCL, WTREGEN in USD millions,
RRPONTSYD in USD billions). Targets: NYSE sessions (with their real close
times) and every calendar day (crypto bars close 00:00 UTC the next day), from
2002-12-18 to 2026-08-28.

1. H.4.1 (WALCL, WTREGEN): publication at 16:30 New York on
   - "fixed":   the day after the reference Wednesday (the old rule);
   - "federal": that day, moved to the next federal business day when it is a
                federal holiday or a weekend;
   - "h41":     "federal", then the Board's exceptions (EXCEPTIONS below).
   Counts the rows whose WALCL or WTREGEN reference date differs from "fixed".
2. RRPONTSYD (published 13:15 New York): rows on NYSE half days whose RRP
   reference date differs between a 16:00 close and the real 13:00 close.
3. RRPONTSYD before its first dense day: the latest federal business day
   published by the close without an operation counts as 0.
"""
import os
import numpy as np
import pandas as pd
import pandas_market_calendars as mcal
from pandas.tseries.holiday import USFederalHolidayCalendar

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "data")
NY = "America/New_York"
FROM, TO = "2002-12-18", "2026-08-28"

# (day by the federal rule, actual publication day): the Board's H.4.1
# archive and publication notes (see riskcurve_core::H41_EXCEPTIONS).
EXCEPTIONS = {
    "2008-12-26": "2008-12-29",
    "2009-12-24": "2009-12-28",
    "2014-12-26": "2014-12-29",
    "2020-12-24": "2020-12-28",
    "2025-01-09": "2025-01-10",
    "2025-12-26": "2025-12-29",
}
EXCEPTIONS = {pd.Timestamp(k): pd.Timestamp(v) for k, v in EXCEPTIONS.items()}

holidays = set(USFederalHolidayCalendar().holidays("2000-01-01", "2027-12-31"))


def publication_day(ref, rule):
    day = ref + pd.Timedelta(days=1)
    if rule in ("federal", "h41"):
        while day.weekday() >= 5 or day in holidays:
            day += pd.Timedelta(days=1)
    if rule == "h41":
        day = EXCEPTIONS.get(day, day)
    return day


def instant(day, hour, minute):
    return pd.Timestamp(day.year, day.month, day.day, hour, minute, tz=NY).value


wide = pd.read_csv(os.path.join(DATA, "fred_liquidity_wide.csv"), parse_dates=["date"])
col = lambda c: wide[["date", c]].dropna().reset_index(drop=True)
walcl, tga, rrp = col("WALCL"), col("WTREGEN"), col("RRPONTSYD")

nyse = mcal.get_calendar("NYSE").schedule(start_date=FROM, end_date=TO)
targets = {
    "nyse": [(d, c.value) for d, c in zip(nyse.index, nyse.market_close)],
    "crypto": [(d, (d + pd.Timedelta(days=1)).tz_localize("UTC").value) for d in pd.date_range(FROM, TO)],
}


def asof_index(known, t):
    """Index of the latest observation published by instant t (-1: none)."""
    return int(np.searchsorted(known, t, side="right")) - 1


print("# 1. H.4.1 release days: rows whose WALCL or WTREGEN reference date changes")
known = {
    rule: [np.array([instant(publication_day(r, rule), 16, 30) for r in s.date]) for s in (walcl, tga)]
    for rule in ("fixed", "federal", "h41")
}
for rule in ("federal", "h41"):
    for cal, rows in targets.items():
        changed = [
            d.date()
            for d, t in rows
            if any(asof_index(known["fixed"][k], t) != asof_index(known[rule][k], t) for k in range(2))
        ]
        print(f"{rule} vs fixed, {cal}: {len(changed)} rows")
        print("   ", " ".join(str(x) for x in changed))

print("# 2. NYSE half days: rows whose RRP reference date differs from a 16:00 close")
rrp_known = np.array([instant(d, 13, 15) for d in rrp.date])
half = [(d, c.value) for d, c in zip(nyse.index, nyse.market_close) if c.tz_convert(NY).hour < 16]
changed = [d.date() for d, c in half if asof_index(rrp_known, c) != asof_index(rrp_known, instant(d, 16, 0))]
print(f"half days {len(half)}, rows changed {len(changed)}")
# From the dense daily series on (before it, item 3 gives every day without an
# operation its own zero, so reference dates differ on every half day).
dense = [x for x in changed if str(x) >= "2013-09-23"]
print(f"rows changed from 2013-09-23: {len(dense)}")
print("   ", " ".join(str(x) for x in changed))
for day in ("2024-12-24", "2025-07-03", "2025-11-28"):
    d = pd.Timestamp(day)
    c = nyse.market_close[d].value
    i = asof_index(rrp_known, c)
    print(f"{day}: RRP used {rrp.date[i].date()} {rrp.RRPONTSYD[i]} bn (16:00 close would use {rrp.date[asof_index(rrp_known, instant(d, 16, 0))].date()})")

print("# 3. RRPONTSYD: first day of the dense daily series")
business = pd.bdate_range("2013-01-01", "2026-08-21")
business = business[~business.isin(holidays)]
have = set(rrp.date)
# The first day that starts a run of 60 federal business days all with a value
# (later gaps are bond-market holidays such as Good Friday, not a sparse series).
first_dense = next(business[i] for i in range(len(business)) if all(x in have for x in business[i : i + 60]))
gaps = [d.date() for d in business if d >= first_dense and d not in have]
print(f"first dense day {first_dense.date()}; federal business days without a value after it: {len(gaps)}")
for day in ("2009-06-15", "2008-12-16", "2008-12-17", "2013-09-20"):
    d = pd.Timestamp(day)
    c = instant(d, 16, 0)
    due = max(x for x in pd.bdate_range(d - pd.Timedelta(days=10), d) if x not in holidays and instant(x, 13, 15) <= c)
    i = asof_index(rrp_known, c)
    value = rrp.RRPONTSYD[i] if (due >= first_dense or rrp.date[i] == due) else 0.0
    print(f"{day} NYSE close: carried-forward {rrp.date[i].date()} {rrp.RRPONTSYD[i]} bn, sparse rule {value} bn")
