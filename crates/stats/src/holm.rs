//! The Holm (1979) step-down adjustment of p-values for multiple testing.
//!
//! Holm, S. (1979), "A Simple Sequentially Rejective Multiple Test
//! Procedure", Scandinavian Journal of Statistics 6(2). With the `m` p-values
//! sorted ascending, `p_(1) <= ... <= p_(m)`, the adjusted values are
//!
//! ```text
//! p_holm_(i) = min(1, max_{j <= i} (m - j + 1) p_(j))
//! ```
//!
//! Rejecting where `p_holm <= alpha` controls the family-wise error rate at
//! `alpha` under any dependence between the tests. Reproduces statsmodels
//! `multipletests(p, method="holm")[1]`.

use crate::StatsError;

/// Holm-adjusted p-values, in the order of `p_values`. Each must be in
/// `[0, 1]`.
///
/// ```
/// use riskcurve_stats::holm_adjust;
/// // statsmodels: multipletests([0.01, 0.04, 0.03], method="holm")[1]
/// assert_eq!(holm_adjust(&[0.01, 0.04, 0.03]).unwrap(), vec![0.03, 0.06, 0.06]);
/// ```
pub fn holm_adjust(p_values: &[f64]) -> Result<Vec<f64>, StatsError> {
    if let Some(index) = p_values.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(StatsError::param(
            "p_values",
            format!("value {} at index {index} is not in [0, 1]", p_values[index]),
        ));
    }
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    // Ties get the same adjusted value whatever their order.
    order.sort_by(|a, b| p_values[*a].total_cmp(&p_values[*b]));
    let mut adjusted = vec![0.0; m];
    let mut running_max = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running_max = running_max.max((m - rank) as f64 * p_values[i]);
        adjusted[i] = running_max.min(1.0);
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// statsmodels 0.15.0, from the repository root:
    /// ```text
    /// .venv/bin/python -c "from statsmodels.stats.multitest import multipletests;
    ///   print(multipletests(P, method='holm')[1].tolist())"
    /// ```
    /// for each `P` below.
    #[test]
    fn matches_statsmodels() {
        let cases: [(&[f64], &[f64]); 4] = [
            (&[0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9], &[0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.9]),
            (&[0.5], &[0.5]),
            (&[0.001, 0.001, 0.3, 1.0], &[0.004, 0.004, 0.6, 1.0]),
            (
                &[
                    0.02, 0.6, 0.03, 0.015, 0.04, 0.8, 0.25, 0.0001, 0.049, 0.07, 0.5, 0.012, 0.33, 0.0099, 0.011, 0.9,
                    0.45, 0.003, 0.3, 0.06,
                ],
                &[
                    0.28,
                    1.0,
                    0.39,
                    0.22499999999999998,
                    0.48,
                    1.0,
                    1.0,
                    0.002,
                    0.539,
                    0.6300000000000001,
                    1.0,
                    0.192,
                    1.0,
                    0.17820000000000003,
                    0.187,
                    1.0,
                    1.0,
                    0.057,
                    1.0,
                    0.6,
                ],
            ),
        ];
        for (p, want) in cases {
            let got = holm_adjust(p).unwrap();
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() <= 1e-15, "{p:?}: got {got:?}, want {want:?}");
            }
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(holm_adjust(&[]).unwrap(), Vec::<f64>::new());
        assert!(holm_adjust(&[0.5, 1.2]).is_err());
        assert!(holm_adjust(&[f64::NAN]).is_err());
        // Adjusted values are never below the raw ones and keep their order.
        let p = [0.3, 0.01, 0.2, 0.02];
        let a = holm_adjust(&p).unwrap();
        assert!(p.iter().zip(&a).all(|(p, a)| a >= p));
        assert!(a[1] <= a[3] && a[3] <= a[2] && a[2] <= a[0]);
    }
}
