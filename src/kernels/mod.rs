//! Loops over contiguous buffers. Kernels know nothing of autograd or dtypes beyond their type
//! parameter; they run serially below `PAR_MIN_ELEMS` elements and on ferrograd's thread pool
//! above it (`pool`, Note: pool), in chunks no smaller than that, so the split (and so every
//! float result) is the same for any number of threads. Long kernels can be cut short
//! (`interrupt`, Note: interruption).

pub mod elementwise;
pub mod matmul;
pub mod reduce;
pub mod simd;
pub mod strided;
pub mod vmath;

pub mod interrupt;
pub mod pool;

use std::mem::MaybeUninit;

pub use interrupt::Stop;

/// Below this many elements a kernel runs on the calling thread: the fork/join costs more.
pub const PAR_MIN_ELEMS: usize = 32 * 1024;

#[inline]
pub fn is_parallel(n: usize) -> bool {
    n >= PAR_MIN_ELEMS
}

/// Builds a vector of `n` elements by handing `fill(start, chunk)` disjoint uninitialised
/// chunks. Chunks run in parallel above the threshold (see Note: pool). Skips zero-filling:
/// fresh pages are touched once, by the writer. Interruptible (Note: interruption): cut short,
/// it returns `n` default values instead.
///
/// # Safety
/// `fill` must write every element of the chunk it is given: the vector's length is set to
/// `n` afterwards, so an element left unwritten would be read as uninitialised memory.
pub unsafe fn build_vec<U: Send + Default + Clone + 'static>(
    n: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<U>]) + Sync + Send,
) -> Vec<U> {
    let mut out: Vec<U> = crate::buffer_cache::take(n);
    let spare = &mut out.spare_capacity_mut()[..n];
    if !is_parallel(n) {
        fill(0, spare);
    } else {
        let stop = Stop::current();
        pool::for_each_chunk_mut(spare, PAR_MIN_ELEMS, |i, chunk| {
            if !stop.now() {
                fill(i * PAR_MIN_ELEMS, chunk)
            }
        });
        if stop.now() {
            // Some chunks may be unwritten: hand back defaults (zeroed pages for numbers, which
            // the allocator maps lazily) and let `out` go without reading it.
            return vec![U::default(); n];
        }
    }
    // SAFETY: `fill` wrote all `n` elements of the spare capacity (the caller's contract), and
    // no chunk was skipped (an interrupted build returned above).
    unsafe { out.set_len(n) };
    out
}

/// Writes `f(i)` for each slot of an uninitialised chunk starting at `start`.
#[inline]
pub fn write_each<U>(chunk: &mut [MaybeUninit<U>], mut f: impl FnMut(usize) -> U) {
    for (i, slot) in chunk.iter_mut().enumerate() {
        slot.write(f(i));
    }
}
