//! Golden tests: riskcurve-stats against the numbers statsmodels and arch
//! compute on the same real data. The reference numbers, and the exact
//! command and versions that produced them, are in `tests/reference/`.

mod block_length;
mod ccf_bands;
mod data;
mod granger;
mod ols;
mod rolling;
#[path = "../shared_data.rs"]
mod shared_data;
mod toda_yamamoto;

/// Asserts `|got - want| <= tol * |want|` (or `<= tol` when `want` is 0).
#[track_caller]
pub fn assert_rel(got: f64, want: f64, tol: f64, what: &str) {
    let err = if want == 0.0 { got.abs() } else { ((got - want) / want).abs() };
    assert!(err <= tol, "{what}: got {got:e}, want {want:e}, relative error {err:e} > {tol:e}");
}
