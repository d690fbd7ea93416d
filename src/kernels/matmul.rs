//! Matrix products. Large ones go to the `gemm` crate (packed AVX-512/AVX2 kernels, run on
//! the rayon pool); small ones to ndarray's `general_mat_mul` (matrixmultiply), whose set-up
//! is cheaper. Transposed operands are read through strides, except a large transposed right
//! operand, which is copied to row-major first (gemm packs that one markedly slower).

use crate::dtype::Real;
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// Below this many multiply-adds matrixmultiply's lighter set-up wins.
const GEMM_MIN_FLOPS: usize = 1 << 15;
/// From this many multiply-adds a transposed right operand is copied to row-major first.
const TRANSPOSE_FIRST_FLOPS: usize = 1 << 22;

/// `batch` products `op(a_i) @ op(b_i)` stacked in one new vector, where op transposes when
/// asked: each `a_i` is stored (m, k), or (k, m) when `trans_a`; each `b_i` (k, n), or (n, k)
/// when `trans_b`; each product is (m, n) row-major.
#[allow(clippy::too_many_arguments)]
pub fn batched_matmul<T: Real + LinalgScalar + 'static>(
    a: &[T],
    b: &[T],
    batch: usize,
    m: usize,
    k: usize,
    n: usize,
    trans_a: bool,
    trans_b: bool,
) -> Vec<T> {
    let (len, a_len, b_len) = (m * n, m * k, k * n);
    let mut out: Vec<T> = crate::buffer_cache::take(batch * len);
    if k > 0 && m * n * k >= GEMM_MIN_FLOPS {
        // gemm overwrites every element without reading it: no zero fill, which on a fresh
        // buffer would also fault in every page before the product writes it again.
        let dst = out.spare_capacity_mut().as_mut_ptr() as *mut T;
        for i in 0..batch {
            // SAFETY: the vector has room for batch * len elements; product i writes its own
            // len of them.
            unsafe {
                gemm_into(
                    &a[i * a_len..][..a_len],
                    &b[i * b_len..][..b_len],
                    m,
                    k,
                    n,
                    trans_a,
                    trans_b,
                    dst.add(i * len),
                )
            };
        }
        // SAFETY: all batch * len elements were written above.
        unsafe { out.set_len(batch * len) };
    } else {
        out.resize(batch * len, T::zero());
        for (i, dst) in out.chunks_mut(len.max(1)).enumerate().take(batch) {
            small_matmul(
                &a[i * a_len..][..a_len],
                &b[i * b_len..][..b_len],
                m,
                k,
                n,
                trans_a,
                trans_b,
                dst,
            );
        }
    }
    out
}

/// `op(a) @ op(b)` into the zeroed `out` (m, n) on matrixmultiply, for products too small for
/// gemm's set-up; operands laid out as in `batched_matmul`.
#[allow(clippy::too_many_arguments)]
fn small_matmul<T: Real + LinalgScalar + 'static>(
    a: &[T],
    b: &[T],
    m: usize,
    k: usize,
    n: usize,
    trans_a: bool,
    trans_b: bool,
    out: &mut [T],
) {
    if m == 0 || n == 0 || k == 0 {
        return; // nothing to write, or an empty sum: `out` stays zero
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

/// The product on gemm's kernels, written (never read) at `out`.
///
/// # Safety
/// `out` must be valid for writes of m * n elements; `a` must hold m * k and `b` k * n.
#[allow(clippy::too_many_arguments)]
unsafe fn gemm_into<T: Real + 'static>(
    a: &[T],
    b: &[T],
    m: usize,
    k: usize,
    n: usize,
    trans_a: bool,
    trans_b: bool,
    out: *mut T,
) {
    if m == 0 || n == 0 {
        return;
    }
    // gemm packs a transposed right operand markedly slower (measured on 2 cores, 1024^2:
    // A B^T 161-163 GFLOP/s, A B ~200): copy it into row-major order first. A transposed
    // left operand costs gemm nothing (A^T B 186-205 GFLOP/s at 1024^2, 184-200 for an
    // MLP's X^T G), so copying it would only add a pass.
    let b_t;
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
        SendPtr(out),
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
        // SAFETY: the band [start, start + size) lies within the product (rows of `out` and
        // `a` when splitting rows, columns of `out` and `b` otherwise), so each offset stays
        // within the buffer its pointer came from.
        let (dst, lhs, rhs) = unsafe {
            if split_rows {
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
            }
        };
        // SAFETY: `a` holds m*k elements read at (i*a_rs + j*a_cs) for i < m, j < k (either
        // layout), `b` k*n the same way, and `out` m*n written row-major (the caller's
        // contract). Bands of `out` are disjoint, so the threads never write the same element.
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
}

/// A raw pointer the band closures can share across threads (they touch disjoint bands).
#[derive(Clone, Copy)]
struct SendPtr<T>(*mut T);
// SAFETY: only used for disjoint bands of one product, joined before `matmul` returns.
unsafe impl<T> Send for SendPtr<T> {}
// SAFETY: as for Send: the threads sharing it write disjoint elements.
unsafe impl<T> Sync for SendPtr<T> {}

impl<T> SendPtr<T> {
    /// The pointer `offset` elements on.
    ///
    /// # Safety
    /// The result must stay within (or one past the end of) the allocation the pointer
    /// points into.
    unsafe fn at(self, offset: isize) -> *mut T {
        // SAFETY: the caller keeps the offset within the allocation.
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
            let out = batched_matmul(&a, &b, 1, m, k, n, ta, tb);
            for i in 0..m {
                for j in 0..n {
                    let want: f64 = (0..k).map(|p| at(i, p) * bt(p, j)).sum();
                    assert_eq!(out[i * n + j], want, "ta={} tb={} ({}, {})", ta, tb, i, j);
                }
            }
        }
    }

    #[test]
    fn batched_products_match_one_by_one() {
        // Large (gemm, written into a fresh buffer), small, and empty inner dimension.
        for (batch, m, k, n) in [(2, 257, 70, 131), (3, 4, 5, 6), (2, 3, 0, 4)] {
            let a: Vec<f64> = (0..batch * m * k)
                .map(|i| ((i * 5) % 9) as f64 - 4.0)
                .collect();
            let b: Vec<f64> = (0..batch * k * n)
                .map(|i| ((i * 3) % 7) as f64 - 3.0)
                .collect();
            for (ta, tb) in [(false, false), (true, true)] {
                let got = batched_matmul(&a, &b, batch, m, k, n, ta, tb);
                assert_eq!(got.len(), batch * m * n);
                for i in 0..batch {
                    let want = batched_matmul(
                        &a[i * m * k..][..m * k],
                        &b[i * k * n..][..k * n],
                        1,
                        m,
                        k,
                        n,
                        ta,
                        tb,
                    );
                    assert_eq!(
                        &got[i * m * n..][..m * n],
                        &want[..],
                        "batch {} of {:?}",
                        i,
                        (m, k, n)
                    );
                }
            }
        }
    }

    #[test]
    fn small_products_with_transposes() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // (2,3)
        let b = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]; // (3,2)
        let out = batched_matmul(&a, &b, 1, 2, 3, 2, false, false);
        assert_eq!(out, [4.0, 5.0, 10.0, 11.0]);
        // a^T a with a stored (2,3): (3,3)
        let out = batched_matmul(&a, &a, 1, 3, 2, 3, true, false);
        assert_eq!(out, [17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]);
    }
}
