//! Variables' gradient destinations: what `attach_grad` and `mark_variables` set up.

use crate::dtype::DType;
use crate::error::{invalid, Result};
use crate::shape::Shape;
use crate::storage::Storage;
use crate::value::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradReq {
    Write,
    Add,
    Null,
}

impl GradReq {
    pub fn parse(s: &str) -> Result<GradReq> {
        match s {
            "write" => Ok(GradReq::Write),
            "add" => Ok(GradReq::Add),
            "null" => Ok(GradReq::Null),
            other => Err(invalid(
                "attach_grad",
                format!("grad_req must be 'write', 'add' or 'null', got '{}'", other),
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GradReq::Write => "write",
            GradReq::Add => "add",
            GradReq::Null => "null",
        }
    }
}

/// Where a variable's gradient goes: a region of a storage (the array users see as `.grad`),
/// updated in place so every alias of `.grad` sees the new values.
pub struct GradSlot {
    pub storage: Arc<Storage>,
    pub offset: usize,
    pub shape: Shape,
    pub dtype: DType,
    pub req: GradReq,
    /// Set by each `backward` that writes this gradient, cleared by the user (MXNet's
    /// `NDArray._fresh_grad`, which gluon's Trainer reads to find stale gradients).
    fresh: AtomicBool,
}

impl GradSlot {
    pub fn new(
        storage: Arc<Storage>,
        offset: usize,
        shape: Shape,
        dtype: DType,
        req: GradReq,
    ) -> GradSlot {
        GradSlot {
            storage,
            offset,
            shape,
            dtype,
            req,
            fresh: AtomicBool::new(false),
        }
    }

    pub fn new_zeros(shape: Shape, dtype: DType, req: GradReq) -> GradSlot {
        let zeros = Value::filled(shape.clone(), dtype, 0.0);
        GradSlot::new(Storage::new(zeros.buffer().clone()), 0, shape, dtype, req)
    }

    pub fn is_fresh(&self) -> bool {
        self.fresh.load(Ordering::Relaxed)
    }

    pub fn set_fresh(&self, fresh: bool) {
        self.fresh.store(fresh, Ordering::Relaxed);
    }

    /// The gradient's current value.
    pub fn current(&self) -> Value {
        Value::from_shared(self.storage.snapshot(), self.offset, self.shape.clone())
    }
}
