//! The elementwise ops and reductions on integer arrays (int32, int64, uint8, int8), with MXNet
//! 1.x's results: arithmetic wraps around in the array's own type, division truncates
//! toward zero, `%` takes the sign of the divisor, a Python scalar operand is first converted
//! to the array's type (truncated: `x + 1.5` adds 1), and functions without an integer form
//! (`exp`, `sqrt`, `hypot`, `**`) are computed in float64 and converted back.
//!
//! Integer arrays carry no gradient, so nothing here is recorded. The float ops in
//! `elementwise` and `reduce` hand an integer input over to this file by the op's name.
//!
//! Deliberate differences from MXNet, where MXNet's answer is not one: integer division by
//! zero raises (MXNet's process dies of SIGFPE), and a float result with no integer value
//! (`sqrt(-7)`, NaN) converts to 0, as Rust's saturating conversion does (MXNet gives
//! whatever the C++ conversion leaves, e.g. -2147483648).

use crate::dtype::{DType, Element};
use crate::error::{dtype_err, invalid, Result};
use crate::graph::Tensor;
use crate::kernels::elementwise::{map, zip_broadcast};
use crate::kernels::reduce::Reducer;
use crate::shape::{broadcast_shapes, check_alloc};
use crate::value::same_dtype;

/// What the integer types share beyond their own (inherent) wrapping arithmetic, which the
/// code below calls on the concrete type.
pub(crate) trait Int: Element + Ord + Sync + Send {
    const ZERO: Self;
    const ONE: Self;
    fn wrapping_add(self, o: Self) -> Self;
    fn wrapping_mul(self, o: Self) -> Self;
    fn wrapping_abs(self) -> Self;
    /// A Python scalar in this type as MXNet converts it: truncated toward zero, then wrapped
    /// into the type's range (1000 into uint8 is 232; 1.5 is 1).
    fn from_scalar(s: f64) -> Self;
    /// Truncating division; `None` for a zero divisor.
    fn div_trunc(self, o: Self) -> Option<Self>;
    /// The remainder with the divisor's sign (Python's `%`); 0 for a zero divisor, as the
    /// float `%` of MXNet.
    fn floor_mod(self, o: Self) -> Self;
}

macro_rules! impl_int {
    ($($t:ty),*) => {$(
        impl Int for $t {
            const ZERO: $t = 0;
            const ONE: $t = 1;
            #[inline(always)]
            fn wrapping_add(self, o: $t) -> $t {
                <$t>::wrapping_add(self, o)
            }
            #[inline(always)]
            fn wrapping_mul(self, o: $t) -> $t {
                <$t>::wrapping_mul(self, o)
            }
            #[inline(always)]
            #[allow(unused_comparisons)] // u8 is never negative
            fn wrapping_abs(self) -> $t {
                if self < 0 { <$t>::wrapping_neg(self) } else { self }
            }
            #[inline(always)]
            fn from_scalar(s: f64) -> $t {
                // f64 -> i64 saturates (and maps NaN to 0); i64 -> the type wraps.
                (s as i64) as $t
            }
            #[inline(always)]
            fn div_trunc(self, o: $t) -> Option<$t> {
                if o == 0 {
                    None
                } else {
                    // MIN / -1 overflows; it wraps to MIN, as two's complement does.
                    Some(<$t>::wrapping_div(self, o))
                }
            }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn floor_mod(self, o: $t) -> $t {
                if o == 0 {
                    return 0;
                }
                let r = <$t>::wrapping_rem(self, o);
                if r != 0 && ((r < 0) != (o < 0)) {
                    r.wrapping_add(o)
                } else {
                    r
                }
            }
        }
    )*};
}
impl_int!(i32, i64, u8, i8);

/// Runs `$body` with `$T` bound to the Rust type of an integer dtype.
macro_rules! with_int {
    ($op:expr, $dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            DType::I32 => {
                type $T = i32;
                $body
            }
            DType::I64 => {
                type $T = i64;
                $body
            }
            DType::U8 => {
                type $T = u8;
                $body
            }
            DType::I8 => {
                type $T = i8;
                $body
            }
            other => {
                return Err(dtype_err(
                    $op,
                    format!("internal error: {} is not an integer dtype", other),
                ))
            }
        }
    };
}

fn bit<T: Int>(b: bool) -> T {
    if b {
        T::ONE
    } else {
        T::ZERO
    }
}

/// Through float64 and back, for functions with no integer form.
fn via_f64<T: Int>(v: f64) -> T {
    T::from_f64(v)
}

fn division_by_zero(op: &'static str) -> crate::error::Error {
    invalid(
        op,
        "integer division by zero (an integer array has no inf or NaN to give); convert with \
         .astype('float32') for IEEE results",
    )
}

/// `f(a, b)` for the binary op `op` on two integer arrays of one dtype, broadcasting.
pub(crate) fn binary(op: &'static str, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    same_dtype(op, a, b)?;
    let shape = broadcast_shapes(op, a.shape(), b.shape())?;
    check_alloc(op, &shape, a.dtype())?;
    with_int!(op, a.dtype(), T => {
        let (xs, ys) = (a.data::<T>()?, b.data::<T>()?);
        let zip = |f: fn(T, T) -> T| zip_broadcast(xs, a.shape(), ys, b.shape(), &shape, f);
        let out: Vec<T> = match op {
            "add" => zip(T::wrapping_add),
            "subtract" => zip(T::wrapping_sub),
            "multiply" => zip(T::wrapping_mul),
            "divide" => {
                if ys.contains(&T::ZERO) {
                    return Err(division_by_zero(op));
                }
                zip(|x, y| x.div_trunc(y).unwrap_or(T::ZERO))
            }
            "mod" => zip(T::floor_mod),
            "maximum" => zip(|x, y| x.max(y)),
            "minimum" => zip(|x, y| x.min(y)),
            "power" => zip(|x, y| via_f64(x.to_f64().powf(y.to_f64()))),
            "hypot" => zip(|x, y| via_f64(x.to_f64().hypot(y.to_f64()))),
            "arctan2" => zip(|x, y| via_f64(x.to_f64().atan2(y.to_f64()))),
            "equal" => zip(|x, y| bit(x == y)),
            "not_equal" => zip(|x, y| bit(x != y)),
            "greater" => zip(|x, y| bit(x > y)),
            "greater_equal" => zip(|x, y| bit(x >= y)),
            "lesser" => zip(|x, y| bit(x < y)),
            "lesser_equal" => zip(|x, y| bit(x <= y)),
            "logical_and" => zip(|x, y| bit(x != T::ZERO && y != T::ZERO)),
            "logical_or" => zip(|x, y| bit(x != T::ZERO || y != T::ZERO)),
            "logical_xor" => zip(|x, y| bit((x != T::ZERO) != (y != T::ZERO))),
            _ => return Err(unsupported(op, a.dtype())),
        };
        Ok(Tensor::from_vec(out, shape))
    })
}

/// The op `op` between an integer array and a Python scalar, converted to the array's type
/// first (truncated), as MXNet does.
pub(crate) fn scalar(op: &'static str, x: &Tensor, scalar: f64) -> Result<Tensor> {
    with_int!(op, x.dtype(), T => {
        let xs = x.data::<T>()?;
        let s = T::from_scalar(scalar);
        let out: Vec<T> = match op {
            "_plus_scalar" => map(xs, move |v: T| v.wrapping_add(s)),
            "_minus_scalar" => map(xs, move |v: T| v.wrapping_sub(s)),
            "_rminus_scalar" => map(xs, move |v: T| s.wrapping_sub(v)),
            "_mul_scalar" => map(xs, move |v: T| v.wrapping_mul(s)),
            "_div_scalar" => {
                if s == T::ZERO {
                    return Err(division_by_zero(op));
                }
                map(xs, move |v: T| v.div_trunc(s).unwrap_or(T::ZERO))
            }
            "_rdiv_scalar" => {
                if xs.contains(&T::ZERO) {
                    return Err(division_by_zero(op));
                }
                map(xs, move |v: T| s.div_trunc(v).unwrap_or(T::ZERO))
            }
            "_mod_scalar" => map(xs, move |v: T| v.floor_mod(s)),
            "_rmod_scalar" => map(xs, move |v: T| s.floor_mod(v)),
            "_maximum_scalar" => map(xs, move |v: T| v.max(s)),
            "_minimum_scalar" => map(xs, move |v: T| v.min(s)),
            "_power_scalar" => map(xs, move |v: T| via_f64(v.to_f64().powf(scalar))),
            "_rpower_scalar" => map(xs, move |v: T| via_f64(scalar.powf(v.to_f64()))),
            "_hypot_scalar" => map(xs, move |v: T| via_f64(v.to_f64().hypot(scalar))),
            "equal" => map(xs, move |v: T| bit(v == s)),
            "not_equal" => map(xs, move |v: T| bit(v != s)),
            "greater" => map(xs, move |v: T| bit(v > s)),
            "greater_equal" => map(xs, move |v: T| bit(v >= s)),
            "lesser" => map(xs, move |v: T| bit(v < s)),
            "lesser_equal" => map(xs, move |v: T| bit(v <= s)),
            "logical_and" => map(xs, move |v: T| bit(v != T::ZERO && s != T::ZERO)),
            "logical_or" => map(xs, move |v: T| bit(v != T::ZERO || s != T::ZERO)),
            "logical_xor" => map(xs, move |v: T| bit((v != T::ZERO) != (s != T::ZERO))),
            _ => return Err(unsupported(op, x.dtype())),
        };
        Ok(Tensor::from_vec(out, x.shape_vec()))
    })
}

/// The function `op` of one integer array: exact where it has an integer form, through
/// float64 (`float_fn`) and back otherwise.
#[allow(clippy::unnecessary_min_or_max)] // relu's max(0) is a no-op in the uint8 instance
pub(crate) fn unary(
    op: &'static str,
    x: &Tensor,
    float_fn: impl Fn(f64) -> f64 + Sync + Copy,
) -> Result<Tensor> {
    with_int!(op, x.dtype(), T => {
        let xs = x.data::<T>()?;
        let out: Vec<T> = match op {
            // Rounding leaves an integer as it is.
            "floor" | "ceil" | "round" | "rint" | "fix" | "trunc" => xs.to_vec(),
            "negative" => map(xs, |v: T| v.wrapping_neg()),
            "abs" => map(xs, |v: T| v.wrapping_abs()),
            "square" => map(xs, |v: T| v.wrapping_mul(v)),
            "sign" => map(xs, |v: T| match v.cmp(&T::ZERO) {
                std::cmp::Ordering::Greater => T::ONE,
                std::cmp::Ordering::Less => T::ZERO.wrapping_sub(T::ONE),
                std::cmp::Ordering::Equal => T::ZERO,
            }),
            "relu" => map(xs, |v: T| v.max(T::ZERO)),
            "logical_not" => map(xs, |v: T| bit(v == T::ZERO)),
            _ => map(xs, move |v: T| via_f64(float_fn(v.to_f64()))),
        };
        Ok(Tensor::from_vec(out, x.shape_vec()))
    })
}

/// `x` limited to [lo, hi], compared as numbers (a bound outside the type's range, -5 for
/// uint8, limits nothing, as in MXNet).
pub(crate) fn clip(x: &Tensor, lo: f64, hi: f64) -> Result<Tensor> {
    with_int!("clip", x.dtype(), T => {
        let (lo_t, hi_t) = (T::from_scalar(lo), T::from_scalar(hi));
        let out = map(x.data::<T>()?, move |v: T| {
            let vf = v.to_f64();
            if vf < lo {
                lo_t
            } else if vf > hi {
                hi_t
            } else {
                v
            }
        });
        Ok(Tensor::from_vec(out, x.shape_vec()))
    })
}

/// Sum with wrap-around in the array's type (an i64 accumulator converted back wraps the
/// same way).
pub(crate) struct WrappingSum;
impl<T: Int> Reducer<T> for WrappingSum {
    type Acc = T;
    fn init(&self) -> T {
        T::ZERO
    }
    fn step(&self, a: T, x: T) -> T {
        a.wrapping_add(x)
    }
    fn merge(&self, a: T, b: T) -> T {
        a.wrapping_add(b)
    }
}

/// Product with wrap-around in the array's type.
pub(crate) struct WrappingProd;
impl<T: Int> Reducer<T> for WrappingProd {
    type Acc = T;
    fn init(&self) -> T {
        T::ONE
    }
    fn step(&self, a: T, x: T) -> T {
        a.wrapping_mul(x)
    }
    fn merge(&self, a: T, b: T) -> T {
        a.wrapping_mul(b)
    }
}

/// `reducer` over the axes of `mask` of an integer array.
pub(crate) fn reduce(
    op: &'static str,
    x: &Tensor,
    mask: &[bool],
    keepdims: bool,
    product: bool,
) -> Result<Tensor> {
    use crate::kernels::reduce::reduce as run;
    let shape = crate::shape::reduced_shape(x.shape(), mask, keepdims);
    with_int!(op, x.dtype(), T => {
        let xs = x.data::<T>()?;
        let out: Vec<T> = if product {
            run(xs, x.shape(), mask, &WrappingProd)
        } else {
            run(xs, x.shape(), mask, &WrappingSum)
        };
        Ok(Tensor::from_vec(out, shape))
    })
}

fn unsupported(op: &'static str, dtype: DType) -> crate::error::Error {
    dtype_err(
        op,
        format!(
            "not defined for {} arrays; convert with .astype('float32')",
            dtype
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_arithmetic_follows_mxnet() {
        assert_eq!(7i32.div_trunc(2), Some(3));
        assert_eq!((-7i32).div_trunc(2), Some(-3));
        assert_eq!(5i32.div_trunc(-3), Some(-1));
        assert_eq!(7i32.div_trunc(0), None);
        assert_eq!(i32::MIN.div_trunc(-1), Some(i32::MIN));
        assert_eq!((-7i32).floor_mod(2), 1);
        assert_eq!(5i32.floor_mod(-3), -1);
        assert_eq!((-7i64).floor_mod(3), 2);
        assert_eq!(7i32.floor_mod(0), 0);
        assert_eq!(200u8.wrapping_mul(2), 144);
        assert_eq!(100u8.wrapping_sub(201), 155);
        assert_eq!(i32::MIN.wrapping_abs(), i32::MIN);
        assert_eq!(via_f64::<i32>(f64::NAN), 0);
        assert_eq!(u8::from_scalar(1000.0), 232);
        assert_eq!(127i8.wrapping_add(1), -128);
        assert_eq!(i8::MIN.div_trunc(-1), Some(i8::MIN));
        assert_eq!((-128i8).floor_mod(3), 1);
        assert_eq!(i8::from_scalar(1000.0), -24);
        assert_eq!(i32::from_scalar(1.5), 1);
        assert_eq!(i32::from_scalar(-1.5), -1);
    }
}
