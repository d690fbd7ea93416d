//! `Storage`: the mutable cell behind user-facing arrays and gradient buffers.
//!
//! Note: in-place semantics. A storage holds an `Arc<Buffer>`; reading takes a snapshot (an
//! `Arc` clone) and writing goes through `Arc::make_mut`. A recorded op keeps the snapshots it
//! needs, so a later write copies the buffer instead of changing what the graph saw: gradients
//! stay right (copy-on-write), and views still see every write because they share the storage
//! itself, not the buffer.

use crate::dtype::{Buffer, Element};
use crate::error::{dtype_err, Error, Result};
use crate::shape::numel;
use crate::value::Value;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub struct Storage {
    cell: Mutex<Arc<Buffer>>,
    /// Bumped by every write, so an array can tell that its value changed since it became a
    /// recorded result (through itself or through any alias).
    version: AtomicU64,
}

impl Storage {
    pub fn new(buf: Arc<Buffer>) -> Arc<Storage> {
        Arc::new(Storage {
            cell: Mutex::new(buf),
            version: AtomicU64::new(0),
        })
    }

    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    fn bump(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    /// The current contents, shared.
    pub fn snapshot(&self) -> Arc<Buffer> {
        self.cell.lock().clone()
    }

    /// Mutates the contents, copying them first if a snapshot of them is alive.
    pub fn modify<R>(&self, f: impl FnOnce(&mut Buffer) -> R) -> R {
        let mut guard = self.cell.lock();
        self.bump();
        f(Arc::make_mut(&mut guard))
    }

    /// Stores `value` into the window (`offset`, `shape`): a pointer swap when the window is the
    /// whole storage, a copy otherwise. `value` must have `shape`'s size and the storage's dtype.
    pub fn write_region(&self, offset: usize, shape: &[usize], value: &Value) -> Result<()> {
        let n = numel(shape);
        if value.numel() != n {
            return Err(Error::Graph(format!(
                "internal error: writing {} elements into {}",
                value.numel(),
                n
            )));
        }
        let mut guard = self.cell.lock();
        if guard.dtype() != value.dtype() {
            return Err(dtype_err(
                "assign",
                format!(
                    "cannot store {} values into a {} array",
                    value.dtype(),
                    guard.dtype()
                ),
            ));
        }
        self.bump();
        // A whole-buffer write swaps pointers, except into memory shared with another library
        // (DLPack), which is written in place so the other side sees the write (when no
        // snapshot holds it; `make_mut` copies otherwise, as for any shared buffer).
        if offset == 0 && n == guard.len() && value.is_whole_buffer() && !guard.is_external() {
            let old = std::mem::replace(&mut *guard, value.buffer().clone());
            drop(guard);
            // Released outside the lock: the last reference to an imported (DLPack) buffer
            // hands its memory back to its owner, which may need Python's GIL.
            drop(old);
            return Ok(());
        }
        crate::with_dtype!(value.dtype(), T => {
            let src = value.data::<T>()?;
            let buf = Arc::make_mut(&mut guard);
            if let Some(dst) = T::slice_mut(buf) {
                dst[offset..offset + n].copy_from_slice(src);
            }
        });
        Ok(())
    }
}
