//! `nd` functions of elementwise math, reductions, products and creation. Each is declared
//! once (`nd_fn!`), which also gives NDArray its fluent method where MXNet has one.

use super::convert::{arg_tensor, axes_arg, flags, operand, parse_dtype, run, shape_arg, Operand};
use super::pyarray::PyNDArray;
use crate::dtype::DType;
use crate::error::{invalid, type_err, Result as EResult};
use crate::graph::Tensor;
use crate::ops;
use crate::shape::check_alloc;
use pyo3::prelude::*;

// ---------------------------------------------------------------------------------------------
// Functions of one array: every row of `ops::elementwise`'s unary table.

macro_rules! unary_bindings {
    ($($(#[doc = $doc:literal])* $func:ident),* $(,)?) => {$(
        nd_fn! {
            $(#[doc = $doc])*
            #[nd(fluent = true)]
            #[pyo3(signature = (data, out = None, name = None))]
            fn $func(py, data: &Bound<'_, PyAny>) {
                let x = arg_tensor(stringify!($func), data)?;
                run(py, x.numel(), || ops::elementwise::$func(&x))?
            }
        }
    )*};
}
ops::elementwise::for_each_unary!(unary_bindings);

nd_fn! {
    /// The log of the absolute gamma function, elementwise: ln |Gamma(x)|; d/dx = digamma(x).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.gammaln(nd.array([0.5, 1, 5]))
    /// [0.5723649 0.        3.1780539]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn gammaln(py, data: &Bound<'_, PyAny>) {
        let x = arg_tensor("gammaln", data)?;
        run(py, x.numel(), || ops::gammaln(&x))?
    }
}

// ---------------------------------------------------------------------------------------------
// Functions of two arrays, either of which may be a Python scalar (`nd.add(2, x)`).

pub type ArrayFn = fn(&Tensor, &Tensor) -> EResult<Tensor>;
pub type ScalarFn = fn(&Tensor, f64) -> EResult<Tensor>;

/// `f(lhs, rhs)`, `s(lhs, rhs)` when `rhs` is a scalar, `rs(rhs, lhs)` when `lhs` is.
fn binary(
    py: Python<'_>,
    name: &'static str,
    lhs: &Bound<'_, PyAny>,
    rhs: &Bound<'_, PyAny>,
    (f, s, rs): (ArrayFn, ScalarFn, ScalarFn),
) -> PyResult<Tensor> {
    Ok(match (operand(lhs), operand(rhs)) {
        (Some(Operand::Array(a)), Some(Operand::Array(b))) => {
            run(py, a.numel().max(b.numel()), || f(&a, &b))?
        }
        (Some(Operand::Array(a)), Some(Operand::Scalar(v))) => run(py, a.numel(), || s(&a, v))?,
        (Some(Operand::Scalar(v)), Some(Operand::Array(b))) => run(py, b.numel(), || rs(&b, v))?,
        _ => {
            return Err(type_err(
                name,
                format!(
                    "expected NDArrays or numbers, got {} and {}",
                    lhs.get_type().name()?,
                    rhs.get_type().name()?
                ),
            )
            .into())
        }
    })
}

macro_rules! binary_bindings {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident [$($alias:literal),*] fluent = $fluent:tt => ($f:path, $s:path, $rs:path);
    )*) => {$(
        nd_fn! {
            $(#[doc = $doc])*
            #[nd(aliases = [$($alias),*], fluent = $fluent)]
            #[pyo3(signature = (lhs, rhs, out = None, name = None))]
            fn $name(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>) {
                binary(py, stringify!($name), lhs, rhs, ($f, $s, $rs))?
            }
        }
    )*};
}

binary_bindings! {
    /// lhs + rhs, broadcasting
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.add(x, nd.array([2, 2, 4]))
    /// [[ 3.  4.  7.]
    ///  [ 6.  7. 10.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.add(x, 3)
    /// [[4. 5. 6.]
    ///  [7. 8. 9.]]
    /// <NDArray 2x3 @cpu(0)>
    add ["broadcast_add", "broadcast_plus", "elemwise_add"] fluent = false => (ops::add, ops::add_scalar, ops::add_scalar);
    /// lhs - rhs, broadcasting
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.subtract(x, nd.array([2, 2, 4]))
    /// [[-1.  0. -1.]
    ///  [ 2.  3.  2.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.subtract(x, 3)
    /// [[-2. -1.  0.]
    ///  [ 1.  2.  3.]]
    /// <NDArray 2x3 @cpu(0)>
    subtract ["broadcast_sub", "broadcast_minus", "elemwise_sub"] fluent = false => (ops::sub, ops::sub_scalar, ops::rsub_scalar);
    /// lhs * rhs, broadcasting
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.multiply(x, nd.array([2, 2, 4]))
    /// [[ 2.  4. 12.]
    ///  [ 8. 10. 24.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.multiply(x, 3)
    /// [[ 3.  6.  9.]
    ///  [12. 15. 18.]]
    /// <NDArray 2x3 @cpu(0)>
    multiply ["broadcast_mul", "elemwise_mul"] fluent = false => (ops::mul, ops::mul_scalar, ops::mul_scalar);
    /// lhs / rhs, broadcasting
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.divide(x, nd.array([2, 2, 4]))
    /// [[0.5  1.   0.75]
    ///  [2.   2.5  1.5 ]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.divide(x, 3)
    /// [[0.33333334 0.6666667  1.        ]
    ///  [1.3333334  1.6666666  2.        ]]
    /// <NDArray 2x3 @cpu(0)>
    divide ["broadcast_div", "elemwise_div", "true_divide"] fluent = false => (ops::div, ops::div_scalar, ops::rdiv_scalar);
    /// lhs ** rhs, broadcasting
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.power(x, nd.array([2, 2, 4]))
    /// [[1.000e+00 4.000e+00 8.100e+01]
    ///  [1.600e+01 2.500e+01 1.296e+03]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.power(x, 3)
    /// [[  1.   8.  27.]
    ///  [ 64. 125. 216.]]
    /// <NDArray 2x3 @cpu(0)>
    power ["broadcast_power"] fluent = false => (ops::power, ops::pow_scalar, ops::rpow_scalar);
    /// 1 where lhs == rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.equal(x, nd.array([2, 2, 4]))
    /// [[0. 1. 0.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.equal(x, 3)
    /// [[0. 0. 1.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    equal ["broadcast_equal"] fluent = false => (ops::equal, ops::equal_scalar, ops::equal_scalar);
    /// 1 where lhs != rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.not_equal(x, nd.array([2, 2, 4]))
    /// [[1. 0. 1.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.not_equal(x, 3)
    /// [[1. 1. 0.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    not_equal ["broadcast_not_equal"] fluent = false => (ops::not_equal, ops::not_equal_scalar, ops::not_equal_scalar);
    /// 1 where lhs > rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.greater(x, nd.array([2, 2, 4]))
    /// [[0. 0. 0.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.greater(x, 3)
    /// [[0. 0. 0.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    greater ["broadcast_greater"] fluent = false => (ops::greater, ops::greater_scalar, ops::lesser_scalar);
    /// 1 where lhs >= rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.greater_equal(x, nd.array([2, 2, 4]))
    /// [[0. 1. 0.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.greater_equal(x, 3)
    /// [[0. 0. 1.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    greater_equal ["broadcast_greater_equal"] fluent = false => (ops::greater_equal, ops::greater_equal_scalar, ops::lesser_equal_scalar);
    /// 1 where lhs < rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.lesser(x, nd.array([2, 2, 4]))
    /// [[1. 0. 1.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.lesser(x, 3)
    /// [[1. 1. 0.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    lesser ["broadcast_lesser"] fluent = false => (ops::lesser, ops::lesser_scalar, ops::greater_scalar);
    /// 1 where lhs <= rhs, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.lesser_equal(x, nd.array([2, 2, 4]))
    /// [[1. 1. 1.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.lesser_equal(x, 3)
    /// [[1. 1. 1.]
    ///  [0. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    lesser_equal ["broadcast_lesser_equal"] fluent = false => (ops::lesser_equal, ops::lesser_equal_scalar, ops::greater_equal_scalar);
    /// max(lhs, rhs) elementwise; a tie sends the gradient to lhs
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.maximum(x, nd.array([2, 2, 4]))
    /// [[2. 2. 4.]
    ///  [4. 5. 6.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.maximum(x, 3)
    /// [[3. 3. 3.]
    ///  [4. 5. 6.]]
    /// <NDArray 2x3 @cpu(0)>
    maximum ["broadcast_maximum"] fluent = true => (ops::maximum, ops::maximum_scalar, ops::maximum_scalar);
    /// min(lhs, rhs) elementwise; a tie sends the gradient to lhs
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.minimum(x, nd.array([2, 2, 4]))
    /// [[1. 2. 3.]
    ///  [2. 2. 4.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.minimum(x, 3)
    /// [[1. 2. 3.]
    ///  [3. 3. 3.]]
    /// <NDArray 2x3 @cpu(0)>
    minimum ["broadcast_minimum"] fluent = true => (ops::minimum, ops::minimum_scalar, ops::minimum_scalar);
    /// sqrt(lhs^2 + rhs^2)
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.hypot(x, nd.array([2, 2, 4]))
    /// [[2.236068  2.828427  5.       ]
    ///  [4.472136  5.3851647 7.2111025]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.hypot(x, 3)
    /// [[3.1622777 3.6055512 4.2426405]
    ///  [5.        5.8309517 6.708204 ]]
    /// <NDArray 2x3 @cpu(0)>
    hypot ["broadcast_hypot"] fluent = true => (ops::hypot, ops::hypot_scalar, ops::hypot_scalar);
    /// the angle of the point (rhs, lhs): arctan(lhs / rhs) in the right quadrant
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.arctan2(x, nd.array([2, 2, 4]))
    /// [[0.4636476  0.7853982  0.6435011 ]
    ///  [1.1071488  1.19029    0.98279375]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.arctan2(x, 3)
    /// [[0.32175055 0.5880026  0.7853982 ]
    ///  [0.9272952  1.0303768  1.1071488 ]]
    /// <NDArray 2x3 @cpu(0)>
    arctan2 [] fluent = true => (ops::arctan2, ops::arctan2_scalar, ops::rarctan2_scalar);
    /// lhs mod rhs, with the sign of rhs (Python's %)
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.modulo(x, nd.array([2, 2, 4]))
    /// [[1. 0. 3.]
    ///  [0. 1. 2.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.modulo(x, 3)
    /// [[1. 2. 0.]
    ///  [1. 2. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    modulo ["broadcast_mod", "mod"] fluent = true => (ops::modulo, ops::mod_scalar, ops::rmod_scalar);
    /// 1 where both are non-zero, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.logical_and(nd.array([0, 1, 2]), nd.array([1, 0, 3]))
    /// [0. 0. 1.]
    /// <NDArray 3 @cpu(0)>
    logical_and ["broadcast_logical_and"] fluent = false => (ops::logical_and, ops::logical_and_scalar, ops::logical_and_scalar);
    /// 1 where either is non-zero, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.logical_or(nd.array([0, 1, 0]), nd.array([0, 0, 3]))
    /// [0. 1. 1.]
    /// <NDArray 3 @cpu(0)>
    logical_or ["broadcast_logical_or"] fluent = false => (ops::logical_or, ops::logical_or_scalar, ops::logical_or_scalar);
    /// 1 where exactly one is non-zero, else 0
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.logical_xor(nd.array([0, 1, 2]), nd.array([1, 1, 0]))
    /// [1. 0. 1.]
    /// <NDArray 3 @cpu(0)>
    logical_xor ["broadcast_logical_xor"] fluent = false => (ops::logical_xor, ops::logical_xor_scalar, ops::logical_xor_scalar);
}

// ---------------------------------------------------------------------------------------------
// Products.

nd_fn! {
    /// Dot product: matrix product of 2-D arrays, inner product of 1-D ones; for N-D arrays
    /// the last axis of `lhs` with the first axis of `rhs`.
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// transpose_a : bool, default False
    ///     Use the first operand transposed (its last two axes swapped).
    /// transpose_b : bool, default False
    ///     Use the second operand transposed (its last two axes swapped).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> a = nd.array([[1, 2], [3, 4]])
    /// >>> nd.dot(a, nd.array([[1], [1]]))
    /// [[3.]
    ///  [7.]]
    /// <NDArray 2x1 @cpu(0)>
    /// >>> nd.dot(a, a, transpose_a=True)
    /// [[10. 14.]
    ///  [14. 20.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (lhs, rhs, transpose_a = false, transpose_b = false, out = None, name = None))]
    fn dot(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, #[pyo3(from_py_with = flags::transpose_a)] transpose_a: bool, #[pyo3(from_py_with = flags::transpose_b)] transpose_b: bool) {
        let (a, b) = (arg_tensor("dot", lhs)?, arg_tensor("dot", rhs)?);
        run(py, a.numel().max(b.numel()), || {
            ops::linalg::dot(&a, &b, transpose_a, transpose_b)
        })?
    }
}

nd_fn! {
    /// Matrix products of the matching matrices of two batches: (B, n, k) x (B, k, m).
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The first input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// rhs : NDArray | float
    ///     The second input: an array or a number. Arrays broadcast against each other by NumPy's rule.
    /// transpose_a : bool, default False
    ///     Use the first operand transposed (its last two axes swapped).
    /// transpose_b : bool, default False
    ///     Use the second operand transposed (its last two axes swapped).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> a = nd.ones((2, 1, 3))
    /// >>> b = nd.ones((2, 3, 2))
    /// >>> nd.batch_dot(a, b)
    /// [[[3. 3.]]
    /// <BLANKLINE>
    ///  [[3. 3.]]]
    /// <NDArray 2x1x2 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (lhs, rhs, transpose_a = false, transpose_b = false, out = None, name = None))]
    fn batch_dot(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, #[pyo3(from_py_with = flags::transpose_a)] transpose_a: bool, #[pyo3(from_py_with = flags::transpose_b)] transpose_b: bool) {
        let (a, b) = (arg_tensor("batch_dot", lhs)?, arg_tensor("batch_dot", rhs)?);
        run(py, a.numel().max(b.numel()), || {
            ops::linalg::batch_dot(&a, &b, transpose_a, transpose_b)
        })?
    }
}

// ---------------------------------------------------------------------------------------------
// Reductions.

macro_rules! reduce_bindings {
    ($($(#[doc = $doc:literal])* $name:ident $([$($alias:literal),*])?;)*) => {$(
        nd_fn! {
            $(#[doc = $doc])*
            #[nd(aliases = [$($($alias),*)?], fluent = true)]
            #[pyo3(signature = (data, axis = None, keepdims = false, exclude = false, out = None, name = None))]
            fn $name(py, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, #[pyo3(from_py_with = flags::keepdims)] keepdims: bool, #[pyo3(from_py_with = flags::exclude)] exclude: bool) {
                let x = arg_tensor(stringify!($name), data)?;
                let axes = axes_arg(axis)?;
                run(py, x.numel(), || ops::$name(&x, axes.as_deref(), keepdims, exclude))?
            }
        }
    )*};
}

reduce_bindings! {
    /// Sum over `axis` (None: every axis; `exclude`: every axis but these).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.sum(x)
    /// [21.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.sum(x, axis=1)
    /// [ 6. 15.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.sum(x, axis=0, keepdims=True)
    /// [[5. 7. 9.]]
    /// <NDArray 1x3 @cpu(0)>
    sum ["sum_axis"];
    /// Mean over `axis`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.mean(x)
    /// [3.5]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.mean(x, axis=1)
    /// [2. 5.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.mean(x, axis=0, keepdims=True)
    /// [[2.5 3.5 4.5]]
    /// <NDArray 1x3 @cpu(0)>
    mean;
    /// Largest element over `axis` (also MXNet's max_axis).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.max(x)
    /// [6.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.max(x, axis=1)
    /// [3. 6.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.max(x, axis=0, keepdims=True)
    /// [[4. 5. 6.]]
    /// <NDArray 1x3 @cpu(0)>
    max ["max_axis"];
    /// Smallest element over `axis` (also MXNet's min_axis).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.min(x)
    /// [1.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.min(x, axis=1)
    /// [1. 4.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.min(x, axis=0, keepdims=True)
    /// [[1. 2. 3.]]
    /// <NDArray 1x3 @cpu(0)>
    min ["min_axis"];
    /// Product over `axis`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.prod(x)
    /// [720.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.prod(x, axis=1)
    /// [  6. 120.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.prod(x, axis=0, keepdims=True)
    /// [[ 4. 10. 18.]]
    /// <NDArray 1x3 @cpu(0)>
    prod;
    /// Sum over `axis`, NaNs counted as 0.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.nansum(x)
    /// [21.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.nansum(x, axis=1)
    /// [ 6. 15.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.nansum(x, axis=0, keepdims=True)
    /// [[5. 7. 9.]]
    /// <NDArray 1x3 @cpu(0)>
    nansum;
    /// Product over `axis`, NaNs counted as 1.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// exclude : bool, default False
    ///     Reduce every axis except those in ``axis``.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.nanprod(x)
    /// [720.]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.nanprod(x, axis=1)
    /// [  6. 120.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.nanprod(x, axis=0, keepdims=True)
    /// [[ 4. 10. 18.]]
    /// <NDArray 1x3 @cpu(0)>
    nanprod;
}

nd_fn! {
    /// The `ord`-norm (1 or 2) over `axis`, or of all elements.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// ord : int, default 2
    ///     The order: 2 (the square root of the sum of squares) or 1 (the sum of absolute values).
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[3, 4], [6, 8]])
    /// >>> nd.norm(x)
    /// [11.18034]
    /// <NDArray 1 @cpu(0)>
    /// >>> nd.norm(x, ord=1, axis=1)
    /// [ 7. 14.]
    /// <NDArray 2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, ord = 2, axis = None, keepdims = false, out = None, name = None))]
    fn norm(py, data: &Bound<'_, PyAny>, ord: i32, axis: Option<&Bound<'_, PyAny>>, #[pyo3(from_py_with = flags::keepdims)] keepdims: bool) {
        let x = arg_tensor("norm", data)?;
        let axes = axes_arg(axis)?;
        run(py, x.numel(), || ops::norm(&x, ord, axes.as_deref(), keepdims))?
    }
}

nd_fn! {
    /// Index of the largest element along `axis` (of the flattened array when None), as
    /// floats, as MXNet.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.argmax(x, axis=1)
    /// [2. 2.]
    /// <NDArray 2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = None, keepdims = false, out = None, name = None))]
    fn argmax(py, data: &Bound<'_, PyAny>, axis: Option<isize>, #[pyo3(from_py_with = flags::keepdims)] keepdims: bool) {
        let x = arg_tensor("argmax", data)?;
        ops::arg_extremum(&x.detach(), axis, keepdims, false)?
    }
}

nd_fn! {
    /// Index of the largest element along axis 1, the channel axis (MXNet's argmax_channel).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     NDArray of at least 2 dimensions.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     Indices (the first one among ties; a NaN counts as the largest), in `data`'s dtype for
    ///     float input, with shape `data.shape` without axis 1. No gradient.
    ///
    /// Examples
    /// --------
    /// >>> nd.argmax_channel(nd.array([[1, 3, 2], [9, 0, 4]]))
    /// [1. 0.]
    /// <NDArray 2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn argmax_channel(py, data: &Bound<'_, PyAny>) {
        let x = arg_tensor("argmax_channel", data)?;
        if x.ndim() < 2 {
            return Err(crate::error::Error::Axis { op: "argmax_channel", axis: 1, ndim: x.ndim() }.into());
        }
        ops::arg_extremum(&x.detach(), Some(1), false, false)?
    }
}

nd_fn! {
    /// The shape of `data` as a 1-D int64 array (MXNet's shape_array).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     Int64 NDArray of length `data.ndim`. No gradient.
    ///
    /// Examples
    /// --------
    /// >>> nd.shape_array(nd.ones((2, 3)))
    /// [2 3]
    /// <NDArray 2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn shape_array(py, data: &Bound<'_, PyAny>) {
        let x = arg_tensor("shape_array", data)?;
        let dims: Vec<i64> = x.shape().iter().map(|&d| d as i64).collect();
        Tensor::from_vec(dims, smallvec::smallvec![x.ndim()])
    }
}

nd_fn! {
    /// The number of elements of `data` as an int64 array of shape (1,) (MXNet's size_array).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     Int64 NDArray holding `data.size`. No gradient.
    ///
    /// Examples
    /// --------
    /// >>> nd.size_array(nd.ones((2, 3)))
    /// [6]
    /// <NDArray 1 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn size_array(py, data: &Bound<'_, PyAny>) {
        let x = arg_tensor("size_array", data)?;
        Tensor::from_vec(vec![x.numel() as i64], smallvec::smallvec![1])
    }
}

nd_fn! {
    /// Index of the smallest element along `axis` (of the flattened array when None).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes to reduce; negative counts from the last. None reduces every axis.
    /// keepdims : bool, default False
    ///     Keep the reduced axes, with length 1, in the result.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.argmin(x, axis=0)
    /// [0. 0. 0.]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = None, keepdims = false, out = None, name = None))]
    fn argmin(py, data: &Bound<'_, PyAny>, axis: Option<isize>, #[pyo3(from_py_with = flags::keepdims)] keepdims: bool) {
        let x = arg_tensor("argmin", data)?;
        ops::arg_extremum(&x.detach(), axis, keepdims, true)?
    }
}

nd_fn! {
    /// Permutes the axes (`axes` None or empty: reverses them).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axes : int | Sequence[int] | None, default None
    ///     The new order of the axes; None reverses them.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.transpose(x)
    /// [[1. 4.]
    ///  [2. 5.]
    ///  [3. 6.]]
    /// <NDArray 3x2 @cpu(0)>
    /// >>> nd.transpose(nd.ones((2, 3, 4)), axes=(2, 0, 1)).shape
    /// (4, 2, 3)
    #[nd(fluent = false)]
    #[pyo3(signature = (data, axes = None, out = None, name = None))]
    fn transpose(py, data: &Bound<'_, PyAny>, axes: Option<&Bound<'_, PyAny>>) {
        let x = arg_tensor("transpose", data)?;
        let axes = axes_arg(axes)?.filter(|a| !a.is_empty());
        run(py, x.numel(), || ops::transpose(&x, axes.as_deref()))?
    }
}

// ---------------------------------------------------------------------------------------------
// Creation, behind the Python functions that normalise MXNet's arguments (`nd.zeros`, ...).

/// An array of `shape` filled with `value`.
#[pyfunction]
#[pyo3(signature = (shape, value, dtype = None))]
fn full(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    value: f64,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let shape = shape_arg("full", shape)?;
    let dtype = parse_dtype(dtype, DType::F32)?;
    let n = check_alloc("full", &shape, dtype)?;
    Ok(PyNDArray::from_tensor(run(py, n, || {
        Ok(Tensor::filled(shape.clone(), dtype, value))
    })?))
}
nd_entry!(full, namespace = "internal");

/// MXNet's arange: values start, start+step, ... below stop, each repeated `repeat` times.
#[pyfunction]
#[pyo3(signature = (start, stop = None, step = 1.0, repeat = 1, dtype = None))]
fn arange(
    start: f64,
    stop: Option<f64>,
    step: f64,
    repeat: i64,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let (start, stop) = match stop {
        Some(stop) => (start, stop),
        None => (0.0, start),
    };
    if step == 0.0 || !step.is_finite() {
        return Err(invalid(
            "arange",
            format!("step must be a non-zero finite number, got {}", step),
        )
        .into());
    }
    if repeat < 1 {
        return Err(invalid("arange", format!("repeat must be >= 1, got {}", repeat)).into());
    }
    // Checked before the count: NaN would make it 0 (an empty array instead of an error).
    if !start.is_finite() || !stop.is_finite() {
        return Err(invalid(
            "arange",
            format!(
                "start and stop must be finite numbers, got start={} stop={}",
                start, stop
            ),
        )
        .into());
    }
    let dtype = parse_dtype(dtype, DType::F32)?;
    let count = ((stop - start) / step).ceil().max(0.0);
    if !count.is_finite() {
        return Err(invalid("arange", "start, stop and step must be finite").into());
    }
    let n = (count as usize).saturating_mul(repeat as usize);
    check_alloc("arange", &[n], dtype)?;
    let values: Vec<f64> = (0..count as usize)
        .flat_map(|i| std::iter::repeat_n(start + i as f64 * step, repeat as usize))
        .collect();
    let t = crate::with_dtype!(dtype, T => Tensor::from_vec(values.into_iter().map(<T as crate::dtype::Element>::from_f64).collect::<Vec<T>>(), smallvec::smallvec![n]));
    Ok(PyNDArray::from_tensor(t))
}
nd_entry!(arange, namespace = "internal");

/// An NDArray holding a copy of a NumPy array (or anything `numpy.asarray` accepts).
#[pyfunction]
#[pyo3(signature = (data, dtype = None))]
fn from_numpy(data: &Bound<'_, PyAny>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<PyNDArray> {
    let dtype = parse_dtype(dtype, DType::F32)?;
    Ok(PyNDArray::from_tensor(super::convert::from_numpy(
        data, dtype,
    )?))
}
nd_entry!(from_numpy, namespace = "internal");

#[pyfunction]
fn cpu() -> super::pyarray::Context {
    super::pyarray::cpu()
}
nd_entry!(cpu, namespace = "internal");
