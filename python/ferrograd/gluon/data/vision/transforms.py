"""Image transforms (MXNet 1.x's ``gluon.data.vision.transforms``).

Each transform is a callable object taking one NDArray image, (height, width, channels)
before ``ToTensor`` and (channels, height, width) after it, or a batch of such images with
the batch on a new first axis. Everything is computed with engine ops.

Transforms whose result on a batch equals the stack of their results on each image carry
``_acts_per_row = True`` (ToTensor, Normalize, Cast, Resize, and a Compose of only such
transforms): the DataLoader then applies them to a whole batch at once. Random transforms
draw once per call, so they act per image.
"""

import numpy as np

from .... import nd
from ...._core import NDArray
from ....base import ArgumentTypeError, InvalidArgumentError, ShapeError
from .... import image as _image

__all__ = ["Compose", "Cast", "ToTensor", "Normalize", "Resize", "RandomFlipLeftRight",
           "RandomFlipTopBottom"]


def _check_input(name, x, ndims=(3, 4)):
    if not isinstance(x, NDArray):
        raise ArgumentTypeError("%s: expected an NDArray, got %s" % (name, type(x).__name__))
    if x.ndim not in ndims:
        raise ShapeError("%s: input must have %s dimensions, got shape %s"
                         % (name, " or ".join(map(str, ndims)), x.shape))


class Transform:
    """Base of the transforms: ``transform(x)`` calls ``forward(x)``."""

    _acts_per_row = False

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        raise NotImplementedError("%s must define forward" % type(self).__name__)

    def __repr__(self):
        return "%s()" % type(self).__name__


class Compose(Transform):
    """Sequentially composes multiple transforms.

    Parameters
    ----------
    transforms : list of transform functions
        List of transforms to be composed (any callables taking and returning one value).

    Inputs:
        - **data**: input tensor with shape of the first transform Block requires.

    Outputs:
        - **out**: output tensor with shape of the last transform Block produces.

    Examples
    --------
    >>> transformer = transforms.Compose([transforms.Resize(300),
    ...                                   transforms.ToTensor()])
    """

    def __init__(self, transforms):
        transforms = list(transforms)
        for i, t in enumerate(transforms):
            if not callable(t):
                raise ArgumentTypeError("Compose: transforms[%d] is not callable (%s)"
                                        % (i, type(t).__name__))
        self._transforms = transforms
        self._acts_per_row = all(getattr(t, "_acts_per_row", False) for t in transforms)

    def forward(self, x):
        for t in self._transforms:
            x = t(x)
        return x

    def __len__(self):
        return len(self._transforms)

    def __getitem__(self, i):
        return self._transforms[i]

    def __repr__(self):
        inner = "".join("\n  (%d): %r" % (i, t) for i, t in enumerate(self._transforms))
        return "Compose(%s\n)" % inner


class Cast(Transform):
    """Cast inputs to a specific data type.

    Parameters
    ----------
    dtype : str, default 'float32'
        The target data type, in string or `numpy.dtype`.

    Inputs:
        - **data**: input tensor with arbitrary shape and dtype.

    Outputs:
        - **out**: output tensor with the same shape as `data` and data type as dtype.
    """

    _acts_per_row = True

    def __init__(self, dtype="float32"):
        self._dtype = dtype

    def forward(self, x):
        if not isinstance(x, NDArray):
            raise ArgumentTypeError("Cast: expected an NDArray, got %s" % type(x).__name__)
        return x.astype(self._dtype)

    def __repr__(self):
        return "Cast(%s)" % np.dtype(self._dtype).name


class ToTensor(Transform):
    """Converts an image NDArray or batch of image NDArray to a tensor NDArray.

    Converts an image NDArray of shape (H x W x C) in the range [0, 255] to a float32 tensor
    NDArray of shape (C x H x W) in the range [0, 1].

    If batch input, converts a batch image NDArray of shape (N x H x W x C) in the range
    [0, 255] to a float32 tensor NDArray of shape (N x C x H x W).

    Inputs:
        - **data**: image with shape `(H, W, C)` or batch of images with shape
          `(N, H, W, C)`.

    Outputs:
        - **out**: A tensor with shape `(C, H, W)` or `(N, C, H, W)`, float32, values / 255.
    """

    _acts_per_row = True

    def forward(self, x):
        _check_input("ToTensor", x)
        out = x.astype("float32")
        # Divided by an array of 255s rather than the scalar: the same IEEE quotients, but the
        # engine's array-array kernel runs ~6x faster than its scalar one (requests-data.md).
        out = out / nd.full(out.shape, 255.0)
        if x.shape[-1] == 1:  # one channel: the same memory order either way
            return out.reshape(x.shape[:-3] + (1,) + x.shape[-3:-1])
        axes = (2, 0, 1) if x.ndim == 3 else (0, 3, 1, 2)
        return out.transpose(axes)


class Normalize(Transform):
    """Normalize a tensor of shape (C x H x W) or (N x C x H x W) with mean and standard
    deviation.

    Given mean `(m1, ..., mn)` and std `(s1, ..., sn)` for `n` channels, this transform
    normalizes each channel of the input tensor with::

        output[i] = (input[i] - mi) / si

    If mean or std is scalar, the same value will be applied to all channels.

    Parameters
    ----------
    mean : float or tuple of floats
        The mean values.
    std : float or tuple of floats
        The standard deviation values.

    Inputs:
        - **data**: input tensor with (C, H, W) or (N, C, H, W) shape, float.

    Outputs:
        - **out**: output tensor with the shape as `data`.
    """

    _acts_per_row = True

    def __init__(self, mean=0.0, std=1.0):
        self._mean = np.atleast_1d(np.asarray(mean, dtype=np.float64))
        self._std = np.atleast_1d(np.asarray(std, dtype=np.float64))
        if self._mean.ndim != 1 or self._std.ndim != 1:
            raise InvalidArgumentError("Normalize: mean and std must be numbers or sequences "
                                       "of numbers, got %r and %r" % (mean, std))
        if np.any(self._std == 0):
            raise InvalidArgumentError("Normalize: std must not be zero, got %r" % (std,))

    def forward(self, x):
        _check_input("Normalize", x)
        if x.dtype not in (np.float32, np.float64):
            raise ArgumentTypeError("Normalize: expected a float32 or float64 tensor (apply "
                                    "ToTensor first), got %s" % np.dtype(x.dtype).name)
        channels = x.shape[-3]
        for name, values in (("mean", self._mean), ("std", self._std)):
            if values.size not in (1, channels):
                raise ShapeError("Normalize: %s must have 1 or %d (channels) elements for input "
                                 "of shape %s, got %d" % (name, channels, x.shape, values.size))
        mean = nd.array(self._mean.reshape(-1, 1, 1), dtype=x.dtype)
        std = nd.array(self._std.reshape(-1, 1, 1), dtype=x.dtype)
        return (x - mean) / std

    def __repr__(self):
        return "Normalize(mean=%s, std=%s)" % (self._mean.tolist(), self._std.tolist())


class Resize(Transform):
    """Resize an image or a batch of image NDArray to the given size.

    Should be applied before `mxnet.gluon.data.vision.transforms.ToTensor`.

    Parameters
    ----------
    size : int or tuple of (W, H)
        Size of output image.
    keep_ratio : bool
        Whether to resize the short edge or both edges to `size`, if size is given as an
        integer (the long edge becomes ``long * size // short``).
    interpolation : int
        Interpolation method for resizing: 0 nearest, 1 bilinear (the default). The others of
        MXNet (area, bicubic, Lanczos) raise a clear error.

    Inputs:
        - **data**: input tensor with (H x W x C) or (N x H x W x C) shape.

    Outputs:
        - **out**: output tensor with (H x W x C) or (N x H x W x C) shape, of the input's
          dtype (uint8 rounded to nearest; see :mod:`mxnet.image` for the tolerance).
    """

    _acts_per_row = True

    def __init__(self, size, keep_ratio=False, interpolation=1):
        if isinstance(size, (int, np.integer)):
            sizes = (int(size),)
        elif isinstance(size, (tuple, list)) and len(size) == 2:
            sizes = tuple(int(s) for s in size)
        else:
            raise InvalidArgumentError("Resize: size must be an int or a (width, height) "
                                       "pair, got %r" % (size,))
        if min(sizes) <= 0:
            raise InvalidArgumentError("Resize: size must be positive, got %r" % (size,))
        _image._check_interp("Resize", interpolation)
        self._size = sizes
        self._keep = keep_ratio
        self._interpolation = interpolation

    def _output_hw(self, h, w):
        if len(self._size) == 2:
            return self._size[1], self._size[0]
        size = self._size[0]
        if not self._keep:
            return size, size
        if h > w:
            return h * size // w, size
        return size, w * size // h

    def forward(self, x):
        _check_input("Resize", x)
        h, w = x.shape[-3], x.shape[-2]
        out_h, out_w = self._output_hw(h, w)
        return _image._resize("Resize", x, out_h, out_w, self._interpolation)

    def __repr__(self):
        size = self._size[0] if len(self._size) == 1 else self._size
        return "Resize(size=%s, keep_ratio=%s, interpolation=%s)" % (
            size, self._keep, self._interpolation)


class _RandomFlip(Transform):
    _axis_from_end = None  # the axis flipped, counted from the last (channels) axis

    def forward(self, x):
        _check_input(type(self).__name__, x)
        # One draw per call from ferrograd's generator (seeded by mx.random.seed), as MXNet
        # draws from its own: a batch is flipped as a whole.
        if nd.random.uniform(0, 1, shape=(1,)).asscalar() < 0.5:
            return x.copy()
        return nd.flip(x, axis=x.ndim - self._axis_from_end)


class RandomFlipLeftRight(_RandomFlip):
    """Randomly flip the input image left to right with a probability of 0.5.

    Inputs:
        - **data**: input tensor with (H x W x C) or (N x H x W x C) shape.

    Outputs:
        - **out**: output tensor with same shape as `data`.
    """

    _axis_from_end = 2


class RandomFlipTopBottom(_RandomFlip):
    """Randomly flip the input image top to bottom with a probability of 0.5.

    Inputs:
        - **data**: input tensor with (H x W x C) or (N x H x W x C) shape.

    Outputs:
        - **out**: output tensor with same shape as `data`.
    """

    _axis_from_end = 3
