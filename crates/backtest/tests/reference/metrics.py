"""Reference numbers for crates/backtest/tests/backtest.rs (metrics and DSR).

Run: python3 -m venv .venv && .venv/bin/pip install numpy scipy empyrical-reloaded==0.7.1
     .venv/bin/python crates/backtest/tests/reference/metrics.py

The returns are a made-up deterministic series (the same formula is in the
Rust test), so the numbers check the definitions, not any market.
"""
import math

import empyrical as ep
import numpy as np
from scipy.stats import norm

r = np.array([0.001 + 0.02 * math.sin(0.7 * t) + 0.01 * math.cos(1.3 * t) for t in range(250)])
for ann, name in [(365, "crypto"), (252, "equity")]:
    print(name, "total", repr(float(ep.cum_returns_final(r))))
    print(name, "cagr", repr(float(ep.annual_return(r, annualization=ann))))
    print(name, "vol", repr(float(ep.annual_volatility(r, annualization=ann))))
    print(name, "sharpe", repr(float(ep.sharpe_ratio(r, annualization=ann))))
    print(name, "sortino", repr(float(ep.sortino_ratio(r, annualization=ann))))
    print(name, "maxdd", repr(float(ep.max_drawdown(r))))
    print(name, "calmar", repr(float(ep.calmar_ratio(r, annualization=ann))))

# Deflated Sharpe Ratio, Bailey and Lopez de Prado (2014), eq. in the paper.
trials = np.array([0.02 * math.sin(3.1 * k) + 0.01 for k in range(40)])
t = len(r)
sr = r.mean() / r.std(ddof=1)
m = r - r.mean()
skew = (m ** 3).mean() / (m ** 2).mean() ** 1.5
kurt = (m ** 4).mean() / (m ** 2).mean() ** 2
g = 0.5772156649015329
n = len(trials)
sr0 = math.sqrt(trials.var(ddof=1)) * ((1 - g) * norm.ppf(1 - 1 / n) + g * norm.ppf(1 - 1 / (n * math.e)))
dsr = norm.cdf((sr - sr0) * math.sqrt(t - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr ** 2))
print("dsr sr", repr(float(sr)), "sr0", repr(float(sr0)), "skew", repr(float(skew)), "kurt", repr(float(kurt)), "dsr", repr(float(dsr)))
