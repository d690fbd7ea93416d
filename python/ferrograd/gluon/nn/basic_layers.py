"""Basic layers: containers, Dense, Dropout, Flatten, Embedding, Lambda."""


from ... import nd
from ...base import ArgumentTypeError, InvalidArgumentError, ShapeError
from ..block import Block, HybridBlock
from ..parameter import _indent
from .activations import Activation

__all__ = ["Sequential", "HybridSequential", "Dense", "Dropout", "Flatten", "Embedding",
           "Lambda", "HybridLambda"]


class _SequentialMixin:
    """What Sequential and HybridSequential share: children in order, indexing, repr."""

    def add(self, *blocks):
        """Adds Blocks on top of the stack."""
        for block in blocks:
            self.register_child(block)

    def __repr__(self):
        lines = ["  ({key}): {block}".format(key=key, block=_indent(repr(block), 2))
                 for key, block in self._children.items()]
        return "{name}(\n{modstr}\n)".format(name=self.__class__.__name__, modstr="\n".join(lines))

    def __getitem__(self, key):
        layers = list(self._children.values())[key]
        if isinstance(layers, list):
            net = type(self)(prefix=self._prefix)
            with net.name_scope():
                net.add(*layers)
            return net
        return layers

    def __len__(self):
        return len(self._children)

    def _run(self, x, args):
        for block in self._children.values():
            x = block(x, *args)
            args = ()
            if isinstance(x, (tuple, list)):
                args = tuple(x[1:])
                x = x[0]
        if args:
            x = (x,) + tuple(args)
        return x


class Sequential(_SequentialMixin, Block):
    """Stacks Blocks sequentially: each one's output is the next one's input::

        net = nn.Sequential()
        with net.name_scope():
            net.add(nn.Dense(10, activation='relu'))
            net.add(nn.Dense(20))
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def forward(self, x, *args):
        return self._run(x, args)

    def hybridize(self, active=True, **kwargs):
        """Accepted for compatibility; ferrograd always runs imperatively (no-op)."""
        super().hybridize(active, **kwargs)


class HybridSequential(_SequentialMixin, HybridBlock):
    """Stacks HybridBlocks sequentially (``hybridize()`` is accepted and changes nothing)."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def forward(self, x, *args):
        return self._run(x, args)

    def hybrid_forward(self, F, x, *args):
        return self._run(x, args)


class Dense(HybridBlock):
    """A fully-connected layer: ``output = activation(dot(input, weight.T) + bias)``.

    Parameters
    ----------
    units : int
        Dimensionality of the output.
    activation : str, optional
        Activation applied to the output ('relu', 'sigmoid', 'tanh', ...); none by default.
    use_bias : bool, default True
        Whether the layer adds a bias vector.
    flatten : bool, default True
        Whether the input is flattened to (batch, features); otherwise the layer applies to
        the last axis and keeps the others.
    dtype : str or numpy.dtype, default 'float32'
        Data type of the parameters.
    weight_initializer : str or Initializer
        Initializer of the weight (shape (units, in_units)); the global one when None.
    bias_initializer : str or Initializer, default 'zeros'
        Initializer of the bias.
    in_units : int, default 0
        Size of the input; 0 infers it at the first forward (deferred initialization).
    params : ParameterDict, optional
        Share the weight and bias of another Dense (``params=other.params``).
    """

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype="float32",
                 weight_initializer=None, bias_initializer="zeros", in_units=0, **kwargs):
        super().__init__(**kwargs)
        self._flatten = flatten
        with self.name_scope():
            self._units = units
            self._in_units = in_units
            self.weight = self.params.get("weight", shape=(units, in_units), init=weight_initializer,
                                          dtype=dtype, allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get("bias", shape=(units,), init=bias_initializer,
                                            dtype=dtype, allow_deferred_init=True)
            else:
                self.bias = None
            if activation is not None:
                self.act = Activation(activation, prefix=activation + "_")
            else:
                self.act = None

    def infer_shape(self, x, *args):
        in_units = _features(x, self._flatten)
        self.weight.shape = (self._units, in_units)

    def forward(self, x):
        # HybridBlock.forward's work without its per-call dict: a Dense is on every hot path.
        weight, bias = self.weight, self.bias
        if weight._data is None or (bias is not None and bias._data is None):
            return HybridBlock.forward(self, x)  # deferred initialization (or its error)
        if bias is None:
            return self.hybrid_forward(nd, x, weight.data())
        return self.hybrid_forward(nd, x, weight.data(), bias.data())

    def hybrid_forward(self, F, x, weight, bias=None):
        try:
            out = F.FullyConnected(x, weight, bias, no_bias=bias is None, num_hidden=self._units,
                                   flatten=self._flatten)
        except ShapeError:
            self._check_input(x, weight)
            raise
        if self.act is not None:
            out = self.act(out)
        return out

    def _check_input(self, x, weight):
        """Raises a ShapeError naming this layer's weight when ``x`` does not fit it."""
        in_units = _features(x, self._flatten)
        if in_units != weight.shape[1]:
            raise ShapeError(
                "%s: input of shape %s has %d features per example (flatten=%s), but Parameter "
                "'%s' has shape %s, which takes %d (in_units=%d)"
                % (self.name, tuple(x.shape), in_units, self._flatten, self.weight.name,
                   tuple(weight.shape), weight.shape[1], weight.shape[1]))

    def __repr__(self):
        shape = self.weight.shape
        return "{name}({layout}, {act})".format(
            name=self.__class__.__name__, act=self.act if self.act else "linear",
            layout="{0} -> {1}".format(shape[1] if shape[1] else None, shape[0]))


def _features(x, flatten):
    if not isinstance(x, nd.NDArray):
        raise ArgumentTypeError("Dense: expected an NDArray input, got %s" % type(x).__name__)
    shape = x.shape
    if len(shape) == 0:
        raise ShapeError("Dense: input must have at least one dimension, got a scalar")
    if flatten:
        n = 1
        for d in shape[1:]:
            n *= d
        return n
    return shape[-1]


class Dropout(HybridBlock):
    """Dropout: during training (``autograd.record()``), each element is zeroed with
    probability ``rate`` and the rest are scaled by 1/(1 - rate); otherwise the identity.

    Parameters
    ----------
    rate : float
        Fraction of the input units to drop, in [0, 1].
    axes : tuple of int, default ()
        Axes along which the same mask is shared (variational dropout).
    """

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise InvalidArgumentError("Dropout: rate must be in [0, 1], got %r" % (rate,))
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        if self._rate > 0:
            return F.Dropout(x, p=self._rate, axes=self._axes)
        return x

    def __repr__(self):
        return "{name}(p = {_rate}, axes={_axes})".format(name=self.__class__.__name__,
                                                          _rate=self._rate, _axes=self._axes)


class Flatten(HybridBlock):
    """Flattens the input to shape (batch_size, -1)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.flatten(x)

    def __repr__(self):
        return self.__class__.__name__


class Embedding(HybridBlock):
    """Maps non-negative integer indices to dense vectors (rows of ``weight``); the gradient
    flows to the rows that were looked up.

    Parameters
    ----------
    input_dim : int
        Size of the vocabulary (largest index + 1).
    output_dim : int
        Dimension of the vectors.
    dtype : str, default 'float32'
    weight_initializer : Initializer, optional
    sparse_grad : bool, default False
        Only False: ferrograd's gradients are dense.
    """

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None,
                 sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        if sparse_grad:
            raise InvalidArgumentError("Embedding: sparse_grad=True is not supported (dense gradients only)")
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype,
                        "sparse_grad": sparse_grad}
        self.weight = self.params.get("weight", shape=(input_dim, output_dim), init=weight_initializer,
                                      dtype=dtype, allow_deferred_init=True)

    def hybrid_forward(self, F, x, weight):
        return F.take(weight, x, axis=0, mode="clip")

    def __repr__(self):
        return "{block_name}({input_dim} -> {output_dim}, {dtype})".format(
            block_name=self.__class__.__name__, **self._kwargs)


def _nd_function(name, owner):
    if not isinstance(name, str):
        return name
    fn = getattr(nd, name, None)
    if fn is None or not callable(fn):
        raise InvalidArgumentError("%s: Function name %s is not found in ndarray." % (owner, name))
    return fn


class Lambda(Block):
    """Wraps a function (or the name of an ``nd`` function, e.g. ``'tanh'``) as a Block::

        block = Lambda('tanh')
        block = Lambda(lambda x: nd.LeakyReLU(x, slope=0.1))
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            self._func_impl = _nd_function(function, "Lambda")
            self._func_name = function
        elif callable(function):
            self._func_impl = function
            self._func_name = getattr(function, "__name__", repr(function))
        else:
            raise InvalidArgumentError("Lambda: unrecognized function in lambda: {} of type {}"
                                       .format(function, type(function)))

    def forward(self, *args):
        return self._func_impl(*args)

    def __repr__(self):
        return "{name}({function})".format(name=self.__class__.__name__, function=self._func_name)


class HybridLambda(HybridBlock):
    """Wraps ``function(F, x, *args)`` (or the name of an ``nd`` function) as a HybridBlock::

        block = HybridLambda('tanh')
        block = HybridLambda(lambda F, x: F.LeakyReLU(x, slope=0.1))
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            fn = _nd_function(function, "HybridLambda")
            self._func = lambda F, *args: fn(*args)
            self._func_name = function
        elif callable(function):
            self._func = function
            self._func_name = getattr(function, "__name__", repr(function))
        else:
            raise InvalidArgumentError("HybridLambda: unrecognized function in lambda: {} of type {}"
                                       .format(function, type(function)))

    def hybrid_forward(self, F, x, *args):
        return self._func(F, x, *args)

    def __repr__(self):
        return "{name}({function})".format(name=self.__class__.__name__, function=self._func_name)
