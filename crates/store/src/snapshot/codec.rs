//! The byte-level pieces of the snapshot format: varints, strings, dates and
//! optional values. Value columns themselves are in `values`.

use riskcurve_core::Date;

use super::values;

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

    /// A lossless value column (see `values`).
    pub(super) fn values(&mut self, values: &[f64]) {
        values::write(self, values);
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
        values::read(self, n)
    }

    /// The next `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated: {n} bytes needed at byte {}", self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
