"""ferrograd: MXNet's imperative ``nd`` + ``autograd`` API on a Rust engine.

    from ferrograd import autograd, nd
"""

from . import base
from .base import MXNetError
from ._core import NDArray, get_num_threads, set_num_threads
from .context import Context, cpu, current_context
from . import nd, autograd, random

ndarray = nd
__version__ = "0.1.0"

__all__ = ["nd", "ndarray", "autograd", "random", "NDArray", "Context", "cpu", "MXNetError", "base",
           "get_num_threads", "set_num_threads"]
