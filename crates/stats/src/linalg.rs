//! The two factorizations regression needs: Householder QR for least squares
//! (numerically stable: it never forms `X'X`) and Cholesky for the small
//! symmetric positive-definite systems of Wald tests.
//!
//! Algorithms as in Golub & Van Loan, *Matrix Computations* (4th ed.),
//! sections 5.1-5.2 (Householder QR) and 4.2 (Cholesky).

use crate::matrix::dot;
use crate::{Matrix, StatsError};

/// A column whose part orthogonal to the columns before it is below this
/// fraction of its own norm counts as linearly dependent on them. That is a
/// squared multiple correlation above `1 - 1e-20` with the earlier columns:
/// exact collinearity up to rounding, not mere near-collinearity.
const RANK_TOLERANCE: f64 = 1e-10;

/// The Householder QR factorization `X = Q R` of an `n x p` matrix, `n >= p`,
/// of full column rank.
#[derive(Debug, Clone)]
pub(crate) struct Qr {
    /// The Householder vectors `v_k` (length `n - k`), one per column.
    reflectors: Vec<Vec<f64>>,
    /// The upper-triangular `p x p` factor.
    r: Matrix,
}

impl Qr {
    /// Factorizes `x`. Fails with [`StatsError::RankDeficient`] naming the
    /// first column that is a linear combination of the ones before it (a
    /// column of zeros included).
    pub(crate) fn new(x: &Matrix) -> Result<Qr, StatsError> {
        let (n, p) = (x.rows(), x.cols());
        if n < p {
            return Err(StatsError::TooFewObservations { what: "least squares".into(), needed: p, got: n });
        }
        // Column-major working copy: each reflection updates whole columns.
        let mut a: Vec<Vec<f64>> = (0..p).map(|j| x.column(j)).collect();
        let norms: Vec<f64> = a.iter().map(|c| dot(c, c).sqrt()).collect();
        let mut reflectors = Vec::with_capacity(p);
        let mut r = Matrix::zeros(p, p);
        for k in 0..p {
            let tail_norm = dot(&a[k][k..], &a[k][k..]).sqrt();
            if norms[k] == 0.0 || tail_norm <= RANK_TOLERANCE * norms[k] {
                return Err(StatsError::RankDeficient { column: k });
            }
            // Reflect onto -sign(a_kk) * e_1 so that v_0 does not cancel.
            let alpha = if a[k][k] >= 0.0 { -tail_norm } else { tail_norm };
            let mut v = a[k][k..].to_vec();
            v[0] -= alpha;
            let v_norm2 = dot(&v, &v);
            for column in a.iter_mut().skip(k + 1) {
                let scale = 2.0 * dot(&v, &column[k..]) / v_norm2;
                for (c, vi) in column[k..].iter_mut().zip(&v) {
                    *c -= scale * vi;
                }
            }
            r[(k, k)] = alpha;
            for (j, column) in a.iter().enumerate().skip(k + 1) {
                r[(k, j)] = column[k];
            }
            reflectors.push(v);
        }
        Ok(Qr { reflectors, r })
    }

    /// `Q' y`, of length `n`.
    pub(crate) fn qt_mul(&self, y: &[f64]) -> Vec<f64> {
        let mut out = y.to_vec();
        for (k, v) in self.reflectors.iter().enumerate() {
            let scale = 2.0 * dot(v, &out[k..]) / dot(v, v);
            for (o, vi) in out[k..].iter_mut().zip(v) {
                *o -= scale * vi;
            }
        }
        out
    }

    /// The least-squares solution `b` minimising `|y - X b|`: `R b = (Q' y)[..p]`.
    pub(crate) fn solve_least_squares(&self, y: &[f64]) -> Vec<f64> {
        let qty = self.qt_mul(y);
        let p = self.r.rows();
        let mut b = qty[..p].to_vec();
        for i in (0..p).rev() {
            let tail: f64 = (i + 1..p).map(|j| self.r[(i, j)] * b[j]).sum();
            b[i] = (b[i] - tail) / self.r[(i, i)];
        }
        b
    }

    /// `(X'X)^-1 = R^-1 R^-T`.
    pub(crate) fn xtx_inverse(&self) -> Matrix {
        let p = self.r.rows();
        // R^-1 is upper triangular; column j solves R z = e_j.
        let mut r_inv = Matrix::zeros(p, p);
        for j in 0..p {
            for i in (0..=j).rev() {
                let rhs = if i == j { 1.0 } else { 0.0 };
                let tail: f64 = (i + 1..=j).map(|k| self.r[(i, k)] * r_inv[(k, j)]).sum();
                r_inv[(i, j)] = (rhs - tail) / self.r[(i, i)];
            }
        }
        r_inv.matmul(&r_inv.transpose())
    }
}

/// The Cholesky factor `L` (lower triangular, `A = L L'`) of a symmetric
/// positive-definite matrix; `None` when `a` is not positive definite
/// (to rounding).
pub(crate) fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.rows();
    debug_assert_eq!(n, a.cols());
    let mut l = Matrix::zeros(n, n);
    for j in 0..n {
        let d = a[(j, j)] - (0..j).map(|k| l[(j, k)] * l[(j, k)]).sum::<f64>();
        // Also catches a NaN pivot.
        if d.is_nan() || d <= f64::EPSILON * a[(j, j)].abs() {
            return None;
        }
        let d = d.sqrt();
        l[(j, j)] = d;
        for i in j + 1..n {
            let s = a[(i, j)] - (0..j).map(|k| l[(i, k)] * l[(j, k)]).sum::<f64>();
            l[(i, j)] = s / d;
        }
    }
    Some(l)
}

/// The quadratic form `b' A^-1 b` for a symmetric positive-definite `A`
/// given by its Cholesky factor `L`: `|L^-1 b|^2`.
pub(crate) fn inverse_quadratic_form(l: &Matrix, b: &[f64]) -> f64 {
    let n = l.rows();
    let mut z = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[(i, k)] * z[k]).sum();
        z[i] = (b[i] - s) / l[(i, i)];
    }
    dot(&z, &z)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &Matrix, b: &Matrix, tol: f64) -> bool {
        (0..a.rows()).all(|i| (0..a.cols()).all(|j| (a[(i, j)] - b[(i, j)]).abs() <= tol))
    }

    #[test]
    fn least_squares_hand_computed() {
        // y = 1 + 2 t exactly: the fit recovers (1, 2).
        let x = Matrix::from_columns(&[vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0]]).unwrap();
        let qr = Qr::new(&x).unwrap();
        let b = qr.solve_least_squares(&[1.0, 3.0, 5.0, 7.0]);
        assert!((b[0] - 1.0).abs() < 1e-14 && (b[1] - 2.0).abs() < 1e-14);
        // (X'X)^-1 for X'X = [[4, 6], [6, 14]] is [[14, -6], [-6, 4]] / 20.
        let want = Matrix::new(2, 2, vec![0.7, -0.3, -0.3, 0.2]).unwrap();
        assert!(close(&qr.xtx_inverse(), &want, 1e-14));
    }

    #[test]
    fn rank_deficiency_is_named() {
        let x = Matrix::from_columns(&[vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0], vec![2.0, 3.0, 4.0, 5.0]]).unwrap();
        assert_eq!(Qr::new(&x).unwrap_err(), StatsError::RankDeficient { column: 2 });
        let zeros = Matrix::from_columns(&[vec![0.0; 3], vec![1.0, 2.0, 4.0]]).unwrap();
        assert_eq!(Qr::new(&zeros).unwrap_err(), StatsError::RankDeficient { column: 0 });
        let wide = Matrix::zeros(2, 3);
        assert!(matches!(Qr::new(&wide), Err(StatsError::TooFewObservations { .. })));
    }

    #[test]
    fn cholesky_and_quadratic_form() {
        let a = Matrix::new(2, 2, vec![4.0, 2.0, 2.0, 3.0]).unwrap();
        let l = cholesky(&a).unwrap();
        assert!(close(&l.matmul(&l.transpose()), &a, 1e-14));
        // A^-1 = [[3, -2], [-2, 4]] / 8, so [1, 1] A^-1 [1, 1]' = 3 / 8.
        assert!((inverse_quadratic_form(&l, &[1.0, 1.0]) - 0.375).abs() < 1e-15);
        assert!(cholesky(&Matrix::new(2, 2, vec![1.0, 2.0, 2.0, 1.0]).unwrap()).is_none());
    }
}
