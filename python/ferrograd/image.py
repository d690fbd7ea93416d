"""``mxnet.image``: image helpers (MXNet 1.x's ``mx.image``), the part D2L uses.

Images are NDArrays in (height, width, channels) layout, uint8 as decoded. Resizing is
computed with engine ops (gathers and weighted sums), following OpenCV, which MXNet's
``imresize`` calls: the pixel-centre convention ``src = (dst + 0.5) * in / out - 0.5``, and for
uint8 images its fixed-point arithmetic, so that results equal MXNet's bit for bit on the
images the tests compare (float images: to float rounding, within 1e-4 of 255).

Decoding (``imread``, ``imdecode``) uses Pillow when it is installed (``pip install pillow``);
without it they raise an ImportError saying so. This module imports without Pillow.
"""

import io

import numpy as np

from . import nd
from ._core import NDArray
from .base import ArgumentTypeError, InvalidArgumentError, ShapeError

__all__ = ["imread", "imdecode", "imresize", "resize_short", "fixed_crop", "center_crop",
           "scale_down"]

# MXNet's interpolation codes (OpenCV's): 0 nearest, 1 bilinear, 2 area, 3 bicubic,
# 4 Lanczos. ferrograd computes the first two.
_NEAREST, _BILINEAR = 0, 1
_INTERP_NAMES = {0: "nearest", 1: "bilinear", 2: "area", 3: "bicubic", 4: "lanczos"}


def _check_image(op, src, ndims=(3,)):
    if not isinstance(src, NDArray):
        raise ArgumentTypeError("%s: expected an NDArray image, got %s" % (op, type(src).__name__))
    if src.ndim not in ndims:
        layouts = " or ".join({3: "(height, width, channels)",
                               4: "(N, height, width, channels)"}[n] for n in ndims)
        raise ShapeError("%s: input image must have shape %s, got %s" % (op, layouts, src.shape))


def _check_interp(op, interp):
    if interp not in (_NEAREST, _BILINEAR):
        name = _INTERP_NAMES.get(interp, repr(interp))
        raise InvalidArgumentError("%s: interpolation %s (%s) is not supported by ferrograd; use "
                                   "0 (nearest) or 1 (bilinear)" % (op, interp, name))


def _taps(in_size, out_size, clamp_weights):
    """OpenCV's two source pixels per output pixel along one axis, and their weights.

    The output pixel ``d`` samples ``pos = (d + 0.5) * in / out - 0.5`` (in float32, as
    OpenCV): ``left = floor(pos)`` with weight ``1 - frac`` and ``left + 1`` with ``frac``.
    Indices outside the image are clamped to the edge. Along x OpenCV also moves a sample that
    falls outside onto the edge pixel with all the weight (``clamp_weights``); along y it keeps
    the weights and only clamps the row indices, which matters for uint8 rounding.
    """
    pos = ((np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5).astype(np.float32)
    left = np.floor(pos).astype(np.int64)
    frac = (pos - left.astype(np.float32)).astype(np.float32)
    if clamp_weights:
        before, after = left < 0, left >= in_size - 1
        left[before], frac[before] = 0, 0.0
        left[after], frac[after] = in_size - 1, 0.0
    right = np.clip(left + 1, 0, in_size - 1)
    left = np.clip(left, 0, in_size - 1)
    return left, right, np.float32(1.0) - frac, frac


def _index(indices):
    return nd.array(indices, dtype="int64")


def _weights(values, axis, ndim, dtype):
    """``values`` as an NDArray shaped to broadcast along ``axis`` of an ``ndim``-d array."""
    shape = [1] * ndim
    shape[axis] = len(values)
    return nd.array(np.asarray(values).reshape(shape), dtype=dtype)


def _resize(op, src, out_h, out_w, interp):
    """Resize (H, W, C) or (N, H, W, C) ``src`` to (out_h, out_w), keeping its dtype.

    Bilinear: a horizontal pass, then a vertical one, each a weighted sum of two gathered
    columns (rows). uint8 images reproduce OpenCV's fixed-point arithmetic (11-bit weights,
    and the rounding of its vectorised vertical pass), so they equal MXNet's bit for bit on the
    images tested; float images agree to float rounding.
    """
    _check_interp(op, interp)
    if out_h <= 0 or out_w <= 0:
        raise InvalidArgumentError("%s: the output size must be positive, got height %d, width %d"
                                   % (op, out_h, out_w))
    single = src.ndim == 3
    x = src.expand_dims(0) if single else src
    n, h, w, c = x.shape
    if interp == _NEAREST:  # OpenCV: floor(d * in / out), no half-pixel shift
        rows = np.minimum(np.floor(np.arange(out_h) * (h / out_h)).astype(np.int64), h - 1)
        cols = np.minimum(np.floor(np.arange(out_w) * (w / out_w)).astype(np.int64), w - 1)
        out = nd.take(nd.take(x, _index(rows), axis=1), _index(cols), axis=2)
    elif src.dtype == np.uint8:
        xl, xr, a0, a1 = _taps(w, out_w, clamp_weights=True)
        yl, yr, b0, b1 = _taps(h, out_h, clamp_weights=False)
        scale = 2048.0  # OpenCV's INTER_RESIZE_COEF_SCALE: weights in 11-bit fixed point
        a0, a1, b0, b1 = (np.rint(v * scale) for v in (a0, a1, b0, b1))
        # Horizontal pass: sums of two products <= 255 * 2048, exact in float32.
        xf = x.astype("float32")
        rows = (nd.take(xf, _index(xl), axis=2) * _weights(a0, 2, 4, "float32")
                + nd.take(xf, _index(xr), axis=2) * _weights(a1, 2, 4, "float32"))
        # Vertical pass as OpenCV's SIMD code does it, in integers held exactly in float64:
        # ((r0 >> 4) * b0 >> 16) + ((r1 >> 4) * b1 >> 16) + 2 >> 2.
        rows = rows.astype("float64")
        top = nd.floor(nd.floor(nd.take(rows, _index(yl), axis=1) / 16)
                       * _weights(b0, 1, 4, "float64") / 65536)
        bottom = nd.floor(nd.floor(nd.take(rows, _index(yr), axis=1) / 16)
                          * _weights(b1, 1, 4, "float64") / 65536)
        out = nd.clip(nd.floor((top + bottom + 2) / 4), 0, 255).astype("uint8")
    else:
        work = "float64" if src.dtype == np.float64 else "float32"
        xl, xr, a0, a1 = _taps(w, out_w, clamp_weights=True)
        yl, yr, b0, b1 = _taps(h, out_h, clamp_weights=False)
        xf = x.astype(work)
        rows = (nd.take(xf, _index(xl), axis=2) * _weights(a0, 2, 4, work)
                + nd.take(xf, _index(xr), axis=2) * _weights(a1, 2, 4, work))
        out = (nd.take(rows, _index(yl), axis=1) * _weights(b0, 1, 4, work)
               + nd.take(rows, _index(yr), axis=1) * _weights(b1, 1, 4, work))
        if src.dtype not in (np.float32, np.float64):  # int32, int64: round to nearest
            out = nd.floor(out + 0.5).astype(src.dtype)
    return out.reshape(out.shape[1:]) if single else out


def imresize(src, w, h, *args, **kwargs):
    """Resize image with OpenCV's conventions.

    Parameters
    ----------
    src : NDArray
        source image, (height, width, channels)
    w : int, required
        Width of resized image.
    h : int, required
        Height of resized image.
    interp : int, optional, default=1
        Interpolation method: 0 nearest, 1 bilinear (others are refused with a clear error).

    Returns
    -------
    NDArray
        An NDArray of shape (h, w, channels) and the dtype of ``src``.
    """
    interp = kwargs.pop("interp", args[0] if args else _BILINEAR)
    _check_image("imresize", src)
    return _resize("imresize", src, int(h), int(w), interp)


def scale_down(src_size, size):
    """Scales down crop size if it's larger than image size.

    ``src_size`` and ``size`` are (width, height); returns the (width, height) to crop.
    """
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def resize_short(src, size, interp=2):
    """Resizes the shorter edge to ``size``, keeping the aspect ratio.

    The longer edge becomes ``long * size / short``, rounded down. MXNet's default
    interpolation here is area (2), which ferrograd does not compute: it falls back to
    bilinear, which gives the same result for exact halvings.
    """
    _check_image("resize_short", src)
    h, w, _ = src.shape
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return _resize("resize_short", src, new_h, new_w, interp if interp in (0, 1) else 1)


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """Crop ``src`` at fixed location (x0, y0) to (w, h), and optionally resize to ``size``
    (width, height)."""
    _check_image("fixed_crop", src)
    out = src[y0:y0 + h, x0:x0 + w]
    if size is not None and (w, h) != tuple(size):
        out = _resize("fixed_crop", out, size[1], size[0], interp if interp in (0, 1) else 1)
    return out


def center_crop(src, size, interp=2):
    """Crops the image ``src`` to the given ``size`` (width, height) by trimming on all four
    sides and preserving the center of the image; upsamples if ``src`` is smaller.

    Returns
    -------
    NDArray
        The cropped image.
    tuple
        (x, y, width, height) of the cropped region in ``src``.
    """
    _check_image("center_crop", src)
    h, w, _ = src.shape
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def _pil_image():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("mxnet.image needs Pillow to decode images: pip install pillow") \
            from None
    return Image


def imdecode(buf, flag=1, to_rgb=True, **kwargs):
    """Decode an image to an NDArray (needs Pillow).

    Parameters
    ----------
    buf : bytes or numpy.ndarray
        Binary image data.
    flag : int, default 1
        1 for a three-channel colour image, 0 for a one-channel greyscale image.
    to_rgb : bool, default True
        True for RGB channel order, False for OpenCV's BGR.

    Returns
    -------
    NDArray
        uint8, (height, width, 3) or (height, width, 1).
    """
    image_cls = _pil_image()
    if isinstance(buf, np.ndarray):
        buf = buf.tobytes()
    if not isinstance(buf, (bytes, bytearray)):
        raise ArgumentTypeError("imdecode: buf must be bytes or a NumPy array, got %s"
                                % type(buf).__name__)
    try:
        img = image_cls.open(io.BytesIO(buf))
        img = img.convert("RGB" if flag else "L")
    except Exception as e:  # Pillow raises several unrelated classes for bad data
        raise InvalidArgumentError("imdecode: cannot decode the image data: %s" % e) from None
    data = np.asarray(img, dtype=np.uint8)
    if flag:
        if not to_rgb:
            data = data[:, :, ::-1]
    else:
        data = data[:, :, None]
    return nd.array(np.ascontiguousarray(data), dtype="uint8")


def imread(filename, *args, **kwargs):
    """Read and decode an image to an NDArray (needs Pillow).

    Parameters
    ----------
    filename : str
        Name of the image file to be loaded.
    flag : {0, 1}, default 1
        1 for a three-channel colour image, 0 for greyscale.
    to_rgb : bool, default True
        True for RGB channel order, False for BGR.

    Returns
    -------
    NDArray
        uint8, (height, width, channels).
    """
    _pil_image()  # fail on the missing dependency before touching the file
    with open(filename, "rb") as f:
        return imdecode(f.read(), *args, **kwargs)
