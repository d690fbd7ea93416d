//! Matrix products. Large ones go to the `gemm` crate (packed AVX-512/AVX2 kernels, run on
//! the rayon pool); small ones to ndarray's `general_mat_mul` (matrixmultiply), whose set-up
//! is cheaper. Small products read transposed operands through strides; large ones copy them
//! to row-major first (gemm packs a transposed operand markedly slower).

use crate::dtype::Real;
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// `op(a) @ op(b)` where op transposes when asked; `a` is stored (m, k) or (k, m) when
/// `trans_a`, `b` is stored (k, n) or (n, k) when `trans_b`. Returns the (m, n) product.
/// Below this many multiply-adds matrixmultiply's lighter set-up wins.
const GEMM_MIN_FLOPS: usize = 1 << 15;
/// From this many multiply-adds a transposed operand is copied to row-major first.
const TRANSPOSE_FIRST_FLOPS: usize = 1 << 22;

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
        // gemm packs a transposed operand markedly slower (measured 1024^2 on 2 cores: A B^T
        // 165 GFLOP/s, a tiled transpose then A B 205): copy it into row-major order first.
        let (a_t, b_t);
        let (a, trans_a) = if trans_a && m * n * k >= TRANSPOSE_FIRST_FLOPS {
            a_t = super::strided::transpose2d(a, k, m);
            (&a_t[..], false)
        } else {
            (a, trans_a)
        };
        let (b, trans_b) = if trans_b && m * n * k >= TRANSPOSE_FIRST_FLOPS {
            b_t = super::strided::transpose2d(b, n, k);
            (&b_t[..], false)
        } else {
            (b, trans_b)
        };
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
        let parts = if m * n * k >= super::PAR_MIN_ELEMS * 64 {
            super::init_pool();
            rayon::current_num_threads().min(m.max(n)).max(1)
        } else {
            1
        };
        // Each thread multiplies its own band of rows (or columns) with gemm's serial kernel:
        // measured faster on 2 cores than gemm's own rayon split (no synchronisation inside
        // the product; packing the shared operand twice costs O(n^2) against O(n^3)).
        let split_rows = m >= n;
        let len = if split_rows { m } else { n };
        let band = len.div_ceil(parts);
        let (out_ptr, a_ptr, b_ptr) = (
            SendPtr(out.as_mut_ptr()),
            SendPtr(a.as_ptr() as *mut T),
            SendPtr(b.as_ptr() as *mut T),
        );
        let run = |p: usize| {
            let start = p * band;
            let size = band.min(len - start);
            if size == 0 {
                return;
            }
            let (mm, nn) = if split_rows { (size, n) } else { (m, size) };
            let (dst, lhs, rhs) = if split_rows {
                (
                    out_ptr.at(start as isize * n as isize),
                    a_ptr.at(start as isize * a_rs),
                    b_ptr.0,
                )
            } else {
                (
                    out_ptr.at(start as isize),
                    a_ptr.0,
                    b_ptr.at(start as isize * b_cs),
                )
            };
            // SAFETY: `a` holds m*k elements read at (i*a_rs + j*a_cs) for i < m, j < k (either
            // layout), `b` k*n the same way, and `out` m*n written row-major; the op validated
            // the shapes and sliced the buffers to exactly these sizes. Bands of `out` are
            // disjoint, so the threads never write the same element.
            unsafe {
                gemm::gemm(
                    mm,
                    nn,
                    k,
                    dst,
                    1,
                    n as isize,
                    false,
                    lhs,
                    a_cs,
                    a_rs,
                    rhs,
                    b_cs,
                    b_rs,
                    T::zero(),
                    T::one(),
                    false,
                    false,
                    false,
                    gemm::Parallelism::None,
                );
            }
        };
        if parts == 1 {
            run(0);
        } else {
            use rayon::prelude::*;
            (0..parts).into_par_iter().for_each(run);
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

/// A raw pointer the band closures can share across threads (they touch disjoint bands).
#[derive(Clone, Copy)]
struct SendPtr<T>(*mut T);
// SAFETY: only used for disjoint bands of one product, joined before `matmul` returns.
unsafe impl<T> Send for SendPtr<T> {}
unsafe impl<T> Sync for SendPtr<T> {}

impl<T> SendPtr<T> {
    fn at(self, offset: isize) -> *mut T {
        // SAFETY: callers stay within the buffer the pointer came from.
        unsafe { self.0.offset(offset) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_products_agree_with_the_small_path() {
        // Every transpose combination against a naive triple loop: one gemm call, then
        // products big enough to be split into row bands (m >= n) and column bands.
        for (m, k, n) in [
            (64, 48, 40),
            (257, 70, 131),
            (131, 70, 257),
            (300, 129, 130),
        ] {
            check_against_naive(m, k, n);
        }
    }

    fn check_against_naive(m: usize, k: usize, n: usize) {
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
