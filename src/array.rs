//! `NDArray`: the mutable, user-facing array. It is a window (offset, shape) onto a shared
//! `Storage`, so `x[i]`, `x[a:b]` and `reshape` can share memory with their source (Note:
//! in-place semantics, in `storage`). Inside `record()`, writing to an array that is part of
//! the graph is an error, as in MXNet.

use crate::dtype::{Buffer, DType};
use crate::error::{invalid, Result};
use crate::graph::mode::is_recording;
use crate::graph::variable::{GradReq, GradSlot};
use crate::graph::{mark_variable, Entry, Tensor};
use crate::shape::{numel, Shape};
use crate::storage::Storage;
use crate::value::Value;
use std::sync::Arc;

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
        let (value, entry) = t.into_parts();
        let (data, offset, shape) = value.into_parts();
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
        Tensor::from(self.value()).with_entry(self.entry().cloned())
    }

    /// The current value as a constant: cut from the graph.
    pub fn constant(&self) -> Tensor {
        Tensor::from(self.value())
    }

    /// The current value, cut from the graph.
    pub fn value(&self) -> Value {
        Value::from_shared(
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
                    "gradients need a float16, float32 or float64 array, this one is {}",
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
        let slot = Arc::new(GradSlot::new(
            grad.storage.clone(),
            grad.offset,
            grad.shape.clone(),
            grad.dtype,
            req,
        ));
        self.set_variable(slot)
    }

    fn set_variable(&mut self, slot: Arc<GradSlot>) -> Result<()> {
        self.entry = Some(mark_variable(slot.clone()));
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

    /// Whether a backward wrote the gradient since the flag was last cleared (false for an
    /// array without one).
    pub fn fresh_grad(&self) -> bool {
        self.grad.as_ref().is_some_and(|s| s.is_fresh())
    }

    pub fn set_fresh_grad(&self, fresh: bool) {
        if let Some(s) = &self.grad {
            s.set_fresh(fresh);
        }
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
        if is_recording() && self.entry().is_some() {
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
    pub fn assign(&mut self, value: &Value) -> Result<()> {
        self.check_writable("assign")?;
        self.storage.write_region(self.offset, &self.shape, value)
    }

    /// Mutates the storage in place (a strided scatter, an in-place operator). Same rules as
    /// `assign`.
    pub fn modify(&mut self, f: impl FnOnce(&mut Buffer) -> Result<()>) -> Result<()> {
        self.check_writable("assign")?;
        self.storage.modify(f)
    }

    /// Makes the buffer this array's storage's alone: copied if a recorded graph (or an
    /// export) shares it, or if it is a read-only producer's memory. For memory handed out to
    /// be written (DLPack's `to_dlpack_for_write`). Same rules as `assign`.
    /// Returns the buffer's address, taken from the write access.
    pub fn make_own_buffer(&mut self) -> Result<*mut u8> {
        let mut base = std::ptr::null_mut();
        self.modify(|buf| {
            crate::with_dtype!(buf.dtype(), T => {
                if let Some(s) = <T as crate::dtype::Element>::slice_mut(buf) {
                    base = s.as_mut_ptr().cast::<u8>();
                }
            });
            Ok(())
        })?;
        Ok(base)
    }

    /// Replaces the graph link after a recorded in-place op (slice assignment inside record()).
    pub fn set_entry(&mut self, entry: Option<Entry>) {
        self.entry = entry;
        self.entry_version = self.storage.version();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backward::{backward, Options};
    use crate::graph::mode::ModeGuard;
    use smallvec::smallvec;

    #[test]
    fn writes_after_recording_do_not_change_the_gradient() {
        // y = x * w; then w is overwritten before backward: dy/dx must be the old w.
        let mut x = NDArray::from_tensor(Tensor::from_vec(vec![1.0, 2.0], smallvec![2]));
        x.attach_grad(GradReq::Write).unwrap();
        let mut w = NDArray::from_tensor(Tensor::from_vec(vec![3.0, 4.0], smallvec![2]));
        let y = {
            let _g = ModeGuard::new(true, true);
            crate::ops::mul(&x.tensor(), &w.tensor()).unwrap()
        };
        w.assign(&Value::from_vec(vec![0.0, 0.0], smallvec![2]))
            .unwrap();
        let options = Options {
            train_mode: true,
            ..Options::default()
        };
        backward(&[y], &[None], options).unwrap();
        let grad = x.grad().unwrap().value().to_f64_vec();
        assert_eq!(grad, vec![3.0, 4.0]);
        assert_eq!(w.value().to_f64_vec(), vec![0.0, 0.0]);
    }
}
