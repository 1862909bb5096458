"""NYSE early closes from pandas_market_calendars, the reference for
riskcurve_core::nyse_close_time (test nyse_half_days_match_pandas_market_calendars).

Run:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas pandas_market_calendars==5.5.0
    /tmp/venv/bin/python crates/core/tests/reference/nyse_early_closes.py > crates/core/tests/reference/nyse_early_closes.txt

Prints every NYSE session from 1985-01-01 to 2026-12-31 whose close (New York
time) is not 16:00, one per line: `YYYY-MM-DD HH:MM`.
"""
import pandas as pd
import pandas_market_calendars as mcal

nyse = mcal.get_calendar("NYSE")
schedule = nyse.schedule(start_date="1985-01-01", end_date="2026-12-31")
close = schedule.market_close.dt.tz_convert("America/New_York")
print(f"# pandas_market_calendars {mcal.__version__}, pandas {pd.__version__}: NYSE sessions closing before 16:00")
for day, t in close.items():
    if (t.hour, t.minute) != (16, 0):
        print(f"{day.date()} {t.hour:02d}:{t.minute:02d}")
