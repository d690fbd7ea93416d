//! A small cache of large freed buffers. A fresh multi-megabyte allocation is mapped page by
//! page on first write, and those page faults cost more than the arithmetic of a fast kernel
//! (a 1e7-element sin spends most of its time faulting in a new 40 MB output). Buffers of at
//! least `MIN_BYTES` go back here when dropped and are handed out again for requests that fit.
//!
//! Bounded: at most `MAX_BUFFERS` buffers per dtype and `MAX_BYTES` in all, oldest evicted
//! first; a request takes the smallest cached buffer that holds it, and only if that wastes at
//! most half of it.

use crate::dtype::Buffer;
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

/// Returns a dropped buffer's memory to the cache (or to the allocator when it is full).
pub fn give(buf: &mut Buffer) {
    match buf {
        Buffer::F32(v) => give_to(&F32, std::mem::take(v)),
        Buffer::F64(v) => give_to(&F64, std::mem::take(v)),
        Buffer::I32(v) => give_to(&I32, std::mem::take(v)),
        Buffer::I64(v) => give_to(&I64, std::mem::take(v)),
        Buffer::U8(v) => give_to(&U8, std::mem::take(v)),
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
        let mut b = Buffer::F64(Vec::with_capacity(n));
        let ptr = match &b {
            Buffer::F64(v) => v.as_ptr(),
            _ => unreachable!(),
        };
        give(&mut b);
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
            give(&mut Buffer::U8(Vec::with_capacity(MIN_BYTES)));
        }
        let big = 3 * MIN_BYTES;
        let mut b = Buffer::U8(Vec::with_capacity(big));
        let ptr = match &b {
            Buffer::U8(v) => v.as_ptr(),
            _ => unreachable!(),
        };
        give(&mut b);
        let again: Vec<u8> = take(big);
        assert_eq!(again.as_ptr(), ptr);
        assert!(U8.lock().len() <= MAX_BUFFERS);
    }
}
