//! Simulated series shared by the unit tests (seeded, so every test is
//! reproducible).

use crate::Pcg32;

/// One standard normal draw (Box-Muller, cosine branch).
pub fn normal(rng: &mut Pcg32) -> f64 {
    let (u1, u2) = (1.0 - rng.next_f64(), rng.next_f64());
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// `n` standard normal draws.
pub fn normals(n: usize, rng: &mut Pcg32) -> Vec<f64> {
    (0..n).map(|_| normal(rng)).collect()
}

/// An AR(1) series `x_t = mu + phi (x_{t-1} - mu) + e_t` with standard
/// normal shocks, started from its stationary distribution.
pub fn ar1(n: usize, mu: f64, phi: f64, rng: &mut Pcg32) -> Vec<f64> {
    let mut x = mu + normal(rng) / (1.0 - phi * phi).sqrt();
    (0..n)
        .map(|_| {
            x = mu + phi * (x - mu) + normal(rng);
            x
        })
        .collect()
}
