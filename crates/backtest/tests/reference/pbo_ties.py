"""Reference for pbo_is_not_decided_by_rounding_noise_between_identical_configurations
(crates/backtest/tests/backtest.rs): CSCV PBO (8 blocks) of four made-up
return series from a 64-bit LCG (seeds 1, 1001, 2001), where the second and
third are the same series, exactly or with 1e-15 added to every period.

    python3 crates/backtest/tests/reference/pbo_ties.py

prints 0.7142857142857143 (exact copy), 0.7 (with the noise, ties decided by
rounding as the old code did) and 0.7142857142857143 (near-ties as ties).
"""
import math


def lcg_series(seed, t, scale, drift):
    x = seed; out=[]
    for i in range(t):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1<<64)
        u = (x >> 11) / float(1<<53)
        out.append(scale*(u-0.5)+drift)
    return out
def sharpe(r):
    n=len(r)
    m=sum(r)/n
    sd=math.sqrt(sum((x-m)**2 for x in r)/(n-1))
    return m/sd if sd>0 else 0.0
def pbo(R, blocks, tol):
    n=len(R); t=len(R[0]); size=t//blocks; start=t-size*blocks
    logits=[]
    for mask in range(1<<blocks):
        if bin(mask).count('1')!=blocks//2: continue
        def sh(r,want):
            p=[]
            for b in range(blocks):
                if bool(mask&(1<<b))==want: p+=r[start+b*size:start+(b+1)*size]
            return sharpe(p)
        IS=[sh(r,True) for r in R]; OOS=[sh(r,False) for r in R]
        tied=lambda a,b: tol and abs(a-b)<=1e-10*max(abs(a),abs(b))
        if tol:
            best=0
            for i in range(1,n):
                if IS[i]>IS[best] and not tied(IS[i],IS[best]): best=i
            rank=sum(1 for s in OOS if s<OOS[best] and not tied(s,OOS[best]))+1
        else:
            best=max(range(n), key=lambda i:(IS[i],-i))
            rank=sum(1 for s in OOS if s<OOS[best])+1
        w=rank/(n+1); logits.append(math.log(w/(1-w)))
    return sum(1 for l in logits if l<=0)/len(logits)

t = 120
base = lcg_series(1, t, 0.02, 0.0005)
other = lcg_series(1001, t, 0.02, 0.0005)
third = lcg_series(2001, t, 0.02, 0.0005)
twin = [r + 1e-15 for r in base]
print(pbo([other, base, base, third], 8, False), pbo([other, base, twin, third], 8, False),
      pbo([other, base, twin, third], 8, True))
