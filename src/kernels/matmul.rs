//! Matrix products. Large ones go to the `gemm` crate (packed AVX-512/AVX2 kernels, run on
//! the rayon pool); small ones to ndarray's `general_mat_mul` (matrixmultiply), whose set-up
//! is cheaper. Transposed operands are read through strides: gemm packs them as fast as
//! row-major ones.

use crate::dtype::Real;
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// Below this many multiply-adds matrixmultiply's lighter set-up wins.
const GEMM_MIN_FLOPS: usize = 1 << 15;
/// From this many multiply-adds (~90 ms on two cores) a product is cut into tiles of the
/// output, and each tile sums its inner dimension in blocks of `K_BLOCK`, one gemm call per
/// block, testing for an interrupt between calls (Note: interruption): an 8000^3 product runs
/// for seconds, a call on a tile for at most ~`STEP_FLOPS` multiply-adds (~45 ms on one core;
/// twice that packed the operands ~15% less often, a difference lost in the noise of an
/// 8000^3 product, and doubled the time a Ctrl-C waits).
/// Results depend on the inner blocks only, whose cut depends on `k` alone: not on the thread
/// count, the tiles, or whether the call could be interrupted.
const TILED_FLOPS: usize = 1 << 33;
const STEP_FLOPS: usize = 1 << 31;
/// gemm's own inner block is at least 512 long: this cut adds no pass over the output.
const K_BLOCK: usize = 512;

/// Tiles per dimension for an (m, n) output: tiles near-square (each packs its own slices of
/// both operands, and squares pack the least) with about `STEP_FLOPS / K_BLOCK` elements, in
/// a number the threads share evenly when there are few.
fn tile_grid(m: usize, n: usize, threads: usize) -> (usize, usize) {
    let area = (STEP_FLOPS / K_BLOCK).max(1);
    let side = (area as f64).sqrt() as usize;
    let mut tm = m.div_ceil(side.max(area / n.clamp(1, side))).max(1);
    let mut tn = n.div_ceil(side.max(area / m.clamp(1, side))).max(1);
    // A few tiles left over for one thread leave the others idle: add rows (or columns) of
    // tiles until they divide evenly, while that keeps tiles of at least 64 along each side.
    let threads = threads.max(1);
    while (tm * tn) % threads != 0 && tm * tn < 8 * threads {
        if m / (tm + 1) >= n / (tn + 1) && m / (tm + 1) >= 64 {
            tm += 1;
        } else if n / (tn + 1) >= 64 {
            tn += 1;
        } else {
            break;
        }
    }
    (tm, tn)
}

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
        let stop = super::Stop::current();
        for i in 0..batch {
            // SAFETY: the vector has room for batch * len elements; product i writes its own
            // len of them. A product of many small matrices is tested between them.
            let done = !stop.now()
                && unsafe {
                    gemm_into(
                        &a[i * a_len..][..a_len],
                        &b[i * b_len..][..b_len],
                        m,
                        k,
                        n,
                        trans_a,
                        trans_b,
                        dst.add(i * len),
                        stop,
                    )
                };
            if !done {
                // Cut short (Note: interruption): parts of `out` are unwritten. Zeros of the
                // right size instead (lazily mapped pages), `out` dropped unread.
                return vec![T::zero(); batch * len];
            }
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

/// The product on gemm's kernels, written (never read) at `out`. Returns false when `stop`
/// cut it short, leaving parts of `out` unwritten.
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
    stop: super::Stop,
) -> bool {
    if m == 0 || n == 0 {
        return true;
    }
    // A transposed right operand goes to gemm through its strides. Copying it to row-major
    // first (as before) only added the copy: A B^T on 2 cores, strided vs copy + row-major,
    // 256x784x256 (an MLP's first layer) 0.58-0.82 vs 0.77-1.04 ms, 512^3 1.44 vs 1.72-1.82,
    // 1024^3 12.1-12.6 vs 14.8-15.4 ms (gemm 0.19, AVX2; interleaved runs).
    let p = Product::new(a, b, m, k, n, trans_a, trans_b, out);
    if m * n * k >= TILED_FLOPS && k > K_BLOCK {
        // SAFETY: as this function's contract.
        return unsafe { p.tiled(tile_grid(m, n, super::pool::num_threads()), stop) };
    }
    // Each thread multiplies its own band of rows (or columns) with gemm's serial kernel:
    // measured faster on 2 cores than gemm's own rayon split (no synchronisation inside
    // the product; packing the shared operand twice costs O(n^2) against O(n^3)).
    let parts = if m * n * k >= super::PAR_MIN_ELEMS * 64 {
        super::pool::num_threads().min(m.max(n)).max(1)
    } else {
        1
    };
    let split_rows = m >= n;
    let len = if split_rows { m } else { n };
    let band = len.div_ceil(parts);
    let run = |i: usize| {
        let start = i * band;
        let size = band.min(len.saturating_sub(start));
        if size == 0 {
            return;
        }
        // SAFETY: the band lies within the product; bands are disjoint.
        unsafe {
            if split_rows {
                p.block(start, size, 0, n, 0, k, false)
            } else {
                p.block(0, m, start, size, 0, k, false)
            }
        }
    };
    if parts == 1 {
        run(0);
    } else {
        super::pool::for_each_index(parts, run);
    }
    true
}

/// The operands of one product `op(a) @ op(b)` (m, k) x (k, n) written row-major at `out`,
/// as pointers and strides that bands and tiles running on several threads share.
#[derive(Clone, Copy)]
struct Product<T> {
    out: SendPtr<T>,
    a: SendPtr<T>,
    b: SendPtr<T>,
    a_rs: isize,
    a_cs: isize,
    b_rs: isize,
    b_cs: isize,
    m: usize,
    k: usize,
    n: usize,
}

impl<T: Real + 'static> Product<T> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        a: &[T],
        b: &[T],
        m: usize,
        k: usize,
        n: usize,
        trans_a: bool,
        trans_b: bool,
        out: *mut T,
    ) -> Product<T> {
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
        Product {
            out: SendPtr(out),
            a: SendPtr(a.as_ptr() as *mut T),
            b: SendPtr(b.as_ptr() as *mut T),
            a_rs,
            a_cs,
            b_rs,
            b_cs,
            m,
            k,
            n,
        }
    }

    /// One gemm call: rows [r0, r0 + mm) x columns [c0, c0 + nn) of the product, summing the
    /// inner indices [k0, k0 + kk) onto what is there (`accumulate`) or over it.
    ///
    /// # Safety
    /// `a`, `b` and `out` must be the live buffers `new` was given (with its contract: m*k,
    /// k*n and m*n elements); the ranges must lie within (m, n, k); blocks running at the same
    /// time must write disjoint parts of `out`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn block(
        &self,
        r0: usize,
        mm: usize,
        c0: usize,
        nn: usize,
        k0: usize,
        kk: usize,
        accumulate: bool,
    ) {
        debug_assert!(r0 + mm <= self.m && c0 + nn <= self.n && k0 + kk <= self.k);
        // SAFETY: the ranges lie within the product (the caller's contract), so each offset
        // stays within the buffer its pointer came from: element (r0, k0) of `a`, (k0, c0) of
        // `b`, (r0, c0) of `out`.
        let (dst, lhs, rhs) = unsafe {
            (
                self.out.at(r0 as isize * self.n as isize + c0 as isize),
                self.a.at(r0 as isize * self.a_rs + k0 as isize * self.a_cs),
                self.b.at(k0 as isize * self.b_rs + c0 as isize * self.b_cs),
            )
        };
        let alpha = if accumulate { T::one() } else { T::zero() };
        // SAFETY: `a` is read at (i*a_rs + j*a_cs) for i < mm, j < kk from `lhs`, `b` likewise,
        // and `out` written row-major with row stride n from `dst`, all within the block's
        // ranges; concurrent blocks write disjoint parts of `out` (the caller's contract).
        unsafe {
            gemm::gemm(
                mm,
                nn,
                kk,
                dst,
                1,
                self.n as isize,
                accumulate,
                lhs,
                self.a_cs,
                self.a_rs,
                rhs,
                self.b_cs,
                self.b_rs,
                alpha,
                T::one(),
                false,
                false,
                false,
                gemm::Parallelism::None,
            );
        }
    }

    /// The product in (tiles_m, tiles_n) tiles of the output, each summing its inner
    /// dimension in `K_BLOCK`-long blocks, in order, testing `stop` between blocks. Returns
    /// false when stopped (parts of `out` unwritten).
    ///
    /// # Safety
    /// As `block`: the buffers `new` was given must be live.
    unsafe fn tiled(&self, (tiles_m, tiles_n): (usize, usize), stop: super::Stop) -> bool {
        let (m, n, k) = (self.m, self.n, self.k);
        let (mb, nb) = (m.div_ceil(tiles_m.max(1)), n.div_ceil(tiles_n.max(1)));
        let tiles_n = n.div_ceil(nb);
        let tiles = m.div_ceil(mb) * tiles_n;
        super::pool::for_each_index(tiles, |t| {
            let (r0, c0) = ((t / tiles_n) * mb, (t % tiles_n) * nb);
            let (mm, nn) = (mb.min(m - r0), nb.min(n - c0));
            for k0 in (0..k).step_by(K_BLOCK) {
                if stop.now() {
                    return;
                }
                // SAFETY: the tile and block lie within the product; tiles are disjoint.
                unsafe { self.block(r0, mm, c0, nn, k0, K_BLOCK.min(k - k0), k0 > 0) };
            }
        });
        !stop.now()
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
    fn tile_grids_cover_the_output_in_shares_the_threads_split_evenly() {
        for (m, n, threads) in [
            (8000, 8000, 2),
            (8000, 8000, 3),
            (100, 200_000, 2),
            (1, 10, 2),
        ] {
            let (tm, tn) = tile_grid(m, n, threads);
            let (mb, nb) = (m.div_ceil(tm), n.div_ceil(tn));
            assert!(mb * tm >= m && nb * tn >= n, "{:?}", (m, n, tm, tn));
            assert!(mb * nb * K_BLOCK <= 2 * STEP_FLOPS, "{:?}", (m, n, mb, nb));
        }
        assert_eq!(tile_grid(8000, 8000, 2), (4, 4));
    }

    #[test]
    fn a_product_cut_into_inner_blocks_matches_the_naive_sum() {
        // Exact integers: the blocked order of summation cannot change them.
        let (m, k, n) = (3, 2 * K_BLOCK + 7, 5);
        let a: Vec<f64> = (0..m * k).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
        let b: Vec<f64> = (0..k * n).map(|i| ((i * 3) % 13) as f64 - 6.0).collect();
        for (ta, tb) in [(false, false), (true, true)] {
            let mut out = vec![f64::NAN; m * n];
            let p = Product::new(&a, &b, m, k, n, ta, tb, out.as_mut_ptr());
            // SAFETY: `out` holds m * n elements; `a` and `b` hold m * k and k * n.
            assert!(unsafe { p.tiled((2, 3), crate::kernels::Stop::NEVER) });
            let at = |i: usize, j: usize| if ta { a[j * m + i] } else { a[i * k + j] };
            let bt = |i: usize, j: usize| if tb { b[j * k + i] } else { b[i * n + j] };
            for i in 0..m {
                for j in 0..n {
                    let want: f64 = (0..k).map(|q| at(i, q) * bt(q, j)).sum();
                    assert_eq!(out[i * n + j], want, "ta={} tb={} ({}, {})", ta, tb, i, j);
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
