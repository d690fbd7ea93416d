//! Element types and the typed buffer that holds an array's data.
//!
//! Floats (float32, the default as in MXNet, float64 and float16) carry gradients; the integer
//! types exist for indices, labels and `astype`, and are never differentiated.
//!
//! Note: float16. A float16 element is `half::f16`, and it computes as MXNet's `half_t` does:
//! each operation converts its operands to f32, computes, and rounds the result to half, so
//! every float kernel works on it unchanged and rounds after each op. Sums (and so means,
//! norms and matrix products) are the exception: MXNet accumulates them in f32 and rounds
//! once, and so does ferrograd (`ops::broadcast::sum`, `ops::linalg`).

pub use half::f16;
use num_traits::{Float, NumCast, ToPrimitive};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    F64,
    F16,
    I32,
    I64,
    U8,
    I8,
}

impl DType {
    /// The NumPy name, which is also what MXNet prints and accepts.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::F16 => "float16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::U8 => "uint8",
            DType::I8 => "int8",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        Some(match name {
            "float32" | "f4" | "float" => DType::F32,
            "float64" | "f8" | "double" => DType::F64,
            "int32" | "i4" => DType::I32,
            "int64" | "i8" | "int" => DType::I64,
            "uint8" | "u1" => DType::U8,
            "float16" | "f2" | "half" => DType::F16,
            "int8" | "i1" => DType::I8,
            _ => return None,
        })
    }

    pub fn size_of(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F64 | DType::I64 => 8,
            DType::F16 => 2,
            DType::U8 | DType::I8 => 1,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64 | DType::F16)
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An array's elements, contiguous, row-major. Shared immutably through `Arc<Buffer>`.
pub enum Buffer {
    F32(Vec<f32>),
    F64(Vec<f64>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    F16(Vec<f16>),
    I8(Vec<i8>),
    /// Memory owned by someone else (an array imported through DLPack), shared without a copy.
    External(ExternalData),
}

/// Elements in memory the engine does not own: `len` elements of `dtype` at `ptr`, kept alive
/// by `owner` (dropping it releases them). Read like a vector; written in place only when
/// `writable` (a read-only one becomes an owned copy first, see `Element::slice_mut`).
pub struct ExternalData {
    pub dtype: DType,
    pub ptr: *mut u8,
    pub len: usize,
    pub writable: bool,
    pub owner: Box<dyn Send + Sync>,
}

// SAFETY: the memory behind `ptr` belongs to `owner`, which is Send + Sync, and is accessed
// with the same discipline as a Vec's: shared reads through `&Buffer`, writes only through
// `&mut Buffer` (so never while another reference reads it).
unsafe impl Send for ExternalData {}
// SAFETY: as for Send.
unsafe impl Sync for ExternalData {}

impl Clone for Buffer {
    /// A copy the engine owns (so `Arc::make_mut` on a shared or read-only external buffer
    /// gives memory that may be written: copy-on-write).
    fn clone(&self) -> Buffer {
        match self {
            Buffer::F32(v) => Buffer::F32(v.clone()),
            Buffer::F64(v) => Buffer::F64(v.clone()),
            Buffer::I32(v) => Buffer::I32(v.clone()),
            Buffer::I64(v) => Buffer::I64(v.clone()),
            Buffer::U8(v) => Buffer::U8(v.clone()),
            Buffer::F16(v) => Buffer::F16(v.clone()),
            Buffer::I8(v) => Buffer::I8(v.clone()),
            Buffer::External(e) => match e.dtype {
                DType::F32 => Buffer::F32(external_slice::<f32>(e).to_vec()),
                DType::F64 => Buffer::F64(external_slice::<f64>(e).to_vec()),
                DType::I32 => Buffer::I32(external_slice::<i32>(e).to_vec()),
                DType::I64 => Buffer::I64(external_slice::<i64>(e).to_vec()),
                DType::U8 => Buffer::U8(external_slice::<u8>(e).to_vec()),
                DType::F16 => Buffer::F16(external_slice::<f16>(e).to_vec()),
                DType::I8 => Buffer::I8(external_slice::<i8>(e).to_vec()),
            },
        }
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer({}, {} elements", self.dtype(), self.len())?;
        if matches!(self, Buffer::External(_)) {
            f.write_str(", external")?;
        }
        f.write_str(")")
    }
}

/// The elements of an external buffer, typed (the caller checked that `T` is its dtype).
fn external_slice<T>(e: &ExternalData) -> &[T] {
    if e.len == 0 {
        return &[];
    }
    // SAFETY: an ExternalData holds `len` initialised elements of its dtype at `ptr`, aligned
    // for it (checked where it is made, bindings/dlpack.rs), alive while `owner` is; callers
    // pass the matching `T`. Shared reads only: writers need `&mut Buffer`.
    unsafe { std::slice::from_raw_parts(e.ptr as *const T, e.len) }
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
            Buffer::F16(v) => give(std::mem::take(v)),
            Buffer::I8(v) => give(std::mem::take(v)),
            Buffer::External(_) => {} // its owner releases the memory
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
            Buffer::F16(_) => DType::F16,
            Buffer::I8(_) => DType::I8,
            Buffer::External(e) => e.dtype,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Buffer::F32(v) => v.len(),
            Buffer::F64(v) => v.len(),
            Buffer::I32(v) => v.len(),
            Buffer::I64(v) => v.len(),
            Buffer::U8(v) => v.len(),
            Buffer::F16(v) => v.len(),
            Buffer::I8(v) => v.len(),
            Buffer::External(e) => e.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The address of the first element (for exporting it without a copy).
    pub fn as_ptr(&self) -> *const u8 {
        match self {
            Buffer::F32(v) => v.as_ptr() as *const u8,
            Buffer::F64(v) => v.as_ptr() as *const u8,
            Buffer::I32(v) => v.as_ptr() as *const u8,
            Buffer::I64(v) => v.as_ptr() as *const u8,
            Buffer::U8(v) => v.as_ptr(),
            Buffer::F16(v) => v.as_ptr() as *const u8,
            Buffer::I8(v) => v.as_ptr() as *const u8,
            Buffer::External(e) => e.ptr,
        }
    }

    /// Whether the elements live in memory the engine does not own.
    pub fn is_external(&self) -> bool {
        matches!(self, Buffer::External(_))
    }
}

/// What every element type offers: typed access to a `Buffer` and lossy numeric casts.
pub trait Element:
    Copy + Send + Sync + 'static + Default + PartialOrd + NumCast + ToPrimitive + fmt::Debug
{
    const DTYPE: DType;
    fn slice(buf: &Buffer) -> Option<&[Self]>;
    /// The elements for writing: an external buffer that is read-only becomes an owned copy
    /// first. None when the dtype differs.
    fn slice_mut(buf: &mut Buffer) -> Option<&mut [Self]>;
    fn into_buffer(v: Vec<Self>) -> Buffer;
    /// Casts from f64 the way NumPy's `astype` does for in-range values (truncation for ints).
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
}

macro_rules! impl_element {
    ($t:ty, $variant:ident) => {
        impl_element!($t, $variant, |x| x as $t, |v| v as f64);
    };
    ($t:ty, $variant:ident, $from:expr, $to:expr) => {
        impl Element for $t {
            const DTYPE: DType = DType::$variant;
            #[inline]
            fn slice(buf: &Buffer) -> Option<&[Self]> {
                match buf {
                    Buffer::$variant(v) => Some(v),
                    Buffer::External(e) if e.dtype == DType::$variant => {
                        Some(external_slice::<$t>(e))
                    }
                    _ => None,
                }
            }
            #[inline]
            fn slice_mut(buf: &mut Buffer) -> Option<&mut [Self]> {
                if let Buffer::External(e) = buf {
                    if e.dtype != DType::$variant {
                        return None;
                    }
                    if !e.writable {
                        *buf = buf.clone();
                    }
                }
                match buf {
                    Buffer::$variant(v) => Some(v.as_mut_slice()),
                    Buffer::External(e) if e.len == 0 => Some(&mut []),
                    Buffer::External(e) => {
                        // SAFETY: a writable external buffer of this dtype (checked above),
                        // borrowed mutably through `&mut Buffer`, so nothing else reads it
                        // meanwhile; `len` elements at `ptr`, aligned (checked where it was
                        // made).
                        let s = unsafe { std::slice::from_raw_parts_mut(e.ptr as *mut $t, e.len) };
                        Some(s)
                    }
                    _ => None,
                }
            }
            #[inline]
            fn into_buffer(v: Vec<Self>) -> Buffer {
                Buffer::$variant(v)
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                let from: fn(f64) -> $t = $from;
                from(x)
            }
            #[inline]
            fn to_f64(self) -> f64 {
                let to: fn($t) -> f64 = $to;
                to(self)
            }
        }
    };
}
impl_element!(f32, F32);
impl_element!(f64, F64);
impl_element!(i32, I32);
impl_element!(i64, I64);
impl_element!(u8, U8);
impl_element!(i8, I8);
// f64 -> f16 rounds once, to nearest even (NumPy's astype; a double rounding through f32
// could differ in the last bit).
impl_element!(f16, F16, f16::from_f64, f16::to_f64);

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

/// float16 through f32 (Note: float16): the f32 kernel, rounded to half.
impl Real for f16 {
    #[inline(always)]
    fn vexp(self) -> f16 {
        f16::from_f32(self.to_f32().vexp())
    }
    #[inline(always)]
    fn vln(self) -> f16 {
        f16::from_f32(self.to_f32().vln())
    }
    #[inline(always)]
    fn vsin(self) -> f16 {
        f16::from_f32(self.to_f32().vsin())
    }
    #[inline(always)]
    fn vcos(self) -> f16 {
        f16::from_f32(self.to_f32().vcos())
    }
    #[inline(always)]
    fn vtanh(self) -> f16 {
        f16::from_f32(self.to_f32().vtanh())
    }
    #[inline(always)]
    fn vsigmoid(self) -> f16 {
        f16::from_f32(self.to_f32().vsigmoid())
    }
}

/// float16 elements widened to f32 (for sums and products accumulated in f32, as MXNet does).
pub fn f16_to_f32(x: &[f16]) -> Vec<f32> {
    use half::slice::HalfFloatSliceExt;
    let mut out = vec![0.0f32; x.len()];
    x.convert_to_f32_slice(&mut out);
    out
}

/// f32 results rounded to float16 (to nearest even).
pub fn f32_to_f16(x: &[f32]) -> Vec<f16> {
    use half::slice::HalfFloatSliceExt;
    let mut out = vec![f16::ZERO; x.len()];
    out.convert_from_f32_slice(x);
    out
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
            $crate::dtype::DType::F16 => {
                type $T = $crate::dtype::f16;
                $body
            }
            $crate::dtype::DType::I8 => {
                type $T = i8;
                $body
            }
        }
    };
}

/// Runs `$body` with `$T` bound to f32, f64 or f16; any other dtype is a `DType` error naming
/// `$op`.
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
            $crate::dtype::DType::F16 => {
                type $T = $crate::dtype::f16;
                $body
            }
            other => {
                return Err($crate::error::dtype_err(
                    $op,
                    format!(
                        "needs a float16, float32 or float64 array, got {}; convert with .astype('float32')",
                        other
                    ),
                ))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float16_rounds_after_each_op_and_converts_as_numpy() {
        // 1/3 to nearest even in half; 65519 rounds down to the largest half, 65520 up to inf.
        assert_eq!(f16::from_f64(1.0 / 3.0).to_f64(), 0.333251953125);
        assert_eq!(<f16 as Element>::from_f64(65519.0).to_f64(), 65504.0);
        assert!(<f16 as Element>::from_f64(65520.0).to_f64().is_infinite());
        let third = f16::ONE / f16::from_f32(3.0);
        assert_eq!(third.to_f64(), 0.333251953125);
        assert!((f16::MAX + f16::from_f32(32.0)).is_infinite());
        // the f32 kernels, rounded once
        assert_eq!(f16::ONE.vexp(), f16::from_f32(std::f32::consts::E));
        assert_eq!(
            f16_to_f32(&f32_to_f16(&[0.1, 2049.0])),
            vec![0.099975586, 2048.0]
        );
        assert_eq!(DType::from_name("float16"), Some(DType::F16));
        assert_eq!(DType::from_name("int8"), Some(DType::I8));
        assert!(DType::F16.is_float() && !DType::I8.is_float());
        assert_eq!((DType::F16.size_of(), DType::I8.size_of()), (2, 1));
    }
}
