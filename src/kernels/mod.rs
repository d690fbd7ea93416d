//! Loops over contiguous buffers. Kernels know nothing of autograd or dtypes beyond their type
//! parameter; they run serially below `PAR_MIN_ELEMS` elements and on the rayon pool above it,
//! in chunks no smaller than that, so the split (and so every float result) is the same for any
//! number of threads.

pub mod elementwise;
pub mod matmul;
pub mod reduce;
pub mod simd;
pub mod strided;
pub mod vmath;

use std::mem::MaybeUninit;
use std::sync::Once;

/// Below this many elements a kernel runs on the calling thread: the fork/join costs more.
pub const PAR_MIN_ELEMS: usize = 32 * 1024;

static POOL: Once = Once::new();

/// Builds the rayon pool once (sized by `FERROGRAD_NUM_THREADS` when set, else one thread per
/// core), with the calling thread as one of its workers. The extension calls this when it is
/// imported, so Python's main thread works on its own kernels: a parallel op then runs on the
/// caller and one woken worker, instead of the caller sleeping while two workers are woken
/// (perf: ~7% of an MLP step went to those sleeps and wake-ups).
pub fn init_pool() {
    POOL.call_once(|| {
        let n = std::env::var("FERROGRAD_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .use_current_thread()
            .build_global();
        // An error means a global pool already exists (someone else built it): use that one.
        drop(built);
    });
}

#[inline]
pub fn is_parallel(n: usize) -> bool {
    n >= PAR_MIN_ELEMS
}

/// Builds a vector of `n` elements by handing `fill(start, chunk)` disjoint uninitialised
/// chunks. Chunks run in parallel above the threshold. Skips zero-filling: fresh pages are
/// touched once, by the writer.
///
/// # Safety
/// `fill` must write every element of the chunk it is given: the vector's length is set to
/// `n` afterwards, so an element left unwritten would be read as uninitialised memory.
pub unsafe fn build_vec<U: Send + 'static>(
    n: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<U>]) + Sync,
) -> Vec<U> {
    let mut out: Vec<U> = crate::buffer_cache::take(n);
    {
        let spare = &mut out.spare_capacity_mut()[..n];
        if is_parallel(n) {
            init_pool();
            use rayon::prelude::*;
            spare
                .par_chunks_mut(PAR_MIN_ELEMS)
                .enumerate()
                .for_each(|(i, chunk)| fill(i * PAR_MIN_ELEMS, chunk));
        } else {
            fill(0, spare);
        }
    }
    // SAFETY: `fill` wrote all `n` elements of the spare capacity (the caller's contract).
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
