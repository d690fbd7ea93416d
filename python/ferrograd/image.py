"""``mxnet.image``: image helpers (MXNet 1.x's ``mx.image``), the part D2L uses.

Images are NDArrays in (height, width, channels) layout, uint8 as decoded. Resizing is
computed with engine ops: a bilinear (or nearest-neighbour) resize along each axis is a
product with a small interpolation matrix whose rows hold the two weights of each output
pixel, with OpenCV's pixel-centre convention (``src = (dst + 0.5) * in / out - 0.5``) that
MXNet's ``imresize`` inherits. Float images agree with MXNet to float rounding; uint8 images
are rounded to nearest and may differ from OpenCV's fixed-point arithmetic by 1.

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


def _interp_matrix(in_size, out_size, interp, dtype):
    """The (out_size, in_size) matrix taking a line of ``in_size`` pixels to ``out_size``."""
    scale = in_size / out_size
    dst = np.arange(out_size, dtype=np.float64)
    rows = np.arange(out_size)
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    if interp == _NEAREST:
        src = np.minimum(np.floor(dst * scale).astype(np.int64), in_size - 1)
        weights[rows, src] = 1.0
    else:
        pos = (dst + 0.5) * scale - 0.5
        left = np.floor(pos).astype(np.int64)
        frac = pos - left
        # Outside the image the nearest edge pixel is taken whole (OpenCV's border rule).
        before = left < 0
        left[before], frac[before] = 0, 0.0
        after = left >= in_size - 1
        left[after], frac[after] = in_size - 1, 0.0
        right = np.minimum(left + 1, in_size - 1)
        np.add.at(weights, (rows, left), 1.0 - frac)
        np.add.at(weights, (rows, right), frac)
    return nd.array(weights, dtype=dtype)


def _resize(op, src, out_h, out_w, interp):
    """Resize (H, W, C) or (N, H, W, C) ``src`` to (out_h, out_w), keeping its dtype."""
    _check_interp(op, interp)
    if out_h <= 0 or out_w <= 0:
        raise InvalidArgumentError("%s: the output size must be positive, got height %d, width %d"
                                   % (op, out_h, out_w))
    single = src.ndim == 3
    x = src.expand_dims(0) if single else src
    n, h, w, c = x.shape
    if (h, w) == (out_h, out_w):
        out = x.copy()
    else:
        work = np.float64 if x.dtype == np.float64 else np.float32
        x = x.astype(work)
        # Rows: (out_h, H) x (H, N*W*C); then columns: (out_w, W) x (W, N*out_h*C).
        t = nd.dot(_interp_matrix(h, out_h, interp, work),
                   x.transpose((1, 0, 2, 3)).reshape((h, n * w * c)))
        t = t.reshape((out_h, n, w, c)).transpose((2, 1, 0, 3)).reshape((w, n * out_h * c))
        t = nd.dot(_interp_matrix(w, out_w, interp, work), t)
        out = t.reshape((out_w, n, out_h, c)).transpose((1, 2, 0, 3))
        if src.dtype == np.uint8:
            out = nd.clip(nd.floor(out + 0.5), 0, 255).astype("uint8")
        elif src.dtype in (np.int32, np.int64):
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
