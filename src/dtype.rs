//! Element types and the typed buffer that holds an array's data.
//!
//! Floats (float32, the default as in MXNet, and float64) carry gradients; the integer types
//! exist for indices, labels and `astype`, and are never differentiated.

use num_traits::{Float, NumCast, ToPrimitive};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    F64,
    I32,
    I64,
    U8,
}

impl DType {
    /// The NumPy name, which is also what MXNet prints and accepts.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::U8 => "uint8",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "float32" | "f4" | "float" => DType::F32,
            "float64" | "f8" | "double" => DType::F64,
            "int32" | "i4" => DType::I32,
            "int64" | "i8" | "int" => DType::I64,
            "uint8" | "u1" => DType::U8,
            _ => return None,
        })
    }

    pub fn size_of(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F64 | DType::I64 => 8,
            DType::U8 => 1,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An array's elements, contiguous, row-major. Shared immutably through `Arc<Buffer>`.
#[derive(Clone, Debug, PartialEq)]
pub enum Buffer {
    F32(Vec<f32>),
    F64(Vec<f64>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
}

impl Drop for Buffer {
    fn drop(&mut self) {
        use crate::buffer_cache::give;
        match self {
            Buffer::F32(v) => give(std::mem::take(v)),
            Buffer::F64(v) => give(std::mem::take(v)),
            Buffer::I32(v) => give(std::mem::take(v)),
            Buffer::I64(v) => give(std::mem::take(v)),
            Buffer::U8(v) => give(std::mem::take(v)),
        }
    }
}

impl Buffer {
    pub fn dtype(&self) -> DType {
        match self {
            Buffer::F32(_) => DType::F32,
            Buffer::F64(_) => DType::F64,
            Buffer::I32(_) => DType::I32,
            Buffer::I64(_) => DType::I64,
            Buffer::U8(_) => DType::U8,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Buffer::F32(v) => v.len(),
            Buffer::F64(v) => v.len(),
            Buffer::I32(v) => v.len(),
            Buffer::I64(v) => v.len(),
            Buffer::U8(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What every element type offers: typed access to a `Buffer` and lossy numeric casts.
pub trait Element:
    Copy + Send + Sync + 'static + Default + PartialOrd + NumCast + ToPrimitive + fmt::Debug
{
    const DTYPE: DType;
    fn slice(buf: &Buffer) -> Option<&[Self]>;
    fn vec_mut(buf: &mut Buffer) -> Option<&mut Vec<Self>>;
    fn into_buffer(v: Vec<Self>) -> Buffer;
    /// Casts from f64 the way NumPy's `astype` does for in-range values (truncation for ints).
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
}

macro_rules! impl_element {
    ($t:ty, $variant:ident) => {
        impl Element for $t {
            const DTYPE: DType = DType::$variant;
            #[inline]
            fn slice(buf: &Buffer) -> Option<&[Self]> {
                match buf {
                    Buffer::$variant(v) => Some(v),
                    _ => None,
                }
            }
            #[inline]
            fn vec_mut(buf: &mut Buffer) -> Option<&mut Vec<Self>> {
                match buf {
                    Buffer::$variant(v) => Some(v),
                    _ => None,
                }
            }
            #[inline]
            fn into_buffer(v: Vec<Self>) -> Buffer {
                Buffer::$variant(v)
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    };
}
impl_element!(f32, F32);
impl_element!(f64, F64);
impl_element!(i32, I32);
impl_element!(i64, I64);
impl_element!(u8, U8);

/// The element types that carry gradients. The `v*` functions are what the elementwise
/// kernels call: vectorisable polynomials for f32 (`kernels::vmath`), the standard library for
/// f64.
pub trait Real:
    Element + Float + std::iter::Sum + std::ops::AddAssign + std::ops::MulAssign
{
    fn vexp(self) -> Self;
    fn vln(self) -> Self;
    fn vsin(self) -> Self;
    fn vcos(self) -> Self;
    fn vtanh(self) -> Self;
    fn vsigmoid(self) -> Self;
}

impl Real for f32 {
    #[inline(always)]
    fn vexp(self) -> f32 {
        crate::kernels::vmath::exp(self)
    }
    #[inline(always)]
    fn vln(self) -> f32 {
        crate::kernels::vmath::ln(self)
    }
    #[inline(always)]
    fn vsin(self) -> f32 {
        crate::kernels::vmath::sin(self)
    }
    #[inline(always)]
    fn vcos(self) -> f32 {
        crate::kernels::vmath::cos(self)
    }
    #[inline(always)]
    fn vtanh(self) -> f32 {
        crate::kernels::vmath::tanh(self)
    }
    #[inline(always)]
    fn vsigmoid(self) -> f32 {
        crate::kernels::vmath::sigmoid(self)
    }
}

impl Real for f64 {
    #[inline(always)]
    fn vexp(self) -> f64 {
        self.exp()
    }
    #[inline(always)]
    fn vln(self) -> f64 {
        self.ln()
    }
    #[inline(always)]
    fn vsin(self) -> f64 {
        self.sin()
    }
    #[inline(always)]
    fn vcos(self) -> f64 {
        self.cos()
    }
    #[inline(always)]
    fn vtanh(self) -> f64 {
        self.tanh()
    }
    #[inline(always)]
    fn vsigmoid(self) -> f64 {
        if self >= 0.0 {
            1.0 / (1.0 + (-self).exp())
        } else {
            let e = self.exp();
            e / (1.0 + e)
        }
    }
}

/// Runs `$body` with `$T` bound to the Rust type of any dtype.
#[macro_export]
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
            $crate::dtype::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::dtype::DType::U8 => {
                type $T = u8;
                $body
            }
        }
    };
}

/// Runs `$body` with `$T` bound to f32 or f64; any other dtype is a `DType` error naming `$op`.
#[macro_export]
macro_rules! with_real {
    ($op:expr, $dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
            other => {
                return Err($crate::error::dtype_err(
                    $op,
                    format!(
                        "needs a float32 or float64 array, got {}; convert with .astype('float32')",
                        other
                    ),
                ))
            }
        }
    };
}
