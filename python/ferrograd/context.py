"""Devices. ferrograd computes on the CPU; ``cpu()`` exists so MXNet code runs unchanged.

``gpu(i)`` exists too, as MXNet's does on a machine without GPUs: the context object can be
made, compared and printed, but putting an array on it raises ``MXNetError``. That is what the
book's ``try_gpu()`` relies on to fall back to the CPU::

    def try_gpu():
        try:
            ctx = mx.gpu()
            _ = nd.zeros((1,), ctx=ctx)
        except mx.base.MXNetError:
            ctx = mx.cpu()
        return ctx
"""

from ._core import Context, NDArray
from .base import InvalidArgumentError


class DeviceUnavailableError(InvalidArgumentError):
    """An array was asked to live on a device ferrograd does not have (a GPU)."""


class GPUContext:
    """The context ``gpu(device_id)``: equal, hashable and printed as MXNet's ``gpu(0)``.

    ferrograd has no GPU support, so this context holds no arrays: creating an array on it,
    copying one to it, or entering it with ``with`` raises :class:`DeviceUnavailableError`
    (an ``MXNetError``). The engine's own ``Context`` refuses ``'gpu'`` outright, hence this
    small Python stand-in.
    """

    __slots__ = ("device_id",)
    device_type = "gpu"
    device_typeid = 2  # MXNet's numbering: cpu 1, gpu 2

    def __init__(self, device_id=0):
        self.device_id = int(device_id)

    def __repr__(self):
        return "gpu(%d)" % self.device_id

    __str__ = __repr__

    def __eq__(self, other):
        return (getattr(other, "device_type", None) == "gpu"
                and getattr(other, "device_id", None) == self.device_id)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(("gpu", self.device_id))

    def __enter__(self):
        raise _unavailable(self)

    def __exit__(self, *exc):
        return False

    def empty_cache(self):
        """Releases cached GPU memory: there is none."""


def _unavailable(ctx):
    return DeviceUnavailableError(
        "%s: ferrograd computes on the CPU only and has no GPU support (num_gpus() is 0); "
        "use mx.cpu()" % (ctx,))


def check_device(ctx, op):
    """Raises DeviceUnavailableError when ``ctx`` is a GPU context (or a list holding one)."""
    if isinstance(ctx, (list, tuple)):
        for c in ctx:
            check_device(c, op)
        return
    if isinstance(ctx, GPUContext) or getattr(ctx, "device_type", None) == "gpu":
        raise _unavailable(ctx)
    if isinstance(ctx, str) and ctx.startswith("gpu"):
        raise _unavailable(ctx)


def cpu(device_id=0):
    """The CPU context, ``cpu(0)``."""
    return Context("cpu", device_id)


def gpu(device_id=0):
    """The context of GPU ``device_id``; arrays cannot be placed on it (ferrograd has no GPU)."""
    return GPUContext(device_id)


def cpu_pinned(device_id=0):
    """Pinned (page-locked) CPU memory in MXNet; plain CPU memory here."""
    return cpu(device_id)


def num_gpus():
    """The number of GPUs available: always 0."""
    return 0


def gpu_memory_info(device_id=0):
    raise _unavailable(gpu(device_id))


def current_context():
    return cpu()


# ``x.as_in_context(ctx)`` and ``x.copyto(ctx)`` are implemented by the engine, which ignores
# the context it is given. Wrap them so that a GPU context raises, as in MXNet without GPUs,
# instead of silently returning a CPU array. (Requested from the engine: refuse 'gpu' there;
# then these wrappers go.) The wrappers keep the engine's signature text, so the generated
# type stub is unchanged, and their ``__wrapped__`` is the engine's method (a reload of this
# module wraps the original again, not a wrapper).
def _engine_method(name):
    method = NDArray.__dict__[name]
    return getattr(method, "__wrapped__", method)


_engine_as_in_context = _engine_method("as_in_context")
_engine_copyto = _engine_method("copyto")


def _as_in_context(self, *args):
    """Returns an array on ``context``: this array's data for the CPU; a GPU raises."""
    for ctx in args:
        check_device(ctx, "as_in_context")
    return _engine_as_in_context(self, *args)


def _copyto(self, other):
    """Copies this array to ``other`` (an NDArray, or a Context for a new copy); a GPU raises."""
    check_device(other, "copyto")
    return _engine_copyto(self, other)


for _wrapper, _engine in ((_as_in_context, _engine_as_in_context), (_copyto, _engine_copyto)):
    _wrapper.__name__ = _engine.__name__
    _wrapper.__qualname__ = "NDArray." + _engine.__name__
    _wrapper.__wrapped__ = _engine
    _wrapper.__text_signature__ = getattr(_engine, "__text_signature__", None)
    setattr(NDArray, _engine.__name__, _wrapper)
del _wrapper, _engine


__all__ = ["Context", "GPUContext", "DeviceUnavailableError", "cpu", "gpu", "cpu_pinned",
           "num_gpus", "current_context"]
