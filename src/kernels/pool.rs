//! The thread pool kernels run on, and how each call reaches it.
//!
//! Note: pool. ferrograd owns its pool (rayon's global pool can be neither resized nor rebuilt).
//! Every parallel loop goes through `exec()`, which picks one of three ways:
//! - `Serial`: one thread (`FERROGRAD_NUM_THREADS=1`, a one-CPU machine or container), or a
//!   child process after `fork()`, whose copy of the pool has no threads behind it. The
//!   calling thread runs every chunk itself: nothing waits on a worker that cannot come.
//! - `Here`: the caller is one of the pool's workers (normally Python's main thread: the pool
//!   is built at import with the importing thread as worker 0, so it computes its share of a
//!   large op instead of sleeping while others do). rayon's parallel iterators run in place.
//! - `Pool`: any other thread hands the loop to the pool (`install`). A pool always has at
//!   least one worker thread of its own besides the importing one (`Serial` covers a single
//!   thread), so a handed-over loop always finds a thread to run it, even while the importing
//!   thread is busy in Python code or has exited.
//!
//! Chunks are fixed-size whatever the way (`PAR_MIN_ELEMS`), so results do not depend on it.

use parking_lot::RwLock;
use rayon::prelude::*;
use rayon::ThreadPool;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

struct State {
    pool: Option<Arc<ThreadPool>>,
    threads: usize,
}

static STATE: RwLock<State> = RwLock::new(State {
    pool: None,
    threads: 1,
});
/// Set in a forked child (by the bindings' fork hook): the pool's threads did not survive.
static FORKED: AtomicBool = AtomicBool::new(false);
static INIT: Once = Once::new();

/// How a parallel loop runs on the calling thread (see Note: pool).
pub enum Exec {
    Serial,
    Here,
    Pool(Arc<ThreadPool>),
}

/// The pool size `FERROGRAD_NUM_THREADS` asks for: `Ok(None)` when unset, `Err(text)` when set
/// to anything but a positive integer (the bindings turn that into a warning).
pub fn threads_from_env() -> Result<Option<usize>, String> {
    match std::env::var("FERROGRAD_NUM_THREADS") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(format!("{:?}", v)),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(format!("'{}'", v)),
        },
    }
}

/// One thread per CPU this process may run on (affinity and cgroup limits included).
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Builds the pool once, `threads` wide (None: `default_threads()`), with the calling thread as
/// worker 0. Later calls do nothing; the kernels call it with None in case nobody did (the
/// Rust tests and benches), the bindings at import with the validated environment setting.
pub fn init(threads: Option<usize>) {
    INIT.call_once(|| {
        let n = threads.unwrap_or_else(default_threads).max(1);
        // A pool that cannot be built (no threads in this environment) leaves the kernels
        // serial, which is correct, only slower.
        let _ = replace(n);
    });
}

/// The pool's size: 1 when serial (one thread, or in a forked child).
pub fn num_threads() -> usize {
    init(None);
    if FORKED.load(Ordering::Relaxed) {
        return 1;
    }
    STATE.read().threads
}

/// Rebuilds the pool `n` threads wide (1: serial). The calling thread becomes worker 0 when
/// it is not already a worker of some pool (the importing thread is one for good: rayon keeps
/// its registration); otherwise all `n` workers are new threads and the caller waits for them.
pub fn set_num_threads(n: usize) -> Result<(), String> {
    if n == 0 {
        return Err("the number of threads must be >= 1".into());
    }
    init(None);
    if !FORKED.load(Ordering::Relaxed) && STATE.read().threads == n {
        return Ok(()); // rebuilding would only move the caller out of the pool
    }
    replace(n)
}

fn replace(n: usize) -> Result<(), String> {
    let pool = if n > 1 {
        let builder = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("ferrograd-{}", i));
        let builder = if rayon::current_thread_index().is_none() {
            builder.use_current_thread()
        } else {
            builder
        };
        Some(Arc::new(builder.build().map_err(|e| e.to_string())?))
    } else {
        None
    };
    // In a forked child the old pool's lock may be held by a thread that no longer exists:
    // give up rather than wait for ever.
    let mut state = STATE
        .try_write_for(std::time::Duration::from_secs(1))
        .ok_or_else(|| "the thread pool is busy or was left locked by a fork".to_string())?;
    let old = std::mem::replace(&mut state.pool, pool);
    state.threads = n;
    drop(state);
    if FORKED.swap(false, Ordering::Relaxed) {
        // Its threads are the parent's: dropping it would signal threads that are not there
        // (and could wait on locks they held). Leaked once per fork that rebuilds a pool.
        std::mem::forget(old);
    }
    Ok(())
}

/// Marks the process as a forked child: kernels run serially from now on, until
/// `set_num_threads` builds a new pool. Async-signal-safe (one atomic store): the bindings
/// call it from a `pthread_atfork` child handler.
pub fn after_fork_child() {
    FORKED.store(true, Ordering::Relaxed);
}

/// How a parallel loop starting on this thread runs (see Note: pool).
pub fn exec() -> Exec {
    if FORKED.load(Ordering::Relaxed) {
        return Exec::Serial;
    }
    init(None);
    let state = STATE.read();
    match &state.pool {
        None => Exec::Serial,
        Some(p) if p.current_thread_index().is_some() => Exec::Here,
        Some(p) => Exec::Pool(p.clone()),
    }
}

/// `f(i, piece)` for the consecutive `chunk`-sized pieces of `data` (the last may be shorter).
pub fn for_each_chunk_mut<T: Send>(
    data: &mut [T],
    chunk: usize,
    f: impl Fn(usize, &mut [T]) + Sync + Send,
) {
    let chunk = chunk.max(1);
    let f = &f;
    match exec() {
        Exec::Serial => data
            .chunks_mut(chunk)
            .enumerate()
            .for_each(|(i, c)| f(i, c)),
        Exec::Here => data
            .par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(i, c)| f(i, c)),
        Exec::Pool(p) => p.install(|| {
            data.par_chunks_mut(chunk)
                .enumerate()
                .for_each(|(i, c)| f(i, c))
        }),
    }
}

/// `f(piece)` for the consecutive `chunk`-sized pieces of `data`, results in order.
pub fn map_chunks<T: Sync, A: Send>(
    data: &[T],
    chunk: usize,
    f: impl Fn(&[T]) -> A + Sync + Send,
) -> Vec<A> {
    let chunk = chunk.max(1);
    let f = &f;
    match exec() {
        Exec::Serial => data.chunks(chunk).map(f).collect(),
        Exec::Here => data.par_chunks(chunk).map(f).collect(),
        Exec::Pool(p) => p.install(|| data.par_chunks(chunk).map(f).collect()),
    }
}

/// `f(i)` for `i` in `0..n`, each index once, in no particular order.
pub fn for_each_index(n: usize, f: impl Fn(usize) + Sync + Send) {
    let f = &f;
    match exec() {
        Exec::Serial => (0..n).for_each(f),
        Exec::Here => (0..n).into_par_iter().for_each(f),
        Exec::Pool(p) => p.install(|| (0..n).into_par_iter().for_each(f)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_visit_every_piece_once_from_any_thread() {
        let check = || {
            let mut v = vec![0u32; 100_003];
            for_each_chunk_mut(&mut v, 1000, |i, c| {
                c.iter_mut().for_each(|x| *x += i as u32)
            });
            assert!(v.iter().enumerate().all(|(j, &x)| x == (j / 1000) as u32));
            let sums = map_chunks(&v, 1000, |c| c.len());
            assert_eq!(sums.len(), 101);
            assert_eq!(sums.iter().sum::<usize>(), v.len());
            let hits: Vec<std::sync::atomic::AtomicU32> = (0..57)
                .map(|_| std::sync::atomic::AtomicU32::new(0))
                .collect();
            for_each_index(57, |i| {
                hits[i].fetch_add(1, Ordering::Relaxed);
            });
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
        };
        check();
        std::thread::scope(|s| {
            s.spawn(check);
        });
    }
}
