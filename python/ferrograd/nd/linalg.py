"""``nd.linalg``: matrix products and a Cholesky toolkit (gemm2, potrf, trsm)."""

from ._registry import export as _export

__all__ = _export("linalg", globals())
