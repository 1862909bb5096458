//! The byte-level pieces of the snapshot format: varints, strings, dates and
//! lossless value columns.
//!
//! A value column stores each `f64` as an integer `m` with `v = m / 10^k`
//! (optionally rounded to `f32`, as vendors that keep float32 prices
//! produce, e.g. Yahoo's `168.97000122070312`), then the zigzag varint deltas
//! of `m`. Values that no `(k, f32)` reproduces bit for bit are kept as raw
//! bits ("exceptions"), so the coding is lossless for every `f64`, NaN and
//! `-0.0` included.

use riskcurve_core::Date;

/// The largest decimal scale tried: 12 places covers SHIB-sized prices
/// (`0.00001234`) with room to spare.
const MAX_SCALE: u8 = 12;

/// Integers up to 2^53 convert to `f64` exactly, so decoding is exact.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// A decoding failure; the caller adds where it happened.
pub(super) type Result<T> = std::result::Result<T, String>;

/// Appends the snapshot's primitives to a byte buffer.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) buf: Vec<u8>,
}

impl Writer {
    pub(super) fn u8(&mut self, b: u8) {
        self.buf.push(b);
    }

    /// LEB128: 7 bits a byte, small numbers in one byte.
    pub(super) fn uvar(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.buf.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.buf.push(n as u8);
    }

    /// Zigzag first, so small negative numbers stay short too.
    pub(super) fn ivar(&mut self, n: i64) {
        self.uvar(((n << 1) ^ (n >> 63)) as u64);
    }

    pub(super) fn str(&mut self, s: &str) {
        self.uvar(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// Sorted dates cost one byte each (the gap to the previous date).
    pub(super) fn dates(&mut self, dates: impl Iterator<Item = Date>) {
        let mut prev = 0i64;
        for d in dates {
            self.ivar(i64::from(d.days()) - prev);
            prev = i64::from(d.days());
        }
    }

    /// Optional values: a presence marker (0 none, 1 all, 2 bitmap), then the
    /// present values as one column.
    pub(super) fn optional(&mut self, values: &[Option<f64>]) {
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        if present.is_empty() {
            return self.u8(0);
        }
        if present.len() == values.len() {
            self.u8(1);
        } else {
            self.u8(2);
            for chunk in values.chunks(8) {
                self.u8(chunk.iter().enumerate().fold(0, |acc, (i, v)| acc | (u8::from(v.is_some()) << i)));
            }
        }
        self.values(&present);
    }

    /// A value column in whichever coding is shortest.
    pub(super) fn values(&mut self, values: &[f64]) {
        let best = (0..=MAX_SCALE)
            .flat_map(|k| [Coding { scale: k, f32: false }, Coding { scale: k, f32: true }])
            .map(|c| c.encode(values))
            .min_by_key(Vec::len)
            .expect("at least one coding is tried");
        self.buf.extend_from_slice(&best);
    }
}

/// How a column maps integers to values: `m / 10^scale`, in `f64`, then
/// rounded to `f32` when `f32` is set.
#[derive(Clone, Copy)]
struct Coding {
    scale: u8,
    f32: bool,
}

impl Coding {
    fn tag(self) -> u8 {
        self.scale | (u8::from(self.f32) << 7)
    }

    fn from_tag(tag: u8) -> Result<Coding> {
        let coding = Coding { scale: tag & 0x7f, f32: tag & 0x80 != 0 };
        if coding.scale > MAX_SCALE {
            return Err(format!("value coding {tag:#04x} is unknown"));
        }
        Ok(coding)
    }

    fn value(self, m: i64) -> f64 {
        // Powers of ten up to 10^22 are exact in f64, and IEEE division is
        // correctly rounded, so every platform decodes the same bits.
        let v = m as f64 / 10f64.powi(i32::from(self.scale));
        if self.f32 {
            f64::from(v as f32)
        } else {
            v
        }
    }

    /// The integer that decodes to exactly `v`, if there is one.
    fn integer(self, v: f64) -> Option<i64> {
        let x = v * 10f64.powi(i32::from(self.scale));
        if x.is_nan() || x.abs() >= EXACT_INT {
            return None; // NaN, infinite, or beyond exact integers
        }
        let m = x.round() as i64;
        (self.value(m).to_bits() == v.to_bits()).then_some(m)
    }

    /// Tag, exceptions (index gap and raw bits), then the deltas of the
    /// integers of all other values.
    fn encode(self, values: &[f64]) -> Vec<u8> {
        let ints: Vec<Option<i64>> = values.iter().map(|&v| self.integer(v)).collect();
        let mut w = Writer::default();
        w.u8(self.tag());
        w.uvar(ints.iter().filter(|m| m.is_none()).count() as u64);
        let mut next = 0;
        for (i, v) in values.iter().enumerate().filter(|(i, _)| ints[*i].is_none()) {
            w.uvar((i - next) as u64);
            w.buf.extend_from_slice(&v.to_bits().to_le_bytes());
            next = i + 1;
        }
        let mut prev = 0i64;
        for m in ints.into_iter().flatten() {
            // Both within ±2^53, so the difference cannot overflow.
            w.ivar(m - prev);
            prev = m;
        }
        w.buf
    }
}

/// Reads the snapshot's primitives; every read checks the bytes left, so
/// garbage gives an error, never a panic.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub(super) fn is_done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub(super) fn position(&self) -> usize {
        self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated: {n} bytes needed at byte {}", self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn uvar(&mut self) -> Result<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                break;
            }
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(format!("a number at byte {} overflows 64 bits", self.pos))
    }

    pub(super) fn ivar(&mut self) -> Result<i64> {
        let z = self.uvar()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    /// A count of items that take at least one byte each: larger than the
    /// bytes left means corruption, and checking it bounds every allocation.
    pub(super) fn count(&mut self) -> Result<usize> {
        let n = self.uvar()?;
        let left = self.bytes.len() - self.pos;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= left)
            .ok_or_else(|| format!("a count of {n} exceeds the {left} bytes left"))
    }

    pub(super) fn str(&mut self) -> Result<String> {
        let n = self.count()?;
        let at = self.pos;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| format!("text at byte {at} is not utf-8"))
    }

    pub(super) fn day(&mut self) -> Result<Date> {
        let d = self.ivar()?;
        i32::try_from(d).map(Date::from_days).map_err(|_| format!("day number {d} is out of range"))
    }

    pub(super) fn dates(&mut self, n: usize) -> Result<Vec<Date>> {
        let mut prev = 0i64;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            prev = prev.checked_add(self.ivar()?).ok_or("a date overflows")?;
            out.push(Date::from_days(i32::try_from(prev).map_err(|_| format!("day number {prev} is out of range"))?));
        }
        Ok(out)
    }

    pub(super) fn optional(&mut self, n: usize) -> Result<Vec<Option<f64>>> {
        let present: Vec<bool> = match self.u8()? {
            0 => return Ok(vec![None; n]),
            1 => vec![true; n],
            2 => {
                let bitmap = self.take(n.div_ceil(8))?;
                (0..n).map(|i| bitmap[i / 8] & (1 << (i % 8)) != 0).collect()
            }
            m => return Err(format!("presence marker {m} is unknown")),
        };
        let mut values = self.values(present.iter().filter(|&&p| p).count())?.into_iter();
        Ok(present.into_iter().map(|p| if p { values.next() } else { None }).collect())
    }

    pub(super) fn values(&mut self, n: usize) -> Result<Vec<f64>> {
        let coding = Coding::from_tag(self.u8()?)?;
        let exceptions = self.count()?;
        if exceptions > n {
            return Err(format!("{exceptions} exceptions in a column of {n} values"));
        }
        let mut raw = Vec::with_capacity(exceptions);
        let mut next = 0usize;
        for _ in 0..exceptions {
            let i = usize::try_from(self.uvar()?).ok().and_then(|gap| gap.checked_add(next)).filter(|&i| i < n);
            let i = i.ok_or("an exception lies outside its column")?;
            let bits = u64::from_le_bytes(self.take(8)?.try_into().expect("took 8 bytes"));
            raw.push((i, f64::from_bits(bits)));
            next = i + 1;
        }
        let mut out = Vec::with_capacity(n.min(self.bytes.len() - self.pos + exceptions));
        let mut raw = raw.into_iter().peekable();
        let mut m = 0i64;
        for i in 0..n {
            if let Some((_, v)) = raw.next_if(|&(at, _)| at == i) {
                out.push(v);
                continue;
            }
            m = m.wrapping_add(self.ivar()?);
            out.push(coding.value(m));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[f64]) -> usize {
        let mut w = Writer::default();
        w.values(values);
        let mut r = Reader::new(&w.buf);
        let back = r.values(values.len()).unwrap();
        assert!(r.is_done());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(values));
        w.buf.len()
    }

    #[test]
    fn every_f64_survives_and_decimals_are_short() {
        let odd = [0.0, -0.0, f64::NAN, f64::INFINITY, f64::MIN_POSITIVE, f64::MAX, 1e300, -5e-324, 0.1 + 0.2];
        round_trip(&odd);
        // Three decimals: one tag, no exceptions, one or two bytes per delta.
        assert!(round_trip(&[83.725, 56.682, 77.265, 80.1]) <= 2 + 4 * 3);
        // float32 prices widened to f64, as Yahoo exports them.
        let f32ish: Vec<f64> = [168.97f32, 170.54, 170.43].iter().map(|&x| f64::from(x)).collect();
        assert!(round_trip(&f32ish) <= 2 + 3 * 3);
        round_trip(&[0.00001234, 0.00001301, 0.0000099]);
        round_trip(&[]);
    }

    #[test]
    fn varints_round_trip_at_the_extremes() {
        let mut w = Writer::default();
        for n in [0, 1, -1, i64::MAX, i64::MIN] {
            w.ivar(n);
        }
        w.uvar(u64::MAX);
        let mut r = Reader::new(&w.buf);
        for n in [0, 1, -1, i64::MAX, i64::MIN] {
            assert_eq!(r.ivar().unwrap(), n);
        }
        assert_eq!(r.uvar().unwrap(), u64::MAX);
        assert!(r.uvar().is_err());
        assert!(Reader::new(&[0xff; 11]).uvar().is_err());
    }
}
