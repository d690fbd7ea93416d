//! Cutting long work short on request (Ctrl-C).
//!
//! Note: interruption. A signal handler (installed by the bindings) calls `request()`. Work runs
//! "armed" only inside a scope the bindings open on Python's main thread (`armed`), because
//! only that thread receives KeyboardInterrupt. Armed kernels test the request between chunks
//! (a relaxed load per chunk of `PAR_MIN_ELEMS` elements, never per element) and skip the
//! chunks left; the backward pass tests it between rules. Whatever an interrupted op returns is
//! garbage of the right shape (defaults, never uninitialised memory) and `aborted()` is set, so
//! the scope that armed the work discards the result: ops compute into fresh buffers, so
//! nothing the user owns has changed. Work that writes in place into existing buffers
//! (`elementwise::update`, stores into arrays and `.grad`) never tests the request: it runs to
//! the end, so an interrupt cannot leave a half-written array.
//!
//! Work on any other thread never sees the request (its `Stop` is unarmed), so a Ctrl-C cannot
//! make another thread's op fail or repeat.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the signal handler; cleared by the armed scope once it has handled it.
static REQUESTED: AtomicBool = AtomicBool::new(false);
/// Set when armed work skipped something because of a request: its result is not usable.
static ABORTED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

/// Asks armed work to stop. Async-signal-safe (one atomic store), so a signal handler may
/// call it.
pub fn request() {
    REQUESTED.store(true, Ordering::Relaxed);
}

/// Whether a request is pending (whether or not any work saw it).
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Forgets a pending request (the armed scope calls this once it has handled it).
pub fn clear() {
    REQUESTED.store(false, Ordering::Relaxed);
}

/// Whether armed work was cut short since the last call; resets the mark.
pub fn take_aborted() -> bool {
    ABORTED.swap(false, Ordering::Relaxed)
}

/// Runs `f` with this thread's work armed (or disarmed, `on = false`): kernels it starts test
/// for requests. The previous state comes back on exit, also when `f` unwinds.
pub fn with_armed<R>(on: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ARMED.with(|a| a.set(self.0));
        }
    }
    let _restore = Restore(ARMED.with(|a| a.replace(on)));
    f()
}

/// Whether one piece of work should stop: taken once when a kernel starts (on the thread that
/// called it) and handed to its chunks, which may run on other threads.
#[derive(Clone, Copy, Debug)]
pub struct Stop(bool);

impl Stop {
    /// The calling thread's state: armed inside `with_armed(true, ..)`, else never stops.
    #[inline]
    pub fn current() -> Stop {
        Stop(ARMED.with(|a| a.get()))
    }

    /// A stop that never fires (for work that must run to the end).
    pub const NEVER: Stop = Stop(false);

    /// True when the work should stop now; marks the work aborted, so the result is
    /// discarded by whoever armed it.
    #[inline]
    pub fn now(self) -> bool {
        if self.0 && REQUESTED.load(Ordering::Relaxed) {
            ABORTED.store(true, Ordering::Relaxed);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_armed_work_stops_and_the_mark_is_taken_once() {
        // One test touches the process-wide flags, so tests running in parallel cannot race.
        assert!(!Stop::current().now(), "unarmed by default");
        request();
        assert!(!Stop::current().now(), "an unarmed thread ignores requests");
        assert!(!take_aborted());
        let fired = with_armed(true, || Stop::current().now());
        assert!(fired);
        assert!(!Stop::current().now(), "disarmed again after the scope");
        assert!(take_aborted());
        assert!(!take_aborted());
        clear();
        assert!(!with_armed(true, || Stop::current().now()));
        assert!(!take_aborted());
    }
}
