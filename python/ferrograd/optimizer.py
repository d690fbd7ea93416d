"""``optimizer``: the update rules behind ``gluon.Trainer`` (MXNet 1.x semantics).

Every update is a few vectorised ``nd`` ops written in place into the weight (``weight -= ...``,
``state[:] = ...``), so every alias of the parameter's array sees the new values, with
recording paused. The gradient is first multiplied by ``rescale_grad`` (the Trainer sets it to
``1 / batch_size``) and, when ``clip_gradient`` is set, clipped to [-clip, clip].

Registered names: ``sgd``, ``nag``, ``adam``, ``adagrad``, ``rmsprop``; create one with
``mx.optimizer.create('sgd', learning_rate=0.1)`` or ``mx.optimizer.SGD(learning_rate=0.1)``.
"""

import math

from . import _core, nd
from .base import InvalidArgumentError

__all__ = ["Optimizer", "SGD", "NAG", "Adam", "AdaGrad", "RMSProp", "create", "register",
           "Updater", "get_updater"]

_REGISTRY = {}


class Optimizer:
    """The base class of optimizers.

    Parameters
    ----------
    rescale_grad : float, default 1.0
        Multiplies the gradient before the update (the Trainer sets 1/batch_size).
    param_idx2name : dict of int -> str, optional
        Names of the parameters by index (for lr/wd multipliers set by name).
    wd : float, default 0.0
        Weight decay (L2 penalty): ``wd * weight`` is added to the gradient.
    clip_gradient : float, optional
        Clips the rescaled gradient to [-clip_gradient, clip_gradient].
    learning_rate : float, default 0.01
    lr_scheduler : callable, optional
        ``lr_scheduler(num_update)`` gives the learning rate.
    begin_num_update : int, default 0
    param_dict : dict of int -> Parameter, optional
        Set by the Trainer: each Parameter's ``lr_mult`` and ``wd_mult`` apply.
    """

    def __init__(self, rescale_grad=1.0, param_idx2name=None, wd=0.0, clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None, aggregate_num=None, **kwargs):
        if kwargs:
            raise InvalidArgumentError("%s got unexpected arguments: %s"
                                       % (type(self).__name__, ", ".join(sorted(kwargs))))
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if learning_rate is None:
            learning_rate = 0.01
        if lr_scheduler is not None and hasattr(lr_scheduler, "base_lr"):
            lr_scheduler.base_lr = learning_rate
        self.lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._index_update_count = {}
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = aggregate_num or 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise InvalidArgumentError("param_idx2name should be a dict of param indexes to names.")
        self.idx2name = param_idx2name.copy()
        self.param_dict = param_dict if param_dict else {}

    # --- registry ---------------------------------------------------------------------------
    @staticmethod
    def register(klass):
        """Registers an Optimizer subclass under its lower-cased class name."""
        if not (isinstance(klass, type) and issubclass(klass, Optimizer)):
            raise InvalidArgumentError("optimizer.register: expected an Optimizer subclass, got %r" % (klass,))
        _REGISTRY[klass.__name__.lower()] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """An optimizer of the registered class ``name`` (case-insensitive)."""
        if not isinstance(name, str):
            raise InvalidArgumentError("optimizer name must be a string, got %r" % (name,))
        klass = _REGISTRY.get(name.lower())
        if klass is None:
            raise InvalidArgumentError("Cannot find optimizer %s (registered: %s)"
                                       % (name, ", ".join(sorted(_REGISTRY))))
        return klass(**kwargs)

    # --- learning rate and weight decay ---------------------------------------------------
    @property
    def learning_rate(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    @learning_rate.setter
    def learning_rate(self, lr):
        self.set_learning_rate(lr)

    def set_learning_rate(self, lr):
        """Sets a new learning rate (not allowed with an lr_scheduler, as in MXNet)."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note that "
                              "set_learning_rate can mutate the value of the learning rate of the "
                              "optimizer only when the LRScheduler of the optimizer is undefined.")
        self.lr = lr

    def set_lr_mult(self, args_lr_mult):
        """Learning-rate multipliers by parameter name (a Parameter's own lr_mult wins)."""
        self.lr_mult = dict(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Weight-decay multipliers by parameter name (a Parameter's own wd_mult wins)."""
        self.wd_mult = dict(args_wd_mult)

    def _update_count(self, index):
        """Counts one more update of ``index`` (Adam's bias correction uses the count)."""
        if isinstance(index, (list, tuple)):
            for i in index:
                self._update_count(i)
            return
        count = self._index_update_count.get(index, self.begin_num_update) + 1
        self._index_update_count[index] = count
        if count > self.num_update:
            self.num_update = count

    def _mult(self, index, table, attr):
        """A Parameter's own multiplier (the Trainer's case), else one set by index or name."""
        param = self.param_dict.get(index)
        if param is not None:
            return getattr(param, attr)
        if index in table:
            return table[index]
        name = self.idx2name.get(index)
        if name is not None:
            return table.get(name, 1.0)
        return 1.0

    def _get_lr(self, index):
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        param = self.param_dict.get(index)
        if param is not None:  # the Trainer's case, on every step: keep it short
            return lr * param.lr_mult
        return lr * self._mult(index, self.lr_mult, "lr_mult")

    def _get_wd(self, index):
        param = self.param_dict.get(index)
        if param is not None:
            return self.wd * param.wd_mult
        return self.wd * self._mult(index, self.wd_mult, "wd_mult")

    # --- the update -----------------------------------------------------------------------
    def create_state(self, index, weight):
        """The auxiliary state (momentum, ...) of one weight; None when there is none."""
        return None

    def create_state_multi_precision(self, index, weight):
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Updates ``weight`` in place from ``grad`` (and ``state``)."""
        raise NotImplementedError("%s must define update()" % type(self).__name__)

    def update_multi_precision(self, index, weight, grad, state):
        self.update(index, weight, grad, state)

    def _scaled_grad(self, grad):
        """rescale_grad * grad, clipped to [-clip_gradient, clip_gradient] when set."""
        g = grad * self.rescale_grad if self.rescale_grad != 1.0 else grad
        if self.clip_gradient is not None:
            g = nd.clip(g, -self.clip_gradient, self.clip_gradient)
        return g

    def __repr__(self):
        return "%s(learning_rate=%s, wd=%s)" % (type(self).__name__, self.lr, self.wd)


register = Optimizer.register
create = Optimizer.create_optimizer


def _zeros_like(weight):
    """A zero state array (momentum, moments) of the weight's shape and dtype."""
    return nd.zeros(weight.shape, dtype=weight.dtype)


@register
class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay::

        rescaled = clip(rescale_grad * grad, clip_gradient)
        without momentum:  weight = (1 - lr * wd) * weight - lr * rescaled
        with momentum:     mom = momentum * mom - lr * wd * weight - lr * rescaled
                           weight = weight + mom

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float, default 0.0
    wd, rescale_grad, clip_gradient : see Optimizer
    lazy_update : bool
        Accepted (it concerns sparse gradients, which ferrograd does not have).
    """

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return None if self.momentum == 0.0 else _zeros_like(weight)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        if self.clip_gradient is None:
            step = grad * (lr * self.rescale_grad)
        else:
            step = self._scaled_grad(grad) * lr
        if state is None:
            if wd != 0.0:
                weight *= 1.0 - lr * wd
            weight -= step
        else:
            state *= self.momentum
            if wd != 0.0:
                state -= weight * (lr * wd)
            state -= step
            weight += state


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient (SGD with Nesterov momentum)::

        g = clip(rescale_grad * grad, clip_gradient)
        without momentum:  weight = weight - lr * (g + wd * weight)
        with momentum:     mom = momentum * mom
                           new_weight = weight + momentum * mom - (1 + momentum) * lr * (g + wd * weight)
                           mom = mom - lr * (g + wd * new_weight)

    The momentum's weight-decay term uses the updated weight: MXNet 1.9.1's fused
    ``nag_mom_update`` writes the weight in place before it updates the momentum, and this
    reproduces its numbers (it matters only with both ``wd`` and ``momentum`` set).
    """

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state(self, index, weight):
        return None if self.momentum == 0.0 else _zeros_like(weight)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._scaled_grad(grad)
        step = g + weight * wd if wd != 0.0 else g
        if state is None:
            weight -= step * lr
            return
        m = self.momentum
        state *= m
        weight += state * m - step * ((1.0 + m) * lr)
        if wd != 0.0:
            step = g + weight * wd
        state -= step * lr


@register
class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014)::

        g = clip(rescale_grad * grad + wd * weight, clip_gradient)
        mean = beta1 * mean + (1 - beta1) * g
        var = beta2 * var + (1 - beta2) * g**2
        weight -= lr * sqrt(1 - beta2**t) / (1 - beta1**t) * mean / (sqrt(var) + epsilon)

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    lazy_update : bool
        Accepted (sparse gradients only).
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return (_zeros_like(weight),
                _zeros_like(weight))

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        t = self._index_update_count[index]
        lr *= math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        g = grad * self.rescale_grad if self.rescale_grad != 1.0 else grad
        if wd != 0.0:
            g = g + weight * wd
        if self.clip_gradient is not None:
            g = nd.clip(g, -self.clip_gradient, self.clip_gradient)
        mean, var = state
        mean *= self.beta1
        mean += g * (1.0 - self.beta1)
        var *= self.beta2
        var += nd.square(g) * (1.0 - self.beta2)
        weight -= mean * lr / (nd.sqrt(var) + self.epsilon)


@register
class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al., 2011)::

        g = clip(rescale_grad * grad, clip_gradient)
        history += g**2
        weight -= lr * (g / sqrt(history + eps) + wd * weight)

    Parameters
    ----------
    learning_rate : float, default 0.01
    eps : float, default 1e-7
    """

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return _zeros_like(weight)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = self._scaled_grad(grad)
        history = state
        history += nd.square(g)
        step = g / nd.sqrt(history + self.float_stable_eps)
        if wd != 0.0:
            step = step + weight * wd
        weight -= step * lr


@register
class RMSProp(Optimizer):
    """RMSProp (Tieleman and Hinton, 2012); ``centered=True`` is Graves' (2013) variant::

        g = clip(rescale_grad * grad + wd * weight, clip_gradient)
        n = (1 - gamma1) * g**2 + gamma1 * n
        not centered:  weight -= lr * g / sqrt(n + epsilon)
        centered:      m = (1 - gamma1) * g + gamma1 * m
                       delta = gamma2 * delta - lr * g / sqrt(n - m**2 + epsilon)
                       weight += delta

    Parameters
    ----------
    learning_rate : float, default 0.001
    gamma1 : float, default 0.9
    gamma2 : float, default 0.9
    epsilon : float, default 1e-8
    centered : bool, default False
    clip_weights : float, optional
        Clips the weights to [-clip_weights, clip_weights] after the update.
    """

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False,
                 clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight):
        if self.centered:
            return tuple(_zeros_like(weight) for _ in range(3))
        return (_zeros_like(weight),)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        g = grad * self.rescale_grad if self.rescale_grad != 1.0 else grad
        if wd != 0.0:
            g = g + weight * wd
        if self.clip_gradient is not None:
            g = nd.clip(g, -self.clip_gradient, self.clip_gradient)
        n = state[0]
        n *= self.gamma1
        n += nd.square(g) * (1.0 - self.gamma1)
        if not self.centered:
            weight -= g * lr / nd.sqrt(n + self.epsilon)
        else:
            m, delta = state[1], state[2]
            m *= self.gamma1
            m += g * (1.0 - self.gamma1)
            delta *= self.gamma2
            delta -= g * lr / nd.sqrt(n - nd.square(m) + self.epsilon)
            weight += delta
        if self.clip_weights:
            weight[:] = nd.clip(weight, -self.clip_weights, self.clip_weights)


_MISSING = object()


class Updater:
    """Applies an optimizer to (index, grad, weight) triples, keeping each weight's state."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}

    def __call__(self, index, grad, weight):
        if not isinstance(index, (list, tuple)):
            index, grad, weight = [index], [grad], [weight]
        # Updates are not part of any graph (and in-place writes to variables are refused
        # while recording).
        recording = _core.is_recording()
        if recording:
            _core.set_recording(False)
        try:
            states, optimizer = self.states, self.optimizer
            for i, g, w in zip(index, grad, weight):
                state = states.get(i, _MISSING)
                if state is _MISSING:
                    state = states[i] = optimizer.create_state_multi_precision(i, w)
                optimizer.update_multi_precision(i, w, g, state)
        finally:
            if recording:
                _core.set_recording(True)


def get_updater(optimizer):
    """An Updater for ``optimizer``."""
    return Updater(optimizer)
