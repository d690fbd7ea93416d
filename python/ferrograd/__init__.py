"""ferrograd: MXNet's imperative ``nd`` + ``autograd`` API on a Rust engine.

    from ferrograd import autograd, nd
    from ferrograd import gluon, init
"""

from . import base
from .base import MXNetError
from ._core import NDArray, get_num_threads, set_num_threads
from . import context
from .context import Context, cpu, gpu, cpu_pinned, num_gpus, current_context
from . import nd, autograd, random
from . import init, optimizer, test_utils
from . import gluon

ndarray = nd
initializer = init
__version__ = "0.1.0"

__all__ = ["nd", "ndarray", "autograd", "random", "NDArray", "Context", "cpu", "gpu",
           "num_gpus", "MXNetError", "base", "context", "init", "initializer", "optimizer",
           "gluon", "test_utils", "get_num_threads", "set_num_threads"]
