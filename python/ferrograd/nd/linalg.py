"""``nd.linalg``: matrix products and a Cholesky toolkit (gemm2, potrf, trsm)."""

from .._core import linalg_gemm2 as gemm2, linalg_potrf as potrf, linalg_trsm as trsm

__all__ = ["gemm2", "potrf", "trsm"]
