//! The process around the engine: Ctrl-C during long work, `fork()`, the thread count.
//!
//! Ctrl-C (see Note: interruption in `kernels::interrupt`): Python's own SIGINT handler only
//! marks the signal; Python raises KeyboardInterrupt once the main thread runs bytecode again,
//! which a long kernel delays to its end. ferrograd puts a handler of its own in front of
//! Python's: it asks armed work to stop, then calls Python's handler as before. Long work on
//! Python's main thread runs armed (`interruptible`); when it was cut short, the result is
//! dropped and `PyErr_CheckSignals` runs Python's handler, which raises KeyboardInterrupt
//! (or whatever a user's handler raises). A user's handler that returns normally gets the work
//! done again from the start, as if the signal had come after it. Something (IPython runs each
//! cell under its own `signal.signal(SIGINT, ...)`) may put Python's handler back in front:
//! each interruptible call checks, with one `sigaction` query, and steps in front again.
//!
//! fork(): a `pthread_atfork` child handler marks the thread pool as gone (kernels run serially
//! until `set_num_threads` builds a new one; Note: pool), reseeds the random generator from the
//! parent's seed and the fork's number (`random::after_fork_child`), and makes the forking
//! thread the main thread, as Python does.

use crate::error::Result as EResult;
use crate::kernels::{interrupt, pool};
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// Python's main thread (`pthread_self()` there); 0 before `init`.
static MAIN_THREAD: AtomicUsize = AtomicUsize::new(0);

/// Ops on fewer elements than this finish in well under 10 ms: they run unarmed, which spares
/// them the `sigaction` query. Larger ones (a 1000^2 product, a 1e6-element chain) and every
/// backward pass on the main thread can be interrupted.
pub const INTERRUPTIBLE_ELEMS: usize = 1 << 20;

#[cfg(unix)]
fn current_thread() -> usize {
    // SAFETY: pthread_self has no preconditions.
    (unsafe { libc::pthread_self() }) as usize
}

#[cfg(not(unix))]
fn current_thread() -> usize {
    usize::MAX // never the main thread: nothing is interruptible there
}

/// Whether the caller is Python's main thread (the one that receives KeyboardInterrupt).
pub fn is_main_thread() -> bool {
    current_thread() == MAIN_THREAD.load(Ordering::Relaxed)
}

/// Runs `f` (long work, GIL released) armed when on Python's main thread: a Ctrl-C cuts it
/// short and raises KeyboardInterrupt (see the module note); elsewhere it just runs.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    f: impl Fn() -> EResult<T> + Sync + Send,
) -> PyResult<T> {
    if !is_main_thread() {
        return Ok(py.detach(&f)?);
    }
    sigint::arm();
    if interrupt::requested() {
        // A Ctrl-C came between ops (or was seen by Python already): raise it now rather
        // than after this op.
        interrupt::clear();
        py.check_signals()?;
    }
    loop {
        let result = py.detach(|| interrupt::with_armed(true, &f));
        if !interrupt::take_aborted() {
            return Ok(result?);
        }
        drop(result);
        interrupt::clear();
        py.check_signals()?;
        // Python's handler returned normally (a user's handler that does not raise): the work
        // was cut short for nothing, so it runs again, whole.
    }
}

/// At import: the main thread, the SIGINT handler, the fork hooks, the pool.
pub fn init(py: Python<'_>, threads: Option<usize>) -> PyResult<()> {
    let ident: usize = py
        .import("threading")?
        .call_method0("main_thread")?
        .getattr("ident")?
        .extract()?;
    MAIN_THREAD.store(ident, Ordering::Relaxed);
    static HOOKS: Once = Once::new();
    HOOKS.call_once(|| {
        #[cfg(unix)]
        // SAFETY: the handlers are plain functions that only store atomics, which is what a
        // fork handler may do (the child has one thread and may hold half-taken locks).
        unsafe {
            libc::pthread_atfork(Some(before_fork), None, Some(after_fork_child));
        }
    });
    pool::init(threads);
    sigint::arm();
    Ok(())
}

#[cfg(unix)]
extern "C" fn before_fork() {
    crate::random::before_fork();
}

#[cfg(unix)]
extern "C" fn after_fork_child() {
    pool::after_fork_child();
    crate::random::after_fork_child();
    MAIN_THREAD.store(current_thread(), Ordering::Relaxed);
}

#[cfg(unix)]
mod sigint {
    use crate::kernels::interrupt;
    use std::cell::Cell;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// The handler ours was put in front of (an `sa_sigaction` value), and whether it takes
    /// the three-argument form.
    static PREVIOUS: AtomicUsize = AtomicUsize::new(libc::SIG_DFL);
    static PREVIOUS_SIGINFO: AtomicBool = AtomicBool::new(false);

    thread_local! {
        /// Inside our handler on this thread: a handler that itself calls ours (someone who
        /// chained to us and was then chained by us) must not recurse for ever.
        static ACTIVE: Cell<bool> = const { Cell::new(false) };
    }

    extern "C" fn on_sigint(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        interrupt::request();
        if ACTIVE.with(|a| a.replace(true)) {
            return;
        }
        let previous = PREVIOUS.load(Ordering::Relaxed);
        if previous != libc::SIG_DFL && previous != libc::SIG_IGN {
            if PREVIOUS_SIGINFO.load(Ordering::Relaxed) {
                // SAFETY: `previous` was read from sigaction with SA_SIGINFO set: it is a
                // handler of this three-argument type, called as the kernel would call it.
                let f = unsafe {
                    std::mem::transmute::<
                        usize,
                        extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void),
                    >(previous)
                };
                f(sig, info, ctx);
            } else {
                // SAFETY: `previous` was read from sigaction without SA_SIGINFO: a handler of
                // the one-argument type (Python's), called as the kernel would call it.
                let f =
                    unsafe { std::mem::transmute::<usize, extern "C" fn(libc::c_int)>(previous) };
                f(sig);
            }
        }
        ACTIVE.with(|a| a.set(false));
    }

    /// Puts `on_sigint` in front of the current SIGINT handler, unless it is already there or
    /// SIGINT is ignored or left to its default (then Ctrl-C is not Python's to handle).
    pub fn arm() {
        // SAFETY: an all-zero sigaction is a valid value to be overwritten by the query.
        let mut current: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: a query (null new action) into a valid sigaction.
        if unsafe { libc::sigaction(libc::SIGINT, std::ptr::null(), &mut current) } != 0 {
            return;
        }
        let handler = current.sa_sigaction;
        let ours = on_sigint as extern "C" fn(_, _, _) as usize;
        if handler == ours || handler == libc::SIG_DFL || handler == libc::SIG_IGN {
            return;
        }
        // Ours is not installed while these are stored, so no handler reads them half-set.
        PREVIOUS_SIGINFO.store(current.sa_flags & libc::SA_SIGINFO != 0, Ordering::Relaxed);
        PREVIOUS.store(handler, Ordering::Relaxed);
        let mut action = current;
        action.sa_sigaction = ours;
        action.sa_flags |= libc::SA_SIGINFO;
        // SAFETY: installs a valid action: `on_sigint` has the SA_SIGINFO signature and only
        // stores an atomic and calls the previous handler.
        unsafe { libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) };
    }
}

#[cfg(not(unix))]
mod sigint {
    pub fn arm() {}
}

/// The number of threads kernels use (1: serial, also in a forked child).
#[pyfunction]
pub fn get_num_threads() -> usize {
    pool::num_threads()
}

/// Sets the number of threads kernels use (1: each op on the thread that calls it).
#[pyfunction]
pub fn set_num_threads(n: i64) -> PyResult<()> {
    let n = usize::try_from(n).ok().filter(|&n| n >= 1).ok_or_else(|| {
        crate::error::invalid(
            "set_num_threads",
            format!("the number of threads must be an integer >= 1, got {}", n),
        )
    })?;
    pool::set_num_threads(n).map_err(|e| crate::error::invalid("set_num_threads", e).into())
}
