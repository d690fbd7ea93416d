//! `NDArray`: the mutable, user-facing array. It is a window (offset, shape) onto a shared
//! `Storage`, so `x[i]`, `x[a:b]` and `reshape` can share memory with their source.
//!
//! Note: in-place semantics. A storage holds an `Arc<Buffer>`; reading an array takes a
//! snapshot (an `Arc` clone) and writing goes through `Arc::make_mut`. A recorded op keeps the
//! snapshots it needs, so a later write copies the buffer instead of changing what the graph
//! saw: gradients stay right (copy-on-write), and views still see every write because they
//! share the storage itself, not the buffer. Inside `record()`, writing to an array that is part
//! of the graph is an error, as in MXNet.

use crate::autograd::{self, GradReq, GradSlot};
use crate::dtype::{Buffer, DType, Element};
use crate::error::{invalid, Error, Result};
use crate::shape::{numel, Shape};
use crate::tape::Entry;
use crate::tensor::Tensor;
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
    pub fn write_region(&self, offset: usize, shape: &[usize], value: &Tensor) -> Result<()> {
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
            return Err(crate::error::dtype_err(
                "assign",
                format!(
                    "cannot store {} values into a {} array",
                    value.dtype(),
                    guard.dtype()
                ),
            ));
        }
        self.bump();
        if offset == 0 && n == guard.len() && value.is_whole_buffer() {
            *guard = value.buffer().clone();
            return Ok(());
        }
        crate::with_dtype!(value.dtype(), T => {
            let src = value.data::<T>()?;
            let buf = Arc::make_mut(&mut guard);
            if let Some(dst) = T::vec_mut(buf) {
                dst[offset..offset + n].copy_from_slice(src);
            }
        });
        Ok(())
    }
}

pub struct NDArray {
    storage: Arc<Storage>,
    offset: usize,
    shape: Shape,
    dtype: DType,
    entry: Option<Entry>,
    /// The storage version when `entry` was set: a later write cuts a recorded result from
    /// the graph (Note: in-place semantics).
    entry_version: u64,
    grad: Option<Arc<GradSlot>>,
}

impl NDArray {
    /// A new array holding the tensor's value (and its place in the graph, if any).
    pub fn from_tensor(t: Tensor) -> NDArray {
        let dtype = t.dtype();
        let (data, offset, shape, entry) = t.into_parts();
        NDArray {
            storage: Storage::new(data),
            offset,
            shape,
            dtype,
            entry,
            entry_version: 0,
            grad: None,
        }
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    pub fn numel(&self) -> usize {
        numel(&self.shape)
    }

    pub fn storage(&self) -> &Arc<Storage> {
        &self.storage
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The current value as a tensor linked into the graph (what ops consume).
    pub fn tensor(&self) -> Tensor {
        self.value().with_entry(self.entry().cloned())
    }

    /// The current value, cut from the graph.
    pub fn value(&self) -> Tensor {
        Tensor::from_shared(
            self.storage.snapshot(),
            self.offset,
            Shape::from_slice(&self.shape),
        )
    }

    /// The array's place in the graph. A recorded result whose storage was written since (here
    /// or through an alias) has none: its value is no longer what the graph computed.
    /// Variables keep theirs (the SGD update `w[:] = w - lr * w.grad`).
    pub fn entry(&self) -> Option<&Entry> {
        match &self.entry {
            Some(_) if self.grad.is_none() && self.storage.version() != self.entry_version => None,
            e => e.as_ref(),
        }
    }

    /// A window onto the same storage: writes through either are visible in both.
    pub fn view(&self, start: usize, shape: Shape, entry: Option<Entry>) -> NDArray {
        NDArray {
            storage: self.storage.clone(),
            offset: self.offset + start,
            shape,
            dtype: self.dtype,
            entry,
            entry_version: self.storage.version(),
            grad: None,
        }
    }

    /// Makes this array a variable with a fresh zero gradient (MXNet: calling it again resets
    /// the gradient; inside record() it turns an intermediate result into a new leaf).
    pub fn attach_grad(&mut self, req: GradReq) -> Result<()> {
        if !self.dtype.is_float() {
            return Err(crate::error::dtype_err(
                "attach_grad",
                format!(
                    "gradients need a float32 or float64 array, this one is {}",
                    self.dtype
                ),
            ));
        }
        let slot = Arc::new(GradSlot::new_zeros(self.shape.clone(), self.dtype, req));
        self.set_variable(slot)
    }

    /// Makes this array a variable whose gradient lands in `grad` (autograd.mark_variables).
    pub fn mark_variable(&mut self, grad: &NDArray, req: GradReq) -> Result<()> {
        if grad.shape != self.shape || grad.dtype != self.dtype {
            return Err(crate::error::shape_err(
                "mark_variables",
                format!(
                    "gradient buffer of shape {} ({}) does not match the variable's shape {} ({})",
                    crate::shape::fmt_tuple(&grad.shape),
                    grad.dtype,
                    crate::shape::fmt_tuple(&self.shape),
                    self.dtype
                ),
            ));
        }
        let slot = Arc::new(GradSlot {
            storage: grad.storage.clone(),
            offset: grad.offset,
            shape: grad.shape.clone(),
            dtype: grad.dtype,
            req,
        });
        self.set_variable(slot)
    }

    fn set_variable(&mut self, slot: Arc<GradSlot>) -> Result<()> {
        self.entry = Some(autograd::mark_variable(slot.clone())?);
        self.entry_version = self.storage.version();
        self.grad = Some(slot);
        Ok(())
    }

    /// The gradient buffer, shared: backward updates it in place.
    pub fn grad(&self) -> Option<NDArray> {
        self.grad.as_ref().map(|s| NDArray {
            storage: s.storage.clone(),
            offset: s.offset,
            shape: s.shape.clone(),
            dtype: s.dtype,
            entry: None,
            entry_version: 0,
            grad: None,
        })
    }

    pub fn grad_req(&self) -> Option<GradReq> {
        self.grad.as_ref().map(|s| s.req)
    }

    /// Cuts the array from the graph (MXNet's detach returns a new array; this is the in-place
    /// part of it).
    pub fn detached(&self) -> NDArray {
        NDArray {
            storage: self.storage.clone(),
            offset: self.offset,
            shape: self.shape.clone(),
            dtype: self.dtype,
            entry: None,
            entry_version: 0,
            grad: None,
        }
    }

    /// Checks that an in-place write is allowed now. Inside record(), an array in the graph
    /// (a variable or a recorded result) cannot be overwritten: the write would not be part of
    /// the graph and the gradient would silently be wrong (MXNet raises here too).
    pub fn check_writable(&self, op: &'static str) -> Result<()> {
        if autograd::is_recording() && self.entry().is_some() {
            return Err(invalid(
                op,
                "cannot assign to an array that is part of a recorded graph inside \
                 autograd.record(); compute a new array instead (y = y + 1 rather than y += 1), \
                 or do the assignment outside the record() block",
            ));
        }
        Ok(())
    }

    /// Writes `value` (already of this array's shape and dtype) into the window. A recorded
    /// result overwritten outside record() thereby leaves the graph (see `entry`).
    pub fn assign(&mut self, value: &Tensor) -> Result<()> {
        self.check_writable("assign")?;
        self.storage.write_region(self.offset, &self.shape, value)
    }

    /// Mutates the storage in place (a strided scatter, an in-place operator). Same rules as
    /// `assign`.
    pub fn modify(&mut self, f: impl FnOnce(&mut Buffer) -> Result<()>) -> Result<()> {
        self.check_writable("assign")?;
        self.storage.modify(f)
    }

    /// Replaces the graph link after a recorded in-place op (slice assignment inside record()).
    pub fn set_entry(&mut self, entry: Option<Entry>) {
        self.entry = entry;
        self.entry_version = self.storage.version();
    }
}
