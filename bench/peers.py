"""The Python peers of `bench/compare`: the same work as riskcurve, written the
way a careful pandas/numpy/statsmodels/vectorbt user would (vectorised, no
Python loops over dates where the libraries avoid them), reading the same
SQLite database riskcurve wrote.

    bench/.venv/bin/python bench/peers.py WORK --db FILE [options]   # prints JSON

WORK is one of event-study, altseason, leadlag, backtest, sweep. Each prints
the numbers `bench/compare` checks against riskcurve's `--json` output.

Definitions followed (riskcurve's, see the README and the crates' docs):
- merged view: each date goes to the best source (largest priority, ties: the
  source name sorting first) whose first-to-last span contains it; a day that
  source lacks is a gap (riskcurve's contiguous splice, crates/store/src/read.rs);
- the alt universe: every series of asset class `crypto` but `btc`, minus the
  catalog's flagged symbols (stablecoins, wrapped, asset-backed).
"""

import argparse
import contextlib
import io
import importlib
import importlib.util
import json
import os
import sqlite3
import sys
import time
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.simplefilter("ignore")
REPO = Path(__file__).resolve().parent.parent
EPOCH = np.datetime64("1970-01-01", "D")


# ---------------------------------------------------------------- loading


def merged(con, ids=None, where=None, columns="o.close"):
    """Long frame (series_id, date, <columns>) of the merged view: each date goes
    to the best source (largest priority, then the name sorting first) whose
    first-to-last span contains it, and is a gap where that source has no row
    (riskcurve splices sources in contiguous ranges). Two queries, no join or
    sort in SQLite; the splice is vectorised in pandas."""
    if ids is not None:
        quoted = ",".join("'" + i.replace("'", "''") + "'" for i in ids)  # ADBC takes no parameters
        cond = f"o.series_id IN ({quoted})"
    else:
        cond = where
    sources = pd.read_sql_query(f"SELECT o.series_id, o.source, o.priority FROM sources o WHERE {cond}", con)
    df = pd.read_sql_query(f"SELECT o.series_id, o.source, o.date, {columns} FROM observations o WHERE {cond}", con)
    if sources["series_id"].is_unique:  # one source per series: nothing to splice
        return df.sort_values(["series_id", "date"], kind="stable")
    spans = df.groupby(["series_id", "source"], as_index=False)["date"].agg(first="min", last="max")
    spans = spans.merge(sources, on=["series_id", "source"])
    spans = spans.sort_values(["series_id", "priority", "source"], ascending=[True, False, True])
    spans["rank"] = spans.groupby("series_id").cumcount()
    df = df.merge(spans[["series_id", "source", "rank"]], on=["series_id", "source"])
    df["row"] = np.arange(len(df))
    # Rows against every better source of their series: covered by one, they lose.
    pairs = df[["row", "series_id", "date", "rank"]].merge(spans[["series_id", "first", "last", "rank"]],
                                                          on="series_id", suffixes=("", "_better"))
    lost = pairs["row"][(pairs["rank_better"] < pairs["rank"]) & (pairs["first"] <= pairs["date"])
                        & (pairs["date"] <= pairs["last"])]
    df = df[~df["row"].isin(lost.unique())]
    return df.drop(columns=["rank", "row"]).sort_values(["series_id", "date"], kind="stable")


def connect(path):
    """ADBC's SQLite driver hands pandas Arrow columns (several times faster than
    the sqlite3 module's row tuples); sqlite3 where it is not installed."""
    try:
        import adbc_driver_sqlite.dbapi as adbc

        return adbc.connect(f"file:{path}?mode=ro")
    except ImportError:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def wide_closes(con, ids=None, where=None):
    """Closes as a (day number x series) frame, NaN where a series has no row."""
    df = merged(con, ids=ids, where=where)
    return df.pivot(index="date", columns="series_id", values="close").sort_index()


def closes(con, sid):
    df = merged(con, ids=[sid])
    return pd.Series(df["close"].to_numpy(), index=df["date"].to_numpy(), name=sid)


def flagged_symbols():
    catalog = tomllib.loads((REPO / "catalog/default.toml").read_text())
    flags = catalog.get("flags", {})
    return {s.lower() for k, v in flags.items() if k != "version" for s in v}


ALT_WHERE = "o.series_id IN (SELECT id FROM series WHERE asset_class = 'crypto' AND id <> 'btc')"


def to_iso(days):
    return str(EPOCH + np.timedelta64(int(days), "D"))


def membership(con, top_of=None):
    """Point-in-time lists {day: [symbols by rank]}: CoinMarketCap's, then the ticker lists
    on dates CMC lacks (riskcurve's `altseason::membership`)."""
    u = pd.read_sql_query("SELECT source, snapshot_date, rank, symbol FROM universe ORDER BY snapshot_date, rank", con)
    out = {}
    for source in ["coinmarketcap", "universe-json"]:
        part = u[u["source"] == source]
        for day, g in part.groupby("snapshot_date", sort=True):
            out.setdefault(int(day), [s.strip().lower() for s in g["symbol"]])
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- signals


def breakouts(price, min_days):
    """Breakouts on the close, margin 0, one confirming day: a close above every
    earlier close whose previous record stood at least `min_days` calendar days."""
    p = price.to_numpy()
    days = price.index.to_numpy()
    prev_max = np.maximum.accumulate(np.concatenate([[-np.inf], p[:-1]]))
    new_high = p > prev_max  # the first bar counts as the first record
    at = np.flatnonzero(new_high)
    gap = np.diff(days[at])
    return days[at[1:][gap >= min_days]]


# ---------------------------------------------------------------- event study


def alt_basket(con, leave_out=("btc", "eth"), top=50, max_age=40):
    """Equal-weight alt basket, monthly rebalanced, level 100 at the first close;
    members at each rebalance: the top `top` counted alts of the freshest snapshot
    at most `max_age` days old with a close on the base date, else every alt."""
    flagged = flagged_symbols()
    w = wide_closes(con, where=ALT_WHERE)
    w.columns = [c.lower() for c in w.columns]
    counted = [c for c in w.columns if c not in flagged and c not in leave_out and c != "btc"]
    w = w[counted]
    w = w[w.notna().any(axis=1)]
    days = w.index.to_numpy()
    ff = w.ffill().to_numpy()
    raw = w.to_numpy()
    month = (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]")
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]])
    bases = np.r_[0, starts[1:] - 1]  # base: last day of the previous month (first day at the start)
    snaps = membership(con)
    snap_days = np.array(list(snaps), dtype=np.int64)
    col = {c: i for i, c in enumerate(counted)}
    level, out = 100.0, np.empty(len(days))
    ends = np.r_[starts[1:], len(days)]
    for s, e, b in zip(starts, ends, bases):  # one step per month (120 a decade), vectorised over coins
        has = ~np.isnan(raw[b])
        members = None
        k = np.searchsorted(snap_days, days[b], side="right") - 1
        if k >= 0 and days[b] - snap_days[k] <= max_age:
            listed = [x for x in snaps[int(snap_days[k])] if x not in flagged and x not in leave_out and x != "btc"][:top]
            idx = [col[x] for x in listed if x in col]
            idx = [i for i in idx if has[i]]
            if idx:
                members = np.array(idx)
        if members is None:
            members = np.flatnonzero(has)
        if s > 0:
            level = out[s - 1]
        growth = ff[s:e][:, members] / raw[b, members]
        out[s:e] = level * growth.mean(axis=1)
    return pd.Series(out, index=days)


def forward_table(close, dates, h):
    """Forward returns over h calendar days for each date: entry = first close on or
    after date + 1 (within 7 days), exit = last close on or before entry + h,
    complete when a close on or after entry + h exists."""
    cd, cv = close.index.to_numpy(), close.to_numpy()
    i = np.searchsorted(cd, dates + 1, side="left")
    ok = i < len(cd)
    i_c = np.minimum(i, len(cd) - 1)
    ok &= cd[i_c] - (dates + 1) <= 7
    entry_day = cd[i_c]
    j = np.searchsorted(cd, entry_day + h, side="right") - 1
    complete = ok & (cd[-1] >= entry_day + h)
    ret = cv[j] / cv[i_c] - 1
    return ret, complete


def sample_k_of_n(rng, n, k, b):
    """b draws of k distinct indices of 0..n, vectorised: draw, redraw rows with repeats."""
    idx = rng.integers(0, n, size=(b, k))
    while True:
        s = np.sort(idx, axis=1)
        bad = (s[:, 1:] == s[:, :-1]).any(axis=1)
        if not bad.any():
            return idx
        idx[bad] = rng.integers(0, n, size=(int(bad.sum()), k))


def bootstrap_ci(x, rng, reps=10_000, conf=0.95):
    n = len(x)
    block = 1.0
    if n >= 11 and np.ptp(x) > 0:  # fewer events: i.i.d., as riskcurve (arch imported only when needed)
        from arch.bootstrap import optimal_block_length

        block = max(1.0, float(optimal_block_length(x)["stationary"].iloc[0]))
    idx = np.empty((reps, n), dtype=np.int64)
    idx[:, 0] = rng.integers(0, n, reps)
    if block > 1.0:
        restart = rng.random((reps, n)) < 1.0 / block
        fresh = rng.integers(0, n, (reps, n))
        for t in range(1, n):  # over the events (a few), vectorised over resamples
            idx[:, t] = np.where(restart[:, t], fresh[:, t], (idx[:, t - 1] + 1) % n)
    else:
        idx[:, 1:] = rng.integers(0, n, (reps, n - 1))
    means = x[idx].mean(axis=1)
    return np.percentile(means, [50 * (1 - conf), 50 * (1 + conf)])


def event_study(con, args):
    rut = closes(con, "rut")
    events = breakouts(rut, args.min_days)
    eligible = rut.index.to_numpy()
    kept, last = [], None
    for e in events:  # de-clustering walks the events (a handful)
        if last is None or e - last >= max(args.horizons):
            kept.append(e)
            last = e
    kept = np.array(kept, dtype=np.int64)
    near = np.zeros(len(eligible), dtype=bool)
    for e in events:
        near |= np.abs(eligible - e) <= args.exclude_days
    rng = np.random.default_rng(args.seed)
    out = {"events": [to_iso(e) for e in events], "kept": [to_iso(e) for e in kept], "targets": {}}
    for t in args.targets:
        close = alt_basket(con) if t == "alts" else closes(con, t)
        rows = []
        for h in args.horizons:
            ev_ret, ev_ok = forward_table(close, kept, h)
            obs = ev_ret[ev_ok]
            base_ret, base_ok = forward_table(close, eligible, h)
            pool = base_ret[base_ok & ~near]
            row = {"days": h, "n": int(len(obs)), "mean": float(obs.mean()) if len(obs) else None,
                   "baseline_n": int(base_ok.sum()), "baseline_mean": float(base_ret[base_ok].mean()),
                   "placebo_pool": int(len(pool)), "p_value": None}
            if len(obs) and args.placebos:
                k, m = len(obs), obs.mean()
                hits = 0
                for start in range(0, args.placebos, 25_000):  # chunks bound the memory
                    b = min(25_000, args.placebos - start)
                    means = pool[sample_k_of_n(rng, len(pool), k, b)].mean(axis=1)
                    hits += int((means >= m - 1e-12 * abs(m)).sum())
                row["p_value"] = (1 + hits) / (1 + args.placebos)
                row["ci"] = [float(v) for v in bootstrap_ci(obs, rng)]
            rows.append(row)
        out["targets"][t] = rows
    return out


# ---------------------------------------------------------------- altseason


def altseason(con, args):
    """The altcoin season index on the catalog universe (every alt; a database
    without membership snapshots, as the synthetic one)."""
    w, tol = args.window, args.tolerance
    flagged = flagged_symbols()
    wide = wide_closes(con, where="o.series_id IN (SELECT id FROM series WHERE asset_class = 'crypto')")
    wide.columns = [c.lower() for c in wide.columns]
    first, last = int(wide.index.min()), int(wide.index.max())
    grid = np.arange(first, last + 1)
    wide = wide.reindex(grid)
    # The last close within `tol` days and the day it is from, on every calendar day.
    have = wide.notna()
    src_day = pd.DataFrame(np.where(have, grid[:, None], np.nan), index=grid, columns=wide.columns)
    val = wide.ffill(limit=tol).to_numpy()
    day = src_day.ffill(limit=tol).to_numpy()
    btc_i = list(wide.columns).index("btc")
    btc, btc_first, btc_last = val[:, btc_i], int(wide["btc"].first_valid_index()), int(wide["btc"].last_valid_index())
    alts = [i for i, c in enumerate(wide.columns) if c != "btc" and c not in flagged]
    a, e = val[:, alts], day[:, alts]
    d1 = np.arange(btc_first + w, btc_last + 1)[::-1][:: args.step][::-1] - first
    d0 = d1 - w
    keep = ~np.isnan(btc[d1]) & ~np.isnan(btc[d0])
    d1, d0 = d1[keep], d0[keep]
    a1, a0, e1, e0 = a[d1], a[d0], e[d1], e[d0]
    valid = ~np.isnan(a1) & ~np.isnan(a0)
    # BTC's closes at the alt's own dates (within the tolerance of those dates).
    b1 = np.where(valid, btc[np.nan_to_num(e1 - first).astype(np.int64)], np.nan)
    b0 = np.where(valid, btc[np.nan_to_num(e0 - first).astype(np.int64)], np.nan)
    valid &= ~np.isnan(b1) & ~np.isnan(b0)
    with np.errstate(invalid="ignore"):
        beats = valid & (a1 / a0 - 1 > b1 / b0 - 1)
    n = valid.sum(axis=1)
    index = np.where(n > 0, 100.0 * beats.sum(axis=1) / np.maximum(n, 1), np.nan)
    rows = n >= args.min_coins
    return {"dates": [to_iso(d + first) for d in d1[rows]], "index": index[rows].tolist(), "n_coins": n[rows].tolist()}


# ---------------------------------------------------------------- lead-lag


def leadlag(con, args):
    """Every ordered pair: weekly log returns on the last common close of each week
    (ending Friday), Granger causality at lags 1..L (statsmodels' ssr F test), the
    AIC lag, an HC1-robust p at that lag, the same-week correlation."""
    import statsmodels.api as sm
    from statsmodels.tsa.stattools import grangercausalitytests

    wide = wide_closes(con, ids=args.series)
    wide.index = EPOCH + wide.index.to_numpy().astype("timedelta64[D]")
    if args.to:
        wide = wide.loc[: args.to]
    L, out = args.max_lag, []
    for a in args.series:
        for b in args.series:
            if a == b:
                continue
            both = wide[[a, b]].dropna()
            weekly = np.log(both.resample("W-FRI").last().dropna())
            r = weekly.diff().dropna()
            x, y = r[a].to_numpy(), r[b].to_numpy()
            with contextlib.redirect_stdout(io.StringIO()):  # older statsmodels print every lag
                g = grangercausalitytests(np.column_stack([y, x]), L)
            # AIC of the unrestricted model on one common sample (rows t >= L).
            aics = []
            for lag in range(1, L + 1):
                cols = [y[L - j : len(y) - j] for j in range(1, lag + 1)] + [x[L - j : len(x) - j] for j in range(1, lag + 1)]
                aics.append(sm.OLS(y[L:], sm.add_constant(np.column_stack(cols), prepend=False)).fit().aic)
            best = int(np.argmin(aics)) + 1
            f, p = g[best][0]["ssr_ftest"][:2]
            unrestricted = g[best][1][1]
            rr = np.zeros((best, unrestricted.params.shape[0]))
            rr[:, best : 2 * best] = np.eye(best)
            robust = sm.OLS(unrestricted.model.endog, unrestricted.model.exog).fit(cov_type="HC1").f_test(rr)
            out.append({"lead": a, "lag": b, "n": len(x), "r": float(np.corrcoef(x, y)[0, 1]), "best_lag_aic": best,
                        "f": float(f), "p": float(p), "p_robust": float(np.squeeze(robust.pvalue))})
    return {"pairs": out}


# ---------------------------------------------------------------- backtests (vectorbt)


def ohlc(con, sid, start):
    df = merged(con, ids=[sid], columns="o.open, o.high, o.low, o.close")
    df.index = pd.DatetimeIndex(EPOCH + df["date"].to_numpy().astype("timedelta64[D]"))
    return df.loc[start:]


def _hold_choice(from_i, to_i, col, days, holds):
    target = days[from_i - 1] + holds[col]
    for i in range(from_i, to_i):
        if days[i] >= target:
            return np.array([i])
    return np.empty(0, dtype=np.int64)


def hold_exits(index, entries, holds):
    """Exit signals for `entries` (bars x configs): the first bar on or after entry
    date + hold days, one position at a time (vectorbt's generate_exits skips
    entries until the exit)."""
    import vectorbt  # noqa: F401  (registers the .vbt accessor)
    from numba import njit

    choice = njit(cache=True)(_hold_choice)
    days = ((index.values - np.datetime64("1970-01-01")) // np.timedelta64(1, "D")).astype(np.int64)
    return entries.vbt.signals.generate_exits(choice, days, np.asarray(holds, dtype=np.int64),
                                              until_next=False, skip_until_exit=True)


def entry_signals(index, events):
    """The bar each signal acts on: the first bar strictly after the signal's date."""
    e = np.zeros(len(index), dtype=bool)
    days = ((index.values - np.datetime64("1970-01-01")) // np.timedelta64(1, "D")).astype(np.int64)
    at = np.searchsorted(days, events, side="right")
    e[at[(at < len(days)) & (at > 0)]] = True
    return e


def simulate(bars, entries, holds, stops, fee_bps, slip_bps):
    """Every configuration (a column of `entries`, its hold in days and stop in
    percent, 0 = none): per-bar returns (bars - 1 x configs), total returns and
    trade counts. vectorbt when installed, else the plain numpy peer below."""
    try:
        if os.environ.get("PEERS_PLAIN"):  # to test the fallback where vectorbt is installed
            raise ImportError
        import vectorbt as vbt
    except ImportError:
        return simulate_plain(bars, entries.to_numpy(), holds, stops, fee_bps / 1e4, slip_bps / 1e4)
    exits = hold_exits(bars.index, entries, holds)
    stop = np.where(np.asarray(stops) > 0, np.asarray(stops) / 100.0, np.nan)
    pf = vbt.Portfolio.from_signals(
        bars["close"], entries, exits, open=bars["open"], high=bars["high"], low=bars["low"],
        sl_stop=stop, fees=fee_bps / 1e4, slippage=slip_bps / 1e4, init_cash=1.0, freq="1D")
    # riskcurve's returns start at the second bar.
    return pf.returns().iloc[1:].to_numpy(), pf.total_return().to_numpy(), pf.trades.count().to_numpy()


def simulate_plain(bars, entries, holds, stops, fee, slip):
    """The same fills without vectorbt: a loop over trades (a handful per
    configuration), each trade's exit found by vectorised searches over its bars."""
    close, low, open_ = (bars[c].to_numpy() for c in ["close", "low", "open"])
    days = ((bars.index.values - np.datetime64("1970-01-01")) // np.timedelta64(1, "D")).astype(np.int64)
    n = len(close)
    equity = np.empty((n, entries.shape[1]))
    trades = np.zeros(entries.shape[1], dtype=np.int64)
    for c in range(entries.shape[1]):
        cash, flat_from, signals = 1.0, 0, np.flatnonzero(entries[:, c])
        i = signals[signals >= 1][0] if (signals >= 1).any() else n
        while i < n:
            equity[flat_from:i, c] = cash
            price = close[i] * (1 + slip)
            shares = cash / (price * (1 + fee))
            after = np.arange(i + 1, n)
            held = after[days[after] - days[i] >= holds[c]]
            level = price * (1 - stops[c] / 100) if stops[c] > 0 else -np.inf
            hit = after[np.where(np.isnan(low[after]), close[after], low[after]) <= level]
            j_hold, j_stop = (held[0] if len(held) else n), (hit[0] if len(hit) else n)
            trades[c] += 1
            if min(j_hold, j_stop) >= n:  # open at the end, valued at the close
                equity[i:, c] = shares * close[i:]
                break
            j = min(j_hold, j_stop)
            if j_stop <= j_hold:  # stops are checked first: the level, or the open below it
                fill = close[j] if np.isnan(low[j]) else (open_[j] if open_[j] < level else level)
            else:
                fill = close[j]
            equity[i:j, c] = shares * close[i:j]
            cash = shares * fill * (1 - slip) * (1 - fee)
            equity[j, c] = cash
            flat_from = j + 1
            later = signals[signals > j]
            i = later[0] if len(later) else n
        else:
            equity[flat_from:, c] = cash
    returns = equity[1:] / equity[:-1] - 1
    return returns, equity[-1] / equity[0] - 1, trades


def sharpe_of(returns, periods=365):
    return returns.mean(axis=0) / returns.std(axis=0, ddof=1) * np.sqrt(periods)


def backtest(con, args):
    rut = closes(con, "rut")
    bars = ohlc(con, args.target, args.start)
    entries = pd.DataFrame({0: entry_signals(bars.index, breakouts(rut, args.min_days))}, index=bars.index)
    returns, total, trades = simulate(bars, entries, [args.hold], [args.stop_pct], args.fee_bps, args.slippage_bps)
    return {"total_return": float(total[0]), "sharpe": float(sharpe_of(returns)[0]), "trades": int(trades[0])}


def sweep(con, args):
    """Every configuration of the grid in one vectorbt call (configs as columns),
    then the Probability of Backtest Overfitting (CSCV)."""
    grid = tomllib.loads(Path(args.grid).read_text())
    rut = closes(con, "rut")
    (target,) = grid["targets"]
    bars = ohlc(con, target, grid.get("from", "1900-01-01"))
    configs = [(m, h, s) for m in grid["min_days"] for h in grid["hold"] for s in grid["stop_pct"]]
    signals = {m: entry_signals(bars.index, breakouts(rut, m)) for m in grid["min_days"]}
    entries = pd.DataFrame({i: signals[m] for i, (m, _, _) in enumerate(configs)}, index=bars.index)
    returns, total, _ = simulate(bars, entries, [h for _, h, _ in configs], [s for _, _, s in configs],
                                 grid["fee_bps"], grid["slippage_bps"])
    sharpe = sharpe_of(returns)
    pbo = cscv_pbo(returns, grid.get("blocks", 10))
    return {"configs": [{"min_days": m, "hold": h, "stop_pct": s, "total_return": float(total[i]),
                         "sharpe": float(sharpe[i])} for i, (m, h, s) in enumerate(configs)], "pbo": pbo,
            "engine": "numpy" if os.environ.get("PEERS_PLAIN") or not importlib.util.find_spec("vectorbt") else "vectorbt"}


def cscv_pbo(r, blocks):
    """PBO by combinatorially symmetric cross-validation (Bailey et al. 2017)."""
    from itertools import combinations

    size = len(r) // blocks
    start = len(r) - size * blocks  # leading periods that fill no block are left out, as riskcurve
    parts = [np.arange(start + b * size, start + (b + 1) * size) for b in range(blocks)]
    def sharpe(x):
        sd = x.std(axis=0, ddof=1)
        return np.where(sd > 0, x.mean(axis=0) / np.where(sd > 0, sd, 1), 0.0)
    logits = []
    for ins in combinations(range(blocks), blocks // 2):  # 252 splits, vectorised over configs
        mask = np.zeros(blocks, dtype=bool)
        mask[list(ins)] = True
        is_rows = np.concatenate([parts[i] for i in range(blocks) if mask[i]])
        oos_rows = np.concatenate([parts[i] for i in range(blocks) if not mask[i]])
        # Rounded: configurations with the same trades in a half tie exactly, as
        # in riskcurve, instead of being ordered by floating-point noise.
        best = int(np.argmax(np.round(sharpe(r[is_rows]), 12)))
        oos = np.round(sharpe(r[oos_rows]), 12)
        rank = (oos < oos[best]).sum() + 1  # 1 = the worst
        w = rank / (len(oos) + 1)
        logits.append(np.log(w / (1 - w)))
    return float((np.array(logits) <= 0).mean())


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser()
    p.add_argument("work", choices=["event-study", "altseason", "leadlag", "backtest", "sweep"])
    p.add_argument("--db", required=True)
    p.add_argument("--targets", default="btc,eth,alts")
    p.add_argument("--horizons", default="30,90,180,365")
    p.add_argument("--placebos", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--exclude-days", type=int, default=30)
    p.add_argument("--min-days", type=int, default=365)
    p.add_argument("--window", type=int, default=90)
    p.add_argument("--step", type=int, default=1)
    p.add_argument("--tolerance", type=int, default=3)
    p.add_argument("--min-coins", type=int, default=5)
    p.add_argument("--series", default="spx,rut,iwm,btc,eth")
    p.add_argument("--max-lag", type=int, default=12)
    p.add_argument("--to")
    p.add_argument("--target", default="btc")
    p.add_argument("--start", default="1900-01-01")
    p.add_argument("--hold", type=int, default=180)
    p.add_argument("--stop-pct", type=float, default=0.0)
    p.add_argument("--fee-bps", type=float, default=10.0)
    p.add_argument("--slippage-bps", type=float, default=5.0)
    p.add_argument("--grid")
    p.add_argument("--warm", action="store_true", help="also time a second, warm run (seconds_warm)")
    args = p.parse_args()
    args.targets = args.targets.split(",")
    args.horizons = [int(h) for h in args.horizons.split(",")]
    args.series = args.series.split(",")
    con = connect(args.db)
    work = {"event-study": event_study, "altseason": altseason, "leadlag": leadlag,
            "backtest": backtest, "sweep": sweep}[args.work]
    # The libraries a work needs are imported first, so `seconds` is its compute time alone.
    for module in {"leadlag": ["statsmodels.api", "statsmodels.tsa.stattools"],
                   "backtest": ["vectorbt"], "sweep": ["vectorbt"]}.get(args.work, []):
        importlib.import_module(module)
    start = time.perf_counter()
    out = work(con, args)
    out["seconds"] = time.perf_counter() - start
    if args.warm:  # the same work again in this process: compiled, cached, warm
        start = time.perf_counter()
        work(con, args)
        out["seconds_warm"] = time.perf_counter() - start
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
