//! Reductions over any set of axes of a contiguous array.
//!
//! The axes are first coalesced (unit dims dropped, neighbours with the same role merged), which
//! turns almost every call into one of three layouts: all reduced, rows (kept, reduced), or
//! columns (reduced, kept), possibly inside an outer kept loop. Anything else is permuted into
//! rows first. Parallel splits are fixed-size, so results do not depend on the thread count.

use super::{build_vec, is_parallel, pool, strided::permute, Stop, PAR_MIN_ELEMS};
use crate::dtype::{Element, Real};

/// A fold with an identity, a step and an associative merge.
pub trait Reducer<T: Copy>: Sync {
    type Acc: Copy + Send + Sync + Default + 'static;
    fn init(&self) -> Self::Acc;
    fn step(&self, acc: Self::Acc, x: T) -> Self::Acc;
    fn merge(&self, a: Self::Acc, b: Self::Acc) -> Self::Acc;
    fn slice(&self, xs: &[T]) -> Self::Acc {
        xs.iter().fold(self.init(), |a, &x| self.step(a, x))
    }
}

pub struct Sum;
impl<T: Real> Reducer<T> for Sum {
    type Acc = T;
    fn init(&self) -> T {
        T::zero()
    }
    #[inline]
    fn step(&self, a: T, x: T) -> T {
        a + x
    }
    fn merge(&self, a: T, b: T) -> T {
        a + b
    }
    /// Eight independent lanes: vectorises, and is more accurate than one running sum.
    fn slice(&self, xs: &[T]) -> T {
        let mut out = T::zero();
        super::simd::dispatch(SumLoop { xs, out: &mut out });
        out
    }
}

struct SumLoop<'a, T> {
    xs: &'a [T],
    out: &'a mut T,
}

impl<T: Real> super::simd::Kernel for SumLoop<'_, T> {
    #[inline(always)]
    fn run(self) {
        *self.out = sum_lanes(self.xs);
    }
}

#[inline(always)]
fn sum_lanes<T: Real>(xs: &[T]) -> T {
    {
        let mut lanes = [T::zero(); 8];
        let chunks = xs.chunks_exact(8);
        let tail = chunks.remainder();
        for c in chunks {
            for k in 0..8 {
                lanes[k] += c[k];
            }
        }
        let mut s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
            + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
        for &x in tail {
            s += x;
        }
        s
    }
}

/// Sum of squares (for norms): the same lanes as `Sum`.
pub struct SumSquares;
impl<T: Real> Reducer<T> for SumSquares {
    type Acc = T;
    fn init(&self) -> T {
        T::zero()
    }
    #[inline]
    fn step(&self, a: T, x: T) -> T {
        a + x * x
    }
    fn merge(&self, a: T, b: T) -> T {
        a + b
    }
}

pub struct Prod;
impl<T: Real> Reducer<T> for Prod {
    type Acc = T;
    fn init(&self) -> T {
        T::one()
    }
    fn step(&self, a: T, x: T) -> T {
        a * x
    }
    fn merge(&self, a: T, b: T) -> T {
        a * b
    }
}

/// Max (or min, with `smallest`) propagating NaN, as NumPy does. `None` is the empty fold.
pub struct Extreme {
    pub smallest: bool,
}
impl<T: Element> Reducer<T> for Extreme {
    type Acc = Option<T>;
    fn init(&self) -> Option<T> {
        None
    }
    #[inline]
    fn step(&self, acc: Option<T>, x: T) -> Option<T> {
        match acc {
            None => Some(x),
            #[allow(clippy::eq_op)]
            Some(a) if a != a => Some(a),
            #[allow(clippy::eq_op)]
            Some(_) if x != x => Some(x),
            Some(a) => Some(if (x < a) == self.smallest && x != a {
                x
            } else {
                a
            }),
        }
    }
    fn merge(&self, a: Option<T>, b: Option<T>) -> Option<T> {
        match b {
            None => a,
            Some(x) => self.step(a, x),
        }
    }
}

enum Layout {
    /// Nothing to fold: each output is one input element.
    Copy,
    All,
    Rows {
        rows: usize,
        len: usize,
    },
    Cols {
        outer: usize,
        len: usize,
        inner: usize,
    },
}

/// Coalesces `shape` by role and picks a layout; `None` means "permute first".
fn layout(shape: &[usize], mask: &[bool]) -> Option<Layout> {
    let mut groups: Vec<(usize, bool)> = Vec::new();
    for (&d, &m) in shape.iter().zip(mask) {
        if d == 1 {
            continue;
        }
        match groups.last_mut() {
            Some((n, role)) if *role == m => *n *= d,
            _ => groups.push((d, m)),
        }
    }
    Some(match groups.as_slice() {
        [] | [(_, false)] => Layout::Copy,
        [(_, true)] => Layout::All,
        [(rows, false), (len, true)] => Layout::Rows {
            rows: *rows,
            len: *len,
        },
        [(len, true), (inner, false)] => Layout::Cols {
            outer: 1,
            len: *len,
            inner: *inner,
        },
        [(outer, false), (len, true), (inner, false)] => Layout::Cols {
            outer: *outer,
            len: *len,
            inner: *inner,
        },
        _ => return None,
    })
}

/// Folds the axes where `mask` is true. The output has the kept axes in order.
pub fn reduce<T: Element, R: Reducer<T>>(
    x: &[T],
    shape: &[usize],
    mask: &[bool],
    r: &R,
) -> Vec<R::Acc> {
    let n = x.len();
    if n == 0 {
        let out_len: usize = shape
            .iter()
            .zip(mask)
            .filter(|(_, &m)| !m)
            .map(|(&d, _)| d)
            .product();
        return vec![r.init(); out_len];
    }
    match layout(shape, mask) {
        Some(Layout::Copy) => x.iter().map(|&v| r.step(r.init(), v)).collect(),
        Some(Layout::All) => {
            if is_parallel(n) {
                // Interrupted chunks give the identity; the caller discards the total.
                let stop = Stop::current();
                let parts: Vec<R::Acc> = pool::map_chunks(x, PAR_MIN_ELEMS, |c| {
                    if stop.now() {
                        r.init()
                    } else {
                        r.slice(c)
                    }
                });
                vec![parts.into_iter().fold(r.init(), |a, b| r.merge(a, b))]
            } else {
                vec![r.slice(x)]
            }
        }
        // SAFETY: every slot of the chunk is written, one per row.
        Some(Layout::Rows { rows, len }) => unsafe {
            build_vec(rows, |start, chunk| {
                for (i, slot) in chunk.iter_mut().enumerate() {
                    let row = start + i;
                    slot.write(r.slice(&x[row * len..(row + 1) * len]));
                }
            })
        },
        Some(Layout::Cols { outer, len, inner }) => {
            // out[o, j] = fold over i of x[o, i, j]: walk rows so reads stay sequential.
            let mut out = vec![r.init(); outer * inner];
            let col_block = (PAR_MIN_ELEMS / len.max(1)).max(64);
            let work = |o: usize, j0: usize, acc: &mut [R::Acc]| {
                for i in 0..len {
                    let row = &x[(o * len + i) * inner + j0..][..acc.len()];
                    for (a, &v) in acc.iter_mut().zip(row) {
                        *a = r.step(*a, v);
                    }
                }
            };
            if is_parallel(n) {
                // Interrupted blocks keep partial folds; the caller discards them.
                let stop = Stop::current();
                pool::for_each_chunk_mut(&mut out, inner, |o, plane| {
                    pool::for_each_chunk_mut(plane, col_block, |b, acc| {
                        if !stop.now() {
                            work(o, b * col_block, acc)
                        }
                    });
                });
            } else {
                for (o, plane) in out.chunks_mut(inner).enumerate() {
                    work(o, 0, plane);
                }
            }
            out
        }
        None => {
            // Kept axes first, folded axes last, then fold rows.
            let mut axes: Vec<usize> = (0..shape.len()).filter(|&a| !mask[a]).collect();
            let kept = axes.len();
            axes.extend((0..shape.len()).filter(|&a| mask[a]));
            let moved = permute(x, shape, &axes);
            let rows: usize = axes[..kept].iter().map(|&a| shape[a]).product();
            let len = n / rows.max(1);
            (0..rows)
                .map(|row| r.slice(&moved[row * len..(row + 1) * len]))
                .collect()
        }
    }
}

/// Index of the largest (or smallest) element along `axis` of each lane; the first one wins
/// ties, NaN counts as largest, as in NumPy.
pub fn arg_extreme<T: Element>(
    x: &[T],
    shape: &[usize],
    axis: usize,
    smallest: bool,
) -> Vec<usize> {
    let len = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let outer: usize = shape[..axis].iter().product();
    let better = |cand: T, best: T| {
        #[allow(clippy::eq_op)]
        let (cn, bn) = (cand != cand, best != best);
        !bn && (cn || if smallest { cand < best } else { cand > best })
    };
    let mut out = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for j in 0..inner {
            let mut best_i = 0;
            for i in 1..len {
                if better(
                    x[(o * len + i) * inner + j],
                    x[(o * len + best_i) * inner + j],
                ) {
                    best_i = i;
                }
            }
            out.push(best_i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(x: &[f64], shape: &[usize], mask: &[bool]) -> Vec<f64> {
        reduce(x, shape, mask, &Sum)
    }

    #[test]
    fn every_layout_sums_right() {
        let x: Vec<f64> = (0..24).map(|i| i as f64).collect();
        let s = [2, 3, 4];
        assert_eq!(sum(&x, &s, &[true, true, true]), vec![276.0]);
        assert_eq!(
            sum(&x, &s, &[false, false, true]),
            vec![6., 22., 38., 54., 70., 86.]
        );
        assert_eq!(sum(&x, &s, &[true, false, false])[..3], [12., 14., 16.]);
        assert_eq!(
            sum(&x, &s, &[false, true, false]),
            vec![12., 15., 18., 21., 48., 51., 54., 57.]
        );
        // kept, folded, kept, folded: the permuting path
        let y: Vec<f64> = (0..16).map(|i| i as f64).collect();
        assert_eq!(
            sum(&y, &[2, 2, 2, 2], &[false, true, false, true]),
            vec![10., 18., 42., 50.]
        );
    }

    #[test]
    fn parallel_full_sum_is_exact_on_integers() {
        let x: Vec<f64> = (0..100_000).map(|i| (i % 7) as f64).collect();
        let expect: f64 = x.iter().sum();
        assert_eq!(sum(&x, &[100_000], &[true]), vec![expect]);
    }

    #[test]
    fn max_propagates_nan_and_argmax_takes_first_tie() {
        let m = reduce(
            &[1.0, f64::NAN, 3.0],
            &[3],
            &[true],
            &Extreme { smallest: false },
        );
        assert!(m[0].unwrap().is_nan());
        assert_eq!(arg_extreme(&[1.0, 5.0, 5.0, 2.0], &[4], 0, false), vec![1]);
        assert_eq!(
            arg_extreme(&[3.0, 1.0, 2.0, 0.0], &[2, 2], 0, true),
            vec![1, 1]
        );
    }
}
