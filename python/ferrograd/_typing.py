"""Type aliases for ferrograd's annotations and stubs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence, Union

import numpy

if TYPE_CHECKING:
    from ._core import NDArray

#: A dtype as MXNet accepts it: a name ('float32'), a NumPy type or dtype.
DTypeLike = Union[str, type, "numpy.dtype[Any]"]
#: A shape: an int, or a sequence of ints.
Shape = Union[int, Sequence[int]]
#: Anything that converts to an array: an NDArray, a NumPy array, a (nested) list or a number.
ArrayLike = Union["NDArray", "numpy.ndarray[Any, Any]", Sequence[Any], float]

__all__ = ["ArrayLike", "DTypeLike", "Shape"]
