"""``gluon.Block`` and ``gluon.HybridBlock``: the base classes of layers and models.

Naming follows MXNet 1.x, because the book prints the names: a Block made outside any
``name_scope`` gets a process-wide name from its class (``dense0``, ``dense1``,
``sequential0``); one made inside a parent's ``name_scope()`` gets the parent's prefix and a
counter local to that parent (``mlp0_dense0``). Parameters are named by their Block's prefix
(``dense0_weight``).

``HybridBlock.hybridize()`` is accepted and does nothing: ferrograd has no symbolic graphs, so
a HybridBlock always runs ``hybrid_forward(F, x, **params)`` with ``F = nd`` (MXNet's
imperative mode). Shapes of deferred parameters are inferred by each layer's ``infer_shape``.
"""

import re
import threading
import warnings
from collections import OrderedDict

from .. import nd
from .. import init as _initializer
from ..base import InvalidArgumentError, ArgumentTypeError
from ..context import check_device
from .parameter import (DeferredInitializationError, Parameter, ParameterDict, ParameterStateError,
                        _brief_print_list, _indent)

__all__ = ["Block", "HybridBlock", "SymbolBlock"]


class _NameCounter:
    """Process-wide counters behind automatic names (MXNet's NameManager): ``dense0``,
    ``dense1``, ... per class name."""

    def __init__(self):
        self._counts = {}

    def get(self, hint):
        count = self._counts.get(hint, 0)
        self._counts[hint] = count + 1
        return "%s%d" % (hint, count)


_GLOBAL_NAMES = _NameCounter()


class _BlockScope:
    """The scope ``with block.name_scope():`` opens: children made inside get names under the
    block's prefix, counted per block."""

    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """The (prefix, ParameterDict) of a new Block of class ``hint``."""
        current = getattr(_BlockScope._current, "value", None)
        if current is None:
            if prefix is None:
                prefix = _GLOBAL_NAMES.get(hint) + "_"
            if params is None:
                params = ParameterDict(prefix)
            else:
                params = ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = "%s%d_" % (hint, count)
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, "value", None)
        _BlockScope._current.value = self
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._block._empty_prefix:
            return False
        _BlockScope._current.value = self._old_scope
        return False


def _flatten_arrays(args, what):
    out = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out.extend(_flatten_arrays(a, what))
        elif isinstance(a, nd.NDArray):
            out.append(a)
        elif a is not None:
            raise ArgumentTypeError("%s: expected NDArrays, got %s" % (what, type(a).__name__))
    return out


class Block:
    """Base class for all neural network layers and models. Subclass it and define
    ``forward``; Blocks and Parameters assigned as attributes are registered automatically::

        class Model(nn.Block):
            def __init__(self, **kwargs):
                super(Model, self).__init__(**kwargs)
                self.dense0 = nn.Dense(20)
                self.dense1 = nn.Dense(20)

            def forward(self, x):
                x = nd.relu(self.dense0(x))
                return nd.relu(self.dense1(x))

    Parameters
    ----------
    prefix : str, optional
        Prefix of this Block's name and of its Parameters' names (default: the class name,
        lower-cased, and a counter, e.g. ``dense0_``).
    params : ParameterDict, optional
        Share the Parameters of another Block (``params=other.params``).
    """

    def __init__(self, prefix=None, params=None):
        object.__setattr__(self, "_children", OrderedDict())
        object.__setattr__(self, "_reg_params", OrderedDict())
        self._empty_prefix = prefix == ""
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith("_") else self._prefix
        self._scope = _BlockScope(self)
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def _alias(self):
        return self.__class__.__name__.lower()

    def __repr__(self):
        lines = ["  ({key}): {block}".format(key=key, block=_indent(repr(block), 2))
                 for key, block in self.__dict__.items() if isinstance(block, Block)]
        return "{name}(\n{modstr}\n)".format(name=self.__class__.__name__, modstr="\n".join(lines))

    def __setattr__(self, name, value):
        """Registers Blocks and Parameters assigned as attributes."""
        if "_children" not in self.__dict__:
            if isinstance(value, (Block, Parameter)):
                raise InvalidArgumentError(
                    "%s: call Block.__init__ (super().__init__(**kwargs)) before assigning the "
                    "%s '%s'" % (type(self).__name__, type(value).__name__, name))
            object.__setattr__(self, name, value)
            return
        existing = self.__dict__.get(name)
        if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
            raise ArgumentTypeError(
                "Changing attribute type for {name} from {type1} to {type2} is not allowed.".format(
                    name=name, type1=type(existing), type2=type(value)))
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            if name in self._reg_params and self._reg_params[name] is not value:
                raise ParameterStateError(
                    "Overriding Parameter attribute %s is not allowed. If you want to share "
                    "parameters between blocks, please set 'params' at Block construction instead."
                    % name)
            self._reg_params[name] = value
        object.__setattr__(self, name, value)

    def _check_container_with_block(self):
        def has_block(value):
            if isinstance(value, Block):
                return True
            if isinstance(value, (list, tuple)):
                return any(has_block(v) for v in value)
            if isinstance(value, dict):
                return any(has_block(v) for v in value.values())
            return False

        registered = set(id(c) for c in self._children.values())
        for name, value in self.__dict__.items():
            if name.startswith("_") or isinstance(value, Block) or id(value) in registered:
                continue
            if isinstance(value, (list, tuple, dict)) and has_block(value):
                warnings.warn(
                    '"{name}" is an unregistered container with Blocks. Note that Blocks inside '
                    "the list, tuple or dict will not be registered automatically. Make sure to "
                    "register them using register_child() or switching to "
                    "nn.Sequential/nn.HybridSequential instead. ".format(
                        name=self.__class__.__name__ + "." + name), stacklevel=3)

    # --- naming -----------------------------------------------------------------------------
    @property
    def prefix(self):
        """Prefix of this Block's name and of its Parameters' names."""
        return self._prefix

    @property
    def name(self):
        """Name of this Block, without the trailing '_'."""
        return self._name

    def name_scope(self):
        """A scope for making children: their names get this Block's prefix::

            with self.name_scope():
                self.dense = nn.Dense(20)   # named <prefix>dense0
        """
        return self._scope

    @property
    def params(self):
        """This Block's own ParameterDict (not its children's)."""
        return self._params

    # --- structure --------------------------------------------------------------------------
    def register_child(self, block, name=None):
        """Registers ``block`` as a child (as attribute assignment does); ``name`` defaults to
        its position."""
        if not isinstance(block, Block):
            raise ArgumentTypeError("register_child: expected a Block, got %s" % type(block).__name__)
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """``hook(block, inputs)`` runs before each forward; returns a handle with ``detach()``."""
        return _HookHandle(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """``hook(block, inputs, outputs)`` runs after each forward."""
        return _HookHandle(self._forward_hooks, hook)

    def apply(self, fn):
        """Calls ``fn(block)`` on every child (recursively), then on this Block; returns self."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def collect_params(self, select=None):
        """A ParameterDict of this Block's and all its children's Parameters.

        ``select`` is a regular expression matched (``re.match``) against the names, e.g.
        ``'.*weight'`` or ``'dense0_weight|dense0_bias'``.
        """
        self._check_container_with_block()
        result = ParameterDict(self._params.prefix)
        self._collect_into(result, re.compile(select) if select else None)
        return result

    def _collect_into(self, result, pattern):
        if pattern is None:
            result.update(self._params)
        else:
            result.update({n: p for n, p in self._params.items() if pattern.match(n)})
        for child in self._children.values():
            child._collect_into(result, pattern)

    def _collect_params_with_prefix(self, prefix=""):
        """{structural name: Parameter}, names as in save_parameters: '0.weight', 'hidden.bias'."""
        if prefix:
            prefix += "."
        result = OrderedDict((prefix + key, value) for key, value in self._reg_params.items())
        for name, child in self._children.items():
            result.update(child._collect_params_with_prefix(prefix + name))
        return result

    # --- initialization and persistence -----------------------------------------------------
    def initialize(self, init=_initializer.Uniform(), ctx=None, verbose=False, force_reinit=False):
        """Initializes the Parameters of this Block and its children (see
        ``ParameterDict.initialize``). The default is ``init.Uniform()`` (scale 0.07); a
        Parameter's own ``init`` (e.g. a Dense layer's zero bias) takes precedence."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def save_parameters(self, filename, deduplicate=False):
        """Saves the parameters, named by structure ('0.weight', 'hidden.bias'), in MXNet's
        ``.params`` format; MXNet's ``load_parameters`` reads the file, and the reverse."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            first_name = {}
            for name, param in params.items():
                first_name.setdefault(id(param), name)
            params = OrderedDict((n, p) for n, p in params.items() if first_name[id(p)] == n)
        nd.save(filename, {name: param._reduce() for name, param in params.items()})

    def save_params(self, filename):
        """Deprecated (MXNet): saves with ``collect_params().save`` and full names."""
        warnings.warn("save_params is deprecated. Please use save_parameters. Note that if you "
                      "want load from SymbolBlock later, please use export instead.")
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source="current"):
        """Loads parameters saved by ``save_parameters`` (ferrograd's or MXNet's).

        Parameters
        ----------
        filename : str
        ctx : Context, default cpu()
        allow_missing : bool, default False
            Leave Parameters that the file lacks as they are instead of raising.
        ignore_extra : bool, default False
            Skip names in the file that this Block lacks instead of raising.
        cast_dtype : bool, default False
            Cast the loaded arrays to the Parameters' dtypes instead of raising on a mismatch.
        dtype_source : {'current', 'saved'}
            With ``cast_dtype``, whose dtype wins.

        Nothing changes unless everything fits.
        """
        loaded = nd.load(filename)
        if not isinstance(loaded, dict):
            raise ParameterStateError("%s holds no parameter names (was it written by nd.save of a list?)"
                                      % filename)
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if loaded and not any("." in name for name in loaded):
            # A file written with full names (save_params / ParameterDict.save).
            self.collect_params().load(filename, ctx, allow_missing, ignore_extra, self.prefix,
                                       cast_dtype=cast_dtype, dtype_source=dtype_source)
            return
        if not allow_missing:
            names_of = {}
            for name, param in params.items():
                names_of.setdefault(id(param), []).append(name)
            for name, param in params.items():
                if not any(n in loaded for n in names_of[id(param)]):
                    raise ParameterStateError(
                        "Parameter '%s' is missing in file '%s', which contains parameters: %s. "
                        "Set allow_missing=True to ignore missing parameters."
                        % (name, filename, _brief_print_list(loaded.keys())))
        todo = []
        for name, value in loaded.items():
            if name not in params:
                if not ignore_extra:
                    raise ParameterStateError(
                        "Parameter '%s' loaded from file '%s' is not present in ParameterDict, which "
                        "contains parameters %s. Set ignore_extra=True to ignore. "
                        % (name, filename, _brief_print_list(params.keys())))
                continue
            params[name]._check_loadable(value, cast_dtype, dtype_source)
            todo.append((params[name], value))
        for param, value in todo:
            param._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        """Deprecated (MXNet): use load_parameters."""
        warnings.warn("load_params is deprecated. Please use load_parameters.")
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def cast(self, dtype):
        """Casts this Block's Parameters (and its children's) to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self._params.values():
            param.cast(dtype)

    def hybridize(self, active=True, **kwargs):
        """Accepted for compatibility; ferrograd always runs imperatively (no-op)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def reset_ctx(self, ctx):
        check_device(ctx, "reset_ctx")
        self.collect_params().reset_ctx(ctx)

    def zero_grad(self):
        """Sets the gradients of all Parameters to 0."""
        self.collect_params().zero_grad()

    def export(self, path, epoch=0, remove_amp_cast=True):
        raise InvalidArgumentError("export: ferrograd has no symbolic graphs to export; use "
                                   "save_parameters")

    # --- calling ----------------------------------------------------------------------------
    def __call__(self, *args):
        """Calls ``forward`` (with the forward hooks, if any)."""
        if self._forward_pre_hooks:
            for hook in list(self._forward_pre_hooks.values()):
                hook(self, args)
        out = self.forward(*args)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                hook(self, args, out)
        return out

    def forward(self, *args):
        """Computes the output from NDArray inputs; subclasses override it."""
        raise NotImplementedError("%s must define forward()" % type(self).__name__)

    def summary(self, *inputs):
        """Prints each layer's output shape and parameter count for one forward of ``inputs``
        (MXNet's layout)."""
        rows = []
        hooks = []

        def make_hook(block):
            def hook(blk, args, out):
                outs = _flatten_arrays([out], "summary")
                shapes = [tuple(o.shape) for o in outs]
                own = [p for p in blk._reg_params.values() if p._data is not None]
                rows.append(("%s-%d" % (type(blk).__name__, len(rows) + 1),
                             str(shapes[0] if len(shapes) == 1 else shapes),
                             sum(p.data().size for p in own),
                             sum(p.data().size for p in own if p.grad_req != "null")))
            return hook

        def attach(block):
            if block is not self:
                hooks.append(block.register_forward_hook(make_hook(block)))

        self.apply(attach)
        try:
            self(*inputs)
        finally:
            for h in hooks:
                h.detach()
        in_shapes = [tuple(i.shape) for i in _flatten_arrays(inputs, "summary")]
        unique = sum(p.data().size for p in self.collect_params().values() if p._data is not None)
        in_graph = sum(r[2] for r in rows)  # shared parameters counted at each use
        trainable = sum(r[3] for r in rows)
        row = "{:>20}  {:>42} {:>15}"
        print("-" * 80)
        print(row.format("Layer (type)", "Output Shape", "Param #"))
        print("=" * 80)
        print(row.format("Input", str(in_shapes[0] if len(in_shapes) == 1 else in_shapes), 0))
        for name, shape, n, _ in rows:
            print(row.format(name, shape, n))
        print("=" * 80)
        print("Parameters in forward computation graph, duplicate included")
        print("   Total params: %d" % in_graph)
        print("   Trainable params: %d" % trainable)
        print("   Non-trainable params: %d" % (in_graph - trainable))
        print("Shared params in forward computation graph: %d" % (in_graph - unique))
        print("Unique parameters in model: %d" % unique)
        print("-" * 80)

class _HookHandle:
    def __init__(self, hooks, hook):
        self._hooks = hooks
        self._id = id(hook)
        hooks[self._id] = hook

    def detach(self):
        self._hooks.pop(self._id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()
        return False


class HybridBlock(Block):
    """A Block whose computation is written once for ``F`` = ``nd`` (or, in MXNet, ``sym``) in
    ``hybrid_forward(self, F, x, *args, **params)``; this Block's registered Parameters arrive
    as keyword arrays named after their attributes::

        class Model(nn.HybridBlock):
            def __init__(self, **kwargs):
                super(Model, self).__init__(**kwargs)
                with self.name_scope():
                    self.dense = nn.Dense(10)
                    self.scale = self.params.get('scale', shape=(1,))

            def hybrid_forward(self, F, x, scale):
                return self.dense(x) * scale

    ``hybridize()`` is accepted; ferrograd runs ``hybrid_forward`` with ``F = nd`` either way.
    A custom HybridBlock whose Parameters have unknown (0) dimensions defines
    ``infer_shape(self, x, *args)`` to set them from the first input.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._active = False

    def hybridize(self, active=True, **kwargs):
        """Accepted for compatibility; ferrograd always runs imperatively (no-op)."""
        self._active = active
        super().hybridize(active, **kwargs)

    def forward(self, x, *args):
        """Runs ``hybrid_forward(nd, x, *args, **params)``, finishing deferred initialization
        (shape inference) at the first call."""
        try:
            params = {name: p.data() for name, p in self._reg_params.items()}
        except DeferredInitializationError:
            self._infer_and_finish(x, *args)
            params = {name: p.data() for name, p in self._reg_params.items()}
        return self.hybrid_forward(nd, x, *args, **params)

    def _infer_and_finish(self, x, *args):
        self.infer_shape(x, *args)
        for param in self._params.values():
            param._finish_deferred_init()
        for param in self._reg_params.values():
            param._finish_deferred_init()

    def infer_shape(self, *args):
        """Sets the unknown (0) dimensions of this Block's Parameters from the inputs.

        Built-in layers define it; a custom HybridBlock with deferred Parameters must too.
        """
        unknown = [p.name for p in self._reg_params.values() if p._deferred_init]
        raise DeferredInitializationError(
            "%s cannot infer the shapes of its Parameters %s from its inputs: ferrograd has no "
            "symbolic shape inference. Give those Parameters full shapes, or define "
            "infer_shape(self, x, *args) to set them." % (type(self).__name__, _brief_print_list(unknown)))

    def hybrid_forward(self, F, x, *args, **kwargs):
        """The computation, with ``F`` = ``nd``; subclasses override it."""
        raise NotImplementedError("%s must define hybrid_forward()" % type(self).__name__)

    def export(self, path, epoch=0, remove_amp_cast=True):
        raise InvalidArgumentError("export: ferrograd has no symbolic graphs to export; use "
                                   "save_parameters")

    def optimize_for(self, x, *args, backend=None, **kwargs):
        """Accepted for compatibility (no backends): runs one forward."""
        return self(x, *args)


class SymbolBlock(HybridBlock):
    """MXNet builds a Block from a symbolic graph here; ferrograd has no symbols."""

    def __init__(self, outputs=None, inputs=None, params=None):
        raise InvalidArgumentError("SymbolBlock: ferrograd has no symbolic API (mx.sym)")

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, **kwargs):
        raise InvalidArgumentError("SymbolBlock.imports: ferrograd has no symbolic API (mx.sym)")
