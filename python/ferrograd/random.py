"""``mx.random``: the global seed (and the samplers, as in MXNet)."""

from __future__ import annotations

from . import _core
from .nd.random import normal, uniform, randn


def seed(seed_state: int, ctx: object = "all") -> None:
    """Seeds the generator: the same seed gives the same random arrays."""
    _core.random_seed(int(seed_state) & 0xFFFFFFFFFFFFFFFF)


__all__ = ["seed", "normal", "uniform", "randn"]
