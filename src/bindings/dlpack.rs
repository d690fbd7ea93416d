//! DLPack: arrays exchanged with NumPy 2, PyTorch and other libraries without a copy.
//!
//! Export (`x.__dlpack__()`, what `numpy.from_dlpack(x)` and `torch.from_dlpack(x)` call, and
//! MXNet's `nd.to_dlpack_for_read(x)`): the consumer sees the buffer holding x's current
//! values; the capsule keeps that buffer alive. The buffer may be shared with values a
//! recorded graph saved, so the export is read-only: versioned capsules (DLPack 1.x, which
//! NumPy asks for) carry the read-only flag, and a legacy capsule's consumer must not write.
//! Later writes to x from ferrograd leave the export as it was (copy-on-write: x gets a new
//! buffer), so the consumer never sees memory change under it.
//!
//! `nd.to_dlpack_for_write(x)` (MXNet's): the consumer may write, and x sees the writes. x's
//! buffer is first made its own (copied if a recorded graph shares it), so the writes reach
//! x and nothing else. They stop reaching x once ferrograd itself writes to x (x then moves to
//! a copy, as above).
//!
//! Import (`nd.from_dlpack(obj)`): a CPU tensor that is C-contiguous, aligned and of a dtype
//! ferrograd has is shared, not copied: writes from the producer's side are seen by the
//! NDArray, and in-place writes to the NDArray (`x[:] = ...`, `x += 1`) land in the shared
//! memory while no recorded graph holds x's values (copy-on-write otherwise); a read-only
//! producer's memory is copied before ferrograd writes. Strided tensors are copied.

use super::pyarray::PyNDArray;
use crate::dtype::{Buffer, DType, ExternalData};
use crate::error::{dtype_err, invalid};
use crate::graph::Tensor;
use crate::shape::{checked_numel, Shape};
use crate::value::Value;
use pyo3::exceptions::{PyBufferError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
use std::ffi::{c_void, CStr};
use std::sync::Arc;

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDevice {
    device_type: i32,
    device_id: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDataType {
    code: u8,
    bits: u8,
    lanes: u16,
}

#[repr(C)]
struct DLTensor {
    data: *mut c_void,
    device: DLDevice,
    ndim: i32,
    dtype: DLDataType,
    shape: *mut i64,
    strides: *mut i64,
    byte_offset: u64,
}

#[repr(C)]
struct DLManagedTensor {
    dl_tensor: DLTensor,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensor)>,
}

#[repr(C)]
struct DLPackVersion {
    major: u32,
    minor: u32,
}

#[repr(C)]
struct DLManagedTensorVersioned {
    version: DLPackVersion,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensorVersioned)>,
    flags: u64,
    dl_tensor: DLTensor,
}

const CPU: i32 = 1;
const FLAG_READ_ONLY: u64 = 1;
const FLAG_IS_COPIED: u64 = 2;
const LEGACY: &CStr = c"dltensor";
const LEGACY_USED: &CStr = c"used_dltensor";
const VERSIONED: &CStr = c"dltensor_versioned";
const VERSIONED_USED: &CStr = c"used_dltensor_versioned";

fn dl_dtype(dtype: DType) -> DLDataType {
    let (code, bits) = match dtype {
        DType::F32 => (2, 32),
        DType::F64 => (2, 64),
        DType::I32 => (0, 32),
        DType::I64 => (0, 64),
        DType::U8 => (1, 8),
        DType::F16 => (2, 16),
        DType::I8 => (0, 8),
    };
    DLDataType {
        code,
        bits,
        lanes: 1,
    }
}

fn from_dl_dtype(t: DLDataType) -> Option<DType> {
    Some(match (t.code, t.bits, t.lanes) {
        (2, 32, 1) => DType::F32,
        (2, 64, 1) => DType::F64,
        (0, 32, 1) => DType::I32,
        (0, 64, 1) => DType::I64,
        (1, 8, 1) => DType::U8,
        (2, 16, 1) => DType::F16,
        (0, 8, 1) => DType::I8,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Export.

/// What an exported tensor owns: the buffer (kept alive) and the shape and strides its
/// `DLTensor` points into.
struct Export {
    _buffer: Arc<Buffer>,
    shape: Vec<i64>,
    strides: Vec<i64>,
}

/// The managed tensor first, so that a pointer to it is a pointer to the whole holder.
#[repr(C)]
struct LegacyHolder {
    managed: DLManagedTensor,
    export: Export,
}

#[repr(C)]
struct VersionedHolder {
    managed: DLManagedTensorVersioned,
    export: Export,
}

unsafe extern "C" fn delete_legacy(m: *mut DLManagedTensor) {
    if !m.is_null() {
        // SAFETY: `m` is the first field of a LegacyHolder made by Box::into_raw in `export`;
        // DLPack calls the deleter once.
        drop(unsafe { Box::from_raw(m as *mut LegacyHolder) });
    }
}

unsafe extern "C" fn delete_versioned(m: *mut DLManagedTensorVersioned) {
    if !m.is_null() {
        // SAFETY: as `delete_legacy`, for a VersionedHolder.
        drop(unsafe { Box::from_raw(m as *mut VersionedHolder) });
    }
}

/// A capsule nobody consumed still owns its tensor: free it with the capsule.
unsafe extern "C" fn capsule_destructor(capsule: *mut ffi::PyObject) {
    // SAFETY: Python calls this with the capsule being destroyed; the queries set no error for
    // a name that does not match (a consumed capsule was renamed "used_...").
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, LEGACY.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, LEGACY.as_ptr()) as *mut DLManagedTensor;
            if let Some(d) = (*m).deleter {
                d(m);
            }
        } else if ffi::PyCapsule_IsValid(capsule, VERSIONED.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, VERSIONED.as_ptr())
                as *mut DLManagedTensorVersioned;
            if let Some(d) = (*m).deleter {
                d(m);
            }
        }
    }
}

/// A DLPack capsule sharing `value`'s buffer: versioned (DLPack 1.0) or legacy.
fn export<'py>(
    py: Python<'py>,
    value: &Value,
    versioned: bool,
    flags: u64,
) -> PyResult<Bound<'py, PyAny>> {
    export_at(
        py,
        value,
        value.buffer().as_ptr() as *mut c_void,
        versioned,
        flags,
    )
}

/// As `export`, with the buffer's first element at `data` (a pointer the caller derived for
/// writing, for an export the consumer may write through).
fn export_at<'py>(
    py: Python<'py>,
    value: &Value,
    data: *mut c_void,
    versioned: bool,
    flags: u64,
) -> PyResult<Bound<'py, PyAny>> {
    let shape: Vec<i64> = value.shape().iter().map(|&d| d as i64).collect();
    let strides: Vec<i64> = crate::shape::strides_of(value.shape())
        .iter()
        .map(|&s| s as i64)
        .collect();
    let mut export = Export {
        _buffer: value.buffer().clone(),
        shape,
        strides,
    };
    let tensor = DLTensor {
        data,
        device: DLDevice {
            device_type: CPU,
            device_id: 0,
        },
        ndim: value.ndim() as i32,
        dtype: dl_dtype(value.dtype()),
        shape: export.shape.as_mut_ptr(),
        strides: export.strides.as_mut_ptr(),
        byte_offset: (value.offset() * value.dtype().size_of()) as u64,
    };
    // The Vecs' heap memory does not move when `export` moves into the holder.
    let (pointer, name) = if versioned {
        let holder = Box::new(VersionedHolder {
            managed: DLManagedTensorVersioned {
                version: DLPackVersion { major: 1, minor: 0 },
                manager_ctx: std::ptr::null_mut(),
                deleter: Some(delete_versioned),
                flags,
                dl_tensor: tensor,
            },
            export,
        });
        (Box::into_raw(holder) as *mut c_void, VERSIONED)
    } else {
        let holder = Box::new(LegacyHolder {
            managed: DLManagedTensor {
                dl_tensor: tensor,
                manager_ctx: std::ptr::null_mut(),
                deleter: Some(delete_legacy),
            },
            export,
        });
        (Box::into_raw(holder) as *mut c_void, LEGACY)
    };
    // SAFETY: `pointer` is a live holder; the capsule's destructor frees it unless a consumer
    // renamed the capsule (taking over the deleter).
    let capsule = unsafe { ffi::PyCapsule_New(pointer, name.as_ptr(), Some(capsule_destructor)) };
    if capsule.is_null() {
        // SAFETY: the capsule was not made, so nothing else owns the holder.
        unsafe {
            if versioned {
                delete_versioned(pointer as *mut DLManagedTensorVersioned)
            } else {
                delete_legacy(pointer as *mut DLManagedTensor)
            }
        }
        return Err(PyErr::fetch(py));
    }
    // SAFETY: a new reference returned by PyCapsule_New.
    Ok(unsafe { Bound::from_owned_ptr(py, capsule) })
}

#[pymethods]
impl PyNDArray {
    /// DLPack export (the array API standard's protocol): a read-only view of the current
    /// values, shared without a copy (`copy=True` exports a copy).
    #[pyo3(signature = (*, stream = None, max_version = None, dl_device = None, copy = None))]
    fn __dlpack__<'py>(
        &self,
        py: Python<'py>,
        stream: Option<&Bound<'py, PyAny>>,
        max_version: Option<(u32, u32)>,
        dl_device: Option<(i32, i32)>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(s) = stream.filter(|s| !s.is_none()) {
            return Err(PyBufferError::new_err(format!(
                "__dlpack__: stream must be None for a CPU array, got {}",
                s
            )));
        }
        if let Some(d) = dl_device.filter(|d| d.0 != CPU) {
            return Err(PyBufferError::new_err(format!(
                "__dlpack__: ferrograd arrays live on the CPU (device type 1), not device {:?}",
                d
            )));
        }
        let mut value = self.inner().value();
        let mut flags = FLAG_READ_ONLY;
        if copy == Some(true) {
            value = crate::ops::copy(&Tensor::from(value))?.value().clone();
            flags = FLAG_IS_COPIED; // a private copy: the consumer may write
        }
        export(py, &value, max_version.is_some_and(|v| v.0 >= 1), flags)
    }

    /// The device for DLPack: (1, 0), the CPU.
    fn __dlpack_device__(&self) -> (i32, i32) {
        (CPU, 0)
    }
}

/// MXNet's `nd.to_dlpack_for_read(x)`: a legacy DLPack capsule sharing x's current values,
/// which the consumer must not write.
///
/// Parameters
/// ----------
/// data : NDArray
///     The array to share.
///
/// Returns
/// -------
/// NDArray
///     The result.
///
/// Examples
/// --------
/// >>> x = nd.array([1, 2])
/// >>> nd.from_dlpack(nd.to_dlpack_for_read(x))
/// [1. 2.]
/// <NDArray 2 @cpu(0)>
#[pyfunction]
fn to_dlpack_for_read<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = ndarray_arg("to_dlpack_for_read", data)?
        .borrow()
        .inner()
        .value();
    export(py, &value, false, FLAG_READ_ONLY)
}
nd_entry!(to_dlpack_for_read);

/// MXNet's `nd.to_dlpack_for_write(x)`: a legacy DLPack capsule of x's own buffer; what the
/// consumer writes there, x sees (until ferrograd writes to x, which moves x to a copy).
///
/// Parameters
/// ----------
/// data : NDArray
///     The array to share.
///
/// Returns
/// -------
/// NDArray
///     The result.
///
/// Examples
/// --------
/// >>> x = nd.array([1, 2])
/// >>> nd.from_dlpack(nd.to_dlpack_for_write(x))
/// [1. 2.]
/// <NDArray 2 @cpu(0)>
#[pyfunction]
fn to_dlpack_for_write<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let data = ndarray_arg("to_dlpack_for_write", data)?;
    let mut arr = data.borrow_mut();
    arr.inner().check_writable("to_dlpack_for_write")?;
    // A write in the engine's terms: x's buffer becomes its own (copied if a recorded graph
    // shares it), so the consumer's writes reach x and nothing else. The pointer handed out
    // is taken from that write access.
    let base = arr.inner_mut().make_own_buffer()?;
    let value = arr.inner().value();
    export_at(py, &value, base as *mut c_void, false, 0)
}
nd_entry!(to_dlpack_for_write);

fn ndarray_arg<'a, 'py>(
    op: &'static str,
    data: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, PyNDArray>> {
    data.cast::<PyNDArray>().map_err(|_| {
        crate::error::type_err(
            op,
            format!(
                "expected an NDArray, got {}",
                data.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ),
        )
        .into()
    })
}

// ---------------------------------------------------------------------------------------------
// Import.

/// Keeps an imported tensor's memory alive; dropping it calls the producer's deleter.
struct Imported {
    managed: *mut c_void,
    versioned: bool,
}

// SAFETY: DLPack deleters may be called from any thread (producers that need Python's GIL
// take it themselves, as NumPy's does); the pointer is used only by `Drop`, once.
unsafe impl Send for Imported {}
// SAFETY: `Imported` has no methods that use the pointer through `&self`.
unsafe impl Sync for Imported {}

impl Drop for Imported {
    fn drop(&mut self) {
        // SAFETY: `managed` is the managed tensor this value took over from a consumed
        // capsule; its deleter is called exactly once, here.
        unsafe {
            if self.versioned {
                let m = self.managed as *mut DLManagedTensorVersioned;
                if let Some(d) = (*m).deleter {
                    d(m);
                }
            } else {
                let m = self.managed as *mut DLManagedTensor;
                if let Some(d) = (*m).deleter {
                    d(m);
                }
            }
        }
    }
}

/// `nd.from_dlpack(obj)`: an NDArray sharing the memory of a DLPack capsule or of an object
/// with `__dlpack__` (a NumPy array, a PyTorch tensor, ...); see the module note.
///
/// Parameters
/// ----------
/// data : NDArray
///     The input array.
///
/// Returns
/// -------
/// NDArray
///     The result.
///
/// Examples
/// --------
/// >>> nd.from_dlpack(np.array([1., 2.], dtype=np.float32))
/// [1. 2.]
/// <NDArray 2 @cpu(0)>
#[pyfunction]
fn from_dlpack(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<PyNDArray> {
    let capsule = if data.is_instance_of::<PyCapsule>() {
        data.clone()
    } else {
        if !data.hasattr("__dlpack__")? {
            return Err(crate::error::type_err(
                "from_dlpack",
                format!(
                    "expected a DLPack capsule or an object with __dlpack__ (a NumPy array, a \
                     PyTorch tensor, ...), got {}",
                    data.get_type().name()?
                ),
            )
            .into());
        }
        if data.hasattr("__dlpack_device__")? {
            let (kind, id): (i32, i32) = data.call_method0("__dlpack_device__")?.extract()?;
            if kind != CPU {
                return Err(PyBufferError::new_err(format!(
                    "from_dlpack: ferrograd computes on the CPU; the tensor is on device \
                     ({}, {}): move it to the CPU first (e.g. tensor.cpu())",
                    kind, id
                )));
            }
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("max_version", (1, 0))?;
        match data.call_method("__dlpack__", (), Some(&kwargs)) {
            Ok(c) => c,
            // A producer older than DLPack 1.0 does not know `max_version`.
            Err(e) if e.is_instance_of::<PyTypeError>(py) => data.call_method0("__dlpack__")?,
            Err(e) => return Err(e),
        }
    };
    import(py, &capsule).map(PyNDArray::from_tensor)
}
nd_entry!(from_dlpack);

fn import(py: Python<'_>, capsule: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    let ptr = capsule.as_ptr();
    // SAFETY: `ptr` is a live object; IsValid checks it is a capsule of that exact name and
    // sets no error otherwise.
    let versioned = unsafe {
        if ffi::PyCapsule_IsValid(ptr, VERSIONED.as_ptr()) == 1 {
            true
        } else if ffi::PyCapsule_IsValid(ptr, LEGACY.as_ptr()) == 1 {
            false
        } else {
            return Err(invalid(
                "from_dlpack",
                "the capsule is not an unconsumed DLPack tensor (a DLPack capsule can be \
                 imported once)",
            )
            .into());
        }
    };
    let name = if versioned { VERSIONED } else { LEGACY };
    // SAFETY: the name was just checked, so the pointer is the producer's managed tensor.
    let managed = unsafe { ffi::PyCapsule_GetPointer(ptr, name.as_ptr()) };
    if managed.is_null() {
        return Err(PyErr::fetch(py));
    }
    // SAFETY: a managed tensor of the kind the capsule's name says, alive while the capsule
    // owns it (it still does: the capsule is renamed below, after reading).
    let (tensor, read_only, version) = unsafe {
        if versioned {
            let m = &*(managed as *const DLManagedTensorVersioned);
            (
                &m.dl_tensor,
                m.flags & FLAG_READ_ONLY != 0,
                Some(m.version.major),
            )
        } else {
            (
                &(*(managed as *const DLManagedTensor)).dl_tensor,
                false,
                None,
            )
        }
    };
    if let Some(major) = version.filter(|&v| v != 1) {
        return Err(invalid(
            "from_dlpack",
            format!("DLPack version {} is not supported (1.x is)", major),
        )
        .into());
    }
    let layout = read_layout(tensor)?;
    // Ours from here on: the capsule's destructor no longer frees the tensor.
    let used = if versioned {
        VERSIONED_USED
    } else {
        LEGACY_USED
    };
    // SAFETY: renaming a valid capsule (the DLPack protocol's way to mark it consumed).
    if unsafe { ffi::PyCapsule_SetName(ptr, used.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    let owner = Imported { managed, versioned };
    let data = (tensor.data as *mut u8).wrapping_add(tensor.byte_offset as usize);
    let value = if layout.contiguous {
        let buffer = Buffer::External(ExternalData {
            dtype: layout.dtype,
            ptr: data,
            len: layout.numel,
            writable: !read_only,
            owner: Box::new(owner),
        });
        Value::from_shared(Arc::new(buffer), 0, layout.shape)
    } else {
        // SAFETY: the producer's tensor is described by these dims and strides (DLPack's
        // contract), and its memory is alive (the deleter runs when `owner` drops, after the
        // copy).
        let v = unsafe { copy_strided(data, &layout) };
        drop(owner);
        v
    };
    Ok(Tensor::from(value))
}

struct Layout {
    dtype: DType,
    shape: Shape,
    /// Element strides (None: C-contiguous by the producer's word).
    strides: Option<Vec<i64>>,
    numel: usize,
    contiguous: bool,
}

/// Checks what ferrograd can hold: a CPU tensor of a supported dtype and a sane shape,
/// aligned; contiguous or not.
fn read_layout(t: &DLTensor) -> PyResult<Layout> {
    if t.device.device_type != CPU {
        return Err(PyBufferError::new_err(format!(
            "from_dlpack: ferrograd computes on the CPU; the tensor is on device ({}, {})",
            t.device.device_type, t.device.device_id
        )));
    }
    let dtype = from_dl_dtype(t.dtype).ok_or_else(|| {
        dtype_err(
            "from_dlpack",
            format!(
                "DLPack dtype (code {}, {} bits, {} lanes) is not one ferrograd has (float32, \
                 float64, float16, int32, int64, uint8, int8); convert it first, e.g. .astype('float32')",
                t.dtype.code, t.dtype.bits, t.dtype.lanes
            ),
        )
    })?;
    let ndim = usize::try_from(t.ndim)
        .map_err(|_| invalid("from_dlpack", format!("negative ndim {}", t.ndim)))?;
    let read = |p: *const i64| -> Vec<i64> {
        if p.is_null() || ndim == 0 {
            Vec::new()
        } else {
            // SAFETY: DLPack's shape and strides arrays hold ndim entries.
            unsafe { std::slice::from_raw_parts(p, ndim) }.to_vec()
        }
    };
    let dims = read(t.shape);
    if ndim > 0 && t.shape.is_null() {
        return Err(invalid("from_dlpack", "the tensor has no shape").into());
    }
    let mut shape: Shape = dims
        .iter()
        .map(|&d| {
            usize::try_from(d)
                .map_err(|_| invalid("from_dlpack", format!("negative dimension {}", d)))
        })
        .collect::<Result<_, _>>()?;
    let numel = checked_numel("from_dlpack", &shape)?;
    let strides = (!t.strides.is_null() && ndim > 0).then(|| read(t.strides));
    // Contiguous when the strides are row-major ones (a dim of size 1 may have any stride).
    let contiguous = match &strides {
        None => true,
        Some(s) => {
            let mut want = 1i64;
            let mut ok = true;
            for (&d, &st) in dims.iter().zip(s).rev() {
                if d != 1 && st != want {
                    ok = false;
                }
                want = want.saturating_mul(d);
            }
            ok || numel == 0
        }
    };
    if numel > 0 {
        let addr = (t.data as usize).wrapping_add(t.byte_offset as usize);
        if t.data.is_null() || addr % dtype.size_of() != 0 {
            return Err(invalid(
                "from_dlpack",
                "the tensor's data pointer is null or not aligned for its dtype",
            )
            .into());
        }
    }
    if shape.is_empty() {
        shape.push(1); // MXNet has no 0-d arrays: a scalar becomes shape (1,)
    }
    Ok(Layout {
        dtype,
        shape,
        strides,
        numel,
        contiguous,
    })
}

/// A contiguous copy of a strided tensor.
///
/// # Safety
/// `data` must address the producer's (live) tensor described by `layout`'s dims and strides.
unsafe fn copy_strided(data: *const u8, layout: &Layout) -> Value {
    let dims: Vec<usize> = layout.shape.to_vec();
    let strides = layout.strides.clone().unwrap_or_default();
    // Offsets of every element, row-major, in elements (the strides are in elements).
    let mut offsets = Vec::with_capacity(layout.numel);
    let mut idx = vec![0usize; dims.len()];
    for _ in 0..layout.numel {
        let off: i64 = idx.iter().zip(&strides).map(|(&i, &s)| i as i64 * s).sum();
        offsets.push(off);
        for d in (0..dims.len()).rev() {
            idx[d] += 1;
            if idx[d] < dims[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    crate::with_dtype!(layout.dtype, T => {
        let base = data as *const T;
        // SAFETY: each offset addresses an element of the producer's tensor (the caller's
        // contract), aligned (checked in `read_layout`).
        let values: Vec<T> = offsets.iter().map(|&o| unsafe { *base.offset(o as isize) }).collect();
        Value::from_vec(values, layout.shape.clone())
    })
}
