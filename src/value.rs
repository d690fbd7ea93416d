//! `Value`: an immutable array value (a shared buffer, an offset into it and a shape). Cloning
//! one is cheap (an `Arc` bump). It knows nothing of the graph: a `graph::Tensor` is a value
//! plus its place on the tape, and `storage::Storage` is the mutable cell arrays write through.

use crate::dtype::{Buffer, DType, Element};
use crate::error::{dtype_err, Result};
use crate::shape::{numel, Shape};
use std::sync::Arc;

pub struct Value {
    data: Arc<Buffer>,
    offset: usize,
    shape: Shape,
    /// Every element equals the first (fills, and broadcasts of one value): lets a multiply by
    /// ones skip its pass, which is what the gradient of a sum feeds the ops below it.
    uniform: bool,
}

// By hand: SmallVec's own clone goes element by element through an iterator; a shape is plain
// integers, copied at once. Values are cloned on every recorded op.
impl Clone for Value {
    fn clone(&self) -> Value {
        Value {
            data: self.data.clone(),
            offset: self.offset,
            shape: Shape::from_slice(&self.shape),
            uniform: self.uniform,
        }
    }
}

impl Value {
    /// A value owning `data`; `data.len()` must equal the product of `shape`.
    pub fn from_vec<T: Element>(data: Vec<T>, shape: Shape) -> Value {
        debug_assert_eq!(data.len(), numel(&shape));
        Value {
            data: Arc::new(T::into_buffer(data)),
            offset: 0,
            shape,
            uniform: false,
        }
    }

    /// A window of `numel(shape)` elements of a shared buffer, starting at `offset`.
    pub fn from_shared(data: Arc<Buffer>, offset: usize, shape: Shape) -> Value {
        debug_assert!(offset + numel(&shape) <= data.len());
        Value {
            data,
            offset,
            shape,
            uniform: false,
        }
    }

    pub fn full<T: Element>(shape: Shape, value: T) -> Value {
        let n = numel(&shape);
        // SAFETY: `write_each` writes every element of each chunk.
        let data = unsafe {
            crate::kernels::build_vec(n, |_, chunk| crate::kernels::write_each(chunk, |_| value))
        };
        Value {
            uniform: true,
            ..Value::from_vec(data, shape)
        }
    }

    /// `value` converted to `dtype`, broadcast over `shape`.
    pub fn filled(shape: Shape, dtype: DType, value: f64) -> Value {
        crate::with_dtype!(dtype, T => Value::full::<T>(shape, T::from_f64(value)))
    }

    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn shape_vec(&self) -> Shape {
        Shape::from_slice(&self.shape)
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    pub fn numel(&self) -> usize {
        numel(&self.shape)
    }

    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.data
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Whether this value owns its whole buffer (so it can be handed over without a copy).
    pub fn is_whole_buffer(&self) -> bool {
        self.offset == 0 && self.numel() == self.data.len()
    }

    /// The elements, typed. Asking for the wrong type is a dtype error, never a reinterpretation.
    pub fn data<T: Element>(&self) -> Result<&[T]> {
        let n = self.numel();
        T::slice(&self.data)
            .map(|s| &s[self.offset..self.offset + n])
            .ok_or_else(|| {
                dtype_err(
                    "tensor",
                    format!("expected {} data, found {}", T::DTYPE, self.dtype()),
                )
            })
    }

    /// The elements for writing in place, when this value is the only holder of its whole
    /// buffer (nothing else can observe the change); the value stops counting as uniform.
    pub(crate) fn unique_data_mut<T: Element>(&mut self) -> Option<&mut [T]> {
        if !self.is_whole_buffer() {
            return None;
        }
        let data = T::slice_mut(Arc::get_mut(&mut self.data)?)?;
        self.uniform = false;
        Some(data)
    }

    /// The elements as f64, whatever the dtype (for printing, scalars and tests).
    pub fn to_f64_vec(&self) -> Vec<f64> {
        crate::with_dtype!(self.dtype(), T => match self.data::<T>() {
            Ok(s) => s.iter().map(|&v| v.to_f64()).collect(),
            Err(_) => Vec::new(),
        })
    }

    /// The value every element holds, when the value is known to be uniform.
    pub fn uniform_value<T: Element>(&self) -> Option<T> {
        if self.uniform {
            self.data::<T>().ok().and_then(|d| d.first().copied())
        } else {
            None
        }
    }

    /// The buffer, offset and shape, handed over without clones.
    pub(crate) fn into_parts(self) -> (Arc<Buffer>, usize, Shape) {
        (self.data, self.offset, self.shape)
    }

    /// Same data read with another shape of the same size (no copy).
    pub(crate) fn reshaped(&self, shape: Shape) -> Value {
        debug_assert_eq!(numel(&shape), self.numel());
        Value {
            data: self.data.clone(),
            offset: self.offset,
            shape,
            uniform: self.uniform,
        }
    }

    /// A contiguous sub-range of the flat data (no copy).
    pub(crate) fn window(&self, start: usize, shape: Shape) -> Value {
        Value {
            data: self.data.clone(),
            offset: self.offset + start,
            shape,
            uniform: self.uniform,
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Value({:?}, {}, {:?})",
            self.shape.as_slice(),
            self.dtype(),
            self.to_f64_vec()
        )
    }
}

/// Both operands must have one dtype: MXNet never mixes dtypes implicitly.
pub fn same_dtype(op: &'static str, a: &Value, b: &Value) -> Result<()> {
    if a.dtype() != b.dtype() {
        return Err(dtype_err(
            op,
            format!(
                "operands have different dtypes, {} and {}; convert one with .astype('{}')",
                a.dtype(),
                b.dtype(),
                a.dtype()
            ),
        ));
    }
    Ok(())
}
