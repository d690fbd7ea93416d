"""``gluon``: MXNet 1.x's high-level interface (Blocks, Parameters, losses, Trainer, data),
written in Python over the engine's ops, as MXNet's own gluon is Python over its engine.

Module names mirror MXNet's one to one, so ``mxnet.gluon.nn.Dense`` is
``ferrograd.gluon.nn.Dense``.
"""

from .parameter import Parameter, Constant, ParameterDict, DeferredInitializationError
from .block import Block, HybridBlock, SymbolBlock
from . import nn, loss
from .trainer import Trainer
from . import data, utils

__all__ = ["Parameter", "Constant", "ParameterDict", "DeferredInitializationError", "Block",
           "HybridBlock", "SymbolBlock", "nn", "loss", "Trainer", "data", "utils"]
