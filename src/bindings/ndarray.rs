//! NDArray's Python methods: properties, conversions, operators and indexing. Each unpacks
//! its arguments, calls one engine op, and wraps the result. (The fluent `nd` methods,
//! `x.softmax()` and the like, are declared with their `nd` function.)

use super::convert::{dtype_object, operand, parse_dtype, run, tensor_from_any, to_numpy, Operand};
use super::pyarray::{cpu, Context, PyNDArray};
use crate::array::NDArray;
use crate::dtype::DType;
use crate::error::{index_err, invalid, shape_err, type_err, Result as EResult};
use crate::graph::variable::GradReq;
use crate::graph::Tensor;
use crate::ops::{self, index::Region};
use crate::shape::{fmt_tuple, resolve_reshape, strides_of, Shape};
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyEllipsis, PyList, PySlice, PyTuple};

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

    #[pyo3(signature = (out_grad = None, retain_graph = false, train_mode = true))]
    fn backward(
        &self,
        py: Python<'_>,
        out_grad: Option<&Bound<'_, PyAny>>,
        retain_graph: bool,
        train_mode: bool,
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
    fn detach(&self) -> PyNDArray {
        PyNDArray::new(self.a.detached())
    }

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

    #[pyo3(signature = (dtype, copy = true))]
    fn astype(&self, py: Python<'_>, dtype: &Bound<'_, PyAny>, copy: bool) -> PyResult<PyNDArray> {
        let dt = parse_dtype(Some(dtype), self.a.dtype())?;
        if !copy && dt == self.a.dtype() {
            return Ok(PyNDArray::new(self.share()));
        }
        let x = self.a.tensor();
        Ok(PyNDArray::from_tensor(run(py, x.numel(), || {
            ops::cast(&x, dt)
        })?))
    }

    /// A copy as a classic NDArray (MXNet's bridge from its NumPy-style arrays; here every
    /// array is one).
    fn as_nd_ndarray(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.copy(py)
    }

    fn copy(&self, py: Python<'_>) -> PyResult<PyNDArray> {
        self.unary(py, ops::copy)
    }

    /// Copies this array's values into `other` (an NDArray of the same shape) and returns it;
    /// a Context gives a copy.
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
        Ok(Py::new(py, self.copy(py)?)?.into_any())
    }

    #[pyo3(signature = (*_args))]
    fn as_in_context(&self, _args: &Bound<'_, PyTuple>) -> PyNDArray {
        PyNDArray::new(self.share())
    }

    fn wait_to_read(&self) {}

    /// Storage type conversion: only 'default' (dense) exists in ferrograd.
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
                    "reverse" => reverse = v.extract()?,
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

    #[pyo3(signature = (*axes))]
    fn transpose(&self, py: Python<'_>, axes: &Bound<'_, PyTuple>) -> PyResult<PyNDArray> {
        let axes: Option<Vec<isize>> = match axes.len() {
            0 => None,
            1 if axes.get_item(0)?.is_none() => None,
            1 if axes.get_item(0)?.extract::<isize>().is_err() => {
                Some(axes.get_item(0)?.extract()?)
            }
            _ => Some(axes.extract()?),
        };
        let x = self.a.tensor();
        Ok(PyNDArray::from_tensor(run(py, x.numel(), || {
            ops::transpose(&x, axes.as_deref())
        })?))
    }

    fn zeros_like(&self) -> PyNDArray {
        PyNDArray::from_tensor(Tensor::filled(
            Shape::from_slice(self.a.shape()),
            self.a.dtype(),
            0.0,
        ))
    }

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
        not_implemented(py, self.binary(py, o, ops::sub, sub_scalar, false)?)
    }
    fn __rsub__(&self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        not_implemented(py, self.binary(py, o, ops::sub, ops::rsub_scalar, true)?)
    }
    fn __isub__(&mut self, py: Python<'_>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        self.in_place(py, o, ops::sub, sub_scalar)
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
        let x = self.a.tensor();
        match parse_key(self.a.shape(), key)? {
            Key::Rows(idx) => Ok(PyNDArray::from_tensor(ops::index::take_rows(&x, &idx)?)),
            Key::Region {
                region,
                out_shape,
                view,
            } => {
                let out = run(py, region.shape.iter().product(), || {
                    ops::index::get_region(&x, &region, out_shape.clone())
                })?;
                if view {
                    // x[i] and x[a:b] share memory with x, as in MXNet.
                    let start = region.base as usize;
                    Ok(PyNDArray::new(self.a.view(
                        start,
                        out.shape_vec(),
                        out.entry().cloned(),
                    )))
                } else {
                    Ok(PyNDArray::from_tensor(out))
                }
            }
        }
    }

    fn __setitem__(&mut self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.a.check_writable("__setitem__")?;
        let dtype = self.a.dtype();
        let given = match operand(value) {
            Some(Operand::Scalar(s)) => Tensor::filled(smallvec::smallvec![1], dtype, s),
            _ => tensor_from_any(value, dtype)?,
        };
        if crate::graph::mode::is_recording() && given.requires_grad() {
            return self.assign_recorded(key, &given);
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
        match parse_key(self.a.shape(), key)? {
            Key::Region {
                region, out_shape, ..
            } => {
                let full = ops::broadcast_to(&reshape_for_region(&v, &out_shape)?, &out_shape)?;
                if region.contiguous_start() == Some(0) && full.numel() == self.a.numel() {
                    return Ok(self.a.assign(&full)?);
                }
                let offset = self.a.offset() as isize;
                self.a.modify(|buf| {
                    crate::with_dtype!(full.dtype(), T => {
                        let src = full.data::<T>()?;
                        if let Some(dst) = <T as crate::dtype::Element>::slice_mut(buf) {
                            let r = Region { base: region.base + offset, ..region.clone() };
                            ops::index::scatter_values(dst, &r, src);
                        }
                    });
                    Ok(())
                })?;
            }
            Key::Rows(idx) => {
                let rows = ops::index::take_rows(&self.a.constant(), &idx)?; // validates indices
                let full = ops::broadcast_to(&reshape_for_region(&v, rows.shape())?, rows.shape())?;
                let row_len: usize = self.a.shape()[1..].iter().product();
                let positions: Vec<usize> = idx
                    .to_f64_vec()
                    .iter()
                    .map(|&i| {
                        let n = self.a.shape()[0] as i64;
                        let i = i as i64;
                        (if i < 0 { i + n } else { i }) as usize
                    })
                    .collect();
                let offset = self.a.offset();
                self.a.modify(|buf| {
                    crate::with_dtype!(full.dtype(), T => {
                        let src = full.data::<T>()?;
                        if let Some(dst) = <T as crate::dtype::Element>::slice_mut(buf) {
                            for (k, &r) in positions.iter().enumerate() {
                                dst[offset + r * row_len..][..row_len].copy_from_slice(&src[k * row_len..][..row_len]);
                            }
                        }
                    });
                    Ok(())
                })?;
            }
        }
        Ok(())
    }
}

/// `x - s` as `x + (-s)` would differ from NumPy in the last bit for some values; keep it exact.
fn sub_scalar(x: &Tensor, s: f64) -> EResult<Tensor> {
    ops::add_scalar(x, -s)
}

/// A value to assign may lack the leading unit axes of the region (NumPy broadcasting), or
/// be the region's size in another shape of fewer dims (MXNet's (1,) scalars).
fn reshape_for_region(v: &Tensor, region: &[usize]) -> EResult<Tensor> {
    if v.numel() == 1 {
        return ops::reshape(v, smallvec::smallvec![1]);
    }
    if crate::shape::broadcast_shapes("__setitem__", v.shape(), region)
        .map(|s| s.as_slice() == region)
        .unwrap_or(false)
    {
        return Ok(v.clone());
    }
    Err(shape_err(
        "__setitem__",
        format!(
            "cannot assign a value of shape {} to a region of shape {}",
            fmt_tuple(v.shape()),
            fmt_tuple(region)
        ),
    ))
}

impl PyNDArray {
    /// `self[key] = v` inside record() with a `v` that needs a gradient: a recorded slice
    /// assignment whose result becomes this array's value and place in the graph.
    fn assign_recorded(&mut self, key: &Bound<'_, PyAny>, v: &Tensor) -> PyResult<()> {
        let Key::Region {
            region, out_shape, ..
        } = parse_key(self.a.shape(), key)?
        else {
            return Err(invalid(
                "__setitem__",
                "assigning a recorded array to rows picked by an index array inside \
                 autograd.record() is not differentiable; use a slice or nd.where",
            )
            .into());
        };
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
        let full = ops::broadcast_to(&reshape_for_region(v, &out_shape)?, &out_shape)?;
        let region_shaped = ops::reshape(&full, region.shape.clone())?;
        let out = ops::index::assign_region(&self.a.tensor(), &region_shaped, &region)?;
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

/// What an index key selects.
enum Key {
    /// Basic indexing. `view`: the MXNet forms that share memory (x[i], x[a:b]).
    Region {
        region: Region,
        out_shape: Shape,
        view: bool,
    },
    /// Rows along axis 0 picked by an index array.
    Rows(Tensor),
}

fn parse_key(shape: &[usize], key: &Bound<'_, PyAny>) -> PyResult<Key> {
    if let Ok(a) = key.cast::<PyNDArray>() {
        return Ok(Key::Rows(a.borrow().a.constant()));
    }
    if key.is_instance_of::<PyList>() {
        let idx = super::convert::from_numpy(key, DType::I64)?;
        return Ok(Key::Rows(idx));
    }
    if let Ok(np) = key.py().import("numpy") {
        if let Ok(nd_type) = np.getattr("ndarray") {
            if key.is_instance(&nd_type)? && key.getattr("ndim")?.extract::<usize>()? > 0 {
                return Ok(Key::Rows(super::convert::from_numpy(key, DType::I64)?));
            }
        }
    }
    let items: Vec<Bound<'_, PyAny>> = if let Ok(t) = key.cast::<PyTuple>() {
        t.iter().collect()
    } else {
        vec![key.clone()]
    };
    let is_tuple = key.is_instance_of::<PyTuple>();
    let n_real = items
        .iter()
        .filter(|k| !k.is_instance_of::<PyEllipsis>())
        .count();
    if n_real > shape.len() {
        return Err(index_err(
            "__getitem__",
            format!(
                "too many indices ({}) for an array of shape {}",
                n_real,
                fmt_tuple(shape)
            ),
        )
        .into());
    }
    let own = strides_of(shape);
    let mut base: isize = 0;
    let mut rshape = Shape::new();
    let mut rstrides: Vec<isize> = Vec::new();
    let mut dim = 0usize;
    let mut view = !is_tuple;
    let mut seen_ellipsis = false;
    for item in &items {
        if item.is_instance_of::<PyEllipsis>() {
            if seen_ellipsis {
                return Err(index_err(
                    "__getitem__",
                    "an index can only have a single ellipsis ('...')",
                )
                .into());
            }
            seen_ellipsis = true;
            // The ellipsis stands for every axis the other items do not name.
            for _ in 0..shape.len() - n_real {
                rshape.push(shape[dim]);
                rstrides.push(own[dim] as isize);
                dim += 1;
            }
            continue;
        }
        if let Ok(slice) = item.cast::<PySlice>() {
            let len = shape[dim] as isize;
            let ind = slice.indices(len)?;
            if ind.step != 1 {
                view = false;
            }
            base += ind.start * own[dim] as isize;
            rshape.push(ind.slicelength);
            rstrides.push(ind.step * own[dim] as isize);
            dim += 1;
            continue;
        }
        let i: isize =
            item.extract().map_err(|_| {
                PyErr::from(index_err(
                    "__getitem__",
                    format!(
                    "index must be an int, a slice, '...', or an NDArray/list of indices, got {}",
                    item.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                ),
                ))
            })?;
        let len = shape[dim] as isize;
        let j = if i < 0 { i + len } else { i };
        if j < 0 || j >= len {
            return Err(index_err(
                "__getitem__",
                format!(
                    "index {} is out of bounds for axis {} with size {}",
                    i, dim, len
                ),
            )
            .into());
        }
        base += j * own[dim] as isize;
        dim += 1;
    }
    for d in dim..shape.len() {
        rshape.push(shape[d]);
        rstrides.push(own[d] as isize);
    }
    let mut out_shape = rshape.clone();
    if out_shape.is_empty() {
        out_shape.push(1);
    }
    let region = Region {
        base,
        shape: rshape,
        strides: rstrides,
    };
    let view = view && region.contiguous_start().is_some();
    Ok(Key::Region {
        region,
        out_shape,
        view,
    })
}
