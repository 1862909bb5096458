//! Lossless, compact columns of `f64`.
//!
//! Market data is decimal text parsed into `f64` (`83.725`), sometimes by way
//! of `f32` (Yahoo's `168.97000122070312` is the float32 nearest 168.97). So
//! each value is stored as an integer `m` and a column scale `k` such that
//! the decimal `m × 10^-k`, correctly rounded to `f64` (or to `f32`, then
//! widened), is the value bit for bit; the column keeps the zigzag varint
//! deltas of `m`. Rust's shortest round-trip formatting finds `m` for any
//! finite value. A value the block's coding misses gets the nearest `m` and a
//! correction: the difference of the bit patterns, a byte or two for the
//! values one unit in the last place off a float32 (found in real Yahoo
//! exports), ten at most for NaN, infinities and `-0.0`.
//!
//! A column is cut into blocks of [`BLOCK`] values, each with its own
//! precision and scale, so a series merged from a float32 source and a
//! two-decimal source codes both well. Deltas run on across blocks.

use super::codec::{Reader, Result, Writer};

/// Values per block: small enough to follow a change of source, large
/// enough that the two header bytes are noise.
const BLOCK: usize = 128;

/// Exact powers of ten in `f64` (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// How a block maps integers to values: `m × 10^-scale`, rounded to `f32`
/// when `f32` is set. The tag byte holds the flag and the zigzagged scale.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Coding {
    f32: bool,
    scale: i32,
}

impl Coding {
    fn tag(self) -> u8 {
        let zigzag = ((self.scale << 1) ^ (self.scale >> 31)) as u8;
        zigzag | (u8::from(self.f32) << 7)
    }

    fn from_tag(tag: u8) -> Coding {
        let z = i32::from(tag & 0x7f);
        Coding { f32: tag & 0x80 != 0, scale: (z >> 1) ^ -(z & 1) }
    }

    /// The scales a tag can hold.
    fn fits(scale: i32) -> bool {
        (-64..64).contains(&scale)
    }

    /// The decimal `m × 10^-scale`, correctly rounded. The fast paths give
    /// the same bits as parsing: with both operands exact, one IEEE division
    /// rounds correctly, and for `f32` the detour through `f64` cannot
    /// double-round (53 >= 2 × 24 + 2). Either way the encoder checks.
    fn value(self, m: i64) -> f64 {
        let text = || format!("{m}e{}", -self.scale);
        if self.f32 {
            if m.unsigned_abs() <= 1 << 24 && (0..=10).contains(&self.scale) {
                return f64::from((m as f64 / POW10[self.scale as usize]) as f32);
            }
            return text().parse::<f32>().map_or(f64::NAN, f64::from);
        }
        if m.unsigned_abs() <= 1 << 53 && (0..=22).contains(&self.scale) {
            return m as f64 / POW10[self.scale as usize];
        }
        text().parse().unwrap_or(f64::NAN)
    }

    /// The integer for `v` at this coding, and the correction that makes
    /// its value `v` bit for bit (0 when it already is); `prev` stands in
    /// when `v` has no integer at all (NaN, infinite, out of range).
    fn integer(self, v: f64, form: Option<Decimal>, prev: i64) -> (i64, u64) {
        let exact = form.and_then(|Decimal { digits, exp }| {
            let shift = u32::try_from(exp + self.scale).ok()?;
            digits.checked_mul(10i64.checked_pow(shift)?)
        });
        if let Some(m) = exact.filter(|&m| self.value(m).to_bits() == v.to_bits()) {
            return (m, 0);
        }
        let x = (v * 10f64.powi(self.scale)).round();
        let m = if x.abs() < 9.2e18 { x as i64 } else { prev }; // false for NaN
        (m, v.to_bits().wrapping_sub(self.value(m).to_bits()))
    }
}

/// `digits × 10^exp`: the shortest decimal that reads back as the value.
#[derive(Clone, Copy)]
struct Decimal {
    digits: i64,
    exp: i32,
}

impl Decimal {
    /// From Rust's shortest round-trip `{:e}` form (`1.6897e2`), at the
    /// precision of `f32` when `f32` is set (only for values that are `f32`).
    fn of(v: f64, f32: bool) -> Option<Decimal> {
        let text = if f32 {
            (f64::from(v as f32).to_bits() == v.to_bits()).then(|| format!("{:e}", v as f32))?
        } else {
            format!("{v:e}")
        };
        let (mantissa, exp) = text.split_once('e')?; // none for NaN and inf
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int}{frac}").parse().ok()?;
        Some(Decimal { digits, exp: exp.parse::<i32>().ok()? - frac.len() as i32 })
    }
}

/// Writes `values` as blocks: tag, corrections (index gap in the block and
/// bit difference), then the deltas of every value's integer.
pub(super) fn write(w: &mut Writer, values: &[f64]) {
    let mut prev = 0i64;
    for block in values.chunks(BLOCK) {
        let forms: Vec<[Option<Decimal>; 2]> =
            block.iter().map(|&v| [Decimal::of(v, false), Decimal::of(v, true)]).collect();
        // Candidates: each scale some value needs, in either precision.
        let mut candidates: Vec<Coding> = forms
            .iter()
            .flat_map(|f| {
                f.iter().zip([false, true]).filter_map(|(d, f32)| Some(Coding { f32, scale: -d.as_ref()?.exp }))
            })
            .filter(|c| Coding::fits(c.scale))
            .collect();
        candidates.sort_by_key(|c| (c.f32, c.scale));
        candidates.dedup();
        let coding = |c: Coding| -> (Vec<u8>, i64) { encode_block(block, &forms, c, prev) };
        let (bytes, last) = candidates
            .into_iter()
            .map(coding)
            .min_by_key(|(bytes, _)| bytes.len())
            .unwrap_or_else(|| coding(Coding { f32: false, scale: 0 }));
        w.buf.extend_from_slice(&bytes);
        prev = last;
    }
}

fn encode_block(block: &[f64], forms: &[[Option<Decimal>; 2]], c: Coding, mut prev: i64) -> (Vec<u8>, i64) {
    let mut ints = Vec::with_capacity(block.len());
    for (&v, f) in block.iter().zip(forms) {
        let (m, fix) = c.integer(v, f[usize::from(c.f32)], ints.last().map_or(prev, |&(m, _)| m));
        ints.push((m, fix));
    }
    let mut w = Writer::default();
    w.u8(c.tag());
    w.uvar(ints.iter().filter(|(_, fix)| *fix != 0).count() as u64);
    let mut next = 0;
    for (i, &(_, fix)) in ints.iter().enumerate().filter(|(_, (_, fix))| *fix != 0) {
        w.uvar((i - next) as u64);
        w.ivar(fix as i64); // small either way round
        next = i + 1;
    }
    for (m, _) in ints {
        w.ivar(m.wrapping_sub(prev)); // wraps back on decode
        prev = m;
    }
    (w.buf, prev)
}

/// Reads `n` values written by [`write`].
pub(super) fn read(r: &mut Reader<'_>, n: usize) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(n);
    let mut prev = 0i64;
    while out.len() < n {
        let len = BLOCK.min(n - out.len());
        let coding = Coding::from_tag(r.u8()?);
        let fixes = r.count()?;
        if fixes > len {
            return Err(format!("{fixes} corrections in a block of {len} values"));
        }
        let mut fix = Vec::with_capacity(fixes);
        let mut next = 0usize;
        for _ in 0..fixes {
            let i = usize::try_from(r.uvar()?).ok().and_then(|gap| gap.checked_add(next)).filter(|&i| i < len);
            fix.push((i.ok_or("a correction lies outside its block")?, r.ivar()? as u64));
            next = fix[fix.len() - 1].0 + 1;
        }
        let mut fix = fix.into_iter().peekable();
        for i in 0..len {
            prev = prev.wrapping_add(r.ivar()?);
            let bits = coding.value(prev).to_bits();
            let bits = fix.next_if(|&(at, _)| at == i).map_or(bits, |(_, d)| bits.wrapping_add(d));
            out.push(f64::from_bits(bits));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[f64]) -> usize {
        let mut w = Writer::default();
        write(&mut w, values);
        let mut r = Reader::new(&w.buf);
        let back = read(&mut r, values.len()).unwrap();
        assert!(r.is_done());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(values));
        w.buf.len()
    }

    #[test]
    fn every_f64_survives() {
        let odd = [0.0, -0.0, f64::NAN, f64::INFINITY, f64::MIN_POSITIVE, f64::MAX, f64::MIN, 1e300, -5e-324];
        round_trip(&odd);
        let nan_payloads = [f64::from_bits(0x7ff8_0000_0000_0001), f64::from_bits(0xfff0_0000_0000_0001), -f64::NAN];
        round_trip(&nan_payloads);
        round_trip(&[0.1 + 0.2, 1e-300, 123456789012345680.0, 9.9e15, 1.5e20, -0.25]);
        round_trip(&[]);
        let many: Vec<f64> = (0..1000).map(|i| f64::from(i).sin() * 1e4).collect();
        round_trip(&many);
    }

    #[test]
    fn decimals_and_float32_take_a_byte_or_two() {
        // Three decimals: a tag, no corrections, at most three bytes per delta.
        assert!(round_trip(&[83.725, 56.682, 77.265, 80.1]) <= 2 + 4 * 3);
        let f32ish: Vec<f64> = [168.97f32, 170.54, 170.43].iter().map(|&x| f64::from(x)).collect();
        assert!(round_trip(&f32ish) <= 2 + 3 * 3);
        assert!(round_trip(&[0.00001234, 0.00001301, 0.0000099]) <= 2 + 3 * 3);
        // A float32 block, then a two-decimal block: each codes tightly.
        let mixed: Vec<f64> = (0..2 * BLOCK)
            .map(|i| if i < BLOCK { f64::from(100.25f32 + i as f32) } else { 100.25 + i as f64 })
            .collect();
        assert!(round_trip(&mixed) <= 4 + 3 + 2 * BLOCK * 2);
        // One unit in the last place off a float32, as in real Yahoo exports.
        let off = f64::from_bits(f64::from(110.33f32).to_bits() - 1);
        assert!(round_trip(&[off, f64::from(110.34f32)]) <= 2 + 2 + 2 * 2);
    }

    #[test]
    fn tags_round_trip() {
        for f32 in [false, true] {
            for scale in -64..64 {
                assert!(Coding::from_tag(Coding { f32, scale }.tag()) == Coding { f32, scale });
            }
        }
    }
}
