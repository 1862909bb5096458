"""Independent check of the RUT breakouts with a margin, asserted in
crates/signals/tests/breakouts.rs (rut_margin_poke_does_not_restart_the_clock):
close basis, 365 days, margin 2%. Yahoo ^RUT to its last row, then the
IBKR-style file (as rut_breakouts.py).

Definition (issue 10 item 17): the reference high H (dated D) changes only when
a close is more than the margin above it, `c > H * (1 + m)`; such a close is a
breakout when H stood at least 365 calendar days (`t - D >= 365`). A close
within the margin above H neither breaks it nor restarts the clock.

Run from the repository root:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas
    /tmp/venv/bin/python crates/signals/tests/reference/rut_breakouts_margin.py
(pandas 3.1.1). Prints, for margins 0, 1 and 2: each event as
(date, close, prior high, prior high date), closes and highs to the cent.
"""
import pandas as pd

D = "../shared/data/"
y = pd.read_csv(D + "rut_daily_yahoo.csv", parse_dates=["Date"]).set_index("Date")["Close"]
h = pd.read_csv(D + "rut_daily_heliar.csv", parse_dates=["date"]).set_index("date")["close"]
s = pd.concat([y, h[h.index > y.index[-1]]])

for margin in (0.0, 1.0, 2.0):
    factor = 1 + margin / 100
    hi, hid, events = s.iloc[0], s.index[0], []
    for t, c in s.iloc[1:].items():
        if c > hi * factor:
            if (t - hid).days >= 365:
                events.append((t.date().isoformat(), f"{c:.2f}", f"{hi:.2f}", hid.date().isoformat()))
            hi, hid = c, t
    print(f"margin {margin}: {len(events)} events")
    for e in events:
        print("  ", e)
