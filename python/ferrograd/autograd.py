"""``autograd``: record computations and differentiate them (MXNet 1.x API).

    with autograd.record():
        y = f(x)
    y.backward()

Recording and training flags are per thread. Scopes nest and restore the previous state on
exit, exceptions included.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Sequence

from . import _core
from ._core import NDArray
from .base import InvalidArgumentError

is_recording = _core.is_recording
is_training = _core.is_training
mark_variables = _core.mark_variables


def set_recording(is_recording: bool) -> bool:
    """Turns recording on or off for this thread; returns the previous state. Any truthy value
    counts, as in MXNet (which passes it to C as an int)."""
    return _core.set_recording(bool(is_recording))


def set_training(train_mode: bool) -> bool:
    """Turns training mode on or off for this thread; returns the previous state."""
    return _core.set_training(bool(train_mode))


class _RecordingStateScope:
    """Sets (recording, training) on entry; restores the previous values on exit."""

    __slots__ = ("_enter_recording", "_enter_training", "_prev_recording", "_prev_training")

    def __init__(self, is_record: bool | None, train_mode: bool | None) -> None:
        self._enter_recording = is_record
        self._enter_training = train_mode
        self._prev_recording: bool = False
        self._prev_training: bool = False

    def __enter__(self) -> _RecordingStateScope:
        if self._enter_recording is not None:
            self._prev_recording = _core.set_recording(bool(self._enter_recording))
        if self._enter_training is not None:
            self._prev_training = _core.set_training(bool(self._enter_training))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc_value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._enter_recording is not None:
            _core.set_recording(self._prev_recording)
        if self._enter_training is not None:
            _core.set_training(self._prev_training)


def record(train_mode: bool = True) -> _RecordingStateScope:
    """Records the computations in the block for differentiation (training mode by default)."""
    return _RecordingStateScope(True, train_mode)


def pause(train_mode: bool = False) -> _RecordingStateScope:
    """Stops recording inside the block (prediction mode by default)."""
    return _RecordingStateScope(False, train_mode)


def train_mode() -> _RecordingStateScope:
    """Training mode inside the block; recording unchanged."""
    return _RecordingStateScope(None, True)


def predict_mode() -> _RecordingStateScope:
    """Prediction mode inside the block; recording unchanged."""
    return _RecordingStateScope(None, False)


def backward(heads: NDArray | Sequence[NDArray],
             head_grads: NDArray | Sequence[NDArray | None] | None = None,
             retain_graph: bool = False, train_mode: bool = True) -> None:
    """Computes the gradients of ``heads`` into the ``.grad`` of the variables they depend on.

    A head with no head gradient is treated as if it were summed (its gradient is ones).
    """
    _core.backward(heads, head_grads, retain_graph, train_mode)


def grad(heads: NDArray | Sequence[NDArray], variables: NDArray | Sequence[NDArray],
         head_grads: NDArray | Sequence[NDArray | None] | None = None,
         retain_graph: bool | None = None, create_graph: bool = False,
         train_mode: bool = True, allow_unused: bool = False) -> list[NDArray]:
    """Returns the gradients of ``heads`` with respect to ``variables`` (a list of NDArrays),
    without touching ``.grad``. With ``create_graph=True`` the returned gradients are
    themselves recorded, so they can be differentiated again (higher-order derivatives).
    ``retain_graph`` defaults to ``create_graph``.

    An empty ``variables``, or a variable the heads were not computed from, is an error (as in
    MXNet); ``allow_unused=True`` (PyTorch's name) gives zeros for such a variable instead."""
    return _core.grad(heads, variables, head_grads, retain_graph, create_graph, train_mode,
                      allow_unused)


def get_symbol(x: NDArray) -> None:
    """MXNet returns the recorded history of ``x`` as a Symbol. ferrograd has no Symbol API
    (its graphs are imperative tapes only), so this always raises InvalidArgumentError."""
    raise InvalidArgumentError("get_symbol: ferrograd has no symbolic graphs (no Symbol API); "
                               "differentiate with backward() or autograd.grad() instead")


class Function:
    """A custom differentiable function, as in MXNet::

        class Sigmoid(autograd.Function):
            def forward(self, x):
                y = 1 / (1 + nd.exp(-x))
                self.save_for_backward(y)
                return y
            def backward(self, dy):
                y, = self.saved_tensors
                return dy * y * (1 - y)

    ``forward`` runs with recording paused; its outputs are linked to its inputs on the tape,
    and ``backward`` receives one gradient per output and returns one per input.
    """

    def __init__(self) -> None:
        self.saved_tensors: tuple[NDArray, ...] = ()

    def save_for_backward(self, *args: NDArray) -> None:
        self.saved_tensors = args

    def __call__(self, *inputs: NDArray) -> Any:
        for i in inputs:
            if not isinstance(i, NDArray):
                raise InvalidArgumentError(
                    "Function inputs must be NDArrays, got %s" % type(i).__name__)
        with pause(train_mode=is_training()):
            outputs = self.forward(*inputs)
        single = isinstance(outputs, NDArray)
        outs = [outputs] if single else list(outputs)
        for o in outs:
            if not isinstance(o, NDArray):
                raise InvalidArgumentError(
                    "Function.forward must return NDArrays, got %s" % type(o).__name__)
        _core.record_function(self, list(inputs), outs)
        return outputs

    def forward(self, *inputs: NDArray) -> Any:
        raise InvalidArgumentError("subclasses of autograd.Function must define forward()")

    def backward(self, *output_grads: NDArray) -> Any:
        raise InvalidArgumentError("subclasses of autograd.Function must define backward()")


# What `from mxnet.autograd import *` gives that is MXNet's API (MXNet's module has no
# __all__; its other names are implementation imports such as ctypes and check_call).
__all__ = [
    "record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
    "set_recording", "set_training", "backward", "grad", "mark_variables", "Function",
    "get_symbol", "NDArray",
]
