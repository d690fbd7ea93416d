"""``init`` (also ``initializer``): weight initializers, MXNet 1.x semantics.

An initializer fills an array in place. Gluon calls it as ``init(InitDesc(name, {'__init__':
chosen}), array)``, which always goes to the chosen initializer's ``_init_weight`` (so a
Parameter's own ``init`` wins over the one given to ``Block.initialize``, and a Dense layer's
bias, whose own init is ``'zeros'``, stays zero). Called with a plain name, an initializer
dispatches on the name's suffix as MXNet's does: ``weight`` -> ``_init_weight``, ``bias`` and
``beta`` -> zeros, ``gamma`` -> ones, and so on.

A custom initializer subclasses :class:`Initializer` and overrides ``_init_weight``::

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            print('Init', name, data.shape)
            data[:] = nd.random.uniform(low=-10, high=10, shape=data.shape)

Random initializers draw from ``nd.random`` (ferrograd's generator): seeding works as in MXNet,
the streams differ.
"""

import json
import logging
import math

from . import nd
from .base import InvalidArgumentError

__all__ = ["InitDesc", "Initializer", "register", "create", "Load", "Mixed", "Zero", "One",
           "Constant", "Uniform", "Normal", "Orthogonal", "Xavier", "MSRAPrelu", "Bilinear",
           "LSTMBias"]

_REGISTRY = {}


class InitDesc(str):
    """A parameter's name together with its attributes (``attrs``, e.g. ``{'__init__': init}``)
    and the initializer that the whole model was initialized with (``global_init``)."""

    def __new__(cls, name, attrs=None, global_init=None):
        desc = super().__new__(cls, name)
        desc.attrs = attrs or {}
        desc.global_init = global_init
        return desc


def register(klass):
    """Registers an Initializer subclass under its lower-cased class name, so that
    ``create('name')`` and ``Parameter(init='name')`` find it. Usable as a decorator."""
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise InvalidArgumentError("init.register: expected an Initializer subclass, got %r" % (klass,))
    _REGISTRY[klass.__name__.lower()] = klass
    return klass


def _alias(*names):
    def deco(klass):
        for name in names:
            _REGISTRY[name] = klass
        return klass
    return deco


def create(initializer, **kwargs):
    """Returns an Initializer: ``initializer`` itself, the registered one named by a string
    (``'zeros'``, ``'xavier'``), or one described by a ``dumps()`` JSON string."""
    if isinstance(initializer, Initializer):
        return initializer
    if isinstance(initializer, type) and issubclass(initializer, Initializer):
        return initializer(**kwargs)
    if isinstance(initializer, str):
        text = initializer.strip()
        if text.startswith("["):
            try:
                name, params = json.loads(text)
            except (ValueError, TypeError):
                raise InvalidArgumentError("init.create: %r is not an initializer description" % (initializer,)) from None
            return create(name, **dict(params, **kwargs))
        klass = _REGISTRY.get(text.lower())
        if klass is None:
            raise InvalidArgumentError(
                "Cannot find initializer %r; registered: %s" % (initializer, ", ".join(sorted(_REGISTRY))))
        return klass(**kwargs)
    raise InvalidArgumentError("init.create: expected an Initializer, its name or its description, got %r"
                               % (initializer,))


class Initializer:
    """The base class of initializers: fills an array in place, dispatching on its name.

    Parameters
    ----------
    **kwargs
        Keyword arguments of the subclass; they are what ``dumps()`` records.
    """

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Logs each initialized array's name and norm (or ``print_func(arr)``) when verbose."""
        self._verbose = verbose
        if print_func is None:
            def print_func(x):
                return str((x.norm() / math.sqrt(x.size)).asscalar())
        self._print_func = print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info("Initialized %s as %s: %s", desc, init, self._print_func(arr))

    def dumps(self):
        """A JSON string ``[name, kwargs]`` that ``create`` turns back into this initializer."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, desc, arr):
        """Initializes ``arr`` (in place) for the parameter described by ``desc``."""
        if not isinstance(desc, InitDesc):
            desc = InitDesc(str(desc))
        if desc.global_init is None:
            desc.global_init = self
        chosen = desc.attrs.get("__init__", "")
        if chosen:
            # A parameter's own initializer: it initializes the array whatever its name.
            create(chosen)._init_weight(desc, arr)
            self._verbose_print(desc, chosen, arr)
            return
        for suffix, method, label in _SUFFIX_DISPATCH:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, label, arr)
                return
        self._init_default(desc, arr)

    # the per-role fillers ------------------------------------------------------------------
    def _init_weight(self, name, arr):
        raise NotImplementedError("%s must implement _init_weight" % self.__class__.__name__)

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    def _init_default(self, name, _):
        raise InvalidArgumentError(
            "Unknown initialization pattern for %s. Default initialization is now limited to "
            "\"weight\", \"bias\", \"gamma\" (1.0), and \"beta\" (0.0). Give the parameter its "
            "own init (e.g. init=mx.init.Zero()) to initialize it." % (name,))

    def __eq__(self, other):
        return type(self) is type(other) and self._kwargs == other._kwargs

    def __hash__(self):
        return hash((type(self).__name__, json.dumps(self._kwargs, sort_keys=True, default=str)))


# Name suffixes and the filler each gets (MXNet's order: the first match wins).
_SUFFIX_DISPATCH = (
    ("weight", "_init_weight", "weight"),
    ("bias", "_init_bias", "bias"),
    ("gamma", "_init_gamma", "gamma"),
    ("beta", "_init_beta", "beta"),
    ("running_mean", "_init_zero", "zero"),
    ("running_var", "_init_one", "one"),
    ("moving_mean", "_init_zero", "zero"),
    ("moving_var", "_init_one", "one"),
    ("moving_inv_var", "_init_zero", "zero"),
    ("moving_avg", "_init_zero", "zero"),
    ("min", "_init_zero", "zero"),
    ("max", "_init_one", "one"),
)


@register
class Load(Initializer):
    """Initializes by name from a dict (or an ``nd.load`` file), falling back to
    ``default_init`` for names it lacks."""

    def __init__(self, param, default_init=None, verbose=False):
        super().__init__()
        if isinstance(param, str):
            param = nd.load(param)
        if not isinstance(param, dict):
            raise InvalidArgumentError("init.Load: expected a dict of name -> NDArray or a file of one")
        self.param = {(k[4:] if k.startswith(("arg:", "aux:")) else k): v for k, v in param.items()}
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            src = self.param[name]
            if tuple(src.shape) != tuple(arr.shape):
                raise InvalidArgumentError(
                    "Parameter %s cannot be initialized from loading: shape mismatch, target %s vs loaded %s"
                    % (name, tuple(arr.shape), tuple(src.shape)))
            arr[:] = src
            if self.verbose:
                logging.info("Initialized %s by loading", name)
        elif self.default_init is not None:
            self.default_init(name, arr)
        else:
            raise InvalidArgumentError(
                "Cannot initialize %s: it is not in the loaded parameters and no default_init was given" % name)


@register
class Mixed(Initializer):
    """Picks the initializer of the first regular expression that matches the name."""

    def __init__(self, patterns, initializers):
        super().__init__()
        import re
        if len(patterns) != len(initializers):
            raise InvalidArgumentError("init.Mixed: %d patterns for %d initializers"
                                       % (len(patterns), len(initializers)))
        self.map = [(re.compile(p), create(i)) for p, i in zip(patterns, initializers)]

    def __call__(self, name, arr):
        for pattern, init in self.map:
            if pattern.match(name):
                init(name, arr)
                return
        raise InvalidArgumentError(
            "Parameter name %s did not match any pattern. Consider adding a \".*\" pattern at "
            "the end with a default initializer." % (name,))


@register
@_alias("zeros")
class Zero(Initializer):
    """Initializes to zero."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0.0


@register
@_alias("ones")
class One(Initializer):
    """Initializes to one."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1.0


@register
class Constant(Initializer):
    """Initializes to ``value`` (a scalar, or an array broadcast to the parameter's shape)."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        value = self.value
        if hasattr(value, "asnumpy"):
            value = value.asnumpy().tolist()
        return json.dumps([self.__class__.__name__.lower(), {"value": value}])


@register
class Uniform(Initializer):
    """Samples uniformly from [-scale, scale] (MXNet's default initializer, scale 0.07)."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        nd.random.uniform(-self.scale, self.scale, shape=arr.shape, dtype=arr.dtype, out=arr)


@register
class Normal(Initializer):
    """Samples from a normal distribution with mean 0 and standard deviation ``sigma``."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        nd.random.normal(0, self.sigma, shape=arr.shape, dtype=arr.dtype, out=arr)


@register
class Orthogonal(Initializer):
    """A (scaled) orthogonal matrix, from the SVD of a random one (Saxe et al., 2013)."""

    def __init__(self, scale=1.414, rand_type="uniform"):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, _, arr):
        import numpy as np
        rows = arr.shape[0]
        cols = int(np.prod(arr.shape[1:])) if len(arr.shape) > 1 else 1
        if self.rand_type == "uniform":
            tmp = nd.random.uniform(-1.0, 1.0, shape=(rows, cols), dtype="float64").asnumpy()
        elif self.rand_type == "normal":
            tmp = nd.random.normal(0.0, 1.0, shape=(rows, cols), dtype="float64").asnumpy()
        else:
            raise InvalidArgumentError("Orthogonal: unknown rand_type %r" % (self.rand_type,))
        u, _s, v = np.linalg.svd(tmp, full_matrices=False)
        q = u if u.shape == tmp.shape else v
        arr[:] = nd.array(self.scale * q.reshape(arr.shape), dtype=arr.dtype)


@register
class Xavier(Initializer):
    """Xavier/Glorot initialization: scale = sqrt(magnitude / factor), where the factor is the
    fan-in, the fan-out or their mean (``factor_type`` 'in', 'out', 'avg'); values are uniform
    in [-scale, scale] (``rnd_type='uniform'``) or normal with std scale (``'gaussian'``).
    Needs an array of at least 2 dimensions."""

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        if rnd_type not in ("uniform", "gaussian"):
            raise InvalidArgumentError("Xavier: unknown rnd_type %r (use 'uniform' or 'gaussian')" % (rnd_type,))
        if factor_type not in ("avg", "in", "out"):
            raise InvalidArgumentError("Xavier: incorrect factor_type %r (use 'avg', 'in' or 'out')" % (factor_type,))
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        shape = arr.shape
        if len(shape) < 2:
            raise InvalidArgumentError(
                "Xavier initializer cannot be applied to vector %s of shape %s. It requires at "
                "least 2D." % (name, tuple(shape)))
        receptive = 1
        for d in shape[2:]:
            receptive *= d
        fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
        factor = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in, "out": fan_out}[self.factor_type]
        scale = math.sqrt(self.magnitude / factor)
        if self.rnd_type == "uniform":
            nd.random.uniform(-scale, scale, shape=shape, dtype=arr.dtype, out=arr)
        else:
            nd.random.normal(0, scale, shape=shape, dtype=arr.dtype, out=arr)


@register
class MSRAPrelu(Xavier):
    """He/MSRA initialization for PReLU-style layers: Gaussian Xavier with magnitude
    2 / (1 + slope**2)."""

    def __init__(self, factor_type="avg", slope=0.25):
        super().__init__("gaussian", factor_type, 2.0 / (1 + slope ** 2))
        self._kwargs = {"factor_type": factor_type, "slope": slope}


@register
class Bilinear(Initializer):
    """Weights of a bilinear upsampling kernel (for deconvolution)."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        import numpy as np
        shape = arr.shape
        size = int(np.prod(shape))
        f = np.ceil(shape[3] / 2.0)
        c = (2 * f - 1 - f % 2) / (2.0 * f)
        idx = np.arange(size)
        x = idx % shape[3]
        y = (idx // shape[3]) % shape[2]
        weight = (1 - np.abs(x / f - c)) * (1 - np.abs(y / f - c))
        arr[:] = nd.array(weight.reshape(shape), dtype=arr.dtype)


@register
class LSTMBias(Initializer):
    """Zeros, except the forget gate's bias (the second quarter), set to ``forget_bias``."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, _, arr):
        n = arr.shape[0] // 4
        arr[:] = 0.0
        arr[n:2 * n] = self.forget_bias
