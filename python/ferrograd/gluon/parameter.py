"""``gluon.Parameter``, ``gluon.Constant`` and ``gluon.ParameterDict`` (MXNet 1.x semantics).

A Parameter owns one NDArray (ferrograd has one device) with its gradient buffer attached
(``attach_grad(grad_req)``), so ``data()`` is the variable that recorded computations use and
``grad()`` is the buffer backward writes into. The Trainer updates ``data()`` in place, so every
alias of it sees the new values.

Deferred initialization: a shape with 0 in it is "unknown until the first forward". Such a
Parameter's ``initialize`` only records what to do; the first forward of its layer infers the
shape and finishes the job. Reading it before then raises :class:`DeferredInitializationError`
with MXNet's text.
"""

import warnings
from collections import OrderedDict

import numpy as _np

from .. import _core, autograd, nd
from .. import init as _initializer
from ..base import InvalidArgumentError, MXNetError, ShapeError, DTypeError
from ..context import check_device, cpu

__all__ = ["DeferredInitializationError", "ParameterNotInitializedError", "Parameter",
           "Constant", "ParameterDict", "tensor_types"]

tensor_types = (nd.NDArray,)



class DeferredInitializationError(MXNetError):
    """The Parameter's shape is still unknown: it is initialized at the first forward."""


class ParameterNotInitializedError(MXNetError):
    """A Parameter was read before ``initialize()`` (a RuntimeError, as in MXNet)."""


class ParameterStateError(InvalidArgumentError):
    """An operation that does not fit the Parameter's state or attributes (a ValueError)."""


def _shape_is_known(shape):
    """A shape is known when it is given and holds no 0 (MXNet 1.x: 0 means unknown)."""
    if shape is None:
        return False
    return all(d > 0 for d in shape)


def _normalize_shape(shape):
    if shape is None:
        return None
    if isinstance(shape, (int, _np.integer)):
        return (int(shape),)
    try:
        return tuple(int(d) for d in shape)
    except TypeError:
        raise InvalidArgumentError("shape must be an int or a tuple of ints, got %r" % (shape,)) from None


def _brief_print_list(names, limit=7):
    """'a', 'b', ..., 'z': at most ``limit`` names, the middle ones elided."""
    names = list(names)
    if len(names) > limit:
        return (_brief_print_list(names[:limit // 2], limit) + ", ..., "
                + _brief_print_list(names[-limit // 2:], limit))
    return ", ".join("'%s'" % str(n) for n in names)


def _indent(text, spaces):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class Parameter:
    """A Container holding parameters (weights) of Blocks.

    Parameters
    ----------
    name : str
        Name of this parameter.
    grad_req : {'write', 'add', 'null'}, default 'write'
        How gradients are stored: overwritten by each backward, added to, or not kept.
    shape : int or tuple of int, default None
        Shape of this parameter. A 0 in it means "unknown until the first forward" (deferred
        initialization).
    dtype : numpy.dtype or str, default numpy.float32
        Data type of this parameter.
    lr_mult : float, default 1.0
        Learning rate multiplier (the Trainer's learning rate is multiplied by it).
    wd_mult : float, default 1.0
        Weight decay multiplier (L2 regularizer coefficient).
    init : Initializer or str, default None
        Initializer of this parameter. When None, ``initialize`` uses the global initializer.
    allow_deferred_init : bool, default False
        Whether a shape that is not fully known may be completed at the first forward.
    differentiable : bool, default True
        False makes ``grad_req`` 'null' for good.
    stype, grad_stype : str, default 'default'
        Storage types; only 'default' (dense) exists in ferrograd.
    """

    def __init__(self, name, grad_req="write", shape=None, dtype=_np.float32, lr_mult=1.0,
                 wd_mult=1.0, init=None, allow_deferred_init=False, differentiable=True,
                 stype="default", grad_stype="default"):
        for what, st in (("stype", stype), ("grad_stype", grad_stype)):
            if st != "default":
                raise InvalidArgumentError(
                    "Parameter '%s': %s=%r is not supported (ferrograd stores dense arrays only)"
                    % (name, what, st))
        if grad_req not in ("write", "add", "null"):
            raise InvalidArgumentError(
                "grad_req must be one of 'write', 'add', or 'null', but got '%s'" % (grad_req,))
        self.name = name
        self._shape = _normalize_shape(shape)
        self.dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.init = init
        self._allow_deferred_init = allow_deferred_init
        self._differentiable = differentiable
        self._grad_req = grad_req if differentiable else "null"
        self._stype = stype
        self._grad_stype = grad_stype
        self._data = None
        # (init, ctx list, default_init, data or None) while initialization waits for a shape.
        self._deferred_init = ()
        self._ctx_list = None
        self._trainer = None

    def __repr__(self):
        return "%s %s (shape=%s, dtype=%s)" % (type(self).__name__, self.name, self.shape, self.dtype)

    # --- attributes -------------------------------------------------------------------------
    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ("write", "add", "null"):
            raise InvalidArgumentError(
                "grad_req must be one of 'write', 'add', or 'null', but got '%s'" % (req,))
        if not self._differentiable:
            req = "null"
        if req == self._grad_req:
            return
        self._grad_req = req
        if self._data is None:
            return
        if req == "null":
            # No gradient: the array stops being a variable (MXNet: a detached copy).
            self._data = self._data.detach()
        else:
            self._data.attach_grad(req)

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        new_shape = _normalize_shape(new_shape)
        if self._shape is None:
            self._shape = new_shape
            return
        if len(self._shape) != len(new_shape) or not all(
                old in (0, -1, new) for new, old in zip(new_shape, self._shape)):
            raise ShapeError("Expected shape %s is incompatible with given shape %s for Parameter '%s'."
                             % (str(new_shape), str(self._shape), self.name))
        self._shape = new_shape

    @property
    def stype(self):
        return self._stype

    @property
    def grad_stype(self):
        return self._grad_stype

    # --- initialization ---------------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=_initializer.Uniform(), force_reinit=False):
        """Initializes the parameter's array (and its gradient buffer).

        Parameters
        ----------
        init : Initializer, optional
            The initializer to use; by default the parameter's own ``init``, else
            ``default_init``.
        ctx : Context or list of Context, default cpu()
            Only the CPU exists in ferrograd; a GPU context raises.
        default_init : Initializer, default Uniform()
            The global initializer (the one given to ``Block.initialize``).
        force_reinit : bool, default False
            Re-initialize even if already initialized (otherwise a warning, and nothing done).
        """
        if self._data is not None and not force_reinit:
            warnings.warn("Parameter '%s' is already initialized, ignoring. "
                          "Set force_reinit=True to re-initialize." % self.name, stacklevel=2)
            return
        ctx_list = self._ctx_arg(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        if not _shape_is_known(self._shape):
            if self._allow_deferred_init:
                self._data = None
                self._deferred_init = (init, ctx_list, default_init, None)
                return
            raise ParameterStateError("Cannot initialize Parameter '%s' because it has invalid shape: %s."
                                      % (self.name, str(self._shape)))
        self._deferred_init = (init, ctx_list, default_init, None)
        self._finish_deferred_init()

    @staticmethod
    def _ctx_arg(ctx):
        if ctx is None:
            return [cpu()]
        check_device(ctx, "initialize")
        return list(ctx) if isinstance(ctx, (list, tuple)) else [ctx]

    def _finish_deferred_init(self):
        """Creates the array now that the shape is known (at the first forward)."""
        if not self._deferred_init:
            return
        init, ctx_list, default_init, data = self._deferred_init
        if not _shape_is_known(self._shape):
            raise DeferredInitializationError(
                "Cannot initialize Parameter '%s' because it has invalid shape: %s. Please "
                "specify in_units, in_channels, etc for `Block`s." % (self.name, str(self._shape)))
        with autograd.pause():
            if data is None:
                data = nd.zeros(self._shape, dtype=self.dtype)
                _initializer.create(default_init)(
                    _initializer.InitDesc(self.name, {"__init__": init}), data)
            elif tuple(data.shape) != self._shape:
                raise ShapeError("Parameter '%s': data of shape %s given for shape %s"
                                 % (self.name, tuple(data.shape), self._shape))
            else:
                data = data.astype(self.dtype)  # a copy: the parameter owns its array
        self._deferred_init = ()
        self._init_impl(data, ctx_list)

    def _init_impl(self, data, ctx_list):
        self._ctx_list = list(ctx_list)
        self._data = data
        if self._grad_req != "null":
            data.attach_grad(self._grad_req)

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source="current"):
        """Initializes (or overwrites) the parameter from loaded ``data``. Checks first."""
        data, shape, dtype = self._check_loadable(data, cast_dtype, dtype_source)
        if ctx is not None:
            check_device(ctx, "load")
        self._shape = shape
        self.dtype = dtype
        if self._data is None:
            ctx_list = self._deferred_init[1] if self._deferred_init else self._ctx_arg(ctx)
            self._deferred_init = ()
            self._init_impl(data.astype(self.dtype), ctx_list)
        elif _np.dtype(self._data.dtype) != _np.dtype(dtype):
            # dtype_source='saved' changed the dtype: a new array of that dtype.
            self._init_impl(data.astype(dtype), self._ctx_list)
        else:
            self.set_data(data)

    def _check_loadable(self, data, cast_dtype=False, dtype_source="current"):
        """(data, shape, dtype) to load, or a ValueError-type MXNetError naming the problem."""
        if dtype_source not in ("current", "saved"):
            raise InvalidArgumentError("dtype_source must be 'current' or 'saved', got %r" % (dtype_source,))
        if not isinstance(data, nd.NDArray):
            raise InvalidArgumentError("Parameter '%s': expected an NDArray to load, got %s"
                                       % (self.name, type(data).__name__))
        shape = self._shape
        if shape:
            saved = tuple(data.shape)
            if len(shape) != len(saved) or not all(s in (0, -1, d) for s, d in zip(shape, saved)):
                raise ShapeError("Failed loading Parameter '%s' from saved params: shape incompatible "
                                 "expected %s vs saved %s" % (self.name, str(shape), str(saved)))
            shape = saved
        else:
            shape = tuple(data.shape)
        dtype = self.dtype
        if dtype is not None and _np.dtype(dtype) != _np.dtype(data.dtype):
            if not cast_dtype:
                raise DTypeError("Failed loading Parameter '%s' from saved params: dtype incompatible "
                                 "expected %s vs saved %s. Set cast_dtype=True to cast the dtype of "
                                 "saved params." % (self.name, str(dtype), str(data.dtype)))
            if dtype_source == "saved":
                dtype = data.dtype
            else:
                data = data.astype(dtype)
        return data, shape, dtype

    # --- access -----------------------------------------------------------------------------
    def data(self, ctx=None):
        """Returns this parameter's array (the variable recorded computations use).

        Raises DeferredInitializationError while the shape waits for the first forward, and
        ParameterNotInitializedError (a RuntimeError) before ``initialize``.
        """
        data = self._data
        if data is None or (ctx is not None and ctx.device_type != "cpu"):
            return self._missing(ctx)
        return data

    def _missing(self, ctx):
        if self._data is not None:
            raise ParameterNotInitializedError(
                "Parameter '%s' was not initialized on context %s. It was only initialized on %s."
                % (self.name, str(ctx), str(self._ctx_list)))
        if self._deferred_init:
            raise DeferredInitializationError(
                "Parameter '%s' has not been initialized yet because initialization was "
                "deferred. Actual initialization happens during the first forward pass. "
                "Please pass one batch of data through the network before accessing Parameters. "
                "You can also avoid deferred initialization by specifying in_units, "
                "num_features, etc., for network layers." % (self.name))
        raise ParameterNotInitializedError(
            "Parameter '%s' has not been initialized. Note that you should initialize "
            "parameters and create Trainer with Block.collect_params() instead of Block.params "
            "because the later does not include Parameters of nested child Blocks" % (self.name))

    def list_data(self):
        """The parameter's arrays, one per context: a one-element list."""
        return [self.data()]

    def grad(self, ctx=None):
        """The gradient buffer (updated in place by each backward)."""
        if self._data is not None and self._grad_req == "null":
            raise ParameterStateError(
                "Cannot get gradient array for Parameter '%s' because grad_req='null'" % (self.name))
        data = self._data
        if data is None or (ctx is not None and ctx.device_type != "cpu"):
            return self._missing(ctx)
        return data.grad

    def list_grad(self):
        return [self.grad()]

    def list_ctx(self):
        if self._data is None:
            if self._deferred_init:
                return list(self._deferred_init[1])
            raise ParameterNotInitializedError("Parameter '%s' has not been initialized" % self.name)
        return list(self._ctx_list)

    def set_data(self, data):
        """Sets this parameter's value (in place, so aliases of ``data()`` see it)."""
        if not isinstance(data, nd.NDArray):
            data = nd.array(data, dtype=self.dtype)
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise ParameterNotInitializedError("Parameter '%s' has not been initialized" % self.name)
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        if tuple(data.shape) != tuple(self._data.shape):
            raise ShapeError("Parameter '%s': cannot set data of shape %s into shape %s"
                             % (self.name, tuple(data.shape), tuple(self._data.shape)))
        with autograd.pause():
            self._data[:] = data

    def zero_grad(self):
        """Sets the gradient buffer to 0 (useful with grad_req='add')."""
        if self._data is None or self._grad_req == "null":
            return
        self._data.grad[:] = 0

    def reset_ctx(self, ctx):
        """Moves the parameter to ``ctx``: only the CPU exists, so this only checks it."""
        check_device(ctx, "reset_ctx")
        if self._deferred_init:
            self._deferred_init = (self._deferred_init[0], self._ctx_arg(ctx)) + self._deferred_init[2:]

    def cast(self, dtype):
        """Casts the data (and the gradient buffer) to ``dtype``."""
        self.dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = self._data.astype(dtype)
        if self._grad_req != "null":
            self._data.attach_grad(self._grad_req)

    def var(self):
        """A symbol for this parameter: ferrograd has no symbolic API."""
        raise InvalidArgumentError(
            "Parameter.var(): ferrograd has no symbolic API (mx.sym); Parameter '%s' is "
            "available as an NDArray through data()" % self.name)

    def _reduce(self):
        """A copy of the data (what save writes)."""
        return self.data().copy()

    def row_sparse_data(self, row_id):
        raise InvalidArgumentError("Parameter '%s': row_sparse storage is not supported" % self.name)


class Constant(Parameter):
    """A constant parameter: a value that is not optimized (grad_req='null').

    Parameters
    ----------
    name : str
        Name of the parameter.
    value : array-like
        Initial value of the constant.
    """

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            value = nd.array(value)
        self.value = value

        class _CopyValue(_initializer.Initializer):
            def _init_weight(self, _, arr):
                arr[:] = value

        super().__init__(name, grad_req="null", shape=value.shape, dtype=value.dtype,
                         init=_CopyValue())

    @Parameter.grad_req.setter
    def grad_req(self, req):
        if req != "null":
            warnings.warn("Constant parameter \"{}\" does not support grad_req other than \"null\", "
                          "and new value \"{}\" is ignored.".format(self.name, req))


class ParameterDict:
    """A dictionary managing a set of Parameters.

    Parameters
    ----------
    prefix : str, default ''
        The prefix prepended to every name created by ``get``.
    shared : ParameterDict, optional
        Parameters looked up here before new ones are created (parameter sharing).
    """

    def __init__(self, prefix="", shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        content = "\n".join(_indent("  {0}".format(v), 2) for v in self.values())
        return "{name}(\n{content}\n)".format(name=self._prefix + " " if self._prefix else "",
                                              content=content)

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        """The prefix of this dict's names."""
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._shared._params[name]
        return None

    def get(self, name, **kwargs):
        """Returns the Parameter named ``prefix + name``, creating it with ``kwargs`` when it
        does not exist yet. For an existing one, ``kwargs`` must agree with its attributes
        (an unknown dimension, 0, is filled in from the other side)."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for key, value in kwargs.items():
            existing = getattr(param, key, None)
            if existing is None:
                setattr(param, key, value)
                continue
            if key == "shape":
                value = _normalize_shape(value)
                if len(value) == len(existing):
                    merged, ok = [], True
                    for want, have in zip(value, existing):
                        if want != have and want > 0 and have > 0:
                            ok = False
                            break
                        merged.append(have if want in (0, -1) else want)
                    if ok:
                        param._shape = tuple(merged)
                        continue
            elif key == "dtype" and value is not None and _np.dtype(value) == _np.dtype(existing):
                continue
            if value is not None and value != existing:
                raise ParameterStateError(
                    "Cannot retrieve Parameter '%s' because desired attribute does not match with "
                    "stored for attribute '%s': desired '%s' vs stored '%s'."
                    % (name, key, str(value), str(existing)))
        return param

    def get_constant(self, name, value=None):
        """Returns the Constant named ``prefix + name``, creating it from ``value``."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise ParameterStateError(
                    "No constant named '%s'. Please specify value if you want to create a new "
                    "constant." % name)
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None:
            if not isinstance(param, Constant):
                raise ParameterStateError("Parameter '%s' already exists but it is not a constant." % name)
            if isinstance(value, nd.NDArray):
                value = value.asnumpy()
            if param.shape != _np.shape(value) or not (param.value.asnumpy() == value).all():
                raise ParameterStateError("Constant '%s' already exists but its value doesn't match new value" % name)
        return param

    def update(self, other):
        """Copies all Parameters of ``other`` into this dict (a name may not stand for two
        different Parameters)."""
        for key, value in other.items():
            if key in self._params and self._params[key] is not value:
                raise ParameterStateError(
                    "Cannot update self with other because they have different Parameters with "
                    "the same name '%s'" % key)
        for key, value in other.items():
            self._params[key] = value

    def initialize(self, init=_initializer.Uniform(), ctx=None, verbose=False, force_reinit=False):
        """Initializes all Parameters (see ``Parameter.initialize``); ``init`` is the global
        initializer, used for Parameters without their own."""
        if verbose:
            init.set_verbosity(verbose=verbose)
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        """Sets all gradient buffers to 0."""
        for param in self.values():
            param.zero_grad()

    def reset_ctx(self, ctx):
        for param in self.values():
            param.reset_ctx(ctx)

    def list_ctx(self):
        ctxs = []
        for param in self.values():
            for c in param.list_ctx():
                if c not in ctxs:
                    ctxs.append(c)
        return ctxs

    def setattr(self, name, value):
        """Sets attribute ``name`` (e.g. ``'grad_req'``, ``'lr_mult'``) of every Parameter."""
        for param in self.values():
            setattr(param, name, value)

    def save(self, filename, strip_prefix=""):
        """Saves the parameters to ``filename`` in MXNet's format, names without ``strip_prefix``."""
        arrays = {}
        for param in self.values():
            if not param.name.startswith(strip_prefix):
                raise ParameterStateError(
                    "Prefix '%s' is to be striped before saving, but Parameter's name '%s' does not "
                    "start with '%s'." % (strip_prefix, param.name, strip_prefix))
            arrays[param.name[len(strip_prefix):]] = param._reduce()
        nd.save(filename, arrays)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False, restore_prefix="",
             cast_dtype=False, dtype_source="current"):
        """Loads parameters from a file written by ``save`` (ours or MXNet's)."""
        if restore_prefix:
            for name in self.keys():
                if not name.startswith(restore_prefix):
                    raise ParameterStateError(
                        "restore_prefix is '%s' but Parameters name '%s' does not start with '%s'"
                        % (restore_prefix, name, restore_prefix))
        loaded = nd.load(filename)
        if not isinstance(loaded, dict):
            raise ParameterStateError("%s holds no parameter names (was it written by nd.save of a list?)"
                                      % filename)
        self.load_dict(loaded, ctx, allow_missing, ignore_extra, restore_prefix, filename,
                       cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix="", filename=None, cast_dtype=False, dtype_source="current"):
        """Loads parameters from a dict of name -> NDArray. Everything is checked before any
        Parameter changes."""
        items = param_dict.items() if isinstance(param_dict, dict) else param_dict
        arrays = {restore_prefix + (k[4:] if k.startswith(("arg:", "aux:")) else k): v for k, v in items}
        source = "file: %s" % filename if filename else "param_dict"
        lprefix = len(restore_prefix)
        if not allow_missing:
            for name in self.keys():
                if name not in arrays:
                    raise ParameterStateError(
                        "Parameter '%s' is missing in %s, which contains parameters: %s. Please make "
                        "sure source and target networks have the same prefix."
                        % (name[lprefix:], source, _brief_print_list(arrays.keys())))
        todo = []
        for name, value in arrays.items():
            if name not in self._params:
                if not ignore_extra:
                    raise ParameterStateError(
                        "Parameter '%s' loaded from %s is not present in ParameterDict, choices are: "
                        "%s. Set ignore_extra to True to ignore. Please make sure source and target "
                        "networks have the same prefix."
                        % (name[lprefix:], source, _brief_print_list(self._params.keys())))
                continue
            self._params[name]._check_loadable(value, cast_dtype, dtype_source)
            todo.append((self._params[name], value))
        for param, value in todo:
            param._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)
