"""``nd.save`` / ``nd.load`` in MXNet's own binary format (``.params`` / ``.nd`` files).

The layout (MXNet 1.x, ``src/ndarray/ndarray.cc``), all little-endian:

    file    := u64 0x112 (list magic) | u64 reserved (0) | u64 count | array * count
               | u64 name_count | (u64 length | utf-8 bytes) * name_count
    array   := u32 magic | body
      V2 0xF993fac9: i32 storage type (0 = dense) | shape | context | i32 type flag | data
      V3 0xF993faca: as V2 (NumPy-shape semantics; the same bytes for dense arrays)
      V1 0xF993fac8: shape | context | i32 type flag | data
      legacy (no magic): the u32 read is ndim, followed by u32 dims | context | type | data
    shape   := u32 ndim | i64 dim * ndim            (legacy: u32 dims)
    context := i32 device type (1 = cpu) | i32 device id
    type    := mshadow type flag: 0 float32, 1 float64, 2 float16, 3 uint8, 4 int32, 5 int8,
               6 int64
    data    := the elements, row-major

Nothing is ever unpickled: the reader only parses these fields.
"""

from __future__ import annotations

import os
import struct
from typing import Union

import numpy as _np

from ..base import ArgumentTypeError, InvalidArgumentError
from .._core import NDArray

_LIST_MAGIC = 0x112
_V1, _V2, _V3 = 0xF993FAC8, 0xF993FAC9, 0xF993FACA
_TYPE_FLAGS = {0: _np.float32, 1: _np.float64, 2: _np.float16, 3: _np.uint8, 4: _np.int32, 5: _np.int8, 6: _np.int64}
_FLAG_OF = {_np.dtype(v): k for k, v in _TYPE_FLAGS.items()}


def save(fname: str | os.PathLike[str],
         data: NDArray | list[NDArray] | tuple[NDArray, ...] | dict[str, NDArray]) -> None:
    """Saves an NDArray, a list of NDArrays or a dict of str -> NDArray to ``fname``.

    Parameters
    ----------
    fname : str | os.PathLike[str]
        The file's path.
    data : NDArray | list[NDArray] | tuple[NDArray, ...] | dict[str, NDArray]
        An NDArray, a list of NDArrays, or a dict of str to NDArray.

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.params')
    >>> nd.save(path, {'w': nd.array([1, 2])})
    >>> nd.load(path)['w']
    [1. 2.]
    <NDArray 2 @cpu(0)>
    """
    if isinstance(data, NDArray):
        arrays, names = [data], []
    elif isinstance(data, dict):
        names = list(data.keys())
        arrays = [data[k] for k in names]
        if not all(isinstance(k, str) for k in names):
            raise InvalidArgumentError("nd.save: dict keys must be strings")
    elif isinstance(data, (list, tuple)):
        arrays, names = list(data), []
    else:
        raise InvalidArgumentError(
            "nd.save: data must be an NDArray, a list of NDArrays or a dict of str -> NDArray, got %s"
            % type(data).__name__)
    for a in arrays:
        if not isinstance(a, NDArray):
            raise InvalidArgumentError("nd.save: every value must be an NDArray, got %s" % type(a).__name__)
    parts = [struct.pack("<QQQ", _LIST_MAGIC, 0, len(arrays))]
    # V2 reads a rank-0 shape as "no array", so a 0-d array needs V3 (NumPy shape semantics).
    # MXNet loads a file in one semantics only, so then every record is V3, as npx.save writes.
    magic = _V3 if any(a.ndim == 0 for a in arrays) else _V2
    for a in arrays:
        values = _np.asarray(a.asnumpy(), order="C")  # (ascontiguousarray makes 0-d 1-d)
        parts.append(struct.pack("<Ii", magic, 0))
        parts.append(struct.pack("<I", values.ndim) + struct.pack("<%dq" % values.ndim, *values.shape))
        parts.append(struct.pack("<iii", 1, 0, _FLAG_OF[values.dtype]))
        parts.append(values.astype(values.dtype.newbyteorder("<"), copy=False).tobytes())
    parts.append(struct.pack("<Q", len(names)))
    for n in names:
        b = n.encode("utf-8")
        parts.append(struct.pack("<Q", len(b)) + b)
    with open(fname, "wb") as f:
        f.write(b"".join(parts))


class _Reader:
    def __init__(self, buf, fname):
        self.buf, self.pos, self.fname = buf, 0, fname

    def take(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise InvalidArgumentError(
                "nd.load: %s is truncated or not an MXNet NDArray file (needed %d bytes at offset %d, file has %d)"
                % (self.fname, size, self.pos, len(self.buf)))
        out = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return out

    def array(self):
        (magic,) = self.take("<I")
        if magic in (_V2, _V3):
            (stype,) = self.take("<i")
            if stype == -1:  # MXNet's "none" array: a bare (empty) shape follows
                self.shape(64)
                return None
            if stype != 0:
                raise InvalidArgumentError("nd.load: %s holds a sparse array (storage type %d); only dense arrays are supported" % (self.fname, stype))
            shape = self.shape(64)
            if magic == _V3 and len(shape) == 0:
                return self.values(())  # V3 (NumPy shapes): rank 0 is a 0-d array
        elif magic == _V1:
            shape = self.shape(64)
        else:
            # Legacy files: no magic, the word read is ndim and dims are u32.
            ndim = magic
            if ndim > 32:
                raise InvalidArgumentError("nd.load: %s is not an MXNet NDArray file (bad array header 0x%x)" % (self.fname, magic))
            shape = self.take("<%dI" % ndim) if ndim else ()
        if len(shape) == 0:
            return None  # MXNet writes a bare shape for an empty (none) array
        return self.values(shape)

    def values(self, shape):
        self.take("<ii")  # context: always loaded onto the CPU
        (flag,) = self.take("<i")
        if flag not in _TYPE_FLAGS:
            raise InvalidArgumentError("nd.load: %s has an unknown element type flag %d" % (self.fname, flag))
        dtype = _np.dtype(_TYPE_FLAGS[flag]).newbyteorder("<")
        if any(d < 0 for d in shape):
            raise InvalidArgumentError("nd.load: %s has a negative dimension in shape %s" % (self.fname, shape))
        count = 1
        for d in shape:  # Python ints: no overflow before the size check
            count *= int(d)
        nbytes = count * dtype.itemsize
        if self.pos + nbytes > len(self.buf):
            raise InvalidArgumentError("nd.load: %s is truncated inside an array's data" % self.fname)
        values = _np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos).reshape(shape)
        self.pos += nbytes
        from . import array
        return array(values, dtype=values.dtype.newbyteorder("="))

    def shape(self, bits):
        (ndim,) = self.take("<I")
        if ndim > 32:
            raise InvalidArgumentError("nd.load: %s has an implausible rank %d" % (self.fname, ndim))
        return self.take("<%d%s" % (ndim, "q" if bits == 64 else "I")) if ndim else ()


def load(fname: str | os.PathLike[str]) -> Union[list[NDArray], dict[str, NDArray]]:
    """Loads what ``nd.save`` (or MXNet) wrote: a list of NDArrays, or a dict when the file
    stores names.

    Parameters
    ----------
    fname : str | os.PathLike[str]
        The file's path.

    Returns
    -------
    list of NDArray or dict of str to NDArray
        The arrays, in a dict when they were saved with names.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.params')
    >>> nd.save(path, {'w': nd.array([1, 2])})
    >>> nd.load(path)['w']
    [1. 2.]
    <NDArray 2 @cpu(0)>
    """
    with open(fname, "rb") as f:
        buf = f.read()
    return _parse(buf, fname)


def load_frombuffer(buf: bytes | bytearray | memoryview
                    ) -> Union[list[NDArray], dict[str, NDArray]]:
    """Loads NDArrays from the bytes of a file ``nd.save`` (or MXNet) wrote, as ``load`` does
    from the file itself.

    Parameters
    ----------
    buf : bytes | bytearray | memoryview
        The file's contents. (MXNet takes only bytes; ferrograd takes any bytes-like buffer.)

    Returns
    -------
    list of NDArray or dict of str to NDArray
        The arrays, in a dict when they were saved with names.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.nd')
    >>> nd.save(path, [nd.array([1, 2])])
    >>> with open(path, 'rb') as f:
    ...     nd.load_frombuffer(f.read())
    [
    [1. 2.]
    <NDArray 2 @cpu(0)>]
    """
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise ArgumentTypeError("nd.load_frombuffer: buf must be bytes, got %s"
                                % type(buf).__name__)
    return _parse(bytes(buf), "the buffer")


def _parse(buf: bytes, fname: object) -> Union[list[NDArray], dict[str, NDArray]]:
    """The arrays (and names) of a whole file's bytes; `fname` names the source in errors."""
    r = _Reader(buf, fname)
    magic, _reserved = r.take("<QQ")
    if magic != _LIST_MAGIC:
        raise InvalidArgumentError("nd.load: %s is not an MXNet NDArray file (magic 0x%x, expected 0x112)" % (fname, magic))
    (count,) = r.take("<Q")
    if count > len(buf):  # every array takes at least one byte
        raise InvalidArgumentError("nd.load: %s claims %d arrays, more than it could hold" % (fname, count))
    arrays = [r.array() for _ in range(count)]
    (n_names,) = r.take("<Q")
    if n_names > len(buf):
        raise InvalidArgumentError("nd.load: %s claims %d names, more than it could hold" % (fname, n_names))
    names = []
    for _ in range(n_names):
        (length,) = r.take("<Q")
        if length > len(buf) - r.pos:
            raise InvalidArgumentError("nd.load: %s is truncated inside a name (length %d)" % (fname, length))
        raw = r.take("<%ds" % length)[0]
        try:
            names.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidArgumentError("nd.load: %s has a name that is not UTF-8: %r" % (fname, raw[:40])) from None
    if names:
        if len(names) != len(arrays):
            raise InvalidArgumentError("nd.load: %s has %d names for %d arrays" % (fname, len(names), len(arrays)))
        return dict(zip(names, arrays))
    return arrays


__all__ = ["save", "load", "load_frombuffer"]
