//! A small cache of large freed buffers (`dtype::Buffer` gives its vector back here when
//! dropped; kernels take their outputs from here). A fresh multi-megabyte allocation is mapped page by
//! page on first write, and those page faults cost more than the arithmetic of a fast kernel
//! (a 1e7-element sin spends most of its time faulting in a new 40 MB output). Buffers of at
//! least `MIN_BYTES` go back here when dropped and are handed out again for requests that fit.
//!
//! Bounded: at most `MAX_BUFFERS` buffers per dtype and `MAX_BYTES` in all, oldest evicted
//! first; a request takes the smallest cached buffer that holds it, and only if that wastes at
//! most half of it.

use parking_lot::Mutex;
use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const MIN_BYTES: usize = 1 << 20;
const MAX_BYTES: usize = 512 << 20;
/// An MLP step (784-512-512-10, batch 256) cycles about this many buffers of 1-2 MiB. Measured
/// with benches/mlp_rss.py and `perf stat -e page-faults` over 320 steps: 16 cached buffers
/// held 35 MiB at the step's peak (PyTorch: 22); a 4 MiB floor instead held 17 but left malloc
/// to map and fault in 1.6 MB of fresh pages a step (126K faults); 8 buffers keep it at
/// 19K faults (21-25 MiB at the peak across runs).
const MAX_BUFFERS: usize = 8;

static CACHED_BYTES: AtomicUsize = AtomicUsize::new(0);
static F32: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());
static F64: Mutex<Vec<Vec<f64>>> = Mutex::new(Vec::new());
static I32: Mutex<Vec<Vec<i32>>> = Mutex::new(Vec::new());
static I64: Mutex<Vec<Vec<i64>>> = Mutex::new(Vec::new());
static U8: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

fn take_from<T>(list: &Mutex<Vec<Vec<T>>>, n: usize) -> Option<Vec<T>> {
    let mut list = list.lock();
    let best = list
        .iter()
        .enumerate()
        .filter(|(_, v)| v.capacity() >= n && v.capacity() <= 2 * n)
        .min_by_key(|(_, v)| v.capacity())
        .map(|(i, _)| i)?;
    let v = list.swap_remove(best);
    CACHED_BYTES.fetch_sub(v.capacity() * std::mem::size_of::<T>(), Ordering::Relaxed);
    Some(v)
}

fn give_to<T>(list: &Mutex<Vec<Vec<T>>>, mut v: Vec<T>) {
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if !(MIN_BYTES..=MAX_BYTES).contains(&bytes) {
        return;
    }
    let mut list = list.lock();
    // Oldest out first: the workload that freed this buffer is the one likely to ask again,
    // and a cache full of an earlier workload's sizes must not turn every later one away.
    while !list.is_empty()
        && (list.len() >= MAX_BUFFERS || CACHED_BYTES.load(Ordering::Relaxed) + bytes > MAX_BYTES)
    {
        let old = list.remove(0);
        CACHED_BYTES.fetch_sub(old.capacity() * std::mem::size_of::<T>(), Ordering::Relaxed);
    }
    if CACHED_BYTES.load(Ordering::Relaxed) + bytes <= MAX_BYTES {
        v.clear();
        list.push(v);
        CACHED_BYTES.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// An empty vector with room for `n` elements, from the cache when one fits.
pub fn take<U: 'static>(n: usize) -> Vec<U> {
    if n.saturating_mul(std::mem::size_of::<U>()) < MIN_BYTES {
        return Vec::with_capacity(n);
    }
    let cached: Option<Box<dyn Any>> = {
        let id = std::any::TypeId::of::<U>();
        if id == std::any::TypeId::of::<f32>() {
            take_from(&F32, n).map(|v| Box::new(v) as Box<dyn Any>)
        } else if id == std::any::TypeId::of::<f64>() {
            take_from(&F64, n).map(|v| Box::new(v) as Box<dyn Any>)
        } else if id == std::any::TypeId::of::<i32>() {
            take_from(&I32, n).map(|v| Box::new(v) as Box<dyn Any>)
        } else if id == std::any::TypeId::of::<i64>() {
            take_from(&I64, n).map(|v| Box::new(v) as Box<dyn Any>)
        } else if id == std::any::TypeId::of::<u8>() {
            take_from(&U8, n).map(|v| Box::new(v) as Box<dyn Any>)
        } else {
            None
        }
    };
    match cached.map(|b| b.downcast::<Vec<U>>()) {
        Some(Ok(v)) => *v,
        _ => Vec::with_capacity(n),
    }
}

/// Takes a freed vector's memory into the cache (or hands it to the allocator when the cache
/// is full or the vector too small to be worth keeping).
pub fn give<U: 'static>(v: Vec<U>) {
    if v.capacity().saturating_mul(std::mem::size_of::<U>()) < MIN_BYTES {
        return; // the common case, on every small array's drop: no boxing, no lock
    }
    let v: Box<dyn Any> = Box::new(v);
    let v = match v.downcast::<Vec<f32>>() {
        Ok(v) => return give_to(&F32, *v),
        Err(v) => v,
    };
    let v = match v.downcast::<Vec<f64>>() {
        Ok(v) => return give_to(&F64, *v),
        Err(v) => v,
    };
    let v = match v.downcast::<Vec<i32>>() {
        Ok(v) => return give_to(&I32, *v),
        Err(v) => v,
    };
    let v = match v.downcast::<Vec<i64>>() {
        Ok(v) => return give_to(&I64, *v),
        Err(v) => v,
    };
    if let Ok(v) = v.downcast::<Vec<u8>>() {
        give_to(&U8, *v);
    }
}

/// Bytes held by the cache (for tests of its bound).
pub fn cached_bytes() -> usize {
    CACHED_BYTES.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_buffer_is_reused_and_the_cache_stays_bounded() {
        let n = MIN_BYTES; // f64: 8 MiB
        let b: Vec<f64> = Vec::with_capacity(n);
        let ptr = b.as_ptr();
        give(b);
        let again: Vec<f64> = take(n - 10);
        assert_eq!(again.as_ptr(), ptr);
        assert!(cached_bytes() <= MAX_BYTES);
        let small: Vec<f64> = take(10);
        assert!(small.capacity() < 1000);
    }

    #[test]
    fn a_full_cache_makes_room_for_new_sizes() {
        // u8 buffers are used by no other test: fill the list, then a new size still gets in.
        for _ in 0..MAX_BUFFERS {
            give(Vec::<u8>::with_capacity(MIN_BYTES));
        }
        let big = 3 * MIN_BYTES;
        let b: Vec<u8> = Vec::with_capacity(big);
        let ptr = b.as_ptr();
        give(b);
        let again: Vec<u8> = take(big);
        assert_eq!(again.as_ptr(), ptr);
        assert!(U8.lock().len() <= MAX_BUFFERS);
    }
}
