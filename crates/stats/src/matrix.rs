//! A small dense matrix: just enough to hold regression designs and
//! covariance matrices.

use std::ops::{Index, IndexMut};

use crate::StatsError;

/// A dense `rows x cols` matrix of `f64`, stored row by row.
///
/// Regression designs have one row per observation and one column per
/// regressor; covariance matrices are square.
///
/// ```
/// use riskcurve_stats::Matrix;
/// let x = Matrix::from_columns(&[vec![1.0, 1.0, 1.0], vec![0.5, 0.7, 0.9]]).unwrap();
/// assert_eq!((x.rows(), x.cols()), (3, 2));
/// assert_eq!(x[(2, 1)], 0.9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A matrix from its entries, row by row. Fails unless
    /// `data.len() == rows * cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Result<Matrix, StatsError> {
        let expected = rows.checked_mul(cols).ok_or_else(|| StatsError::param("matrix", "rows * cols overflows"))?;
        if data.len() != expected {
            return Err(StatsError::DimensionMismatch { what: "matrix data".into(), expected, got: data.len() });
        }
        Ok(Matrix { rows, cols, data })
    }

    /// A `rows x cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }

    /// The `n x n` identity matrix.
    pub fn identity(n: usize) -> Matrix {
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    /// A matrix from its columns, which must all have the same length. No
    /// columns give a `0 x 0` matrix.
    pub fn from_columns(columns: &[Vec<f64>]) -> Result<Matrix, StatsError> {
        let rows = columns.first().map_or(0, Vec::len);
        if let Some(bad) = columns.iter().find(|c| c.len() != rows) {
            return Err(StatsError::DimensionMismatch { what: "matrix column".into(), expected: rows, got: bad.len() });
        }
        let mut m = Matrix::zeros(rows, columns.len());
        for (j, column) in columns.iter().enumerate() {
            for (i, v) in column.iter().enumerate() {
                m[(i, j)] = *v;
            }
        }
        Ok(m)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i` as a slice.
    ///
    /// # Panics
    ///
    /// If `i >= rows`.
    pub fn row(&self, i: usize) -> &[f64] {
        assert!(i < self.rows, "row {i} out of range for {} rows", self.rows);
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Column `j`, copied out.
    ///
    /// # Panics
    ///
    /// If `j >= cols`.
    pub fn column(&self, j: usize) -> Vec<f64> {
        assert!(j < self.cols, "column {j} out of range for {} columns", self.cols);
        (0..self.rows).map(|i| self[(i, j)]).collect()
    }

    /// The diagonal of a square (or any) matrix, `min(rows, cols)` long.
    pub fn diagonal(&self) -> Vec<f64> {
        (0..self.rows.min(self.cols)).map(|i| self[(i, i)]).collect()
    }

    /// The transpose.
    pub fn transpose(&self) -> Matrix {
        let mut t = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                t[(j, i)] = self[(i, j)];
            }
        }
        t
    }

    /// The product `self * other`.
    ///
    /// # Panics
    ///
    /// If `self.cols() != other.rows()`.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "matmul: {}x{} times {}x{}", self.rows, self.cols, other.rows, other.cols);
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self[(i, k)];
                if a == 0.0 {
                    continue;
                }
                for j in 0..other.cols {
                    out[(i, j)] += a * other[(k, j)];
                }
            }
        }
        out
    }

    /// The product `self * v`.
    ///
    /// # Panics
    ///
    /// If `self.cols() != v.len()`.
    pub fn mul_vec(&self, v: &[f64]) -> Vec<f64> {
        assert_eq!(self.cols, v.len(), "mul_vec: {}x{} times a vector of {}", self.rows, self.cols, v.len());
        (0..self.rows).map(|i| dot(self.row(i), v)).collect()
    }

    /// The square sub-matrix on the given rows and the same columns, in the
    /// order given (e.g. the covariance block of a set of coefficients).
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn select(&self, indices: &[usize]) -> Matrix {
        let mut out = Matrix::zeros(indices.len(), indices.len());
        for (a, &i) in indices.iter().enumerate() {
            for (b, &j) in indices.iter().enumerate() {
                out[(a, b)] = self[(i, j)];
            }
        }
        out
    }
}

impl Index<(usize, usize)> for Matrix {
    type Output = f64;

    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        assert!(i < self.rows && j < self.cols, "index ({i}, {j}) out of range for {}x{}", self.rows, self.cols);
        &self.data[i * self.cols + j]
    }
}

impl IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        assert!(i < self.rows && j < self.cols, "index ({i}, {j}) out of range for {}x{}", self.rows, self.cols);
        &mut self.data[i * self.cols + j]
    }
}

/// The dot product of two equally long slices.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_and_products() {
        let a = Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        assert_eq!(a.row(1), &[4.0, 5.0, 6.0]);
        assert_eq!(a.column(2), vec![3.0, 6.0]);
        let ata = a.transpose().matmul(&a);
        assert_eq!(ata, Matrix::new(3, 3, vec![17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]).unwrap());
        assert_eq!(a.mul_vec(&[1.0, 0.0, -1.0]), vec![-2.0, -2.0]);
        assert_eq!(ata.select(&[2, 0]), Matrix::new(2, 2, vec![45.0, 27.0, 27.0, 17.0]).unwrap());
        assert_eq!(Matrix::identity(2).matmul(&a), a);
        assert_eq!(ata.diagonal(), vec![17.0, 29.0, 45.0]);
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(Matrix::new(2, 2, vec![1.0; 3]).is_err());
        assert!(Matrix::from_columns(&[vec![1.0, 2.0], vec![1.0]]).is_err());
        assert_eq!(Matrix::from_columns(&[]).unwrap().rows(), 0);
    }
}
