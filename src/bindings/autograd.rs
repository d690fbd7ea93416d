//! `ferrograd._core` autograd entry points: recording flags, backward, grad, variables, and
//! custom Python `Function`s as tape ops.

use super::convert::{flags, tensor_from_any};
use super::pyarray::PyNDArray;
use crate::backward::Options;
use crate::error::{invalid, Result as EResult};
use crate::graph::mode;
use crate::graph::variable::GradReq;
use crate::graph::Tensor;
use crate::graph::{record, Ctx, Grads, Op, Save};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

#[pyfunction]
fn is_recording() -> bool {
    mode::is_recording()
}

#[pyfunction]
fn is_training() -> bool {
    mode::is_training()
}

/// Sets recording on or off; returns the previous state.
#[pyfunction]
fn set_recording(is_recording: bool) -> bool {
    mode::set_recording(is_recording)
}

/// Sets training mode on or off; returns the previous state.
#[pyfunction]
fn set_training(train_mode: bool) -> bool {
    mode::set_training(train_mode)
}

/// A list of arrays from one array or a sequence of them.
fn arrays(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Tensor>> {
    if let Ok(a) = obj.cast::<PyNDArray>() {
        return Ok(vec![a.borrow().inner().tensor()]);
    }
    let items: Vec<Bound<'_, PyAny>> = obj
        .try_iter()
        .map_err(|_| {
            PyErr::from(invalid(
                "autograd",
                format!("{} must be an NDArray or a list of NDArrays", what),
            ))
        })?
        .collect::<PyResult<_>>()?;
    items
        .iter()
        .map(|i| {
            i.cast::<PyNDArray>()
                .map(|a| a.borrow().inner().tensor())
                .map_err(|_| {
                    invalid(
                        "autograd",
                        format!(
                            "{} must contain only NDArrays, found {}",
                            what,
                            i.get_type()
                        ),
                    )
                    .into()
                })
        })
        .collect()
}

/// Head gradients: None, one array, or a list with None entries.
fn head_grads(obj: Option<&Bound<'_, PyAny>>, heads: &[Tensor]) -> PyResult<Vec<Option<Tensor>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(vec![None; heads.len()]);
    };
    let items: Vec<Bound<'_, PyAny>> =
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            obj.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![obj.clone()]
        };
    if items.len() != heads.len() {
        return Err(invalid(
            "backward",
            format!(
                "got {} head gradients for {} heads",
                items.len(),
                heads.len()
            ),
        )
        .into());
    }
    items
        .iter()
        .zip(heads)
        .map(|(g, h)| {
            if g.is_none() {
                Ok(None)
            } else {
                tensor_from_any(g, h.dtype()).map(Some)
            }
        })
        .collect()
}

#[pyfunction]
#[pyo3(signature = (heads, head_grads = None, retain_graph = false, train_mode = true))]
fn backward(
    py: Python<'_>,
    heads: &Bound<'_, PyAny>,
    head_grads: Option<&Bound<'_, PyAny>>,
    #[pyo3(from_py_with = flags::retain_graph)] retain_graph: bool,
    #[pyo3(from_py_with = flags::train_mode)] train_mode: bool,
) -> PyResult<()> {
    let heads = arrays(heads, "heads")?;
    let grads = self::head_grads(head_grads, &heads)?;
    let options = Options {
        retain_graph,
        create_graph: false,
        train_mode,
        allow_unused: false,
    };
    // Without the GIL (other Python threads run meanwhile), and cut short by a Ctrl-C.
    super::process::interruptible(py, || crate::backward::backward(&heads, &grads, options))
}

#[pyfunction]
#[pyo3(signature = (heads, variables, head_grads = None, retain_graph = None, create_graph = false, train_mode = true, allow_unused = false))]
#[allow(clippy::too_many_arguments)]
fn grad(
    py: Python<'_>,
    heads: &Bound<'_, PyAny>,
    variables: &Bound<'_, PyAny>,
    head_grads: Option<&Bound<'_, PyAny>>,
    retain_graph: Option<bool>,
    #[pyo3(from_py_with = flags::create_graph)] create_graph: bool,
    #[pyo3(from_py_with = flags::train_mode)] train_mode: bool,
    #[pyo3(from_py_with = flags::allow_unused)] allow_unused: bool,
) -> PyResult<Py<PyAny>> {
    let heads = arrays(heads, "heads")?;
    let vars = arrays(variables, "variables")?;
    let grads = self::head_grads(head_grads, &heads)?;
    let options = Options {
        retain_graph: retain_graph.unwrap_or(create_graph),
        create_graph,
        train_mode,
        allow_unused,
    };
    let out = super::process::interruptible(py, || {
        crate::backward::grad(&heads, &vars, &grads, options)
    })?;
    let wrapped: Vec<Py<PyAny>> = out
        .into_iter()
        .map(|t| Ok(Py::new(py, PyNDArray::from_tensor(t))?.into_any()))
        .collect::<PyResult<_>>()?;
    // MXNet returns a list even for one variable.
    Ok(PyList::new(py, wrapped)?.into_any().unbind())
}

#[pyfunction]
#[pyo3(signature = (variables, gradients, grad_reqs = None))]
fn mark_variables(
    variables: &Bound<'_, PyAny>,
    gradients: &Bound<'_, PyAny>,
    grad_reqs: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let vars = as_list(variables)?;
    let grads = as_list(gradients)?;
    if vars.len() != grads.len() {
        return Err(invalid(
            "mark_variables",
            format!(
                "{} variables but {} gradient buffers",
                vars.len(),
                grads.len()
            ),
        )
        .into());
    }
    let reqs: Vec<GradReq> = match grad_reqs {
        None => vec![GradReq::Write; vars.len()],
        Some(r) => match r.extract::<String>() {
            Ok(s) => vec![GradReq::parse(&s)?; vars.len()],
            Err(_) => r
                .extract::<Vec<String>>()?
                .iter()
                .map(|s| GradReq::parse(s))
                .collect::<EResult<_>>()?,
        },
    };
    if reqs.len() != vars.len() {
        return Err(invalid(
            "mark_variables",
            "grad_reqs must be one string or one per variable",
        )
        .into());
    }
    for ((v, g), req) in vars.iter().zip(&grads).zip(reqs) {
        let g = g.borrow().inner().detached();
        v.borrow_mut().inner_mut().mark_variable(&g, req)?;
    }
    Ok(())
}

fn as_list<'py>(o: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyNDArray>>> {
    if let Ok(a) = o.cast::<PyNDArray>() {
        return Ok(vec![a.clone()]);
    }
    o.try_iter()?
        .map(|i| Ok(i?.cast_into::<PyNDArray>()?))
        .collect()
}

/// A Python `autograd.Function` on the tape: backward calls its `backward` method.
struct PyFunctionOp {
    func: Py<PyAny>,
}

impl Op for PyFunctionOp {
    fn name(&self) -> &'static str {
        "Function"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> EResult<Grads> {
        let n_in = ctx.n_inputs();
        // An exception raised by the user's code reaches whoever called backward as itself
        // (type, message, traceback); a result that breaks the Function contract is ours.
        let raised = |e: PyErr| {
            let text = format!("custom Function backward raised {}", e);
            crate::error::Error::External(crate::error::Foreign::new(e, text))
        };
        Python::attach(|py| -> EResult<Grads> {
            let args = grads
                .iter()
                .map(|g| Ok(Py::new(py, PyNDArray::from_tensor(g.clone()))?.into_any()))
                .collect::<PyResult<Vec<_>>>()
                .and_then(|args| PyTuple::new(py, args))
                .map_err(raised)?;
            let res = self
                .func
                .bind(py)
                .call_method1("backward", args)
                .map_err(raised)?;
            let type_name = |o: &Bound<'_, PyAny>| {
                o.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|_| "object".into())
            };
            let items: Vec<Bound<'_, PyAny>> = if res.cast::<PyNDArray>().is_ok() {
                vec![res]
            } else if res.is_instance_of::<PyList>() || res.is_instance_of::<PyTuple>() {
                res.try_iter()
                    .and_then(|it| it.collect::<PyResult<_>>())
                    .map_err(raised)?
            } else {
                return Err(crate::error::type_err(
                    "Function.backward",
                    format!(
                        "returned {}; return one gradient (an NDArray, or None) per input, \
                         as a tuple when there are several",
                        type_name(&res)
                    ),
                ));
            };
            if items.len() != n_in {
                return Err(invalid(
                    "Function.backward",
                    format!("returned {} gradients for {} inputs", items.len(), n_in),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    if g.is_none() {
                        return Ok(None);
                    }
                    let t = g
                        .cast::<PyNDArray>()
                        .map_err(|_| {
                            crate::error::type_err(
                                "Function.backward",
                                format!(
                                    "gradient {} is a {}, expected an NDArray or None",
                                    i,
                                    type_name(g)
                                ),
                            )
                        })?
                        .borrow()
                        .inner()
                        .tensor();
                    if t.shape() != ctx.input_shape(i) {
                        return Err(crate::error::shape_err(
                            "Function.backward",
                            format!(
                                "gradient {} has shape {} but input {} has shape {}",
                                i,
                                crate::shape::fmt_tuple(t.shape()),
                                i,
                                crate::shape::fmt_tuple(ctx.input_shape(i))
                            ),
                        ));
                    }
                    Ok(Some(t))
                })
                .collect()
        })
    }
}

/// Links `outputs` (computed by `func.forward` with recording paused) to `inputs` on the tape.
#[pyfunction]
fn record_function(
    func: Py<PyAny>,
    inputs: Vec<Bound<'_, PyNDArray>>,
    outputs: Vec<Bound<'_, PyNDArray>>,
) -> PyResult<()> {
    let ins: Vec<Tensor> = inputs.iter().map(|a| a.borrow().inner().tensor()).collect();
    let mut outs: Vec<Tensor> = outputs
        .iter()
        .map(|a| Tensor::from(a.borrow().inner().value()))
        .collect();
    let refs: Vec<&Tensor> = ins.iter().collect();
    record(PyFunctionOp { func }, &refs, Save::NOTHING, &mut outs);
    for (o, t) in outputs.iter().zip(outs) {
        o.borrow_mut().inner_mut().set_entry(t.entry().cloned());
    }
    Ok(())
}

/// Nodes alive on the tape (for memory tests).
#[pyfunction]
fn live_nodes() -> usize {
    crate::graph::live_nodes()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(is_recording, m)?,
        wrap_pyfunction!(is_training, m)?,
        wrap_pyfunction!(set_recording, m)?,
        wrap_pyfunction!(set_training, m)?,
        wrap_pyfunction!(backward, m)?,
        wrap_pyfunction!(grad, m)?,
        wrap_pyfunction!(mark_variables, m)?,
        wrap_pyfunction!(record_function, m)?,
        wrap_pyfunction!(live_nodes, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
