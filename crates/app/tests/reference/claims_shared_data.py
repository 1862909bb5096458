"""Reference numbers for crates/app/tests/claims.rs: the claims checker's
measurements recomputed from the raw files in ../shared/data with pandas,
statsmodels and scipy, independently of riskcurve.

Run from the repository root:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas scipy statsmodels
    /tmp/venv/bin/python crates/app/tests/reference/claims_shared_data.py

Produced with Python 3.11.7, pandas 3.1.1, numpy 2.4.6, scipy 1.17.1,
statsmodels 0.15.0. Prints Rust source (floats with repr()).

The data, cut at AS_OF = 2026-06-05 (the last Yahoo BTC close, so every
series below comes from one file per date range, as the shared-data manifest
splices them):
  rut   Yahoo ^RUT (close, high, volume) to its last row, then the IBKR-style file
  btc   blockchain.com (2-day, 0 = no market) before Yahoo's first day, then Yahoo
  eth   Yahoo (only 2026 is used)
  iwm   Yahoo (volume)
  spx, ixic  the IBKR-style files
Definitions are those of the claims module (crates/app/src/claims/):
  forward return: entry = first close strictly after the event (within 7
  days), exit = last close on or before entry + horizon, complete when a close
  exists on or after entry + horizon; max run-up = highest close in
  [entry, exit] / entry - 1.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

warnings.simplefilter("ignore")

D = "../shared/data/"
AS_OF = pd.Timestamp("2026-06-05")


def yahoo(name):
    return pd.read_csv(D + name, parse_dates=["Date"]).set_index("Date").sort_index()


def ibkr(name):
    return pd.read_csv(D + name, parse_dates=["date"]).set_index("date").sort_index()


ry = yahoo("rut_daily_yahoo.csv")
rh = ibkr("rut_daily_heliar.csv")
rut = pd.concat([ry["Close"], rh["close"][rh.index > ry.index[-1]]])
rut_high = pd.concat([ry["High"], rh["high"][rh.index > ry.index[-1]]])
rut_volume = ry["Volume"]
by = yahoo("btc_usd_daily_yahoo.csv")["Close"]
bc = pd.read_csv(D + "btc_usd_2day_blockchain_2009_2018.csv", header=None, names=["t", "p"])
bc["t"] = pd.to_datetime(bc["t"])
bc = bc.set_index("t")["p"]
btc = pd.concat([bc[(bc > 0) & (bc.index < by.index[0])], by]).sort_index()
eth = yahoo("eth_usd_daily_yahoo.csv")["Close"]
iwm_volume = yahoo("iwm_daily_yahoo_adj.csv")["Volume"]
spx = ibkr("spx_daily_heliar.csv")["close"]
ixic = ibkr("ixic_daily_heliar.csv")["close"]
rut, rut_high, btc, eth, spx, ixic = (s[s.index <= AS_OF] for s in (rut, rut_high, btc, eth, spx, ixic))


def f(v):
    return repr(float(v))


def day(t):
    return t.date().isoformat()


def breakouts(s, min_days, since):
    """riskcurve's breakout (close basis, margin 0), as crates/signals/tests/reference/rut_breakouts.py."""
    hi, hid, events = s.iloc[0], s.index[0], []
    for t, c in s.iloc[1:].items():
        if c > hi:
            if (t - hid).days >= min_days and t >= since:
                events.append(t)
            hi, hid = c, t
    return events


def forward(s, event, horizon):
    after = s[s.index > event]
    entry_date = after.index[0]
    assert (entry_date - event).days <= 8
    end = entry_date + pd.Timedelta(days=horizon)
    window = s[(s.index >= entry_date) & (s.index <= end)]
    complete = s.index[-1] >= end
    return {
        "entry": entry_date,
        "exit": window.index[-1],
        "return": window.iloc[-1] / window.iloc[0] - 1,
        "runup": window.max() / window.iloc[0] - 1,
        "complete": complete,
    }


def main():
    # C1b: every RUT breakout since 2010, BTC 365 (and 90) days after.
    print("// C1b: (event, btc return, complete) for breakout:rut:min-days=N since 2010, horizon H")
    for min_days, horizon in [(365, 365), (180, 365), (365, 90)]:
        rows = []
        for e in breakouts(rut, min_days, pd.Timestamp("2010-01-01")):
            o = forward(btc, e, horizon)
            rows.append(f'    ("{day(e)}", {f(o["return"])}, {str(o["complete"]).lower()}),')
        print(f"const C1B_{min_days}_{horizon}: [(&str, f64, bool); {len(rows)}] = [")
        print("\n".join(rows))
        print("];")

    # C8: the first close above 2600 in 2026-01 (after a close at or below it).
    above = rut > 2600
    cross = [t for i, t in enumerate(rut.index[1:], 1) if above.iloc[i] and not above.iloc[i - 1] and t.year == 2026 and t.month == 1]
    e = cross[0]
    print(f'const C8_EVENT: &str = "{day(e)}";')
    for name, s in [("BTC", btc), ("ETH", eth)]:
        for h in (90, 30):
            o = forward(s, e, h)
            assert o["complete"]
            print(f"const C8_{name}_{h}: (f64, f64) = ({f(o['return'])}, {f(o['runup'])}); // return, max run-up")

    # C9: 2025, calendar year and from the year's lowest close.
    y25 = rut["2025"]
    prior = rut[: "2024-12-31"].iloc[-1]
    print(f"const C9_CALENDAR: f64 = {f(y25.iloc[-1] / prior - 1)};")
    print(f'const C9_FROM_LOW: (&str, f64) = ("{day(y25.idxmin())}", {f(y25.iloc[-1] / y25.min() - 1)});')

    # C10, C11: from the 2025-12-31 close.
    base = rut[: "2025-12-31"].iloc[-1]
    print("// (end, return at the last close on or before end, highest close, highest high) in the window")
    rows = []
    for end in ["2026-01-13", "2026-01-14", "2026-01-16", "2026-01-21", "2026-01-23"]:
        w = rut["2026-01-01":end]
        hw = rut_high["2026-01-01":end]
        rows.append(f'    ("{end}", {f(w.iloc[-1] / base - 1)}, {f(w.max())}, {f(hw.max())}),')
    print(f"const WINDOWS: [(&str, f64, f64, f64); {len(rows)}] = [")
    print("\n".join(rows))
    print("];")

    # C13: volume on the C8 event day against the sessions before it (volume > 0).
    for name, v in [("RUT", rut_volume), ("IWM", iwm_volume)]:
        v = v[v > 0]
        before = v[v.index < e]
        x = v[e]
        print(
            f"const C13_{name}: [f64; 4] = [{f(x / before.iloc[-50:].mean())}, {f(x / before.iloc[-20:].mean())}, "
            f"{f((before.iloc[-252:] < x).mean())}, {f((before < x).mean())}]; // ratio 50, ratio 20, pct 252, pct all"
        )

    # C12: first close above the previous cycle's top (halving_cycles.py's top)
    # or above the highest close more than 365 days before the halving.
    halvings = [pd.Timestamp(h) for h in ["2012-11-28", "2016-07-09", "2020-05-11", "2024-04-20"]]
    tops = {}
    for k, h in enumerate(halvings):
        entry_date = btc[:h].index[-1]
        end = halvings[k + 1] if k + 1 < len(halvings) else None
        c = btc[entry_date:] if end is None else btc[entry_date : end - pd.Timedelta(days=1)]
        hi_i, top_i = 0, None
        for i in range(1, len(c)):
            if c.iloc[i] > c.iloc[hi_i]:
                hi_i = i
            elif c.iloc[i] <= 0.5 * c.iloc[hi_i]:
                top_i = hi_i
        tops[h] = c.index[top_i] if top_i is not None else None
    print("// (halving, reference date, first close above it) for cycle-top and year-before")
    for name in ["cycle-top", "year-before"]:
        rows = []
        for k, h in enumerate(halvings):
            if name == "year-before":
                ref = btc[: h - pd.Timedelta(days=365)].idxmax()
            elif k == 0:
                ref = btc[btc.index < h].idxmax()
            else:
                ref = tops[halvings[k - 1]]
            later = btc[(btc.index > ref) & (btc > btc[ref])]
            rows.append(f'    ("{day(h)}", "{day(ref)}", "{day(later.index[0])}"),')
        print(f"const C12_{name.upper().replace('-', '_')}: [(&str, &str, &str); 4] = [")
        print("\n".join(rows))
        print("];")

    # C15: the issuance schedule (integer satoshis).
    sub = lambda e: 5_000_000_000 >> e
    supply = sum(210_000 * sub(e) for e in range(4))
    cap = sum(210_000 * sub(e) for e in range(64))
    print(f"const C15: [f64; 3] = [{f(supply / cap)}, {f(sub(3) * 52560 / supply)}, {f(sub(4) * 52560 / supply)}]; // mined, before, after")

    # C5: Steiger's Z on log returns over the periods all three have: the
    # daily closes aligned on common days first (every close of a period is
    # from the same day, as riskcurve leadlag pairs them), then the last close
    # of each period, a final period ending after the last common day dropped.
    def returns(series, rule, since):
        days = pd.concat([s[s.index >= since] for s in series], axis=1, join="inner")
        end = days.index[-1]
        if rule != "D":
            days = days.resample(rule).last().dropna()
            days = days[days.index <= end]
        return np.log(days).diff().dropna()

    def steiger(r):
        r_jk, r_jh, r_kh = r.iloc[:, 0].corr(r.iloc[:, 1]), r.iloc[:, 0].corr(r.iloc[:, 2]), r.iloc[:, 1].corr(r.iloc[:, 2])
        n = len(r)
        rbar = (r_jk + r_jh) / 2
        psi = r_kh * (1 - 2 * rbar**2) - 0.5 * rbar**2 * (1 - 2 * rbar**2 - r_kh**2)
        c = psi / (1 - rbar**2) ** 2
        z = (np.arctanh(r_jk) - np.arctanh(r_jh)) * np.sqrt(n - 3) / np.sqrt(2 - 2 * c)
        return n, r_jk, r_jh, z, 2 * stats.norm.sf(abs(z))

    print("// C5: (n, corr(btc, k), corr(btc, h), Steiger Z, p)")
    rows = []
    for label, other, rule, since in [
        ("weekly spx", spx, "W-FRI", "2016-07-01"),
        ("weekly ixic", ixic, "W-FRI", "2016-07-01"),
        ("daily spx", spx, "D", "2016-07-01"),
        ("monthly spx", spx, "ME", "2016-07-01"),
        ("weekly spx 2020", spx, "W-FRI", "2020-01-01"),
    ]:
        n, a, b, z, p = steiger(returns([btc, rut, other], rule, pd.Timestamp(since)))
        rows.append(f'    ("{label}", {n}, {f(a)}, {f(b)}, {f(z)}, {f(p)}),')
    print(f"const C5: [(&str, usize, f64, f64, f64, f64); {len(rows)}] = [")
    print("\n".join(rows))
    print("];")

    # Lead order spx -> rut -> btc, weekly, from 2016-07-01, each pair's
    # returns as above, lags 1..4 both ways: HC1 Wald F of the cause's lags
    # (own trimming per lag, as crates/stats/tests/reference/granger_rut_btc.py),
    # Holm over all 16.
    max_lag = 4
    ps = []
    for a, b in [(spx, rut), (rut, btc)]:
        r = returns([a, b], "W-FRI", pd.Timestamp("2016-07-01"))
        x, y = r.iloc[:, 0].to_numpy(), r.iloc[:, 1].to_numpy()
        for effect, cause in [(y, x), (x, y)]:
            for lag in range(1, max_lag + 1):
                n = len(effect)
                cols = [effect[lag - j : n - j] for j in range(1, lag + 1)]
                cols += [cause[lag - j : n - j] for j in range(1, lag + 1)]
                cols.append(np.ones(n - lag))
                xm = np.column_stack(cols)
                restriction = np.zeros((lag, xm.shape[1]))
                restriction[:, lag : 2 * lag] = np.eye(lag)
                test = sm.OLS(effect[lag:], xm).fit(cov_type="HC1").f_test(restriction)
                ps.append(float(np.squeeze(test.pvalue)))
        print(f"// {len(r)} weekly returns")
    holm = multipletests(ps, method="holm")[1]
    print("// per link and direction: (smallest p, its lag, its Holm p); spx->rut, rut->spx, rut->btc, btc->rut")
    rows = []
    for i in range(4):
        chunk = ps[i * max_lag : (i + 1) * max_lag]
        j = int(np.argmin(chunk))
        rows.append(f"    ({f(chunk[j])}, {j + 1}, {f(holm[i * max_lag + j])}),")
    print(f"const LEAD_ORDER: [(f64, usize, f64); 4] = [")
    print("\n".join(rows))
    print("];")


if __name__ == "__main__":
    main()
