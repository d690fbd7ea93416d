"""Errors raised by ferrograd.

Every error is an ``MXNetError`` (as in MXNet, so ``except MXNetError`` keeps working) and also
the builtin exception a Python user expects, so ``except ValueError`` works too.
"""


class MXNetError(RuntimeError):
    """Base class of every ferrograd error (MXNet's name, kept for compatibility)."""


class ShapeError(MXNetError, ValueError):
    """Shapes that do not fit together (broadcasting, dot, reshape, head gradients)."""


class AxisError(MXNetError, ValueError, IndexError):
    """An axis outside the array's dimensions."""


class DTypeError(MXNetError, TypeError):
    """An unsupported dtype, or two dtypes that do not mix implicitly."""


class ArgumentTypeError(MXNetError, TypeError):
    """An argument of the wrong type (e.g. a string where an NDArray is expected)."""


class MXIndexError(MXNetError, IndexError):
    """An index outside the array."""


class InvalidArgumentError(MXNetError, ValueError):
    """Any other argument value an op does not accept."""


class GraphError(MXNetError, RuntimeError):
    """The autograd graph cannot give what was asked (freed graph, unrecorded head, ...)."""


class OutOfMemoryError(MXNetError, MemoryError):
    """A shape too large to allocate."""


__all__ = [
    "MXNetError",
    "ShapeError",
    "AxisError",
    "DTypeError",
    "ArgumentTypeError",
    "MXIndexError",
    "InvalidArgumentError",
    "GraphError",
    "OutOfMemoryError",
]
