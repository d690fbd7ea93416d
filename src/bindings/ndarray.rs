//! NDArray's Python methods: properties, conversions, operators and indexing. Each unpacks
//! its arguments, calls one engine op, and wraps the result. (The fluent `nd` methods,
//! `x.softmax()` and the like, are declared with their `nd` function.)

use super::convert::{
    dtype_object, flags, operand, parse_dtype, run, tensor_from_any, to_numpy, Operand,
};
use super::pyarray::{cpu, Context, PyNDArray};
use crate::array::NDArray;
use crate::error::{index_err, invalid, shape_err, type_err, Result as EResult};
use crate::graph::variable::GradReq;
use crate::graph::Tensor;
use crate::ops::{
    self,
    index::{self, Item, Plan, Region},
};
use crate::shape::{fmt_tuple, numel, resolve_reshape, Shape};
use num_traits::ToPrimitive;
use numpy::{
    PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyEllipsis, PyInt, PyList, PySlice, PyTuple};
use smallvec::SmallVec;

impl PyNDArray {
    fn binary(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        arrays: fn(&Tensor, &Tensor) -> EResult<Tensor>,
        scalar: fn(&Tensor, f64) -> EResult<Tensor>,
        reflected: bool,
    ) -> PyResult<Option<PyNDArray>> {
        let x = self.a.tensor();
        let n = x.numel();
        let out = match operand(other) {
            None => {
                refuse_numpy(other)?;
                return Ok(None);
            }
            Some(Operand::Scalar(s)) => run(py, n, || scalar(&x, s))?,
            Some(Operand::Array(y)) if reflected => run(py, n.max(y.numel()), || arrays(&y, &x))?,
            Some(Operand::Array(y)) => run(py, n.max(y.numel()), || arrays(&x, &y))?,
        };
        Ok(Some(PyNDArray::from_tensor(out)))
    }

    /// `x op= other`: computes the result, then writes it into this array's storage.
    fn in_place(
        &mut self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        arrays: fn(&Tensor, &Tensor) -> EResult<Tensor>,
        scalar: fn(&Tensor, f64) -> EResult<Tensor>,
    ) -> PyResult<()> {
        self.a.check_writable("in-place operator")?;
        let Some(out) = self.binary(py, other, arrays, scalar, false)? else {
            return Err(type_err(
                "in-place operator",
                format!(
                    "unsupported operand type for in-place arithmetic with NDArray: '{}'",
                    other.get_type().name()?
                ),
            )
            .into());
        };
        let out = out.a.value();
        if out.shape() != self.a.shape() {
            return Err(shape_err(
                "in-place operator",
                format!(
                    "the result has shape {} but the array being updated has shape {}",
                    fmt_tuple(out.shape()),
                    fmt_tuple(self.a.shape())
                ),
            )
            .into());
        }
        self.a.assign(&out)?;
        Ok(())
    }

    fn unary(&self, py: Python<'_>, f: fn(&Tensor) -> EResult<Tensor>) -> PyResult<PyNDArray> {
        let x = self.a.tensor();
        Ok(PyNDArray::from_tensor(run(py, x.numel(), || f(&x))?))
    }

    fn one_element(&self, what: &str) -> PyResult<f64> {
        if self.a.numel() != 1 {
            return Err(PyValueError::new_err(format!(
                "{} needs an array of exactly one element, this one has shape {}",
                what,
                fmt_tuple(self.a.shape())
            )));
        }
        Ok(self.a.value().to_f64_vec()[0])
    }
}

/// An operator between an NDArray and a NumPy array raises TypeError saying how to convert
/// (the policy in `ferrograd._interop`), rather than letting Python fall back to a comparison
/// by identity (`x == a` would be False) or to NumPy's sequence concatenation.
fn refuse_numpy(other: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = other.py();
    let is_array = py
        .import("numpy")?
        .getattr("ndarray")
        .and_then(|t| other.is_instance(&t))?;
    if is_array {
        let message = py
            .import("ferrograd._interop")?
            .getattr("MIX_MESSAGE")?
            .extract::<String>()?;
        return Err(PyTypeError::new_err(message));
    }
    Ok(())
}

/// `pow(x, y, m)` has no NDArray meaning: refuse it rather than ignore `m`.
fn no_modulo(modulo: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match modulo {
        Some(m) if !m.is_none() => {
            Err(type_err("pow", "pow() with a modulo is not supported for NDArrays").into())
        }
        _ => Ok(()),
    }
}

fn not_implemented(py: Python<'_>, r: Option<PyNDArray>) -> PyResult<Py<PyAny>> {
    match r {
        Some(a) => Ok(Py::new(py, a)?.into_any()),
        None => Ok(py.NotImplemented()),
    }
}

#[pymethods]
impl PyNDArray {
    /// NumPy's ufunc protocol: `np.exp(x)` computes on a copy and returns a NumPy array; a
    /// ufunc mixing an NDArray with a NumPy array (which is how NumPy runs `np_arr + x`) raises
    /// TypeError. See `ferrograd._interop` for the whole policy.
    #[pyo3(signature = (ufunc, method, *inputs, **kwargs))]
    fn __array_ufunc__<'py>(
        &self,
        py: Python<'py>,
        ufunc: &Bound<'py, PyAny>,
        method: &Bound<'py, PyAny>,
        inputs: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = kwargs.cloned().unwrap_or_else(|| PyDict::new(py));
        py.import("ferrograd._interop")?
            .call_method1("array_ufunc", (ufunc, method, inputs, kwargs))
    }

    /// NumPy's function protocol: `np.sum(x)`, `np.mean(x, axis=0)` compute on a copy and
    /// return NumPy results.
    fn __array_function__<'py>(
        &self,
        py: Python<'py>,
        func: &Bound<'py, PyAny>,
        types: &Bound<'py, PyAny>,
        args: &Bound<'py, PyAny>,
        kwargs: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        py.import("ferrograd._interop")?
            .call_method1("array_function", (func, types, args, kwargs))
    }

    /// The single element as a Python number (NumPy's and PyTorch's `item()`; MXNet's is
    /// `asscalar()`, which gives a NumPy scalar).
    ///
    /// Returns
    /// -------
    /// int or float
    ///     The one element, as a Python number.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([3]).item()
    /// 3.0
    fn item<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.a.numel() != 1 {
            return Err(PyValueError::new_err(format!(
                "item() needs an array of exactly one element, this one has shape {}; use \
                 tolist() or asnumpy() for all of them",
                fmt_tuple(self.a.shape())
            )));
        }
        to_numpy(py, &self.a.value())?.call_method0("item")
    }

    /// The values as nested Python lists of Python numbers (NumPy's and PyTorch's `tolist()`).
    ///
    /// Returns
    /// -------
    /// list
    ///     The values as nested lists of Python numbers.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([[1, 2], [3, 4]]).tolist()
    /// [[1.0, 2.0], [3.0, 4.0]]
    fn tolist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_numpy(py, &self.a.value())?.call_method0("tolist")
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let values = to_numpy(py, &self.a.value())?.str()?.to_string();
        let dims: Vec<String> = self.a.shape().iter().map(|d| d.to_string()).collect();
        Ok(format!(
            "\n{}\n<NDArray {} @cpu(0)>",
            values,
            dims.join("x")
        ))
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        self.__repr__(py)
    }

    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.a.shape())
    }

    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dtype_object(py, self.a.dtype())
    }

    #[getter]
    fn size(&self) -> usize {
        self.a.numel()
    }

    #[getter]
    fn ndim(&self) -> usize {
        self.a.shape().len()
    }

    #[getter]
    fn context(&self) -> Context {
        cpu()
    }

    #[getter]
    fn ctx(&self) -> Context {
        cpu()
    }

    #[getter]
    fn stype(&self) -> &'static str {
        "default"
    }

    #[getter]
    #[allow(non_snake_case)]
    fn T(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        let x = self.a.tensor();
        Ok(PyNDArray::from_tensor(run(py, x.numel(), || {
            ops::transpose(&x, None)
        })?))
    }

    /// The gradient buffer (None until attach_grad()). It is one buffer, updated in place by
    /// every backward, as in MXNet.
    #[getter]
    fn grad(&self) -> Option<PyNDArray> {
        self.a.grad().map(PyNDArray::new)
    }

    #[getter]
    fn grad_req(&self) -> Option<&'static str> {
        self.a.grad_req().map(|r| r.name())
    }

    /// Attaches a gradient buffer (zeros) to this array, so that ``backward`` computes its gradient
    /// into ``x.grad``.
    ///
    /// Parameters
    /// ----------
    /// grad_req : str, default 'write'
    ///     How backward delivers the gradient: 'write' (replace), 'add' (accumulate) or 'null' (none).
    /// stype : str, default None
    ///     The storage type; only 'default' (dense) is supported.
    ///
    /// Returns
    /// -------
    /// None
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> x.attach_grad()
    /// >>> with autograd.record():
    /// ...     y = (x * x).sum()
    /// >>> y.backward()
    /// >>> x.grad
    /// [2. 4.]
    /// <NDArray 2 @cpu(0)>
    #[pyo3(signature = (grad_req = "write", stype = None))]
    fn attach_grad(&mut self, grad_req: &str, stype: Option<&str>) -> PyResult<()> {
        if let Some(s) = stype.filter(|s| *s != "default") {
            return Err(invalid(
                "attach_grad",
                format!("only stype='default' is supported, got '{}'", s),
            )
            .into());
        }
        self.a.attach_grad(GradReq::parse(grad_req)?)?;
        Ok(())
    }

    /// Computes the gradients of this array (a result recorded under ``autograd.record()``) with
    /// respect to every array with an attached gradient, into their ``.grad``.
    ///
    /// Parameters
    /// ----------
    /// out_grad : NDArray, default None
    ///     The head gradient, of this array's shape; None means ones.
    /// retain_graph : bool, default False
    ///     Keep the recorded graph, so that backward can run through it again.
    /// train_mode : bool, default True
    ///     Run the backward pass in training mode (as ``autograd.record`` does).
    ///
    /// Returns
    /// -------
    /// None
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> x.attach_grad()
    /// >>> with autograd.record():
    /// ...     y = 3 * x
    /// >>> y.backward(nd.array([1, 10]))
    /// >>> x.grad
    /// [ 3. 30.]
    /// <NDArray 2 @cpu(0)>
    #[pyo3(signature = (out_grad = None, retain_graph = false, train_mode = true))]
    fn backward(
        &self,
        py: Python<'_>,
        out_grad: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flags::retain_graph)] retain_graph: bool,
        #[pyo3(from_py_with = flags::train_mode)] train_mode: bool,
    ) -> PyResult<()> {
        let head = self.a.tensor();
        let g = match out_grad.filter(|g| !g.is_none()) {
            Some(g) => Some(tensor_from_any(g, self.a.dtype())?),
            None => None,
        };
        let options = crate::backward::Options {
            retain_graph,
            create_graph: false,
            train_mode,
            allow_unused: false,
        };
        // Without the GIL (other Python threads run meanwhile), and cut short by a Ctrl-C.
        super::process::interruptible(py, || {
            crate::backward::backward(
                std::slice::from_ref(&head),
                std::slice::from_ref(&g),
                options,
            )
        })
    }

    /// A new array sharing this one's data, cut from the graph.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> x.attach_grad()
    /// >>> with autograd.record():
    /// ...     y = (x * x).detach() * x
    /// >>> y.backward()
    /// >>> x.grad
    /// [1. 4.]
    /// <NDArray 2 @cpu(0)>
    fn detach(&self) -> PyNDArray {
        PyNDArray::new(self.a.detached())
    }

    /// A NumPy array holding a copy of the values (later writes to either do not reach the other).
    ///
    /// Returns
    /// -------
    /// numpy.ndarray
    ///     A copy of the values, in this array's shape and dtype.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([1, 2]).asnumpy()
    /// array([1., 2.], dtype=float32)
    fn asnumpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_numpy(py, &self.a.value())
    }

    /// NumPy interop: `numpy.asarray(x)`. The result is always a copy (it never aliases memory
    /// ferrograd may write later), so NumPy 2's `copy=False` ("never copy") is refused.
    #[pyo3(signature = (dtype = None, copy = None))]
    fn __array__<'py>(
        &self,
        py: Python<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if copy == Some(false) {
            return Err(PyValueError::new_err(
                "an NDArray cannot be viewed as a NumPy array without a copy; use \
                 numpy.asarray(x) (or copy=None / copy=True), or x.asnumpy()",
            ));
        }
        let arr = to_numpy(py, &self.a.value())?;
        match dtype {
            Some(d) if !d.is_none() => arr.call_method1("astype", (d,)),
            _ => Ok(arr),
        }
    }

    /// The single element as a NumPy scalar of the array's dtype (MXNet's asscalar).
    ///
    /// Returns
    /// -------
    /// number
    ///     The one element, as a NumPy scalar of this array's dtype.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([3]).asscalar()
    /// np.float32(3.0)
    fn asscalar<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.a.numel() != 1 {
            return Err(PyValueError::new_err(format!(
                "The current array is not a scalar: asscalar() needs shape (1,), got {}",
                fmt_tuple(self.a.shape())
            )));
        }
        to_numpy(py, &self.a.value())?
            .call_method1("item", (0,))
            .and_then(|v| dtype_object(py, self.a.dtype())?.call1((v,)))
    }

    /// Pickling: rebuilt by `nd.array` from the values (dtype kept; graph links are not).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("ferrograd.nd")?.getattr("array")?;
        let values = to_numpy(py, &self.a.value())?;
        let args = PyTuple::new(
            py,
            [
                values,
                py.None().into_bound(py),
                pyo3::types::PyString::new(py, self.a.dtype().name()).into_any(),
            ],
        )?;
        PyTuple::new(py, [rebuild, args.into_any()])
    }

    fn __float__(&self) -> PyResult<f64> {
        self.one_element("float()")
    }

    fn __int__(&self) -> PyResult<i64> {
        Ok(self.one_element("int()")? as i64)
    }

    fn __index__(&self) -> PyResult<i64> {
        if self.a.dtype().is_float() {
            return Err(PyTypeError::new_err(
                "only integer arrays of one element can be used as an index",
            ));
        }
        Ok(self.one_element("index")? as i64)
    }

    fn __bool__(&self) -> PyResult<bool> {
        match self.a.numel() {
            0 => Ok(false),
            1 => Ok(self.a.value().to_f64_vec()[0] != 0.0),
            _ => Err(PyValueError::new_err(format!(
                "The truth value of an NDArray with multiple elements (shape {}) is ambiguous; use .sum() or a comparison reduced to one element",
                fmt_tuple(self.a.shape())
            ))),
        }
    }

    fn __len__(&self) -> PyResult<usize> {
        self.a
            .shape()
            .first()
            .copied()
            .ok_or_else(|| PyTypeError::new_err("len() of an array with no dimensions"))
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let n = slf.__len__()?;
        let items = (0..n)
            .map(|i| {
                slf.index_view(i as isize)
                    .and_then(|a| Ok(Py::new(py, a)?.into_any()))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?
            .as_any()
            .try_iter()?
            .into_any()
            .unbind())
    }

    fn __hash__(slf: PyRef<'_, Self>) -> isize {
        slf.as_ptr() as isize / 16
    }

    /// A copy converted to `dtype`; with `copy=False` and the same dtype, this very array (as
    /// MXNet).
    ///
    /// Parameters
    /// ----------
    /// dtype : DTypeLike
    ///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
    ///     'int64', 'uint8'); None means the default.
    /// copy : bool, default True
    ///     With False and ``dtype`` already this array's, return this very array (as MXNet); else a new
    ///     array.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([1.5, 2.5]).astype('int32')
    /// [1 2]
    /// <NDArray 2 @cpu(0)>
    #[pyo3(signature = (dtype, copy = true))]
    fn astype<'py>(
        slf: &Bound<'py, Self>,
        dtype: &Bound<'py, PyAny>,
        #[pyo3(from_py_with = flags::copy)] copy: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let this = slf.borrow();
        let dt = parse_dtype(Some(dtype), this.a.dtype())?;
        if !copy && dt == this.a.dtype() {
            return Ok(slf.clone().into_any());
        }
        let x = this.a.tensor();
        let y = run(slf.py(), x.numel(), || ops::cast(&x, dt))?;
        Ok(Bound::new(slf.py(), PyNDArray::from_tensor(y))?.into_any())
    }

    /// A copy as a classic NDArray (MXNet's bridge from its NumPy-style arrays; here every
    /// array is one).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2,)).as_nd_ndarray()
    /// [1. 1.]
    /// <NDArray 2 @cpu(0)>
    fn as_nd_ndarray(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.copy(py)
    }

    /// A copy of this array: the same values in new memory, in the graph like any op.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> y = x.copy()
    /// >>> y[0] = 5
    /// >>> x
    /// [1. 2.]
    /// <NDArray 2 @cpu(0)>
    fn copy(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.unary(py, ops::copy)
    }

    /// Copies this array's values into `other` (an NDArray of the same shape) and returns it;
    /// a Context gives a copy.
    ///
    /// Parameters
    /// ----------
    /// other : Any
    ///     The destination: an NDArray of the same shape (written and returned), or a Context (a new
    ///     copy there).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     ``other`` when it is an NDArray (now holding the values), else the new copy.
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> y = nd.zeros((2,))
    /// >>> x.copyto(y)
    /// [1. 2.]
    /// <NDArray 2 @cpu(0)>
    /// >>> y
    /// [1. 2.]
    /// <NDArray 2 @cpu(0)>
    fn copyto<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(dst) = other.cast::<PyNDArray>() {
            let v = self.a.constant();
            let mut d = dst.borrow_mut();
            if d.a.shape() != v.shape() {
                return Err(shape_err(
                    "copyto",
                    format!(
                        "cannot copy shape {} into shape {}",
                        fmt_tuple(v.shape()),
                        fmt_tuple(d.a.shape())
                    ),
                )
                .into());
            }
            let v = if v.dtype() == d.a.dtype() {
                v
            } else {
                ops::cast(&v, d.a.dtype())?
            };
            d.a.assign(&v)?;
            return Ok(dst.clone().into_any().unbind());
        }
        check_context("copyto", other)?;
        Ok(Py::new(py, self.copy(py)?)?.into_any())
    }

    /// This array on `context`: itself for the CPU (as MXNet, for the context it is already
    /// on); a GPU context raises.
    ///
    /// Parameters
    /// ----------
    /// context : Context | str
    ///     The target context.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2,)).as_in_context(mx.cpu()).context
    /// cpu(0)
    fn as_in_context<'py>(
        slf: Bound<'py, Self>,
        context: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Self>> {
        check_context("as_in_context", context)?;
        Ok(slf)
    }

    /// MXNet's `_fresh_grad`: whether a backward wrote this array's gradient since the flag was
    /// last cleared (gluon's Trainer clears it at each step to find stale gradients).
    #[getter]
    fn _fresh_grad(&self) -> bool {
        self.a.fresh_grad()
    }

    #[setter(_fresh_grad)]
    fn set_fresh_grad(&self, fresh: bool) {
        self.a.set_fresh_grad(fresh);
    }

    /// Waits until this array's values are computed: ferrograd computes eagerly, so it returns at
    /// once (kept for MXNet code).
    ///
    /// Returns
    /// -------
    /// None
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2,)).wait_to_read()
    fn wait_to_read(&self) {}

    /// Storage type conversion: only 'default' (dense) exists in ferrograd.
    ///
    /// Parameters
    /// ----------
    /// stype : str
    ///     The storage type: only 'default' (dense) is supported.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2,)).tostype('default')
    /// [1. 1.]
    /// <NDArray 2 @cpu(0)>
    fn tostype(&self, stype: &str) -> PyResult<PyNDArray> {
        if stype != "default" {
            return Err(invalid(
                "tostype",
                format!("only stype='default' is supported, got '{}'", stype),
            )
            .into());
        }
        Ok(PyNDArray::new(self.share()))
    }

    /// MXNet's reshape: a tuple or ints, with the special codes 0, -1, -2, -3, -4. Shares
    /// memory with this array.
    ///
    /// Parameters
    /// ----------
    /// *shape : int | Sequence[int]
    ///     The new shape, as a tuple or as separate ints; MXNet's codes 0 (keep), -1 (infer), -2, -3
    ///     and -4 apply.
    /// **kwargs : Any
    ///     ``shape=`` (the shape as a keyword) and ``reverse=`` (read the special codes from the right,
    ///     as MXNet); any other keyword raises TypeError.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> x = nd.arange(6)
    /// >>> x.reshape((2, 3))
    /// [[0. 1. 2.]
    ///  [3. 4. 5.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> x.reshape(3, -1).shape
    /// (3, 2)
    /// >>> nd.ones((2, 3, 4)).reshape((0, -1)).shape
    /// (2, 12)
    #[pyo3(signature = (*shape, **kwargs))]
    fn reshape(
        &self,
        shape: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyNDArray> {
        let mut spec_obj: Option<Bound<'_, PyAny>> = None;
        let mut reverse = false;
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                match k.extract::<String>()?.as_str() {
                    "shape" => spec_obj = Some(v),
                    "reverse" => reverse = super::convert::flag("reverse", &v)?,
                    other => {
                        return Err(PyTypeError::new_err(format!(
                            "reshape() got an unexpected keyword argument '{}'",
                            other
                        )))
                    }
                }
            }
        }
        let spec: Vec<isize> = match (spec_obj, shape.len()) {
            (Some(s), 0) => s
                .extract()
                .or_else(|_| s.extract::<isize>().map(|d| vec![d]))?,
            (None, 1) => {
                let s = shape.get_item(0)?;
                s.extract()
                    .or_else(|_| s.extract::<isize>().map(|d| vec![d]))?
            }
            (None, _) => shape.extract()?,
            (Some(_), _) => {
                return Err(PyTypeError::new_err(
                    "reshape() got the shape both positionally and as shape=",
                ))
            }
        };
        let new_shape = if reverse {
            let rin: Vec<usize> = self.a.shape().iter().rev().copied().collect();
            let rspec: Vec<isize> = spec.iter().rev().copied().collect();
            resolve_reshape("reshape", &rin, &rspec)?
                .into_iter()
                .rev()
                .collect()
        } else {
            resolve_reshape("reshape", self.a.shape(), &spec)?
        };
        self.reshaped(new_shape)
    }

    /// The axes permuted: `x.transpose()` reverses them; `x.transpose(axes=(2, 0, 1))` (MXNet's
    /// keyword), `x.transpose((2, 0, 1))` and `x.transpose(2, 0, 1)` (NumPy's forms) permute.
    ///
    /// Parameters
    /// ----------
    /// *args : int | Sequence[int] | None
    ///     The new order of the axes, as separate ints.
    /// axes : int | Sequence[int] | None, default None
    ///     The new order of the axes; None reverses them.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2, 3, 4)).transpose().shape
    /// (4, 3, 2)
    /// >>> nd.ones((2, 3, 4)).transpose(2, 0, 1).shape
    /// (4, 2, 3)
    #[pyo3(signature = (*args, axes = None))]
    fn transpose(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        axes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyNDArray> {
        let keyword = axes.filter(|a| !a.is_none());
        if keyword.is_some() && !args.is_empty() {
            return Err(PyTypeError::new_err(
                "transpose() got the axes both positionally and as axes=",
            ));
        }
        let axes: Option<Vec<isize>> = match (keyword, args.len()) {
            (Some(a), _) => super::convert::axes_arg(Some(a))?,
            (None, 0) => None,
            (None, 1) if args.get_item(0)?.is_none() => None,
            (None, 1) if args.get_item(0)?.extract::<isize>().is_err() => {
                Some(args.get_item(0)?.extract()?)
            }
            (None, _) => Some(args.extract()?),
        };
        let axes = axes.filter(|a| !a.is_empty());
        let x = self.a.tensor();
        Ok(PyNDArray::from_tensor(run(py, x.numel(), || {
            ops::transpose(&x, axes.as_deref())
        })?))
    }

    /// An array of zeros with this array's shape and dtype.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2, 2)).zeros_like()
    /// [[0. 0.]
    ///  [0. 0.]]
    /// <NDArray 2x2 @cpu(0)>
    fn zeros_like(&self) -> PyNDArray {
        PyNDArray::from_tensor(Tensor::filled(
            Shape::from_slice(self.a.shape()),
            self.a.dtype(),
            0.0,
        ))
    }

    /// An array of ones with this array's shape and dtype.
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result.
    ///
    /// Examples
    /// --------
    /// >>> nd.zeros((2, 2)).ones_like()
    /// [[1. 1.]
    ///  [1. 1.]]
    /// <NDArray 2x2 @cpu(0)>
    fn ones_like(&self) -> PyNDArray {
        PyNDArray::from_tensor(Tensor::filled(
            Shape::from_slice(self.a.shape()),
            self.a.dtype(),
            1.0,
        ))
    }

    // Operators -----------------------------------------------------------------------------

    fn __add__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::add, ops::add_scalar, false)?)
    }
    fn __radd__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::add, ops::add_scalar, true)?)
    }
    fn __iadd__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::add, ops::add_scalar)
    }
    fn __sub__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::sub, ops::sub_scalar, false)?)
    }
    fn __rsub__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::sub, ops::rsub_scalar, true)?)
    }
    fn __isub__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::sub, ops::sub_scalar)
    }
    fn __mul__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::mul, ops::mul_scalar, false)?)
    }
    fn __rmul__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::mul, ops::mul_scalar, true)?)
    }
    fn __imul__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::mul, ops::mul_scalar)
    }
    fn __truediv__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::div, ops::div_scalar, false)?)
    }
    fn __rtruediv__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::div, ops::rdiv_scalar, true)?)
    }
    fn __itruediv__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::div, ops::div_scalar)
    }
    fn __pow__(
        &self,
        py: Python<'_>,
        o: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        no_modulo(modulo)?;
        not_implemented(py, self.binary(py, o, ops::power, ops::pow_scalar, false)?)
    }
    fn __rpow__(
        &self,
        py: Python<'_>,
        o: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        no_modulo(modulo)?;
        not_implemented(py, self.binary(py, o, ops::power, ops::rpow_scalar, true)?)
    }
    fn __mod__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::modulo, ops::mod_scalar, false)?)
    }
    fn __rmod__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::modulo, ops::rmod_scalar, true)?)
    }
    fn __imod__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::modulo, ops::mod_scalar)
    }

    fn __matmul__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Some(Operand::Array(y)) = operand(o) else {
            refuse_numpy(o)?;
            return Ok(py.NotImplemented());
        };
        let x = self.a.tensor();
        let out = run(py, x.numel().max(y.numel()), || {
            ops::linalg::dot(&x, &y, false, false)
        })?;
        Ok(Py::new(py, PyNDArray::from_tensor(out))?.into_any())
    }
    fn __neg__(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.unary(py, ops::negative)
    }
    fn __pos__(&self) -> PyNDArray {
        PyNDArray::new(self.share())
    }
    fn __abs__(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.unary(py, ops::abs)
    }

    #[allow(clippy::type_complexity)]
    fn __richcmp__(
        &self,
        py: Python<'_>,
        o: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let (arrays, scalar): (
            fn(&Tensor, &Tensor) -> EResult<Tensor>,
            fn(&Tensor, f64) -> EResult<Tensor>,
        ) = match op {
            CompareOp::Eq => (ops::equal, ops::equal_scalar),
            CompareOp::Ne => (ops::not_equal, ops::not_equal_scalar),
            CompareOp::Lt => (ops::lesser, ops::lesser_scalar),
            CompareOp::Le => (ops::lesser_equal, ops::lesser_equal_scalar),
            CompareOp::Gt => (ops::greater, ops::greater_scalar),
            CompareOp::Ge => (ops::greater_equal, ops::greater_equal_scalar),
        };
        not_implemented(py, self.binary(py, o, arrays, scalar, false)?)
    }

    // Indexing ------------------------------------------------------------------------------

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<PyNDArray> {
        let items = key_items("__getitem__", key)?;
        let plan = index::plan("__getitem__", self.a.shape(), &items)?;
        let x = self.a.tensor();
        match plan {
            Plan::Region {
                region,
                shape,
                view,
            } => {
                let start = region.contiguous_start().filter(|_| view);
                let out = run(py, numel(&region.shape), || {
                    index::get_region(&x, &region, shape.clone())
                })?;
                match start {
                    // A contiguous region shares memory with x, as in MXNet.
                    Some(start) => Ok(PyNDArray::new(self.a.view(
                        start,
                        out.shape_vec(),
                        out.entry().cloned(),
                    ))),
                    None => Ok(PyNDArray::from_tensor(out)),
                }
            }
            Plan::Gather {
                offsets,
                block,
                shape,
            } => {
                let out = run(py, numel(&shape), || {
                    index::gather_at(&x, &offsets, block, shape.clone())
                })?;
                Ok(PyNDArray::from_tensor(out))
            }
        }
    }

    fn __setitem__(&mut self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.a.check_writable("__setitem__")?;
        let dtype = self.a.dtype();
        // Everything is checked before anything is written: a failed assignment leaves the
        // array as it was.
        let plan = index::plan(
            "__setitem__",
            self.a.shape(),
            &key_items("__setitem__", key)?,
        )?;
        let given = match operand(value) {
            Some(Operand::Scalar(s)) => Tensor::filled(Shape::new(), dtype, s),
            _ => tensor_from_any(value, dtype)?,
        };
        if crate::graph::mode::is_recording() && given.requires_grad() {
            return self.assign_recorded(plan, &given);
        }
        // (Each step consumes the previous value: a value still alive would hold a reference
        // to the buffer and make the write below copy it.)
        let v = if given.dtype() == dtype {
            Tensor::from(given.into_value())
        } else {
            ops::cast(&given.detach(), dtype)?
        };
        // A value read from this array itself (`x[0] += 1` ends in `x[0] = <view of x>`)
        // shares its buffer: copied first, so the write goes in place instead of copying the
        // whole buffer (and memory shared through DLPack stays shared).
        let v = if std::sync::Arc::ptr_eq(v.value().buffer(), &self.a.storage().snapshot()) {
            let own = ops::copy(&v)?;
            drop(v);
            own
        } else {
            v
        };
        let full = broadcast_value(&v, plan.shape())?;
        let offset = self.a.offset();
        match plan {
            Plan::Region { region, .. } => {
                if region.contiguous_start() == Some(0) && full.numel() == self.a.numel() {
                    return Ok(self.a.assign(&full)?);
                }
                self.a.modify(|buf| {
                    crate::with_dtype!(full.dtype(), T => {
                        let src = full.data::<T>()?;
                        if let Some(dst) = <T as crate::dtype::Element>::slice_mut(buf) {
                            let r = Region { base: region.base + offset as isize, ..region.clone() };
                            index::scatter_values(dst, &r, src);
                        }
                    });
                    Ok(())
                })?;
            }
            Plan::Gather { offsets, block, .. } => {
                self.a.modify(|buf| {
                    crate::with_dtype!(full.dtype(), T => {
                        let src = full.data::<T>()?;
                        if let Some(dst) = <T as crate::dtype::Element>::slice_mut(buf) {
                            let dst = dst.get_mut(offset..).unwrap_or_default();
                            index::write_at(dst, &offsets, block, src)?;
                        }
                    });
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

/// A value to assign, broadcast to the shape the key selects by NumPy's rule: leading axes of
/// length 1 beyond the target's dimensions are dropped, then the rest broadcasts. (So a
/// (1, 1, 1, 9) value fills a (16, 9, 9) region, and MXNet's (1,) scalars fill anything.)
/// Recorded when `v` is: the gradient of a broadcast value sums over the copies.
fn broadcast_value(v: &Tensor, target: &[usize]) -> EResult<Tensor> {
    let lead = v
        .shape()
        .iter()
        .take(v.ndim().saturating_sub(target.len()))
        .take_while(|&&d| d == 1)
        .count();
    let trimmed = &v.shape()[lead..];
    let fits = trimmed.len() <= target.len()
        && crate::shape::broadcast_shapes("__setitem__", trimmed, target)
            .is_ok_and(|s| s.as_slice() == target);
    if !fits {
        return Err(shape_err(
            "__setitem__",
            format!(
                "cannot assign a value of shape {} to a region of shape {}",
                fmt_tuple(v.shape()),
                fmt_tuple(target)
            ),
        ));
    }
    if v.shape() == target {
        return Ok(v.clone());
    }
    let v = if lead > 0 {
        ops::reshape(v, Shape::from_slice(trimmed))?
    } else {
        v.clone()
    };
    ops::broadcast_to(&v, target)
}

impl PyNDArray {
    /// `self[key] = v` inside record() with a `v` that needs a gradient: a recorded assignment
    /// whose result becomes this array's value and place in the graph.
    fn assign_recorded(&mut self, plan: Plan, v: &Tensor) -> PyResult<()> {
        if v.dtype() != self.a.dtype() {
            return Err(crate::error::dtype_err(
                "__setitem__",
                format!(
                    "cannot assign a recorded {} array into a {} array; use .astype",
                    v.dtype(),
                    self.a.dtype()
                ),
            )
            .into());
        }
        let full = broadcast_value(v, plan.shape())?;
        let out = match plan {
            Plan::Region { region, .. } => {
                let region_shaped = ops::reshape(&full, region.shape.clone())?;
                index::assign_region(&self.a.tensor(), &region_shaped, &region)?
            }
            Plan::Gather { offsets, block, .. } => {
                index::assign_at(&self.a.tensor(), &full, &offsets, block)?
            }
        };
        self.a
            .storage()
            .write_region(self.a.offset(), self.a.shape(), &out)?;
        self.a.set_entry(out.entry().cloned());
        Ok(())
    }

    fn share(&self) -> NDArray {
        self.a.view(
            0,
            Shape::from_slice(self.a.shape()),
            self.a.entry().cloned(),
        )
    }

    /// An NDArray over this array's storage holding `y`, a recorded reshape of this array's
    /// value (MXNet's `inplace=True` for flatten, squeeze, expand_dims): writes to either show
    /// in the other, and `y`'s graph entry carries gradients back.
    pub(super) fn view_as(&self, y: &Tensor) -> PyNDArray {
        PyNDArray::new(self.a.view(0, y.shape_vec(), y.entry().cloned()))
    }

    /// A recorded reshape whose result shares this array's storage.
    fn reshaped(&self, shape: Shape) -> PyResult<PyNDArray> {
        let out = ops::reshape(&self.a.tensor(), shape)?;
        Ok(PyNDArray::new(self.a.view(
            0,
            out.shape_vec(),
            out.entry().cloned(),
        )))
    }

    fn index_view(&self, i: isize) -> PyResult<PyNDArray> {
        Python::attach(|py| {
            let key = i.into_pyobject(py)?;
            self.__getitem__(py, key.as_any())
        })
    }
}

/// The items of an index key: a tuple's elements, or the key itself.
fn key_items(op: &'static str, key: &Bound<'_, PyAny>) -> PyResult<SmallVec<[Item; 4]>> {
    match key.cast::<PyTuple>() {
        Ok(t) => t.iter().map(|k| key_item(op, &k)).collect(),
        Err(_) => Ok(smallvec::smallvec![key_item(op, key)?]),
    }
}

fn bad_key(op: &'static str, k: &Bound<'_, PyAny>) -> PyErr {
    index_err(
        op,
        format!(
            "an index must be an int, a slice, None, '...', a bool, or an NDArray, NumPy array \
             or list of integers or booleans; got {}",
            k.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ),
    )
    .into()
}

/// One item of a key. The common ones (ints, slices) are recognised first: `x[i]` and
/// `x[:, j]` sit in users' inner loops.
fn key_item(op: &'static str, k: &Bound<'_, PyAny>) -> PyResult<Item> {
    if k.is_instance_of::<PyBool>() {
        // A bool is an int to Python but a 0-d mask to NumPy (x[True] adds an axis).
        return Ok(Item::Mask {
            mask: vec![k.is_truthy()?],
            shape: Shape::new(),
        });
    }
    if k.is_instance_of::<PyInt>() {
        return k.extract::<i64>().map(Item::Int).map_err(|_| {
            index_err(op, format!("index {} is out of bounds for any array", k)).into()
        });
    }
    if let Ok(s) = k.cast::<PySlice>() {
        let bound = |name: &str| -> PyResult<Option<i64>> {
            let b = s.getattr(name)?;
            if b.is_none() {
                return Ok(None);
            }
            b.extract::<i64>().map(Some).map_err(|_| {
                index_err(
                    op,
                    format!(
                        "slice bounds must be integers or None, got {} for {}",
                        b.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                        name
                    ),
                )
                .into()
            })
        };
        return Ok(Item::Slice {
            start: bound("start")?,
            stop: bound("stop")?,
            step: bound("step")?,
        });
    }
    if k.is_none() {
        return Ok(Item::NewAxis);
    }
    if k.is_instance_of::<PyEllipsis>() {
        return Ok(Item::Ellipsis);
    }
    if let Ok(a) = k.cast::<PyNDArray>() {
        let a = a.borrow();
        let value = a.inner().value();
        let shape = Shape::from_slice(value.shape());
        if !value.dtype().is_float() {
            let positions = crate::with_dtype!(value.dtype(), T => {
                value.data::<T>()?.iter().map(|v| v.to_i64().unwrap_or(i64::MAX)).collect()
            });
            return Ok(Item::Array { positions, shape });
        }
        return index_array(op, value.to_f64_vec(), shape, value.dtype().name());
    }
    let np = k.py().import("numpy")?;
    if k.is_instance(&np.getattr("bool_")?)? {
        return Ok(Item::Mask {
            mask: vec![k.is_truthy()?],
            shape: Shape::new(),
        });
    }
    if k.is_instance(&np.getattr("integer")?)? {
        return Ok(Item::Int(k.extract::<i64>()?));
    }
    let is_array = k.is_instance(&np.getattr("ndarray")?)?;
    if !(is_array || k.is_instance_of::<PyList>() || k.is_instance_of::<PyTuple>()) {
        return Err(bad_key(op, k));
    }
    let arr = np.call_method1("asarray", (k,)).map_err(|e| {
        PyErr::from(index_err(
            op,
            format!(
                "a list used as an index must be rectangular, of integers or booleans: {}",
                e
            ),
        ))
    })?;
    let untyped = arr.cast::<PyUntypedArray>()?;
    let shape = Shape::from_slice(untyped.shape());
    let dtype = untyped.dtype();
    // Read through the numpy crate (any layout, logical order): a Python call per element
    // kind conversion, not per element.
    fn values<T: numpy::Element + Copy>(arr: &Bound<'_, PyAny>) -> PyResult<Vec<T>> {
        let a = arr.cast::<PyArrayDyn<T>>()?.readonly();
        Ok(a.as_array().iter().copied().collect())
    }
    let as_type = |name: &str| -> PyResult<Bound<'_, PyAny>> {
        if dtype.is_equiv_to(&numpy::dtype::<i64>(k.py())) && name == "int64" {
            return Ok(arr.clone());
        }
        arr.call_method1("astype", (name,))
    };
    let dtype_name = || -> String {
        dtype
            .getattr("name")
            .and_then(|n| n.extract())
            .unwrap_or_default()
    };
    match dtype.kind() {
        b'b' => Ok(Item::Mask {
            mask: values::<bool>(&arr)?,
            shape,
        }),
        b'i' | b'u' => Ok(Item::Array {
            positions: values::<i64>(&as_type("int64")?)?,
            shape,
        }),
        // An empty list reads as float64 in NumPy; MXNet takes float index arrays too.
        b'f' => index_array(
            op,
            values::<f64>(&as_type("float64")?)?,
            shape,
            &dtype_name(),
        ),
        _ => Err(index_err(
            op,
            format!(
                "an index array must hold integers or booleans, this one is {}",
                dtype_name()
            ),
        )
        .into()),
    }
}

/// Index positions given as numbers (an NDArray's values, a float NumPy array): MXNet reads a
/// float array as integer positions, so each must be a whole number.
fn index_array(op: &'static str, values: Vec<f64>, shape: Shape, dtype: &str) -> PyResult<Item> {
    if let Some(v) = values.iter().find(|v| v.fract() != 0.0 || !v.is_finite()) {
        return Err(index_err(
            op,
            format!(
                "index {} (in a {} index array) is not an integer position",
                v, dtype
            ),
        )
        .into());
    }
    Ok(Item::Array {
        positions: values.into_iter().map(|v| v as i64).collect(),
        shape,
    })
}

/// A context argument: a CPU Context or 'cpu' pass, a GPU context raises, anything else is a
/// type error.
fn check_context(op: &'static str, ctx: &Bound<'_, PyAny>) -> PyResult<()> {
    if let Ok(c) = ctx.cast::<Context>() {
        return c.get().check_usable(op);
    }
    match ctx.extract::<String>() {
        Ok(s) if s == "cpu" || s.starts_with("cpu(") => Ok(()),
        Ok(s) if s.starts_with("gpu") => Context::gpu_named(&s).check_usable(op),
        _ => Err(type_err(
            op,
            format!(
                "expected a Context (mx.cpu()), got {}",
                ctx.get_type().name()?
            ),
        )
        .into()),
    }
}
