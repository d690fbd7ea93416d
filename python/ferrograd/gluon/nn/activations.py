"""Activation layers."""

from ..block import HybridBlock

__all__ = ["Activation", "LeakyReLU"]


class Activation(HybridBlock):
    """Applies an activation function to the input.

    Parameters
    ----------
    activation : str
        Name of the activation: 'relu', 'sigmoid', 'tanh', 'softrelu' or 'softsign'.
    """

    def __init__(self, activation, **kwargs):
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self):
        return self._act_type

    def hybrid_forward(self, F, x):
        return F.Activation(x, act_type=self._act_type)

    def __repr__(self):
        return "{name}({_act_type})".format(name=self.__class__.__name__, _act_type=self._act_type)


class LeakyReLU(HybridBlock):
    """Leaky ReLU: ``x`` for x >= 0, ``alpha * x`` otherwise.

    Parameters
    ----------
    alpha : float
        Slope for x < 0 (must be >= 0).
    """

    def __init__(self, alpha, **kwargs):
        if not alpha >= 0:
            from ...base import InvalidArgumentError
            raise InvalidArgumentError("LeakyReLU: slope coefficient alpha must be no less than 0, got %r" % (alpha,))
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type="leaky", slope=self._alpha)

    def __repr__(self):
        return "{name}({alpha})".format(name=self.__class__.__name__, alpha=self._alpha)
