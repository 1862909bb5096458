//! The random number generator behind every resampling test: PCG32.
//!
//! Written out here rather than taken from a crate so that the numbers can
//! never change under us: the same seed gives the same placebo sets, the same
//! bootstrap resamples and so the same p-values and intervals on every
//! machine, compiler and dependency update. Only integer arithmetic with
//! defined wrap-around decides the stream; the one conversion to floating
//! point ([`Pcg32::next_f64`]) is exact.
//!
//! The generator is PCG-XSH-RR 64/32 of O'Neill (2014), "PCG: A Family of
//! Simple Fast Space-Efficient Statistically Good Algorithms for Random Number
//! Generation", seeded exactly as `pcg32_srandom_r` of the reference C
//! implementation (pcg-c-basic), so `Pcg32::new(42, 54)` reproduces the
//! published `pcg32-demo` output. Period 2^64 per stream, 2^63 streams.
//!
//! Parallel work gets one independent stream per unit of work (a placebo
//! batch), derived from `(seed, index)` by [`Pcg32::for_stream`]; which
//! thread runs a batch then cannot change what it draws.

/// The PCG32 generator (64-bit state, 32-bit output, XSH-RR output function).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcg32 {
    state: u64,
    increment: u64,
}

const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

impl Pcg32 {
    /// Seeds like the reference `pcg32_srandom_r(initstate, initseq)`:
    /// `initseq` selects the stream (its top bit is unused: the increment
    /// is `2 initseq + 1`).
    ///
    /// ```
    /// use riskcurve_stats::Pcg32;
    /// // The first outputs of O'Neill's pcg32-demo.
    /// let mut rng = Pcg32::new(42, 54);
    /// assert_eq!(rng.next_u32(), 0xa15c02b7);
    /// assert_eq!(rng.next_u32(), 0x7b47f409);
    /// ```
    pub fn new(initstate: u64, initseq: u64) -> Pcg32 {
        let mut rng = Pcg32 { state: 0, increment: (initseq << 1) | 1 };
        rng.step();
        rng.state = rng.state.wrapping_add(initstate);
        rng.step();
        rng
    }

    /// The generator of stream `stream` under `seed`: state from
    /// SplitMix64 (Steele, Lea & Flood 2014) of `seed + stream * 0x9e3779b97f4a7c15`,
    /// stream selector `stream`. Distinct streams (below 2^63) never share a
    /// sequence, and neighbouring seeds start far apart.
    pub fn for_stream(seed: u64, stream: u64) -> Pcg32 {
        Pcg32::new(splitmix64(seed.wrapping_add(stream.wrapping_mul(GOLDEN_GAMMA))), stream)
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(MULTIPLIER).wrapping_add(self.increment);
    }

    /// The next 32 uniformly distributed bits.
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.step();
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }

    /// The next 64 bits: two outputs, the first in the high half.
    pub fn next_u64(&mut self) -> u64 {
        let high = self.next_u32() as u64;
        (high << 32) | self.next_u32() as u64
    }

    /// A uniform integer in `0..bound`, without modulo bias, by Lemire's
    /// (2019) multiply-and-reject method ("Fast random integer generation in
    /// an interval"). `bound` must be at least 1.
    pub fn below(&mut self, bound: u32) -> u32 {
        debug_assert!(bound > 0, "Pcg32::below(0)");
        let mut product = self.next_u32() as u64 * bound as u64;
        if (product as u32) < bound {
            let threshold = bound.wrapping_neg() % bound;
            while (product as u32) < threshold {
                product = self.next_u32() as u64 * bound as u64;
            }
        }
        (product >> 32) as u32
    }

    /// A uniform `f64` in `[0, 1)`: the top 53 bits of [`Pcg32::next_u64`]
    /// times 2^-53 (every value is a multiple of 2^-53, exactly representable).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 output function applied to `x + 0x9e3779b97f4a7c15`: the
/// first output of a SplitMix64 generator seeded with `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN_GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_reference_implementation() {
        // pcg32-demo (pcg-c-basic), pcg32_srandom_r(&rng, 42u, 54u), round 1.
        let mut rng = Pcg32::new(42, 54);
        let want = [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e];
        for w in want {
            assert_eq!(rng.next_u32(), w);
        }
        // Round 5 of the demo, after 614 more outputs (rounds 2-4 and the
        // coins, rolls and cards of each round).
        for _ in 0..614 {
            rng.next_u32();
        }
        let want = [0xfcef7cd6, 0x1b488b5a, 0xd0daf7ea, 0x1d9a70f7, 0x241a37cf, 0x9a3857b7];
        for w in want {
            assert_eq!(rng.next_u32(), w);
        }
    }

    #[test]
    fn splitmix_matches_its_reference() {
        // The first output of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c).
        assert_eq!(splitmix64(1_234_567), 6_457_827_717_110_365_317);
    }

    #[test]
    fn streams_differ_and_repeat() {
        let draw = |seed, stream| {
            let mut r = Pcg32::for_stream(seed, stream);
            (0..8).map(|_| r.next_u32()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, 3), draw(7, 3));
        assert_ne!(draw(7, 3), draw(7, 4));
        assert_ne!(draw(7, 3), draw(8, 3));
    }

    #[test]
    fn bounded_draws_are_in_range_and_roughly_uniform() {
        let mut rng = Pcg32::new(1, 2);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[rng.below(7) as usize] += 1;
        }
        // Each count is Binomial(70000, 1/7): mean 10000, sd ~92.6.
        assert!(counts.iter().all(|c| (*c as f64 - 10_000.0).abs() < 500.0), "{counts:?}");
        assert_eq!(rng.below(1), 0);
        let mut big = Pcg32::new(3, 4);
        assert!((0..1000).all(|_| big.below(u32::MAX) < u32::MAX));
    }

    #[test]
    fn floats_are_in_the_unit_interval_with_the_right_mean() {
        let mut rng = Pcg32::new(5, 6);
        let xs: Vec<f64> = (0..100_000).map(|_| rng.next_f64()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        // sd of the mean: sqrt(1/12 / 1e5) ~ 0.0009.
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
    }
}
