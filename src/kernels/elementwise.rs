//! Elementwise maps: unary, binary on equal shapes, and binary under NumPy broadcasting.

use super::{build_vec, simd, strided::Rows, write_each};
use crate::shape::broadcast_strides;

/// `f` applied to every element.
pub fn map<T: Copy + Sync, U: Send + Default + Clone + 'static>(
    x: &[T],
    f: impl Fn(T) -> U + Sync + Copy,
) -> Vec<U> {
    // An always-true check folds away: this is the plain loop.
    map_patched(x, f, |_| true, f)
}

/// `fast(x[i])`, except that elements failing `accurate` get `exact(x[i])`. The check and the
/// patch run on each chunk while it is still in cache; the main loop stays branch-free (and so
/// vectorised), which a per-element `if` around a library call would prevent.
pub fn map_patched<T: Copy + Sync, U: Send + Default + Clone + 'static>(
    x: &[T],
    fast: impl Fn(T) -> U + Sync + Copy,
    accurate: impl Fn(T) -> bool + Sync,
    exact: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    // SAFETY: each chunk is written whole by the map loop (its source has the chunk's
    // length); `patch` only rewrites elements of it.
    unsafe {
        build_vec(x.len(), |start, chunk| {
            let src = &x[start..start + chunk.len()];
            simd::dispatch(simd::MapLoop {
                src,
                dst: chunk,
                f: &fast,
            });
            patch(src, chunk, &accurate, |i| exact(src[i]));
        })
    }
}

/// `fast(a[i], b[i])`, except where `b[i]` fails `accurate`: there `exact(a[i], b[i])`.
pub fn zip_patched<A: Copy + Sync, B: Copy + Sync, U: Send + Default + Clone + 'static>(
    a: &[A],
    b: &[B],
    fast: impl Fn(A, B) -> U + Sync,
    accurate: impl Fn(B) -> bool + Sync,
    exact: impl Fn(A, B) -> U + Sync,
) -> Vec<U> {
    debug_assert_eq!(a.len(), b.len());
    // SAFETY: each chunk is written whole by the zip loop (its inputs have the chunk's
    // length); `patch` only rewrites elements of it.
    unsafe {
        build_vec(a.len(), |start, chunk| {
            let (sa, sb) = (
                &a[start..start + chunk.len()],
                &b[start..start + chunk.len()],
            );
            simd::dispatch(simd::ZipLoop {
                a: sa,
                b: sb,
                dst: chunk,
                f: &fast,
            });
            patch(sb, chunk, &accurate, |i| exact(sa[i], sb[i]));
        })
    }
}

/// Rewrites `dst[i] = exact(i)` where `keys[i]` fails `accurate`. The scan is a fold without an
/// early exit so that it vectorises; the rewrite loop runs only for chunks that need it.
#[inline(always)]
fn patch<K: Copy, U>(
    keys: &[K],
    dst: &mut [std::mem::MaybeUninit<U>],
    accurate: &impl Fn(K) -> bool,
    exact: impl Fn(usize) -> U,
) {
    if keys.iter().fold(true, |ok, &k| ok & accurate(k)) {
        return;
    }
    for (i, &k) in keys.iter().enumerate() {
        if !accurate(k) {
            dst[i].write(exact(i));
        }
    }
}

/// `f(a[i], b[i])` for two buffers of one shape.
pub fn zip<A: Copy + Sync, B: Copy + Sync, U: Send + Default + Clone + 'static>(
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> U + Sync,
) -> Vec<U> {
    zip_patched(a, b, &f, |_| true, &f)
}

/// `dst[i] = f(dst[i], src[i])` in place, in the same chunks as the other kernels. Never cut
/// short (Note: interruption): a half-updated `dst` would be neither value.
pub fn update<T: Copy + Send + Sync>(
    dst: &mut [T],
    src: &[T],
    f: impl Fn(T, T) -> T + Sync + Send,
) {
    debug_assert_eq!(dst.len(), src.len());
    let run = |dst: &mut [T], src: &[T]| simd::dispatch(simd::UpdateLoop { dst, src, f: &f });
    if super::is_parallel(dst.len()) {
        super::pool::for_each_chunk_mut(dst, super::PAR_MIN_ELEMS, |i, d| {
            run(d, &src[i * super::PAR_MIN_ELEMS..][..d.len()])
        });
    } else {
        run(dst, src);
    }
}

/// `f(a, b)` over the broadcast shape `out_shape` (already validated by the caller).
pub fn zip_broadcast<A: Copy + Sync, B: Copy + Sync, U: Send + Default + Clone + 'static>(
    a: &[A],
    a_shape: &[usize],
    b: &[B],
    b_shape: &[usize],
    out_shape: &[usize],
    f: impl Fn(A, B) -> U + Sync,
) -> Vec<U> {
    if a_shape == b_shape {
        return zip(a, b, f);
    }
    if a.len() == 1 && b_shape == out_shape {
        let s = a[0];
        return map(b, |y| f(s, y));
    }
    if b.len() == 1 && a_shape == out_shape {
        let s = b[0];
        return map(a, |x| f(x, s));
    }
    let sa: Vec<isize> = broadcast_strides(a_shape, out_shape)
        .iter()
        .map(|&s| s as isize)
        .collect();
    let sb: Vec<isize> = broadcast_strides(b_shape, out_shape)
        .iter()
        .map(|&s| s as isize)
        .collect();
    let rows = Rows::new(out_shape, &[&sa, &sb]);
    let n: usize = out_shape.iter().product();
    // SAFETY: the spans of `rows` tile the chunk, and each span is written whole.
    unsafe {
        build_vec(n, |start, chunk| {
            let mut filled = 0;
            rows.for_each_span(start, chunk.len(), |offs, inner_strides, len| {
                let (oa, ob) = (offs[0], offs[1]);
                let (ia, ib) = (inner_strides[0], inner_strides[1]);
                let dst = &mut chunk[filled..filled + len];
                match (ia, ib) {
                    (1, 1) => {
                        let (ra, rb) = (&a[oa as usize..][..len], &b[ob as usize..][..len]);
                        write_each(dst, |i| f(ra[i], rb[i]))
                    }
                    (1, 0) => {
                        let (ra, y) = (&a[oa as usize..][..len], b[ob as usize]);
                        write_each(dst, |i| f(ra[i], y))
                    }
                    (0, 1) => {
                        let (x, rb) = (a[oa as usize], &b[ob as usize..][..len]);
                        write_each(dst, |i| f(x, rb[i]))
                    }
                    _ => write_each(dst, |i| {
                        let i = i as isize;
                        f(a[(oa + i * ia) as usize], b[(ob + i * ib) as usize])
                    }),
                }
                filled += len;
            });
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_add_matches_hand_result() {
        let a = [0.0, 1.0, 2.0]; // (3, 1)
        let b = [10.0, 20.0]; // (2,)
        let out = zip_broadcast(&a, &[3, 1], &b, &[2], &[3, 2], |x, y| x + y);
        assert_eq!(out, vec![10.0, 20.0, 11.0, 21.0, 12.0, 22.0]);
    }

    #[test]
    fn large_maps_split_across_chunks_correctly() {
        let x: Vec<f64> = (0..200_000).map(|i| i as f64).collect();
        let y = map(&x, |v| v * 2.0);
        assert!(y.iter().enumerate().all(|(i, &v)| v == 2.0 * i as f64));
    }
}
