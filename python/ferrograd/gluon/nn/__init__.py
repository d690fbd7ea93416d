"""``gluon.nn``: neural network layers (MXNet 1.x names and semantics)."""

from ..block import Block, HybridBlock, SymbolBlock
from .activations import Activation, LeakyReLU
from .basic_layers import (Sequential, HybridSequential, Dense, Dropout, Flatten, Embedding,
                           Lambda, HybridLambda)

__all__ = ["Block", "HybridBlock", "SymbolBlock", "Sequential", "HybridSequential", "Dense",
           "Dropout", "Flatten", "Embedding", "Lambda", "HybridLambda", "Activation",
           "LeakyReLU"]
