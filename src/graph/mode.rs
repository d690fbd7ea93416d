//! Recording and training flags: thread-local, as in MXNet.

use std::cell::Cell;

thread_local! {
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    static TRAINING: Cell<bool> = const { Cell::new(false) };
}

#[inline]
pub fn is_recording() -> bool {
    RECORDING.with(|c| c.get())
}

#[inline]
pub fn is_training() -> bool {
    TRAINING.with(|c| c.get())
}

/// Sets the flag and returns its previous value.
pub fn set_recording(on: bool) -> bool {
    RECORDING.with(|c| c.replace(on))
}

/// Sets the flag and returns its previous value.
pub fn set_training(on: bool) -> bool {
    TRAINING.with(|c| c.replace(on))
}

/// Sets both flags for a scope and restores them when dropped, errors included.
pub struct ModeGuard {
    recording: bool,
    training: bool,
}

impl ModeGuard {
    pub fn new(recording: bool, training: bool) -> ModeGuard {
        ModeGuard {
            recording: set_recording(recording),
            training: set_training(training),
        }
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        set_recording(self.recording);
        set_training(self.training);
    }
}
