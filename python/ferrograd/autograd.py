"""``autograd``: record computations and differentiate them (MXNet 1.x API).

    with autograd.record():
        y = f(x)
    y.backward()

Recording and training flags are per thread. Scopes nest and restore the previous state on
exit, exceptions included.
"""

from . import _core
from ._core import NDArray
from .base import InvalidArgumentError

is_recording = _core.is_recording
is_training = _core.is_training
set_recording = _core.set_recording
set_training = _core.set_training
mark_variables = _core.mark_variables


class _RecordingStateScope:
    """Sets (recording, training) on entry; restores the previous values on exit."""

    __slots__ = ("_enter_recording", "_enter_training", "_prev_recording", "_prev_training")

    def __init__(self, is_record, train_mode):
        self._enter_recording = is_record
        self._enter_training = train_mode
        self._prev_recording = None
        self._prev_training = None

    def __enter__(self):
        if self._enter_recording is not None:
            self._prev_recording = _core.set_recording(self._enter_recording)
        if self._enter_training is not None:
            self._prev_training = _core.set_training(self._enter_training)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._enter_recording is not None:
            _core.set_recording(self._prev_recording)
        if self._enter_training is not None:
            _core.set_training(self._prev_training)
        return False


def record(train_mode=True):
    """Records the computations in the block for differentiation (training mode by default)."""
    return _RecordingStateScope(True, train_mode)


def pause(train_mode=False):
    """Stops recording inside the block (prediction mode by default)."""
    return _RecordingStateScope(False, train_mode)


def train_mode():
    """Training mode inside the block; recording unchanged."""
    return _RecordingStateScope(None, True)


def predict_mode():
    """Prediction mode inside the block; recording unchanged."""
    return _RecordingStateScope(None, False)


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Computes the gradients of ``heads`` into the ``.grad`` of the variables they depend on.

    A head with no head gradient is treated as if it were summed (its gradient is ones).
    """
    _core.backward(heads, head_grads, retain_graph, train_mode)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False, train_mode=True,
         allow_unused=False):
    """Returns the gradients of ``heads`` with respect to ``variables`` (a list of NDArrays),
    without touching ``.grad``. With ``create_graph=True`` the returned gradients are
    themselves recorded, so they can be differentiated again (higher-order derivatives).
    ``retain_graph`` defaults to ``create_graph``.

    An empty ``variables``, or a variable the heads were not computed from, is an error (as in
    MXNet); ``allow_unused=True`` (PyTorch's name) gives zeros for such a variable instead."""
    return _core.grad(heads, variables, head_grads, retain_graph, create_graph, train_mode,
                      allow_unused)


def get_symbol(x):
    raise InvalidArgumentError("get_symbol: ferrograd has no symbolic graphs")


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

    def __init__(self):
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        self.saved_tensors = args

    def __call__(self, *inputs):
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

    def forward(self, *inputs):
        raise InvalidArgumentError("subclasses of autograd.Function must define forward()")

    def backward(self, *output_grads):
        raise InvalidArgumentError("subclasses of autograd.Function must define backward()")


__all__ = [
    "record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
    "set_recording", "set_training", "backward", "grad", "mark_variables", "Function",
]
