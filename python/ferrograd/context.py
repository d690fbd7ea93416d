"""Devices. ferrograd computes on the CPU; ``cpu()`` exists so MXNet code runs unchanged.

``gpu(i)`` exists too, as MXNet's does on a machine without GPUs: the context can be made,
compared and printed, but putting an array on it raises ``MXNetError``. That is what the
book's ``try_gpu()`` relies on to fall back to the CPU::

    def try_gpu():
        try:
            ctx = mx.gpu()
            _ = nd.zeros((1,), ctx=ctx)
        except mx.base.MXNetError:
            ctx = mx.cpu()
        return ctx
"""

from __future__ import annotations

from typing import Any

from ._core import Context
from .base import InvalidArgumentError


def cpu(device_id: int = 0) -> Context:
    """The CPU context, ``cpu(0)``."""
    return Context("cpu", device_id)


def gpu(device_id: int = 0) -> Context:
    """The context of GPU ``device_id``; arrays cannot be placed on it (ferrograd has no GPU)."""
    return Context("gpu", device_id)


def cpu_pinned(device_id: int = 0) -> Context:
    """Pinned (page-locked) CPU memory in MXNet; plain CPU memory here."""
    return cpu(device_id)


def num_gpus() -> int:
    """The number of GPUs available: always 0."""
    return 0


def gpu_memory_info(device_id: int = 0) -> tuple[int, int]:
    """Free and total memory of a GPU: there is none, so this raises."""
    check_device(gpu(device_id), "gpu_memory_info")
    return (0, 0)


def current_context() -> Context:
    return cpu()


def check_device(ctx: Any, op: str) -> None:
    """Raises InvalidArgumentError (an MXNetError) when ``ctx`` is a GPU context, or a list
    holding one: ferrograd computes on the CPU only."""
    if isinstance(ctx, (list, tuple)):
        for c in ctx:
            check_device(c, op)
        return
    name = ctx if isinstance(ctx, str) else getattr(ctx, "device_type", None)
    if isinstance(name, str) and name.startswith("gpu"):
        raise InvalidArgumentError(
            "%s: %s is not available: ferrograd computes on the CPU only (num_gpus() is 0); "
            "use mx.cpu()" % (op, ctx))


__all__ = ["Context", "cpu", "gpu", "cpu_pinned", "num_gpus", "gpu_memory_info",
           "current_context", "check_device"]
