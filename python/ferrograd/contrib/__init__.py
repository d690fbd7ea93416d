"""``mxnet.contrib``: the parts of MXNet's contrib package that D2L imports (``text``)."""

from . import text

__all__ = ["text"]
