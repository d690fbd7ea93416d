//! `Tensor`: an immutable array value (shared buffer, offset, shape) plus, when it takes part
//! in a recorded graph, the tape entry that produced it. Ops consume and produce tensors;
//! cloning one is cheap (an `Arc` bump). Mutation lives one level up, in `array::NDArray`.

use crate::dtype::{Buffer, DType, Element};
use crate::error::{dtype_err, Result};
use crate::shape::{numel, Shape};
use crate::tape::Entry;
use std::sync::Arc;

pub struct Tensor {
    data: Arc<Buffer>,
    offset: usize,
    shape: Shape,
    entry: Option<Entry>,
    /// Every element equals the first (fills, and broadcasts of one value): lets a multiply by
    /// ones skip its pass, which is what the gradient of a sum feeds the ops below it.
    uniform: bool,
}

// By hand: SmallVec's own clone goes element by element through an iterator; a shape is plain
// integers, copied at once. Tensors are cloned on every recorded op.
impl Clone for Tensor {
    fn clone(&self) -> Tensor {
        Tensor {
            data: self.data.clone(),
            offset: self.offset,
            shape: Shape::from_slice(&self.shape),
            entry: self.entry.clone(),
            uniform: self.uniform,
        }
    }
}

impl Tensor {
    /// A tensor owning `data`; `data.len()` must equal the product of `shape`.
    pub fn from_vec<T: Element>(data: Vec<T>, shape: Shape) -> Tensor {
        debug_assert_eq!(data.len(), numel(&shape));
        Tensor {
            data: Arc::new(T::into_buffer(data)),
            offset: 0,
            shape,
            entry: None,
            uniform: false,
        }
    }

    /// A window of `numel(shape)` elements of a shared buffer, starting at `offset`.
    pub fn from_shared(data: Arc<Buffer>, offset: usize, shape: Shape) -> Tensor {
        debug_assert!(offset + numel(&shape) <= data.len());
        Tensor {
            data,
            offset,
            shape,
            entry: None,
            uniform: false,
        }
    }

    pub fn full<T: Element>(shape: Shape, value: T) -> Tensor {
        let n = numel(&shape);
        let data =
            crate::kernels::build_vec(n, |_, chunk| crate::kernels::write_each(chunk, |_| value));
        Tensor {
            uniform: true,
            ..Tensor::from_vec(data, shape)
        }
    }

    /// `value` converted to `dtype`, broadcast over `shape`.
    pub fn filled(shape: Shape, dtype: DType, value: f64) -> Tensor {
        crate::with_dtype!(dtype, T => Tensor::full::<T>(shape, T::from_f64(value)))
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

    /// Whether this tensor owns its whole buffer (so it can be handed over without a copy).
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

    /// The elements for writing in place, when this tensor is the only holder of its whole
    /// buffer (nothing else can observe the change); the value stops counting as uniform.
    pub(crate) fn unique_data_mut<T: Element>(&mut self) -> Option<&mut [T]> {
        if !self.is_whole_buffer() {
            return None;
        }
        let data = T::vec_mut(Arc::get_mut(&mut self.data)?)?;
        self.uniform = false;
        Some(data.as_mut_slice())
    }

    /// The elements as f64, whatever the dtype (for printing, scalars and tests).
    pub fn to_f64_vec(&self) -> Vec<f64> {
        crate::with_dtype!(self.dtype(), T => match self.data::<T>() {
            Ok(s) => s.iter().map(|&v| v.to_f64()).collect(),
            Err(_) => Vec::new(),
        })
    }

    pub fn entry(&self) -> Option<&Entry> {
        self.entry.as_ref()
    }

    pub fn requires_grad(&self) -> bool {
        self.entry.is_some()
    }

    /// The same value, cut from the graph.
    pub fn detach(&self) -> Tensor {
        Tensor {
            data: self.data.clone(),
            offset: self.offset,
            shape: Shape::from_slice(&self.shape),
            entry: None,
            uniform: self.uniform,
        }
    }

    /// The value every element holds, when the tensor is known to be uniform.
    pub fn uniform_value<T: Element>(&self) -> Option<T> {
        if self.uniform {
            self.data::<T>().ok().and_then(|d| d.first().copied())
        } else {
            None
        }
    }

    /// The buffer, offset, shape and graph entry, handed over without clones.
    pub(crate) fn into_parts(self) -> (Arc<Buffer>, usize, Shape, Option<Entry>) {
        (self.data, self.offset, self.shape, self.entry)
    }

    pub(crate) fn set_entry(&mut self, entry: Option<Entry>) {
        self.entry = entry;
    }

    pub(crate) fn with_entry(mut self, entry: Option<Entry>) -> Tensor {
        self.entry = entry;
        self
    }

    /// Same data read with another shape of the same size (no copy, no graph).
    pub(crate) fn reshaped_value(&self, shape: Shape) -> Tensor {
        debug_assert_eq!(numel(&shape), self.numel());
        Tensor {
            data: self.data.clone(),
            offset: self.offset,
            shape,
            entry: None,
            uniform: self.uniform,
        }
    }

    /// A contiguous sub-range of the flat data (no copy, no graph).
    pub(crate) fn window_value(&self, start: usize, shape: Shape) -> Tensor {
        Tensor {
            data: self.data.clone(),
            offset: self.offset + start,
            shape,
            entry: None,
            uniform: self.uniform,
        }
    }
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tensor({:?}, {}, {:?})",
            self.shape.as_slice(),
            self.dtype(),
            self.to_f64_vec()
        )
    }
}
