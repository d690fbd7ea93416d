"""Devices. ferrograd computes on the CPU; ``cpu()`` exists so MXNet code runs unchanged."""

from __future__ import annotations

from ._core import Context


def cpu(device_id: int = 0) -> Context:
    """The CPU context, ``cpu(0)``."""
    return Context("cpu", device_id)


def current_context() -> Context:
    return cpu()


__all__ = ["Context", "cpu", "current_context"]
