//! Matrix products. Large ones go to the `gemm` crate (packed AVX-512/AVX2 kernels, run on
//! the rayon pool); small ones to ndarray's `general_mat_mul` (matrixmultiply), whose set-up
//! is cheaper. Transposed operands are read through strides, never copied.

use crate::dtype::Real;
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// `op(a) @ op(b)` where op transposes when asked; `a` is stored (m, k) or (k, m) when
/// `trans_a`, `b` is stored (k, n) or (n, k) when `trans_b`. Returns the (m, n) product.
/// Below this many multiply-adds matrixmultiply's lighter set-up wins.
const GEMM_MIN_FLOPS: usize = 1 << 15;

#[allow(clippy::too_many_arguments)]
pub fn matmul<T: Real + LinalgScalar + 'static>(
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
    if m * n * k >= GEMM_MIN_FLOPS {
        let (a_rs, a_cs) = if trans_a {
            (1, m as isize)
        } else {
            (k as isize, 1)
        };
        let (b_rs, b_cs) = if trans_b {
            (1, k as isize)
        } else {
            (n as isize, 1)
        };
        let par = if m * n * k >= super::PAR_MIN_ELEMS * 64 {
            super::init_pool();
            gemm::Parallelism::Rayon(0)
        } else {
            gemm::Parallelism::None
        };
        // SAFETY: `a` holds m*k elements read at (i*a_rs + j*a_cs) for i < m, j < k (either
        // layout), `b` k*n the same way, and `out` m*n written row-major; the op validated the
        // shapes and sliced the buffers to exactly these sizes.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                out.as_mut_ptr(),
                1,
                n as isize,
                false,
                a.as_ptr(),
                a_cs,
                a_rs,
                b.as_ptr(),
                b_cs,
                b_rs,
                T::zero(),
                T::one(),
                false,
                false,
                false,
                par,
            );
        }
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
    fn large_products_agree_with_the_small_path() {
        // 64x48 @ 48x40 in every transpose combination, against a naive triple loop.
        let (m, k, n) = (64, 48, 40);
        let a: Vec<f64> = (0..m * k).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
        let b: Vec<f64> = (0..k * n).map(|i| ((i * 3) % 13) as f64 - 6.0).collect();
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let at = |i: usize, j: usize| if ta { a[j * m + i] } else { a[i * k + j] };
            let bt = |i: usize, j: usize| if tb { b[j * k + i] } else { b[i * n + j] };
            let mut out = vec![0.0; m * n];
            matmul(&a, &b, m, k, n, ta, tb, &mut out);
            for i in 0..m {
                for j in 0..n {
                    let want: f64 = (0..k).map(|p| at(i, p) * bt(p, j)).sum();
                    assert_eq!(out[i * n + j], want, "ta={} tb={} ({}, {})", ta, tb, i, j);
                }
            }
        }
    }

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
