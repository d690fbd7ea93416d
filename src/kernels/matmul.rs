//! Matrix products through ndarray's `general_mat_mul` (matrixmultiply: packed, SIMD,
//! multi-threaded). Transposed operands are read through strided views, never copied.

use crate::dtype::Real;
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// `op(a) @ op(b)` where op transposes when asked; `a` is stored (m, k) or (k, m) when
/// `trans_a`, `b` is stored (k, n) or (n, k) when `trans_b`. Returns the (m, n) product.
#[allow(clippy::too_many_arguments)]
pub fn matmul<T: Real + LinalgScalar>(
    a: &[T],
    b: &[T],
    m: usize,
    k: usize,
    n: usize,
    trans_a: bool,
    trans_b: bool,
    out: &mut [T],
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        out.iter_mut().for_each(|v| *v = T::zero());
        return;
    }
    // Shapes were validated by the op; the from_shape calls cannot fail for them.
    let (Ok(av), Ok(bv), Ok(mut ov)) = (
        if trans_a {
            ArrayView2::from_shape((k, m), a).map(|v| v.reversed_axes())
        } else {
            ArrayView2::from_shape((m, k), a)
        },
        if trans_b {
            ArrayView2::from_shape((n, k), b).map(|v| v.reversed_axes())
        } else {
            ArrayView2::from_shape((k, n), b)
        },
        ArrayViewMut2::from_shape((m, n), out),
    ) else {
        return;
    };
    general_mat_mul(T::one(), &av, &bv, T::zero(), &mut ov);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_products_with_transposes() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // (2,3)
        let b = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]; // (3,2)
        let mut out = [0.0; 4];
        matmul(&a, &b, 2, 3, 2, false, false, &mut out);
        assert_eq!(out, [4.0, 5.0, 10.0, 11.0]);
        // a^T a with a stored (2,3): (3,3)
        let mut out = [0.0; 9];
        matmul(&a, &a, 3, 2, 3, true, false, &mut out);
        assert_eq!(out, [17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]);
    }
}
