"""``gluon``: MXNet 1.x's high-level interface (Blocks, Parameters, losses, Trainer, data),
written in Python over the engine's ops, as MXNet's own gluon is Python over its engine.

Module names mirror MXNet's one to one, so ``mxnet.gluon.nn.Dense`` is
``ferrograd.gluon.nn.Dense``.
"""

from . import data, utils

__all__ = ["data", "utils"]
