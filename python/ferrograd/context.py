"""Devices. ferrograd computes on the CPU; ``cpu()`` exists so MXNet code runs unchanged."""

from ._core import Context


def cpu(device_id=0):
    """The CPU context, ``cpu(0)``."""
    return Context("cpu", device_id)


def current_context():
    return cpu()


__all__ = ["Context", "cpu", "current_context"]
