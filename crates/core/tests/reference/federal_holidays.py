"""US federal holidays (observed dates) from pandas' USFederalHolidayCalendar,
the reference for riskcurve_core::federal_holiday (test
federal_holidays_match_pandas).

Run:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas
    /tmp/venv/bin/python crates/core/tests/reference/federal_holidays.py > crates/core/tests/reference/federal_holidays.txt

Prints one observed holiday date per line, 1986-01-01 .. 2030-12-31.
"""
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar

days = USFederalHolidayCalendar().holidays("1986-01-01", "2030-12-31")
print(f"# pandas {pd.__version__} USFederalHolidayCalendar, observed dates 1986-2030")
for d in days:
    print(d.date())
