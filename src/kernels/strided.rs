//! Walking several operands over one iteration shape, each with its own (possibly zero or
//! negative) strides: broadcasting, transposes, slicing with steps, and their scatters.
//!
//! The iteration is cut into rows along the last (coalesced) dimension; a caller gets one span
//! of a row at a time with each operand's starting offset and stride, so its inner loop is a
//! plain counted loop.

use super::{build_vec, write_each};
use smallvec::SmallVec;

type Dims = SmallVec<[usize; 6]>;
type Strides = SmallVec<[isize; 6]>;

pub struct Rows {
    outer: Dims,
    outer_strides: SmallVec<[Strides; 3]>,
    inner_len: usize,
    inner_strides: SmallVec<[isize; 3]>,
    bases: SmallVec<[isize; 3]>,
}

impl Rows {
    /// Iteration over `shape`, operands starting at offset 0.
    pub fn new(shape: &[usize], strides: &[&[isize]]) -> Rows {
        Rows::with_bases(shape, strides, &vec![0; strides.len()])
    }

    pub fn with_bases(shape: &[usize], strides: &[&[isize]], bases: &[isize]) -> Rows {
        // Drop unit dims, then merge neighbours that every operand walks contiguously.
        let keep: Vec<usize> = (0..shape.len()).filter(|&d| shape[d] != 1).collect();
        let mut dims: Dims = SmallVec::new();
        let mut per_op: SmallVec<[Strides; 3]> = strides.iter().map(|_| Strides::new()).collect();
        for &d in &keep {
            let mergeable = !dims.is_empty()
                && strides
                    .iter()
                    .zip(per_op.iter())
                    .all(|(s, acc)| acc[acc.len() - 1] == s[d] * shape[d] as isize);
            if mergeable {
                let last = dims.len() - 1;
                dims[last] *= shape[d];
                for (s, acc) in strides.iter().zip(per_op.iter_mut()) {
                    let l = acc.len() - 1;
                    acc[l] = s[d];
                }
            } else {
                dims.push(shape[d]);
                for (s, acc) in strides.iter().zip(per_op.iter_mut()) {
                    acc.push(s[d]);
                }
            }
        }
        let (inner_len, inner_strides) = match dims.pop() {
            Some(n) => (n, per_op.iter_mut().map(|s| s.pop().unwrap_or(0)).collect()),
            None => (1, per_op.iter().map(|_| 0).collect()),
        };
        Rows {
            outer: dims,
            outer_strides: per_op,
            inner_len,
            inner_strides,
            bases: SmallVec::from_slice(bases),
        }
    }

    /// Calls `f(offsets, inner_strides, len)` for consecutive spans covering the linear range
    /// `start .. start + count` of the iteration.
    pub fn for_each_span(
        &self,
        start: usize,
        count: usize,
        mut f: impl FnMut(&[isize], &[isize], usize),
    ) {
        if count == 0 || self.inner_len == 0 {
            return;
        }
        let nd = self.outer.len();
        let row = start / self.inner_len;
        let mut col = start % self.inner_len;
        // Multi-index of `row` over the outer dims.
        let mut idx: Dims = SmallVec::from_elem(0, nd);
        let mut r = row;
        for d in (0..nd).rev() {
            idx[d] = r % self.outer[d];
            r /= self.outer[d];
        }
        let mut offs: SmallVec<[isize; 3]> = SmallVec::from_elem(0, self.bases.len());
        let mut left = count;
        while left > 0 {
            for (k, o) in offs.iter_mut().enumerate() {
                let s = &self.outer_strides[k];
                *o = self.bases[k]
                    + (0..nd).map(|d| idx[d] as isize * s[d]).sum::<isize>()
                    + col as isize * self.inner_strides[k];
            }
            let len = (self.inner_len - col).min(left);
            f(&offs, &self.inner_strides, len);
            left -= len;
            col = 0;
            for d in (0..nd).rev() {
                idx[d] += 1;
                if idx[d] < self.outer[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
    }
}

/// Copies the strided region (`base`, `shape`, `strides`) of `src` into a new contiguous vector.
pub fn gather<T: Copy + Send + Sync + Default + 'static>(
    src: &[T],
    base: isize,
    shape: &[usize],
    strides: &[isize],
) -> Vec<T> {
    let rows = Rows::with_bases(shape, &[strides], &[base]);
    let n: usize = shape.iter().product();
    // SAFETY: the spans of `rows` tile the chunk, and each span is written whole.
    unsafe {
        build_vec(n, |start, chunk| {
            let mut filled = 0;
            rows.for_each_span(start, chunk.len(), |offs, inner, len| {
                let (o, s) = (offs[0], inner[0]);
                let dst = &mut chunk[filled..filled + len];
                if s == 1 {
                    let row = &src[o as usize..o as usize + len];
                    write_each(dst, |i| row[i]);
                } else {
                    write_each(dst, |i| src[(o + i as isize * s) as usize]);
                }
                filled += len;
            });
        })
    }
}

/// Writes contiguous `src` into the strided region of `dst`; with `accumulate`, adds instead
/// (repeated positions then sum, as a scatter-add must).
pub fn scatter<T: Copy + std::ops::Add<Output = T>>(
    dst: &mut [T],
    base: isize,
    shape: &[usize],
    strides: &[isize],
    src: &[T],
    accumulate: bool,
) {
    let rows = Rows::with_bases(shape, &[strides], &[base]);
    let mut read = 0;
    rows.for_each_span(0, src.len(), |offs, inner, len| {
        let (o, s) = (offs[0], inner[0]);
        for i in 0..len {
            let p = (o + i as isize * s) as usize;
            dst[p] = if accumulate {
                dst[p] + src[read + i]
            } else {
                src[read + i]
            };
        }
        read += len;
    });
}

/// Axes permutation of a contiguous array: out.shape[i] = shape[axes[i]].
pub fn permute<T: Copy + Send + Sync + Default + 'static>(
    x: &[T],
    shape: &[usize],
    axes: &[usize],
) -> Vec<T> {
    if let ([rows, cols], [1, 0]) = (shape, axes) {
        return transpose2d(x, *rows, *cols);
    }
    let own = crate::shape::strides_of(shape);
    let out_shape: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
    let strides: Vec<isize> = axes.iter().map(|&a| own[a] as isize).collect();
    gather(x, 0, &out_shape, &strides)
}

/// The transpose of a contiguous (rows, cols) matrix, in square tiles so that both the reads
/// and the writes stay within a few cache lines; bands of output rows run in parallel.
/// Interruptible like `build_vec`.
pub fn transpose2d<T: Copy + Send + Sync + Default + 'static>(
    src: &[T],
    rows: usize,
    cols: usize,
) -> Vec<T> {
    const TILE: usize = 16;
    let n = rows * cols;
    let mut out: Vec<T> = crate::buffer_cache::take(n);
    let spare = &mut out.spare_capacity_mut()[..n];
    let band = |j0: usize, dst: &mut [std::mem::MaybeUninit<T>]| {
        let width = dst.len() / rows.max(1);
        for i0 in (0..rows).step_by(TILE) {
            for j in 0..width {
                let col = j0 + j;
                for i in i0..(i0 + TILE).min(rows) {
                    dst[j * rows + i].write(src[i * cols + col]);
                }
            }
        }
    };
    if super::is_parallel(n) && rows > 0 {
        let stop = super::Stop::current();
        super::pool::for_each_chunk_mut(spare, TILE * rows, |b, dst| {
            if !stop.now() {
                band(b * TILE, dst)
            }
        });
        if stop.now() {
            return vec![T::default(); n]; // some bands are unwritten; see `build_vec`
        }
    } else {
        band(0, spare);
    }
    // SAFETY: the bands cover all `cols` output rows of `rows` elements each (none was
    // skipped: an interrupted transpose returned above).
    unsafe { out.set_len(n) };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiled_transpose_matches_a_strided_gather() {
        for (r, c) in [(1, 1), (3, 5), (17, 33), (300, 129)] {
            let x: Vec<u32> = (0..(r * c) as u32).collect();
            assert_eq!(
                transpose2d(&x, r, c),
                gather(&x, 0, &[c, r], &[1, c as isize]),
                "{}x{}",
                r,
                c
            );
        }
    }

    #[test]
    fn transpose_of_2x3() {
        let x = [1, 2, 3, 4, 5, 6];
        assert_eq!(permute(&x, &[2, 3], &[1, 0]), vec![1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn gather_with_negative_step_reverses() {
        let x = [0, 1, 2, 3, 4];
        assert_eq!(gather(&x, 4, &[5], &[-1]), vec![4, 3, 2, 1, 0]);
        assert_eq!(gather(&x, 0, &[3], &[2]), vec![0, 2, 4]);
    }

    #[test]
    fn scatter_add_sums_repeats() {
        let mut d = [0.0; 3];
        scatter(
            &mut d,
            0,
            &[2, 3],
            &[0, 1],
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            true,
        );
        assert_eq!(d, [5.0, 7.0, 9.0]);
    }

    #[test]
    fn spans_resume_mid_row() {
        let x: Vec<i32> = (0..12).collect();
        let rows = Rows::new(&[3, 4], &[&[1, 3]]); // a transposed (4,3) read
        let mut seen = vec![];
        rows.for_each_span(5, 4, |o, s, len| {
            for i in 0..len {
                seen.push(x[(o[0] + i as isize * s[0]) as usize]);
            }
        });
        assert_eq!(seen, vec![4, 7, 10, 2]);
    }
}
