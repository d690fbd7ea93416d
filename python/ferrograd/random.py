"""``mx.random``: the global seed (and the samplers, as in MXNet)."""

from __future__ import annotations

from . import _core
from .nd.random import (exponential, gamma, generalized_negative_binomial, multinomial,
                        negative_binomial, normal, poisson, randint, randn, shuffle, uniform)


def seed(seed_state: int, ctx: object = "all") -> None:
    """Seeds the generator: the same seed gives the same random arrays."""
    _core.random_seed(int(seed_state) & 0xFFFFFFFFFFFFFFFF)


# MXNet's mx.random: the seed and nd.random's samplers (not the *_like ones).
__all__ = ["seed", "normal", "uniform", "randn", "exponential", "gamma",
           "generalized_negative_binomial", "multinomial", "negative_binomial", "poisson",
           "randint", "shuffle"]
